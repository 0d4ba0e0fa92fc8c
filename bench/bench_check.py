"""`wholeads check examples/claims/us-china-2026.yaml` as a process, and the claims cost model
against what checking costs.

Target: under 2 s. Side by side in the same rounds, with ``--previous REV`` (repeatable): the
previous implementation, the package sources at a git revision, on the same database. Then, in
this process, each claims file's price (``analysis.claims_cost``, in units of about 1 ms of CPU)
next to the CPU its check took, per claim kind: the price should be an upper bound.

    python bench/bench_check.py [--db PATH] [--runs 5] [--previous main]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from _common import REPO, built_db
from _runs import Job, alternate, met, previous_tree, print_table, private_copy
from wholeads.analysis.claims_cost import estimate
from wholeads.claims import checker
from wholeads.claims.budget import WEB_BUDGET
from wholeads.claims.format import Claim, parse_claims
from wholeads.kb.domains import load_domains
from wholeads.query.claim_sizes import read_sizes
from wholeads.store.files import open_readonly

TARGET_S = 2.0
EXAMPLE = REPO / "examples" / "claims" / "us-china-2026.yaml"
TREND = """  - id: trend-{i}
    text: the gap narrowed
    as_of: 2025-06-01
    kind: trend
    domain: {domain}
    a: US
    b: CN
    from: {since}
    to: 2025-06-01
    expect: narrowing
"""


def costly_file() -> str:
    """Forty trend windows on each of general capability and price: the costliest claims there
    are (a history per window over the deepest arena)."""
    starts = [f"{2022 + m // 12}-{m % 12 + 1:02d}-01" for m in range(40)]
    body = "".join(
        TREND.format(i=f"{d}-{i}", domain=d, since=s)
        for d in ("general", "price")
        for i, s in enumerate(starts)
    )
    return "claims:\n" + body


def _kind(claim: Claim) -> str:
    domain = getattr(claim, "domain", None)
    return f"{claim.kind} ({domain})" if claim.kind == "trend" else claim.kind


def price_vs_cost(db: Path, name: str, text: str) -> None:
    """One file: its price per claim kind next to the CPU each kind's claims took."""
    domains = load_domains()
    claims = parse_claims(text)
    with open_readonly(db) as con:
        sizes = read_sizes(con, domains.values())
        price = estimate(claims, domains, sizes)
        t0 = time.process_time()
        names = checker._Names(con, name)
        resolved = [names.resolve(i, c) for i, c in enumerate(claims)]
        data = checker._Data(con)
        data.reader.frames(checker.benchmarks_read(resolved, domains))
        setup = (time.process_time() - t0) * 1000
        spent: dict[str, float] = defaultdict(float)
        for claim in resolved:
            t = time.process_time()
            checker._judge(data, claim, claim.as_of)
            spent[_kind(claim)] += (time.process_time() - t) * 1000
    priced: dict[str, float] = defaultdict(float)
    for claim, (_, units) in zip(claims, price.claims, strict=True):
        priced[_kind(claim)] += units
    print(f"\n{name}: {len(claims)} claims, priced {price.total:,.0f} units "
          f"(web limit {WEB_BUDGET.max_cost:,.0f}: "
          f"{'refused, 413' if price.total > WEB_BUDGET.max_cost else 'accepted'})")  # fmt: skip
    print(f"{'':28}{'price (units)':>15}{'measured (ms CPU)':>20}")
    print(f"{'first reads (+ names)':28}{price.reads:>15,.0f}{setup:>20,.0f}")
    for kind in sorted(priced):
        print(f"{kind:28}{priced[kind]:>15,.0f}{spent[kind]:>20,.0f}")
    total = setup + sum(spent.values())
    print(f"{'total':28}{price.total:>15,.0f}{total:>20,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--previous", action="append", default=[], help="git revision(s)")
    args = parser.parse_args()
    db = args.db or built_db()
    env = {"WHOLEADS_OFFLINE": "1"}
    check = [sys.executable, "-m", "wholeads", "check", str(EXAMPLE), "--db", str(db)]
    jobs = [Job("wholeads check (example)", check, env, TARGET_S)]
    for rev in args.previous:
        old = {**env, "PYTHONPATH": str(previous_tree(rev))}
        command = [*check[:-1], str(private_copy(db))]
        jobs.append(Job(f"previous implementation ({rev})", command, old))
    jobs.append(Job("python -c 'import wholeads.cli'",
                    [sys.executable, "-c", "import wholeads.cli"], env))  # fmt: skip
    loads = alternate(jobs, args.runs)
    print_table(f"wholeads check {EXAMPLE.name} (36 claims)", jobs, args.runs, loads)
    print(f"target: under {TARGET_S:g} s: {met(jobs[0])}")
    cpus = jobs[0].cpus
    if cpus:
        verdict = "met" if statistics.median(cpus) < TARGET_S else "NOT met"
        print(
            f"on CPU time (which the other load moves least): {verdict} "
            f"(median {statistics.median(cpus):.2f} s, min {min(cpus):.2f} s)"
        )
    price_vs_cost(db, EXAMPLE.name, EXAMPLE.read_text(encoding="utf-8"))
    price_vs_cost(db, "80 trend windows (general, price)", costly_file())


if __name__ == "__main__":
    main()
