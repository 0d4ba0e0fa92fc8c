"""Reads never write: a query on a database it cannot read (held open by another process,
damaged, someone else's, from another version) fails with a message naming the file and the
cause, and leaves the file byte for byte as it was. Only a missing database is built by a query."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import copy_database, run_cli

HOLD_OPEN = (
    "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
    "print('ready', flush=True); sys.stdin.read()"
)


@contextlib.contextmanager
def held_open_by_another_process(db: Path) -> Iterator[None]:
    """A second process with a read-write DuckDB connection to ``db`` (as a user's duckdb shell)."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            assert proc.stdout.readline().strip() == "ready"
            yield
        finally:
            proc.stdin.close()
            proc.wait(timeout=60)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _flat(text: str) -> str:
    """Text without whitespace: messages are compared whatever the terminal wrapping."""
    return "".join(text.split())


@pytest.fixture
def db(real_db: Path, tmp_path: Path) -> Path:
    """A copy of the real 26-source database, alone in its folder."""
    return copy_database(real_db, tmp_path)


@pytest.mark.parametrize("command", [["leaders"], ["sources"], ["serve"]])
def test_a_query_on_a_database_held_by_another_process_fails_and_leaves_it(
    command: list[str],
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import uvicorn

    def must_not_serve(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server started on a database it could not read")

    monkeypatch.setattr(uvicorn, "run", must_not_serve)
    before = _sha(db)
    with held_open_by_another_process(db):
        code = run_cli(monkeypatch, *command, "--db", str(db))
    err = _flat(capsys.readouterr().err)
    assert code == 2
    assert _flat(f"{db}: another process holds it open for writing") in err
    assert "Traceback" not in err and "buildingit" not in err
    assert _sha(db) == before and _files(db.parent) == ["wholeads.duckdb"]


def test_an_update_does_not_replace_a_database_held_by_another_process(
    db: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _sha(db)
    with held_open_by_another_process(db):
        args = ["update", "--mirror", str(shared_data), "--only", "livebench", "--force"]
        code = run_cli(monkeypatch, *args, "--db", str(db))
    err = _flat(capsys.readouterr().err)
    assert code == 2 and _flat(str(db)) in err and _flat("the update leaves it as it is") in err
    assert _sha(db) == before


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a database, just some bytes" * 100)


def _foreign(path: Path) -> None:
    path.unlink()
    with contextlib.closing(duckdb.connect(str(path))) as con:
        con.execute("CREATE TABLE expenses AS SELECT range AS amount FROM range(1000)")


def _older_schema(path: Path) -> None:
    """What a database built before the last migration looks like."""
    with contextlib.closing(duckdb.connect(str(path))) as con:
        con.execute("DELETE FROM migrations WHERE name = (SELECT max(name) FROM migrations)")
        con.execute(
            "UPDATE meta SET value = (SELECT max(name) FROM migrations) WHERE key = 'schema'"
        )


@pytest.mark.parametrize(
    ("spoil", "cause"),
    [
        (_garbage, "it is not a DuckDB database file"),
        (lambda p: p.write_bytes(b""), "it is not a DuckDB database file"),
        (_foreign, "is not a wholeads database"),
        (_older_schema, "built by another version of wholeads"),
    ],
    ids=["garbage", "empty file", "someone else's DuckDB file", "older schema"],
)
def test_a_query_on_an_unreadable_database_names_the_cause_and_leaves_it(
    spoil: Callable[[Path], None],
    cause: str,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spoil(db)
    before = _sha(db)
    code = run_cli(monkeypatch, "leaders", "--db", str(db))
    err = _flat(capsys.readouterr().err)
    assert code == 2 and _flat(str(db)) in err and _flat(cause) in err
    assert "Traceback" not in err
    assert _sha(db) == before and _files(db.parent) == ["wholeads.duckdb"]


def test_an_update_rebuilds_a_database_of_an_older_schema(
    tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "small.duckdb"
    args = ["update", "--mirror", str(shared_data), "--only", "epoch-eci", "--db", str(db)]
    assert run_cli(monkeypatch, *args) == 0
    _older_schema(db)
    assert run_cli(monkeypatch, "sources", "--db", str(db)) == 2
    assert run_cli(monkeypatch, *args) == 0  # the update may replace it: it could read it
    assert run_cli(monkeypatch, "sources", "--db", str(db)) == 0


def test_an_update_never_replaces_someone_elses_file(
    db: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _foreign(db)
    before = _sha(db)
    args = ["update", "--mirror", str(shared_data), "--only", "epoch-eci", "--db", str(db)]
    assert run_cli(monkeypatch, *args) == 2
    assert _flat("is not a wholeads database") in _flat(capsys.readouterr().err)
    assert _sha(db) == before


def test_a_query_builds_a_missing_database_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new" / "wholeads.duckdb"
    assert run_cli(monkeypatch, "labs", "--json", "--db", str(db)) == 0
    captured = capsys.readouterr()
    assert _flat(f"no database at {db}; building it") in _flat(captured.err)
    assert '"deepseek"' in captured.out and db.is_file()


def test_the_default_build_never_replaces_a_database_built_while_it_waited(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query that found no database waits for the update that is building one; once it holds
    the lock, the mirror build it waited for must stay (not be replaced by the bundle)."""
    from wholeads.ingest.update import build_default

    monkeypatch.delenv("WHOLEADS_MIRROR", raising=False)  # the default would be the bundle
    db = tmp_path / "wholeads.duckdb"
    shutil.copy(real_db, db)  # what the other update wrote while this query waited
    before = _sha(db)
    assert build_default(db).skipped
    assert _sha(db) == before
