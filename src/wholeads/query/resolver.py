"""The resolver a build used, stored in the database and loaded back by every reader.

A build writes every registration (name, model, rank and its parsed keys), the models the
resolver knows (with the release dates it used), the lab spellings and each model's parts.
Loading replays the registrations into an empty ``Resolver``: the claims are order-free, so the
reader's resolver is the build's, and the CLI, the web app, the checker and the advisor all
answer as the build did. Nothing is parsed again except the names a reader asks about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb

from wholeads.ingest.names import parse
from wholeads.ingest.names.dates import PartialDate
from wholeads.ingest.resolve import Claim, ModelEntry, Registration, Resolver


@dataclass(frozen=True, slots=True)
class PartsRow:
    """One model's identity parts, as stored in `model_parts` (for reading and for checks)."""

    model_id: str
    name: str
    family: str
    version: str
    stem: str
    tiers: str | None
    size: str | None
    active: str | None
    mode: str | None
    context: str | None
    checkpoint: str | None
    key: str
    lab_origin: str | None
    """Curated models: 'kb'; provisional ones: 'source', 'vendor' or 'line' (see Registry)."""


def parts_row(model_id: str, name: str, lab_origin: str | None) -> PartsRow:
    """The parts of a model's canonical spelling (curated: its id; provisional: its name)."""
    parts = parse(name)
    return PartsRow(
        model_id=model_id,
        name=name,
        family=parts.family,
        version=parts.version,
        stem=parts.stem,
        tiers="+".join(parts.tiers) or None,
        size=parts.size,
        active=parts.active,
        mode=parts.mode,
        context=parts.context,
        checkpoint=parts.checkpoint.text() if parts.checkpoint else None,
        key=parts.key,
        lab_origin=lab_origin,
    )


def _columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]]) -> None:
    """Bulk insert named columns (None = NULL) through numpy object arrays."""
    import numpy as np

    size = len(next(iter(columns.values())))
    if size == 0:
        return
    arrays = {
        name: np.fromiter(values, dtype=object, count=size) for name, values in columns.items()
    }
    con.register("_resolver_rows", arrays)
    try:
        names = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _resolver_rows")
    finally:
        con.unregister("_resolver_rows")


def write_resolver(
    con: duckdb.DuckDBPyConnection,
    resolver: Resolver,
    canonical: Iterable[tuple[str, str, str | None]],
) -> None:
    """Store the resolver and each model's parts (``canonical``: model id, spelling to parse,
    where its lab came from)."""
    regs = resolver.registered
    _columns(
        con,
        "resolver_names",
        {
            "seq": list(range(len(regs))),
            "name": [r.name for r in regs],
            "model_id": [r.model_id for r in regs],
            "rank": [r.rank for r in regs],
            "key": [r.key for r in regs],
            "loose_key": [r.loose_key for r in regs],
            "modeless_key": [r.modeless_key for r in regs],
            "activeless_key": [r.activeless_key for r in regs],
            "bare": [r.bare for r in regs],
            "mode": [r.mode for r in regs],
            "ckpt_year": [r.checkpoint.year if r.checkpoint else None for r in regs],
            "ckpt_month": [r.checkpoint.month if r.checkpoint else None for r in regs],
            "ckpt_day": [r.checkpoint.day if r.checkpoint else None for r in regs],
        },
    )
    models = list(resolver.models.values())
    _columns(
        con,
        "resolver_models",
        {
            "id": [m.id for m in models],
            "lab_id": [m.lab_id for m in models],
            "family_id": [m.family_id for m in models],
            "release_date": [m.release_date for m in models],
        },
    )
    labs = list(resolver.labs.items())
    _columns(
        con,
        "resolver_labs",
        {
            "key": [k for k, _ in labs],
            "lab_id": [c.model_id for _, c in labs],
            "rank": [c.rank for _, c in labs],
            "claimants": [sorted(c.claimants) for _, c in labs],
        },
    )
    parts = [parts_row(model_id, name, origin) for model_id, name, origin in canonical]
    _columns(
        con,
        "model_parts",
        {f: [getattr(p, f) for p in parts] for f in PartsRow.__dataclass_fields__},
    )


def load_resolver(con: duckdb.DuckDBPyConnection) -> Resolver:
    """The build's resolver, from the database (replayed registrations, labs, rolling names)."""
    resolver = Resolver()
    for model_id, lab_id, family_id, release in con.execute(
        "SELECT id, lab_id, family_id, release_date FROM resolver_models"
    ).fetchall():
        resolver.models[model_id] = ModelEntry(
            model_id,
            lab_id,
            family_id,
            release.isoformat() if isinstance(release, dt.date) else release,
        )
    rows = con.execute(
        """SELECT name, model_id, rank, key, loose_key, modeless_key, activeless_key, bare,
                  mode, ckpt_year, ckpt_month, ckpt_day
           FROM resolver_names ORDER BY seq"""
    ).fetchall()
    for name, model_id, rank, key, loose, modeless, active, bare, mode, y, m, d in rows:
        checkpoint = PartialDate(y, m, d) if m is not None else None
        resolver.add_registration(
            Registration(name, model_id, rank, key, loose, modeless, active, bare, mode, checkpoint)
        )
    for key, lab_id, rank, claimants in con.execute(
        "SELECT key, lab_id, rank, claimants FROM resolver_labs"
    ).fetchall():
        resolver.labs[key] = Claim(lab_id, rank, set(claimants))
    for alias, model_id, start, end in con.execute(
        "SELECT alias, model_id, valid_from, valid_to FROM rolling_aliases"
    ).fetchall():
        resolver.add_rolling(alias, model_id, start, end)
    return resolver


def load_parts(con: duckdb.DuckDBPyConnection) -> list[PartsRow]:
    """Every model's stored parts."""
    columns = list(PartsRow.__dataclass_fields__)
    rows = con.execute(f"SELECT {', '.join(columns)} FROM model_parts").fetchall()
    return [PartsRow(*row) for row in rows]
