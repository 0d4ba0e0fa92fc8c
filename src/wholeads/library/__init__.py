"""wholeads as a Python library: the questions the CLI answers, as functions returning plain
dataclasses (``wholeads.library.records``) with ``rows()``, ``to_arrow()`` and ``to_pandas()``.

    import wholeads
    answer = wholeads.leaders(as_of="2026-05-08", domain="coding")
    answer.domains[0].leader            # 'US'
    answer.to_pandas()                  # one row per domain and group

Every function takes ``db`` (a database file; default $WHOLEADS_DB or the user data directory,
built on first use like the CLI does). Bad input (an unknown domain, group or source, a date in
the future or before the evidence, a negative price) raises ``wholeads.errors.UserError`` with
the reason; the CLI prints the same message. The CLI calls these functions: one implementation.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from wholeads.errors import UserError
from wholeads.library.checks import (
    check_group,
    checked_dates,
    non_negative,
    one_date,
    positive,
)
from wholeads.library.database import connect
from wholeads.library.records import (
    Advice,
    Frontier,
    GapSeries,
    Leaders,
    Models,
    Pareto,
    Verdict,
    Verdicts,
)

__all__ = [
    "EXAMPLE_CLAIMS",
    "Advice",
    "Frontier",
    "GapSeries",
    "Leaders",
    "Models",
    "Pareto",
    "Verdict",
    "Verdicts",
    "advise",
    "check",
    "frontier",
    "gap",
    "leaders",
    "models",
    "pareto",
]

DB = str | os.PathLike[str] | None
DateLike = str | dt.date | None
EXAMPLE_CLAIMS = Path(__file__).resolve().parents[1] / "claims" / "examples" / "us-china-2026.yaml"
"""The example claims file that ships in the package (36 statements of a 2026 article)."""


def _names(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def leaders(
    as_of: DateLike = None,
    domain: str | Sequence[str] | None = None,
    by: str = "ecosystem",
    source: str | None = None,
    *,
    benchmark: str | Sequence[str] | None = None,
    db: DB = None,
) -> Leaders:
    """Who leads each domain (all by default) at a date (default: the newest evidence): each
    group's best model with its interval, the gap, the verdict, the lag and the evidence.
    With ``benchmark``, the named benchmarks are asked instead, each like a domain of its own."""
    from wholeads.query.answers import check_by, domains_named, leaders_as_of
    from wholeads.query.benchmark_domains import benchmark_leaders

    date, names, benchmarks = one_date(as_of, "as_of"), _names(domain), _names(benchmark)
    group_by = check_by(by)
    if names and benchmarks:
        raise UserError("give a domain or a benchmark, not both")
    if benchmarks and source is not None:
        raise UserError("source: not available with a benchmark (one source each)")
    domains_named(names)  # an unknown domain fails before the database is opened
    with connect(db, needs_evidence=True) as con:
        checked_dates(con, {"as_of": date})
        if benchmarks:
            day, results = benchmark_leaders(con, benchmarks, date, group_by)
        else:
            day, results = leaders_as_of(con, date, names, group_by, source)
    return Leaders(as_of=day, by=group_by, domains=results)


def gap(
    domain: str | None = None,
    a: str = "US",
    b: str = "CN",
    by: str = "ecosystem",
    since: DateLike = None,
    until: DateLike = None,
    source: str | None = None,
    *,
    benchmark: str | None = None,
    db: DB = None,
) -> GapSeries:
    """Groups ``a`` and ``b``'s frontiers over time in one domain (or one benchmark): the gap
    and the lag at every date, and the 6- and 12-month trend of the gap."""
    from wholeads.query.answers import check_by, gap_report
    from wholeads.query.benchmark_domains import domain_or_benchmark

    start, end = one_date(since, "since"), one_date(until, "until")
    group_by = check_by(by)
    with connect(db, needs_evidence=True) as con:
        checked_dates(con, {"since": start, "until": end})
        for option, group in (("a", a), ("b", b)):
            check_group(con, option, group, group_by)
        target = domain_or_benchmark(con, domain, benchmark)
        out = gap_report(con, target, a, b, group_by, start, end, source)
    from wholeads.analysis.frontier import GapPoint, Trend

    series, trends = [GapPoint(**g) for g in out["series"]], [Trend(**t) for t in out["trend"]]
    return GapSeries(**{**out, "series": series, "trend": trends})


def frontier(
    domain: str | None = None,
    by: str = "ecosystem",
    since: DateLike = None,
    until: DateLike = None,
    source: str | None = None,
    *,
    benchmark: str | None = None,
    db: DB = None,
) -> Frontier:
    """Each group's running best over time in one domain (its first evidence with data), or
    on one benchmark."""
    from wholeads.query.answers import frontier_report
    from wholeads.query.benchmark_domains import domain_or_benchmark

    start, end = one_date(since, "since"), one_date(until, "until")
    with connect(db, needs_evidence=True) as con:
        checked_dates(con, {"since": start, "until": end})
        target = domain_or_benchmark(con, domain, benchmark)
        return Frontier(**frontier_report(con, target, by, start, end, source))


def pareto(
    domain: str,
    as_of: DateLike = None,
    by: str = "ecosystem",
    threshold: float | None = None,
    price_cap: float | None = None,
    *,
    db: DB = None,
) -> Pareto:
    """Score against blended price (3 input : 1 output, USD per 1M tokens) per group: the Pareto
    frontier, the cheapest model at or above ``threshold``, the best under ``price_cap``."""
    from wholeads.query.answers import pareto_report

    date = one_date(as_of, "as_of")
    non_negative("price_cap", price_cap)
    with connect(db, needs_evidence=True) as con:
        checked_dates(con, {"as_of": date})
        return Pareto(**pareto_report(con, domain, date, by, threshold, price_cap))


def models(
    lab: str | None = None,
    ecosystem: str | None = None,
    country: str | None = None,
    open_weights: bool | None = None,
    kind: str | None = None,
    released_after: DateLike = None,
    released_before: DateLike = None,
    min_context: int | None = None,
    include_provisional: bool = False,
    *,
    db: DB = None,
) -> Models:
    """Models matching every filter given, newest first (curated ones unless
    ``include_provisional``: also those known only from sources)."""
    from wholeads.library.checks import check_model_filter
    from wholeads.query.catalog import ModelFilter, list_models

    flt = ModelFilter(
        lab=lab, ecosystem=ecosystem, country=country, open_weights=open_weights, kind=kind,
        released_after=one_date(released_after, "released_after"),
        released_before=one_date(released_before, "released_before"),
        min_context=min_context, include_provisional=include_provisional,
    )  # fmt: skip
    check_model_filter(flt)
    with connect(db) as con:
        return Models(list_models(con, flt))


def check(
    claims: str | os.PathLike[str] | None = None,
    as_of: DateLike = None,
    *,
    text: str | None = None,
    db: DB = None,
    progress: Callable[[int, int], None] | None = None,
) -> Verdicts:
    """Verdicts on a claims file (a path, or its YAML as ``text``); ``as_of`` overrides every
    claim's date; ``progress(done, total)`` follows the claims. A malformed file raises
    ``DataError`` naming the file, claim and field."""
    from wholeads.claims.checker import check_file, check_text

    if (claims is None) == (text is None):
        from wholeads.errors import UserError

        raise UserError("check: give a claims file or its text, not both")
    date = one_date(as_of, "as_of")
    with connect(db, needs_evidence=True) as con:
        checked_dates(con, {"as_of": date})
        results = (
            check_text(con, text, as_of=date, progress=progress)
            if text is not None
            else check_file(con, Path(os.fspath(claims)), date, progress)  # type: ignore[arg-type]
        )
    fields = [f.name for f in Verdict.__dataclass_fields__.values()]
    return Verdicts([Verdict(**{k: r[k] for k in fields}) for r in results])


def advise(
    task: str,
    open_weights: bool | None = None,
    license: str | None = None,
    max_price: float | None = None,
    min_context: int | None = None,
    vram_gb: float | None = None,
    exclude_countries: Sequence[str] = (),
    ecosystems: Sequence[str] = (),
    as_of: DateLike = None,
    top: int = 10,
    *,
    db: DB = None,
) -> Advice:
    """A shortlist of models for a task (a domain id) under constraints, across ecosystems, with
    each ecosystem's best pick and why the models that outrank the shortlist were excluded."""
    from wholeads.query.advice import advise as shortlist

    date = one_date(as_of, "as_of")
    non_negative("max_price", max_price)
    non_negative("vram_gb", vram_gb)
    positive("min_context", min_context)
    positive("top", top)
    with connect(db, needs_evidence=True) as con:
        checked_dates(con, {"as_of": date})
        out: dict[str, Any] = shortlist(
            con, task=task, open_weights=open_weights, license=license, max_price=max_price,
            min_context=min_context, vram_gb=vram_gb, exclude_countries=exclude_countries,
            ecosystems=ecosystems, as_of=date, top=top,
        )  # fmt: skip
    return Advice(**out)
