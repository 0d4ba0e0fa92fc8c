"""Leaders and gap queries on the real database: the latency a person waits for.

Targets: every domain's leaders as of one date < 200 ms (a fresh Reader each time, so the model
table is read as a command would); a full `gap` series (general, US vs CN, all snapshots since
2023) < 500 ms. Median of repeated runs after one warm-up; pass --db to reuse a built database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from _common import built_db
from wholeads.analysis.frontier import gap_series, trend
from wholeads.analysis.leaders import decide
from wholeads.kb.domains import get_domain, load_domains
from wholeads.query.evidence import Reader, history, load_all
from wholeads.store.files import open_readonly


def timed(fn: Callable[[], object], runs: int) -> float:
    """Median milliseconds over ``runs`` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db or built_db()
    domains = list(load_domains().values())
    general = get_domain("general")
    with open_readonly(db) as con:
        as_of = Reader(con).latest_date()

        def leaders(date: dt.date = as_of) -> None:
            reader = Reader(con)
            evidence = load_all(reader, domains, date)
            for d in domains:
                decide(d.id, d.name, d.unit, date, evidence[d.id])

        def gap() -> None:
            reader = Reader(con)
            states = history(reader, general, general.evidence[0], until=as_of)
            series = gap_series(states, "US", "CN")
            trend(series, 6), trend(series, 12)

        states = history(Reader(con), general, general.evidence[0], until=as_of)
        ms_leaders = timed(leaders, args.runs)
        ms_past = timed(lambda: leaders(dt.date(2025, 3, 1)), args.runs)
        ms_gap = timed(gap, args.runs)
    print(f"leaders, {len(domains)} domains as of {as_of}: {ms_leaders:.0f} ms (target < 200)")
    print(f"leaders, {len(domains)} domains as of 2025-03-01: {ms_past:.0f} ms (target < 200)")
    print(f"gap series general US vs CN, {len(states)} snapshots: {ms_gap:.0f} ms (target < 500)")


if __name__ == "__main__":
    main()
