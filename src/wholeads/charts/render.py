"""Vega-Lite specs -> SVG with vl-convert (no browser, no JavaScript in the output).

vl-convert renders one chart at a time per process, so a report's few dozen charts go to two
forked workers. Fork is safe here because the workers only render: they never touch the
database whose threads the parent may hold, and the parent forks before starting a renderer of
its own (once it has one, rendering stays in-process).

Text is measured with the Liberation Sans that vl-convert bundles, never a system font: vl-convert
measures every label by laying it out, and a font read from a file is opened and mapped again
for each glyph (about a second of system time per report); the bundled copy stays in memory, and
the layout no longer depends on the fonts a machine has installed.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import vl_convert

VEGA_LITE = "6.4"
"""The Vega-Lite version specs are written for (one of ``vl_convert.get_vegalite_versions()``)."""
VEGA_LITE_SCHEMA = f"https://vega.github.io/schema/vega-lite/v{VEGA_LITE}.json"
MIN_FOR_POOL = 8
"""Below this many charts, starting workers costs more than it saves."""
BUNDLED_FONTS_ONLY = Path(__file__).with_name("vl_convert_fonts.conf")
"""A fontconfig file that names no existing font folder (see the module docstring)."""
FONTCONFIG_ENV = "FONTCONFIG_FILE"
ONE_LABEL = {"data": {"values": [{}]}, "mark": {"type": "text", "text": "0"}}
"""The smallest chart that measures text (so vl-convert loads its fonts)."""

_renderer_started = False


def render_one(spec: dict[str, Any]) -> str:
    """One Vega-Lite spec as a standalone SVG document."""
    global _renderer_started
    if not _renderer_started:
        with _bundled_fonts_only():  # this process's first text measurement loads the fonts
            vl_convert.vegalite_to_svg(ONE_LABEL)
        _renderer_started = True
    return str(vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE))


@contextlib.contextmanager
def _bundled_fonts_only() -> Iterator[None]:
    """FONTCONFIG_FILE pointing at ``BUNDLED_FONTS_ONLY`` while vl-convert loads its font
    database (it reads the variable then, once per process), restored after: nothing else in
    the process (a browser a test starts) sees it."""
    before = os.environ.get(FONTCONFIG_ENV)
    os.environ[FONTCONFIG_ENV] = str(BUNDLED_FONTS_ONLY)
    try:
        yield
    finally:
        if before is None:
            del os.environ[FONTCONFIG_ENV]
        else:
            os.environ[FONTCONFIG_ENV] = before


def _pool_size(count: int) -> int:
    if count < MIN_FOR_POOL or _renderer_started or "fork" not in mp.get_all_start_methods():
        return 1
    return min(2, os.cpu_count() or 1)


def render_all(specs: Sequence[dict[str, Any]]) -> list[str]:
    """Every Vega-Lite spec rendered as SVG, in order; on two worker processes when there are
    enough of them."""
    workers = _pool_size(len(specs))
    if workers < 2:
        return [render_one(spec) for spec in specs]
    with warnings.catch_warnings():
        # Python >= 3.12 warns about fork in a multi-threaded parent; see the module docstring.
        warnings.simplefilter("ignore", DeprecationWarning)
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(render_one, specs, chunksize=2))


def _start_vl_convert() -> None:
    """A worker's first job: start vl-convert and load its fonts before the first chart."""
    render_one(ONE_LABEL)


class Renderer:
    """Renders charts in the background while the caller keeps building (a report renders each
    domain's charts while it assembles the next domain). Its two workers start vl-convert as
    soon as it is created, so create it first (before reading the database). Without a worker
    pool it renders when the results are asked for."""

    def __init__(self, expected: int = MIN_FOR_POOL) -> None:
        self._specs: dict[str, dict[str, Any]] = {}
        self._futures: dict[str, Future[str]] = {}
        self._pool: ProcessPoolExecutor | None = None
        if _pool_size(expected) >= 2:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # see the module docstring
                self._pool = ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("fork"))
                for _ in range(2):  # each worker starts vl-convert now, not at its first chart
                    self._pool.submit(_start_vl_convert)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, key: str, spec: dict[str, Any]) -> None:
        """Start rendering one Vega-Lite spec under a key."""
        if self._pool is None:
            self._specs[key] = spec
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self._futures[key] = self._pool.submit(render_one, spec)

    def results(self) -> dict[str, str]:
        """Every submitted chart's SVG, by key (waits for the workers)."""
        done = {key: render_one(spec) for key, spec in self._specs.items()}
        done.update({key: future.result() for key, future in self._futures.items()})
        return done
