"""Write a build's records into the new database, table by table, in bulk.

The rows come from the build (``build.Builder``) as the records each table declares
(``store.tables``); nothing here knows a column position. Tables are written in one fixed order,
so a rebuild from the same inputs writes the same rows in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

import duckdb

from wholeads.ingest.providers import provider_rows
from wholeads.ingest.registry import Registry
from wholeads.ingest.score_columns import ResolvedScores
from wholeads.ingest.sources import get_source
from wholeads.ingest.stored_resolver import write_resolver
from wholeads.kb import KnowledgeBase
from wholeads.kb.ecosystems import ecosystem_of
from wholeads.store.records import STAGING, Table, create_staging, insert, insert_coded, record_from
from wholeads.store.tables import (
    BENCHMARKS,
    CONFLICTS,
    FACTS,
    FAMILIES,
    LAB_ALIASES,
    LABS,
    META,
    MODEL_ALIASES,
    MODELS,
    NOTABLE,
    PRICES,
    PROBLEMS,
    PROVIDER_ALIASES,
    ROLLING_ALIASES,
    SOURCES,
    UNMATCHED,
    FamilyRow,
    MetaRow,
    ProblemRow,
    RollingAliasRow,
    ScoreRow,
    SourceRow,
)

if TYPE_CHECKING:
    from wholeads.ingest.build import BuildRows, SourceRun


def write_all(
    con: duckdb.DuckDBPyConnection,
    kb: KnowledgeBase,
    registry: Registry,
    rows: BuildRows,
    runs: Sequence[SourceRun],
) -> None:
    """Every table a build fills (``derive`` then computes the derived columns)."""
    for lab in registry.labs.values():
        lab.ecosystem = ecosystem_of(lab.country)
    insert(con, LABS, list(registry.labs.values()))
    families = [
        FamilyRow(id=f.id, name=f.name, lab_id=f.lab, kind=str(f.kind))
        for f in kb.families.values()
    ]
    insert(con, FAMILIES, families)
    insert(con, MODELS, list(registry.models.values()))
    insert(con, MODEL_ALIASES, sorted(registry.model_aliases))
    insert(con, LAB_ALIASES, sorted(registry.lab_aliases))
    rolling = [
        RollingAliasRow(alias=alias, model_id=model_id, valid_from=start, valid_to=end)
        for alias, model_id, start, end in kb.rolling_periods()
    ]
    insert(con, ROLLING_ALIASES, rolling)
    insert(con, FACTS, rows.facts)
    insert(con, PRICES, rows.prices)
    insert(con, BENCHMARKS, list(rows.benchmarks.values()))
    insert(con, UNMATCHED, list(registry.unmatched.values()))
    problems = [
        ProblemRow(source=r.id, message=p) for r in runs if r.batch for p in r.batch.problems
    ]
    insert(con, PROBLEMS, problems)
    write_resolver(con, registry.resolver, _canonical_spellings(registry))
    insert(
        con, PROVIDER_ALIASES, provider_rows((p.provider for p in rows.prices), registry.resolver)
    )
    insert(con, CONFLICTS, rows.conflicts)
    insert(con, NOTABLE, rows.notable)


STAGED_SCORES = Table(f"{STAGING}.scores", ScoreRow)
"""Where a build writes its scores: a staging table that ``derive`` moves into `scores` with
their derived columns (the database file's table is written once)."""


class ScoreWriter:
    """Writes each source's resolved scores into the staging table from a thread of its own,
    while the build goes on resolving (the insert reads only arrays, so DuckDB runs it without
    the interpreter). Leaving the block waits for every write; a failed one raises there."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        create_staging(con, STAGED_SCORES)
        self.cursor = con.cursor()  # a connection of its own, for the other thread
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="score-writer")
        self.pending: list[Future[None]] = []

    def write(self, scores: ResolvedScores) -> None:
        self.pending.append(
            self.thread.submit(insert_coded, self.cursor, STAGED_SCORES, *scores.table_arrays())
        )

    def __enter__(self) -> ScoreWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for done in self.pending:
                done.result()
        finally:
            self.thread.shutdown(wait=True, cancel_futures=True)
            self.cursor.close()


def _canonical_spellings(registry: Registry) -> list[tuple[str, str, str | None]]:
    """(model id, spelling whose parts describe it, lab origin) per model: a curated id, a
    provisional model's first name."""
    origin = registry.lab_origin
    return [
        (m.id, m.id, "kb") if m.curated else (m.id, m.name, origin.get(m.id))
        for m in registry.models.values()
    ]


COUNTED = ("models", "scores", "prices", "problems")
"""The records of a source's batch that its `sources` row counts."""


def write_sources(con: duckdb.DuckDBPyConnection, runs: Sequence[SourceRun]) -> None:
    """Each source's outcome in this update, in the order the sources ran."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for run in runs:
        spec = get_source(run.id).SPEC
        counts = {k: len(getattr(run.batch, k)) if run.batch else 0 for k in COUNTED}
        row = record_from(
            SourceRow,
            run,
            **counts,
            name=spec.name,
            url=spec.homepage,
            license=spec.license,
            citation=spec.citation,
            retrieved_at=run.retrieved_at.replace(tzinfo=None) if run.retrieved_at else None,
            updated_at=now,
        )
        rows.append(row)
    insert(con, SOURCES, rows)


def write_meta(con: duckdb.DuckDBPyConnection, meta: dict[str, str]) -> None:
    """The build's facts (kb_hash, schema, built_at, version)."""
    insert(con, META, [MetaRow(key=k, value=v) for k, v in meta.items()])
