"""Replay audit: every domain's leader at every month end from 2024-01 to the newest evidence,
plus every day of July-August 2026 (the daily top-N arena scrapes), checked for look-ahead,
missing evidence ages and leader flips by cause (see ``wholeads.query.replay``).

    python bench/replay_audit.py [--db PATH] [--json answers.json] [--flips]

``--json`` replays answers dumped by another engine (a list of [date, [answer, ...]]) through
the same checks, against this database's record of when each value was observed.
Exits non-zero when an invariant fails: a value used before it was observed, a model used before
it was available, an age missing, or a flip caused only by a board's depth.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

from _common import built_db
from wholeads.convert import to_jsonable
from wholeads.query import answers as answers_lib
from wholeads.query import replay
from wholeads.query.evidence import Reader
from wholeads.store.files import open_readonly


def replay_dates(newest: dt.date) -> list[dt.date]:
    """Month ends 2024-01..newest, and every day of July-August 2026 (up to the newest)."""
    dates = set(replay.month_ends(dt.date(2024, 1, 1), newest))
    dates |= {d for d in replay.days(dt.date(2026, 7, 1), dt.date(2026, 8, 31)) if d <= newest}
    return sorted(dates)


def run(db: Path) -> tuple[list[tuple[dt.date, list[dict[str, Any]]]], float]:
    """Every domain's answer at every replay date, with one shared reader."""
    with open_readonly(db) as con:
        reader = Reader(con)
        specs = answers_lib.domains_named(None)
        t0 = time.perf_counter()
        out = []
        for day in replay_dates(reader.latest_date()):
            results = answers_lib.compute_leaders(reader, specs, day)
            out.append((day, [r.to_dict() for r in results]))
        return out, time.perf_counter() - t0


def load_dump(path: Path) -> list[tuple[dt.date, list[dict[str, Any]]]]:
    """Answers dumped as JSON by another engine: [[date, [answer, ...]], ...]."""
    return [(dt.date.fromisoformat(d), a) for d, a in json.loads(path.read_text())]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="replay a dump instead")
    parser.add_argument("--dump", type=Path, default=None, help="write this engine's answers")
    parser.add_argument("--flips", action="store_true", help="list every flip")
    args = parser.parse_args()
    db = args.db or built_db()
    if args.json:
        by_date, seconds = load_dump(args.json), 0.0
    else:
        by_date, seconds = run(db)
    if args.dump:
        args.dump.write_text(json.dumps(to_jsonable(by_date)))
    with open_readonly(db) as con:
        bad = replay.violations(by_date, replay.Observations(con))
    flip_list = replay.flips(by_date)
    figures = replay.summary(flip_list, bad)
    answers = sum(len(a) for _, a in by_date)
    print(f"replayed {len(by_date)} dates x domains = {answers} answers in {seconds:.1f} s")
    print(f"flips: {figures['flips']}  by cause: {figures['flips_by_cause']}")
    print(f"flips undone within a week on the same evidence: {figures['flip_backs']}")
    print(f"flips without new data in the deciding evidence: {figures['flips_without_new_data']}")
    print(f"violations: {figures['violations']}  by kind: {figures['violations_by_kind']}")
    if args.flips:
        for f in flip_list:
            new = "" if f.new_data else " (NO NEW DATA)"
            print(f"  {f.domain:18} {f.before} -> {f.after}  {f.old} -> {f.new}  [{f.cause}]{new}")
            print(f"      {f.detail}")
    for v in bad[:20]:
        print(f"  ! {v.domain} {v.as_of} {v.kind}: {v.detail}")
    failed = (
        figures["violations"]
        or figures["flips_without_new_data"]
        or figures["flip_backs"]
        or figures["flips_by_cause"].get("board depth", 0)
    )
    sys.exit(1 if failed and not args.json else 0)


if __name__ == "__main__":
    main()
