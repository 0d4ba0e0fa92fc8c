"""The inputs stamp: a small file beside the database that lets an unchanged ``update --mirror``
answer "up to date" without opening the database or importing DuckDB, numpy or pydantic.

It is a cache of what the database's own ``meta`` says (the listing signature of every mirror
source, the knowledge base and schema the build used), tied to the one database file it was
written for (its size, mtime and inode, and the build's ``built_at``). It also records the
installed package's own listing (sizes and mtimes of its code and knowledge base files), so a
changed source parser, migration or KB file sends the update down the full path, which compares
against the database's meta as before and rewrites the stamp. Anything unexpected (no stamp, a
stamp of another file, a malformed one, a folder that moved) means "not known to be up to
date": the full path decides, never the stamp alone. It is written atomically after the
database is in place.

This module imports only the standard library and the listing helpers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wholeads.ingest.safefile import write_atomic
from wholeads.ingest.sources import _listing

MIRROR_ENV = "WHOLEADS_MIRROR"
FORMAT = 1
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
"""The installed ``wholeads`` package folder (its code and knowledge base)."""


@dataclass(frozen=True, slots=True)
class SourceListing:
    """How one source's mirror files were selected, and their listing signature."""

    folder: str
    globs: tuple[str, ...]
    skipped: tuple[str, ...]
    signature: str


def mirror_from_env() -> Path | None:
    """The mirror folder named by ``WHOLEADS_MIRROR``, if any."""
    value = os.environ.get(MIRROR_ENV)
    return Path(value) if value else None


def stamp_path(db: Path) -> Path:
    """The stamp of a database: ``.<name>.inputs.json`` in the same folder."""
    return db.with_name(f".{db.name}.inputs.json")


def package_signature() -> str:
    """Paths, sizes and mtimes of the package's files (``__pycache__`` left out)."""
    files = [
        f
        for f in _listing.walk(PACKAGE_ROOT)
        if "__pycache__/" not in f.rel and f.rel[-4:] != ".pyc"
    ]
    return _listing.signature(files)


def _compiled(rel: str) -> bool:
    return "__pycache__/" in rel or rel.endswith(".pyc")


def _file_identity(db: Path) -> list[int]:
    info = os.stat(db)
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def write_stamp(
    db: Path, mirror: Path, built_at: str, sources: Mapping[str, SourceListing]
) -> None:
    """Record that ``db`` (as it is now on disk) was built from these mirror listings."""
    body = {
        "format": FORMAT,
        "db": _file_identity(db),
        "built_at": built_at,
        "mirror": str(mirror.resolve()),
        "package": package_signature(),
        "sources": {
            s: {
                "folder": v.folder,
                "globs": list(v.globs),
                "skipped": list(v.skipped),
                "signature": v.signature,
            }
            for s, v in sources.items()
        },
    }
    write_atomic(stamp_path(db), [json.dumps(body, sort_keys=True).encode()])


def remove_stamp(db: Path) -> None:
    """Forget the stamp (before the database is replaced by a build that cannot write one)."""
    stamp_path(db).unlink(missing_ok=True)


def up_to_date(db: Path, mirror: Path, source_ids: tuple[str, ...] | None = None) -> bool:
    """True only when the stamp beside ``db`` was written for this very file, from this mirror
    folder, by this package's code and knowledge base, and every source's files still have the
    sizes and mtimes they had then (``source_ids``: the sources the update would read, when the
    caller knows them; else the stamp's own list, guarded by the package signature)."""
    try:
        body = json.loads(stamp_path(db).read_bytes())
        if body.get("format") != FORMAT or body["db"] != _file_identity(db):
            return False
        if body["mirror"] != str(mirror.resolve()) or body["package"] != package_signature():
            return False
        sources = body["sources"]
        if not sources or (source_ids is not None and set(sources) != set(source_ids)):
            return False
        for entry in sources.values():
            if _current_signature(entry) != entry["signature"]:
                return False
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def _current_signature(entry: Mapping[str, object]) -> str | None:
    folder = Path(str(entry["folder"]))
    globs = tuple(str(g) for g in entry["globs"])  # type: ignore[attr-defined]
    skipped = frozenset(str(s) for s in entry["skipped"])  # type: ignore[attr-defined]
    chosen = _listing.select(_listing.walk(folder), globs, skipped)
    return _listing.signature(chosen) if chosen else None
