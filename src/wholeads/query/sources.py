"""What the last update recorded about its sources: each one's outcome, its problems, the
build's meta facts (read by ``wholeads sources``/``problems``, the report's citations and the
next update)."""

from __future__ import annotations

import duckdb

from wholeads.store.records import select
from wholeads.store.tables import META, PROBLEMS, SOURCES, ProblemRow, SourceRow


def source_rows(con: duckdb.DuckDBPyConnection) -> dict[str, SourceRow]:
    """Each source's outcome in the update that built the database, by source id."""
    return {row.id: row for row in select(con, SOURCES, order="id")}


def problem_rows(
    con: duckdb.DuckDBPyConnection, source: str | None, limit: int
) -> list[ProblemRow]:
    """What the update could not read or rejected (``source``: only that source's)."""
    return select(con, PROBLEMS, "? IS NULL OR source = ?", [source, source], "source", limit)


def build_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The build's facts: kb_hash, schema, built_at, version."""
    return {row.key: row.value for row in select(con, META)}
