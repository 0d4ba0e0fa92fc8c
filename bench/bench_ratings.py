"""Benchmark: `wholeads arena` next to its floor, the per-battle reference and its peers.

    python bench/bench_ratings.py --setup-peers   # once: arena-rank and choix in their own venv
    python bench/bench_ratings.py                 # 1M battles; 150 and 1,000 models; 100 rounds
    python bench/bench_ratings.py --quick         # 100k battles, 150 models, 1 run: a smoke test

Every job runs alone in a fresh process, one after the other (wholeads as a command, wholeads as
a library, the floor, choix, arena-rank, the reference), and the whole sequence is repeated, so
load from other work on the machine falls on all of them alike; the table gives the min and the
median of the runs. What the floor is, and what each job does, is in `ratings_jobs.py` and
`ratings_peers.py`. The reference and arena-rank are too slow for 100 bootstrap rounds: a few are
timed and multiplied out, which the table says. Rating differences are between point ratings,
each set centred on 1000 (the Bradley-Terry scale has no origin of its own).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

PEERS_REQUIREMENTS = BENCH / "requirements-peers.txt"
PEERS_VENV = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wholeads-bench" / "peers"
)
TARGETS = {150: 1.3, 1000: 1.5}
"""Largest allowed ratio of the wholeads process to the floor process, by model count."""
REFERENCE_PROCESS, REFERENCE_IN_PROCESS = 2_500, 5_000
"""Smallest allowed speed-ups over the per-battle reference (150 models). The issue measured the
reference at ~30 s a fit and 3.2 GB, which is the notebooks' dense design matrix; the sparse one
of `reference_bt` is 3-4x faster, so both are run and the targets are read against each."""
DENSE_MAX_MODELS = 300
"""The dense reference holds one float per battle and model (1.5 GB at 150 models)."""
ORDER = (
    "wholeads arena",
    "arena, lazy CLI",
    "wholeads library",
    "floor",
    "choix",
    "arena-rank",
    "reference",
    "reference, dense",
)
COMMANDS = ("wholeads arena", "arena, lazy CLI")
"""The two ways of running the command: the CLI as it is, and with only `arena` loaded."""


@dataclass
class Runs:
    """Every run of one job at one size: its JSON results and the wall time of its process."""

    name: str
    results: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def values(self, key: str) -> list[float]:
        return [float(r[key]) for r in self.results if key in r]

    def min_median(self, key: str) -> tuple[float, float] | None:
        found = self.values(key)
        return (min(found), statistics.median(found)) if found else None


def run_process(command: Sequence[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one job in a fresh process: its last JSON line, plus `process` (wall seconds) and
    `cpu` (user + system seconds of the process and its children: what load cannot stretch)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = perf_counter()
    out = subprocess.run(
        list(command), capture_output=True, text=True, env={**os.environ, **(env or {})}
    )
    wall = perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.returncode != 0:
        tail = (out.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"exit {out.returncode}: {tail}")
    text = out.stdout.strip()
    parsed = json.loads(text if text.startswith("[") else text.splitlines()[-1])
    result: dict[str, Any] = parsed if isinstance(parsed, dict) else {"records": parsed}
    result["process"], result["cpu"] = wall, cpu
    return result


def commands(
    args: argparse.Namespace, path: Path, models: int, peers: str | None
) -> dict[str, Any]:
    """The command line and environment of each job."""
    rounds, seed = str(args.rounds), str(args.seed)
    one_thread = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    exe = str(Path(sys.executable).with_name("wholeads"))
    jobs_py = [sys.executable, str(BENCH / "ratings_jobs.py")]
    arena = ["arena", str(path), "--json", "--bootstrap", rounds, "--seed", seed]
    user = {"WHOLEADS_OFFLINE": "1", "WHOLEADS_DB": str(path.with_suffix(".duckdb"))}
    out: dict[str, Any] = {
        "wholeads arena": ([exe, *arena], user),
        "arena, lazy CLI": ([sys.executable, str(BENCH / "arena_lazy_cli.py"), *arena], user),
        "wholeads library": ([*jobs_py, "wholeads", str(path), rounds, seed], None),
        "floor": ([*jobs_py, "floor", str(path), rounds, seed], None),
    }
    if peers:
        peer = [peers, str(BENCH / "ratings_peers.py")]
        choix_rounds = str(min(args.rounds, args.choix_rounds))
        arena_rounds = str(min(args.rounds, args.arena_rank_rounds))
        out["choix"] = ([*peer, "choix", str(path), "--rounds", choix_rounds], one_thread)
        out["arena-rank"] = ([*peer, "arena-rank", str(path), "--rounds", arena_rounds], None)
    if args.reference_rounds > 0:
        ref = [str(path), str(args.reference_rounds), seed]
        out["reference"] = ([*jobs_py, "reference", *ref], one_thread)
        if models <= DENSE_MAX_MODELS:
            out["reference, dense"] = ([*jobs_py, "reference-dense", *ref], one_thread)
    return out


def measure(
    args: argparse.Namespace, path: Path, models: int, peers: str | None
) -> dict[str, Runs]:
    """All jobs in turn, `--repeat` times; the load average is recorded before each job."""
    jobs = commands(args, path, models, peers)
    runs = {name: Runs(name) for name in ORDER if name in jobs}
    for repeat in range(args.repeat):
        for name, (command, env) in jobs.items():
            if runs[name].error:
                continue
            load = os.getloadavg()[0]
            print(f"  run {repeat + 1}/{args.repeat}: {name} ...", end="", flush=True)
            try:
                result = run_process(command, env)
            except RuntimeError as exc:
                runs[name].error = str(exc)
                print(f" failed ({exc})", flush=True)
                continue
            result["load"] = load
            add_derived(result, args.rounds)
            runs[name].results.append(result)
            print(f" {result['process']:.2f} s", flush=True)
    return runs


def add_derived(result: dict[str, Any], rounds: int) -> None:
    """Bootstraps timed on fewer rounds are multiplied out; `job` is the work after imports."""
    if "records" in result:  # the command's JSON leaderboard
        records = result.pop("records")
        result["models"] = [r["model"] for r in records]
        result["rating"] = [r["rating"] for r in records]
        return
    if "dataset" in result:  # arena-rank counts the battles while building its PairDataset
        result["read"] += result["dataset"]
    if "bootstrap_timed" in result:
        timed = result["rounds_timed"]
        result["bootstrap"] = result["bootstrap_timed"] * rounds / timed
        result["job"] = result["read"] + result["fit"] + result["bootstrap"]


def largest_difference(ours: dict[str, Any], other: dict[str, Any]) -> float:
    """Largest difference in point rating over the models both rated, each set centred."""
    mine = dict(zip(ours["models"], ours["rating"], strict=True))
    theirs = dict(zip(other["models"], other["rating"], strict=True))
    shared = sorted(set(mine) & set(theirs))
    centre_a = statistics.fmean(mine[m] for m in shared)
    centre_b = statistics.fmean(theirs[m] for m in shared)
    return max(abs((mine[m] - centre_a) - (theirs[m] - centre_b)) for m in shared)


def fmt(pair: tuple[float, float] | None, width: int = 17) -> str:
    if pair is None:
        return f"{'-':>{width}}"
    low, mid = pair
    digits = 3 if mid < 10 else 1 if mid < 1000 else 0
    return f"{f'{low:.{digits}f} / {mid:.{digits}f}':>{width}}"


def print_table(args: argparse.Namespace, n: int, models: int, runs: dict[str, Runs]) -> None:
    """One size: every job's times (min / median) and its largest rating difference."""
    loads = [r["load"] for job in runs.values() for r in job.results]
    print()
    print(
        f"{n:,} battles, {models} models, {args.rounds} bootstrap rounds; min / median of "
        f"{args.repeat} alternating runs (s); load average {min(loads):.1f}-{max(loads):.1f} "
        "on 2 shared cores"
    )
    header = ("", "process", "process cpu", "after imports", "read+count", "point fit")
    print(
        f"{header[0]:17}"
        + "".join(f"{h:>17}" for h in (*header[1:], "bootstrap"))
        + f"{'max |d|':>10}"
    )
    ours = runs["wholeads library"].results[0]
    for name, job in runs.items():
        if job.error or not job.results:
            print(f"{name:17}  failed: {job.error}")
            continue
        diff = largest_difference(ours, job.results[0])
        keys = ("process", "cpu", "job", "read", "fit", "bootstrap")
        cells = [job.min_median(key) for key in keys]
        print(f"{name:17}" + "".join(fmt(c) for c in cells) + f"{diff:>10.3f}")
    for name, job in runs.items():
        note = job_note(job, args.rounds)
        if note:
            print(f"  {name}: {note}")
    print_targets(models, runs)


