"""Validation shared by the library and the CLI: what the web API already refuses, refused here
with a message that says why (a date in the future or before the evidence, an unknown group,
a negative price or size)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from wholeads.convert import parse_date
from wholeads.errors import UserError

if TYPE_CHECKING:
    import duckdb

    from wholeads.query.catalog import ModelFilter

WORDS = {"as_of": "as of", "since": "from", "until": "to"}
"""How a date parameter reads in a message (the CLI's --as-of, --from and --to)."""


def one_date(value: str | dt.date | None, name: str) -> dt.date | None:
    """A date given as a date or as YYYY-MM-DD / YYYY-MM text."""
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(value, WORDS.get(name, name))


def checked_dates(con: duckdb.DuckDBPyConnection, dates: dict[str, dt.date | None]) -> None:
    """Refuse a date after today (no evidence can exist yet) or before the first evidence (no
    answer can exist), saying which; and a 'from' after its 'to'."""
    from wholeads.query.span import evidence_span

    given = {k: v for k, v in dates.items() if v is not None}
    if not given:
        return
    first, newest = evidence_span(con)
    today = dt.date.today()
    for name, day in given.items():
        word = WORDS.get(name, name)
        if day > today:
            newest_text = f"; the newest evidence is of {newest}" if newest else ""
            raise UserError(f"{word} {day}: the date is in the future (today is {today}"
                            f"{newest_text})")  # fmt: skip
        if first is not None and day < first and name != "since":
            raise UserError(f"{word} {day}: the date is before the evidence, which starts on "
                            f"{first}")  # fmt: skip
    since, until = given.get("since"), given.get("until")
    if since is not None and until is not None and since > until:
        raise UserError(f"from {since} is after to {until}")


def check_group(con: duckdb.DuckDBPyConnection, option: str, group: str, by: str) -> None:
    """A group that exists for the grouping: an ecosystem, open/closed, or a known lab."""
    from wholeads.kb.ecosystems import ecosystem_ids

    if by == "ecosystem":
        known = ecosystem_ids()
    elif by == "openness":
        known = ["closed", "open"]
    else:
        from wholeads.query.catalog import resolve_lab_id

        resolve_lab_id(con, group)  # raises with suggestions when no lab has that name
        return
    if group not in known:
        raise UserError(f"--{option}: unknown group '{group}' for --by {by}; use one of "
                        f"{', '.join(known)}")  # fmt: skip


def non_negative(name: str, value: float | None) -> None:
    """Prices and sizes cannot be negative."""
    if value is not None and value < 0:
        raise UserError(f"{_flag(name)}: {value:g} is negative; give a value of 0 or more")


def positive(name: str, value: int | None) -> None:
    """Counts and context lengths start at 1."""
    if value is not None and value < 1:
        raise UserError(f"{_flag(name)}: {value} must be at least 1")


def _flag(name: str) -> str:
    return "--" + {"vram_gb": "vram"}.get(name, name).replace("_", "-")


def check_model_filter(flt: ModelFilter) -> None:
    """The filters of `models`: known ecosystem and kind, a two-letter country, dates in order."""
    from wholeads.kb.ecosystems import ecosystem_ids
    from wholeads.schema import ModelKind

    if flt.ecosystem and flt.ecosystem not in ecosystem_ids():
        raise UserError(
            f"--ecosystem: unknown '{flt.ecosystem}'; use one of {', '.join(ecosystem_ids())}"
        )
    kinds = [k.value for k in ModelKind]
    if flt.kind and flt.kind not in kinds:
        raise UserError(f"--kind: unknown '{flt.kind}'; use one of {', '.join(kinds)}")
    if flt.country and (len(flt.country) != 2 or not flt.country.isalpha()):
        raise UserError(f"--country: '{flt.country}' is not an ISO 3166-1 alpha-2 code (e.g. CN)")
    positive("min_context", flt.min_context)
    after, before = flt.released_after, flt.released_before
    if after is not None and before is not None and after > before:
        raise UserError(f"--released-after {after} is after --released-before {before}")
