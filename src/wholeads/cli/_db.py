"""The database a command uses: its own --db, else the --db given before the command, else
$WHOLEADS_DB or the user data directory (opened by ``wholeads.library.database``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeads.cli import _globals
from wholeads.store.files import default_db_path

if TYPE_CHECKING:
    import duckdb

    from wholeads.library.database import err, notify_waiting

__all__ = ["connect", "db_path", "err", "notify_waiting"]


def __getattr__(name: str) -> Any:
    """``err`` and ``notify_waiting`` come from ``library.database`` (DuckDB, numpy) on first
    use: a command that only needs ``db_path`` (an unchanged ``update``) does not load it."""
    if name in ("err", "notify_waiting"):
        from wholeads.library import database

        return getattr(database, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def db_path(db: Path | None) -> Path:
    """The command's --db, else the one given before the command, else the default."""
    return db or _globals.db() or default_db_path()


@contextlib.contextmanager
def connect(
    db: Path | None, *, needs_evidence: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the command's database (see ``library.database.connect``)."""
    from wholeads.library.database import connect as open_db

    with open_db(db_path(db), needs_evidence=needs_evidence) as con:
        yield con
