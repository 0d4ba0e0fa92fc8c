"""The last good raw files of each source, kept in the cache so that `update --keep-going` and
`update --only` can rebuild with a source's previous data.

One bundle file per source (a JSON header line, then the files' bytes back to back): writing
thousands of small files, as the models.dev tree has, would cost more than parsing them. A bundle
is written whole or not at all (a temporary file renamed over the old one), and is checked before
use: its size must be the header's plus the files' sizes, and the files must hash to the header's
hash. A damaged bundle is an error, never data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.safefile import write_atomic
from wholeads.ingest.sources.base import RawFiles

MAX_HEADER_BYTES = 64 * 2**20


def _bundle(root: Path, source_id: str) -> Path:
    return root / f"{source_id}.bundle"


def save(root: Path, raw: RawFiles, counts: Mapping[str, Any] | None = None) -> None:
    """Keep these raw files as the source's last good data, with ``counts`` (how much the
    accepted data held, for the next update to compare with); skipped when already kept."""
    digest = raw.content_hash()
    target = _bundle(root, raw.source)
    try:
        kept = load(root, raw.source)
    except DataError:
        kept = None  # damaged: replaced below
    if (
        kept is not None
        and kept.content_hash() == digest
        and saved_counts(root, raw.source) == counts
    ):
        return
    paths = sorted(raw.files)
    header = {
        "hash": digest, "origin": raw.origin, "retrieved_at": raw.retrieved_at.isoformat(),
        "files": [[p, len(raw.files[p])] for p in paths], "counts": counts,
    }  # fmt: skip
    write_atomic(target, [json.dumps(header).encode() + b"\n", *(raw.files[p] for p in paths)])


def saved_counts(root: Path, source_id: str) -> dict[str, Any] | None:
    """The counts saved with the source's last good data (from the header only), if any."""
    path = _bundle(root, source_id)
    if not path.exists():
        return None
    try:
        with path.open("rb") as handle:
            counts = _header(handle.readline(MAX_HEADER_BYTES), path).get("counts")
    except (DataError, OSError):
        return None
    return counts if isinstance(counts, dict) else None


def load(root: Path, source_id: str) -> RawFiles | None:
    """The source's last good raw files, or None when none were kept; DataError naming the
    bundle when it is damaged (wrong size, wrong hash, unreadable header)."""
    path = _bundle(root, source_id)
    if not path.exists():
        return None
    where = str(path)
    with path.open("rb") as handle:
        first = handle.readline(MAX_HEADER_BYTES)
        header = _header(first, path)
        try:
            sizes = [(str(name), int(size)) for name, size in header["files"]]
            retrieved_at = dt.datetime.fromisoformat(header["retrieved_at"])
            origin, expected = str(header["origin"]), str(header["hash"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"damaged last-good bundle: bad header ({exc})", file=where) from None
        total = len(first) + sum(size for _, size in sizes)
        if os.fstat(handle.fileno()).st_size != total or any(size < 0 for _, size in sizes):
            raise DataError(
                f"damaged last-good bundle: {os.fstat(handle.fileno()).st_size:,} bytes where its "
                f"header promises {total:,}",
                file=where,
            )
        files = {name: handle.read(size) for name, size in sizes}
    raw = RawFiles(
        source=source_id, files=files, retrieved_at=retrieved_at,
        origin=f"{origin} (last good)",
    )  # fmt: skip
    if raw.content_hash() != expected:
        raise DataError("damaged last-good bundle: its files do not match its hash", file=where)
    return raw


def _header(line: bytes, path: Path) -> dict[str, Any]:
    try:
        header = json.loads(line)
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict):
        raise DataError("damaged last-good bundle: unreadable header", file=str(path))
    return header
