"""Parsing of option values into domain types, with one-line errors (see wholeads.convert)."""

from __future__ import annotations

from wholeads.convert import parse_date

__all__ = ["parse_date"]
