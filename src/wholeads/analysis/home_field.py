"""Home field: is a lead language specific? The a-b gap on Chinese-prompt boards minus the gap
on English-prompt boards of the same arena, on every date where both boards exist.

Pure. The inputs are the states of two arena entries (one board each). A date counts only when
both entries have a board of that date and both groups are on both boards; other dates are left
out. The difference is (gap on the first, 'home' board) minus (gap on the second): negative means
b does relatively better on the home board. Its interval: each gap's standard error from the two
best models' 95% intervals (half-width / 1.96), combined as independent, since the two categories
are disjoint sets of prompts (battles in Chinese vs in English) fitted separately.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from wholeads.analysis.frontier import State
from wholeads.analysis.points import By, Point, best_by_group

Z95 = 1.959963984540054


@dataclass(frozen=True)
class BoardGap:
    """The a-b gap on one board, with its standard error when both intervals are known."""

    a_model: str
    a_best: float
    b_model: str
    b_best: float
    gap: float
    se: float | None


@dataclass(frozen=True)
class HomeField:
    """One date: the gap on the home board, on the away board, and their difference."""

    date: dt.date
    home: BoardGap
    away: BoardGap
    difference: float
    """home gap minus away gap (negative: b does relatively better on the home board)."""
    ci_low: float | None
    ci_high: float | None


def _se(p: Point) -> float | None:
    if p.ci_low is None or p.ci_high is None:
        return None
    return (p.ci_high - p.ci_low) / (2 * Z95)


def board_gap(state: State, a: str, b: str, by: By) -> BoardGap | None:
    """a's best minus b's best on one board; None when either group is missing from it."""
    best = best_by_group(state.points, by)
    pa, pb = best.get(a), best.get(b)
    if pa is None or pb is None:
        return None
    sa, sb = _se(pa), _se(pb)
    se = None if sa is None or sb is None else math.hypot(sa, sb)
    return BoardGap(pa.model_id, pa.value, pb.model_id, pb.value, pa.value - pb.value, se)


def home_field(
    home: Sequence[State],
    away: Sequence[State],
    a: str = "US",
    b: str = "CN",
    by: By = "ecosystem",
) -> list[HomeField]:
    """The difference of the gaps on every date with a board in both series."""
    away_by_date = {s.date: s for s in away}
    out = []
    for state in home:
        other = away_by_date.get(state.date)
        if other is None:
            continue
        h, w = board_gap(state, a, b, by), board_gap(other, a, b, by)
        if h is None or w is None:
            continue
        diff = h.gap - w.gap
        low = high = None
        if h.se is not None and w.se is not None:
            half = Z95 * math.hypot(h.se, w.se)
            low, high = diff - half, diff + half
        out.append(HomeField(state.date, h, w, diff, low, high))
    return out
