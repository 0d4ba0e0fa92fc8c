"""The one small protocol every source module follows: fetch, parse, translate.

- fetch (I/O, in ``sources/fetch.py``): raw bytes of the source's files, from a mirror folder
  laid out like ``../shared/data/<source-id>/`` or from the public URLs (cached, conditional).
- parse (pure, module-specific): raw bytes -> upstream records, lenient about upstream quirks; a
  record that cannot be read becomes a problem naming file and line, never a silent drop.
- translate (pure): upstream records -> a ``SourceBatch`` of canonical records with provenance.

A module exposes ``SPEC`` and ``load(raw) -> SourceBatch`` (parse then translate).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from wholeads.schema import SourceBatch


@dataclass(frozen=True)
class RemoteFile:
    """One file of a source: its path inside the source folder and its public URL."""

    path: str
    url: str


@dataclass(frozen=True)
class SourceSpec:
    """What a source is and where its files live."""

    id: str
    """Folder name under the mirror, e.g. 'epoch-eci'."""
    name: str
    homepage: str
    license: str
    remote: tuple[RemoteFile, ...]
    """Files fetched online (public URLs)."""
    mirror_globs: tuple[str, ...] = ("**/*",)
    """Which files of a mirror folder the source reads (default: all but LICENSE.txt)."""
    citation: str = ""
    """How to attribute the data."""
    mirror_only: bool = False
    """The mirror holds a table converted from the source's README/HTML; online updates keep
    the last good data of such a source instead of fetching it."""
    snapshot_date: dt.date | None = None
    """The day the documented mirror copy was captured (``shared/data/SOURCES.md``): rows with no
    date of their own read from a mirror count from this day (online: the download day)."""
    boards: BoardCoverage | None = None
    """How much of each arena leaderboard a snapshot holds: 'complete' (every rated model) or
    'top_n' (only the N best: a model absent from it is below its lowest score, not unrated).
    None for sources that publish no leaderboard snapshots."""
    mirror_rank: int = 0
    """Among sources that mirror the same leaderboards, which one a board's single series takes
    while several are publishing (lower first; see ``boards.build_series``)."""


BoardCoverage = Literal["complete", "top_n"]


def observed_on(spec: SourceSpec, raw: RawFiles) -> dt.date:
    """The day a source's files were captured: the documented mirror copy's date for a mirror,
    else the download (or package) date."""
    if raw.origin.startswith("mirror:") and spec.snapshot_date is not None:
        return spec.snapshot_date
    return raw.retrieved_at.date()


@dataclass(frozen=True)
class RawFiles:
    """The raw bytes of one source's files, keyed by posix path relative to the source folder."""

    source: str
    files: Mapping[str, bytes]
    retrieved_at: dt.datetime
    origin: str
    """'mirror:<dir>', 'online', or 'package:<name>' (where the bytes came from)."""
    hashes: dict[str, str] = field(default_factory=dict)

    def sha256(self, path: str) -> str:
        """Content hash of one file (cached)."""
        if path not in self.hashes:
            self.hashes[path] = hashlib.sha256(self.files[path]).hexdigest()
        return self.hashes[path]

    def content_hash(self) -> str:
        """One hash over every file: unchanged inputs give the same hash, so work can be skipped."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.encode())
            digest.update(self.sha256(path).encode())
        return digest.hexdigest()


class SourceModule(Protocol):
    """What the registry expects of a source module."""

    SPEC: SourceSpec

    def load(self, raw: RawFiles) -> SourceBatch:  # pragma: no cover - protocol
        """Parse and translate the raw files into canonical records."""
        ...
