"""What the web app keeps for its lifetime: one read-only connection, caches and the search index.

The database never changes under a running server (updates replace the file atomically; restart
to see them), so answers are cached without expiry: leaders per (as_of, by, source), rendered SVG
charts per (chart, key). Caches are bounded so odd query strings cannot grow memory forever.
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
from wholeads.web.search import SearchIndex, build_index

T = TypeVar("T")
CACHE_SIZE = 256


class BoundedCache:
    """A thread-safe LRU dict; a missing value is computed once even under concurrent requests."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Any, threading.Lock] = {}

    def peek(self, key: Any) -> Any | None:
        """The cached value or None, without computing (the async hot path)."""
        return self._data.get(key)

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        if (hit := self._data.get(key)) is not None:
            return hit  # type: ignore[no-any-return,unused-ignore]
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            if (hit := self._data.get(key)) is not None:
                return hit  # type: ignore[no-any-return,unused-ignore]
            value = compute()
            with self._lock:
                self._data[key] = value
                self._data.move_to_end(key)
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
                self._computing.pop(key, None)
        return value


class LeadersView:
    """One leaders answer in the forms the pages and the API need (computed once)."""

    def __init__(self, as_of: dt.date, by: str, results: list[DomainLeaders]) -> None:
        self.as_of = as_of
        self.by = by
        self.results = results
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
        self.leaders_cache = BoundedCache()
        self.svg_cache = BoundedCache()
        self.page_cache = BoundedCache()

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
