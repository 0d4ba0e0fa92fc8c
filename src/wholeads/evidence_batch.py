"""All of a leaders query's score lookups answered from one scan, in numpy.

Each evidence entry is a filter (benchmark, dates, source, setting) followed by "the newest
snapshot, whole" or "each model's newest row per setting". Run as SQL that is a few dozen queries
of a few milliseconds each; here the candidate rows are fetched once as columns and every entry is
answered by vectorized masks over its benchmark's slice. The semantics are those of
``evidence._query``; ``tests/test_evidence_batch.py`` checks that both give the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Row = tuple[Any, ...]
"""(model_id, value, ci_low, ci_high, as_of, setting, source), as the SQL path returns them."""

_EPOCH = dt.date(1970, 1, 1).toordinal()

# The scan behind a batch: every candidate row of the benchmarks involved, dated by the request.
CANDIDATES = """
    SELECT {columns}, {released} AS released FROM {table}
    WHERE s.benchmark_id IN (SELECT unnest(?::VARCHAR[])) AND s.model_id IS NOT NULL
      AND s.value IS NOT NULL AND s.as_of <= ?"""
# The strings of those rows, distinct (a missing setting is '').
DISTINCT = """
    WITH c AS ({candidates})
    SELECT list(DISTINCT benchmark_id), list(DISTINCT model_id),
           list(DISTINCT coalesce(setting, '')), list(DISTINCT source) FROM c"""
# The rows with each string replaced by its index in a sorted name list passed as a parameter:
# hash joins in the database cost far less than coding strings in Python.
CODED = """
    WITH c AS ({candidates}),
    {dictionaries}
    SELECT b.code AS bench_code, m.code AS model_code, st.code AS setting_code,
           so.code AS source_code, value, ci_low, ci_high, as_of, released
    FROM c JOIN b ON b.k = c.benchmark_id JOIN m ON m.k = c.model_id
    JOIN st ON st.k = coalesce(c.setting, '') JOIN so ON so.k = c.source"""
_DICTIONARY = (
    "{name} AS (SELECT unnest(?::VARCHAR[]) AS k, unnest(range(len(?::VARCHAR[]))) AS code)"
)
NAME_KINDS = ("benchmark", "model", "setting", "source")


def coded_query(candidates: str) -> str:
    """The CODED query over a candidates query (parameters: candidates', then each name list
    twice, in NAME_KINDS order)."""
    dictionaries = ",\n    ".join(_DICTIONARY.format(name=n) for n in ("b", "m", "st", "so"))
    return CODED.format(candidates=candidates, dictionaries=dictionaries)


@dataclass(frozen=True)
class Lookup:
    """One entry's filter and reduction (the parameters of ``evidence._query``)."""

    benchmark: str
    until: dt.date
    source: str | None
    since: dt.date | None
    setting: str
    """'none', 'any' or an exact setting."""
    with_part: str | None
    without_parts: tuple[str, ...]
    snapshot: bool
    newest: bool


def _days(values: Any) -> np.ndarray:
    return np.asarray(values).astype("datetime64[D]").astype(np.int64)


