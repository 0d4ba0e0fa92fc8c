"""The claims checker's I/O: resolve names, read values as of each claim's date, ask for verdicts.

Every name is resolved before anything is judged, so a file with an unknown model, lab or ecosystem
fails as a whole with one line naming the file, the claim and the field. Values are read with the
same no-look-ahead rules as `wholeads leaders` (``wholeads.query.evidence``): a model counts only
once released (release date, else first seen) on or before the date. A group (an ecosystem or a
lab, optionally filtered by open weights and kind) stands for its best member as of the date:
highest value of the field (lowest for prices, earliest for release dates), or its best score in
the domain's evidence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from wholeads.analysis.claims_cost import Budget, Sizes, benchmarks_read, estimate
from wholeads.analysis.frontier import DAYS_PER_MONTH, GapPoint, trend
from wholeads.analysis.leaders import significance
from wholeads.analysis.pareto import blended
from wholeads.analysis.points import Evidence, Point
from wholeads.analysis.verdicts import (
    INSUFFICIENT,
    Valued,
    Verdict,
    best_of,
    judge_compare,
    judge_fact,
    judge_leader,
    judge_partial_compare,
    judge_policy,
    judge_trend,
)
from wholeads.claims.format import (
    LAB_FIELDS,
    MAX_BYTES,
    MODEL_FIELDS,
    PARTIAL_DATE_FIELDS,
    Among,
    Claim,
    CompareClaim,
    FactClaim,
    LeaderClaim,
    PolicyClaim,
    Side,
    TrendClaim,
    parse_claims,
)
from wholeads.errors import DataError
from wholeads.ingest.resolve import Resolver
from wholeads.kb.domains import get_domain, load_domains
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.kb.timeline import load_timeline
from wholeads.query.answers import decide_domain, gap_report
from wholeads.query.catalog import chosen_fact, labs_by_id, models_with_labs, suggest
from wholeads.query.claim_sizes import read_sizes
from wholeads.query.evidence import Reader, load_evidence, price_parts
from wholeads.query.resolver import load_resolver

COLUMNS = {"parameters": "params_total_b", "active_parameters": "params_active_b"}
FACT_ONLY_FIELDS = frozenset({"knowledge_cutoff"})
"""Claim fields read from the chosen fact, having no `models` column."""
"""Claim field -> `models` column, where the names differ."""
LOWER_IS_BETTER = frozenset({"price_input", "price_output", "price", "release_date"})
"""Fields whose best group member is the smallest (cheapest, first released)."""
OPENNESS = ("open", "closed")


class _Names:
    """Resolution of the names in claims, failing with the file, claim id and field."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, file: str, resolver: Resolver | None = None
    ) -> None:
        self.con, self.file = con, file
        self.resolver: Resolver = resolver or load_resolver(con)
        self.ecosystems = {e.casefold(): e for e in ecosystem_ids()}

    def fail(self, i: int, claim_id: str, field: str, msg: str) -> DataError:
        return DataError(f"claims[{i}] (id '{claim_id}'): {msg}", file=self.file, field=field)

    def model(self, i: int, cid: str, field: str, name: str) -> str:
        model_id = self.resolver.resolve(name).model_id
        if model_id is None:
            hint = suggest(self.con, name)
            raise self.fail(
                i,
                cid,
                field,
                f"unknown model '{name}'" + (f"; did you mean: {', '.join(hint)}?" if hint else ""),
            )
        return model_id

    def lab(self, i: int, cid: str, field: str, name: str) -> str:
        lab_id = self.resolver.resolve_lab(name)
        if lab_id is None:
            raise self.fail(i, cid, field, f"unknown lab '{name}'; see 'wholeads labs'")
        return lab_id

    def ecosystem(self, i: int, cid: str, field: str, name: str) -> str:
        eco = self.ecosystems.get(name.casefold())
        if eco is None:
            known = ", ".join(self.ecosystems.values())
            raise self.fail(i, cid, field, f"unknown ecosystem '{name}'; known: {known}")
        return eco

    def side(self, i: int, cid: str, field: str, side: Side | float | dt.date | str) -> Any:
        if not isinstance(side, Side):
            return side
        if side.model is not None:
            return side.model_copy(
                update={"model": self.model(i, cid, f"{field}.model", side.model)}
            )
        if side.lab is not None:
            return side.model_copy(update={"lab": self.lab(i, cid, f"{field}.lab", side.lab)})
        eco = self.ecosystem(i, cid, f"{field}.ecosystem", side.ecosystem or "")
        return side.model_copy(update={"ecosystem": eco})

    def entity(self, i: int, cid: str, name: str, field: str) -> tuple[str, str]:
        """('model', id) or ('lab', id): a lab when the name is a lab's, else a model."""
        lab_id = self.resolver.resolve_lab(name)
        if lab_id is not None and (field in LAB_FIELDS or field not in MODEL_FIELDS):
            return "lab", lab_id
        model_id = self.resolver.resolve(name).model_id
        if model_id is not None:
            return "model", model_id
        if lab_id is not None:
            raise self.fail(i, cid, "field", f"'{field}' is a model field; '{name}' is a lab")
        hint = suggest(self.con, name)
        raise self.fail(
            i,
            cid,
            "entity",
            f"unknown model or lab '{name}'"
            + (f"; did you mean: {', '.join(hint)}?" if hint else ""),
        )

    def resolve(self, i: int, claim: Claim) -> Claim:
        """The claim with every name replaced by its canonical id."""
        cid = claim.id
        if isinstance(claim, FactClaim):
            kind, ident = self.entity(i, cid, claim.entity, claim.field)
            if kind == "lab" and claim.field not in LAB_FIELDS:
                raise self.fail(
                    i, cid, "field", f"'{claim.field}' is a model field; '{claim.entity}' is a lab"
                )
            expect: Any = claim.expect
            if claim.field == "lab":
                expect = self.lab(i, cid, "expect", str(claim.expect))
            elif claim.field == "ecosystem":
                expect = self.ecosystem(i, cid, "expect", str(claim.expect))
            return claim.model_copy(update={"entity": f"{kind}:{ident}", "expect": expect})
        if isinstance(claim, CompareClaim):
            return claim.model_copy(
                update={
                    "left": self.side(i, cid, "left", claim.left),
                    "right": self.side(i, cid, "right", claim.right),
                }
            )
        if isinstance(claim, LeaderClaim):
            update: dict[str, Any] = {}
            if claim.by == "ecosystem":
                update["expect"] = self.ecosystem(i, cid, "expect", claim.expect)
            elif claim.by == "lab":
                update["expect"] = self.lab(i, cid, "expect", claim.expect)
            elif claim.expect not in OPENNESS:
                raise self.fail(i, cid, "expect", "by openness: expect 'open' or 'closed'")
            if claim.among is not None and claim.among.ecosystem is not None:
                eco = self.ecosystem(i, cid, "among.ecosystem", claim.among.ecosystem)
                update["among"] = claim.among.model_copy(update={"ecosystem": eco})
            return claim.model_copy(update=update)
        if isinstance(claim, PolicyClaim):
            return claim
        pair = {claim.a, claim.b}
        if pair <= set(OPENNESS):
            return claim
        a = self.ecosystem(i, cid, "a", claim.a)
        return claim.model_copy(update={"a": a, "b": self.ecosystem(i, cid, "b", claim.b)})


