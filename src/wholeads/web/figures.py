"""The standard figures' JSON API (`/api/figures/...`): the gap in points, percent and win
probability; top vs k-th; the average lag with its interval; home field; training compute;
benchmark gaps; availability; forecasts; notable models per ecosystem per year.

The same answers as `wholeads gap`, `spread`, `lag` and `home-field` (wholeads.query), each read
on its own cursor; bad parameters are 422 with a message (see params.py). Each route's
description states its method and its uncertainty.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from wholeads.convert import parse_date
from wholeads.errors import UserError
from wholeads.query.answers import gap_report
from wholeads.query.availability import availability_report
from wholeads.query.benchmark_domains import benchmark_leaders, domain_or_benchmark, year_end_gaps
from wholeads.query.figures import (
    compute_report,
    forecast_report,
    home_field_report,
    lag_report,
    notable_report,
    spread_report,
)
from wholeads.web import params
from wholeads.web.api import json_response, state_of
from wholeads.web.errors import DEFAULT_ERRORS

router = APIRouter(prefix="/api/figures", tags=["figures"], responses=DEFAULT_ERRORS)

FromQ = Query(None, alias="from", max_length=10, description="YYYY-MM-DD: the window's start.")
ToQ = Query(None, alias="to", max_length=10, description="YYYY-MM-DD (default: newest evidence).")
GroupQ = Query(..., max_length=100)


def _day(value: str | None, name: str) -> dt.date | None:
    """A window bound, not before 2000 and not in the future (the message names the parameter)."""
    if not value:
        return None
    day = parse_date(value, name)
    assert day is not None
    if day < params.EARLIEST or day > dt.date.today():
        raise UserError(
            f"{name}: {day} is out of range; use a date from {params.EARLIEST} to today"
        )
    return day


def _window(start: str | None, end: str | None) -> tuple[dt.date | None, dt.date | None]:
    return _day(start, "from"), _day(end, "to")


@router.get("/gap", summary="The gap over time in points, percent and win probability")
def gap(
    request: Request,
    domain: str | None = Query(None, max_length=64, description="Domain id (default: general)."),
    benchmark: str | None = Query(None, max_length=100, description="Or any benchmark id."),
    a: str = Query("US", max_length=100),
    b: str = Query("CN", max_length=100),
    by: str = params.ByQ,
    start: str | None = FromQ,
    end: str | None = ToQ,
) -> Response:
    """At every date of the domain's gap evidence: a's best minus b's best in points, in percent
    of the trailing best (the AI Index's form; Elo and percent scales) and, on Elo, the win
    probability 1/(1+10^(-gap/400)); the lag is Epoch's horizontal gap. A group cut off a top-N
    board gives a bound (`gap_at_least`), not a value."""
    group_by = params.grouping(by)
    if domain is None and benchmark is None:
        domain = "general"
    if domain is not None:
        params.domain_id(domain)
    since, until = _window(start, end)
    with state_of(request).cursor() as cur:
        target = domain_or_benchmark(cur, domain, benchmark)
        return json_response(gap_report(cur, target, a, b, group_by, since, until))


@router.get("/spread", summary="Top vs k-th: the best minus the k-th best model over time")
def spread(
    request: Request,
    domain: str = Query("general", max_length=64),
    k: int = Query(10, ge=2, le=100),
    by: str = params.ByQ,
    start: str | None = FromQ,
    end: str | None = ToQ,
) -> Response:
    """On each board: best minus k-th best, for the whole field ('all') and each group, in
    points and in percent of the k-th best, with a 95% interval from both models' intervals
    (normal approximation). Fewer than k models: no spread, or on a top-N board a bound."""
    dom, group_by = params.domain_id(domain), params.grouping(by)
    since, until = _window(start, end)
    with state_of(request).cursor() as cur:
        return json_response(spread_report(cur, dom, k, group_by, since, until))


@router.get("/lag", summary="The average lag over a window, with a 95% interval")
def lag(
    request: Request,
    domain: list[str] | None = Query(None, max_length=20, description="Domain ids (all if none)."),
    start: str | None = FromQ,
    end: str | None = ToQ,
) -> Response:
    """Per domain, US vs CN and closed vs open: Epoch's horizontal gap sampled on the first of
    every month of the window (default: the last 12 months) and averaged; the interval is a
    moving-block bootstrap of the monthly samples (3-month blocks, 2,000 resamples, fixed
    seed)."""
    wanted = [params.domain_id(d) for d in domain or []] or None
    since, until = _window(start, end)
    with state_of(request).cursor() as cur:
        return json_response(lag_report(cur, wanted, since, until))


@router.get("/home-field", summary="Chinese- vs English-prompt gap, with its interval")
def home_field(
    request: Request,
    a: str = Query("US", max_length=100),
    b: str = Query("CN", max_length=100),
    start: str | None = FromQ,
    end: str | None = ToQ,
) -> Response:
    """On every date with both an LMArena Chinese-prompt and an English-prompt board: a's best
    minus b's best on each, and the difference (negative: b does relatively better in Chinese),
    with a 95% interval from the four models' intervals, the two categories taken as
    independent (disjoint prompts, fitted separately)."""
    a, b = params.ecosystem(a), params.ecosystem(b)
    since, until = _window(start, end)
    with state_of(request).cursor() as cur:
        return json_response(home_field_report(cur, a, b, since, until))


@router.get("/compute", summary="Training compute by ecosystem: frontier, growth, months behind")
def compute(
    request: Request,
    k: int = Query(10, ge=1, le=100),
    a: str = Query("US", max_length=100),
    b: str = Query("CN", max_length=100),
    start: str | None = FromQ,
    end: str | None = ToQ,
) -> Response:
    """Epoch's method: a model is on its ecosystem's top-k rolling frontier when, at its release,
    it is among the k largest disclosed training runs of that ecosystem so far; growth per year
    = 10^slope of a least-squares fit of log10(FLOP) on the release date (from 2018 by default),
    with a 95% interval 10^(slope +- 1.96 se); months behind = how long before the newest run a's
    fitted trend stood at b's fitted level then."""
    a, b = params.ecosystem(a), params.ecosystem(b)
    since, until = _window(start, end)
    with state_of(request).cursor() as cur:
        return json_response(compute_report(cur, k, since, until, a, b))


@router.get("/benchmark-leaders", summary="Leaders on any benchmark, asked like a domain")
def leaders_on_benchmarks(
    request: Request,
    benchmark: list[str] = Query(..., max_length=20, description="Benchmark ids."),
    as_of: str | None = params.AsOf,
    by: str = params.ByQ,
) -> Response:
    """Each benchmark as a one-entry domain under the evidence engine's rules: an arena board by
    board (plain ratings), a static benchmark with each model's newest usable score (its best
    across settings); the gap, its significance and lag as in /api/leaders."""
    date, group_by = params.as_of_date(as_of), params.grouping(by)
    with state_of(request).cursor() as cur:
        _, results = benchmark_leaders(cur, benchmark, date, group_by)
    return json_response([r.to_dict() for r in results])


@router.get("/benchmark-gaps", summary="Benchmark-level gaps at the end of each year")
def benchmark_gaps(
    request: Request,
    benchmark: list[str] | None = Query(None, max_length=200, description="Ids (all if none)."),
    first_year: int = Query(2023, ge=2000, le=2100),
    a: str = Query("US", max_length=100),
    b: str = Query("CN", max_length=100),
    end: str | None = ToQ,
) -> Response:
    """Every benchmark's best a and best b model on 31 December of each year and at `to`, the
    gap in points and in percent of the trailing best, and the verdict (significant lead,
    statistical tie, or not tested where no interval exists); no gap where a group has no
    usable score."""
    a, b = params.ecosystem(a), params.ecosystem(b)
    until = _day(end, "to")
    with state_of(request).cursor() as cur:
        return json_response(year_end_gaps(cur, benchmark, first_year, until, a, b))


@router.get("/availability", summary="Providers per model and per ecosystem; memory budget")
def availability(
    request: Request,
    as_of: str | None = params.AsOf,
    memory_gb: float | None = Query(None, gt=0, le=100_000, description="GB at 4 bits."),
    source: str | None = params.SourceQ,
) -> Response:
    """A provider serves a model on a date when a catalog lists a price for it there, valid on
    that date (provider spellings merged); catalog entries without a price do not count, so the
    counts are lower bounds. With `memory_gb`: the open-weight models whose total parameters at
    4 bits (plus runtime overhead) fit. The default date is the newest catalog price."""
    st = state_of(request)
    date, src = params.as_of_date(as_of), params.source_id(source, st.sources)
    with st.cursor() as cur:
        return json_response(availability_report(cur, date, memory_gb, src))


@router.get("/forecast", summary="Catch-up forecasts with their backtest and calibration")
def forecast(
    request: Request,
    domain: list[str] | None = Query(None, max_length=20, description="Domain ids (all if none)."),
    a: str = Query("US", max_length=100),
    b: str = Query("CN", max_length=100),
    end: str | None = ToQ,
    backtest_from: str | None = Query(None, max_length=10, description="First origin."),
) -> Response:
    """When the trailing ecosystem would reach today's leader: a least-squares line through
    its best on the first of each of the last 12 months, 95% interval from the slope's standard
    error. Backtest: the same forecast from monthly past origins, each from only what was known
    then, scored hit / miss / open against what happened; calibration = hits / (hits + misses)
    against a nominal 95%. A domain with fewer than 5 scored cases or a coverage below 80% gets
    status 'failed_backtest' and no date."""
    wanted = [params.domain_id(d) for d in domain or []] or None
    a, b = params.ecosystem(a), params.ecosystem(b)
    until, start = _day(end, "to"), _day(backtest_from, "backtest_from")
    with state_of(request).cursor() as cur:
        return json_response(forecast_report(cur, wanted, a, b, until, start))


@router.get("/notable", summary="Notable and frontier models per ecosystem per year (Epoch)")
def notable(
    request: Request,
    from_year: int | None = Query(None, ge=1950, le=2100, description="First year (2015)."),
    to_year: int | None = Query(None, ge=1950, le=2100, description="Last year (newest)."),
) -> Response:
    """Each model of Epoch's 'Notable AI Models' list by publication year, its organisations'
    countries mapped to ecosystems. Single-country: it counts for an ecosystem only when every
    country is in it (a model made across ecosystems counts for none). Any participation: it
    counts for every ecosystem that took part, so those counts add up to more than the number of
    models (`years[].any_total` vs `years[].notable`). Frontier: Epoch's 'Frontier model' flag.
    `catalogued`: every model wholeads catalogues by release year, catalogued by wholeads (not
    a notability measure). A year with no model of an ecosystem is 0. No interval: counts."""
    with state_of(request).cursor() as cur:
        return json_response(notable_report(cur, from_year, to_year))
