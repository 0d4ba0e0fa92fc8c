"""Training compute by ecosystem, as Epoch draws it: the top-k rolling frontier on a log scale,
its growth per year from a log-linear fit with an interval, and how many months one ecosystem is
behind another.

Pure. The input is each model's disclosed training compute (``Point.value`` in FLOP) with its
release date. A model is on its group's **top-k rolling frontier** when, at its release, it is
among the k largest training runs of that group released so far (itself included). The **growth**
is an ordinary least-squares fit of log10(FLOP) on the release date (in years) over the frontier
models released in the window; growth per year = 10^slope, with a 95% interval from the slope's
standard error (10^(slope ± 1.96 se), a normal approximation: the fits hold dozens of models).
**Months behind**: at a date, how long ago the leading group's fitted trend stood at the trailing
group's fitted level: (fit_a(t) - fit_b(t)) / slope_a, in months. Closed labs disclose compute
rarely, so every figure reads as "of the disclosed runs".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from wholeads.analysis.points import By, Point, group_of

DAYS_PER_YEAR = 365.25
Z95 = 1.959963984540054
MIN_FIT = 3
"""Fewer frontier models than this in the window give no fit."""


@dataclass(frozen=True)
class FrontierRun:
    """A model that entered its group's top-k largest training runs when it was released."""

    group: str
    model_id: str
    released: dt.date
    flop: float
    rank: int
    """Its rank by compute among the group's models released up to then (1 = largest)."""


@dataclass(frozen=True)
class ComputeFit:
    """The log-linear trend of one group's frontier runs in a window."""

    group: str
    models: int
    start: dt.date
    end: dt.date
    slope_log10_per_year: float | None
    growth_per_year: float | None
    """The factor by which frontier compute grows in a year (10^slope)."""
    growth_ci_low: float | None
    growth_ci_high: float | None
    doubling_months: float | None
    level_log10_at_end: float | None
    """The fitted log10(FLOP) at the window's end."""
    status: str
    """'ok' or 'insufficient_evidence' (fewer than MIN_FIT frontier runs in the window)."""


def years(day: dt.date) -> float:
    """A date as a decimal year (the fit's x)."""
    return day.toordinal() / DAYS_PER_YEAR


def rolling_frontier(
    points: Iterable[Point], k: int = 10, by: By = "ecosystem"
) -> list[FrontierRun]:
    """Every model that was among its group's k largest runs at its release, by release date."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    seen: dict[str, list[float]] = {}
    out = []
    for p in sorted(points, key=lambda p: (p.released, -p.value, p.model_id)):
        group = group_of(p, by)
        if group is None or p.value <= 0:
            continue
        runs = seen.setdefault(group, [])
        runs.append(p.value)
        rank = 1 + sum(v > p.value for v in runs)
        if rank <= k:
            out.append(FrontierRun(group, p.model_id, p.released, p.value, rank))
    return out


def fit_growth(runs: Sequence[FrontierRun], group: str, start: dt.date, end: dt.date) -> ComputeFit:
    """OLS of log10(FLOP) on the release year over the group's frontier runs in [start, end]."""
    mine = [r for r in runs if r.group == group and start <= r.released <= end]
    empty = ComputeFit(group, len(mine), start, end, None, None, None, None, None, None,
                       "insufficient_evidence")  # fmt: skip
    if len(mine) < MIN_FIT or len({r.released for r in mine}) < 2:
        return empty
    x = np.array([years(r.released) for r in mine])
    y = np.log10(np.array([r.flop for r in mine]))
    slope, intercept = (float(v) for v in np.polyfit(x, y, 1))
    residual = y - (slope * x + intercept)
    sxx = float(((x - x.mean()) ** 2).sum())
    se = math.sqrt(float((residual**2).sum()) / (len(mine) - 2) / sxx) if len(mine) > 2 else 0.0
    doubling = 12 * math.log10(2) / slope if slope > 0 else None
    return ComputeFit(
        group, len(mine), start, end, slope, 10**slope, 10 ** (slope - Z95 * se),
        10 ** (slope + Z95 * se), doubling, slope * years(end) + intercept, "ok",
    )  # fmt: skip


def months_behind(leader: ComputeFit, trailing: ComputeFit) -> float | None:
    """How many months before the window's end the leader's trend stood at the trailing group's
    fitted level then; None without both fits or with a flat or falling leader trend."""
    if leader.status != "ok" or trailing.status != "ok" or leader.end != trailing.end:
        return None
    assert leader.level_log10_at_end is not None and trailing.level_log10_at_end is not None
    slope = leader.slope_log10_per_year
    if slope is None or slope <= 0:
        return None
    return 12 * (leader.level_log10_at_end - trailing.level_log10_at_end) / slope
