"""Output of listings: a readable Rich table, or JSON / CSV for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from wholeads.convert import to_jsonable

# Piped output gets a wide table instead of Rich's 80-column fallback.
console = Console(width=None if sys.stdout.isatty() else 160)

DbOption = typer.Option(
    None, "--db", help="Database file (default: $WHOLEADS_DB or the user data dir)."
)
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")
CsvOption = typer.Option(False, "--csv", help="Print CSV for scripts.")


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def cell(value: Any) -> str:
    """How one value reads in a table."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    as_json: bool,
    as_csv: bool,
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Print rows as JSON, CSV or a table with the given columns."""
    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    if as_json:
        print_json(list(rows))
        return
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: to_jsonable(row.get(c)) for c in columns})
        return
    table = Table(title=title, header_style="bold", show_lines=False)
    for column in columns:
        table.add_column((headers or {}).get(column, column.replace("_", " ")), overflow="fold")
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in columns))
    console.print(table)
    if not rows:
        console.print("[yellow]no rows match[/yellow]")
