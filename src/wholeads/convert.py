"""Conversions at the boundaries (CLI, web, report): user-typed dates in, JSON-ready values out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from wholeads.errors import UserError


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD, or YYYY-MM meaning the month's first day); the error names the
    option it came from."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: '{value}' is not a date; use YYYY-MM-DD") from None


def to_jsonable(value: Any) -> Any:
    """Dates as ISO strings, paths as strings, containers recursively, everything else as is."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
