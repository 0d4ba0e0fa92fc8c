"""What the web app keeps for its lifetime: one read-only connection, caches and the search index.

The database never changes under a running server (updates replace the file atomically; restart
to see them), so answers are cached without expiry: whole responses per request (`answers`, 64 MB,
response_cache.py), leaders per (as_of, by, source), rendered SVG charts per (chart, key), pages'
parts. Every cache is an LRU of bounded size, so no mix of dates or query strings can grow memory
past the sum of the bounds (stated in the README).
Every request works on its own cursor of the one connection (DuckDB cursors are safe to use
from different threads; a connection is not).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from wholeads.analysis.leaders import DomainLeaders
from wholeads.convert import to_jsonable
from wholeads.ingest.resolve import Resolver
from wholeads.query.answers import check_by, compute_leaders, domains_named
from wholeads.query.catalog import earliest_score_date
from wholeads.query.evidence import Reader
from wholeads.query.resolver import load_resolver
from wholeads.store.files import open_readonly
from wholeads.web.response_cache import AnswerCache
from wholeads.web.search import SearchIndex, build_index

T = TypeVar("T")
CACHE_SIZE = 256
LEADERS_CACHE = 128
"""Leaders answers kept (per as_of, by, source): <= 0.45 MB each (by lab; 0.1 MB by ecosystem)."""
SVG_CACHE = 128
"""Rendered charts kept (per chart and key): a chart is ~10-100 KB of SVG."""


class BoundedCache:
    """A thread-safe LRU dict of at most `size` values (a hit makes a value the most recent); a
    missing value is computed once even under concurrent requests."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Any, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> list[Any]:
        """Least recently used first."""
        with self._lock:
            return list(self._data)

    def _hit(self, key: Any) -> Any | None:
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
            return found

    def peek(self, key: Any) -> Any | None:
        """The cached value or None, without computing (the async hot path)."""
        return self._hit(key)

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        if (hit := self._hit(key)) is not None:
            return hit  # type: ignore[no-any-return,unused-ignore]
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        try:
            with gate:
                if (hit := self._hit(key)) is not None:
                    return hit  # type: ignore[no-any-return,unused-ignore]
                value = compute()
                with self._lock:
                    self._data[key] = value
                    self._data.move_to_end(key)
                    while len(self._data) > self.size:
                        self._data.popitem(last=False)
        finally:  # also when compute raised: a failed key leaves nothing behind
            with self._lock:
                self._computing.pop(key, None)
        return value


class LeadersView:
    """One leaders answer in the forms the pages and the API need (computed once)."""

    def __init__(self, as_of: dt.date, by: str, results: list[DomainLeaders]) -> None:
        self.as_of = as_of
        self.by = by
        # the results themselves are not kept: they hold the evidence (several MB per date)
        self.dicts: list[dict[str, Any]] = [to_jsonable(r.to_dict()) for r in results]
        self.json: bytes = json.dumps(self.dicts, ensure_ascii=False).encode()


class AppState:
    """The shared, read-only state of one server."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.con = open_readonly(db_path)
        with self.cursor() as cur:
            self.latest = Reader(cur).latest_date()
            self.earliest = _earliest(cur)
            self.sources = Reader(cur).sources()
            self.search: SearchIndex = build_index(cur)
        self.leaders_cache = BoundedCache(LEADERS_CACHE)
        self.svg_cache = BoundedCache(SVG_CACHE)
        self.page_cache = BoundedCache(CACHE_SIZE)
        self.answers = AnswerCache()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request (closed after it)."""
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def leaders(
        self, as_of: dt.date | None, by: str = "ecosystem", source: str | None = None
    ) -> LeadersView:
        """Leaders of every domain, cached per (as_of, by, source): ~200-300 ms the first time."""
        date = as_of or self.latest
        key = (date, by, source)

        def compute() -> LeadersView:
            with self.cursor() as cur:
                reader = Reader(cur)
                reader.check_source(source)
                results = compute_leaders(reader, domains_named(None), date, check_by(by), source)
            return LeadersView(date, by, results)

        return self.leaders_cache.get(key, compute)

    def cached_leaders(
        self, as_of: dt.date | None, by: str = "ecosystem", source: str | None = None
    ) -> LeadersView | None:
        """The leaders if already computed (no blocking work: safe on the event loop)."""
        found: LeadersView | None = self.leaders_cache.peek((as_of or self.latest, by, source))
        return found

    def lab_resolver(self) -> Resolver:
        """Name -> id resolution for labs and models (built on first use, then kept)."""

        def build() -> Resolver:
            with self.cursor() as cur:
                return load_resolver(cur)

        found: Resolver = self.page_cache.get("resolver", build)
        return found

    def close(self) -> None:
        self.con.close()


def _earliest(cur: duckdb.DuckDBPyConnection) -> dt.date:
    return earliest_score_date(cur) or dt.date(2023, 1, 1)
