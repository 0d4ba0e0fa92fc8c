"""Vega-Lite specs -> SVG with vl-convert (no browser, no JavaScript in the output).

vl-convert renders one chart at a time per process, so a report's few dozen charts go to two
forked workers. Fork is safe here because the workers only render: they never touch the
database whose threads the parent may hold, and the parent forks before starting a renderer of
its own (once it has one, rendering stays in-process).
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import vl_convert

MIN_FOR_POOL = 8
"""Below this many charts, starting workers costs more than it saves."""

_renderer_started = False


def render_one(spec: dict[str, Any]) -> str:
    """One Vega-Lite spec as a standalone SVG document."""
    global _renderer_started
    _renderer_started = True
    return str(vl_convert.vegalite_to_svg(spec))


def _pool_size(count: int) -> int:
    if count < MIN_FOR_POOL or _renderer_started or "fork" not in mp.get_all_start_methods():
        return 1
    return min(2, os.cpu_count() or 1)


def _convert_and_render(to_spec: Callable[[Any], dict[str, Any]], item: Any) -> str:
    return render_one(to_spec(item))


def render_all(items: Sequence[Any], to_spec: Callable[[Any], dict[str, Any]]) -> list[str]:
    """Every item (e.g. an Altair chart) turned into a spec by ``to_spec`` and rendered as SVG,
    in order; both steps on two worker processes when there are enough items."""
    work = functools.partial(_convert_and_render, to_spec)
    workers = _pool_size(len(items))
    if workers < 2:
        return [work(item) for item in items]
    with warnings.catch_warnings():
        # Python >= 3.12 warns about fork in a multi-threaded parent; see the module docstring.
        warnings.simplefilter("ignore", DeprecationWarning)
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(work, items, chunksize=2))


class Renderer:
    """Renders charts in the background while the caller keeps building (a report renders each
    domain's charts while it assembles the next domain). Without a worker pool it renders when
    the results are asked for."""

    def __init__(self, to_spec: Callable[[Any], dict[str, Any]], expected: int = MIN_FOR_POOL):
        self._work = functools.partial(_convert_and_render, to_spec)
        self._items: dict[str, Any] = {}
        self._futures: dict[str, Future[str]] = {}
        self._pool: ProcessPoolExecutor | None = None
        if _pool_size(expected) >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # see the module docstring
                self._pool = ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("fork"))

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, key: str, item: Any) -> None:
        """Start rendering one chart under a key."""
        if self._pool is None:
            self._items[key] = item
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self._futures[key] = self._pool.submit(self._work, item)

    def results(self) -> dict[str, str]:
        """Every submitted chart's SVG, by key (waits for the workers)."""
        done = {key: self._work(item) for key, item in self._items.items()}
        done.update({key: future.result() for key, future in self._futures.items()})
        return done