class _Data:
    """The rows every claim reads, loaded once per check."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.reader = Reader(con)
        self.models = models_with_labs(con)
        self.labs = labs_by_id(con)

    def released(self, model_id: str, as_of: dt.date) -> bool:
        when = self.models[model_id]["released"]
        return when is not None and when <= as_of

    def fact_source(self, model_id: str, field: str) -> dict[str, Any] | None:
        """The chosen fact row behind a model's value: source, URL or file, date."""
        fact = chosen_fact(self.con, model_id, COLUMNS.get(field, field))
        if fact is None:
            return None
        return {
            "source": fact.source,
            "url": fact.url or fact.file,
            "row": fact.row,
            "as_of": fact.as_of,
        }

    def values(self, ids: Sequence[str], field: str, as_of: dt.date) -> dict[str, Any]:
        """Many models' values of a claim field as of a date, read in one go (a group compare
        reads every member; its provenance is looked up for the winner only)."""
        if field in PRICE_FIELDS:
            # Prices in force on the claim's date (launch prices, dated and observed quotes),
            # never today's list price applied to the past.
            parts = price_parts(self.reader, ids, as_of)
            out = {}
            for mid, (pin, pout) in parts.items():
                value = {"price_input": pin, "price_output": pout}.get(field)
                out[mid] = round(blended(pin, pout), 4) if field == "price" else value
            return out
        if field in FACT_ONLY_FIELDS:
            # kept in model_facts only (no models column): the chosen source's value
            chosen = {mid: chosen_fact(self.con, mid, field) for mid in ids}
            return {mid: None if f is None else f.value for mid, f in chosen.items()}
        column = "lab_id" if field == "lab" else COLUMNS.get(field, field)
        return {mid: self.models[mid][column] for mid in ids}

    def model_value(self, model_id: str, field: str, as_of: dt.date) -> tuple[Any, dict[str, Any]]:
        """A model's value of a claim field as of a date, and where it comes from."""
        m = self.models[model_id]
        detail: dict[str, Any] = {"model_id": model_id, "released": m["released"]}
        value = self.values([model_id], field, as_of).get(model_id)
        if field in PRICE_FIELDS:
            detail["price_source"] = "median over providers of the prices in force on the date"
        elif field in {"country", "ecosystem"}:
            detail["lab_id"] = m["lab_id"]
            lab = self.labs.get(m["lab_id"] or "")
            detail["source"] = lab.source_url if lab else None
        elif source := self.fact_source(model_id, field):
            detail["source"] = source
        return value, detail

    def members(self, side: Side, as_of: dt.date) -> list[str]:
        """Model ids of a group released by the date."""
        out = []
        for mid, m in self.models.items():
            if side.lab is not None and m["lab_id"] != side.lab:
                continue
            if side.ecosystem is not None and m["ecosystem"] != side.ecosystem:
                continue
            if side.open_weights is not None and m["open_weights"] is not side.open_weights:
                continue
            if side.kind is not None and m["kind"] != side.kind:
                continue
            if self.released(mid, as_of):
                out.append(mid)
        return sorted(out)


