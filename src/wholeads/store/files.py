"""The embedded DuckDB database: location, named migrations, atomic builds, read-only access.

A build writes a brand-new file beside the target and renames it over the old one only when it is
complete (``os.replace`` is atomic), so a failed or interrupted build leaves the previous database
intact and a reader never sees a half-built one. Reading never writes: a file that cannot be read
as a wholeads database of this version is an error naming the file and the cause.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import platformdirs

from wholeads.errors import DatabaseError

DB_ENV = "WHOLEADS_DB"
DB_FILENAME = "wholeads.duckdb"


def default_db_path() -> Path:
    """``$WHOLEADS_DB`` or ``wholeads.duckdb`` in the user's data directory."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("wholeads")) / DB_FILENAME


def cache_dir() -> Path:
    """Where online fetches are cached."""
    return Path(platformdirs.user_cache_dir("wholeads"))


MIGRATIONS: list[tuple[str, str]] = [
    (
        "m001_initial",
        """
        CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
        CREATE TABLE sources (
            id VARCHAR PRIMARY KEY, name VARCHAR, url VARCHAR, license VARCHAR, citation VARCHAR,
            origin VARCHAR, retrieved_at TIMESTAMP, content_hash VARCHAR, status VARCHAR,
            error VARCHAR, models INTEGER, scores INTEGER, prices INTEGER, problems INTEGER,
            updated_at TIMESTAMP);
        CREATE TABLE labs (
            id VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR, ecosystem VARCHAR,
            type VARCHAR, homepage VARCHAR, curated BOOLEAN, source_url VARCHAR, as_of DATE);
        CREATE TABLE lab_aliases (alias VARCHAR, lab_id VARCHAR, origin VARCHAR);
        CREATE TABLE families (id VARCHAR PRIMARY KEY, name VARCHAR, lab_id VARCHAR,
            kind VARCHAR);
        CREATE TABLE models (
            id VARCHAR PRIMARY KEY, name VARCHAR, family_id VARCHAR, lab_id VARCHAR,
            kind VARCHAR, release_date DATE, first_seen DATE, open_weights BOOLEAN,
            license VARCHAR, params_total_b DOUBLE, params_active_b DOUBLE,
            architecture VARCHAR, context_window BIGINT, max_output BIGINT,
            input_modalities VARCHAR[], output_modalities VARCHAR[], price_input DOUBLE,
            price_output DOUBLE, curated BOOLEAN, provisional BOOLEAN);
        CREATE TABLE model_aliases (alias VARCHAR, model_id VARCHAR, origin VARCHAR);
        CREATE TABLE model_facts (
            model_id VARCHAR, field VARCHAR, value VARCHAR, source VARCHAR, url VARCHAR,
            file VARCHAR, "row" INTEGER, as_of DATE, chosen BOOLEAN);
        CREATE TABLE benchmarks (
            id VARCHAR PRIMARY KEY, name VARCHAR, domain VARCHAR, metric VARCHAR,
            higher_is_better BOOLEAN, scale VARCHAR, source VARCHAR);
        CREATE TABLE scores (
            model_id VARCHAR, raw_name VARCHAR, benchmark_id VARCHAR, value DOUBLE,
            ci_low DOUBLE, ci_high DOUBLE, n BIGINT, as_of DATE, setting VARCHAR,
            source VARCHAR, file VARCHAR, "row" INTEGER);
        CREATE TABLE prices (
            model_id VARCHAR, raw_name VARCHAR, provider VARCHAR, input_per_mtok DOUBLE,
            output_per_mtok DOUBLE, valid_from DATE, valid_to DATE, source VARCHAR,
            file VARCHAR, "row" INTEGER);
        CREATE TABLE unmatched (
            source VARCHAR, kind VARCHAR, name VARCHAR, lab VARCHAR, rows INTEGER,
            file VARCHAR, "row" INTEGER);
        CREATE TABLE problems (source VARCHAR, message VARCHAR);
    """,
    ),
    (
        "m002_indexes",
        """
        CREATE INDEX scores_model ON scores (model_id);
        CREATE INDEX scores_bench ON scores (benchmark_id, as_of);
        CREATE INDEX prices_model ON prices (model_id);
        CREATE INDEX facts_model ON model_facts (model_id);
    """,
    ),
    (
        "m003_rolling_aliases",
        """
        CREATE TABLE rolling_aliases (alias VARCHAR, model_id VARCHAR, valid_from DATE,
            valid_to DATE);
    """,
    ),
    (
        "m004_evidence",
        """
        -- Valid time (see validtime.py): when a model, a score or a price may first be used.
        ALTER TABLE models ADD COLUMN release_precision VARCHAR;
        ALTER TABLE models ADD COLUMN available_from DATE;
        ALTER TABLE scores ADD COLUMN dated_by VARCHAR;
        ALTER TABLE scores ADD COLUMN valid_from DATE;
        ALTER TABLE scores ADD COLUMN data_date DATE;
        ALTER TABLE prices ADD COLUMN dated_by VARCHAR;
        -- Leaderboard snapshots with their coverage (see coverage.py).
        CREATE TABLE boards (
            benchmark_id VARCHAR, setting VARCHAR, source VARCHAR, as_of DATE, rows INTEGER,
            top DOUBLE, cutoff DOUBLE, coverage VARCHAR, in_series BOOLEAN);
        -- Contradictions between a model's facts, and how they were resolved.
        CREATE TABLE fact_conflicts (
            model_id VARCHAR, field VARCHAR, kept VARCHAR, kept_source VARCHAR,
            dropped VARCHAR, dropped_source VARCHAR, reason VARCHAR);
        -- Readers scan a benchmark's rows at once; the ART indexes only slowed builds down.
        DROP INDEX scores_model;
        DROP INDEX scores_bench;
    """,
    ),
    (
        "m005_resolver",
        """
        CREATE TABLE resolver_names (
            seq INTEGER, name VARCHAR, model_id VARCHAR, rank INTEGER, key VARCHAR,
            loose_key VARCHAR, modeless_key VARCHAR, activeless_key VARCHAR, bare VARCHAR,
            mode VARCHAR, ckpt_year INTEGER, ckpt_month INTEGER, ckpt_day INTEGER);
        CREATE TABLE resolver_models (id VARCHAR, lab_id VARCHAR, family_id VARCHAR,
            release_date DATE);
        CREATE TABLE resolver_labs (key VARCHAR, lab_id VARCHAR, rank INTEGER,
            claimants VARCHAR[]);
        CREATE TABLE model_parts (
            model_id VARCHAR, name VARCHAR, family VARCHAR, version VARCHAR, stem VARCHAR,
            tiers VARCHAR, size VARCHAR, active VARCHAR, mode VARCHAR, context VARCHAR,
            checkpoint VARCHAR, key VARCHAR, lab_origin VARCHAR);
        CREATE TABLE provider_aliases (alias VARCHAR, provider_id VARCHAR);
        ALTER TABLE unmatched ADD COLUMN reason VARCHAR;
        ALTER TABLE unmatched ADD COLUMN candidates VARCHAR[];
    """,
    ),
]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded in the database, in order; returns their names."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
    )
    done = {row[0] for row in con.execute("SELECT name FROM migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN")
        con.execute(sql)
        con.execute("INSERT INTO migrations VALUES (?, now())", [name])
        con.execute("COMMIT")
        applied.append(name)
    return applied


def schema_version() -> str:
    """Name of the last migration: a database built by older code is rebuilt."""
    return MIGRATIONS[-1][0]


@contextlib.contextmanager
def building(target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a fresh database that replaces ``target`` atomically on success.

    On any exception the half-built file is removed and ``target`` is left as it was. Half-built
    files that builders killed earlier left behind are removed first.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    tmp = _building_path(target, os.getpid())
    for stale in (tmp, _wal(tmp)):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, target)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        _wal(tmp).unlink(missing_ok=True)
        raise


def _building_path(target: Path, pid: int) -> Path:
    return target.with_name(f".{target.name}.building-{pid}")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def remove_leftovers(target: Path) -> list[Path]:
    """Remove the half-built files (and their ``.wal``) of builders of ``target`` that are no
    longer running, e.g. killed during a build; returns what was removed."""
    prefix = f".{target.name}.building-"
    removed = []
    for path in target.parent.glob(prefix + "*"):
        pid = path.name.removeprefix(prefix).removesuffix(".wal")
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a built database for reading only; a file DuckDB cannot open (held for writing by
    another process, not a DuckDB file, unreadable) is a DatabaseError naming it and the cause."""
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DatabaseError(f"cannot open the database {path}: {_cause(exc)}") from None


def _cause(exc: duckdb.Error) -> str:
    text = str(exc).strip()
    if "Conflicting lock" in text:
        return f"another process holds it open for writing ({text})"
    if "not a valid DuckDB database" in text:
        return "it is not a DuckDB database file"
    return text


def built_schema(path: Path) -> str | None:
    """The last migration recorded in the wholeads database at ``path``; None when there is no
    file. A file that exists but is not a readable wholeads database (locked, damaged, not
    DuckDB, no migrations table) is a DatabaseError naming it and the cause."""
    if not path.exists():
        return None
    with contextlib.closing(open_readonly(path)) as con:
        try:
            row = con.execute("SELECT max(name) FROM migrations").fetchone()
        except duckdb.CatalogException:
            row = None
        except duckdb.Error as exc:
            raise DatabaseError(f"cannot read the database {path}: {_cause(exc)}") from None
    if not row or not row[0]:
        raise DatabaseError(
            f"{path} is not a wholeads database (it records no migrations); "
            "pass another --db, or move the file away"
        )
    return str(row[0])


def is_built(path: Path) -> bool:
    """True when ``path`` is a database built by this version of the schema, False when there is
    none or it is from another version; DatabaseError when the file cannot be read."""
    return built_schema(path) == schema_version()


def check_current(path: Path) -> None:
    """For readers: the database at ``path`` (which exists) is one this version can query; a
    query never rebuilds an existing file, so an older one is an error saying what to run."""
    schema = built_schema(path)
    if schema != schema_version():
        raise DatabaseError(
            f"the database {path} was built by another version of wholeads (schema {schema}; "
            f"this version reads {schema_version()}); rebuild it with 'wholeads update' "
            "(or 'wholeads build' offline)"
        )
