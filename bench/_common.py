"""Helpers shared by the benchmarks: where the real data is, and a built database to query."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("WHOLEADS_SHARED_DATA", REPO.parent / "shared" / "data"))


def require_shared_data() -> Path:
    """The real data folder, or exit with a clear message."""
    if not SHARED_DATA.is_dir():
        sys.exit(f"real data folder {SHARED_DATA} is absent (set WHOLEADS_SHARED_DATA)")
    return SHARED_DATA


def built_db() -> Path:
    """A database built from the mirror into a temporary folder (reused within one process)."""
    from wholeads.ingest.update import run_update

    path = Path(tempfile.mkdtemp(prefix="wholeads-bench-")) / "bench.duckdb"
    run_update(path, mirror=require_shared_data(), force=True)
    return path


def peak_rss_mb() -> float:
    """Peak resident memory of this process, MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
