"""The real database, built once per test session from the shared data snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from wholeads.update import run_update


@pytest.fixture(scope="session")
def real_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built by `wholeads update --mirror <shared data>` into a session temp dir."""
    path = tmp_path_factory.mktemp("realdb") / "db.duckdb"
    run_update(path, mirror=shared_data, force=True)
    return path
