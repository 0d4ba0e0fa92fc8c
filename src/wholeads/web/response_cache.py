"""Whole answers kept per request, for the server's lifetime, within a byte budget (LRU).

The database never changes under a running server, so an answer is a function of the request:
its method, path, query string and, for the two claims routes, a digest of its body. A 200 is
kept (status, headers, body) and replayed from memory the next time, on the event loop, without
touching a thread, a cursor or a template; any other status is never kept. The cache holds at
most `MAX_BYTES` of bodies (plus `ENTRY_OVERHEAD` counted per entry for the key and headers) and
evicts the least recently used answer first, so no mix of dates, ids or query strings can grow it
past that. A conditional or range request (If-None-Match, If-Modified-Since, Range) goes to the
app, which answers it properly (StaticFiles' 304 and 206).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BYTES = 64 * 1024 * 1024
"""The budget for kept answers (bodies and per-entry overhead)."""
MAX_ENTRY = 4 * 1024 * 1024
"""A larger answer is served but not kept (a few such would crowd out everything else)."""
ENTRY_OVERHEAD = 2048
"""Bytes counted per entry on top of its body: key, headers, bookkeeping (measured ~1.2 KB)."""
CACHED_POSTS = frozenset({"/api/claims", "/claims", "/api/watch"})
"""POST routes whose answer depends only on the body (and the query string)."""
BYPASS_HEADERS = frozenset({b"if-none-match", b"if-modified-since", b"if-range", b"range"})

Key = tuple[str, str, bytes, bytes]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def cost(self) -> int:
        return len(self.body) + ENTRY_OVERHEAD


class AnswerCache:
    """An LRU of answers bounded by their total cost in bytes (event-loop only: no locks)."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_entry: int = MAX_ENTRY) -> None:
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self.bytes = 0
        self._data: OrderedDict[Key, Answer] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: Key) -> Answer | None:
        found = self._data.get(key)
        if found is None:
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: Key, answer: Answer) -> None:
        if answer.cost > self.max_entry:
            return
        old = self._data.pop(key, None)
        if old is not None:
            self.bytes -= old.cost
        self._data[key] = answer
        self.bytes += answer.cost
        while self.bytes > self.max_bytes:
            _, evicted = self._data.popitem(last=False)
            self.bytes -= evicted.cost


class ResponseCacheMiddleware:
    """Replays kept answers; keeps each new 200 answer of a GET (or a cached POST route)."""

    def __init__(self, app: ASGIApp, cache: AnswerCache | None = None) -> None:
        self.app = app
        self.cache = cache if cache is not None else AnswerCache()  # an empty one is falsy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method, path = scope.get("method", ""), scope.get("path", "")
        cacheable = scope["type"] == "http" and (
            method == "GET" or (method == "POST" and path in CACHED_POSTS)
        )
        if not cacheable or any(name in BYPASS_HEADERS for name, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        digest, receive = b"", receive
        if method == "POST":
            body, receive = await _read_body(receive)
            digest = hashlib.sha256(body).digest() + _content_type(scope)
        key: Key = (method, path, scope.get("query_string", b""), digest)
        if (hit := self.cache.get(key)) is not None:
            await send({"type": "http.response.start", "status": hit.status,
                        "headers": hit.headers})  # fmt: skip
            await send({"type": "http.response.body", "body": hit.body, "more_body": False})
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def keeping_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start and start["status"] == 200:
                    headers = list(start.get("headers", []))
                    self.cache.put(key, Answer(200, headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, keeping_send)


def _content_type(scope: Scope) -> bytes:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return bytes(value)
    return b""


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body (the security middleware outside bounds it), and a receive that
    hands it to the app again."""
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(parts)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay
