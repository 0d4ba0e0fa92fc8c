"""Inputs of the interactive tools (advisor, claims, compare, search filters), validated.

HTML forms send blank fields as empty strings, so form values arrive as bounded strings and are
parsed here (a blank is "not set"); anything malformed is a UserError (422). The advisor and the
claims checker are imported lazily: the web app works without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qs

import duckdb
from fastapi import Depends, Query

from wholeads.analysis.shortlist import check_limit
from wholeads.errors import DataError, UserError, WholeadsError
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.web import params, views
from wholeads.web.state import AppState

KINDS = ("model", "lab", "benchmark")
Short = Query(None, max_length=40)


@dataclass(frozen=True)
class AdvisorQuery:
    """The advisor's inputs (see wholeads.query.advice.advise)."""

    task: str | None
    open_weights: bool | None
    license: str | None
    max_price: float | None
    min_context: int | None
    vram_gb: float | None
    exclude_countries: tuple[str, ...]
    ecosystems: tuple[str, ...]
    as_of: dt.date | None
    top: int


def _number(value: str | None, name: str, kind: type[float] | type[int] = float) -> Any:
    if value is None or not value.strip():
        return None
    try:
        number = kind(value.strip())
    except ValueError:
        raise UserError(f"{name}: '{value}' is not a number") from None
    return check_limit(number, name)


def _codes(values: list[str] | None) -> tuple[str, ...]:
    """Country codes, from repeated fields or one comma-separated field."""
    out = [c.strip().upper() for v in values or [] for c in v.split(",") if c.strip()]
    for code in out:
        if len(code) != 2 or not code.isalpha():
            raise UserError(f"exclude_countries: '{code}' is not a two-letter country code")
    return tuple(out)


def advisor_query(
    task: str | None = Query(None, max_length=40, description="A domain id, e.g. coding."),
    open_weights: str | None = Query(None, max_length=5, description="yes / no / blank."),
    license: str | None = Query(None, max_length=60),
    max_price: str | None = Query(None, max_length=20, description="USD per 1M tokens (3:1)."),
    min_context: str | None = Query(None, max_length=20, description="Tokens."),
    vram_gb: str | None = Query(None, max_length=20, description="GPU memory to run it in."),
    exclude_countries: list[str] | None = Query(None, max_length=50),
    ecosystems: list[str] | None = Query(None, max_length=10),
    as_of: str | None = params.AsOf,
    top: int = Query(10, ge=1, le=50),
) -> AdvisorQuery:
    """The advisor's query parameters, validated."""
    flag = (open_weights or "").strip().lower()
    if flag not in {"", "yes", "no", "true", "false"}:
        raise UserError(f"open_weights: '{open_weights}' must be yes, no or blank")
    return AdvisorQuery(
        task=params.domain_id(task) if task else None,
        open_weights=None if not flag else flag in {"yes", "true"},
        license=(license or "").strip() or None,
        max_price=_number(max_price, "max_price"),
        min_context=_number(min_context, "min_context", int),
        vram_gb=_number(vram_gb, "vram_gb"),
        exclude_countries=_codes(exclude_countries),
        ecosystems=tuple(params.ecosystem(e) for e in ecosystems or [] if e),
        as_of=params.as_of_date(as_of),
        top=top,
    )


AdvisorDep = Depends(advisor_query)


def run_advisor(cur: duckdb.DuckDBPyConnection, q: AdvisorQuery) -> dict[str, Any]:
    """The advisor's answer (or, with no task yet, just the echoed query)."""
    if q.task is None:
        return {"query": asdict(q), "result": None}
    try:
        from wholeads.query.advice import advise
    except ImportError:
        raise WholeadsError("the advisor is not available in this build") from None
    fields = {k: v for k, v in asdict(q).items() if k != "task"}
    return {"query": asdict(q), "result": advise(cur, task=q.task, **fields)}


