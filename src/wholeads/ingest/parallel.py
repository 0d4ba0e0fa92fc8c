"""The parse worker of an update: it parses a share of the sources while the update parses the
rest, and it never outlives the update that started it (a killed update must not leave a
parser running).

The worker is forked from a fork server (or spawned where there is none), never from the update
itself: the update may hold threads (DuckDB's, a progress bar's), and a process forked from a
threaded one can deadlock or crash in the child (one forked parse worker segfaulted). The fork
server imports the parsers once (``PRELOAD``); ``prestart`` starts it while the update is still
importing its own modules, so the worker is forked ready to parse when the update needs it.
Everything the worker is sent and sends back crosses a pipe in chunks, each handed over by a
thread of the (busy) update: its work goes as one task, its scores come back as columns.
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
from typing import Any, Generic, TypeVar

from wholeads.store.files import process_running

A = TypeVar("A")
T = TypeVar("T")

# Parsed (and checked) in the worker, whose scores come back as columns (``score_columns``): the
# largest score histories, about half of the parse (the update also prepares its build while
# the worker finishes).
SIDE_SOURCES = (
    "lmarena-category-ratings",
    "video-arena-artificialanalysis",
    "lmarena-leaderboard-csv",
)
PRELOAD = ["wholeads.ingest.parse"]
"""What the fork server imports once, for every worker it forks."""
PARENT_POLL_SECONDS = 0.2


def side_sources(source_ids: Collection[str]) -> tuple[str, ...]:
    """The sources among ``source_ids`` that the worker parses."""
    return tuple(s for s in SIDE_SOURCES if s in source_ids)


def _context() -> Any:
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def prestart(source_ids: Collection[str] | None = None) -> None:
    """Start the fork server now, in the background (it imports ``PRELOAD``), so that the
    parse worker forked from it later starts at once; nothing where there is no fork server or
    no side source among ``source_ids`` (None: every source)."""
    if source_ids is not None and not side_sources(source_ids):
        return
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


@contextlib.contextmanager
def side_worker(source_ids: Collection[str]) -> Iterator[ProcessPoolExecutor | None]:
    """A one-process pool when there is other work to overlap with (the child only parses; it
    never touches the database); shut down on leaving."""
    if len(source_ids) < 2 or not side_sources(source_ids):
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=_context(),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
    try:
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
    sources = side_sources(inputs)
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
