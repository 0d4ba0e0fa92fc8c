"""Frontiers over time: each group's running best, the gap between two groups, the lag, the trend.

Pure. The input is a sequence of *states*: the points usable at one date. For an arena a state is
one board of its series (ratings drift between boards, so two boards are never mixed); for a
static benchmark it is every model's newest score at that date (the evidence reader builds them).
On a top-N board a group with no model is below the board's cut-off: its gap is then a bound.

Lag (Epoch's horizontal gap): at date t, with b = the trailing group's best at t, the lag is the
time between the leading group first reaching b and the trailing group reaching it: b's release
minus the earliest release among the leading group's models in the same state whose value reaches
b (0 when the leader got there later). It stays put while the trailing best does not change, and
moves when either frontier moves. Within one arena board this compares ratings on one scale
only; a model released before the board is dated by its release, not by the board.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from wholeads.analysis.points import BoardInfo, By, Point, best_by_group, group_of

DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class State:
    """The points usable at one date, and the board they come from (arena evidence)."""

    date: dt.date
    points: Sequence[Point]
    board: BoardInfo | None = None


def _reaches(value: float, target: float, higher: bool) -> bool:
    return value >= target if higher else value <= target


def lag_days(
    leaders: Iterable[Point], target: float, reached: dt.date, higher: bool = True
) -> int | None:
    """Days from the first release among ``leaders`` that reaches ``target`` to ``reached`` (the
    day the trailing group reached it); None when no leader reaches it."""
    dates = [min(p.released, reached) for p in leaders if _reaches(p.value, target, higher)]
    return (reached - min(dates)).days if dates else None


@dataclass(frozen=True)
class Step:
    """One improvement of a group's frontier."""

    date: dt.date
    value: float
    model_id: str


def running_best(points: Iterable[Point], higher: bool = True) -> list[Step]:
    """The frontier by release date: the steps at which the best value so far improved."""
    steps: list[Step] = []
    for p in sorted(points, key=lambda p: (p.released, -p.value if higher else p.value)):
        if not steps or (p.value > steps[-1].value if higher else p.value < steps[-1].value):
            steps.append(Step(p.released, p.value, p.model_id))
    return steps


@dataclass(frozen=True, kw_only=True)
class GapPoint:
    """Both frontiers, the vertical gap and the lag at one date."""

    date: dt.date
    a_best: float | None
    a_model: str | None
    b_best: float | None
    b_model: str | None
    gap: float | None = None
    """a minus b in the direction of 'better' (positive: a ahead)."""
    leader: str | None = None
    lag_months: float | None = None
    """Positive: b trails a by this long; negative: a trails b."""
    below: float | None = None
    """On a top-N board that shows only one of the two groups: the other group's best is below
    this cut-off, so the gap is at least ``gap_at_least`` (``gap`` and the lag are unknown)."""
    gap_at_least: float | None = None
    percent: float | None = None
    """The gap as a share of the trailing group's best, in percent, signed like ``gap`` (the
    AI Index's form); only on the Elo and percent scales."""
    win_probability: float | None = None
    """Elo scale only: P(a's best beats b's best) = 1/(1+10^(-gap/400))."""


RATIO_SCALES = frozenset({"elo", "percent"})
"""Scales on which a gap as a share of the runner-up is reported (the AI Index does so on the
arena scale, although its zero is arbitrary: the share is comparable only within one arena)."""


def gap_percent(scale: str | None, diff: float, runner_up: float) -> float | None:
    """(leader - runner-up) / runner-up in percent, on the Elo and percent scales; None on others
    or for a zero runner-up."""
    if scale not in RATIO_SCALES or runner_up == 0:
        return None
    return 100.0 * diff / abs(runner_up)


def elo_win_probability(gap: float) -> float:
    """Bradley-Terry / Elo head-to-head probability for a rating difference."""
    return 1.0 / (1.0 + 10.0 ** (-gap / 400.0))


