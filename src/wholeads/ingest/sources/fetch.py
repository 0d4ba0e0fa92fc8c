"""Fetch a source's raw bytes: from a mirror folder, or online with an on-disk cache.

Online fetching uses conditional requests (ETag / Last-Modified), timeouts and retries with
backoff (or the server's ``Retry-After``); a 304 answer reuses the cached bytes, which are written
atomically and checked against their recorded hash before use. The cache lives in the user's
cache directory. Files larger than ``MAX_FILE_BYTES`` are refused, read or downloaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wholeads.errors import DataError, MissingEvidenceError
from wholeads.ingest.safefile import write_atomic
from wholeads.ingest.sources import _listing
from wholeads.ingest.sources.base import RawFiles, SourceSpec
from wholeads.ingest.stamp import SourceListing

if TYPE_CHECKING:  # imported where a download is made: a mirror build never needs it
    import httpx

SKIPPED_NAMES = {"LICENSE.txt", "LICENSE", ".DS_Store"}
MAX_FILE_BYTES = 64 * 1024 * 1024
USER_AGENT = "wholeads (+https://pypi.org/project/wholeads/)"


def read_mirror(spec: SourceSpec, mirror: Path) -> RawFiles:
    """Every file of the source's folder in a mirror laid out like ``../shared/data``."""
    listing = _listing.walk(_mirror_folder(spec, mirror))
    files: dict[str, bytes] = {}
    for listed in _selected(spec, mirror, listing):
        if listed.size > MAX_FILE_BYTES:
            raise DataError(
                f"file is larger than {MAX_FILE_BYTES // 2**20} MB", file=f"{spec.id}/{listed.rel}"
            )
        files[listed.rel] = Path(listed.path).read_bytes()
    stamp = max((f.mtime_ns for f in listing), default=0) / 1e9
    return RawFiles(
        source=spec.id,
        files=files,
        retrieved_at=dt.datetime.fromtimestamp(stamp, tz=dt.UTC),
        origin=f"mirror:{mirror}",
    )


def mirror_signature(spec: SourceSpec, mirror: Path) -> str:
    """The paths, sizes and mtimes of the files ``read_mirror`` would read, as one hash: equal
    signatures mean an update can skip reading the files (``_listing.py``)."""
    return mirror_listing(spec, mirror).signature


def mirror_listing(spec: SourceSpec, mirror: Path) -> SourceListing:
    """The source's folder, how its files are selected, and their signature: what the inputs
    stamp (``ingest/stamp.py``) needs to recompute the signature without this module."""
    folder = _mirror_folder(spec, mirror)
    chosen = _selected(spec, mirror, _listing.walk(folder))
    return SourceListing(
        folder=str(folder.resolve()),
        globs=tuple(spec.mirror_globs),
        skipped=tuple(sorted(SKIPPED_NAMES)),
        signature=_listing.signature(chosen),
    )


def _mirror_folder(spec: SourceSpec, mirror: Path) -> Path:
    folder = mirror / spec.id
    if not folder.is_dir():
        raise MissingEvidenceError(
            f"mirror {mirror} has no folder '{spec.id}'; point --mirror at a folder laid out like "
            "shared/data, or run 'wholeads update' online"
        )
    return folder


def _selected(
    spec: SourceSpec, mirror: Path, listing: list[_listing.ListedFile]
) -> list[_listing.ListedFile]:
    chosen = _listing.select(listing, spec.mirror_globs, frozenset(SKIPPED_NAMES))
    if not chosen:
        folder = mirror / spec.id
        raise DataError(f"no files match {', '.join(spec.mirror_globs)}", file=str(folder))
    return chosen


