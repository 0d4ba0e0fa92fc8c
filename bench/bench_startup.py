"""Start-up of the command line (issue 12): `wholeads --help` against `python -c "import typer"`,
and `wholeads leaders --json` on a built database, as processes in alternating rounds.

Targets: `--help` within 1.5x of importing Typer; `leaders --json` under 0.6 s (judged on its
median CPU time, which the other load on a shared machine moves least; the wall time is printed
too). Side by side in the same rounds: the import floor of any answer (`python -c "import numpy,
duckdb, typer"`), `leaders --json` with an empty cache folder (the build's coded score rows not
yet kept, ``query/frame_cache.py``), and with ``--previous REV`` the sources at a git revision.
The in-process work is measured too; the rest of the process is its start-up share.

    python bench/bench_startup.py [--db FILE] [--runs 5] [--previous REV [--previous-leaders]]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import built_db
from _runs import Job, alternate, previous_tree, print_table, private_copy

HELP_RATIO = 1.5
LEADERS_TARGET_S = 0.6
ENTRY = "import sys; from wholeads.cli import main; sys.argv[0] = 'wholeads'; main()"
"""What the `wholeads` console script runs (also for a previous tree on PYTHONPATH)."""


def wholeads(*args: str) -> list[str]:
    return [sys.executable, "-c", ENTRY, *args]


def in_process_leaders(db: Path, runs: int) -> tuple[list[float], list[float]]:
    """The leaders answer for every domain in this process, after a warm-up: the work the
    process does once started (wall and CPU seconds per run)."""
    from wholeads.library import leaders

    leaders(db=db)
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        leaders(db=db)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--previous", action="append", default=[], help="git revision(s)")
    parser.add_argument("--previous-leaders", action="store_true",
                        help="also time the previous revision's leaders --json")  # fmt: skip
    args = parser.parse_args()
    db = args.db or built_db()
    env = {"WHOLEADS_OFFLINE": "1"}
    cache = tempfile.mkdtemp(prefix="wholeads-bench-cache-")
    env = {**env, "XDG_CACHE_HOME": cache}
    typer_job = Job("python -c 'import typer'", [sys.executable, "-c", "import typer"], env)
    help_job = Job("wholeads --help", wholeads("--help"), env)
    floor_job = Job("floor: import numpy, duckdb, typer",
                    [sys.executable, "-c", "import numpy, duckdb, typer"], env)  # fmt: skip
    leaders_job = Job("wholeads leaders --json", wholeads("leaders", "--json", "--db", str(db)),
                      env, LEADERS_TARGET_S)  # fmt: skip
    cold = str(Path(cache) / "cold")  # emptied before every run of the cold job
    cold_job = Job("leaders --json, empty cache folder",
                   ["sh", "-c", 'rm -rf "$XDG_CACHE_HOME" && exec "$@"', "sh",
                    *wholeads("leaders", "--json", "--db", str(db))],
                   {**env, "XDG_CACHE_HOME": cold})  # fmt: skip
    jobs = [typer_job, help_job, floor_job, leaders_job, cold_job]
    for rev in args.previous:
        old = {**env, "PYTHONPATH": str(previous_tree(rev))}
        jobs.append(Job(f"wholeads --help ({rev})", wholeads("--help"), old))
        if args.previous_leaders:  # only when its schema is this one's (else it refuses the file)
            copy = str(private_copy(db))
            jobs.append(Job(f"wholeads leaders --json ({rev})",
                            wholeads("leaders", "--json", "--db", copy), old))  # fmt: skip
    loads = alternate(jobs, args.runs)
    print_table("wholeads start-up", jobs, args.runs, loads)

    typer_s, help_s = statistics.median(typer_job.walls), statistics.median(help_job.walls)
    ratio = help_s / typer_s
    verdict = "met" if ratio <= HELP_RATIO else "NOT met"
    print(f"\n--help / import typer (medians): {ratio:.2f}x; target <= {HELP_RATIO:g}x: {verdict}")
    walls, cpus = in_process_leaders(db, args.runs)
    process_s, work_s = statistics.median(leaders_job.walls), statistics.median(walls)
    process_cpu, work_cpu = statistics.median(leaders_job.cpus), statistics.median(cpus)
    verdict = "met" if process_cpu < LEADERS_TARGET_S else "NOT met"
    print(f"leaders --json: process median {process_s:.2f} s wall, {process_cpu:.2f} s CPU "
          f"(target < {LEADERS_TARGET_S:g} s CPU: {verdict}); in-process work min / median "
          f"{min(walls):.3f} / {work_s:.3f} s wall, {min(cpus):.3f} / {work_cpu:.3f} s CPU; "
          f"start-up share {(process_s - work_s) / process_s:.0%} of the wall time, "
          f"{(process_cpu - work_cpu) / process_cpu:.0%} of the CPU time")  # fmt: skip
    help_cpu, typer_cpu = statistics.median(help_job.cpus), statistics.median(typer_job.cpus)
    print(f"--help / import typer (CPU medians): {help_cpu / typer_cpu:.2f}x")


if __name__ == "__main__":
    main()
