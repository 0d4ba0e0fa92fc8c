"""The score rows cached per database build (query/frame_cache.py): a warm read gives exactly the
rows of a cold one, a new or changed database never reads another build's file, and a damaged
file or an unwritable folder only costs the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from conftest import copy_database
from wholeads import library
from wholeads.kb.domains import load_domains
from wholeads.query import frame_cache
from wholeads.query.evidence import Reader, benchmarks_of

BENCHMARKS = sorted(benchmarks_of(load_domains().values()))
FIELDS = ("model", "value", "ci_low", "ci_high", "valid", "data", "board", "setting", "source")


@pytest.fixture
def db(real_db: Path, tmp_path: Path) -> Path:
    return copy_database(real_db, tmp_path)


def _frames(db: Path) -> dict[str, dict[str, np.ndarray]]:
    with duckdb.connect(str(db), read_only=True) as con:
        frames = Reader(con).frames(BENCHMARKS)
        return {b: {k: getattr(f, k) for k in FIELDS} for b, f in frames.items()}


def _same(a: dict[str, dict[str, np.ndarray]], b: dict[str, dict[str, np.ndarray]]) -> None:
    assert a.keys() == b.keys()
    for bench in a:
        for k in FIELDS:
            assert np.array_equal(a[bench][k], b[bench][k], equal_nan=k in ("value", "ci_low",
                                  "ci_high")), (bench, k)  # fmt: skip


def _cache_files() -> list[Path]:
    return sorted(frame_cache.folder().glob("*.npz"))


def _loads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records whether each read found its cache file."""
    hits: list[bool] = []
    real = frame_cache.load

    def load(signature: str, benchmarks: list[str]):  # type: ignore[no-untyped-def]
        found = real(signature, benchmarks)
        hits.append(found is not None)
        return found

    monkeypatch.setattr(frame_cache, "load", load)
    return hits


def _rows_in_db(db: Path, benchmark: str) -> int:
    """The usable rows of one benchmark, counted in SQL as the selection rules define them."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT count(*) FROM scores WHERE benchmark_id = ? AND model_id IS NOT NULL "
            "AND value IS NOT NULL AND isfinite(value) AND valid_from IS NOT NULL",
            [benchmark],
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_warm_read_gives_the_rows_and_answers_of_a_cold_one(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hits = _loads(monkeypatch)
    cold = _frames(db)
    cold_answer = library.leaders(db=db).to_dict()
    assert len(_cache_files()) == 1
    warm = _frames(db)
    assert hits[0] is False and all(hits[1:]) and len(hits) >= 3
    _same(cold, warm)
    assert library.leaders(db=db).to_dict() == cold_answer
    for bench in ("livebench-global", "lmarena-text-full"):
        assert len(warm[bench]["model"]) == _rows_in_db(db, bench) > 0


def test_a_new_build_never_reads_the_old_builds_rows(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _frames(db)  # the old build's file
    new = tmp_path / "new" / "wholeads.duckdb"
    new.parent.mkdir()
    shutil.copy(db, new)
    with duckdb.connect(str(new)) as con:  # a rebuild in which livebench lost its newest table
        con.execute(
            "DELETE FROM scores WHERE benchmark_id = 'livebench-global' AND as_of = "
            "(SELECT max(as_of) FROM scores WHERE benchmark_id = 'livebench-global')"
        )
        con.execute("UPDATE meta SET value = '2099-01-01T00:00:00+00:00' WHERE key = 'built_at'")
    hits = _loads(monkeypatch)
    frames = _frames(new)
    assert hits == [False]
    expected, old = _rows_in_db(new, "livebench-global"), _rows_in_db(db, "livebench-global")
    assert len(frames["livebench-global"]["model"]) == expected < old
    assert len(_cache_files()) == 2


def test_a_changed_file_of_the_same_build_is_a_miss(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same build record, other content (edited in place): the file's size or time differs."""
    before = _frames(db)
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM scores WHERE benchmark_id = 'livebench-global'")
    hits = _loads(monkeypatch)
    after = _frames(db)
    assert hits == [False]
    assert len(after["livebench-global"]["model"]) == 0 < len(before["livebench-global"]["model"])


def test_a_damaged_file_is_a_miss_and_is_rewritten(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _frames(db)
    (path,) = _cache_files()
    path.write_bytes(path.read_bytes()[:1000])  # cut short, as by a full disk
    hits = _loads(monkeypatch)
    _same(cold, _frames(db))
    _same(cold, _frames(db))
    assert hits == [False, True]


def test_an_unwritable_cache_folder_only_costs_the_cache(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setattr(frame_cache, "folder", lambda: blocked / "frames")
    hits = _loads(monkeypatch)
    _same(_frames(db), _frames(db))
    assert hits == [False, False]


def test_an_in_memory_database_has_no_cache() -> None:
    with duckdb.connect() as con:
        assert frame_cache.build_signature(con) is None
