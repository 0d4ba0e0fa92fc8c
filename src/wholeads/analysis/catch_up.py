"""Catch-up forecasts with a backtest: when would the trailing group reach the leader's level of
today, at the current trend, and how well did that method do in the past?

Pure. The input is a gap series (``frontier.GapPoint``: both groups' bests at every state). The
**forecast** at an origin date: the trailing group's best in force on the first day of each of
the ``WINDOW_MONTHS`` months up to the origin, a least-squares line through them, and the date
that line reaches the leader's best at the origin. Its 95% interval comes from the slope's
standard error (the line through the last sample with slope ± 1.96 se; no upper end when the
lower slope is not positive). It ignores that ratings drift between boards.

The **backtest** makes the same forecast from past origins, each from only the states known by
then (a prefix of the series: every state holds only what was usable on its date), and scores
it against what happened: the first later state where the trailing group's best reached the
target. A case is a *hit* when that date falls inside the interval, a *miss* when it falls
outside or when the interval closed before today without it, *open* when neither is known yet.
**Calibration** is hits / (hits + misses) against the nominal 95%. A method whose calibration
is below ``MIN_COVERAGE`` on at least ``MIN_CASES`` scored cases, or that has fewer scored cases,
fails its backtest: the forecast then prints no date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wholeads.analysis.frontier import DAYS_PER_MONTH, GapPoint
from wholeads.analysis.lag_summary import month_starts

WINDOW_MONTHS = 12
Z95 = 1.959963984540054
HORIZON_MONTHS = 120
"""A trend that needs longer than this to close the gap is 'not closing'."""
MIN_CASES = 5
MIN_COVERAGE = 0.8
"""A 95% interval that holds the outcome less than 80% of the time is not trusted."""


@dataclass(frozen=True)
class Forecast:
    """When the trailing group would reach ``target`` (the leader's best at ``origin``)."""

    origin: dt.date
    leader: str | None
    trailing: str | None
    target: float | None
    trailing_best: float | None
    slope_per_month: float | None
    date: dt.date | None
    low: dt.date | None
    high: dt.date | None
    """None with a date: no upper end (the slower trend never gets there)."""
    status: str
    """'ok', 'reached' (already there), 'not_closing' (trend flat or falling) or
    'insufficient_evidence'."""


@dataclass(frozen=True)
class Case:
    """One backtest forecast and what happened."""

    forecast: Forecast
    reached: dt.date | None
    outcome: str
    """'hit', 'miss' or 'open'."""
    error_months: float | None
    """Actual minus forecast date, in months (when both are known)."""


@dataclass(frozen=True)
class Calibration:
    cases: int
    hits: int
    misses: int
    open: int
    coverage: float | None
    nominal: float
    mean_abs_error_months: float | None
    passed: bool


def _months(a: dt.date, b: dt.date) -> float:
    return (b - a).days / DAYS_PER_MONTH


def _shift(day: dt.date, months: float) -> dt.date:
    return day + dt.timedelta(days=round(months * DAYS_PER_MONTH))


def _side(g: GapPoint, group: str, a: str) -> float | None:
    return g.a_best if group == a else g.b_best


def _in_force(series: Sequence[GapPoint], day: dt.date) -> GapPoint | None:
    current = None
    for g in series:
        if g.date > day:
            break
        current = g
    return current


def forecast_at(
    series: Sequence[GapPoint], origin: dt.date, a: str, b: str, window: int = WINDOW_MONTHS
) -> Forecast:
    """The catch-up forecast from the states up to ``origin`` (``series`` ordered by date)."""
    known = [g for g in series if g.date <= origin]
    now = known[-1] if known else None
    if now is None or now.gap is None or now.leader is None:
        return Forecast(origin, None, None, None, None, None, None, None, None,
                        "insufficient_evidence")  # fmt: skip
    leader, trailing = now.leader, (b if now.leader == a else a)
    target, best = _side(now, leader, a), _side(now, trailing, a)
    assert target is not None and best is not None
    index = origin.year * 12 + origin.month - 1 - window
    start = dt.date(index // 12, index % 12 + 1, 1)
    samples = []
    for day in month_starts(start, origin):
        g = _in_force(known, day)
        value = None if g is None else _side(g, trailing, a)
        if value is not None:
            samples.append((_months(origin, day), value))
    base = Forecast(origin, leader, trailing, target, best, None, None, None, None,
                    "insufficient_evidence")  # fmt: skip
    if best >= target:
        return Forecast(origin, leader, trailing, target, best, None, origin, origin, origin,
                        "reached")  # fmt: skip
    if len(samples) < 3:
        return base
    x = np.array([s[0] for s in samples])
    y = np.array([s[1] for s in samples])
    slope, intercept = (float(v) for v in np.polyfit(x, y, 1))
    resid = y - (slope * x + intercept)
    sxx = float(((x - x.mean()) ** 2).sum())
    se = math.sqrt(float((resid**2).sum()) / (len(x) - 2) / sxx) if sxx > 0 else 0.0
    if slope <= 0:
        return Forecast(origin, leader, trailing, target, best, slope, None, None, None,
                        "not_closing")  # fmt: skip
    need = target - best
    fast, slow = slope + Z95 * se, slope - Z95 * se
    if need / slope > HORIZON_MONTHS:
        return Forecast(origin, leader, trailing, target, best, slope, None, None, None,
                        "not_closing")  # fmt: skip
    late = need / slow if slow > 0 else math.inf
    return Forecast(
        origin, leader, trailing, target, best, slope, _shift(origin, need / slope),
        _shift(origin, need / fast), _shift(origin, late) if late <= HORIZON_MONTHS else None,
        "ok",
    )  # fmt: skip


def first_reach(
    series: Sequence[GapPoint], group: str, a: str, target: float, after: dt.date
) -> dt.date | None:
    """The first state after ``after`` where the group's best reaches ``target``."""
    for g in series:
        value = _side(g, group, a)
        if g.date > after and value is not None and value >= target:
            return g.date
    return None


def score(series: Sequence[GapPoint], f: Forecast, a: str, today: dt.date) -> Case | None:
    """What happened to one forecast (None when it made no forecast)."""
    if f.status != "ok" or f.target is None or f.trailing is None:
        return None
    assert f.date is not None and f.low is not None
    reached = first_reach(series, f.trailing, a, f.target, f.origin)
    if reached is not None:
        inside = f.low <= reached and (f.high is None or reached <= f.high)
        return Case(f, reached, "hit" if inside else "miss", _months(f.date, reached))
    if f.high is not None and f.high < today:
        return Case(f, None, "miss", None)
    return Case(f, None, "open", None)


def backtest(
    series: Sequence[GapPoint], origins: Sequence[dt.date], a: str, b: str, today: dt.date
) -> list[Case]:
    """Forecasts from every origin, each scored against the states after it."""
    ordered = sorted(series, key=lambda g: g.date)
    cases = []
    for origin in origins:
        case = score(ordered, forecast_at(ordered, origin, a, b), a, today)
        if case is not None:
            cases.append(case)
    return cases


def calibrate(cases: Sequence[Case]) -> Calibration:
    """Coverage of the 95% intervals on the scored cases, and the mean absolute error."""
    hits = sum(c.outcome == "hit" for c in cases)
    misses = sum(c.outcome == "miss" for c in cases)
    scored = hits + misses
    errors = [abs(c.error_months) for c in cases if c.error_months is not None]
    coverage = hits / scored if scored else None
    passed = scored >= MIN_CASES and coverage is not None and coverage >= MIN_COVERAGE
    return Calibration(
        len(cases), hits, misses, len(cases) - scored, coverage, 0.95,
        float(np.mean(errors)) if errors else None, passed,
    )  # fmt: skip
