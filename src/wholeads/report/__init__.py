"""The shareable report, "Who leads and where, as of DATE": the leaders table, a section per
domain with charts, what changed since an earlier date, claim verdicts and the sources cited.

``build`` assembles the content from the answers, ``charts`` draws it (shared with the web app),
``render`` writes HTML (self-contained, no JavaScript) or Markdown with SVG files.
"""

from __future__ import annotations

from wholeads.report.build import Report, build_report
from wholeads.report.render import render_html, render_md, write_report

__all__ = ["Report", "build_report", "render_html", "render_md", "write_report"]
