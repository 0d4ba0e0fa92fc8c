"""Read-side queries over the built database: labs, models with filters, one model's facts.

Functions take an open connection and return plain dicts, so the CLI, the web app and the
report share them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from wholeads.errors import UserError
from wholeads.store.records import select
from wholeads.store.tables import (
    BENCHMARKS,
    FACTS,
    LAB_ALIASES,
    LABS,
    MODEL_ALIASES,
    MODELS,
    BenchmarkRow,
    FactRow,
    LabAliasRow,
    LabRow,
    ModelAliasRow,
    ModelRow,
)


def rows_as_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """A query's rows as dicts by column name (for joins that no one table declares)."""
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def list_labs(con: duckdb.DuckDBPyConnection, *, curated_only: bool = True) -> list[dict[str, Any]]:
    """Labs with their country, ecosystem and model counts."""
    where = "WHERE l.curated" if curated_only else ""
    return rows_as_dicts(
        con.execute(f"""
        SELECT l.id, l.name, l.country, l.ecosystem, l.type,
               count(m.id) AS models, count(m.id) FILTER (WHERE m.open_weights) AS open_models,
               max(m.release_date) AS latest_release, l.homepage
        FROM labs l LEFT JOIN models m ON m.lab_id = l.id
        {where}
        GROUP BY ALL ORDER BY l.ecosystem, l.name""")
    )


@dataclass(frozen=True)
class ModelFilter:
    """Filters of `wholeads models`."""

    lab: str | None = None
    ecosystem: str | None = None
    country: str | None = None
    open_weights: bool | None = None
    kind: str | None = None
    released_after: dt.date | None = None
    released_before: dt.date | None = None
    min_context: int | None = None
    include_provisional: bool = False


def list_models(con: duckdb.DuckDBPyConnection, flt: ModelFilter) -> list[dict[str, Any]]:
    """Models matching the filters, newest first. Filters are bound parameters, never SQL."""
    conditions: list[tuple[Any, str]] = [
        (resolve_lab_id(con, flt.lab) if flt.lab else None, "m.lab_id = ?"),
        (flt.ecosystem, "lower(l.ecosystem) = lower(?)"),
        (flt.country, "l.country = upper(?)"),
        (flt.open_weights, "m.open_weights = ?"),
        (flt.kind, "m.kind = ?"),
        (flt.released_after, "m.release_date >= ?"),
        (flt.released_before, "m.release_date <= ?"),
        (flt.min_context, "m.context_window >= ?"),
    ]
    clauses = ["TRUE"] if flt.include_provisional else ["m.curated"]
    params: list[Any] = []
    for value, clause in conditions:
        if value is not None:
            clauses.append(clause)
            params.append(value)
    return rows_as_dicts(
        con.execute(
            f"""
        SELECT m.id, m.name, m.lab_id AS lab, l.country, l.ecosystem, m.kind, m.release_date,
               m.open_weights, m.license, m.params_total_b, m.params_active_b,
               m.context_window, m.price_input, m.price_output
        FROM models m JOIN labs l ON l.id = m.lab_id
        WHERE {" AND ".join(clauses)}
        ORDER BY m.release_date DESC NULLS LAST, m.id""",
            params,
        )
    )


def resolve_model_id(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """A model id from any spelling; an unknown name is a user error with suggestions."""
    from wholeads.query.resolver import load_resolver  # the resolver's grammar loads on use

    match = load_resolver(con).resolve(name)
    if match.model_id:
        return match.model_id
    hint = suggest(con, name)
    raise UserError(
        f"unknown model '{name}'" + (f"; did you mean: {', '.join(hint)}?" if hint else "")
    )


def resolve_lab_id(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """A lab id from any spelling; an unknown name is a user error."""
    from wholeads.query.resolver import load_resolver

    lab_id = load_resolver(con).resolve_lab(name)
    if lab_id is None:
        raise UserError(f"unknown lab '{name}'; see 'wholeads labs'")
    return lab_id


def suggest(con: duckdb.DuckDBPyConnection, name: str, limit: int = 5) -> list[str]:
    """Closest model ids by edit similarity (for 'did you mean')."""
    rows = con.execute(
        "SELECT id FROM models ORDER BY jaro_winkler_similarity(lower(id), lower(?)) DESC LIMIT ?",
        [name, limit],
    ).fetchall()
    return [r[0] for r in rows]


def model_facts(con: duckdb.DuckDBPyConnection, model_id: str) -> dict[str, Any]:
    """Everything known of one model: chosen facts, every source's value, aliases, scores,
    prices; disagreements between sources are listed explicitly."""
    model = rows_as_dicts(
        con.execute(
            """
        SELECT m.*, l.name AS lab_name, l.country, l.ecosystem
        FROM models m LEFT JOIN labs l ON l.id = m.lab_id WHERE m.id = ?""",
            [model_id],
        )
    )
    if not model:
        raise UserError(f"unknown model '{model_id}'")
    facts = rows_as_dicts(
        con.execute(
            """
        SELECT field, value, source, url, file, "row", as_of, chosen FROM model_facts
        WHERE model_id = ? ORDER BY field, chosen DESC, source""",
            [model_id],
        )
    )
    by_field: dict[str, list[str]] = {}
    for fact in facts:
        by_field.setdefault(fact["field"], []).append(fact["value"])
    from wholeads.ingest.facts import disagree

    disagreements = sorted(f for f, values in by_field.items() if disagree(values))
    contradictions = rows_as_dicts(
        con.execute(
            """SELECT field, kept, kept_source, dropped, dropped_source, reason
               FROM fact_conflicts WHERE model_id = ? ORDER BY field""",
            [model_id],
        )
    )
    aliases = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT alias FROM model_aliases WHERE model_id = ? ORDER BY alias", [model_id]
        ).fetchall()
    ]
    scores = rows_as_dicts(
        con.execute(
            """
        SELECT benchmark_id, value, ci_low, ci_high, n, as_of, valid_from, dated_by, setting,
               source, file, "row"
        FROM scores WHERE model_id = ? ORDER BY benchmark_id, as_of DESC""",
            [model_id],
        )
    )
    prices = rows_as_dicts(
        con.execute(
            """
        SELECT provider, input_per_mtok, output_per_mtok, valid_from, valid_to, dated_by, source
        FROM prices WHERE model_id = ? ORDER BY provider, valid_from NULLS FIRST""",
            [model_id],
        )
    )
    return {
        "model": model[0],
        "facts": facts,
        "disagreements": disagreements,
        "contradictions": contradictions,
        "aliases": aliases,
        "scores": scores,
        "prices": prices,
    }