def gap_series(
    states: Sequence[State],
    a: str,
    b: str,
    by: By = "ecosystem",
    higher: bool = True,
    scale: str | None = None,
) -> list[GapPoint]:
    """The gap between groups a and b at every state (None values when a group has no point;
    a bound when a top-N board cut the other group off). With the evidence's ``scale`` each
    point also carries the gap in percent and, on Elo, the win probability."""
    out: list[GapPoint] = []
    for state in states:
        t, points = state.date, state.points
        best = best_by_group(points, by, higher)
        pa, pb = best.get(a), best.get(b)
        if pa is None or pb is None:
            out.append(_censored(state, pa, pb, higher, a, b))
            continue
        gap = (pa.value - pb.value) if higher else (pb.value - pa.value)
        lead, trail, sign = (a, pb, 1) if gap >= 0 else (b, pa, -1)
        reached = min(trail.released, t)
        days = lag_days(
            (p for p in points if group_of(p, by) == lead), trail.value, reached, higher
        )
        lag = None if days is None else sign * round(days / DAYS_PER_MONTH, 1)
        share = gap_percent(scale, abs(gap), trail.value)
        out.append(dataclasses.replace(
            _sides(t, pa, pb), gap=gap, leader=lead, lag_months=lag,
            percent=None if share is None else sign * share,
            win_probability=elo_win_probability(gap) if scale == "elo" else None,
        ))  # fmt: skip
    return out


def _censored(
    state: State, pa: Point | None, pb: Point | None, higher: bool, a: str, b: str
) -> GapPoint:
    """A state where one group is missing: a bound when the board is top-N, else nothing."""
    t, board = state.date, state.board
    base = _sides(t, pa, pb)
    present = pa or pb
    if board is None or not board.censored or present is None or not higher:
        return base
    bound = present.value - board.cutoff
    return dataclasses.replace(
        base, below=board.cutoff, gap_at_least=bound if pa is not None else -bound,
        leader=a if pa is not None else b,
    )  # fmt: skip


def _sides(t: dt.date, pa: Point | None, pb: Point | None) -> GapPoint:
    """Each group's best at a date (gap and lag still unknown)."""
    return GapPoint(date=t, a_best=_v(pa), a_model=_m(pa), b_best=_v(pb), b_model=_m(pb))


def _v(p: Point | None) -> float | None:
    return None if p is None else p.value


def _m(p: Point | None) -> str | None:
    return None if p is None else p.model_id


def frontiers(
    states: Sequence[State], by: By = "ecosystem", higher: bool = True
) -> list[dict[str, object]]:
    """Each group's best (value and model) at every state, as flat rows."""
    rows: list[dict[str, object]] = []
    for state in states:
        for group, p in sorted(best_by_group(state.points, by, higher).items()):
            rows.append(
                {"date": state.date, "group": group, "value": p.value, "model_id": p.model_id}
            )
    return rows


@dataclass(frozen=True, kw_only=True)
class Trend:
    """Direction of the gap (and lag) over the last ``months`` of a series."""

    months: int
    points: int
    start: dt.date | None
    gap_start: float | None = None
    gap_end: float | None = None
    slope_per_month: float | None = None
    """Least-squares slope of the gap, units per month."""
    lag_slope: float | None = None
    """Least-squares slope of the lag, months per month."""
    direction: str = "insufficient_evidence"
    """'narrowing', 'widening', 'flat', 'crossed' or 'insufficient_evidence'."""


def trend(series: Sequence[GapPoint], months: int) -> Trend:
    """Narrowing or widening over the last ``months``, from a least-squares fit of the gap series.

    A fit rather than end-minus-start, so one noisy snapshot does not decide the direction.
    """
    known = [g for g in series if g.gap is not None]
    if not known:
        return Trend(months=months, points=0, start=None)
    end = known[-1].date
    start = end - dt.timedelta(days=round(months * DAYS_PER_MONTH))
    window = [g for g in known if g.date >= start]
    if len(window) < 2 or (window[-1].date - window[0].date).days < 30:
        return Trend(months=months, points=len(window), start=start)
    x = np.array([(g.date - start).days / DAYS_PER_MONTH for g in window])
    y = np.array([g.gap for g in window], dtype=float)
    slope = float(np.polyfit(x, y, 1)[0])
    lags = [(xi, g.lag_months) for xi, g in zip(x, window, strict=True) if g.lag_months is not None]
    lag_slope = (
        float(np.polyfit([p[0] for p in lags], [p[1] for p in lags], 1)[0])
        if len(lags) >= 2 and len({p[0] for p in lags}) >= 2
        else None
    )
    first, last = y[0], y[-1]
    if first * last < 0:
        direction = "crossed"
    elif abs(slope) * months < 0.05 * max(abs(float(np.mean(y))), 1e-9):
        direction = "flat"
    else:
        direction = "narrowing" if slope * float(np.mean(y)) < 0 else "widening"
    return Trend(
        months=months,
        points=len(window),
        start=start,
        gap_start=float(first),
        gap_end=float(last),
        slope_per_month=slope,
        lag_slope=lag_slope,
        direction=direction,
    )
