"""The shareable report, "Who leads and where, as of DATE": the leaders table, a section per
domain with charts, what changed since an earlier date, claim verdicts and the sources cited.

``build`` assembles the content from the answers, ``charts`` draws it (shared with the web app),
``render`` writes HTML (self-contained, no JavaScript) or Markdown with SVG files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import duckdb

from wholeads.charts.render import Renderer
from wholeads.report.build import Report, build_report
from wholeads.report.render import render_html, render_md, render_svgs, write_report

__all__ = ["Report", "build_report", "make_report", "render_html", "render_md", "write_report"]


def make_report(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    fmt: str = "html",
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    claims: Path | None = None,
    renderer: Renderer | None = None,
) -> tuple[Report, Path]:
    """Build and write the report; each domain's charts render on the other core while the
    next domain is assembled (on the caller's ``renderer``, started early, or a new one)."""
    with contextlib.ExitStack() as stack:
        renderer = renderer or stack.enter_context(Renderer())
        report = build_report(con, as_of, since, claims, renderer=renderer)
        rendered = renderer.results()
    return report, write_report(report, out, fmt, svgs=render_svgs(report, rendered))
