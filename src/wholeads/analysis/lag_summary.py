"""The average lag over a window, with an interval.

Pure. The lag at each date is Epoch's horizontal gap (``frontier.gap_series``): how long before
the trailing group's best the leading group first reached its level, on the same board. It is a
step function: each value holds until the next state. The average samples it on the first day of
every month of the window (the value in force then; months before the series starts, or where a
group is missing, are left out and counted), so a burst of boards in one week weighs no more than
a quiet month.

The interval is a moving-block bootstrap of those monthly samples (blocks of ``BLOCK_MONTHS``
consecutive months, resampled with replacement, ``RESAMPLES`` times from a fixed seed, 2.5 and
97.5 percentiles of the resampled means). Blocks keep the strong month-to-month dependence of a
lag that changes only when a frontier moves; the interval says how much the average depends on
which months the window holds, not how precise each rating is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from wholeads.analysis.frontier import GapPoint

BLOCK_MONTHS = 3
RESAMPLES = 2000
SEED = 20250214
MIN_MONTHS = 3
"""Fewer monthly samples than this give an average but no interval."""


@dataclass(frozen=True)
class LagSummary:
    """The average lag of b behind a over a window (positive: b trails)."""

    start: dt.date
    end: dt.date
    months: int
    """Monthly samples with a lag."""
    missing_months: int
    """Months of the window with no lag (the series had not started, or a group was missing)."""
    first_sample: dt.date | None
    mean_months: float | None
    ci_low: float | None
    ci_high: float | None
    latest_months: float | None
    """The lag in force at the window's end."""
    status: str
    """'ok', 'no_interval' (fewer than MIN_MONTHS samples) or 'insufficient_evidence'."""


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from start's month (when start is its first day, else the
    next month) to end."""
    day = (
        start
        if start.day == 1
        else dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    )
    out = []
    while day <= end:
        out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def lag_in_force(series: Sequence[GapPoint], day: dt.date) -> float | None:
    """The lag of the newest state at or before ``day``; None before the series or when that
    state has no lag (a group missing, or the leader never reached the trailing best)."""
    current = None
    for g in series:
        if g.date > day:
            break
        current = g
    return None if current is None else current.lag_months


def block_bootstrap_means(
    values: np.ndarray, block: int, resamples: int, rng: np.random.Generator
) -> np.ndarray:
    """Means of moving-block resamples of ``values`` (each the length of the original)."""
    n = len(values)
    block = max(1, min(block, n))
    starts = n - block + 1
    count = -(-n // block)
    picks = rng.integers(0, starts, size=(resamples, count))
    idx = (picks[:, :, None] + np.arange(block)[None, None, :]).reshape(resamples, -1)[:, :n]
    means: np.ndarray = values[idx].mean(axis=1)
    return means


def summarize_lag(
    series: Sequence[GapPoint],
    start: dt.date,
    end: dt.date,
    block: int = BLOCK_MONTHS,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> LagSummary:
    """The monthly-sampled average lag over [start, end] and its block-bootstrap interval."""
    if end < start:
        raise ValueError(f"the window ends ({end}) before it starts ({start})")
    ordered = sorted(series, key=lambda g: g.date)
    days = month_starts(start, end)
    sampled = [(d, lag_in_force(ordered, d)) for d in days]
    known = [(d, v) for d, v in sampled if v is not None]
    latest = lag_in_force(ordered, end)
    if not known:
        return LagSummary(
            start, end, 0, len(days), None, None, None, None, latest, "insufficient_evidence"
        )
    values = np.array([v for _, v in known], dtype=float)
    mean = float(values.mean())
    low = high = None
    status = "no_interval"
    if len(values) >= MIN_MONTHS:
        means = block_bootstrap_means(values, block, resamples, np.random.default_rng(seed))
        low, high = (float(x) for x in np.percentile(means, [2.5, 97.5]))
        status = "ok"
    return LagSummary(
        start,
        end,
        len(values),
        len(days) - len(values),
        known[0][0],
        mean,
        low,
        high,
        latest,
        status,
    )
