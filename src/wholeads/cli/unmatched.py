"""`wholeads unmatched`: the names no model or lab matched, grouped by source."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from wholeads.cli._db import connect
from wholeads.cli._output import (
    CsvOption,
    DbOption,
    JsonOption,
    ParquetOption,
    console,
    emit,
    print_json,
    write_parquet,
)
from wholeads.errors import UserError
from wholeads.ingest.sources import SOURCE_IDS
from wholeads.query.unmatched import unmatched_by_source

KINDS = ("model", "score", "price", "lab")
COLUMNS = ["kind", "name", "lab", "rows", "reason", "candidates", "file", "row"]


def unmatched(
    source: str | None = typer.Option(None, "--source", help="Only this source."),
    kind: str | None = typer.Option(None, "--kind", help="model, score, price or lab."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    limit: int = typer.Option(50, "--limit", min=1, help="Names per source."),
    parquet: Path | None = ParquetOption,
) -> None:
    """Names no model or lab matched, grouped by source, most frequent first (for curating)."""
    if sum((as_json, as_csv, parquet is not None)) > 1:
        raise UserError("choose one of --json, --csv and --parquet")
    if source and source not in SOURCE_IDS:
        raise UserError(f"--source: unknown '{source}'")
    if kind and kind not in KINDS:
        raise UserError(f"--kind: use one of {', '.join(KINDS)}")
    with connect(db) as con:
        groups = unmatched_by_source(con, source, kind, limit)
    if as_json:
        print_json(
            [
                {
                    "source": g.source,
                    "rows": g.rows,
                    "unmatched_score_share": g.unmatched_score_share,
                    "names": [dataclasses.asdict(n) for n in g.names],
                }
                for g in groups
            ]
        )
        return
    flat = [{"source": g.source, **dataclasses.asdict(n)} for g in groups for n in g.names]
    if as_csv:
        emit(flat, ["source", *COLUMNS], as_json=False, as_csv=True)
        return
    if parquet is not None:
        write_parquet([{c: r.get(c) for c in ["source", *COLUMNS]} for r in flat], parquet)
        return
    if not groups:
        console.print("[green]nothing unmatched[/green]")
    for g in groups:
        share = g.unmatched_score_share
        extra = f", {share:.1%} of its score rows" if share is not None else ""
        rows = [
            {**dataclasses.asdict(n), "candidates": ", ".join(n.candidates) or None}
            for n in g.names
        ]
        emit(
            rows, COLUMNS, as_json=False, as_csv=False, title=f"{g.source}: {g.rows:,} rows{extra}"
        )


def register(app: typer.Typer) -> None:
    app.command("unmatched")(unmatched)
