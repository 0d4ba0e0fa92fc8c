"""Query parameters shared by pages and the API, validated into domain values.

Every check raises UserError with a message that says what was wrong and what is accepted; the
app turns it into a 422. Lengths are bounded by FastAPI's Query (also a 422).
"""

from __future__ import annotations

import datetime as dt

from fastapi import Query

from wholeads.convert import parse_date
from wholeads.errors import UserError
from wholeads.kb.domains import get_domain
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.query.answers import BY_CHOICES, check_by

EARLIEST = dt.date(2000, 1, 1)

AsOf = Query(None, max_length=10, description="YYYY-MM-DD or YYYY-MM (default: newest evidence).")
ByQ = Query("ecosystem", max_length=10, description=f"One of {', '.join(BY_CHOICES)}.")
SourceQ = Query(None, max_length=64, description="Only evidence from this source id.")


def as_of_date(value: str | None) -> dt.date | None:
    """An as-of date, not before 2000 and not in the future."""
    if not value:
        return None
    date = parse_date(value, "as_of")
    assert date is not None
    if date < EARLIEST or date > dt.date.today():
        raise UserError(f"as_of: {date} is out of range; use a date from {EARLIEST} to today")
    return date


def grouping(value: str) -> str:
    return check_by(value)


def domain_id(value: str) -> str:
    """A known domain id (unknown ones list the known)."""
    return get_domain(value).id


def ecosystem(value: str) -> str:
    """A known ecosystem id, matched case-insensitively ('cn' -> 'CN')."""
    known = {e.lower(): e for e in ecosystem_ids()}
    if value.lower() not in known:
        raise UserError(f"unknown ecosystem '{value}'; known: {', '.join(ecosystem_ids())}")
    return known[value.lower()]


def source_id(value: str | None, known: list[str]) -> str | None:
    if value and value not in known:
        raise UserError(f"unknown source '{value}'; known: {', '.join(known)}")
    return value or None