def _fact(data: _Data, claim: FactClaim, as_of: dt.date) -> Verdict:
    kind, ident = claim.entity.split(":", 1)
    ftype = MODEL_FIELDS.get(claim.field, "text") if kind == "model" else LAB_FIELDS[claim.field]
    if kind == "lab":
        lab = data.labs[ident]
        evidence: dict[str, Any] = {"lab_id": ident, "source": lab.source_url}
        if claim.field == "open_weights":
            ids = [m for m in data.members(Side(lab=ident), as_of)
                   if data.models[m]["open_weights"]]  # fmt: skip
            # curated first, newest first: the examples a reader recognises
            ids.sort(key=lambda m: (not data.models[m]["curated"],
                                    -data.models[m]["released"].toordinal(), m))  # fmt: skip
            evidence.update(open_weight_models=len(ids), examples=ids[:5], as_of=as_of)
            value: Any = bool(ids)
            more = f" (+{len(ids) - 3} more)" if len(ids) > 3 else ""
            context = (f"open-weight models released by {as_of}: {', '.join(ids[:3])}{more}"
                       if ids else f"no open-weight model released by {as_of}")  # fmt: skip
        else:
            value, context = getattr(lab, claim.field), ""
        return judge_fact(
            subject=ident,
            fname=claim.field,
            ftype=ftype,
            actual=value,
            expect=claim.expect,
            tolerance=claim.tolerance,
            evidence=evidence,
            context=context,
        )
    if not data.released(ident, as_of):
        when = data.models[ident]["released"]
        why = f"{ident} was not released as of {as_of}" + (f" (released {when})" if when else "")
        return Verdict(INSUFFICIENT, why, {"model_id": ident, "released": when})
    value, detail = data.model_value(ident, claim.field, as_of)
    detail["value"] = value
    return judge_fact(ident, claim.field, ftype, value, claim.expect, claim.tolerance, detail)


