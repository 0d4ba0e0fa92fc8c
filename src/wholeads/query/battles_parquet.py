"""Parquet battle logs counted from their dictionary codes (the fast path of `battles`).

Arena logs store `model_a`, `model_b` and `winner` dictionary-encoded: a few hundred distinct
strings and one small integer per battle. Reading only those codes with pyarrow and counting
them with `np.bincount` gives the same counts as DuckDB's string group-by, in a fraction of its
time (0.04 s instead of 0.3 s for a million battles) and without loading DuckDB.

This path only ever answers when it is sure: a filter, a null, an empty name, a model playing
itself, an unknown winner, a column that is not text, or any reading error makes it return
None, and the DuckDB path then reads the file and reports the first offending row. So what is
a valid battle stays defined in one place (`battles`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wholeads.analysis.ratings import OUTCOMES, PairCounts

if TYPE_CHECKING:
    import pyarrow as pa

COLUMNS = ("model_a", "model_b", "winner")

MAX_ROWS = 50_000_000
"""Larger files stream through DuckDB, out of core (the codes take 12 bytes a battle here)."""


def count_parquet(path: Path) -> PairCounts | None:
    """Counts per (model_a, model_b, outcome), or None when DuckDB should read the file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(path, read_dictionary=COLUMNS)
        if file.metadata.num_rows > MAX_ROWS or not set(COLUMNS) <= set(file.schema_arrow.names):
            return None
        table = file.read(columns=list(COLUMNS)).unify_dictionaries()
    except (pa.ArrowException, OSError, ValueError, KeyError):  # e.g. a column is missing
        return None
    model_a, model_b, winner = (_codes(table.column(name)) for name in COLUMNS)
    if model_a is None or model_b is None or winner is None:
        return None
    return count_codes(*model_a, *model_b, *winner)


def _codes(column: pa.ChunkedArray) -> tuple[list[str], np.ndarray] | None:
    """A text column's distinct values and one code per row, or None if it is not that."""
    import pyarrow as pa

    kind = column.type
    if column.null_count or column.num_chunks == 0 or not pa.types.is_dictionary(kind):
        return None
    if not (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
        return None
    values = column.chunk(0).dictionary.to_pylist()
    codes = np.concatenate([chunk.indices.to_numpy() for chunk in column.chunks])
    return values, codes


def count_codes(
    names_a: list[str],
    code_a: np.ndarray,
    names_b: list[str],
    code_b: np.ndarray,
    winners: list[str],
    code_w: np.ndarray,
) -> PairCounts | None:
    """Counts from dictionary codes; None if any battle is not plainly valid.

    Models are indexed in sorted order, as DuckDB's `ORDER BY model` does (code-point order).
    """
    used_a = _used(names_a, code_a)
    used_b = _used(names_b, code_b)
    used_w = _used(winners, code_w)
    if any(w not in OUTCOMES for w in used_w) or any(not m.strip() for m in used_a | used_b):
        return None
    models = sorted(used_a | used_b)
    index = {m: pos for pos, m in enumerate(models)}
    a = np.array([index.get(m, -1) for m in names_a], dtype=np.int64)[code_a]
    b = np.array([index.get(m, -1) for m in names_b], dtype=np.int64)[code_b]
    if np.any(a == b):
        return None
    outcome = np.array([OUTCOMES.get(w, -1) for w in winners], dtype=np.int64)[code_w]
    k = len(models)
    key = (a * k + b) * 3 + outcome
    if k * k * 3 <= 4 * key.size + (1 << 20):
        count = np.bincount(key, minlength=k * k * 3)
        cells = np.flatnonzero(count)
        count = count[cells]
    else:
        cells, count = np.unique(key, return_counts=True)
    return PairCounts(
        models=tuple(models),
        a=cells // 3 // k,
        b=cells // 3 % k,
        outcome=cells % 3,
        count=count.astype(np.int64),
    )


def _used(values: list[str], codes: np.ndarray) -> set[str]:
    """The dictionary values that some row uses (a dictionary may hold unused entries)."""
    seen = np.bincount(codes, minlength=len(values)) > 0
    return {v for v, hit in zip(values, seen, strict=True) if hit}
