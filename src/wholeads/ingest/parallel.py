"""The parse worker of an update: it parses a share of the sources while the update parses the
rest, and it never outlives the update that started it (a killed update must not leave a
parser running).

The worker is started from a fork server (or spawned where there is none), never forked from
the update itself: the update may hold threads (DuckDB's, a progress bar's), and a process
forked from a threaded one can deadlock or crash in the child (one forked parse worker
segfaulted). The worker imports the parsers itself, while the update parses its own share
(a preloading fork server would make the update wait for that import).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from wholeads.store.files import process_running

A = TypeVar("A")
T = TypeVar("T")

# Parsed (and checked) in the worker, whose scores come back as columns (``score_columns``): the
# two largest score histories (about half of the parse). The worker starts late (it imports
# the parsers first), so its share is the smaller one.
SIDE_SOURCES = ("lmarena-category-ratings", "video-arena-artificialanalysis")
PARENT_POLL_SECONDS = 0.2


@contextlib.contextmanager
def side_worker(
    source_ids: Collection[str], warm_up: Callable[[tuple[str, ...]], None]
) -> Iterator[ProcessPoolExecutor | None]:
    """A one-process pool when there is other work to overlap with (the child only parses; it
    never touches the database), started at once with ``warm_up(side sources)`` (importing
    their parsers while the update still reads its files); shut down on leaving."""
    if len(source_ids) < 2 or not any(s in source_ids for s in SIDE_SOURCES):
        yield None
        return
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=mp.get_context(method),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        pool.submit(warm_up, tuple(s for s in SIDE_SOURCES if s in source_ids))
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def start_side(
    pool: ProcessPoolExecutor | None,
    work: Callable[[Mapping[str, A]], Mapping[str, T]],
    inputs: Mapping[str, A],
) -> Side[T]:
    """Submit ``work({source: inputs[source]})`` for the side sources to the worker, as one
    task (each further task waits for this busy process's executor threads to hand it over);
    ``work`` must be a module-level function, as the worker receives it pickled."""
    if pool is None:
        return Side(None, ())
    sources = tuple(s for s in SIDE_SOURCES if s in inputs)
    if not sources:
        return Side(None, ())
    return Side(pool.submit(work, {s: inputs[s] for s in sources}), sources)


@dataclass(frozen=True)
class Side(Generic[T]):
    """The side sources and the worker's pending results (``None``: no worker)."""

    future: Future[Mapping[str, T]] | None
    sources: tuple[str, ...]

    def result(self, source_id: str) -> T | None:
        """The worker's result for one source; None when the worker died (the source is then
        parsed in the update's process)."""
        if self.future is None or source_id not in self.sources:
            return None
        try:
            return self.future.result().get(source_id)
        except BrokenProcessPool:
            return None


def exit_with_parent(parent: int) -> None:
    """Worker initializer: end this process as soon as the update ``parent`` is gone. A thread
    watches (portable): the update's pid no longer running, or this process re-parented (its
    fork server exits with the update, and an orphan's parent pid changes)."""
    started_under = os.getppid()

    def watch() -> None:
        while os.getppid() == started_under and process_running(parent):
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
