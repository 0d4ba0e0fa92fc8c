"""`wholeads check FILE` (or `--example`): verdicts on a claims file (the format:
``wholeads.claims.format``).

Exits 0 whatever the verdicts; a malformed file or an unknown name is a DataError (exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from wholeads import library
from wholeads.cli._db import db_path
from wholeads.cli._output import CsvOption, DbOption, JsonOption, console, emit_answer
from wholeads.convert import parse_date
from wholeads.errors import UserError

_STYLE = {
    "supported": "green",
    "contradicted": "red",
    "tie": "magenta",
    "undecided": "cyan",
    "insufficient_evidence": "yellow",
}


def print_verdicts(results: list[dict[str, Any]]) -> None:
    """One row per claim: id, verdict, date, explanation; then the counts."""
    table = Table(title="Claims", show_lines=True, header_style="bold")
    for name in ("id", "verdict", "as of", "explanation"):
        table.add_column(name, overflow="fold")
    for r in results:
        style = _STYLE.get(r["verdict"], "")
        word = r["verdict"].replace("_", " ")
        table.add_row(r["id"], f"[{style}]{word}[/{style}]", str(r["as_of"]), r["explanation"])
    console.print(table)
    counts = {v: sum(1 for r in results if r["verdict"] == v) for v in _STYLE}
    console.print(", ".join(f"{n} {v.replace('_', ' ')}" for v, n in counts.items()))


def check(
    file: Path | None = typer.Argument(None, help="A claims YAML file."),
    example: bool = typer.Option(
        False, "--example", help="Check the example that ships with wholeads (36 claims)."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD: overrides every claim's."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Check statements about labs and models against the evidence as of their dates."""
    if (file is None) == (not example):
        raise UserError("give a claims FILE, or --example for the one that ships with wholeads")
    date = parse_date(as_of, "--as-of")
    from wholeads.cli._progress import progress_bar

    with progress_bar("checking claims") as report:
        answer = library.check(file or library.EXAMPLE_CLAIMS, date, db=db_path(db),
                               progress=report)  # fmt: skip
    emit_answer(answer, lambda: print_verdicts(answer.rows()), as_json=as_json, as_csv=as_csv)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
