"""The labelled pairs of ``resolve_pairs.csv`` and how a built database answers them.

Each pair names two raw rows of the real data (source, file, row: the provenance the tool
records) and whether they are the same model version, with the evidence read from the files.
A row's answer is the model the build assigned to that row (``scores``, ``prices`` or
``model_facts`` by provenance), so the figure measures what users see; a row the build kept no
trace of is resolved by name with the stored resolver.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

PAIRS = Path(__file__).resolve().parent / "resolve_pairs.csv"


@dataclass(frozen=True, slots=True)
class Side:
    """One raw row of a pair."""

    source: str
    name: str
    file: str
    row: int | None
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class Pair:
    """Two raw rows, labelled the same model version or not, with the evidence."""

    id: int
    same: bool
    kind: str
    """'same', or the difference that makes them two models: size, tier, mode, checkpoint, ..."""
    a: Side
    b: Side
    evidence: str


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Pair(
                id=int(r["pair"]),
                same=r["same"] == "1",
                kind=r["kind"],
                a=Side(r["source_a"], r["name_a"], r["file_a"], int(r["row_a"] or 0) or None,
                       _date(r["date_a"])),
                b=Side(r["source_b"], r["name_b"], r["file_b"], int(r["row_b"] or 0) or None,
                       _date(r["date_b"])),
                evidence=r["evidence"],
            )
            for r in csv.DictReader(handle)
        ]  # fmt: skip


def assigned_model(
    con: duckdb.DuckDBPyConnection, side: Side, fallback: Callable[[Side], str | None]
) -> str | None:
    """The model the build assigned to the side's row, else the resolver's answer by name."""
    for table in ("scores", "prices"):
        rows = con.execute(
            f'SELECT DISTINCT model_id FROM {table} WHERE source = ? AND file = ? AND "row" = ?',
            [side.source, side.file, side.row],
        ).fetchall()
        if rows:
            return rows[0][0]
    rows = con.execute(
        'SELECT DISTINCT model_id FROM model_facts WHERE source = ? AND file = ? AND "row" = ?',
        [side.source, side.file, side.row],
    ).fetchall()
    if len(rows) == 1:
        return str(rows[0][0])
    return fallback(side)


@dataclass
class Counts:
    """Confusion counts of a set of pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, same: bool, predicted: bool) -> None:
        if same and predicted:
            self.tp += 1
        elif same:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def false_merge_rate(self) -> float:
        """Share of the different-model pairs merged into one model."""
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0


@dataclass
class Evaluation:
    """Counts overall, per source (a pair counts for both its sources) and per kind, with the
    pairs answered wrongly."""

    overall: Counts = field(default_factory=Counts)
    by_source: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    wrong: list[tuple[Pair, str | None, str | None]] = field(default_factory=list)


def evaluate(
    con: duckdb.DuckDBPyConnection,
    pairs: Iterable[Pair],
    fallback: Callable[[Side], str | None],
) -> Evaluation:
    result = Evaluation()
    for pair in pairs:
        a = assigned_model(con, pair.a, fallback)
        b = assigned_model(con, pair.b, fallback)
        predicted = a is not None and a == b
        result.overall.add(pair.same, predicted)
        for source in {pair.a.source, pair.b.source}:
            result.by_source[source].add(pair.same, predicted)
        result.by_kind[pair.kind].add(pair.same, predicted)
        if predicted != pair.same:
            result.wrong.append((pair, a, b))
    return result
