"""`wholeads advise --task DOMAIN [constraints]`: a shortlist that uses both ecosystems.

Thin: the shortlist comes from ``wholeads.query.advice.advise`` (shared with the web app); this
module parses options and prints the shortlist, each ecosystem's best pick side by side, and why the
models that outrank the shortlist were excluded.
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
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.units import age_text


def _split(values: list[str] | None) -> list[str]:
    """Repeatable options that also accept comma lists: --ecosystem US,EU."""
    return [v.strip() for x in values or [] for v in x.split(",") if v.strip()]


def _gb(m: dict[str, float | None]) -> str:
    return " / ".join("—" if v is None else f"{v:g}" for v in m.values())


def _params(e: dict[str, Any]) -> str:
    total, active = e["params_total_b"], e["params_active_b"]
    if total is None:
        return "undisclosed"
    if active is not None and active < total:
        return f"{total:g}B total\n{active:g}B active (MoE)"
    return f"{total:g}B"


def _score(e: dict[str, Any], unit: str) -> str:
    fmt = "{:,.0f}" if unit == "Elo" else "{:,.1f}"
    ci = ""
    if e["ci_low"] is not None and e["ci_high"] is not None:
        ci = f"\n[{fmt.format(e['ci_low'])}–{fmt.format(e['ci_high'])}]"
    return fmt.format(e["score"]) + ci


def _row(e: dict[str, Any], unit: str) -> list[str]:
    price = "—" if e["price"] is None else f"${e['price']:.2f}"
    ctx = "—" if e["context_window"] is None else f"{e['context_window']:,}"
    openw = {True: "yes", False: "no", None: "?"}[e["open_weights"]]
    return [
        f"{e['model_id']}\n{e['lab_id']} ({e['country']})", e["ecosystem"] or "?", _score(e, unit),
        price, ctx, f"{e['license'] or '?'}" + (" (permissive)" if e["permissive"] else ""),
        openw, _params(e), _gb(e["memory_gb"]),
    ]  # fmt: skip


_HEADERS = ["model", "eco", "score", "$/Mtok 3:1", "context", "license", "open", "params",
            "GB 4/8/16-bit"]  # fmt: skip


def print_advice(r: dict[str, Any]) -> None:
    """The shortlist, the ecosystems side by side, the exclusions that matter, the formulas."""
    ev = r["evidence"]
    unit = ev["unit"] if ev else ""
    cons = " ".join(r["constraints"]) or "none"
    title = f"{r['name']}: shortlist as of {r['as_of']} (constraints: {cons})"
    table = Table(title=title, show_lines=True, header_style="bold")
    for h in ["#", *_HEADERS, "why"]:
        table.add_column(h, overflow="fold")
    for i, e in enumerate(r["shortlist"], 1):
        table.add_row(str(i), *_row(e, unit), e["why"].split(":")[0])
    console.print(table)
    if ev:
        board = ev.get("board")
        depth = f", top {board['rows']}" if board and board["coverage"] == "top_n" else ""
        age = f", {age_text(ev['age_days'])} old" if ev.get("age_days") else ""
        console.print(f"score: {ev['label']} ({ev['unit']}, {ev['source']}, {ev['date']}{depth}"
                      f"{age}); pool {r['pool']} models scored there")  # fmt: skip
        if r.get("not_on_board"):
            console.print(f"also meet the constraints but are not on that board: "
                          f"{', '.join(r['not_on_board'])}")  # fmt: skip
    if not r["shortlist"]:
        console.print(f"[yellow]no model passes; binding constraint: {r['binding_constraint']}"
                      "[/yellow]")  # fmt: skip
    side = Table(title="Best pick from each ecosystem", show_lines=True, header_style="bold")
    side.add_column("")
    ecos = ecosystem_ids()
    for eco in ecos:
        side.add_column(eco, overflow="fold")
    picks = [r["best_by_ecosystem"].get(eco) for eco in ecos]
    cells = [_row(p, unit) if p else None for p in picks]
    for j, h in enumerate(_HEADERS):
        if h == "eco":
            continue
        side.add_row(h, *(c[j] if c else ("—" if j else r["ecosystem_notes"].get(eco, "—"))
                          for c, eco in zip(cells, ecos, strict=True)))  # fmt: skip
    console.print(side)
    _print_excluded(r, unit)
    console.print(f"[dim]{r['memory']['note']}[/dim]")
    console.print(
        "[dim]after each constraint: "
        + ", ".join(f"{x['constraint']} -> {x['remaining']}" for x in r["remaining_after"])
        + "[/dim]"
        if r["remaining_after"]
        else "[dim]no constraints[/dim]"
    )


def _print_excluded(r: dict[str, Any], unit: str, per_constraint: int = 5) -> None:
    """The best models each constraint excluded (the ones a reader would miss), with why."""
    if not r["excluded"]:
        return
    shown: dict[str, int] = {}
    table = Table(
        title=f"Excluded: {len(r['excluded'])} models; the best {per_constraint} per constraint",
        header_style="bold",
    )
    for h in ("model", "eco", "score", "constraint", "reason"):
        table.add_column(h, overflow="fold")
    for x in r["excluded"]:  # best first
        n = shown.get(x["constraint"], 0)
        if n < per_constraint:
            shown[x["constraint"]] = n + 1
            score = f"{x['score']:,.0f}" if unit == "Elo" else f"{x['score']:,.1f}"
            table.add_row(x["model_id"], x["ecosystem"] or "?", score, x["constraint"], x["reason"])
    console.print(table)


def advise_command(
    task: str = typer.Option(..., "--task", help="Domain id (coding, reasoning, vision, ...)."),
    open_weights: bool = typer.Option(False, "--open-weights", help="Only downloadable weights."),
    license: str | None = typer.Option(
        None, "--license", help="'permissive' (OSI permissive: MIT, Apache-2.0, BSD, ...) or an id."
    ),
    max_price: float | None = typer.Option(
        None, "--max-price", help="Max blended price, USD per 1M tokens (3 input : 1 output)."
    ),
    min_context: int | None = typer.Option(None, "--min-context", help="Min context, tokens."),
    vram: float | None = typer.Option(
        None, "--vram", help="GB available to run locally (needs open weights; 4-bit estimate)."
    ),
    exclude_country: list[str] | None = typer.Option(
        None, "--exclude-country", help="Lab country to exclude (ISO code; repeatable)."
    ),
    ecosystem: list[str] | None = typer.Option(
        None, "--ecosystem", help="Only these ecosystems (repeatable)."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: newest)."),
    top: int = typer.Option(10, "--top", help="Shortlist length."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """A shortlist of models for a task across ecosystems, with price, context, license and the
    memory to run each locally, and why each model is in or out."""
    date = parse_date(as_of, "--as-of")
    answer = library.advise(
        task, open_weights=True if open_weights else None, license=license,
        max_price=max_price, min_context=min_context, vram_gb=vram,
        exclude_countries=_split(exclude_country), ecosystems=_split(ecosystem),
        as_of=date, top=top, db=db_path(db),
    )  # fmt: skip
    emit_answer(answer, lambda: print_advice(answer.to_dict()), as_json=as_json, as_csv=as_csv)


def register(app: typer.Typer) -> None:
    app.command("advise")(advise_command)
