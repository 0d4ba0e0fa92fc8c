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
from wholeads.report import make_report
from wholeads.store import open_readonly

TARGET_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    db = args.db or built_db()
    out = Path(tempfile.mkdtemp(prefix="wholeads-report-"))
    total = []
    for i in range(args.runs + 1):
        t0 = time.perf_counter()
        with open_readonly(db) as con:
            report, path = make_report(con, out, "html")
        if i:  # the first run is the warm-up
            total.append(time.perf_counter() - t0)
    size = path.stat().st_size / 1e6
    print(f"report, {len(report.domains)} domains, {size:.1f} MB HTML, charts rendered on the")
    print("  second core while the sections are built (wholeads.svgrender.Renderer)")
    print(f"  full report {statistics.median(total):.2f} s (target < {TARGET_S:.0f} s)")


if __name__ == "__main__":
    main()
