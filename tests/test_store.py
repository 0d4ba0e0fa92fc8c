"""The store: named migrations recorded, atomic builds that never leave a half-built file (and
clean up those killed builders left), and unreadable files reported, not rebuilt."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from wholeads.errors import DatabaseError
from wholeads.store.files import building, is_built, open_readonly
from wholeads.store.migrations import MIGRATIONS, migrate
from wholeads.store.tables import ALL, MIGRATIONS_TABLE, SCORES


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


def test_garbage_file_is_an_error_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"not a database")
    with pytest.raises(DatabaseError, match=f"{db}: it is not a DuckDB database file"):
        is_built(db)
    assert not is_built(tmp_path / "missing.duckdb")


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(proc.stdout)


def test_a_build_removes_what_killed_builders_left_and_keeps_running_ones(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    dead = _dead_pid()
    left = [tmp_path / f".w.duckdb.building-{dead}", tmp_path / f".w.duckdb.building-{dead}.wal"]
    running = tmp_path / f".w.duckdb.building-{os.getppid()}"  # a live process (pytest's parent)
    for path in [*left, running]:
        path.write_bytes(b"half a database")
    _build(db, "first")
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "w.duckdb"]


def _schema(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Every table's columns (name, type, primary key) in order, and every index, as stored."""
    keys = {
        (t, c)
        for t, cols in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
        for c in cols
    }
    tables: dict[str, Any] = {}
    for table, name, kind in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "ORDER BY table_name, ordinal_position"
    ).fetchall():
        tables.setdefault(table, []).append((name, kind, (table, name) in keys))
    indexes = con.execute("SELECT index_name, table_name, expressions FROM duckdb_indexes()")
    return {"tables": tables, "indexes": sorted(indexes.fetchall())}


def test_the_declared_schema_is_what_a_new_database_has(tmp_path: Path) -> None:
    with building(tmp_path / "w.duckdb") as con:
        stored = _schema(con)
    declared = {
        t.name: [(c.name, c.sql, c.key) for c in t.columns] for t in (*ALL, MIGRATIONS_TABLE)
    }
    assert stored["tables"] == dict(sorted(declared.items()))
    on = [(name, t.name, f"[{', '.join(cols)}]") for t in ALL for name, cols in t.indexes]
    assert stored["indexes"] == sorted(on)
    assert [d.name for d in dataclasses.fields(SCORES.row)] == list(SCORES.names)
    assert all(c.doc for t in ALL for c in t.columns), "document every column in tables.py"