def lab(con: duckdb.DuckDBPyConnection, lab_id: str) -> LabRow | None:
    """One lab's row, or None when no lab has that id."""
    rows = select(con, LABS, "id = ?", [lab_id])
    return rows[0] if rows else None


def benchmark(con: duckdb.DuckDBPyConnection, bench_id: str) -> BenchmarkRow | None:
    """One benchmark's row, or None when no benchmark has that id."""
    rows = select(con, BENCHMARKS, "id = ?", [bench_id])
    return rows[0] if rows else None


def benchmark_top(
    con: duckdb.DuckDBPyConnection, bench: BenchmarkRow, limit: int
) -> list[dict[str, Any]]:
    """A benchmark's best scores, each model's newest (best first in the metric's direction)."""
    order = "DESC" if bench.higher_is_better is not False else "ASC"
    return rows_as_dicts(
        con.execute(
            f"""SELECT s.model_id, l.ecosystem, s.value, s.as_of, s.setting, s.source
            FROM scores s JOIN models m ON m.id = s.model_id LEFT JOIN labs l ON l.id = m.lab_id
            WHERE s.benchmark_id = ?
            QUALIFY row_number() OVER (PARTITION BY s.model_id ORDER BY s.as_of DESC,
                                       s.value {order}) = 1
            ORDER BY s.value {order} LIMIT ?""",
            [bench.id, limit],
        )
    )


def labs_by_id(con: duckdb.DuckDBPyConnection) -> dict[str, LabRow]:
    """Every lab, by id."""
    return {row.id: row for row in select(con, LABS)}


def models_by_id(con: duckdb.DuckDBPyConnection) -> dict[str, ModelRow]:
    """Every model, by id."""
    return {row.id: row for row in select(con, MODELS)}


def models_with_labs(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Every model's columns with its availability as ``released`` and its lab's country,
    ecosystem, type and source (the values a claim can name), by model id."""
    rows = rows_as_dicts(
        con.execute("""
            SELECT m.*, m.available_from AS released, l.country,
                   l.ecosystem, l.type AS lab_type, l.source_url AS lab_source
            FROM models m LEFT JOIN labs l ON l.id = m.lab_id""")
    )
    return {row["id"]: row for row in rows}


def chosen_fact(con: duckdb.DuckDBPyConnection, model_id: str, field: str) -> FactRow | None:
    """The fact shown for a model's field (its provenance), or None when no source states it."""
    rows = select(con, FACTS, "model_id = ? AND field = ? AND chosen", [model_id, field], "source")
    return rows[0] if rows else None


def earliest_score_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """The first date any resolved score has."""
    row = con.execute("SELECT min(as_of) FROM scores WHERE model_id IS NOT NULL").fetchone()
    return row[0] if row else None


def score_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many scores the database holds (none: the update has not run)."""
    row = con.execute("SELECT count(*) FROM scores").fetchone()
    return int(row[0]) if row else 0


def chosen_values(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per model, its chosen facts as one 'field=value;...' text (to tell what an update
    changed)."""
    rows = con.execute(
        "SELECT model_id, string_agg(field || '=' || value, ';' ORDER BY field) "
        "FROM model_facts WHERE chosen GROUP BY model_id"
    ).fetchall()
    return dict(rows)


@dataclass(frozen=True, slots=True)
class ModelEntity:
    """A model as search lists it: its name, its lab's name and ecosystem."""

    id: str
    name: str | None
    lab_name: str | None
    ecosystem: str | None
    curated: bool


def search_models(con: duckdb.DuckDBPyConnection) -> list[ModelEntity]:
    """Every model with its lab's name and ecosystem (the search index's model rows)."""
    rows = con.execute("""SELECT m.id, m.name, l.name AS lab_name, l.ecosystem, m.curated
           FROM models m LEFT JOIN labs l ON l.id = m.lab_id""")
    return [ModelEntity(**row) for row in rows_as_dicts(rows)]


def lab_aliases(con: duckdb.DuckDBPyConnection) -> list[LabAliasRow]:
    """Every spelling of every lab."""
    return select(con, LAB_ALIASES)


def model_aliases(con: duckdb.DuckDBPyConnection) -> list[ModelAliasRow]:
    """Every spelling of every model."""
    return select(con, MODEL_ALIASES)


def benchmarks(con: duckdb.DuckDBPyConnection) -> list[BenchmarkRow]:
    """Every benchmark."""
    return select(con, BENCHMARKS)
