"""The `wholeads` command line: thin Typer commands that call the library.

Each feature registers its commands from its own module (``register(app)``); ``COMMANDS`` maps
every command to that module, which is imported only when the command runs, so `wholeads --help`
starts as fast as Typer itself. Adding a command is one line here. User errors become one red
line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from wholeads import __version__
from wholeads.cli import _globals
from wholeads.cli._lazy import CommandSpec, LazyGroup
from wholeads.errors import WholeadsError

COMMANDS: dict[str, CommandSpec] = {
    "leaders": CommandSpec("leaders", "Who leads each domain at a date: best model per group, gap, significance, lag."),  # noqa: E501
    "gap": CommandSpec("leaders", "Both groups' frontiers over time, the gap, the lag and the 6/12-month trend."),  # noqa: E501
    "frontier": CommandSpec("leaders", "Each group's running best over time for a domain's first evidence with data."),  # noqa: E501
    "pareto": CommandSpec("leaders", "Score vs blended price (3:1) per group: the Pareto frontier and the cheapest above a bar."),  # noqa: E501
    "spread": CommandSpec("figures", "Top vs 10th: the best minus the k-th best model at every date (convergence at the frontier), for the whole field ('all') and each group."),  # noqa: E501
    "lag": CommandSpec("figures", 'The average lag over a window with a 95% interval, per domain: US vs CN and closed vs open weights (positive: the second trails the first by that many months).'),  # noqa: E501
    "home-field": CommandSpec("figures", "Home field: the a-b gap on LMArena's Chinese-prompt boards minus the gap on its English-prompt boards, on every date where both exist (negative: b does relatively better in Chinese)."),  # noqa: E501
    "compute": CommandSpec("figures", 'Training compute by ecosystem: the top-k rolling frontier, growth per year with a 95% interval, and how many months b is behind a.'),  # noqa: E501
    "benchmark-gaps": CommandSpec("figures", "Benchmark-level gaps at the end of each year (as the AI Index tables them): every benchmark's best a and best b model on 31 December of each year and at --to, the gap in points and in percent of the trailing best, and the verdict."),  # noqa: E501
    "availability": CommandSpec("figures", "Availability: how many providers serve each model and each ecosystem's models, and (with --memory-gb) which open-weight models run under a memory budget."),  # noqa: E501
    "forecast": CommandSpec("figures", "Catch-up forecasts with a backtest: when the trailing ecosystem would reach today's leader at its current trend, per domain, and how that method did from past origins."),  # noqa: E501
    "notable": CommandSpec("figures", "Notable and frontier models per ecosystem per year (Epoch's notable-models list), under both counting definitions, next to the models wholeads catalogues."),  # noqa: E501
    "labs": CommandSpec("catalog", "List labs with their country, ecosystem and number of models."),
    "models": CommandSpec("catalog", "List models, filtered by lab, ecosystem, openness, kind, release date and context."),  # noqa: E501
    "show": CommandSpec("catalog", "Every fact about one model with its source, disagreements, scores and prices."),  # noqa: E501
    "check": CommandSpec("claims", "Check statements about labs and models against the evidence as of their dates."),  # noqa: E501
    "advise": CommandSpec("advise", "A shortlist of models for a task across ecosystems, with price, context, license and the memory to run each locally, and why each model is in or out."),  # noqa: E501
    "report": CommandSpec("report", 'Write "Who leads and where, as of DATE": leaders, a section per domain with charts, what changed since --since, claim verdicts and the sources cited.'),  # noqa: E501
    "serve": CommandSpec("serve", "Serve the dashboard: leaders, domains, models, labs, compare, search, advisor, claims."),  # noqa: E501
    "build": CommandSpec("data", "Build the database from the knowledge base plus whatever sources are available offline."),  # noqa: E501
    "update": CommandSpec("data", "Fetch every source, check it, resolve names and build a new database atomically."),  # noqa: E501
    "sources": CommandSpec("data", "Each source with license, URL, last update, rows and status."),
    "problems": CommandSpec("data", "What the last update could not read or rejected as implausible, each naming file, line and field."),  # noqa: E501
    "resolve": CommandSpec("data", "Resolve model or lab names to canonical ids (batch: one JSON object per line)."),  # noqa: E501
    "unmatched": CommandSpec("unmatched", "Names no model or lab matched, grouped by source, most frequent first (for curating)."),  # noqa: E501
    "arena": CommandSpec("arena", "Rate models from pairwise battles (Bradley-Terry, Elo scale) with confidence intervals."),  # noqa: E501
    "watch": CommandSpec("watch", "Which rules fired in the window before --as-of, each with its evidence. Exits 1 when a rule fired, 0 when none did, 2 on a bad file or option."),  # noqa: E501
    "changes": CommandSpec("changes", "New models per ecosystem and lab, leader changes, gaps that moved beyond noise, lags that moved, new or refreshed evidence and price cuts, between --since and --until."),  # noqa: E501
}  # fmt: skip
"""Every command: its name, the module under ``wholeads.cli`` that registers it, its summary."""

LazyGroup.specs = COMMANDS

app = typer.Typer(
    name="wholeads",
    cls=LazyGroup,
    help="Who leads in AI, and where: labs and models compared from public evidence.",
    no_args_is_help=False,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"wholeads {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _default(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None, "--db", help="Database file for every command (default: $WHOLEADS_DB)."
    ),
    version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="Print the version."
    ),
) -> None:
    """With no command: the who-leads-where table as of the newest evidence."""
    _globals.set_db(db)
    if ctx.invoked_subcommand is None:
        from wholeads.cli.leaders import default_view

        default_view(db)


def run() -> None:
    """The process's entry point (console script, `python -m wholeads`): ``main``; then, after
    a command that left a large heap behind (an update's build: every file written, closed and
    swapped in, the output flushed), the process ends at once instead of freeing it object by
    object (a tenth of a second). In-process callers use ``main``, which returns."""
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    if _globals.large_heap_left() and isinstance(code, int | None):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code or 0)
    sys.exit(code)


def main() -> None:
    """Run the app, turning domain errors into one clear line."""
    try:
        app()
    except WholeadsError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)
