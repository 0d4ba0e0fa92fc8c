"""`wholeads changes`: what moved between two dates, each change with its evidence.

Thin: ``wholeads.query.changes`` computes the change set (the same one the API, the feed and the
report use); this module parses options and prints.
"""

from __future__ import annotations

from pathlib import Path

import typer

from wholeads.cli._db import connect
from wholeads.cli._output import DbOption, JsonOption, console, print_json
from wholeads.convert import parse_date
from wholeads.errors import UserError

KIND_HELP = (
    "Only these kinds (repeatable): leader, gap, lag, new_model, open_weights, price_cut, evidence."
)


def _evidence_text(e: dict[str, object]) -> str:
    where = e.get("url") or e.get("file")
    row = f":{e['row']}" if e.get("row") is not None else ""
    return f"{e['source']} {e['date'] or ''}" + (f" ({where}{row})" if where else "")


def changes(
    since: str = typer.Option(..., "--since", help="YYYY-MM-DD: changes after this date."),
    until: str | None = typer.Option(
        None, "--until", help="YYYY-MM-DD (default: the newest evidence)."
    ),
    kind: list[str] | None = typer.Option(None, "--kind", help=KIND_HELP),
    as_json: bool = JsonOption,
    db: Path | None = DbOption,
) -> None:
    """New models per ecosystem and lab, leader changes, gaps that moved beyond noise, lags
    that moved, new or refreshed evidence and price cuts, between --since and --until."""
    from wholeads.analysis.changes import KIND_TITLES
    from wholeads.query.changes import changes_between, changes_dict

    start = parse_date(since, "--since")
    assert start is not None
    end = parse_date(until, "--until")
    unknown = sorted(set(kind or ()) - KIND_TITLES.keys())
    if unknown:
        raise UserError(f"--kind: unknown {', '.join(unknown)}; use {', '.join(KIND_TITLES)}")
    with connect(db, needs_evidence=True) as con:
        result = changes_dict(changes_between(con, start, end))
    if kind:
        result["changes"] = [c for c in result["changes"] if c["kind"] in kind]
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]What changed between {result['since']} and {result['until']}[/bold]")
    for eco, labs in result["new_models_by_ecosystem"].items():
        per_lab = ", ".join(f"{lab} {n}" for lab, n in labs.items())
        console.print(f"  new models, {eco}: {sum(labs.values())} ({per_lab})", highlight=False)
    for k, title in KIND_TITLES.items():
        rows = [c for c in result["changes"] if c["kind"] == k]
        if not rows or (kind and k not in kind):
            continue
        console.print(f"\n[bold]{title}[/bold] ({len(rows)})", highlight=False)
        for c in rows:
            console.print(f"  {c['date']}  {c['title']}", highlight=False, markup=False)
            for e in c["evidence"]:
                console.print(f"      evidence: {_evidence_text(e)}", highlight=False,
                              markup=False, style="dim")  # fmt: skip
    if not result["changes"]:
        console.print("nothing changed")


def register(app: typer.Typer) -> None:
    app.command("changes")(changes)