def _field_side(data: _Data, side: Any, field: str, as_of: dt.date) -> Valued | None:
    if not isinstance(side, Side):
        return Valued(str(side), side)
    if side.model is not None:
        if not data.released(side.model, as_of):
            return None
        value, detail = data.model_value(side.model, field, as_of)
        return None if value is None else Valued(side.model, value, side.model, detail)
    ids = data.members(side, as_of)
    values = data.values(ids, field, as_of)
    members = [Valued(m, values[m], m) for m in ids if values.get(m) is not None]  # ties: by id
    best = best_of(members, lower_is_better=field in LOWER_IS_BETTER)
    if best is None:
        return None
    _, detail = data.model_value(best.model_id or "", field, as_of)  # sources: the best only
    label = f"{side.describe()} ({best.model_id})"
    return Valued(label, best.value, best.model_id, {**detail, "members": len(members)})


def _side_has(side: Side, model_id: str, m: dict[str, Any]) -> bool:
    """Whether a model belongs to a claim side (its attributes from the models table)."""
    if side.model is not None:
        return model_id == side.model
    return (
        (side.lab is None or m["lab_id"] == side.lab)
        and (side.ecosystem is None or m["ecosystem"] == side.ecosystem)
        and (side.open_weights is None or m["open_weights"] is side.open_weights)
        and (side.kind is None or m["kind"] == side.kind)
    )


def _matches(side: Side, p: Point, kinds: dict[str, Any]) -> bool:
    if side.model is not None:
        return p.model_id == side.model
    return (
        (side.lab is None or p.lab_id == side.lab)
        and (side.ecosystem is None or p.ecosystem == side.ecosystem)
        and (side.open_weights is None or p.open_weights is side.open_weights)
        and (side.kind is None or kinds.get(p.model_id, {}).get("kind") == side.kind)
    )


def _point_side(
    data: _Data, side: Any, ev: Evidence, higher: bool
) -> tuple[Valued | None, Point | None]:
    if not isinstance(side, Side):
        return Valued(str(side), float(side)), None
    pts = [p for p in ev.points if _matches(side, p, data.models)]
    if not pts:
        return None, None
    best = max(pts, key=lambda p: p.value) if higher else min(pts, key=lambda p: p.value)
    detail = {"model_id": best.model_id, "value": best.value, "ci_low": best.ci_low,
              "ci_high": best.ci_high, "source": best.source, "date": best.date}  # fmt: skip
    label = side.model if side.model is not None else f"{side.describe()} ({best.model_id})"
    return Valued(label or best.model_id, best.value, best.model_id, detail), best


def _side_evidence(v: Valued | None) -> dict[str, Any] | None:
    return None if v is None else {"label": v.label, "value": v.value, **v.detail}


PRICE_FIELDS = frozenset({"price_input", "price_output", "price"})
UNITS = {
    "price": "USD per 1M tokens, 3 input : 1 output", "price_input": "USD per 1M input tokens",
    "price_output": "USD per 1M output tokens", "context_window": "tokens",
    "max_output": "tokens", "parameters": "billions", "active_parameters": "billions",
}  # fmt: skip


