"""Caches that cannot corrupt: the HTTP cache (atomic writes, bodies checked against their hash,
Retry-After honoured, downloads capped) and the last-good bundles (checked by size and hash)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from wholeads.errors import DataError, MissingEvidenceError
from wholeads.ingest import lastgood, safefile
from wholeads.ingest.sources import fetch
from wholeads.ingest.sources.base import RawFiles

URL = "https://example.test/models.json"


class Server:
    """An in-process HTTP server: answers from a list, records every request's headers."""

    def __init__(self, *answers: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0)(request)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def ok(body: bytes, etag: str = '"v1"') -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, content=body, headers={"ETag": etag})


def not_modified_if_asked(body: bytes) -> Callable[[httpx.Request], httpx.Response]:
    """304 when the client sends its ETag, else the full body."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("If-None-Match"):
            return httpx.Response(304)
        return httpx.Response(200, content=body, headers={"ETag": '"v1"'})

    return answer


def get(server: Server, cache: Path, sleeps: list[float] | None = None) -> bytes:
    with server.client() as http:
        return fetch._get_cached(
            http, URL, cache, retries=3, sleep=(sleeps if sleeps is not None else []).append
        )


def test_a_304_reuses_the_cached_body(tmp_path: Path) -> None:
    server = Server(ok(b"first"), not_modified_if_asked(b"unused"))
    assert get(server, tmp_path) == b"first"
    assert get(server, tmp_path) == b"first"
    assert server.requests[1].headers["If-None-Match"] == '"v1"'


def test_a_cached_body_that_does_not_match_its_hash_is_downloaded_again(tmp_path: Path) -> None:
    server = Server(ok(b"first"), not_modified_if_asked(b"second"))
    get(server, tmp_path)
    (body,) = tmp_path.glob("*.body")
    body.write_bytes(b"firs")  # as a write interrupted before the metadata was updated leaves it
    assert get(server, tmp_path) == b"second"
    assert "If-None-Match" not in server.requests[1].headers
    meta = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert meta["size"] == len(b"second")


def test_a_failed_write_leaves_the_previous_cache_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = Server(ok(b"first"), ok(b"second", etag='"v2"'), not_modified_if_asked(b"unused"))
    get(server, tmp_path)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safefile.os, "fsync", disk_full)
    assert get(server, tmp_path) == b"second"  # the download is used, the cache not updated
    monkeypatch.undo()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".body", ".json"]  # no temp files
    assert get(server, tmp_path) == b"first"  # still consistent: the old body, its own ETag
    assert server.requests[2].headers["If-None-Match"] == '"v1"'


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    busy = httpx.Response(429, headers={"Retry-After": "7"})
    server = Server(lambda r: busy, ok(b"body"))
    sleeps: list[float] = []
    assert get(server, tmp_path, sleeps) == b"body"
    assert sleeps == [7.0]


def test_retry_after_as_an_http_date(tmp_path: Path) -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    busy = httpx.Response(503, headers={"Retry-After": when.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    server = Server(lambda r: busy, ok(b"body"))
    sleeps: list[float] = []
    assert get(server, tmp_path, sleeps) == b"body"
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 30


def test_a_retry_after_longer_than_an_update_waits_fails_at_once(tmp_path: Path) -> None:
    busy = httpx.Response(503, headers={"Retry-After": "86400"})
    server = Server(lambda r: busy)
    sleeps: list[float] = []
    with pytest.raises(MissingEvidenceError, match="retry after 86400 s"):
        get(server, tmp_path, sleeps)
    assert sleeps == [] and len(server.requests) == 1


def test_a_download_over_the_size_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "MAX_FILE_BYTES", 1000)
    server = Server(ok(b"x" * 1001))
    with pytest.raises(DataError, match=r"example\.test/models\.json: download larger than"):
        get(server, tmp_path)
    assert list(tmp_path.iterdir()) == []


def _raw(files: dict[str, bytes]) -> RawFiles:
    return RawFiles(
        source="livebench",
        files=files,
        retrieved_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        origin="mirror:/m",
    )


def test_last_good_bundle_round_trip(tmp_path: Path) -> None:
    raw = _raw({"a.csv": b"x,y\n1,2\n", "b.json": b"{}"})
    lastgood.save(tmp_path, raw)
    back = lastgood.load(tmp_path, "livebench")
    assert back is not None and dict(back.files) == dict(raw.files)
    assert back.content_hash() == raw.content_hash() and back.origin == "mirror:/m (last good)"
    assert lastgood.load(tmp_path, "epoch-eci") is None


def test_last_good_counts_are_kept_with_the_bundle(tmp_path: Path) -> None:
    raw = _raw({"a.csv": b"x,y\n1,2\n"})
    lastgood.save(tmp_path, raw, {"scores": 1})
    assert lastgood.saved_counts(tmp_path, "livebench") == {"scores": 1}
    lastgood.save(tmp_path, raw, {"scores": 2})  # same files, new counts: rewritten
    assert lastgood.saved_counts(tmp_path, "livebench") == {"scores": 2}
    assert lastgood.saved_counts(tmp_path, "epoch-eci") is None


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-3], "bytes where its header promises"),
        (lambda b: b + b"extra", "bytes where its header promises"),
        (lambda b: b[:-2] + b"9}", "do not match its hash"),
        (lambda b: b"{not json\n" + b, "unreadable header"),
    ],
    ids=["truncated", "trailing bytes", "flipped byte", "bad header"],
)
def test_a_damaged_bundle_is_an_error_and_the_next_save_replaces_it(
    damage: Callable[[bytes], bytes], message: str, tmp_path: Path
) -> None:
    raw = _raw({"a.csv": b"x,y\n1,2\n", "b.json": b"{}"})
    lastgood.save(tmp_path, raw)
    bundle = tmp_path / "livebench.bundle"
    bundle.write_bytes(damage(bundle.read_bytes()))
    with pytest.raises(DataError, match=message) as err:
        lastgood.load(tmp_path, "livebench")
    assert str(bundle) in str(err.value)
    lastgood.save(tmp_path, raw)  # the same data again: the damaged copy is rewritten
    back = lastgood.load(tmp_path, "livebench")
    assert back is not None and dict(back.files) == dict(raw.files)
