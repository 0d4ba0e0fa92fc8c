"""The database file: where it lives, atomic builds, read-only access, which schema it has.

A build writes a brand-new file beside the target and renames it over the old one only when it is
complete (``os.replace`` is atomic), so a failed or interrupted build leaves the previous database
intact and a reader never sees a half-built one. Reading never writes: a file that cannot be read
as a wholeads database of this version is an error naming the file and the cause.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from wholeads.errors import DatabaseError

if TYPE_CHECKING:
    import duckdb

# DuckDB and the migrations (with them numpy) are imported by the functions that open a file:
# finding where the database lives (``default_db_path``) imports neither.

DB_ENV = "WHOLEADS_DB"
DB_FILENAME = "wholeads.duckdb"


def default_db_path() -> Path:
    """``$WHOLEADS_DB`` or ``wholeads.duckdb`` in the user's data directory."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("wholeads")) / DB_FILENAME


def cache_dir() -> Path:
    """Where online fetches are cached."""
    return Path(platformdirs.user_cache_dir("wholeads"))


@contextlib.contextmanager
def building(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a fresh database that replaces ``target`` atomically on success.

    On any exception the half-built file is removed and ``target`` is left as it was. Half-built
    files that builders killed earlier left behind are removed first.
    """
    import duckdb

    from wholeads.store.migrations import migrate

    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    tmp = _building_path(target, os.getpid())
    for stale in (tmp, _wal(tmp)):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, target)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        _wal(tmp).unlink(missing_ok=True)
        raise


def _building_path(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}.building-{pid}")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the half-built files (and their ``.wal``) of builders of ``target`` that are no
    longer running, e.g. killed during a build; returns what was removed."""
    prefix = f".{target.name}.building-"
    removed = []
    for path in target.parent.glob(prefix + "*"):
        pid = path.name.removeprefix(prefix).removesuffix(".wal")
        if pid.isdigit() and int(pid) != os.getpid() and not process_running(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def process_running(pid: int) -> bool:
    """Is process ``pid`` alive (ours or someone else's)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a built database for reading only; a file DuckDB cannot open (held for writing by
    another process, not a DuckDB file, unreadable) is a DatabaseError naming it and the cause."""
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DatabaseError(f"cannot open the database {path}: {_cause(exc)}") from None


def _cause(exc: duckdb.Error) -> str:
    text = str(exc).strip()
    if "Conflicting lock" in text:
        return f"another process holds it open for writing ({text})"
    if "not a valid DuckDB database" in text:
        return "it is not a DuckDB database file"
    return text


def built_schema(path: Path) -> str | None:
    """The last migration recorded in the wholeads database at ``path``; None when there is no
    file. A file that exists but is not a readable wholeads database (locked, damaged, not
    DuckDB, no migrations table) is a DatabaseError naming it and the cause."""

    if not path.exists():
        return None
    with contextlib.closing(open_readonly(path)) as con:
        return recorded_schema(con, path)


def recorded_schema(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """The last migration recorded in an open database (``path`` names it in errors)."""
    import duckdb  # already loaded by whoever opened ``con``

    try:
        row = con.execute("SELECT max(name) FROM migrations").fetchone()
    except duckdb.CatalogException:
        row = None
    except duckdb.Error as exc:
        raise DatabaseError(f"cannot read the database {path}: {_cause(exc)}") from None
    if not row or not row[0]:
        raise DatabaseError(
            f"{path} is not a wholeads database (it records no migrations); "
            "pass another --db, or move the file away"
        )
    return str(row[0])


def is_built(path: Path) -> bool:
    """True when ``path`` is a database built by this version of the schema, False when there is
    none or it is from another version; DatabaseError when the file cannot be read."""
    from wholeads.store.migrations import schema_version

    return built_schema(path) == schema_version()


def check_current(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """For readers: the database at ``path`` (which exists; ``con``: already open on it) is one
    this version can query; a query never rebuilds an existing file, so an older one is an error
    saying what to run."""
    from wholeads.store.migrations import schema_version

    schema = built_schema(path) if con is None else recorded_schema(con, path)
    if schema != schema_version():
        raise DatabaseError(
            f"the database {path} was built by another version of wholeads (schema {schema}; "
            f"this version reads {schema_version()}); rebuild it with 'wholeads update' "
            "(or 'wholeads build' offline)"
        )


def has_scores(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Does the open database hold any score (none: no update has brought evidence yet)?"""
    import duckdb  # already loaded by whoever opened ``con``

    try:
        row = con.execute("SELECT count(*) > 0 FROM scores").fetchone()
    except duckdb.Error as exc:
        raise DatabaseError(f"reading the database {path} failed: {exc}") from None
    return bool(row and row[0])
