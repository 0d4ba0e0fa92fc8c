"""Parse one source and pass it through its plausibility gates: the step an update runs for
every source, in its own process or in the parse worker (``parallel``). Kept apart from
``update`` so that the worker imports only what parsing needs, not the database.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from wholeads.errors import DataError, WholeadsError
from wholeads.ingest import bundle
from wholeads.ingest.plausibility import Counts, Verdict, gate
from wholeads.ingest.score_columns import ScoreColumns
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources.base import RawFiles
from wholeads.ingest.sources.fetch import read_mirror
from wholeads.ingest.sources.limits import limits_of
from wholeads.schema import SourceBatch

# Whatever a parser can raise on malformed input (besides the DataError it raises on purpose).
PARSER_ERRORS = (
    ValueError,
    TypeError,
    LookupError,
    AttributeError,
    ArithmeticError,
    RecursionError,
    MemoryError,
)


def load_source(source_id: str, raw: RawFiles) -> SourceBatch:
    """Parse one source (a bundled one is decoded from the Parquet its parser's output was kept
    in). What its parser raises on input it did not foresee becomes a DataError naming the
    source's file: bad data is answered with an error, never a traceback."""
    with gc_paused():
        try:
            if bundle.is_bundled(raw):
                return bundle.load_batch(raw)
            return get_source(source_id).load(raw)
        except WholeadsError:
            raise
        except PARSER_ERRORS as exc:
            files = sorted(raw.files)
            where = f"{source_id}/{files[0]}" if len(files) == 1 else f"{source_id}/"
            raise DataError(
                f"cannot read the data ({type(exc).__name__}: {str(exc)[:200]})", file=where
            ) from None


@dataclass(frozen=True)
class ParseJob:
    """What parsing and checking one source needs: its raw files (or the mirror to read them
    from), the counts its new data is compared with, and whether it may shrink."""

    raw: RawFiles | None
    previous: Counts | None
    allow_shrink: bool
    mirror: Path | None = None
    """Where the parse worker reads the files itself when ``raw`` is None: it can then start
    before the update has read them."""

    def files(self, source_id: str) -> RawFiles:
        if self.raw is not None:
            return self.raw
        if self.mirror is None:
            raise ValueError(f"a parse job for {source_id} without files or mirror")
        return read_mirror(get_source(source_id).SPEC, self.mirror)


def checked(source_id: str, job: ParseJob) -> Verdict:
    """Parse one source and pass it through its plausibility gates."""
    return _checked(source_id, job.files(source_id), job)


def _checked(source_id: str, raw: RawFiles, job: ParseJob) -> Verdict:
    batch = load_source(source_id, raw)
    return gate(
        batch,
        limits_of(source_id),
        raw.retrieved_at.date(),
        job.previous,
        allow_shrink=job.allow_shrink,
    )


@dataclass(frozen=True)
class Checked:
    """The parse worker's result for one source: the verdict, and the hash of the files it
    parsed (the update uses it only when that is the hash of the files it read itself)."""

    verdict: Verdict
    content_hash: str


def checked_in_worker(jobs: Mapping[str, ParseJob]) -> dict[str, Checked | WholeadsError]:
    """``checked`` for each source, in the parse worker: the accepted scores go back as columns
    (as records, pickling them would cost more than parsing them), and a source's error goes
    back as its result."""
    out: dict[str, Checked | WholeadsError] = {}
    for source_id, job in jobs.items():
        try:
            raw = job.files(source_id)
            verdict = _checked(source_id, raw, job)
        except WholeadsError as exc:
            out[source_id] = exc
            continue
        verdict.batch.scores = ScoreColumns.of(verdict.batch.scores)
        out[source_id] = Checked(verdict, raw.content_hash())
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while hundreds of thousands of records are built:
    they hold no cycles, and collection passes would roughly double the parse time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
