"""Parsing of option values into domain types, with one-line errors."""

from __future__ import annotations

import datetime as dt

from wholeads.errors import UserError


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD, or YYYY-MM meaning the month's first day)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{option}: '{value}' is not a date; use YYYY-MM-DD") from None
