"""Named migrations: the schema's history, recorded in every database.

A database is always built fresh (``files.building``) and one whose last migration is not
``schema_version()`` is rebuilt by the next update, never altered in place. So a new database is
created from the declarations (``tables.ALL``) in one step and records every migration name: the
names say which version of the schema it has, and the declarations are the schema. A schema
change is a change to the declarations plus a migration at the end of ``MIGRATIONS`` naming it.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from wholeads.errors import DatabaseError


class Migration(NamedTuple):
    """One schema change: its name (recorded in the database) and what it changed."""

    name: str
    change: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "m001_initial",
        "meta, sources, labs, lab_aliases, families, models, model_aliases, model_facts, "
        "benchmarks, scores, prices, unmatched, problems",
    ),
    Migration("m002_indexes", "model_facts and prices indexed by model"),
    Migration("m003_rolling_aliases", "rolling_aliases"),
    Migration(
        "m004_evidence",
        "valid time (models.release_precision, available_from; scores.dated_by, valid_from, "
        "data_date; prices.dated_by), boards, fact_conflicts; no index on scores",
    ),
    Migration(
        "m005_resolver",
        "the stored resolver (resolver_names, resolver_models, resolver_labs, model_parts), "
        "provider_aliases, unmatched.reason and candidates",
    ),
    Migration(
        "m006_notable_models",
        "notable_models: Epoch's notable-models entries with their countries, frontier flag and "
        "notability criteria (for the notable models per ecosystem per year)",
    ),
)


def schema_version() -> str:
    """Name of the last migration: a database built by older code is rebuilt."""
    return MIGRATIONS[-1].name


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the declared tables in a new database and record every migration; returns the
    names recorded now (none for a database that has them all). A database that has only some
    of them was built by an older version: it is rebuilt, never altered (DatabaseError)."""
    from wholeads.store.tables import ALL, MIGRATIONS_TABLE  # readers only need the names

    for statement in MIGRATIONS_TABLE.create_sql(if_not_exists=True):
        con.execute(statement)
    done = {row[0] for row in con.execute("SELECT name FROM migrations").fetchall()}
    todo = [m.name for m in MIGRATIONS if m.name not in done]
    if not todo:
        return []
    if done:
        raise DatabaseError(
            f"the database has schema {max(done)}, not {schema_version()}; rebuild it"
        )
    con.execute("BEGIN")
    for table in ALL:
        for statement in table.create_sql():
            con.execute(statement)
    con.executemany("INSERT INTO migrations VALUES (?, now())", [[name] for name in todo])
    con.execute("COMMIT")
    return todo
