"""Availability read from the catalogs: which providers list a price for each model on a date
(provider spellings merged through `provider_aliases`), with the facts the figure groups by.
The counting is ``analysis/availability``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import duckdb

from wholeads.analysis.availability import Listing, ModelAvailability, per_ecosystem, per_model
from wholeads.errors import UserError
from wholeads.query.evidence import Reader

PRICE_SOURCES_EXCLUDED = ("lmarena-category-ratings",)
"""Price rows that are no provider's catalog (an arena's own price column names the lab)."""


def listings(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, source: str | None = None
) -> list[Listing]:
    """Every (model, provider) with a price valid on the date, providers merged."""
    rows = con.execute(
        """SELECT DISTINCT p.model_id, coalesce(a.provider_id, lower(p.provider)), l.ecosystem,
                  m.open_weights, m.params_total_b
           FROM prices p JOIN models m ON m.id = p.model_id
           LEFT JOIN labs l ON l.id = m.lab_id
           LEFT JOIN provider_aliases a ON a.alias = p.provider
           WHERE p.provider IS NOT NULL AND p.valid_from <= ?
             AND (p.valid_to IS NULL OR p.valid_to > ?)
             AND p.source NOT IN (SELECT unnest(?::VARCHAR[]))
             AND (?::VARCHAR IS NULL OR p.source = ?)""",
        [as_of, as_of, list(PRICE_SOURCES_EXCLUDED), source, source],
    ).fetchall()
    return [Listing(*r) for r in rows]


def newest_listing(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The newest day a catalog price became valid (the default date: catalogs are dated by
    their snapshots, often after the newest score)."""
    row = con.execute("SELECT max(valid_from) FROM prices WHERE provider IS NOT NULL").fetchone()
    if not row or row[0] is None:
        raise UserError("no catalog prices in the database: run `wholeads update`")
    day: dt.date = row[0]
    return day


def _row(m: ModelAvailability) -> dict[str, Any]:
    return {**dataclasses.asdict(m), "provider_ids": list(m.provider_ids)}


def availability_report(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None = None,
    memory_gb: float | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """Providers per model and per ecosystem on a date, and with ``memory_gb`` which open-weight
    models fit that budget at 4 bits."""
    if memory_gb is not None and not 0 < memory_gb <= 100_000:
        raise UserError(f"--memory-gb: {memory_gb:g} is out of range; use a positive size in GB")
    Reader(con).check_source(source)
    date = as_of or newest_listing(con)
    models = per_model(listings(con, date, source), memory_gb)
    return {
        "as_of": date, "memory_gb": memory_gb, "source": source,
        "ecosystems": [dataclasses.asdict(e) for e in per_ecosystem(models, memory_gb)],
        "models": [_row(m) for m in models],
        "fit_budget": [_row(m) for m in models if m.fits],
    }  # fmt: skip
