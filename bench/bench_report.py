"""`wholeads report --out DIR` on the mirror-built database, as a process: the wait before a person
can share the full report (every domain, every chart rendered to SVG).

Target: under 5 s for the FIRST report of a database build (the figure that counts: no chart
cached, every chart rendered). Side by side in the same rounds:
- the same command again on the same build (its charts taken from the chart cache);
- the Altair path: the same report with the previous chart builders (Altair objects, serialized
  in the render workers; ``reference_altair_charts.py``, needs ``requirements-report.txt``);
- with ``--previous REV``: the whole previous implementation, the package sources at a git
  revision (e.g. ``main``) run on the same database.

    python bench/bench_report.py [--db PATH] [--runs 5] [--previous main]

The SVGs of the last wholeads and Altair-path runs are compared chart by chart.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import built_db
from _runs import Job, alternate, met, previous_tree, print_table, private_copy

TARGET_S = 5.0
BUILDERS = ("frontier_chart", "gap_chart", "pareto_chart", "leaders_chart")
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def render_altair(chart: Any) -> str:
    """The render workers' job on the Altair path: serialize the chart, then draw it."""
    import reference_altair_charts as ref
    from wholeads.charts import render as svgrender

    spec = chart if isinstance(chart, dict) else ref.to_spec(chart)
    return str(svgrender._plain_render_one(spec))  # type: ignore[attr-defined]


def altair_job(db: Path, out: Path) -> None:
    """`wholeads report` with the chart builders swapped for the Altair ones (in this process;
    forked render workers inherit the swap)."""
    import reference_altair_charts as ref
    import wholeads.report
    from wholeads.charts import render as svgrender
    from wholeads.charts import specs as charts
    from wholeads.cli import main as cli

    wholeads.report.chart_cache = lambda *args: None  # type: ignore[assignment,return-value]
    for name in BUILDERS:
        setattr(charts, name, getattr(ref, name))
    svgrender._plain_render_one = svgrender.render_one  # type: ignore[attr-defined]
    svgrender.render_one = render_altair
    sys.argv = ["wholeads", "report", "--out", str(out), "--db", str(db)]
    cli()


def compare_svgs(ours: Path, reference: Path) -> str:
    mine, theirs = (SVG.findall(p.read_text(encoding="utf-8")) for p in (ours, reference))
    same = sum(a == b for a, b in zip(mine, theirs, strict=False))
    return f"{same} of {len(mine)} charts byte-identical to the Altair path's"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--previous", default=None, help="a git revision to run as well")
    parser.add_argument("--job", choices=["altair"], default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job == "altair":
        altair_job(args.db, args.out)
        return
    db = args.db or built_db()
    tmp = Path(tempfile.mkdtemp(prefix="wholeads-report-"))
    env = {"WHOLEADS_OFFLINE": "1"}
    report = [sys.executable, "-m", "wholeads", "report", "--db", str(db), "--out"]
    cold = tmp / "empty-cache"  # emptied before each run: the first report of the build
    first = ["sh", "-c", f'rm -rf "{cold}" && exec "$@"', "sh", *report, str(tmp / "wholeads")]
    jobs = [Job("wholeads report (first on build)", first, {**env, "XDG_CACHE_HOME": str(cold)},
                TARGET_S)]  # fmt: skip
    warm = {**env, "XDG_CACHE_HOME": str(tmp / "kept-cache")}  # filled by the warm-up round
    jobs.append(Job("wholeads report (again, cached)", [*report, str(tmp / "again")], warm))
    jobs.append(Job("Altair path (previous builders)", [sys.executable, __file__, "--job", "altair",
                    "--db", str(db), "--out", str(tmp / "altair")],
                    {**env, "XDG_CACHE_HOME": str(cold)}))  # fmt: skip
    if args.previous:
        old = {**env, "PYTHONPATH": str(previous_tree(args.previous))}
        command = [sys.executable, "-m", "wholeads", "report", "--db", str(private_copy(db)),
                   "--out", str(tmp / "previous")]  # fmt: skip
        jobs.append(Job(f"previous implementation ({args.previous})", command, old))
    loads = alternate(jobs, args.runs)
    print_table("wholeads report --out DIR (full report, HTML)", jobs, args.runs, loads)
    print(f"target: under {TARGET_S:g} s for the first report of a build: {met(jobs[0])}")
    html = tmp / "wholeads" / "report.html"
    if html.is_file():
        size = html.stat().st_size / 1e6
        print(f"report: {len(SVG.findall(html.read_text(encoding='utf-8')))} charts, {size:.1f} MB")
        altair = tmp / "altair" / "report.html"
        if altair.is_file():
            print(compare_svgs(html, altair))
        again = tmp / "again" / "report.html"
        if again.is_file():
            same = again.read_bytes() == html.read_bytes()
            print(f"the cached report is {'byte-identical to' if same else 'DIFFERENT from'} "
                  "the first")  # fmt: skip


if __name__ == "__main__":
    main()
