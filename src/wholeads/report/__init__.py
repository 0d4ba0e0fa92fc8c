"""The shareable report, "Who leads and where, as of DATE": the leaders table, a section per
domain with charts, what changed since an earlier date, claim verdicts and the sources cited.

``build`` assembles the content from the answers, ``charts`` draws it (shared with the web app),
``render`` writes HTML (self-contained, no JavaScript) or Markdown with SVG files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

import duckdb

from wholeads.charts.render import Renderer, SvgCache, cache_file
from wholeads.kb.domains import load_domains
from wholeads.query.sources import build_meta
from wholeads.report.build import (
    Progress,
    Report,
    Steps,
    build_report,
    build_steps,
    chart_count,
)
from wholeads.report.render import render_html, render_md, render_svgs, write_report

__all__ = [
    "Report",
    "build_report",
    "chart_cache",
    "make_report",
    "render_html",
    "render_md",
    "write_report",
]

WRITE_STEPS = 1
"""After the sections and the charts: the file written."""


def chart_cache(con: duckdb.DuckDBPyConnection, folder: Path, db: Path) -> SvgCache:
    """The rendered charts kept for this build of the database file ``db`` (in ``folder``):
    valid only for the build whose facts (built_at, kb_hash, schema, version) wrote them."""
    build = json.dumps(build_meta(con), sort_keys=True)
    return SvgCache(cache_file(folder, db), build)


def make_report(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    fmt: str = "html",
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    claims: Path | None = None,
    renderer: Renderer | None = None,
    cache: SvgCache | None = None,
    progress: Progress | None = None,
) -> tuple[Report, Path]:
    """Build and write the report; each domain's charts render on the other core while the
    next domain is assembled (on the caller's ``renderer``, started early, or a new one).
    Charts the ``cache`` holds are not rendered again, and new ones are added to it;
    ``progress`` gets (done, total) after each section."""
    with contextlib.ExitStack() as stack:
        renderer = renderer or stack.enter_context(Renderer())
        renderer.cache = cache
        domains = len(load_domains())
        total = build_steps(domains, claims is not None) + chart_count(domains) + WRITE_STEPS
        steps = Steps(total, progress)
        report = build_report(con, as_of, since, claims, renderer=renderer, steps=steps)
        rendered = renderer.results(steps.done)  # one step per chart
    path = write_report(report, out, fmt, svgs=render_svgs(report, rendered))
    if cache is not None:
        cache.save()
    steps.done()
    return report, path
