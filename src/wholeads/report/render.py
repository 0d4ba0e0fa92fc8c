"""Writing a built report: HTML with the charts inline as SVG (one file, no JavaScript, opens
offline), or Markdown with the charts as files in ``charts/`` next to it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from wholeads.charts.render import render_all
from wholeads.charts.specs import Spec
from wholeads.errors import UserError
from wholeads.report.build import Num, Report

Format = Literal["html", "md"]
FORMATS: tuple[Format, ...] = ("html", "md")
CHART_DIR = "charts"
_XML_DECL = re.compile(r"^<\?xml[^>]*>\s*")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("wholeads.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    env.filters["md_num"] = _md_num
    return env


def _md_escape(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_num(n: Num | None) -> str:
    """A number in Markdown: the value linked to its first source, the date, other sources."""
    if n is None:
        return "—"
    first, *rest = n.cites or (None,)
    value = f"[{n.text}]({first.url})" if first and first.url else n.text
    extra = "".join(f" [{c.source}]({c.url})" for c in rest if c.url)
    note = f" {_md_escape(n.note)}" if n.note else ""
    date = f" ({n.date.isoformat()})" if n.date else ""
    return f"{value}{note}{date}{extra}"


def chart_slots(report: Report) -> dict[str, Spec]:
    """Every chart of the report by file stem, in reading order."""
    out: dict[str, Spec] = {"leaders": report.summary_chart}
    for d in report.domains:
        for slot, chart in d.charts.items():
            out[f"{d.id}-{slot}"] = chart
    for f in report.figures:
        out[f"figure-{f.id}"] = f.chart
    return out


def render_svgs(report: Report, rendered: dict[str, str] | None = None) -> dict[str, str]:
    """Every chart as SVG text for embedding: those already ``rendered`` (by key, e.g. by a
    ``Renderer`` while the report was built), the rest now on both cores."""
    slots = chart_slots(report)
    rendered = dict(rendered or {})
    missing = [name for name in slots if name not in rendered]
    rendered.update(zip(missing, render_all([slots[n] for n in missing]), strict=True))
    return {name: _XML_DECL.sub("", rendered[name]) for name in slots}


def render_html(report: Report, svgs: dict[str, str] | None = None) -> str:
    """The report as one self-contained HTML page."""
    svgs = svgs if svgs is not None else render_svgs(report)
    inline = {k: Markup(v) for k, v in svgs.items()}  # our own renderer's output, not user input
    return _env().get_template("report.html.j2").render(r=report, svg=inline)


def render_md(report: Report) -> str:
    """The report as Markdown that links its charts as ``charts/<name>.svg``."""
    return _env().get_template("report.md.j2").render(r=report, chart_dir=CHART_DIR)


def prepare_out(out: Path) -> Path:
    """The output folder, created; a one-line error when it cannot be (checked before building)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out: cannot create directory {out}: {exc.strerror or exc}") from None
    if not out.is_dir():
        raise UserError(f"--out: {out} is not a directory")
    return out


def write_report(
    report: Report, out: Path, fmt: str = "html", svgs: dict[str, str] | None = None
) -> Path:
    """Write the report into ``out`` (created if needed) and return the main file's path."""
    if fmt not in FORMATS:
        raise UserError(f"--format: unknown '{fmt}'; use one of {', '.join(FORMATS)}")
    folder = prepare_out(out)
    svgs = svgs if svgs is not None else render_svgs(report)
    try:
        if fmt == "html":
            path = folder / "report.html"
            path.write_text(render_html(report, svgs), encoding="utf-8")
            return path
        charts = folder / CHART_DIR
        charts.mkdir(exist_ok=True)
        for name, svg in svgs.items():
            (charts / f"{name}.svg").write_text(svg, encoding="utf-8")
        path = folder / "report.md"
        path.write_text(render_md(report), encoding="utf-8")
        return path
    except OSError as exc:
        raise UserError(f"--out: cannot write into {folder}: {exc.strerror or exc}") from None
