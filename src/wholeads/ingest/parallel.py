"""The forked parse worker of an update: it parses the slowest source while the update parses
the rest, and it never outlives the update that started it (a killed update must not leave a
parser running)."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

A = TypeVar("A")
T = TypeVar("T")

# Parsed in the worker: its thousands of small TOML files make it one of the longest parses, and
# its records are few enough to send back cheaply.
SIDE_SOURCES = ("models-dev",)
PARENT_POLL_SECONDS = 0.2


def side_pool(source_ids: Collection[str]) -> ProcessPoolExecutor | None:
    """A one-process pool when there is other work to overlap with, on platforms with fork
    (the child only parses; it never touches the database)."""
    if len(source_ids) < 2 or not any(s in source_ids for s in SIDE_SOURCES):
        return None
    if "fork" not in mp.get_all_start_methods():
        return None
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=mp.get_context("fork"),
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
    """Worker initializer: end this process as soon as ``parent`` is gone. A thread watches the
    parent pid (portable; when the parent dies the worker is re-parented and the pid changes)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