def _compare(data: _Data, claim: CompareClaim, as_of: dt.date) -> Verdict:
    unit = UNITS.get(claim.field)
    what = f"{claim.field} ({unit})" if unit else claim.field
    if claim.field in PARTIAL_DATE_FIELDS:
        # models' stated cutoffs (or literal partial dates), ordered at their precision
        left = _field_side(data, claim.left, claim.field, as_of)
        right = _field_side(data, claim.right, claim.field, as_of)
        ev = {"field": claim.field, "as_of": as_of,
              "left": _side_evidence(left), "right": _side_evidence(right)}  # fmt: skip
        return judge_partial_compare(claim.field, left, right, claim.op, claim.tolerance, ev)
    if claim.field in MODEL_FIELDS:
        left = _field_side(data, claim.left, claim.field, as_of)
        right = _field_side(data, claim.right, claim.field, as_of)
        ev = {"field": claim.field, "unit": unit, "as_of": as_of,
              "left": _side_evidence(left), "right": _side_evidence(right)}  # fmt: skip
        return judge_compare(what, left, right, claim.op, claim.tolerance, ev)
    spec = get_domain(claim.field)
    tried = []
    # Only the two sides' models: each arena entry then compares them on the newest board that
    # holds one of them (not on a board that cut both off).
    claim_sides = [s for s in (claim.left, claim.right) if isinstance(s, Side)]
    allowed = frozenset(
        mid for mid, m in data.models.items() if any(_side_has(s, mid, m) for s in claim_sides)
    )
    for ev_entry in load_evidence(data.reader, spec, as_of, allowed=allowed):
        tried.append(ev_entry.label)
        left, lp = _point_side(data, claim.left, ev_entry, spec.higher_is_better)
        right, rp = _point_side(data, claim.right, ev_entry, spec.higher_is_better)
        if left is None or right is None:
            continue
        evidence: dict[str, Any] = {
            "domain": spec.id, "evidence": ev_entry.label, "unit": ev_entry.unit,
            "source": ev_entry.source, "date": ev_entry.at, "as_of": as_of,
            "left": _side_evidence(left), "right": _side_evidence(right),
        }  # fmt: skip
        sig, test = None, None
        if lp is not None and rp is not None:
            sig, test, _ = significance(lp, rp, spec.higher_is_better)
            evidence["significant"], evidence["test"] = sig, test
        what = f"{spec.id} ({ev_entry.label}, {ev_entry.unit})"
        return judge_compare(
            what, left, right, claim.op, claim.tolerance, evidence, significant=sig, test=test
        )
    sides = " and ".join(
        s.describe() if isinstance(s, Side) else str(s) for s in (claim.left, claim.right)
    )
    why = f"no evidence of {spec.id} scores both {sides} as of {as_of} (tried: {', '.join(tried)})"
    return Verdict(INSUFFICIENT, why, {"domain": spec.id, "as_of": as_of, "tried": tried})


def _among(among: Among | None, models: dict[str, dict[str, Any]]) -> frozenset[str] | None:
    """The models a leader claim's ``among`` considers (None: all). The evidence reader applies
    its board rules to them, so a restricted claim is judged on the newest board holding one."""
    if among is None:
        return None
    return frozenset(
        mid
        for mid, m in models.items()
        if (among.open_weights is None or m["open_weights"] is among.open_weights)
        and (among.ecosystem is None or m["ecosystem"] == among.ecosystem)
        and (among.kind is None or m["kind"] == among.kind)
    )


def _leader(data: _Data, claim: LeaderClaim, as_of: dt.date) -> Verdict:
    spec = get_domain(claim.domain)
    allowed = _among(claim.among, data.models)
    evidences = load_evidence(data.reader, spec, as_of, allowed=allowed)
    result = decide_domain(spec, as_of, evidences, claim.by)
    among = ""
    if claim.among is not None:
        among = ", ".join(
            f"{k}={str(v).lower() if isinstance(v, bool) else v}"
            for k, v in claim.among.model_dump(exclude_none=True).items()
        )
    return judge_leader(result, claim.expect, among)


def _trend(data: _Data, claim: TrendClaim, as_of: dt.date) -> Verdict:
    by = "openness" if {claim.a, claim.b} <= set(OPENNESS) else "ecosystem"
    until = min(claim.to, as_of)
    report = gap_report(
        data.con,
        claim.domain,
        claim.a,
        claim.b,
        by,
        since=claim.since,
        until=until,
        reader=data.reader,
    )
    series = [GapPoint(**g) for g in report["series"]]
    months = max(1, math.ceil((until - claim.since).days / DAYS_PER_MONTH))
    t = trend(series, months)
    known = [g for g in series if g.gap is not None]
    ends = [dataclasses.asdict(g) for g in (known[:1] + known[-1:])]
    evidence = {
        "domain": claim.domain, "by": by, "evidence": report["evidence"], "unit": report["unit"],
        "from": claim.since, "to": until, "points": len(known), "first": ends[:1],
        "last": ends[-1:], "trend": dataclasses.asdict(t),
    }  # fmt: skip
    return judge_trend(t, claim.expect, claim.a, claim.b, evidence)


