"""The advisor's I/O: "how to take advantage of both" as a ranked shortlist across ecosystems.

The candidate pool is every model scored by the domain's primary evidence as of the date (the
evidence `wholeads leaders` uses for that domain, with the same no-look-ahead rules), so the score
that ranks a model is the one that names the domain's leader. Constraints are applied first, then
the evidence's board rule to the models that meet them: an arena ranks them on the newest board
holding one of them (a top-N scrape that cut off every small open model does not empty the
shortlist; a deep board of the last weeks beats a top-20 scrape of today). Facts (license,
parameters, context) come from the `models` table, prices from the
prices in force on the date. The pure part (constraints, memory, ranking, reasons) is
``wholeads.analysis.shortlist``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import duckdb

from wholeads.analysis.points import Evidence, Point
from wholeads.analysis.shortlist import (
    BITS,
    PERMISSIVE_LICENSES,
    RUNTIME_OVERHEAD,
    Candidate,
    apply_constraints,
    best_by_ecosystem,
    check_limit,
    constraints_for,
    is_permissive,
    rank,
    shortlist,
    why_chosen,
)
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, EvidenceSpec, get_domain
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.query.answers import decide_domain
from wholeads.query.catalog import rows_as_dicts
from wholeads.query.evidence import Reader, load_evidence, load_one, prices_at, widest_board

MEMORY_NOTE = (
    f"memory = total parameters x bits/8 bytes x {RUNTIME_OVERHEAD:g} (runtime overhead: KV cache "
    "at a modest context, activations, buffers); GB = 10^9 bytes. A mixture-of-experts model needs "
    "ALL its experts in memory: the total, not the active, parameter count sets the memory."
)


def _primary(
    reader: Reader, spec: DomainSpec, as_of: dt.date
) -> tuple[EvidenceSpec, Evidence] | None:
    """The entry that names the domain's leader as of the date (else the first with points)."""
    evidences = load_evidence(reader, spec, as_of)
    result = decide_domain(spec, as_of, evidences, "ecosystem")
    pairs = list(zip(spec.evidence, evidences, strict=True))
    chosen = next((p for p in pairs if p[1].label == result.primary), None)
    return chosen or next((p for p in pairs if p[1].points), None)


def candidates(
    con: duckdb.DuckDBPyConnection,
    spec: DomainSpec,
    as_of: dt.date,
    allowed: frozenset[str] | None = None,
    reader: Reader | None = None,
) -> tuple[Evidence | None, list[Candidate]]:
    """The models of the domain's primary evidence with their facts and price on the date:
    everyone it rated (each on its newest board), or with ``allowed`` only those models, ranked
    on the recent board that holds most of them (``evidence.widest_board``)."""
    reader = reader or Reader(con)
    found = _primary(reader, spec, as_of)
    if found is None:
        return None, []
    entry_spec, ev = found
    if allowed is not None:
        board = widest_board(reader, spec, entry_spec, as_of, allowed, spec.freshness_days)
        ev = load_one(reader, spec, entry_spec, board or as_of, allowed=allowed)
        points = list(ev.points)
    else:
        points = [*ev.points, *ev.last_seen]
    return ev, _with_facts(con, reader, ev, points, as_of)


def _with_facts(
    con: duckdb.DuckDBPyConnection,
    reader: Reader,
    ev: Evidence,
    points: Sequence[Point],
    as_of: dt.date,
) -> list[Candidate]:
    ids = [p.model_id for p in points]
    prices = prices_at(reader, ids, as_of)
    rows = con.execute(
        """SELECT m.id, m.name, l.country, m.license, m.context_window, m.params_total_b,
                  m.params_active_b, m.architecture
           FROM models m LEFT JOIN labs l ON l.id = m.lab_id
           WHERE m.id IN (SELECT unnest(?::VARCHAR[]))""",
        [ids],
    )
    facts = {f["id"]: f for f in rows_as_dicts(rows)}
    out = []
    for p in points:
        f = facts.get(p.model_id, {})
        out.append(Candidate(
            model_id=p.model_id, name=f.get("name"), lab_id=p.lab_id, country=f.get("country"),
            ecosystem=p.ecosystem, score=p.value, ci_low=p.ci_low, ci_high=p.ci_high,
            evidence=ev.label, source=p.source, date=p.date, price=prices.get(p.model_id),
            context_window=f.get("context_window"), license=f.get("license"),
            open_weights=p.open_weights, params_total_b=f.get("params_total_b"),
            params_active_b=f.get("params_active_b"), architecture=f.get("architecture"),
        ))  # fmt: skip
    return out


def _memory_basis(c: Candidate) -> str:
    if c.params_total_b is None:
        return "parameter count not disclosed"
    moe = c.architecture == "moe" or (
        c.params_active_b is not None and c.params_active_b < c.params_total_b
    )
    if moe:
        active = f"{c.params_active_b:g}B" if c.params_active_b is not None else "fewer"
        return f"MoE: all {c.params_total_b:g}B total params in memory ({active} active per token)"
    return f"dense: {c.params_total_b:g}B params"


def entry(c: Candidate, why: str | None = None) -> dict[str, Any]:
    """One model as the shortlist shows it."""
    return {
        **dataclasses.asdict(c),
        "interval": "95% CI" if c.ci_low is not None and c.ci_high is not None
        else "no interval available",
        "price_usd_per_mtok": c.price, "permissive": is_permissive(c.license),
        "memory_gb": c.memory(), "memory_basis": _memory_basis(c), "why": why,
    }  # fmt: skip


