"""Leaders and gap queries on the real database, in this process: the latency a person waits for.

Target: every domain's leaders as of one date < 150 ms, as ``wholeads.library.leaders`` answers
it (the database opened, checked and read with a fresh Reader, as a command does), with the
build's cached score rows (``query/frame_cache.py``) in place. Side by side in the same rounds:

- cold: the same call with an empty cache folder (rows read from DuckDB, coded and sorted);
- floor: opening the database and fetching the same benchmarks' score columns into numpy with
  one plain SELECT (no codes, no order, no selection rules, no answer);
- a full ``gap`` series (general, US vs CN, every snapshot), target < 500 ms.

Min and median of ``--runs`` alternating rounds after one warm-up, wall and CPU milliseconds.

    python bench/bench_leaders.py [--db FILE] [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import built_db
from wholeads import library
from wholeads.kb.domains import load_domains
from wholeads.query.evidence import benchmarks_of
from wholeads.store.files import open_readonly

LEADERS_TARGET_MS = 150
GAP_TARGET_MS = 500
FLOOR_SQL = """SELECT model_id, value, ci_low, ci_high, valid_from, data_date, as_of, setting,
    source, benchmark_id FROM scores WHERE benchmark_id IN (SELECT unnest(?::VARCHAR[]))
    AND model_id IS NOT NULL AND value IS NOT NULL AND isfinite(value)
    AND valid_from IS NOT NULL"""


class Timed:
    """One job and its wall and CPU milliseconds per round."""

    def __init__(self, name: str, fn: Callable[[], object], target_ms: float | None = None):
        self.name, self.fn, self.target_ms = name, fn, target_ms
        self.walls: list[float] = []
        self.cpus: list[float] = []

    def run(self) -> None:
        t0, c0 = time.perf_counter(), time.process_time()
        self.fn()
        self.walls.append((time.perf_counter() - t0) * 1000)
        self.cpus.append((time.process_time() - c0) * 1000)


def _pair(values: list[float]) -> str:
    return f"{min(values):7.0f} / {statistics.median(values):7.0f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db or built_db()
    benchmarks = sorted(benchmarks_of(load_domains().values()))
    cache_home = Path(tempfile.mkdtemp(prefix="wholeads-bench-cache-"))
    os.environ["XDG_CACHE_HOME"] = str(cache_home)
    as_of = library.leaders(db=db).as_of  # also writes the cache file the warm job reads

    def cold() -> None:
        empty = Path(tempfile.mkdtemp(prefix="wholeads-bench-cold-"))
        os.environ["XDG_CACHE_HOME"] = str(empty)
        try:
            library.leaders(db=db)
        finally:
            os.environ["XDG_CACHE_HOME"] = str(cache_home)
            shutil.rmtree(empty, ignore_errors=True)

    def floor() -> None:
        with open_readonly(db) as con:
            con.execute(FLOOR_SQL, [benchmarks]).fetchnumpy()

    jobs = [
        Timed(f"leaders, {len(load_domains())} domains (cache file)",
              lambda: library.leaders(db=db), LEADERS_TARGET_MS),
        Timed("leaders, 2025-03-01 (cache file)",
              lambda: library.leaders(dt.date(2025, 3, 1), db=db), LEADERS_TARGET_MS),
        Timed("leaders, no cache file (cold)", cold),
        Timed("floor: open + SELECT the rows", floor),
        Timed("gap general US vs CN", lambda: library.gap("general", db=db), GAP_TARGET_MS),
    ]  # fmt: skip
    for job in jobs:  # warm-up
        job.fn()
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for job in jobs:
            job.run()
        loads.append(os.getloadavg()[0])
    shutil.rmtree(cache_home, ignore_errors=True)
    print(f"in-process, as of {as_of}: min / median of {args.runs} alternating rounds (ms); "
          f"load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(f"{'':40}{'wall':>17}{'CPU':>17}{'target':>10}")
    for job in jobs:
        target = ""
        if job.target_ms is not None:
            ok = statistics.median(job.cpus) < job.target_ms
            target = f"< {job.target_ms:g} {'met' if ok else 'NOT met'}"
        print(f"{job.name:40}{_pair(job.walls):>17}{_pair(job.cpus):>17}  {target}")
    print("(targets judged on the median CPU time: the wall time moves with the other load)")


if __name__ == "__main__":
    main()
