"""Opening the database for a question (the library and every command): build it first when a
query finds none, and fetch evidence first when a query needs evidence the database does not
have yet. Progress and hints go to stderr; answers are returned.

A query never replaces a database it cannot read: a file that is locked, damaged, someone else's
or from another version of wholeads is an error naming the file and the cause, left untouched.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
from rich.console import Console

from wholeads.errors import DatabaseError
from wholeads.query.catalog import score_count
from wholeads.store.files import built_schema, check_current, default_db_path, open_readonly

err = Console(stderr=True)
OFFLINE_ENV = "WHOLEADS_OFFLINE"
PROBE_URL = "https://models.dev/api.json"
NO_EVIDENCE = (
    "no benchmark evidence yet: the embedded default holds the knowledge base and the models.dev "
    "catalog only, so most domains show 'insufficient evidence'. Get the evidence with "
    "'wholeads update' (online, from the public sources) or 'wholeads update --mirror DIR' "
    "(a folder laid out like shared/data; or set WHOLEADS_MIRROR=DIR)."
)


def online() -> bool:
    """True when the public sources answer (a quick probe; never when WHOLEADS_OFFLINE is set)."""
    if os.environ.get(OFFLINE_ENV):
        return False
    import httpx  # only when a query needs evidence the database lacks

    try:
        httpx.head(PROBE_URL, timeout=3.0, follow_redirects=True)
    except httpx.HTTPError:
        return False
    return True


def _has_evidence(path: Path) -> bool:
    with contextlib.closing(open_readonly(path)) as con:
        try:
            return score_count(con) > 0
        except duckdb.Error as exc:
            raise DatabaseError(f"reading the database {path} failed: {exc}") from None


def notify_waiting(message: str) -> None:
    """Say that an update waits for another one (printed while the progress bar runs)."""
    err.print(f"[yellow]{message}…[/yellow]")


def _fetch_evidence(path: Path) -> None:
    from wholeads.ingest.update import UpdateResult, mirror_from_env, run_update

    mirror = mirror_from_env()
    result: UpdateResult | None = None
    if mirror is not None:
        err.print(f"[dim]no benchmark evidence yet; updating from the mirror {mirror}…[/dim]")
        result = run_update(path, mirror=mirror, keep_going=True, notify=notify_waiting)
    elif online():
        err.print("[dim]no benchmark evidence yet; updating from the public sources…[/dim]")
        result = run_update(path, online=True, keep_going=True, notify=notify_waiting)
    else:
        err.print(f"[yellow]{NO_EVIDENCE}[/yellow]")
    for run in result.failed if result else []:
        err.print(f"[red]source {run.id} failed ({run.status}): {run.error}[/red]")


@contextlib.contextmanager
def connect(
    db: str | os.PathLike[str] | None, *, needs_evidence: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to ``db`` ($WHOLEADS_DB or the user data directory when None).
    A missing database is built first (the mirror named by
    WHOLEADS_MIRROR, else the embedded default); a query that needs evidence the database lacks
    runs the update first, or says plainly what is missing and how to get it. An existing file
    that cannot be read is a DatabaseError, never rebuilt."""
    path = Path(db) if db is not None else default_db_path()
    if built_schema(path) is None:
        from wholeads.ingest.update import build_default, mirror_from_env

        where = mirror_from_env() or "the embedded default (knowledge base + models.dev catalog)"
        err.print(f"[dim]no database at {path}; building it from {where}…[/dim]")
        build_default(path, notify=notify_waiting)
    check_current(path)
    if needs_evidence and not _has_evidence(path):
        _fetch_evidence(path)
    con = open_readonly(path)
    try:
        yield con
    except duckdb.Error as exc:
        raise DatabaseError(f"reading the database {path} failed: {exc}") from None
    finally:
        con.close()
