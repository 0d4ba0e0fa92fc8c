"""A batch's scores as columns: how the arenas' hundreds of thousands of scores cross from the
parse worker and into the database.

As records, every score is two Python objects that are pickled to leave the worker, unpickled,
copied into a table row and read back attribute by attribute for the insert: for the three
largest sources that cost more than parsing them. As columns they cross as a few arrays: each
text or date column is coded (its distinct values, and one int32 code per row), the numbers are
float64 arrays with NaN where a value is absent (exact for the counts and row numbers, which
stay far below 2**53). ``ScoreColumns`` is a read-only sequence of ``ScoreRecord``: code that
reads a batch's scores one by one still can, while the build reads the columns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, overload

import numpy as np

from wholeads.schema import Provenance, ScoreRecord

CODED = ("name", "lab", "benchmark", "as_of", "dated_by", "setting", "source", "file")
"""Columns kept as distinct values plus codes (``source`` and ``file``: the provenance's)."""
NUMBERS = ("value", "ci_low", "ci_high", "n", "row")
"""Columns kept as float64 (NaN: absent; ``row``: the provenance's)."""
_GETTERS = {
    **{name: attrgetter(name) for name in CODED + NUMBERS},
    "source": attrgetter("prov.source"),
    "file": attrgetter("prov.file"),
    "row": attrgetter("prov.row"),
}


@dataclass(frozen=True, eq=False)
class Coded:
    """One column as its distinct values, in order of first appearance, and a code per row."""

    values: tuple[Any, ...]
    codes: np.ndarray

    @classmethod
    def of(cls, items: Iterable[Any], count: int) -> Coded:
        index: dict[Any, int] = {}
        # the argument is evaluated first: a new value gets the next code
        codes = np.fromiter(
            (index.setdefault(v, len(index)) for v in items), dtype=np.int32, count=count
        )
        return cls(tuple(index), codes)

    def column(self) -> np.ndarray:
        """The value of every row, as an object array."""
        values = np.empty(len(self.values), dtype=object)
        values[:] = self.values
        return values[self.codes]


@dataclass(frozen=True, eq=False)
class Groups:
    """Rows grouped by equal values of some columns, groups numbered in order of first
    appearance: ``first[g]`` is group g's first row, ``of_row[i]`` row i's group, ``sizes[g]``
    its number of rows."""

    first: np.ndarray
    of_row: np.ndarray
    sizes: np.ndarray


@dataclass(frozen=True, eq=False)
class ResolvedScores:
    """A source's scores with the model each resolved to: ``model_ids[g]`` for the rows of
    group g (``groups.of_row``; None: matched nothing). What the build writes to `scores`."""

    source: str
    columns: ScoreColumns
    of_row: np.ndarray
    model_ids: list[str | None]
    resolved: int
    """Rows whose name matched a model."""

    @property
    def share(self) -> float:
        """The share of the rows whose name matched a model."""
        return self.resolved / len(self.columns)

    def table_arrays(
        self,
    ) -> tuple[dict[str, np.ndarray], dict[str, tuple[Sequence[Any], np.ndarray]], dict[str, str]]:
        """The `scores` table's columns (``store.tables.ScoreRow``) as ``store.insert_coded``
        takes them: numbers, coded columns, constants."""
        c, coded = self.columns, self.columns.coded
        numbers = {n: c.numbers[n] for n in ("value", "ci_low", "ci_high", "n", "row")}
        renamed = {"raw_name": "name", "benchmark_id": "benchmark"}
        codes: dict[str, tuple[Sequence[Any], np.ndarray]] = {
            column: (coded[name].values, coded[name].codes)
            for column, name in {**renamed, **{n: n for n in ("as_of", "setting", "file",
                                                              "dated_by")}}.items()
        }  # fmt: skip
        codes["model_id"] = (self.model_ids, self.of_row)
        return numbers, codes, {"source": self.source}


class ScoreColumns(Sequence[ScoreRecord]):
    """The scores of one batch, column by column (see the module docstring)."""

    __slots__ = ("coded", "length", "numbers")

    def __init__(self, coded: dict[str, Coded], numbers: dict[str, np.ndarray]) -> None:
        self.coded = coded
        self.numbers = numbers
        self.length = len(numbers["value"])

    @classmethod
    def of(cls, scores: Sequence[ScoreRecord]) -> ScoreColumns:
        """``scores`` as columns (themselves when they already are)."""
        if isinstance(scores, ScoreColumns):
            return scores
        n = len(scores)
        coded = {name: Coded.of(map(_GETTERS[name], scores), n) for name in CODED}
        numbers = {name: _floats(map(_GETTERS[name], scores), n) for name in NUMBERS}
        return cls(coded, numbers)

    # -- what the build reads ----------------------------------------------------------------
    def column(self, name: str) -> np.ndarray:
        """One column, a value per row: objects for a coded column, float64 for a number."""
        return self.coded[name].column() if name in self.coded else self.numbers[name]

    def at(self, row: int, name: str) -> Any:
        """The value of one coded column at one row."""
        column = self.coded[name]
        return column.values[column.codes[row]]

    def groups(self, *names: str) -> Groups:
        """The rows grouped by the values of these coded columns."""
        key = np.zeros(self.length, dtype=np.int64)
        for name in names:
            column = self.coded[name]
            key = key * max(len(column.values), 1) + column.codes
        _, first, inverse, sizes = np.unique(
            key, return_index=True, return_inverse=True, return_counts=True
        )
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return Groups(first=first[order], of_row=rank[inverse.ravel()], sizes=sizes[order])

    def first_dates(self) -> Iterator[tuple[str, str | None, dt.date]]:
        """Each distinct (name, lab), in order of first appearance, with its earliest date."""
        groups = self.groups("name", "lab")
        dates = self.coded["as_of"]
        ordinals = np.array([d.toordinal() for d in dates.values], dtype=np.int64)[dates.codes]
        earliest = np.full(len(groups.first), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(earliest, groups.of_row, ordinals)
        for row, day in zip(groups.first.tolist(), earliest.tolist(), strict=True):
            yield self.at(row, "name"), self.at(row, "lab"), dt.date.fromordinal(day)

    # -- the sequence of records -----------------------------------------------------------
    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, index: int) -> ScoreRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[ScoreRecord]: ...

    def __getitem__(self, index: int | slice) -> ScoreRecord | list[ScoreRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.length))]
        if not -self.length <= index < self.length:
            raise IndexError("score index out of range")
        row = index % self.length
        values = {name: self.at(row, name) for name in CODED}
        values.update({name: self.numbers[name][row] for name in NUMBERS})
        return _record(values)

    def __iter__(self) -> Iterator[ScoreRecord]:
        names = CODED + NUMBERS
        columns = [self.column(name).tolist() for name in names]
        for values in zip(*columns, strict=True):
            yield _record(dict(zip(names, values, strict=True)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ScoreColumns({self.length:,} scores)"


def _floats(items: Iterable[float | int | None], count: int) -> np.ndarray:
    return np.fromiter((math.nan if v is None else v for v in items), dtype=np.float64, count=count)


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _count(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _record(v: dict[str, Any]) -> ScoreRecord:
    return ScoreRecord(
        name=v["name"],
        lab=v["lab"],
        benchmark=v["benchmark"],
        value=float(v["value"]),
        ci_low=_optional(v["ci_low"]),
        ci_high=_optional(v["ci_high"]),
        n=_count(v["n"]),
        as_of=v["as_of"],
        dated_by=v["dated_by"],
        setting=v["setting"],
        prov=Provenance(source=v["source"], file=v["file"], row=_count(v["row"])),
    )
