"""The full report for every domain, as `wholeads report` builds it: the wait before a person
can share it.

Target: build + write (HTML, every chart rendered to SVG) < 10 s. Median of a few runs after one
warm-up (the warm-up pays vl-convert's one-off start); pass --db to reuse a built database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import built_db
from wholeads.report import build_report, write_report
from wholeads.store import open_readonly

TARGET_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = args.db or built_db()
    out = Path(tempfile.mkdtemp(prefix="wholeads-report-"))
    builds, writes = [], []
    for i in range(args.runs + 1):
        t0 = time.perf_counter()
        with open_readonly(db) as con:
            report = build_report(con)
        t1 = time.perf_counter()
        path = write_report(report, out, "html")
        t2 = time.perf_counter()
        if i:  # the first run is the warm-up
            builds.append(t1 - t0)
            writes.append(t2 - t1)
    total = [b + w for b, w in zip(builds, writes, strict=True)]
    size = path.stat().st_size / 1e6
    print(f"report, {len(report.domains)} domains, {size:.1f} MB HTML")
    print(f"  build {statistics.median(builds):.2f} s + write {statistics.median(writes):.2f} s")
    print(f"  full report {statistics.median(total):.2f} s (target < {TARGET_S:.0f} s)")


if __name__ == "__main__":
    main()
