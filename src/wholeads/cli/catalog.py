"""`wholeads labs`, `models` and `show`: browse the knowledge base and what sources say."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import typer

from wholeads import library
from wholeads.cli._db import connect, db_path
from wholeads.cli._output import (
    CsvOption,
    DbOption,
    JsonOption,
    ParquetOption,
    console,
    emit,
    emit_answer,
    print_json,
    write_csv,
)
from wholeads.convert import parse_date
from wholeads.errors import UserError
from wholeads.query.catalog import list_labs, model_facts, resolve_model_id


def labs(
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    all_labs: bool = typer.Option(False, "--all", help="Include labs known only from sources."),
) -> None:
    """List labs with their country, ecosystem and number of models."""
    with connect(db) as con:
        rows = list_labs(con, curated_only=not all_labs)
    emit(
        rows,
        ["id", "name", "country", "ecosystem", "type", "models", "open_models", "latest_release"],
        as_json=as_json,
        as_csv=as_csv,
        title="Labs",
    )


def models(
    lab: str | None = typer.Option(None, "--lab", help="Lab id or name (any alias)."),
    ecosystem: str | None = typer.Option(None, "--ecosystem", help="US, CN, EU or other."),
    country: str | None = typer.Option(None, "--country", help="ISO 3166-1 alpha-2 code."),
    open_weights: bool | None = typer.Option(
        None, "--open-weights/--closed", help="Only open-weight or only closed models."
    ),
    kind: str | None = typer.Option(
        None,
        "--kind",
        help="llm, reasoning, vision_language, image_generation, video_generation, embedding.",
    ),
    released_after: str | None = typer.Option(None, "--released-after", help="YYYY-MM-DD"),
    released_before: str | None = typer.Option(None, "--released-before", help="YYYY-MM-DD"),
    min_context: int | None = typer.Option(
        None, "--min-context", help="Minimum context window, tokens."
    ),
    include_provisional: bool = typer.Option(
        False, "--all", help="Include models known only from sources."
    ),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    parquet: Path | None = ParquetOption,
) -> None:
    """List models, filtered by lab, ecosystem, openness, kind, release date and context."""
    answer = library.models(
        lab, ecosystem, country, open_weights, kind,
        parse_date(released_after, "--released-after"),
        parse_date(released_before, "--released-before"),
        min_context, include_provisional, db=db_path(db),
    )  # fmt: skip
    emit_answer(answer, lambda: _print_models(answer.models), as_json=as_json, as_csv=as_csv,
                parquet=parquet)  # fmt: skip


def _print_models(rows: list[dict[str, Any]]) -> None:
    emit(
        rows,
        [
            "id",
            "lab",
            "country",
            "release_date",
            "open_weights",
            "license",
            "context_window",
            "params_total_b",
            "kind",
        ],
        as_json=False,
        as_csv=False,
        title=f"Models ({len(rows):,})",
        headers={
            "release_date": "released",
            "open_weights": "open",
            "context_window": "context",
            "params_total_b": "params (B)",
        },
    )


def show(
    name: str = typer.Argument(..., help="Model id or any alias (e.g. 'DeepSeek R1')."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = typer.Option(
        False, "--csv", help="Print the facts as CSV: one row per field, with its source."
    ),
) -> None:
    """Every fact about one model with its source, disagreements, scores and prices."""
    if as_json and as_csv:
        raise UserError("choose one of --json and --csv")
    with connect(db) as con:
        info = model_facts(con, resolve_model_id(con, name))
    if as_json:
        print_json(info)
        return
    if as_csv:
        write_csv(
            _fact_rows(info["facts"]), ["field", "value", "source", "as_of", "where", "others"]
        )
        return
    model = info["model"]
    console.print(
        f"[bold]{model['name']}[/bold] ({model['id']}) — lab {model['lab_name']} "
        f"({model['country']}, ecosystem {model['ecosystem']})"
        + (" [yellow]provisional: known only from sources[/yellow]" if model["provisional"] else "")
    )
    emit(
        _fact_rows(info["facts"]),
        ["field", "value", "source", "as_of", "where", "others"],
        as_json=False,
        as_csv=False,
        title="Facts (chosen by precedence; others: what other sources say)",
    )
    if info["disagreements"]:
        console.print("[yellow]sources disagree on:[/yellow] " + ", ".join(info["disagreements"]))
    if info["aliases"]:
        console.print("aliases: " + ", ".join(info["aliases"][:40]))
    latest: dict[tuple[str, str | None], dict[str, object]] = {}
    for score in info["scores"]:
        latest.setdefault((score["benchmark_id"], score["setting"]), score)
    emit(
        list(latest.values()),
        ["benchmark_id", "setting", "value", "ci_low", "ci_high", "n", "as_of", "source"],
        as_json=False,
        as_csv=False,
        title=f"Latest scores ({len(info['scores'])} in history)",
    )
    if info["prices"]:
        emit(
            info["prices"][:20],
            ["provider", "input_per_mtok", "output_per_mtok", "valid_from", "valid_to", "source"],
            as_json=False,
            as_csv=False,
            title=f"Prices, USD per 1M tokens ({len(info['prices'])})",
        )


def _fact_rows(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per field: the chosen value with its provenance, then every other value with
    the sources that state it (counted), so disagreements read at a glance."""
    rows: dict[str, dict[str, Any]] = {}
    others: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for fact in facts:
        if fact["chosen"]:
            where = fact["url"] or f"{fact['file']}:{fact['row']}"
            rows[fact["field"]] = {
                "field": fact["field"],
                "value": fact["value"],
                "source": fact["source"],
                "as_of": fact["as_of"],
                "where": where,
            }
        else:
            others[fact["field"]][fact["value"]][fact["source"]] += 1
    for field, values in others.items():
        chosen = rows.get(field, {}).get("value")
        text = "; ".join(
            f"{value} ({', '.join(f'{s} x{n}' if n > 1 else s for s, n in sources.items())})"
            for value, sources in values.items()
            if value != chosen
        )
        rows.setdefault(field, {"field": field})["others"] = text or "agree"
    return [rows[f] for f in sorted(rows)]


def register(app: typer.Typer) -> None:
    app.command("labs")(labs)
    app.command("models")(models)
    app.command("show")(show)
