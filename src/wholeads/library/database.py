"""Opening the database for a question (the library and every command): build it first when a
query finds none, and fetch evidence first when a query needs evidence the database does not
have yet. Progress and hints go to stderr; answers are returned.

A query never replaces a database it cannot read: a file that is locked, damaged, someone else's
or from another version of wholeads is an error naming the file and the cause, left untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
from rich.console import Console

from wholeads.errors import DatabaseError
from wholeads.store.files import check_current, default_db_path, has_scores, open_readonly

err = Console(stderr=True)
NO_EVIDENCE = (
    "no benchmark evidence yet, so most domains show 'insufficient evidence'. Get the evidence "
    "with 'wholeads update' (online, from the public sources) or 'wholeads update --mirror DIR' "
    "(a folder laid out like shared/data; or set WHOLEADS_MIRROR=DIR)."
)


def online() -> bool:
    """True when the public sources answer: one probe, remembered for a while (``ingest/probe.py``);
    never when WHOLEADS_OFFLINE is set."""
    from wholeads.ingest.probe import online as probe_online
    from wholeads.store.files import cache_dir

    return probe_online(cache_dir())


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


def _say_bundle_age(con: duckdb.DuckDBPyConnection) -> None:
    """After the answer: how old the bundled evidence it used is, and how to refresh it."""
    from wholeads.query.evidence_origin import evidence_origin

    origin = evidence_origin(con)
    if not origin.bundled_score_sources or origin.bundle_evidence_until is None:
        return
    until = origin.bundle_evidence_until
    age = (dt.date.today() - until).days
    share = (
        "the evidence bundled with wholeads"
        if origin.bundle_only
        else f"{origin.bundled_score_sources} of {origin.score_sources} sources from the bundle"
    )
    err.print(
        f"[dim]evidence: {share}, newest score {until.isoformat()} ({age:,} days old); "
        "'wholeads update' fetches the current data (online, or --mirror DIR)[/dim]"
    )


@contextlib.contextmanager
def connect(
    db: str | os.PathLike[str] | None, *, needs_evidence: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to ``db`` ($WHOLEADS_DB or the user data directory when None).
    A missing database is built first (the mirror named by
    WHOLEADS_MIRROR, else the shipped catalog and evidence bundle); a query that needs evidence
    the database lacks runs the update first, or says plainly what is missing and how to get it
    (after the answer: how old bundled evidence is). An existing file
    that cannot be read is a DatabaseError, never rebuilt."""
    path = Path(db) if db is not None else default_db_path()
    if not path.exists():
        from wholeads.ingest.update import build_default, mirror_from_env

        where = mirror_from_env() or "the evidence bundled with wholeads (no network needed)"
        err.print(f"[dim]no database at {path}; building it from {where}…[/dim]")
        build_default(path, notify=notify_waiting)
    con = open_readonly(path)  # one connection checks the file and answers
    try:
        check_current(path, con)
        if needs_evidence and not has_scores(con, path):
            con.close()
            _fetch_evidence(path)
            con = open_readonly(path)
        yield con
        if needs_evidence:
            _say_bundle_age(con)
    except duckdb.Error as exc:
        raise DatabaseError(f"reading the database {path} failed: {exc}") from None
    finally:
        con.close()
