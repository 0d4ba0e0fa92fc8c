"""An unchanged repeat of `update --mirror` reads no file: sizes and mtimes are compared first."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wholeads.ingest.sources import SOURCE_IDS, get_source
from wholeads.ingest.sources import fetch as fetch_module
from wholeads.ingest.sources.fetch import SKIPPED_NAMES, mirror_signature, read_mirror
from wholeads.ingest.update import run_update


def _read_with_pathlib(folder: Path, globs: tuple[str, ...]) -> tuple[dict[str, bytes], float]:
    """The second method: Path.glob + sorted, and the newest mtime of any file (as before)."""
    files: dict[str, bytes] = {}
    for pattern in globs:
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and path.name not in SKIPPED_NAMES:
                files.setdefault(path.relative_to(folder).as_posix(), path.read_bytes())
    newest = max(p.stat().st_mtime for p in folder.rglob("*") if p.is_file())
    return files, newest


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_the_listing_reads_what_path_glob_finds(shared_data: Path, source_id: str) -> None:
    spec = get_source(source_id).SPEC
    raw = read_mirror(spec, shared_data)
    files, newest = _read_with_pathlib(shared_data / source_id, spec.mirror_globs)
    assert list(raw.files) == list(files)  # same files, same order (parsers see the same)
    assert raw.files == files
    assert abs(raw.retrieved_at.timestamp() - newest) < 1e-5


def test_the_signature_changes_with_size_or_mtime_only(shared_data: Path, tmp_path: Path) -> None:
    spec = get_source("aider-leaderboards").SPEC
    shutil.copytree(shared_data / spec.id, tmp_path / spec.id)
    before = mirror_signature(spec, tmp_path)
    assert mirror_signature(spec, tmp_path) == before
    (tmp_path / spec.id / "LICENSE.txt").write_text("not read by the source")
    assert mirror_signature(spec, tmp_path) == before  # a file the source does not read
    target = tmp_path / spec.id / "polyglot_leaderboard.yml"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    touched = mirror_signature(spec, tmp_path)
    assert touched != before
    target.write_bytes(target.read_bytes() + b"\n")
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert mirror_signature(spec, tmp_path) not in {before, touched}  # the size changed


def test_an_unchanged_repeat_reads_no_file(
    real_db: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session database was built from the mirror as it is: a repeat stops at the listing."""

    def no_read(*args: object) -> None:
        raise AssertionError("an unchanged repeat read the mirror's files")

    monkeypatch.setattr(fetch_module, "read_mirror", no_read)
    monkeypatch.setattr("wholeads.ingest.update.read_mirror", no_read)
    assert run_update(real_db, mirror=shared_data).skipped
