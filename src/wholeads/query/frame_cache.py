"""The coded score rows of a database build, kept in the cache folder so the next command reads
them in a few milliseconds instead of querying and sorting them again.

A cache file belongs to one build: its name carries a signature of the build (the ``meta`` rows
``built_at``, ``kb_hash``, ``schema`` and ``version``, and the file's size and modification time),
so a new or changed database never reads another build's rows, and of the benchmarks asked for.
A file that cannot be read (missing, truncated, another layout) is a miss; a cache folder that
cannot be written is no cache. Files are written whole (a temporary file renamed) and the folder
keeps the newest ``KEEP`` of them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

KEEP = 4
"""Cache files kept (one per build and set of benchmarks asked; ~10 MB each, so ~40 MB)."""
COLUMNS = ("bench", "model", "value", "ci_low", "ci_high", "valid_from", "data_date", "as_of",
           "setting", "no_setting", "source", "board")  # fmt: skip
"""The coded columns of ``evidence._FRAME_SQL`` after ``evidence._plain``."""
_LAYOUT = "frames-v1"
_BUILD_KEYS = ("built_at", "kb_hash", "schema", "version")


def folder() -> Path:
    """Where the files live: ``frames/`` in the user cache directory."""
    from wholeads.store.files import cache_dir

    return cache_dir() / "frames"


def build_signature(con: duckdb.DuckDBPyConnection) -> str | None:
    """The open database's build signature; None for a database without a file or a build
    record (nothing is cached for it)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not row or not row[0]:
        return None
    try:
        meta = dict(
            con.execute(
                "SELECT key, value FROM meta WHERE key IN (SELECT unnest(?::VARCHAR[]))",
                [list(_BUILD_KEYS)],
            ).fetchall()
        )
        stat = os.stat(row[0])
    except (duckdb.Error, OSError):
        return None
    if "built_at" not in meta:
        return None
    parts = [_LAYOUT, *(f"{k}={meta.get(k)}" for k in _BUILD_KEYS)]
    parts += [f"size={stat.st_size}", f"mtime={stat.st_mtime_ns}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _path(signature: str, benchmarks: Sequence[str]) -> Path:
    asked = hashlib.sha256("\n".join(benchmarks).encode()).hexdigest()
    return folder() / f"{signature[:32]}-{asked[:16]}.npz"


def load(
    signature: str, benchmarks: Sequence[str]
) -> tuple[dict[str, np.ndarray], list[str], list[str]] | None:
    """The cached columns, setting names and source names of these benchmarks (sorted ids) in
    this build; None when there is no usable file."""
    path = _path(signature, benchmarks)
    try:
        with open(path, "rb") as raw, np.load(raw, allow_pickle=False) as npz:
            if [str(b) for b in npz["benchmarks"]] != list(benchmarks):
                return None
            cols = {k: npz[k] for k in COLUMNS}
            settings = [str(s) for s in npz["settings"]]
            sources = [str(s) for s in npz["sources"]]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError):
        return None
    if len({len(v) for v in cols.values()}) != 1:
        return None
    return cols, settings, sources


def save(
    signature: str,
    benchmarks: Sequence[str],
    cols: dict[str, np.ndarray],
    settings: Sequence[str],
    sources: Sequence[str],
) -> None:
    """Keep the columns for the next reader of this build; a folder that cannot be written is
    left alone (the answer does not depend on the cache)."""
    path = _path(signature, benchmarks)
    names = {"benchmarks": list(benchmarks), "settings": list(settings), "sources": list(sources)}
    arrays: dict[str, Any] = {k: cols[k] for k in COLUMNS}
    arrays.update({k: np.array(v, dtype=str) for k, v in names.items()})
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".frames-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as out:
                np.savez(out, **arrays)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _prune(path.parent)
    except OSError:
        return


def _prune(where: Path) -> None:
    """Only the newest KEEP files stay."""
    files = sorted(where.glob("*.npz"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
