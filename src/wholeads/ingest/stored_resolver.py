"""The build's resolver as rows, so every reader loads the same one (``query.resolver``).

A build writes every registration (name, model, rank and its parsed keys), the models the
resolver knows (with the release dates it used), the lab spellings and each model's parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import duckdb

from wholeads.ingest.names import parse
from wholeads.ingest.resolve import Resolver
from wholeads.store.records import insert, record_from
from wholeads.store.tables import (
    MODEL_PARTS,
    RESOLVER_LABS,
    RESOLVER_MODELS,
    RESOLVER_NAMES,
    PartsRow,
    ResolverLabRow,
    ResolverModelRow,
    ResolverNameRow,
)


def parts_row(model_id: str, name: str, lab_origin: str | None) -> PartsRow:
    """The parts of a model's canonical spelling (curated: its id; provisional: its name)."""
    parts = parse(name)
    return record_from(
        PartsRow,
        parts,
        model_id=model_id,
        name=name,
        tiers="+".join(parts.tiers) or None,
        checkpoint=parts.checkpoint.text() if parts.checkpoint else None,
        lab_origin=lab_origin,
    )


def write_resolver(
    con: duckdb.DuckDBPyConnection,
    resolver: Resolver,
    canonical: Iterable[tuple[str, str, str | None]],
) -> None:
    """Store the resolver and each model's parts (``canonical``: model id, spelling to parse,
    where its lab came from)."""
    names = [
        record_from(
            ResolverNameRow,
            r,
            seq=seq,
            ckpt_year=r.checkpoint.year if r.checkpoint else None,
            ckpt_month=r.checkpoint.month if r.checkpoint else None,
            ckpt_day=r.checkpoint.day if r.checkpoint else None,
        )
        for seq, r in enumerate(resolver.registered)
    ]
    insert(con, RESOLVER_NAMES, names)
    models = [
        record_from(
            ResolverModelRow,
            m,
            release_date=dt.date.fromisoformat(m.release_date) if m.release_date else None,
        )
        for m in resolver.models.values()
    ]
    insert(con, RESOLVER_MODELS, models)
    labs = [
        ResolverLabRow(key=k, lab_id=c.model_id, rank=c.rank, claimants=sorted(c.claimants))
        for k, c in resolver.labs.items()
    ]
    insert(con, RESOLVER_LABS, labs)
    parts = [parts_row(model_id, name, origin) for model_id, name, origin in canonical]
    insert(con, MODEL_PARTS, parts)
