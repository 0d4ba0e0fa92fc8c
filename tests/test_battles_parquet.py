"""Parquet battle logs read from their dictionary codes: the same counts as DuckDB, or no answer."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import synth_battles
from wholeads.analysis.ratings import PairCounts, rate
from wholeads.errors import DataError
from wholeads.query.battles import read_counts, read_counts_duckdb
from wholeads.query.battles_parquet import count_parquet


def cells(counts: PairCounts) -> dict[tuple[str, str, int], int]:
    """Counts keyed by names (DuckDB keeps 'tie' and 'tie (bothbad)' as two rows of one cell)."""
    out: dict[tuple[str, str, int], int] = {}
    for a, b, o, n in zip(counts.a, counts.b, counts.outcome, counts.count, strict=True):
        key = (counts.models[a], counts.models[b], int(o))
        out[key] = out.get(key, 0) + int(n)
    return out


@pytest.fixture(scope="module")
def arena_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An arena-shaped log: skewed pairings, both tie kinds, written by DuckDB as the bench does."""
    synth = synth_battles.generate(60_000, 40, seed=3, zipf=1.3)
    return synth_battles.write(synth, tmp_path_factory.mktemp("log") / "battles.parquet")


def test_same_cells_and_models_as_duckdb_on_an_arena_log(arena_log: Path) -> None:
    fast = count_parquet(arena_log)
    slow = read_counts_duckdb(arena_log)
    assert fast is not None
    assert fast.models == slow.models
    assert cells(fast) == cells(slow)
    assert fast.n_battles == 60_000


def test_ratings_and_intervals_are_identical_through_either_path(arena_log: Path) -> None:
    fast = read_counts(arena_log)
    slow = read_counts_duckdb(arena_log)
    one = rate(fast, rounds=50, seed=4)
    other = rate(slow, rounds=50, seed=4)
    np.testing.assert_array_equal(one.rating, other.rating)
    np.testing.assert_array_equal(one.ci_low, other.ci_low)
    np.testing.assert_array_equal(one.ci_high, other.ci_high)


def test_row_groups_with_their_own_dictionaries_and_large_strings(tmp_path: Path) -> None:
    """pandas/pyarrow writers give each row group its own dictionary; names may be large_string."""
    rng = np.random.default_rng(0)
    names = np.array(["gpt-4o", "claude-3.5", "qwen-2.5", "deepseek-v3", "llama-3"])
    winners = np.array(["model_a", "model_b", "tie", "tie (bothbad)"])
    a = rng.integers(0, 5, 5_000)
    b = (a + rng.integers(1, 5, 5_000)) % 5
    table = pa.table(
        {
            "model_a": pa.array(names[a], pa.large_string()),
            "model_b": pa.array(names[b]),
            "winner": pa.array(winners[rng.integers(0, 4, 5_000)]),
            "language": pa.array(["English"] * 5_000),
        }
    )
    path = tmp_path / "groups.parquet"
    pq.write_table(table, path, row_group_size=700)
    plain = tmp_path / "plain.parquet"
    pq.write_table(table, plain, use_dictionary=False)
    slow = read_counts_duckdb(path)
    for file in (path, plain):
        fast = count_parquet(file)
        assert fast is not None
        assert fast.models == slow.models == tuple(sorted(names))
        assert cells(fast) == cells(slow)


def test_unused_dictionary_entries_are_not_models(tmp_path: Path) -> None:
    models = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, 0], pa.int32()), pa.array(["a", "b", "never-played"])
    )
    table = pa.table(
        {"model_a": models, "model_b": pa.array(["b", "a", "b"]), "winner": ["model_a"] * 3}
    )
    path = tmp_path / "unused.parquet"
    pq.write_table(table, path)
    fast = count_parquet(path)
    assert fast is not None and fast.models == ("a", "b")
    assert cells(fast) == cells(read_counts_duckdb(path))


@pytest.mark.parametrize(
    ("column", "values", "row", "needle"),
    [
        ("winner", ["model_a", "draw", "tie"], 2, "unknown winner 'draw'"),
        ("model_b", ["b", "c", "a"], 3, "'a' plays itself"),
        ("model_a", ["a", None, "c"], 2, "model_a is empty"),
        ("model_a", ["a", " ", "c"], 2, "model_a is empty"),
    ],
)
def test_doubtful_files_go_to_duckdb_which_names_the_row(
    tmp_path: Path, column: str, values: list[str | None], row: int, needle: str
) -> None:
    data: dict[str, list[str | None]] = {
        "model_a": ["a", "b", "a"],
        "model_b": ["b", "c", "c"],
        "winner": ["model_a", "model_b", "tie"],
    }
    data[column] = values
    path = tmp_path / "bad.parquet"
    pq.write_table(pa.table(data), path)
    assert count_parquet(path) is None
    with pytest.raises(DataError, match=needle) as exc:
        read_counts(path)
    assert f"row {row}" in str(exc.value)


def test_non_text_columns_and_missing_columns_go_to_duckdb(tmp_path: Path) -> None:
    numeric = tmp_path / "numeric.parquet"
    pq.write_table(pa.table({"model_a": [1, 2], "model_b": [2, 1], "winner": ["tie"] * 2}), numeric)
    assert count_parquet(numeric) is None
    assert read_counts(numeric).models == ("1", "2")
    missing = tmp_path / "missing.parquet"
    pq.write_table(pa.table({"model_a": ["a"], "model_b": ["b"]}), missing)
    assert count_parquet(missing) is None
    with pytest.raises(DataError, match="missing column"):
        read_counts(missing)


def test_filters_always_go_to_duckdb(arena_log: Path) -> None:
    chinese = read_counts(arena_log, ["language = 'Chinese'"])
    assert 0 < chinese.n_battles < 60_000
