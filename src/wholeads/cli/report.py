"""`wholeads report`: the shareable "who leads and where" report, as HTML or Markdown.

Thin: ``wholeads.report`` builds the content and writes the files; this module parses options.
"""

from __future__ import annotations

from pathlib import Path

import typer

from wholeads.cli._db import connect, db_path
from wholeads.cli._output import DbOption, console
from wholeads.convert import parse_date
from wholeads.errors import UserError

DEFAULT_OUT = Path("wholeads-report")
CHART_CACHE = "report-charts"
"""The folder of the cache folder where each database build's rendered charts are kept."""


def report(
    as_of: str | None = typer.Option(
        None, "--as-of", help="YYYY-MM-DD (default: newest evidence)."
    ),
    since: str | None = typer.Option(
        None, "--since", help="Show what changed since this date (default: 3 months before)."
    ),
    out: Path = typer.Option(DEFAULT_OUT, "--out", help="Folder to write the report into."),
    fmt: str = typer.Option("html", "--format", help="html (one self-contained file) or md."),
    claims: Path | None = typer.Option(None, "--claims", help="A claims file to check."),
    db: Path | None = DbOption,
) -> None:
    """Write "Who leads and where, as of DATE": leaders, a section per domain with charts, what
    changed since --since, claim verdicts and the sources cited."""
    from wholeads.charts.render import Renderer, cache_file
    from wholeads.report.render import FORMATS, prepare_out
    from wholeads.store.files import cache_dir

    date, start = parse_date(as_of, "--as-of"), parse_date(since, "--since")
    if fmt not in FORMATS:
        raise UserError(f"--format: unknown '{fmt}'; use one of {', '.join(FORMATS)}")
    prepare_out(out)  # an unwritable folder fails before the build, not after
    from wholeads.cli._progress import progress_bar

    file, charts = db_path(db), cache_dir() / CHART_CACHE
    warm = cache_file(charts, file).is_file()  # charts of this build kept: start no worker yet
    with Renderer(start=not warm) as renderer:  # the render workers start while the rest loads
        from wholeads.report import chart_cache, make_report

        with connect(db, needs_evidence=True) as con, progress_bar("writing the report") as bar:
            cache = chart_cache(con, charts, file)
            _, path = make_report(con, out, fmt, date, start, claims, renderer=renderer,
                                  cache=cache, progress=bar)  # fmt: skip
    console.print(f"wrote {path}")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
