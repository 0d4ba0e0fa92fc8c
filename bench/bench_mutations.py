"""Bad upstream files for every source: what `wholeads update` does with each (issue 16's table).

For every source and every mutation of ``tests/mutations.py`` (seed fixed per pair), the
source's main file (the one most of its stored rows come from) is mutated in a copy of the
mirror (the other files are symlinks to the real ones, which are never written), and
``wholeads update --only SOURCE`` runs in a forked process over a database built from the
unmutated source. Each outcome is one of:

  rejected    the update failed with an error naming the mutated file; the database is
              byte-identical (``rejected*``: failed cleanly but without naming the file)
  problems    accepted, with problems recorded for the source
  no effect   accepted, and everything stored is as before (nothing the source reads changed)
  repeats     accepted, and the only change is rows stored twice (a duplicated upstream row)
  silent      accepted, the stored data changed and no problem was recorded
  traceback   a Python exception escaped the command (or the process died)

and, separately, ``implausible``: an accepted database holding a value no source can mean (by
this script's own limits, independent of the gates): a non-finite or negative score or one
above 100,000, a price below 0 or above $100,000 per million tokens, a date after today.
``--keep-going`` re-runs each rejected case with that flag and checks the source is marked failed,
keeps its previous rows and the command exits non-zero.

Targets: 0 tracebacks, 0 silent, 0 implausible. Run it against another checkout with
``PYTHONPATH=/path/to/checkout/src python bench/bench_mutations.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from _common import REPO, require_shared_data

sys.path.insert(0, str(REPO / "tests"))
from mutations import MUTATIONS, large

OUTCOMES = ("rejected", "rejected*", "problems", "no effect", "repeats", "silent", "traceback")
TABLES = ("scores", "prices", "model_facts", "models", "labs", "model_aliases", "lab_aliases")


@dataclass
class Case:
    source: str
    mutation: str
    file: str = ""
    outcome: str = "n/a"
    implausible: int = 0
    detail: str = ""
    keep_going: str = ""


def run_cli(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the console entry point in this (forked) process: exit code and stderr+stdout text;
    an escaping exception gives code -1 and its traceback."""
    from wholeads.cli import main

    os.environ.update(env)
    sys.argv = ["wholeads", *args]
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(out), contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            return -1, out.getvalue() + traceback.format_exc()
    return code, out.getvalue()


def in_child(func: partial[tuple[int, str]], timeout: float) -> tuple[int, str]:
    """``func()`` in a fresh forked process (a crash or hang there is an outcome, not ours)."""
    import multiprocessing as mp

    with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
        try:
            return pool.submit(func).result(timeout=timeout)
        except BrokenProcessPool:
            return -1, "the process died (killed by a signal)"
        except TimeoutError:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
            return -1, f"no answer after {timeout:.0f} s"


def mirror_of(shared: Path, source: str, dest: Path) -> Path:
    """A mirror holding only ``source``, as symlinks to the real files."""
    root = dest / "mirror"
    for path in (shared / source).rglob("*"):
        if path.is_file():
            link = root / source / path.relative_to(shared / source)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    return root


def data_files(shared: Path, source: str) -> list[str]:
    folder = shared / source
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != "LICENSE.txt"]
    return [p.relative_to(folder).as_posix() for p in files]


