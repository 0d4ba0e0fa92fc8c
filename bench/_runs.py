"""Timing whole processes side by side: alternating runs, wall and CPU time, min and median, the
machine's load, and the previous implementation taken from git.

The machine is shared, so absolute times move with the load: every job runs in each round, in
turn, and the table says how loaded the machine was while it ran.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from _common import REPO


@dataclass
class Job:
    """One command to time, and what its runs measured."""

    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    target_s: float | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    """User + system seconds of the process and its children (render workers included)."""
    error: str | None = None

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(
            self.command, env={**os.environ, **self.env}, capture_output=True, text=True
        )
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            self.error = (done.stderr.strip().splitlines() or ["failed"])[-1]
            return
        self.walls.append(wall)
        self.cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def alternate(jobs: Sequence[Job], runs: int, warmup: bool = True) -> tuple[float, float]:
    """Every job once per round, ``runs`` rounds (after one untimed warm-up round: file caches,
    vl-convert's first start); returns the lowest and highest 1-minute load seen."""
    loads = [os.getloadavg()[0]]
    if warmup:
        for job in jobs:
            job.run()
            job.walls.clear()
            job.cpus.clear()
    for i in range(runs):
        for job in jobs:
            if job.error is None:
                print(f"  round {i + 1}/{runs}: {job.name} ...", end="", file=sys.stderr)
                job.run()
                shown = f"{job.walls[-1]:.2f} s" if job.error is None else job.error
                print(f" {shown}", file=sys.stderr)
            loads.append(os.getloadavg()[0])
    return min(loads), max(loads)


def _pair(values: list[float]) -> str:
    return f"{min(values):6.2f} / {statistics.median(values):6.2f}" if values else "—"


def print_table(title: str, jobs: Sequence[Job], runs: int, loads: tuple[float, float]) -> None:
    cores = os.cpu_count() or 1
    print(f"{title}: min / median of {runs} alternating runs (s); load average "
          f"{loads[0]:.1f}-{loads[1]:.1f} on {cores} cores")  # fmt: skip
    print(f"{'':34}{'wall':>17}{'CPU (user+sys)':>19}{'target':>12}")
    for job in jobs:
        target = f"< {job.target_s:g} s" if job.target_s else ""
        if job.error is not None:
            print(f"{job.name:34}  failed: {job.error}")
            continue
        print(f"{job.name:34}{_pair(job.walls):>17}{_pair(job.cpus):>19}{target:>12}")


def met(job: Job) -> str:
    """Whether a job's median wall time meets its target."""
    if not job.walls or job.target_s is None:
        return "not measured"
    median = statistics.median(job.walls)
    verdict = "met" if median < job.target_s else "NOT met"
    return f"{verdict} (median {median:.2f} s, min {min(job.walls):.2f} s)"


def private_copy(db: Path) -> Path:
    """A copy of the database for a previous implementation: one that does not know the
    current schema rebuilds the file it is given, which must not be the shared one."""
    out = Path(tempfile.mkdtemp(prefix="wholeads-previous-db-")) / db.name
    shutil.copyfile(db, out)
    return out


def previous_tree(rev: str) -> Path:
    """The package sources at a git revision (``git archive``), to import instead of this
    checkout: the previous implementation, run on the same database in the same rounds."""
    out = Path(tempfile.mkdtemp(prefix="wholeads-previous-"))
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "src"], capture_output=True, check=False
    )
    if archive.returncode != 0:
        sys.exit(f"--previous {rev}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    return out / "src"
