"""The database a command uses: its own --db, else the --db given before the command, else
$WHOLEADS_DB or the user data directory (opened by ``wholeads.library.database``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from wholeads.cli import _globals
from wholeads.library.database import err, notify_waiting
from wholeads.store.files import default_db_path

if TYPE_CHECKING:
    import duckdb

__all__ = ["connect", "db_path", "err", "notify_waiting"]


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
