"""Output of listings: a readable Rich table, or JSON / CSV for scripts."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from wholeads.convert import to_jsonable
from wholeads.errors import UserError

if TYPE_CHECKING:
    from wholeads.library.records import Tabular


def _width() -> int | None:
    """A terminal's own width; piped output gets $COLUMNS, else a wide 160 (instead of Rich's
    80-column fallback), so a file holds the full table."""
    if sys.stdout.isatty():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 160


console = Console(width=_width())

DbOption = typer.Option(
    None, "--db", help="Database file (default: $WHOLEADS_DB or the user data dir)."
)
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")
CsvOption = typer.Option(False, "--csv", help="Print CSV for scripts (one row per item).")
ParquetOption = typer.Option(
    None, "--parquet", help="Write the rows to this Parquet file instead of printing them."
)


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
        raise UserError("choose one of --json and --csv")
    if as_json:
        print_json(list(rows))
        return
    if as_csv:
        write_csv(rows, columns)
        return
    from rich.table import Table

    table = Table(title=title, header_style="bold", show_lines=False)
    for column in columns:
        table.add_column((headers or {}).get(column, column.replace("_", " ")), overflow="fold")
    for row in rows:
        table.add_row(*(cell(row.get(c)) for c in columns))
    console.print(table)
    if not rows:
        console.print("[yellow]no rows match[/yellow]")


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> None:
    """Rows as CSV on stdout: the given columns, else every key in first-seen order; lists and
    nested values as JSON text."""
    from wholeads.library.records import flat_row

    names = list(columns or dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(sys.stdout, fieldnames=names, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: to_jsonable(v) for c, v in flat_row(row).items()})


def emit_answer(
    answer: Tabular,
    show: Callable[[], None],
    *,
    as_json: bool = False,
    as_csv: bool = False,
    parquet: Path | None = None,
) -> None:
    """An answer as JSON (the whole answer), CSV or Parquet (its rows), else as ``show`` prints
    it for people."""
    if sum((as_json, as_csv, parquet is not None)) > 1:
        raise UserError("choose one of --json, --csv and --parquet")
    if as_json:
        print_json(answer.to_dict())
    elif as_csv:
        write_csv(answer.rows())
    elif parquet is not None:
        write_parquet(answer, parquet)
    else:
        show()


def write_parquet(answer: Tabular | Sequence[dict[str, Any]], path: Path) -> None:
    """An answer's rows (or the rows given) as one Parquet file, written whole or not at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from wholeads.library.records import flat_row

    rows = answer if isinstance(answer, Sequence) else None
    table = (
        pa.Table.from_pylist([flat_row(r) for r in rows])
        if rows is not None
        else (
            answer.to_arrow()  # type: ignore[union-attr]
        )
    )
    partial = path.with_name(path.name + ".partial")
    try:
        pq.write_table(table, partial)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(f"--parquet: cannot write {path}: {exc.strerror or exc}") from None
    Console(stderr=True).print(f"wrote {table.num_rows:,} rows to {path}")