def primary(shared: Path, source: str, db: Path) -> str:
    """The file most of the source's stored rows come from (else its largest file)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            "SELECT file FROM (SELECT source, file FROM scores UNION ALL SELECT source, file"
            " FROM prices UNION ALL SELECT source, file FROM model_facts UNION ALL"
            " SELECT source, file FROM unmatched) WHERE source = ? AND file IS NOT NULL"
            " GROUP BY file ORDER BY count(*) DESC, file LIMIT 1",
            [source],
        ).fetchone()
    finally:
        con.close()
    files = data_files(shared, source)
    if row and row[0] in files:
        return str(row[0])
    folder = shared / source
    return max(files, key=lambda f: ((folder / f).stat().st_size, f))


def digest(db: Path) -> tuple[dict[str, str], int]:
    """A hash per table of every stored row a source can change (without provenance line
    numbers, which a duplicated or inserted line shifts), and the count of problems. Tables
    appear twice: ``name`` hashes every row, ``name/distinct`` each distinct row once (so an
    update that only stored repeats of rows it had can be told apart)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        hashes = {}
        for table in TABLES:
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] != "row"]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = sorted(map(repr, con.execute(f"SELECT {select} FROM {table}").fetchall()))
            hashes[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            distinct = "\n".join(sorted(set(rows))).encode()
            hashes[f"{table}/distinct"] = hashlib.sha256(distinct).hexdigest()
        problems = con.execute("SELECT count(*) FROM problems").fetchone()
    finally:
        con.close()
    return hashes, int(problems[0]) if problems else 0


def implausible(db: Path) -> int:
    """Values no source can mean, by this script's own generous limits."""
    import duckdb

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    checks = [
        "SELECT count(*) FROM scores WHERE NOT isfinite(value) OR value < 0 OR value > 1e5",
        "SELECT count(*) FROM prices WHERE NOT isfinite(input_per_mtok) OR input_per_mtok < 0"
        " OR input_per_mtok > 1e5 OR NOT isfinite(output_per_mtok) OR output_per_mtok < 0"
        " OR output_per_mtok > 1e5",
        f"SELECT count(*) FROM scores WHERE as_of > DATE '{tomorrow}'",
        f"SELECT count(*) FROM prices WHERE valid_from > DATE '{tomorrow}'",
        f"SELECT count(*) FROM models WHERE release_date > DATE '{tomorrow}'",
        "SELECT count(*) FROM models WHERE context_window <= 0 OR context_window > 1e10",
    ]
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(int((con.execute(q).fetchone() or (0,))[0]) for q in checks)
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def run_case(
    shared: Path, base: Path, case: Case, large_bytes: int, keep_going: bool, timeout: float
) -> Case:
    """Mutate ``case.file`` in a fresh copy of the baseline and classify what the update did."""
    work = Path(tempfile.mkdtemp(prefix="mut-", dir=base.parent))
    try:
        mirror = mirror_of(shared, case.source, work)
        target = mirror / case.source / case.file
        original = target.read_bytes()
        mutate = MUTATIONS[case.mutation]
        if mutate is large:
            mutate = partial(large, size=large_bytes)
        seed = int(hashlib.sha256(f"{case.source}|{case.mutation}".encode()).hexdigest()[:8], 16)
        try:
            mutated = mutate(original, case.file, random.Random(seed))
        except (UnicodeDecodeError, ValueError):
            mutated = None
        if mutated is None or mutated == original:
            case.outcome = "n/a"
            return case
        target.unlink()  # a symlink to the real file: replaced, never written through
        target.write_bytes(mutated)
        db = work / "w.duckdb"
        shutil.copy(base / "w.duckdb", db)
        shutil.copytree(base / "cache", work / "cache")
        env = {"XDG_CACHE_HOME": str(work / "cache"), "WHOLEADS_OFFLINE": "1"}
        before = sha(db)
        args = ["update", "--mirror", str(mirror), "--only", case.source, "--db", str(db)]
        code, text = in_child(partial(run_cli, args, env), timeout)
        where = f"{case.source}/{case.file}"
        if code == -1:
            case.outcome, case.detail = "traceback", text.strip().splitlines()[-1][:160]
        elif code != 0:
            intact = sha(db) == before
            case.outcome = "rejected" if where in text and intact else "rejected*"
            case.detail = " ".join(text.split())[:160] + ("" if intact else " [DB CHANGED]")
            if keep_going:
                case.keep_going = keep_going_check(case, args, env, db, base, timeout)
        else:
            stored, problems = digest(db)
            base_stored, base_problems = digest(base / "w.duckdb")
            case.implausible = implausible(db)
            changed = [t for t in TABLES if stored[t] != base_stored[t]]
            if problems > base_problems:
                case.outcome = "problems"
            elif not changed:
                case.outcome = "no effect"
            elif all(stored[f"{t}/distinct"] == base_stored[f"{t}/distinct"] for t in TABLES):
                case.outcome = "repeats"
            else:
                case.outcome = "silent"
            case.detail = f"changed: {', '.join(changed)}" if case.outcome == "silent" else ""
        return case
    finally:
        shutil.rmtree(work, ignore_errors=True)


def keep_going_check(
    case: Case, args: list[str], env: dict[str, str], db: Path, base: Path, timeout: float
) -> str:
    """'ok' when --keep-going exits non-zero, marks the source failed and keeps its rows."""
    code, _ = in_child(partial(run_cli, [*args, "--keep-going"], env), timeout)
    if code == -1:
        return "traceback"
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        status = con.execute("SELECT status FROM sources WHERE id = ?", [case.source]).fetchone()
    finally:
        con.close()
    kept = digest(db)[0] == digest(base / "w.duckdb")[0]
    failed = bool(status and str(status[0]).startswith("failed"))
    if code != 0 and failed and kept:
        return "ok"
    return f"exit {code}, status {status[0] if status else None}, rows kept: {kept}"


def baseline(shared: Path, source: str, root: Path, timeout: float) -> Path:
    """A database and last-good cache built from the unmutated source alone."""
    base = root / f"base-{source}"
    base.mkdir(parents=True)
    mirror = mirror_of(shared, source, base)
    env = {"XDG_CACHE_HOME": str(base / "cache"), "WHOLEADS_OFFLINE": "1"}
    args = ["update", "--mirror", str(mirror), "--only", source, "--db", str(base / "w.duckdb")]
    code, text = in_child(partial(run_cli, args, env), timeout)
    if code != 0:
        sys.exit(f"baseline of {source} failed ({code}):\n{text}")
    (base / "cache").mkdir(exist_ok=True)
    return base


def table(cases: list[Case], keep_going: bool) -> str:
    head = f"{'source':<32}{'tried':>6}" + "".join(f"{o:>11}" for o in OUTCOMES)
    head += f"{'implaus.':>10}" + (f"{'kg ok':>7}" if keep_going else "")
    lines = [head]
    by_source: dict[str, list[Case]] = {}
    for case in cases:
        by_source.setdefault(case.source, []).append(case)
    rows = [*by_source.items(), ("TOTAL", cases)]
    for name, group in rows:
        tried = [c for c in group if c.outcome != "n/a"]
        counts = Counter(c.outcome for c in tried)
        line = f"{name:<32}{len(tried):>6}" + "".join(f"{counts[o]:>11}" for o in OUTCOMES)
        line += f"{sum(c.implausible > 0 for c in tried):>10}"
        if keep_going:
            checked = [c for c in tried if c.keep_going]
            line += f"{sum(c.keep_going == 'ok' for c in checked):>3}/{len(checked):<3}"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", action="append", help="only this source (repeatable)")
    parser.add_argument("--mutation", action="append", choices=sorted(MUTATIONS))
    parser.add_argument("--large-mb", type=float, default=50.0, help="size of 'large file'")
    parser.add_argument("--keep-going", action="store_true", help="re-run rejections with it")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--json", type=Path, help="also write every case here")
    parser.add_argument("--details", action="store_true", help="print every case")
    parser.add_argument(
        "--recheck",
        type=Path,
        help="a --json file of an earlier run: rerun only its 'silent' cases, keep the others "
        "(to measure again after a change that only concerns them)",
    )
    args = parser.parse_args()
    shared = require_shared_data()
    import wholeads
    import wholeads.cli
    from wholeads.ingest.sources import SOURCE_IDS

    print(f"wholeads from {Path(wholeads.__file__).parent}", file=sys.stderr)
    sources = args.source or list(SOURCE_IDS)
    mutations = args.mutation or list(MUTATIONS)
    earlier = {
        (c["source"], c["mutation"]): Case(**c)
        for c in (json.loads(args.recheck.read_text()) if args.recheck else [])
    }
    root = Path(tempfile.mkdtemp(prefix="wholeads-mutations-"))
    cases: list[Case] = []
    try:
        for source in sources:
            todo = [
                m
                for m in mutations
                if earlier.get((source, m), Case("", "", outcome="silent")).outcome == "silent"
            ]
            if not todo:
                cases += [earlier[(source, m)] for m in mutations]
                continue
            base = baseline(shared, source, root, args.timeout)
            file = primary(shared, source, base / "w.duckdb")
            for mutation in mutations:
                known = earlier.get((source, mutation))
                if known is not None and known.outcome != "silent":
                    cases.append(known)
                    continue
                case = run_case(
                    shared,
                    base,
                    Case(source, mutation, file),
                    int(args.large_mb * 2**20),
                    args.keep_going,
                    args.timeout,
                )
                cases.append(case)
                if args.details and case.outcome != "n/a":
                    print(
                        f"{source:<30} {mutation:<15} {case.outcome:<10} "
                        f"{case.keep_going:<4} {case.detail}",
                        file=sys.stderr,
                        flush=True,
                    )
            shutil.rmtree(base, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(table(cases, args.keep_going))
    print("targets: traceback 0, silent 0, implausible 0")
    if args.json:
        args.json.write_text(json.dumps([asdict(c) for c in cases], indent=1))


if __name__ == "__main__":
    main()
