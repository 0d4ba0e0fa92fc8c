"""Opening the database from a command: build it first when a query finds none."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
from rich.console import Console

from wholeads.store import default_db_path, is_built, open_readonly

err = Console(stderr=True)


def db_path(db: Path | None) -> Path:
    return db or default_db_path()


@contextlib.contextmanager
def connect(db: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; a missing database is built first (mirror or embedded default)."""
    path = db_path(db)
    if not is_built(path):
        from wholeads.update import build_default, mirror_from_env

        where = mirror_from_env() or "the embedded default (knowledge base + models.dev catalog)"
        err.print(f"[dim]no database at {path}; building it from {where}…[/dim]")
        build_default(path)
    con = open_readonly(path)
    try:
        yield con
    finally:
        con.close()
