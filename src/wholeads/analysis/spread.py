"""Top vs k-th: the spread between the best and the k-th best model over time (the AI Index's
measure of convergence at the frontier), per group and over the whole field.

Pure. The input is the states of one evidence entry (``frontier.State``): on an arena, one board
each, so the best and the k-th best are always compared on one board. A group with fewer than k
models on a complete board has no spread that day (None, not zero). On a top-N board a group with
fewer than k models there has its k-th best below the board's cut-off: the spread is then a bound
(``at_least``). When both models carry 95% intervals the spread gets one too, from each side's
standard error taken from its interval's half-width (the normal approximation the leaders table
uses; conservative for ratings fitted jointly on one board).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from wholeads.analysis.frontier import State, gap_percent
from wholeads.analysis.points import By, Point, group_of

ALL = "all"
"""The group name of the whole field (every model on the board, grouped or not)."""
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Spread:
    """The best and the k-th best of one group at one date, and the distance between them."""

    date: dt.date
    group: str
    k: int
    models: int
    """How many of the group's models the state holds."""
    top_model: str
    top: float
    kth_model: str | None
    kth: float | None
    spread: float | None
    """Top minus k-th, in the evidence's unit (positive when the best is better)."""
    percent: float | None
    """The spread as a share of the k-th best (the AI Index's form), Elo and percent scales."""
    ci_low: float | None = None
    ci_high: float | None = None
    at_least: float | None = None
    """On a top-N board with fewer than k of the group's models: the spread is at least this."""


def _ranked(points: Sequence[Point], higher: bool) -> list[Point]:
    """Best first; ties go to the earlier release, then the model id (as ``best_by_group``)."""
    return sorted(points, key=lambda p: (-p.value if higher else p.value, p.released, p.model_id))


def _interval(top: Point, kth: Point, diff: float) -> tuple[float | None, float | None]:
    if None in (top.ci_low, top.ci_high, kth.ci_low, kth.ci_high):
        return None, None
    assert top.ci_low is not None and top.ci_high is not None
    assert kth.ci_low is not None and kth.ci_high is not None
    se = math.hypot((top.ci_high - top.ci_low) / (2 * Z95), (kth.ci_high - kth.ci_low) / (2 * Z95))
    return diff - Z95 * se, diff + Z95 * se


def spread_of(
    state: State, group: str, points: Sequence[Point], k: int, higher: bool, scale: str | None
) -> Spread | None:
    """One group's spread at one state; None when the group has no model there."""
    if not points:
        return None
    ranked = _ranked(points, higher)
    top = ranked[0]
    if len(ranked) < k:
        board = state.board
        bound = None
        if board is not None and board.censored and higher:
            bound = top.value - board.cutoff
        return Spread(
            state.date,
            group,
            k,
            len(ranked),
            top.model_id,
            top.value,
            None,
            None,
            None,
            None,
            at_least=bound,
        )
    kth = ranked[k - 1]
    diff = (top.value - kth.value) if higher else (kth.value - top.value)
    low, high = _interval(top, kth, diff)
    return Spread(
        state.date,
        group,
        k,
        len(ranked),
        top.model_id,
        top.value,
        kth.model_id,
        kth.value,
        diff,
        gap_percent(scale, diff, kth.value),
        low,
        high,
    )


def spreads(
    states: Sequence[State],
    k: int = 10,
    by: By = "ecosystem",
    higher: bool = True,
    scale: str | None = None,
) -> list[Spread]:
    """The spread of the whole field (group 'all') and of every group at every state."""
    if k < 2:
        raise ValueError(f"k must be at least 2 (the best vs the k-th best), got {k}")
    out: list[Spread] = []
    for state in states:
        groups: dict[str, list[Point]] = {ALL: list(state.points)}
        for p in state.points:
            g = group_of(p, by)
            if g is not None:
                groups.setdefault(g, []).append(p)
        for group in sorted(groups, key=lambda g: (g != ALL, g)):
            row = spread_of(state, group, groups[group], k, higher, scale)
            if row is not None:
                out.append(row)
    return out
