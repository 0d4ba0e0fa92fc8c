"""The `wholeads` command line: thin Typer commands that call the library.

Each feature registers its commands from its own module (``register(app)``), so this file stays
small. User errors become one red line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from wholeads.errors import WholeadsError

app = typer.Typer(
    name="wholeads",
    help="Who leads in AI, and where: labs and models compared from public evidence.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _default(
    ctx: typer.Context,
    db: Path | None = typer.Option(None, "--db", help="Database file (default: $WHOLEADS_DB)."),
) -> None:
    """With no command: the who-leads-where table as of the newest evidence."""
    if ctx.invoked_subcommand is None:
        from wholeads.cli.leaders import default_view

        default_view(db)


def _register_all() -> None:
    from wholeads.cli import (
        advise,
        arena,
        catalog,
        claims,
        data,
        figures,
        leaders,
        report,
        serve,
        unmatched,
    )

    modules = (leaders, figures, catalog, claims, advise, report, serve, data, unmatched, arena)
    for module in modules:
        module.register(app)


_register_all()


def main() -> None:
    """Console-script entry point: run the app, turning domain errors into one clear line."""
    try:
        app()
    except WholeadsError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)