def posted_yaml(body: bytes, content_type: str, what: str, empty: str) -> str:
    """A posted YAML file (claims, a watch list) from a text body or a form post (field
    'yaml'); ``what`` names it in errors, ``empty`` says what to do when nothing was sent."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{what}: the body is not UTF-8 text") from None
    if content_type.startswith("application/x-www-form-urlencoded"):
        text = parse_qs(text).get("yaml", [""])[0]
    if not text.strip():
        raise UserError(f"{what}: {empty}")
    return text


def claims_text(body: bytes, content_type: str) -> str:
    """The claims YAML from a text body or a form post (field 'yaml')."""
    return posted_yaml(body, content_type, "claims", "paste some claims (YAML) first")


def run_claims(state: AppState, text: str, as_of: dt.date | None) -> list[dict[str, Any]]:
    """Verdicts on a pasted claims file, within the web's budget (``claims_budget.WEB_BUDGET``):
    a file priced over it is refused (BudgetError, 413) before any claim is judged. The
    resolver and the database's sizes are built once per server."""
    try:
        from wholeads.claims.budget import WEB_BUDGET
        from wholeads.claims.checker import check_text
        from wholeads.kb.domains import load_domains
        from wholeads.query.claim_sizes import read_sizes
    except ImportError:
        raise WholeadsError("the claims checker is not available in this build") from None
    resolver = state.lab_resolver()
    with state.cursor() as cur:
        sizes = state.page_cache.get(
            "claim-sizes", lambda: read_sizes(cur, load_domains().values())
        )
        try:
            results: list[dict[str, Any]] = check_text(
                cur, text, as_of=as_of, name="<web>", resolver=resolver, budget=WEB_BUDGET,
                sizes=sizes,
            )  # fmt: skip
        except DataError as exc:  # the pasted YAML is the user's input, not a data file of ours
            raise UserError(str(exc)) from None
    return results


def domain_page(state: AppState, domain: str, as_of: str | None, by: str) -> dict[str, Any]:
    """The data of /domain/{domain} (page and API) from its raw parameters, validated."""
    date, group_by, dom = params.as_of_date(as_of), params.grouping(by), params.domain_id(domain)
    with state.cursor() as cur:
        return views.domain_data(state, cur, dom, date, group_by)


@dataclass(frozen=True)
class CompareQuery:
    """The two sides of /compare, whether they are ecosystems or labs, and the date."""

    kind: str
    a: str
    b: str
    as_of: dt.date | None


def compare_query(
    a: str = Query("US", max_length=100),
    b: str = Query("CN", max_length=100),
    kind: str = Query("ecosystem", pattern="^(ecosystem|lab|model)$"),
    as_of: str | None = params.AsOf,
) -> CompareQuery:
    """The compare page's query parameters (its sides are validated by ``compare_pair``)."""
    return CompareQuery(kind=kind, a=a, b=b, as_of=params.as_of_date(as_of))


CompareDep = Depends(compare_query)


def compare_pair(state: AppState, kind: str, a: str, b: str) -> tuple[str, str]:
    """Two ecosystems (case-insensitive), two lab ids/names or two model ids/names, validated."""
    if kind == "ecosystem":
        return params.ecosystem(a), params.ecosystem(b)
    resolver = state.lab_resolver()
    if kind == "model":
        ids = []
        for name in (a, b):
            model_id = resolver.resolve(name).model_id if name.strip() else None
            if model_id is None:
                raise UserError(f"unknown model '{name}'; search for it with /search?q=")
            ids.append(model_id)
        return ids[0], ids[1]
    out = []
    for name in (a, b):
        lab_id = resolver.resolve_lab(name)
        if lab_id is None:
            raise UserError(f"unknown lab '{name}'; see /labs")
        out.append(lab_id)
    return out[0], out[1]


def search_kinds(kinds: list[str] | None) -> set[str] | None:
    for k in kinds or []:
        if k not in KINDS:
            raise UserError(f"kind: unknown '{k}'; use one of {', '.join(KINDS)}")
    return set(kinds) if kinds else None


def ecosystem_choices() -> list[str]:
    return ecosystem_ids()


def watch_text(body: bytes, content_type: str) -> str:
    """A watch file's YAML from a text body or a form post (field 'yaml')."""
    return posted_yaml(body, content_type, "watch", "the body is empty (send a watch file's YAML)")


def run_watch(
    state: AppState, text: str | None, as_of: dt.date | None, since: dt.date | None
) -> dict[str, Any]:
    """A watch file (the shipped example when ``text`` is None) over (since, as_of], as
    `wholeads watch --json` prints it."""
    from wholeads.claims.watchfile import EXAMPLE, parse_watch, read_watch
    from wholeads.query.watch import evaluate_watch, firing_dict

    try:  # the posted YAML is the user's input, not a data file of ours
        wf = read_watch(EXAMPLE) if text is None else parse_watch(text, "<body>")
        if since is not None and as_of is not None and since >= as_of:
            raise UserError(f"since: {since} is not before as_of {as_of}")
        with state.cursor() as cur:
            cs, firings = evaluate_watch(cur, wf, as_of, since)
    except DataError as exc:
        raise UserError(str(exc)) from None
    return {"file": "what-to-watch.yaml" if text is None else "<body>", "since": cs.since,
            "as_of": cs.until, "fired": sum(f.fired for f in firings),
            "rules": [firing_dict(f) for f in firings]}  # fmt: skip
