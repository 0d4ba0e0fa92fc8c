"""A mirror folder's files with their sizes and modification times, in one directory walk.

An update with unchanged inputs should not read 34 MB to find out: the listing's signature
(every matched file's path, size and mtime) is stored with the database, and a repeat whose
signatures all match stops before reading any file. A file rewritten with the same size and
mtime is not noticed (as with make); ``update --force`` rereads everything.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ListedFile:
    """One file of a source folder."""

    rel: str
    """Posix path relative to the source folder."""
    path: str
    name: str
    size: int
    mtime_ns: int


def walk(folder: Path) -> list[ListedFile]:
    """Every file under ``folder`` (symbolic links followed), in no particular order."""
    found: list[ListedFile] = []
    pending = [("", str(folder))]
    while pending:
        prefix, directory = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir():
                    pending.append((rel + "/", entry.path))
                elif entry.is_file():
                    info = entry.stat()
                    found.append(
                        ListedFile(rel, entry.path, entry.name, info.st_size, info.st_mtime_ns)
                    )
    return found


def select(
    files: list[ListedFile], globs: tuple[str, ...], skipped: frozenset[str]
) -> list[ListedFile]:
    """The files the globs match, pattern by pattern, each pattern's in path order (as
    ``Path.glob`` + ``sorted`` gives them), first match kept; ``skipped`` names are left out."""
    chosen: dict[str, ListedFile] = {}
    for pattern in globs:
        regex = _regex(pattern)
        matched = [f for f in files if f.name not in skipped and regex.fullmatch(f.rel)]
        for listed in sorted(matched, key=lambda f: f.rel.split("/")):
            chosen.setdefault(listed.rel, listed)
    return list(chosen.values())


def signature(files: list[ListedFile]) -> str:
    """One hash over the selected files' paths, sizes and mtimes (not their contents)."""
    digest = hashlib.sha256()
    for listed in sorted(files, key=lambda f: f.rel):
        digest.update(f"{listed.rel}\0{listed.size}\0{listed.mtime_ns}\n".encode())
    return digest.hexdigest()


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """A glob as ``Path.glob`` reads it: ``**/`` any number of folders, ``*`` and ``?`` within
    one name."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
