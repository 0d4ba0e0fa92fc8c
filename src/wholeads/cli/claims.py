"""`wholeads check FILE`: verdicts on a claims file (see ``wholeads.claims.format`` for the format).

Exits 0 whatever the verdicts; a malformed file or an unknown name is a DataError (exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from wholeads.cli._db import connect
from wholeads.cli._output import DbOption, JsonOption, console, print_json
from wholeads.convert import parse_date

_STYLE = {
    "supported": "green",
    "contradicted": "red",
    "tie": "magenta",
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
    file: Path = typer.Argument(..., help="A claims YAML file."),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD: overrides every claim's."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Check statements about labs and models against the evidence as of their dates."""
    from wholeads.claims.checker import check_file

    date = parse_date(as_of, "--as-of")
    with connect(db, needs_evidence=True) as con:
        results = check_file(con, file, as_of=date)
    if as_json:
        print_json([{k: r[k] for k in ("id", "verdict", "explanation", "evidence", "text",
                                        "kind", "as_of")} for r in results])  # fmt: skip
    else:
        print_verdicts(results)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