def _plain(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Data and a 'missing' mask of a column that DuckDB may return as a masked array."""
    return np.ma.getdata(values), np.ma.getmaskarray(values)


class Columns:
    """The candidate score rows as columns, strings as integer codes into sorted names, each
    benchmark's rows as one index array."""

    def __init__(
        self, cols: Mapping[str, Any], names: Mapping[str, Sequence[str]], joiner: str
    ) -> None:
        self.joiner = joiner
        self.value = np.ma.getdata(cols["value"]).astype(float)
        self.ci_low, self.no_low = _plain(cols["ci_low"])
        self.ci_high, self.no_high = _plain(cols["ci_high"])
        self.as_of = _days(np.ma.getdata(cols["as_of"]))
        self.released = _days(np.ma.getdata(cols["released"]))
        self.model_code = np.ma.getdata(cols["model_code"]).astype(np.int64)
        self.setting_code = np.ma.getdata(cols["setting_code"]).astype(np.int64)
        self.source_code = np.ma.getdata(cols["source_code"]).astype(np.int64)
        self.model_names = np.array(names["model"], dtype=object)
        self.setting_names = np.array(names["setting"], dtype=object)
        self.source_names = np.array(names["source"], dtype=object)
        bench = np.ma.getdata(cols["bench_code"]).astype(np.int64)
        order = np.argsort(bench, kind="stable")
        bounds = np.searchsorted(bench[order], np.arange(len(names["benchmark"]) + 1))
        self.rows_of = {
            str(n): order[bounds[i] : bounds[i + 1]] for i, n in enumerate(names["benchmark"])
        }

    def _setting_ok(self, look: Lookup) -> np.ndarray:
        """Per distinct setting: does this entry accept it?"""
        ok = []
        for name in self.setting_names:
            value = str(name) or None
            if look.setting == "none":
                good = value is None
            elif look.setting == "any":
                good = True
            else:
                good = value == look.setting
            parts = set(value.split(self.joiner)) if value is not None else set()
            if look.with_part is not None and look.with_part not in parts:
                good = False
            if look.without_parts and parts & set(look.without_parts):
                good = False
            ok.append(good)
        return np.array(ok, dtype=bool)

    def answer(self, look: Lookup) -> list[Row]:
        """The rows ``evidence._query`` would return for this entry."""
        idx = self.rows_of.get(look.benchmark)
        if idx is None or not len(idx):
            return []
        until = look.until.toordinal() - _EPOCH
        keep = (self.as_of[idx] <= until) & (self.released[idx] <= until)
        keep &= self._setting_ok(look)[self.setting_code[idx]]
        if look.source is not None:
            hits = np.flatnonzero(self.source_names == look.source)
            keep &= np.isin(self.source_code[idx], hits)
        if look.since is not None:
            keep &= self.as_of[idx] >= look.since.toordinal() - _EPOCH
        idx = idx[keep]
        if not len(idx):
            return []
        if look.snapshot:
            idx = self._newest_snapshot(idx)
        elif look.newest:
            idx = self._newest_per_model(idx)
        return [self._row(i) for i in idx]

    def _newest_snapshot(self, idx: np.ndarray) -> np.ndarray:
        """Rows of the newest date; on a same-day tie, of the source with more rows (then the
        source name, descending), as the SQL orders them."""
        day = self.as_of[idx].max()
        idx = idx[self.as_of[idx] == day]
        counts = np.bincount(self.source_code[idx], minlength=len(self.source_names))
        best = max(np.flatnonzero(counts), key=lambda c: (counts[c], self.source_names[c]))
        return idx[self.source_code[idx] == best]

    def _newest_per_model(self, idx: np.ndarray) -> np.ndarray:
        """Per (model, setting) the newest row; ties by higher value, then source descending."""
        order = np.lexsort((
            -self.source_code[idx], -self.value[idx], -self.as_of[idx],
            self.setting_code[idx], self.model_code[idx],
        ))  # fmt: skip
        idx = idx[order]
        group = self.model_code[idx] * len(self.setting_names) + self.setting_code[idx]
        first = np.ones(len(idx), dtype=bool)
        first[1:] = group[1:] != group[:-1]
        return idx[first]

    def _row(self, i: int) -> Row:
        setting = str(self.setting_names[self.setting_code[i]])
        return (
            str(self.model_names[self.model_code[i]]), float(self.value[i]),
            None if self.no_low[i] else float(self.ci_low[i]),
            None if self.no_high[i] else float(self.ci_high[i]),
            dt.date.fromordinal(int(self.as_of[i]) + _EPOCH),
            setting or None,
            str(self.source_names[self.source_code[i]]),
        )  # fmt: skip


def answer_all(columns: Columns, lookups: Sequence[Lookup]) -> list[list[Row]]:
    """Every lookup's rows, in order."""
    return [columns.answer(look) for look in lookups]
