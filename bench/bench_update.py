"""`wholeads update --mirror ../shared/data`: a full build and an unchanged repeat, each next to
the floor measured in the same rounds.

Each job is a fresh process, run in turn in every round (min / median of ``--runs`` rounds, the
load average shown). Floors: reading and parsing every mirror file with the fastest readers at
hand (pyarrow CSV, json, tomllib, yaml's C loader) for a full build; one walk with a stat per
file for an unchanged repeat (what it has to look at), and reading + hashing every file (what
it avoided). The unchanged repeat is also timed in-process (without the CLI's start-up, which
is another item of issue 12). Targets (issue 12): full < 5 s, unchanged < 0.5 s. With
``--previous REV`` the implementation at that git revision runs in the same rounds, on its own
database and cache.

    python bench/bench_update.py [--runs 3] [--previous main]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from _common import require_shared_data
from _runs import Job, alternate, met, previous_tree, print_table


def floor_parse(mirror: Path) -> None:
    """Read and parse every file of the mirror (the least a full build must do)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import yaml

    ragged = pacsv.ParseOptions(invalid_row_handler=_skip)
    serial = pacsv.ReadOptions(use_threads=False)  # threads abort at exit with a row handler
    for path in mirror.rglob("*"):
        if not path.is_file():
            continue
        body = path.read_bytes()
        if path.suffix == ".csv":
            pacsv.read_csv(pa.BufferReader(body), read_options=serial, parse_options=ragged)
        elif path.suffix == ".json":
            json.loads(body)
        elif path.suffix == ".toml":
            tomllib.loads(body.decode())
        elif path.suffix in (".yml", ".yaml"):
            yaml.load(body, Loader=yaml.CSafeLoader)


def _skip(row: object) -> str:
    return "skip"  # a ragged row (LiveBench tables): counted as read, not as a table row


def floor_stat(mirror: Path) -> None:
    """One walk of the mirror with a stat per file (the least an unchanged repeat must do)."""
    for root, _, names in os.walk(mirror):
        for name in names:
            os.stat(os.path.join(root, name))


def floor_hash(mirror: Path) -> None:
    """Read and hash every file (what the repeat did before it compared sizes and mtimes)."""
    for path in mirror.rglob("*"):
        if path.is_file():
            hashlib.sha256(path.read_bytes()).hexdigest()


FLOORS = {"parse": floor_parse, "stat": floor_stat, "hash": floor_hash}


def in_process_repeat(db: Path, mirror: Path, runs: int) -> list[float]:
    """An unchanged repeat inside one process: the update's own work, no start-up."""
    from wholeads.ingest.update import run_update

    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = run_update(db, mirror=mirror)
        times.append(time.perf_counter() - t0)
        assert result.skipped, "the repeat was not up to date"
    return times


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] in FLOORS:  # a floor, run as its own process
        FLOORS[sys.argv[1]](Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--previous", help="also time the implementation at this git revision")
    args = parser.parse_args()
    mirror = require_shared_data()
    files = sum(1 for p in mirror.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in mirror.rglob("*") if p.is_file()) / 1e6
    tmp = Path(tempfile.mkdtemp(prefix="wholeads-bench-update-"))
    db = tmp / "db.duckdb"
    env = {"WHOLEADS_DB": str(db), "XDG_CACHE_HOME": str(tmp / "cache"), "WHOLEADS_OFFLINE": "1"}
    update = [sys.executable, "-m", "wholeads", "update", "--mirror", str(mirror)]
    me = [sys.executable, str(Path(__file__).resolve())]
    full = [
        Job("wholeads update (full build)", [*update, "--force"], env, target_s=5.0),
        Job("floor: read + parse every file", [*me, "parse", str(mirror)]),
    ]
    repeat = [
        Job("wholeads update (unchanged)", update, env, target_s=0.5),
        Job("floor: walk + stat every file", [*me, "stat", str(mirror)]),
        Job("  (read + hash every file)", [*me, "hash", str(mirror)]),
        Job("  (python -c pass)", [sys.executable, "-c", "pass"]),
    ]
    if args.previous:
        old = {
            "WHOLEADS_DB": str(tmp / "previous.duckdb"),
            "XDG_CACHE_HOME": str(tmp / "previous-cache"),
            "WHOLEADS_OFFLINE": "1",
            "PYTHONPATH": str(previous_tree(args.previous)),
        }
        full.append(Job(f"  (previous: {args.previous})", [*update, "--force"], old))
        repeat.insert(1, Job(f"  (previous: {args.previous})", update, old))
    print(f"input: {files:,} files, {size:.1f} MB from {mirror}")
    loads = alternate([*full, *repeat], args.runs)
    print_table("full build", full, args.runs, loads)
    print_table("unchanged repeat", repeat, args.runs, loads)
    os.environ.update(env)
    inside = in_process_repeat(db, mirror, max(args.runs, 3))
    print(
        f"unchanged repeat in-process: min {min(inside):.3f} / median "
        f"{statistics.median(inside):.3f} s"
    )
    print(f"full build: {met(full[0])}; unchanged repeat (process): {met(repeat[0])}")


if __name__ == "__main__":
    main()