def _policy(claim: PolicyClaim, as_of: dt.date) -> Verdict:
    """Events of the claim's jurisdiction and kind (and target) dated on or before as_of."""
    matched = [
        {"id": e.id, "date": e.date, "kind": e.kind, "summary": e.summary,
         "source": {"source": "kb", "url": e.source, "as_of": e.date}}
        for e in load_timeline()
        if e.jurisdiction == claim.jurisdiction and e.date <= as_of
        and (claim.event is None or e.kind == claim.event)
        and (claim.revokes is None or e.revokes == claim.revokes)
        and (claim.amends is None or e.amends == claim.amends)
    ]  # fmt: skip
    parts = [claim.event or "event", f"revoking {claim.revokes}" if claim.revokes else "",
             f"amending {claim.amends}" if claim.amends else ""]  # fmt: skip
    what = f"{claim.jurisdiction} " + " ".join(p for p in parts if p)
    return judge_policy(matched, claim.expect, what, as_of)


def _judge(data: _Data, claim: Claim, as_of: dt.date) -> Verdict:
    if isinstance(claim, FactClaim):
        return _fact(data, claim, as_of)
    if isinstance(claim, CompareClaim):
        return _compare(data, claim, as_of)
    if isinstance(claim, LeaderClaim):
        return _leader(data, claim, as_of)
    if isinstance(claim, PolicyClaim):
        return _policy(claim, as_of)
    return _trend(data, claim, as_of)


def check_text(
    con: duckdb.DuckDBPyConnection,
    text: str,
    *,
    as_of: dt.date | None = None,
    name: str = "<claims>",
    resolver: Resolver | None = None,
    budget: Budget | None = None,
    sizes: Sizes | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Verdicts of every claim in a claims file's text (``as_of`` overrides every claim's date;
    ``progress(done, total)`` is called after each claim).

    Each result: id, text, kind, as_of, verdict, explanation, evidence. A malformed file or an
    unknown name raises DataError before any claim is judged; with a ``budget``, a file priced
    over it raises BudgetError before anything is resolved, and a check that overruns its CPU
    time stops. A server passes the ``resolver`` and ``sizes`` it keeps; otherwise each is
    built once per call.
    """
    claims = parse_claims(text, name)
    domains = load_domains()
    if budget is not None:  # priced from the parsed claims: nothing is resolved or read yet
        sizes = sizes or read_sizes(con, domains.values())
        budget.check(estimate(claims, domains, sizes, as_of))
    names = _Names(con, name, resolver)
    resolved = [names.resolve(i, c) for i, c in enumerate(claims)]
    data = _Data(con)
    data.reader.frames(benchmarks_read(resolved, domains))  # every benchmark in one query
    start = time.thread_time()
    out = []
    for original, claim in zip(claims, resolved, strict=True):
        date = as_of or claim.as_of
        v = _judge(data, claim, date)
        out.append({
            "id": claim.id, "text": original.text, "kind": claim.kind, "as_of": date,
            "verdict": v.verdict, "explanation": v.explanation, "evidence": v.evidence,
        })  # fmt: skip
        if budget is not None:
            budget.check_cpu(time.thread_time() - start, len(out), len(claims))
        if progress is not None:
            progress(len(out), len(claims))
    return out


def check_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    as_of: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Verdicts of a claims file (size checked before reading it whole)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise DataError(f"file is {size:,} bytes; the limit is {MAX_BYTES:,}", file=str(p))
        raw = p.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", file=str(p)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason})", file=str(p)) from None
    return check_text(con, text, as_of=as_of, name=str(p), progress=progress)
