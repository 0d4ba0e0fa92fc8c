"""Shared fixtures: where the real data snapshots live, and a helper to read one source."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from wholeads.ingest.resolve import ModelEntry, Resolver
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources.base import RawFiles
from wholeads.ingest.sources.fetch import read_mirror
from wholeads.ingest.stored_resolver import write_resolver
from wholeads.schema import SourceBatch

# Piped output is as wide as $COLUMNS (cli/_output.py); pytest-xdist's workers inherit COLUMNS=80
# from the terminal code, so a run in parallel would print narrower tables than a serial one.
# Tests that need a width set it themselves.
os.environ.pop("COLUMNS", None)

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WHOLEADS_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real public data snapshots; tests that need it skip only when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (set WHOLEADS_SHARED_DATA)")
    return SHARED_DATA


def raw_source(shared: Path, source_id: str) -> RawFiles:
    """The raw files of one source from the shared data folder."""
    return read_mirror(get_source(source_id).SPEC, shared)


def load_source(shared: Path, source_id: str) -> SourceBatch:
    """Parse and translate one source from the shared data folder."""
    return get_source(source_id).load(raw_source(shared, source_id))


@pytest.fixture(scope="session")
def real_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once per test session from every source in the real data folder."""
    from wholeads.ingest.update import run_update

    root = tmp_path_factory.mktemp("realdb")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(root / "cache")
    try:
        run_update(root / "wholeads.duckdb", mirror=shared_data, force=True)
    finally:
        if old is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = old
    return root / "wholeads.duckdb"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the real user data or cache directories."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("WHOLEADS_DB", raising=False)
    monkeypatch.delenv("WHOLEADS_MIRROR", raising=False)


@pytest.fixture(autouse=True)
def _never_online(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the internet: the 'are the public sources reachable' probe says no."""
    monkeypatch.setenv("WHOLEADS_OFFLINE", "1")


def copy_database(real_db: Path, tmp_path: Path) -> Path:
    """A copy of the real database, alone in a folder of its own (for tests that change it)."""
    copy = tmp_path / "db" / "wholeads.duckdb"
    copy.parent.mkdir()
    shutil.copy(real_db, copy)
    return copy


def asgi_request(app: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to the web app in-process (httpx over ASGI, no server)."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


def run_cli(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the console entry point in-process, as a user would; its exit code."""
    from wholeads.cli import main

    monkeypatch.setattr(sys, "argv", ["wholeads", *args])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def store_resolver(con: duckdb.DuckDBPyConnection) -> None:
    """Index a hand-made database's labs, models and aliases and store that resolver, as a build
    does (readers load the stored resolver; they never build one)."""
    resolver = Resolver()
    lab_rows = con.execute(
        "SELECT l.id, l.name, list(a.alias) FILTER (WHERE a.alias IS NOT NULL)"
        " FROM labs l LEFT JOIN lab_aliases a ON a.lab_id = l.id GROUP BY l.id, l.name"
    ).fetchall()
    for lab_id, name, aliases in lab_rows:
        resolver.add_lab(lab_id, [name, *(aliases or [])])
    model_rows = con.execute(
        "SELECT m.id, m.name, m.lab_id, m.family_id, m.release_date,"
        " list(a.alias) FILTER (WHERE a.alias IS NOT NULL)"
        " FROM models m LEFT JOIN model_aliases a ON a.model_id = m.id"
        " GROUP BY m.id, m.name, m.lab_id, m.family_id, m.release_date"
    ).fetchall()
    for model_id, name, lab_id, family_id, release, aliases in model_rows:
        entry = ModelEntry(model_id, lab_id, family_id, release.isoformat() if release else None)
        resolver.add_model(entry, [name, *(aliases or [])])
    write_resolver(con, resolver, [(m, m, "kb") for m, *_ in model_rows])
