"""Fetch a source's raw bytes: from a mirror folder, or online with an on-disk cache.

Online fetching uses conditional requests (ETag / Last-Modified), timeouts and retries with
backoff; a 304 answer reuses the cached bytes. The cache lives in the user's cache directory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import httpx

from wholeads.errors import DataError, MissingEvidenceError
from wholeads.sources.base import RawFiles, SourceSpec

SKIPPED_NAMES = {"LICENSE.txt", "LICENSE", ".DS_Store"}
MAX_FILE_BYTES = 256 * 1024 * 1024
USER_AGENT = "wholeads (+https://pypi.org/project/wholeads/)"


def read_mirror(spec: SourceSpec, mirror: Path) -> RawFiles:
    """Every file of the source's folder in a mirror laid out like ``../shared/data``."""
    folder = mirror / spec.id
    if not folder.is_dir():
        raise MissingEvidenceError(
            f"mirror {mirror} has no folder '{spec.id}'; point --mirror at a folder laid out like "
            "shared/data, or run 'wholeads update' online"
        )
    files: dict[str, bytes] = {}
    for pattern in spec.mirror_globs:
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and path.name not in SKIPPED_NAMES:
                rel = path.relative_to(folder).as_posix()
                if path.stat().st_size > MAX_FILE_BYTES:
                    raise DataError(
                        f"file is larger than {MAX_FILE_BYTES // 2**20} MB", file=f"{spec.id}/{rel}"
                    )
                files[rel] = path.read_bytes()
    if not files:
        raise DataError(f"no files match {', '.join(spec.mirror_globs)}", file=str(folder))
    return RawFiles(
        source=spec.id, files=files, retrieved_at=_mtime(folder), origin=f"mirror:{mirror}"
    )


def _mtime(folder: Path) -> dt.datetime:
    stamp = max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


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


def _get_cached(http: httpx.Client, url: str, cache: Path, retries: int) -> bytes:
    key = hashlib.sha256(url.encode()).hexdigest()[:24]
    body_path, meta_path = cache / f"{key}.body", cache / f"{key}.json"
    headers = {}
    if body_path.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
    last_error: Exception | None = None
    for attempt in range(retries):
        try:
            response = http.get(url, headers=headers)
            if response.status_code == 304:
                return body_path.read_bytes()
            if response.status_code >= 500 or response.status_code == 429:
                raise httpx.HTTPStatusError(
                    f"server error {response.status_code}",
                    request=response.request,
                    response=response,
                )
            response.raise_for_status()
            body = response.content
            if len(body) > MAX_FILE_BYTES:
                raise DataError(f"download larger than {MAX_FILE_BYTES // 2**20} MB", file=url)
            cache.mkdir(parents=True, exist_ok=True)
            body_path.write_bytes(body)
            meta_path.write_text(
                json.dumps(
                    {
                        "url": url,
                        "etag": response.headers.get("etag"),
                        "last_modified": response.headers.get("last-modified"),
                    }
                )
            )
            return body
        except httpx.HTTPStatusError as exc:
            last_error = exc
            if exc.response.status_code < 500 and exc.response.status_code != 429:
                break
        except httpx.TransportError as exc:
            last_error = exc
        time.sleep(min(0.2 * 2**attempt, 2.0))
    raise MissingEvidenceError(f"could not download {url}: {last_error}")
