"""The span of the evidence: the first and the newest day a resolved score became usable, so a
date outside it can be told apart from a date without an answer."""

from __future__ import annotations

import datetime as dt

import duckdb


def evidence_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """(first, newest) day any resolved score counts from, never after today; (None, None) for
    a database without benchmark evidence."""
    row = con.execute(
        "SELECT min(valid_from), max(valid_from) FROM scores"
        " WHERE model_id IS NOT NULL AND valid_from <= current_date"
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)
