"""`wholeads arena`: Bradley-Terry leaderboard with confidence intervals from a battle log.

Thin on purpose: reading and filtering live in `wholeads.query.battles`, statistics in
`wholeads.analysis.ratings`; this module parses options and renders the table or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wholeads.errors import UserError

if TYPE_CHECKING:  # the ratings engine (numpy) and rich's tables load only when `arena` runs
    from rich.table import Table

    from wholeads.analysis.ratings import CiMethod, Ratings

CI_METHODS = ("bootstrap", "sandwich")


def register(app: typer.Typer) -> None:
    """Add the `arena` command to the main app."""
    app.command("arena")(arena)


def arena(
    battles: Annotated[Path, typer.Argument(help="Battle log: .csv, .jsonl, .json or .parquet.")],
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap rounds.")] = 100,
    seed: Annotated[int | None, typer.Option(help="Random seed for the bootstrap.")] = None,
    ci: Annotated[str, typer.Option("--ci", help="Interval method: bootstrap or sandwich.")] = (
        "bootstrap"
    ),
    anchor: Annotated[
        str | None, typer.Option(help="MODEL=RATING: shift ratings so MODEL has RATING.")
    ] = None,
    min_battles: Annotated[
        int, typer.Option("--min-battles", help="Drop models with fewer battles.")
    ] = 0,
    filters: Annotated[
        list[str] | None,
        typer.Option("--filter", help="Row filter, e.g. \"language = 'Chinese'\" (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV instead of a table (flags joined by ';').")
    ] = False,
) -> None:
    """Rate models from pairwise battles (Bradley-Terry, Elo scale) with confidence intervals."""
    if ci not in CI_METHODS:
        raise UserError(f"--ci must be one of {', '.join(CI_METHODS)}; got {ci!r}")
    if bootstrap < 2 and ci == "bootstrap":
        raise UserError(f"--bootstrap needs at least 2 rounds; got {bootstrap}")
    if min_battles < 0:
        raise UserError(f"--min-battles cannot be negative; got {min_battles}")
    parsed_anchor = parse_anchor(anchor)
    from wholeads.analysis.ratings import rate
    from wholeads.query.battles import read_counts

    counts = read_counts(battles, filters or [])
    method: CiMethod = "bootstrap" if ci == "bootstrap" else "sandwich"

    def run(progress: Callable[[int], None] | None = None) -> Ratings:
        return rate(
            counts,
            ci=method,
            rounds=bootstrap,
            seed=seed,
            anchor=parsed_anchor,
            min_battles=min_battles,
            progress=progress,
        )

    if as_json and as_csv:
        raise UserError("choose one of --json and --csv")
    if as_json:
        typer.echo(json.dumps(run().to_records(), indent=2))
        return
    if as_csv:
        from wholeads.cli._output import write_csv

        rows = [{**r, "flags": ";".join(r["flags"])} for r in run().to_records()]
        write_csv(rows)
        return
    from wholeads.cli._progress import on_terminal

    bar = method == "bootstrap" and on_terminal()  # nothing on a piped stderr
    result = _with_progress(run, bootstrap) if bar else run()
    from rich.console import Console

    Console().print(_table(result, counts.n_battles))


def _with_progress(run: Callable[[Callable[[int], None]], Ratings], rounds: int) -> Ratings:
    """Run the bootstrap under a progress bar on stderr (transient: gone once it is done)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("bootstrap"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("bootstrap", total=rounds)
        return run(lambda done: bar.update(task, completed=done))


def parse_anchor(text: str | None) -> tuple[str, float] | None:
    """`MODEL=RATING` -> (model, rating); the model name may itself contain '='."""
    if text is None:
        return None
    model, sep, value = text.rpartition("=")
    try:
        rating = float(value)
    except ValueError:
        rating = float("nan")
    if not sep or not model or rating != rating:
        raise UserError(f"--anchor expects MODEL=RATING, e.g. gpt-4-0613=1200; got {text!r}")
    return model, rating


def _table(result: Ratings, n_battles: int) -> Table:
    from rich.table import Table

    pct = round(result.level * 100)
    table = Table(
        title=f"{len(result.models)} models, {n_battles:,} battles, {pct}% {result.ci} CI"
    )
    table.add_column("rank", justify="right")
    table.add_column("model")
    table.add_column("rating", justify="right")
    table.add_column(f"{pct}% CI", justify="right")
    table.add_column("battles", justify="right")
    records = result.to_records()
    flagged = any(r["flags"] for r in records)
    if flagged:
        table.add_column("flags")
    for r in records:
        row = [
            str(r["rank"]),
            r["model"],
            f"{r['rating']:,.1f}",
            f"{r['ci_low']:,.1f}..{r['ci_high']:,.1f}",
            f"{r['battles']:,}",
        ]
        if flagged:
            row.append(", ".join(r["flags"]))
        table.add_row(*row)
    return table
