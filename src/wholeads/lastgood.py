"""The last good raw files of each source, kept in the cache so that `update --keep-going` and
`update --only` can rebuild with a source's previous data.

One bundle file per source (a JSON header line, then the files' bytes back to back): writing
thousands of small files, as the models.dev tree has, would cost more than parsing them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from wholeads.sources.base import RawFiles


def _bundle(root: Path, source_id: str) -> Path:
    return root / f"{source_id}.bundle"


def saved_hash(root: Path, source_id: str) -> str | None:
    """The content hash of the saved bundle, if any (read from its header only)."""
    path = _bundle(root, source_id)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        header: dict[str, str] = json.loads(handle.readline())
    return header.get("hash")


def save(root: Path, raw: RawFiles) -> None:
    """Keep these raw files as the source's last good data (skipped when already kept)."""
    digest = raw.content_hash()
    if saved_hash(root, raw.source) == digest:
        return
    root.mkdir(parents=True, exist_ok=True)
    paths = sorted(raw.files)
    header = {
        "hash": digest, "origin": raw.origin, "retrieved_at": raw.retrieved_at.isoformat(),
        "files": [[p, len(raw.files[p])] for p in paths],
    }  # fmt: skip
    target = _bundle(root, raw.source)
    tmp = target.with_suffix(f".tmp-{os.getpid()}")
    with tmp.open("wb") as handle:
        handle.write(json.dumps(header).encode() + b"\n")
        for path in paths:
            handle.write(raw.files[path])
    os.replace(tmp, target)


def load(root: Path, source_id: str) -> RawFiles | None:
    """The source's last good raw files, or None when none were kept."""
    path = _bundle(root, source_id)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        header = json.loads(handle.readline())
        files = {name: handle.read(size) for name, size in header["files"]}
    return RawFiles(
        source=source_id, files=files,
        retrieved_at=dt.datetime.fromisoformat(header["retrieved_at"]),
        origin=f"{header['origin']} (last good)",
    )  # fmt: skip
