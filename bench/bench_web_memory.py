"""Web server memory under many distinct dates: resident memory levels off at the caches' bounds.

Each date is asked as a visitor would (the home page, its JSON twin, the same by lab, a domain
page), one request at a time, against a real uvicorn process on loopback (one worker); the
server's RSS is printed every --every dates. The caches are LRUs of bounded size (whole answers
64 MB; leaders 128 answers; pages 256; charts 128: see web/state.py), so after a few hundred
dates every cache is full and the RSS stops growing. Target: the RSS after the last date is
within 10% of the RSS at the half-way point (levelled off), and below 324 + 300 MB.
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
    half = min(samples, key=lambda s: abs(s[0] - args.dates // 2))[1]
    last = samples[-1][1]
    ok = last <= 1.1 * half and last < samples[0][1] + 300
    print(f"start {samples[0][1]:.0f} MB, half-way {half:.0f} MB, end {last:.0f} MB: "
          f"{'levelled off' if ok else 'STILL GROWING'}")  # fmt: skip
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