def job_note(job: Runs, rounds: int) -> str:
    """What a row's figures mean beyond the header."""
    if not job.results:
        return ""
    first = job.results[0]
    notes = []
    if "dataset" in first:
        notes.append(f"read+count includes building its PairDataset ({fmt_pair(job, 'dataset')})")
    timed = first.get("rounds_timed")
    if timed is not None and timed < rounds:
        notes.append(f"bootstrap = {timed} rounds timed x {rounds / max(timed, 1):g}")
    if "rss_mb" in first:
        notes.append(f"peak RSS {max(job.values('rss_mb')):,.0f} MB")
    if job.name == "wholeads arena":
        notes.append("the command as a user runs it, JSON out (ratings rounded to 0.01)")
    if job.name == "arena, lazy CLI":
        notes.append("the same command with only its own module loaded (bench/arena_lazy_cli.py)")
    if job.name in ("choix", "reference", "reference, dense"):
        notes.append("run with OPENBLAS_NUM_THREADS=1 (its best on this machine)")
    return "; ".join(notes)


def fmt_pair(job: Runs, key: str) -> str:
    pair = job.min_median(key)
    return fmt(pair, 0).strip() + " s" if pair else "-"


def print_targets(models: int, runs: dict[str, Runs]) -> None:
    """The issue's targets, from paired runs (the same repeat of each job)."""
    floor = runs["floor"]
    limit = TARGETS.get(models)
    for name in COMMANDS:
        pairs = zip(runs[name].results, floor.results, strict=False)
        ratios = [ours["process"] / bare["process"] for ours, bare in pairs]
        if not ratios:
            continue
        middle = statistics.median(ratios)
        verdict = ""
        if limit is not None:
            verdict = f" (target <= {limit}x: {'met' if middle <= limit else 'not met'})"
        paired = zip(runs[name].results, floor.results, strict=False)
        cpus = [ours["cpu"] / bare["cpu"] for ours, bare in paired]
        print(
            f"{name} process / floor process: min {min(ratios):.2f}x, median {middle:.2f}x"
            + verdict
            + f"; cpu seconds {statistics.median(cpus):.2f}x"
        )
    library = statistics.median(runs["wholeads library"].values("job"))
    for reference in ("reference", "reference, dense"):
        ref = runs.get(reference)
        if not ref or not ref.results:
            continue
        ref_job = statistics.median(ref.values("job"))
        for name in COMMANDS:
            if not runs[name].results:
                continue
            process = ref_job / statistics.median(runs[name].values("process"))
            line = (
                f"{reference} job / {name}: {process:,.0f}x as a process, "
                f"{ref_job / library:,.0f}x in-process"
            )
            if models == 150:
                met = process >= REFERENCE_PROCESS and ref_job / library >= REFERENCE_IN_PROCESS
                line += (
                    f" (targets >= {REFERENCE_PROCESS:,}x and >= {REFERENCE_IN_PROCESS:,}x: "
                    + ("met)" if met else "not met)")
                )
            print(line)