def _check_inputs(
    exclude_countries: Sequence[str], ecosystems: Sequence[str], top: int
) -> tuple[list[str], list[str]]:
    known = {e.casefold(): e for e in ecosystem_ids()}
    ecos = []
    for e in ecosystems:
        if e.casefold() not in known:
            raise UserError(f"--ecosystem: unknown '{e}'; known: {', '.join(known.values())}")
        ecos.append(known[e.casefold()])
    countries = []
    for cc in exclude_countries:
        if not re.fullmatch(r"[A-Za-z]{2}", cc):
            raise UserError(f"--exclude-country: '{cc}' is not an ISO 3166 two-letter code")
        countries.append(cc.upper())
    if top < 1:
        raise UserError("--top: must be at least 1")
    return countries, ecos


def advise(
    con: duckdb.DuckDBPyConnection,
    *,
    task: str,
    open_weights: bool | None = None,
    license: str | None = None,
    max_price: float | None = None,
    min_context: int | None = None,
    vram_gb: float | None = None,
    exclude_countries: Sequence[str] = (),
    ecosystems: Sequence[str] = (),
    as_of: dt.date | None = None,
    top: int = 10,
) -> dict[str, Any]:
    """A ranked shortlist for a task (a domain id) under constraints, spanning ecosystems, with
    each ecosystem's best pick side by side and every excluded model's reason.

    When the constraints exclude everything the shortlist is empty and ``binding_constraint``
    names the constraint that removed the last candidates.
    """
    spec = get_domain(task)
    countries, ecos = _check_inputs(exclude_countries, ecosystems, top)
    for value, flag in ((max_price, "--max-price"), (min_context, "--min-context"),
                        (vram_gb, "--vram")):  # fmt: skip
        check_limit(value, flag)
    reader = Reader(con)
    date = as_of or reader.latest_date()
    ev, pool = candidates(con, spec, date, reader=reader)
    constraints = constraints_for(
        open_weights=open_weights, license=license, max_price=max_price,
        min_context=min_context, vram_gb=vram_gb, exclude_countries=countries, ecosystems=ecos,
    )  # fmt: skip
    filtered = apply_constraints(pool, constraints)
    older: list[str] = []
    if constraints and filtered.kept:
        # Rank the models that meet the constraints on one board: the newest holding one.
        kept = frozenset(c.model_id for c in filtered.kept)
        ev, on_board = candidates(con, spec, date, allowed=kept, reader=reader)
        older = sorted(kept - {c.model_id for c in on_board})
        filtered = dataclasses.replace(filtered, kept=on_board)
    by_id = {c.model_id: c for c in pool}
    sign = -1 if spec.higher_is_better else 1
    excluded: list[dict[str, Any]] = sorted(
        ({**x, "ecosystem": by_id[x["model_id"]].ecosystem, "score": by_id[x["model_id"]].score}
         for x in filtered.excluded),
        key=lambda x: (sign * float(x["score"]), str(x["model_id"])),
    )  # fmt: skip
    ranked = rank(filtered.kept, spec.higher_is_better)
    picks = shortlist(ranked, top)
    eco_rank: dict[str, int] = {}
    position = {c.model_id: i + 1 for i, c in enumerate(ranked)}
    for c in ranked:
        eco_rank[c.model_id] = sum(
            1 for x in ranked[: position[c.model_id]] if x.ecosystem == c.ecosystem
        )
    unit = ev.unit if ev else spec.unit
    rows = [
        entry(c, why_chosen(c, position[c.model_id], eco_rank[c.model_id], unit)) for c in picks
    ]
    best = best_by_ecosystem(ranked)
    by_eco: dict[str, dict[str, Any] | None] = {}
    notes: dict[str, str] = {}
    reasons = {x["model_id"]: x for x in filtered.excluded}
    for eco in ecosystem_ids():
        pick = best.get(eco)
        by_eco[eco] = (
            None
            if pick is None
            else entry(pick, why_chosen(pick, position[pick.model_id], 1, unit))
        )
        if pick is None:
            mine = [p for p in pool if p.ecosystem == eco]
            top_reasons = Counter(reasons[p.model_id]["constraint"] for p in mine)
            notes[eco] = (
                f"no {eco} model in {ev.label if ev else 'the evidence'}" if not mine else
                f"all {len(mine)} {eco} models excluded: " +
                ", ".join(f"{k} ({n})" for k, n in top_reasons.most_common())
            )  # fmt: skip
    return {
        "task": task, "name": spec.name, "as_of": date,
        "evidence": None if ev is None else {
            "label": ev.label, "source": ev.source, "date": ev.at, "unit": ev.unit,
            "higher_is_better": ev.higher_is_better,
            "board": None if ev.board is None else dataclasses.asdict(ev.board),
            "age_days": None if ev.at is None else (date - ev.at).days,
        },
        "not_on_board": older,
        "constraints": [c.name for c in constraints], "pool": len(pool),
        "shortlist": rows, "best_by_ecosystem": by_eco, "ecosystem_notes": notes,
        "excluded": excluded, "binding_constraint": filtered.binding_constraint,
        "remaining_after": [{"constraint": n, "remaining": k} for n, k in filtered.remaining_after],
        "memory": {"bits": list(BITS), "overhead": RUNTIME_OVERHEAD, "note": MEMORY_NOTE},
        "permissive_licenses": sorted(PERMISSIVE_LICENSES),
    }  # fmt: skip
