"""The records the analysis functions share: one model's value in one piece of evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

By = Literal["ecosystem", "openness", "lab"]


@dataclass(frozen=True)
class Point:
    """One model's value in one piece of evidence, with what grouping and dating need."""

    model_id: str
    lab_id: str | None
    ecosystem: str | None
    open_weights: bool | None
    value: float
    date: dt.date
    """When the value was published (snapshot date or score as_of)."""
    released: dt.date
    """The model's release date (else first seen, else its first score date)."""
    ci_low: float | None = None
    ci_high: float | None = None
    source: str | None = None
    params_b: float | None = None
    setting: str | None = None


@dataclass(frozen=True)
class BoardInfo:
    """One leaderboard snapshot's coverage: how much of the field it saw."""

    date: dt.date
    source: str
    rows: int
    coverage: str
    """'complete' (every rated model) or 'top_n' (only the best N)."""
    top: float
    cutoff: float
    """Lowest score on the board: on a top-N board every absent model is below it."""

    @property
    def censored(self) -> bool:
        """A model absent from a censored board is below its cut-off, not unrated."""
        return self.coverage == "top_n"


@dataclass(frozen=True)
class Evidence:
    """The points of one evidence entry as of a date (one arena board, or latest scores)."""

    label: str
    scale: str
    unit: str
    higher_is_better: bool
    at: dt.date | None
    """The date the comparison describes: the board's date, or the newest data date among the
    points of static evidence; None when there is no point."""
    source: str | None
    points: tuple[Point, ...]
    """What is compared: the models on ``board``, or each model's latest score."""
    board: BoardInfo | None = None
    """The board ``points`` come from: the newest one up to the date that holds a model the
    domain considers (arena evidence only)."""
    latest: BoardInfo | None = None
    """The newest board up to the date, when it holds no such model (every model the domain
    considers is then below its cut-off, or unrated there)."""
    last_seen: tuple[Point, ...] = ()
    """Models missing from ``board``: each one's row on its newest board up to the date."""
    boards: tuple[BoardInfo, ...] = ()
    """The boards of the ``last_seen`` rows."""
    measured: bool = True
    """False for model attributes (an advertised context window): dated by the models, not by
    a measurement, so never 'fresher' than a benchmark."""


def group_of(point: Point, by: By) -> str | None:
    """The group a model belongs to; None when unknown (it then takes part in no group)."""
    if by == "ecosystem":
        return point.ecosystem
    if by == "openness":
        return None if point.open_weights is None else ("open" if point.open_weights else "closed")
    return point.lab_id


def _better(a: float, b: float, higher: bool) -> bool:
    return a > b if higher else a < b


def best_by_group(points: Iterable[Point], by: By, higher: bool = True) -> dict[str, Point]:
    """Best point of each group; ties go to the earlier release, then the model id."""
    best: dict[str, Point] = {}
    for p in points:
        g = group_of(p, by)
        if g is None:
            continue
        cur = best.get(g)
        if (
            cur is None
            or _better(p.value, cur.value, higher)
            or (p.value == cur.value and (p.released, p.model_id) < (cur.released, cur.model_id))
        ):
            best[g] = p
    return best
