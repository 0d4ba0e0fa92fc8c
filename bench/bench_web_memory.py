"""Web server memory under many distinct dates: resident memory levels off at the caches' bounds.

Each date is asked as a visitor would (the home page, its JSON twin, the same by lab, a domain
page), one request at a time, against a real uvicorn process on loopback (one worker); the
server's RSS is printed every --every dates. The caches are LRUs of bounded size (whole answers
64 MB; leaders 128 answers; pages 256; charts 128: see web/state.py), so after a few hundred
dates every cache is full and the RSS stops growing. Their bound: 64 MB of answers, 128 leaders
answers of <= 0.45 MB, 256 page parts of <= 0.3 MB (a home page with its chart), 128 charts of
<= 0.13 MB: CACHES_MB in all. Target: the RSS at the end is below the RSS at start plus
CACHES_MB (15% allowed for the allocator), and the last quarter of the dates grows it < 5%.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import urllib.request

from _common import built_db
from bench_web import HOST, rss_mb, server

PATHS = ("/?as_of={d}", "/api/leaders?as_of={d}", "/api/leaders?as_of={d}&by=lab",
         "/domain/coding?as_of={d}")  # fmt: skip
FIRST = dt.date(2023, 1, 1)
CACHES_MB = 64 + 128 * 0.45 + 256 * 0.3 + 128 * 0.13


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    parser.add_argument("--dates", type=int, default=300)
    parser.add_argument("--every", type=int, default=25)
    args = parser.parse_args()
    from pathlib import Path

    db = Path(args.db) if args.db else built_db()
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    with server(db) as (port, pid):
        samples.append((0, rss_mb(pid)))
        print(f"dates {0:5}  RSS {samples[-1][1]:6.0f} MB")
        for i in range(1, args.dates + 1):
            date = FIRST + dt.timedelta(days=i)
            for path in PATHS:
                url = f"http://{HOST}:{port}{path.format(d=date)}"
                with urllib.request.urlopen(url, timeout=120) as r:
                    r.read()
            if i % args.every == 0:
                samples.append((i, rss_mb(pid)))
                print(f"dates {i:5}  RSS {samples[-1][1]:6.0f} MB  "
                      f"({time.monotonic() - started:.0f} s)", flush=True)  # fmt: skip
    start, last = samples[0][1], samples[-1][1]
    quarter = min(samples, key=lambda s: abs(s[0] - 3 * args.dates // 4))[1]
    bound = start + 1.15 * CACHES_MB
    ok = last < bound and last < 1.05 * quarter
    print(f"start {start:.0f} MB, at 3/4 {quarter:.0f} MB, end {last:.0f} MB; bound "
          f"{bound:.0f} MB (start + 1.15 x {CACHES_MB:.0f} MB of caches): "
          f"{'within it, levelled off' if ok else 'MISSED'}")  # fmt: skip
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
