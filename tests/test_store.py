"""The store: named migrations recorded, and atomic builds that never leave a half-built file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from wholeads.store import MIGRATIONS, building, is_built, migrate, open_readonly


def _build(path: Path, marker: str) -> None:
    with building(path) as con:
        con.execute("INSERT INTO meta VALUES ('marker', ?)", [marker])


def test_migrations_are_recorded_in_order(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    assert migrate(con) == [name for name, _ in MIGRATIONS]
    assert migrate(con) == []
    names = [r[0] for r in con.execute("SELECT name FROM migrations ORDER BY name").fetchall()]
    assert names == sorted(name for name, _ in MIGRATIONS)


def test_failed_build_leaves_previous_database_intact(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _build(db, "first")
    with pytest.raises(RuntimeError, match="simulated crash"), building(db) as con:
        # Half-write the new file: thousands of rows land on disk before the failure.
        con.execute("INSERT INTO meta SELECT 'k' || i, 'v' FROM range(5000) t(i)")
        con.execute("CHECKPOINT")
        raise RuntimeError("simulated crash")
    assert is_built(db)
    with open_readonly(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() == ("first",)
        assert con.execute("SELECT count(*) FROM meta").fetchone() == (1,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_successful_build_replaces_atomically(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _build(db, "first")
    reader = open_readonly(db)  # a reader holding the old file keeps reading it
    _build(db, "second")
    assert reader.execute("SELECT value FROM meta").fetchone() == ("first",)
    reader.close()
    with open_readonly(db) as con:
        assert con.execute("SELECT value FROM meta").fetchone() == ("second",)


def test_garbage_file_is_not_a_built_database(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"not a database")
    assert not is_built(db)