def setup_peers() -> None:
    """Create the peers' virtual environment and install `requirements-peers.txt` into it."""
    subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
    pip = [str(PEERS_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-r", str(PEERS_REQUIREMENTS)], check=True)
    print(f"peers installed in {PEERS_VENV}")


def peers_python(args: argparse.Namespace) -> str | None:
    if args.no_peers:
        return None
    python = Path(args.peers_python or PEERS_VENV / "bin" / "python")
    if not python.exists():
        print(f"(peers skipped: no {python}; run with --setup-peers first)")
        return None
    return str(python)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup-peers", action="store_true", help="install the peers and stop")
    parser.add_argument("--quick", action="store_true", help="100k battles, 150 models, 1 run")
    parser.add_argument("--battles", type=int, default=1_000_000)
    parser.add_argument("--models", default="150,1000", help="comma-separated model counts")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference-rounds", type=int, default=1, help="0 skips it")
    parser.add_argument("--arena-rank-rounds", type=int, default=4)
    parser.add_argument("--choix-rounds", type=int, default=100)
    parser.add_argument("--peers-python", help=f"default: {PEERS_VENV}/bin/python")
    parser.add_argument("--no-peers", action="store_true")
    args = parser.parse_args()
    if args.setup_peers:
        setup_peers()
        return
    if args.quick:
        args.battles, args.models, args.repeat = 100_000, "150", 1
    peers = peers_python(args)
    import synth_battles

    with tempfile.TemporaryDirectory() as tmp:
        for models in (int(m) for m in args.models.split(",")):
            path = Path(tmp) / f"battles_{models}.parquet"
            synth = synth_battles.generate(args.battles, models, seed=args.seed)
            synth_battles.write(synth, path)
            print(f"{args.battles:,} battles among {models} models:", flush=True)
            print_table(args, args.battles, models, measure(args, path, models, peers))


if __name__ == "__main__":
    main()
