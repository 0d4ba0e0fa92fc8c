"""The resolver a build used, loaded back from the database by every reader.

Loading replays the stored registrations (``ingest.stored_resolver``) into an empty
``Resolver``: the claims are order-free, so the reader's resolver is the build's, and the CLI,
the web app, the checker and the advisor all answer as the build did. Nothing is parsed again
except the names a reader asks about.
"""

from __future__ import annotations

import duckdb

from wholeads.ingest.names.dates import PartialDate
from wholeads.ingest.resolve import Claim, ModelEntry, Registration, Resolver
from wholeads.store.records import record_from, select
from wholeads.store.tables import (
    MODEL_PARTS,
    RESOLVER_LABS,
    RESOLVER_MODELS,
    RESOLVER_NAMES,
    ROLLING_ALIASES,
    PartsRow,
)


def load_resolver(con: duckdb.DuckDBPyConnection) -> Resolver:
    """The build's resolver, from the database (replayed registrations, labs, rolling names)."""
    resolver = Resolver()
    for m in select(con, RESOLVER_MODELS):
        release = m.release_date.isoformat() if m.release_date else None
        resolver.models[m.id] = ModelEntry(m.id, m.lab_id, m.family_id, release)
    for r in select(con, RESOLVER_NAMES, order="seq"):
        checkpoint = (
            PartialDate(r.ckpt_year, r.ckpt_month, r.ckpt_day) if r.ckpt_month is not None else None
        )
        resolver.add_registration(record_from(Registration, r, checkpoint=checkpoint))
    for lab in select(con, RESOLVER_LABS):
        resolver.labs[lab.key] = Claim(lab.lab_id, lab.rank, set(lab.claimants))
    for rolling in select(con, ROLLING_ALIASES):
        resolver.add_rolling(rolling.alias, rolling.model_id, rolling.valid_from, rolling.valid_to)
    return resolver


def load_parts(con: duckdb.DuckDBPyConnection) -> list[PartsRow]:
    """Every model's stored parts."""
    return select(con, MODEL_PARTS)
