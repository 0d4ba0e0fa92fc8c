"""Shared fixtures: where the real data snapshots live, and a helper to read one source."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wholeads.schema import SourceBatch
from wholeads.sources import get_source
from wholeads.sources.base import RawFiles
from wholeads.sources.fetch import read_mirror

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