def fetch_online(
    spec: SourceSpec,
    cache_dir: Path,
    *,
    base_url: str | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    client: httpx.Client | None = None,
) -> RawFiles:
    """Download the source's files (or reuse the cache on 304 Not Modified).

    ``base_url`` replaces the public URLs by ``{base_url}/{source-id}/{path}``: a mirror served
    over HTTP (used by the tests, and by teams with an internal mirror).
    """
    import httpx

    own_client = client is None
    http = client or httpx.Client(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    try:
        files = {}
        for remote in spec.remote:
            url = f"{base_url.rstrip('/')}/{spec.id}/{remote.path}" if base_url else remote.url
            files[remote.path] = _get_cached(http, url, cache_dir / spec.id, retries)
    finally:
        if own_client:
            http.close()
    return RawFiles(
        source=spec.id, files=files, retrieved_at=dt.datetime.now(dt.UTC), origin="online"
    )


def _get_cached(
    http: httpx.Client,
    url: str,
    cache: Path,
    retries: int,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes:
    """The body of ``url``: downloaded, or the cached copy when the server answers 304.

    The cache keeps the body and its metadata (ETag, Last-Modified, the body's size and SHA-256)
    in two files, each written atomically, metadata last; a body that does not match its metadata
    (an interrupted write, a damaged disk) is never used: the file is downloaded again. Server
    errors and 429 are retried with backoff, or after the ``Retry-After`` the server asks for.
    """
    import httpx

    key = hashlib.sha256(url.encode()).hexdigest()[:24]
    body_path, meta_path = cache / f"{key}.body", cache / f"{key}.json"
    cached = _cached_body(body_path, meta_path)
    headers = {}
    if cached is not None:
        body, meta = cached
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
    last_error: Exception | None = None
    for attempt in range(retries):
        wait = min(0.2 * 2**attempt, 2.0)
        try:
            with http.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and cached is not None:
                    return cached[0]
                if response.status_code >= 500 or response.status_code == 429:
                    wait = _retry_after(response, url) or wait
                    raise httpx.HTTPStatusError(
                        f"server error {response.status_code}",
                        request=response.request,
                        response=response,
                    )
                response.raise_for_status()
                body = _read_capped(response, url)
            _store(body_path, meta_path, url, body, response.headers)
            return body
        except httpx.HTTPStatusError as exc:
            last_error = exc
            if exc.response.status_code < 500 and exc.response.status_code != 429:
                break
        except httpx.TransportError as exc:
            last_error = exc
        if attempt + 1 < retries:
            sleep(wait)
    raise MissingEvidenceError(f"could not download {url}: {last_error}")


MAX_RETRY_AFTER = 120.0
"""The longest ``Retry-After`` an update waits; a server asking for more fails the source."""


def _retry_after(response: httpx.Response, url: str) -> float | None:
    """Seconds the server asks to wait (``Retry-After``: seconds or an HTTP date), if it asks."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
    if seconds > MAX_RETRY_AFTER:
        raise MissingEvidenceError(
            f"could not download {url}: the server asks to retry after {seconds:.0f} s "
            f"(more than the {MAX_RETRY_AFTER:.0f} s an update waits); try again later"
        )
    return seconds


def _read_capped(response: httpx.Response, url: str) -> bytes:
    """The response body, refused as soon as it grows past ``MAX_FILE_BYTES``."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise DataError(f"download larger than {MAX_FILE_BYTES // 2**20} MB", file=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _cached_body(body_path: Path, meta_path: Path) -> tuple[bytes, dict[str, Any]] | None:
    """The cached body and its metadata, or None when absent or not matching each other."""
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = body_path.read_bytes()
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(body).hexdigest():
        return None
    return body, meta


def _store(body_path: Path, meta_path: Path, url: str, body: bytes, headers: httpx.Headers) -> None:
    """Cache a downloaded body: the body first, then the metadata that vouches for it. A cache
    that cannot be written (a full disk) only costs the next update a full download."""
    meta = {
        "url": url,
        "etag": headers.get("etag"),
        "last_modified": headers.get("last-modified"),
        "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
    }
    with contextlib.suppress(OSError):
        write_atomic(body_path, [body])
        write_atomic(meta_path, [json.dumps(meta).encode()])
