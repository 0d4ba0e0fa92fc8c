"""Vega-Lite specs -> SVG with vl-convert (no browser, no JavaScript in the output).

vl-convert renders one chart at a time per process, so a report's few dozen charts go to two
forked workers. Fork is safe here because the workers only render: they never touch the
database whose threads the parent may hold, and the parent forks before starting a renderer of
its own (once it has one, rendering stays in-process).

A report's charts are also kept on disk (``SvgCache``), one file per database build, so a second
report of the same database renders only the charts whose spec changed (none, for the same
dates): every entry is keyed on the spec's own hash and the renderer's versions, and a file
written for another build of the database is ignored.

Text is measured with the Liberation Sans that vl-convert bundles, never a system font: vl-convert
measures every label by laying it out, and a font read from a file is opened and mapped again
for each glyph (about a second of system time per report); the bundled copy stays in memory, and
the layout no longer depends on the fonts a machine has installed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
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


def _workers() -> int:
    """The render workers of a ``Renderer``: two on a machine with a core to spare, one when it
    is already busy (load average at least its core count), where a second cannot run beside
    the first and mostly adds its own start-up (vl-convert's runtime and its compiler's
    warm-up: 0.7-1 s more CPU per report, measured on the 2-core machine)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] >= cores
    except OSError:  # no load average on this platform
        busy = False
    return 1 if busy else min(2, cores)


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


def _vl_convert_version() -> str:
    version = getattr(vl_convert, "__version__", None)
    if version is None:  # not every build sets it; the installed distribution does
        from importlib.metadata import version as installed

        version = installed("vl-convert-python")
    return str(version)


def _local_zone() -> str:
    """The local time zone as this process sees it (temporal axes are drawn in local time);
    asking vl-convert would start its JavaScript runtime here."""
    return f"{os.environ.get('TZ', '')}|{time.tzname}|{time.timezone}|{time.altzone}"


def spec_key(spec: dict[str, Any]) -> str:
    """What a chart's SVG depends on: its spec (canonical JSON), the Vega-Lite version it is
    written for, vl-convert's version (which bundles Vega and the fonts) and the local time
    zone."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    context = f"{VEGA_LITE}|{_vl_convert_version()}|{_local_zone()}|"
    return hashlib.sha256((context + text).encode()).hexdigest()


CACHE_FORMAT = 1
CACHE_ENTRIES = 512
"""At most this many charts per cache file (a report has about 65)."""


def cache_file(folder: Path, db: Path) -> Path:
    """The cache file of one build of a database file: named by the file's path and by its
    identity on disk (inode, size, modification time), which every build changes (a build
    replaces the file). Missing database: a name no build matches."""
    place = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]
    try:
        st = db.stat()
        identity = f"{st.st_ino}-{st.st_size}-{st.st_mtime_ns}"
    except OSError:
        identity = "missing"
    build = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return folder / f"{place}-{build}.json"


class SvgCache:
    """Charts rendered for one build of a database, by ``spec_key``, kept in one JSON file
    (``cache_file``). A file written for another build (``build``, the database's own build
    facts) is ignored; saving removes the files of the database's earlier builds. A cache that
    cannot be read or written is simply empty: charts are then rendered."""

    def __init__(self, path: Path, build: str) -> None:
        self.path, self.build = path, build
        self.svgs: dict[str, str] = {}
        self.added = 0
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == CACHE_FORMAT and data.get("build") == build:
                self.svgs = {str(k): str(v) for k, v in data["svgs"].items()}

    def get(self, key: str) -> str | None:
        return self.svgs.get(key)

    def put(self, key: str, svg: str) -> None:
        self.svgs[key] = svg
        self.added += 1

    def save(self) -> None:
        """Write the file whole (a temporary file renamed over it) when anything was added,
        newest entries kept; earlier builds' files of the same database are removed."""
        if not self.added:
            return
        kept = dict(list(self.svgs.items())[-CACHE_ENTRIES:])
        data = {"format": CACHE_FORMAT, "build": self.build, "svgs": kept}
        place = self.path.name.split("-")[0]
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}")
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
            for old in self.path.parent.glob(f"{place}-*.json"):
                if old != self.path:
                    old.unlink(missing_ok=True)


class Renderer:
    """Renders charts in the background while the caller keeps building (a report renders each
    domain's charts while it assembles the next domain). Its workers (``_workers``) start
    vl-convert as soon as it is created, so create it first (before reading the database);
    with ``start=False`` (the charts are probably cached) they start at the first chart the
    ``cache`` does not hold. Without a worker pool it renders when the results are asked for."""

    def __init__(self, expected: int = MIN_FOR_POOL, start: bool = True) -> None:
        self._specs: dict[str, dict[str, Any]] = {}
        self._futures: dict[str, Future[str]] = {}
        self._keys: dict[str, str] = {}
        self._cached: dict[str, str] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._expected = expected
        self.cache: SvgCache | None = None
        """Charts rendered earlier (set before submitting); new renders are added to it."""
        if start:
            self._start()

    def _start(self) -> None:
        if self._pool is not None or _pool_size(self._expected) < 2:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # see the module docstring
            workers = _workers()
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"))
            for _ in range(workers):  # each worker starts vl-convert now, not at its first chart
                self._pool.submit(_start_vl_convert)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def submit(self, key: str, spec: dict[str, Any]) -> None:
        """Start rendering one Vega-Lite spec under a key (or take it from the cache)."""
        if self.cache is not None:
            self._keys[key] = spec_key(spec)
            svg = self.cache.get(self._keys[key])
            if svg is not None:
                self._cached[key] = svg
                return
        self._start()
        if self._pool is None:
            self._specs[key] = spec
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                self._futures[key] = self._pool.submit(render_one, spec)

    def results(self, each: Callable[[], None] | None = None) -> dict[str, str]:
        """Every submitted chart's SVG, by key (waits for the workers), ``each`` called once per
        chart as it is done (a progress bar); the new ones are added to the cache."""
        tick = each or (lambda: None)
        for _ in self._cached:
            tick()
        done: dict[str, str] = {}
        for key, spec in self._specs.items():
            done[key] = render_one(spec)
            tick()
        keys = {future: key for key, future in self._futures.items()}
        for future in as_completed(keys):
            done[keys[future]] = future.result()
            tick()
        if self.cache is not None:
            for key, svg in done.items():
                if key in self._keys:
                    self.cache.put(self._keys[key], svg)
        return {**self._cached, **done}
