"""`wholeads update --mirror ../shared/data`: wall time and peak memory, first and repeat run.

Each run is a fresh process (as a user would run it), measured with getrusage of the children.
Targets: full update < 10 s and < 1 GB peak; a repeat with unchanged inputs < 2 s.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import require_shared_data


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the child, and its last output line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"update failed ({done.returncode}):\n{done.stderr}")
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    lines = [ln for ln in done.stdout.splitlines() if ln.strip()]
    return wall, peak, lines[-1] if lines else ""


def main() -> None:
    mirror = require_shared_data()
    files = sum(1 for p in mirror.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in mirror.rglob("*") if p.is_file()) / 1e6
    tmp = Path(tempfile.mkdtemp(prefix="wholeads-bench-"))
    env = {
        **os.environ,
        "WHOLEADS_DB": str(tmp / "db.duckdb"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
    }
    cmd = [sys.executable, "-m", "wholeads", "update", "--mirror", str(mirror)]
    first = run(cmd, env)
    repeat = run(cmd, env)
    print(f"input: {files:,} files, {size:.1f} MB from {mirror}")
    print(f"{'run':<34}{'wall (s)':>10}{'peak (MB)':>12}{'target':>22}")
    print(
        f"{'full update (fresh cache)':<34}{first[0]:>10.2f}{first[1]:>12.0f}"
        f"{'< 10 s, < 1,000 MB':>22}"
    )
    print(f"{'repeat, unchanged inputs':<34}{repeat[0]:>10.2f}{repeat[1]:>12.0f}{'< 2 s':>22}")
    print(f"repeat said: {repeat[2]}")


if __name__ == "__main__":
    main()
