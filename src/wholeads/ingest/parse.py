"""Parse one source and pass it through its plausibility gates: the step an update runs for
every source, in its own process or in the parse worker (``parallel``). Kept apart from
``update`` so that the worker imports only what parsing needs, not the database.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from wholeads.errors import DataError, WholeadsError
from wholeads.ingest import bundle
from wholeads.ingest.plausibility import Counts, Verdict, gate
from wholeads.ingest.score_columns import ScoreColumns
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources.base import RawFiles
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
    """What parsing and checking one source needs: its raw files, the counts its new data is
    compared with, and whether it may shrink."""

    raw: RawFiles
    previous: Counts | None
    allow_shrink: bool


def checked(source_id: str, job: ParseJob) -> Verdict:
    """Parse one source and pass it through its plausibility gates."""
    batch = load_source(source_id, job.raw)
    return gate(
        batch,
        limits_of(source_id),
        job.raw.retrieved_at.date(),
        job.previous,
        allow_shrink=job.allow_shrink,
    )


def checked_in_worker(jobs: Mapping[str, ParseJob]) -> dict[str, Verdict | WholeadsError]:
    """``checked`` for each source, in the parse worker: the accepted scores go back as columns
    (as records, pickling them would cost more than parsing them), and a source's error goes
    back as its result."""
    out: dict[str, Verdict | WholeadsError] = {}
    for source_id, job in jobs.items():
        try:
            verdict = checked(source_id, job)
        except WholeadsError as exc:
            out[source_id] = exc
            continue
        verdict.batch.scores = ScoreColumns.of(verdict.batch.scores)
        out[source_id] = verdict
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
