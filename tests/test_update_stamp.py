"""The inputs stamp beside the database: an unchanged `update --mirror` answers from it without
opening the database, and anything that changed (the file, the mirror, the code) sends the
update down the full path."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import run_cli

from wholeads.ingest import stamp
from wholeads.ingest.sources import SOURCE_IDS, get_source
from wholeads.ingest.sources.fetch import mirror_listing
from wholeads.query.sources import build_meta
from wholeads.store.files import open_readonly

SOURCE = "aider-leaderboards"


def test_the_session_build_wrote_a_stamp_that_matches_its_meta(
    real_db: Path, shared_data: Path
) -> None:
    """The stamp caches what the database's own meta holds: one listing per source, equal."""
    body = json.loads(stamp.stamp_path(real_db).read_text())
    with contextlib.closing(open_readonly(real_db)) as con:
        meta = build_meta(con)
    assert set(body["sources"]) == set(SOURCE_IDS)
    for source_id, entry in body["sources"].items():
        assert meta[f"mirror_listing:{source_id}"] == entry["signature"]
        assert Path(entry["folder"]) == (shared_data / source_id).resolve()
    assert body["built_at"] == meta["built_at"]
    assert stamp.up_to_date(real_db, shared_data)
    assert stamp.up_to_date(real_db, shared_data, SOURCE_IDS)
    assert not stamp.up_to_date(real_db, shared_data, SOURCE_IDS[:-1])


def test_a_copy_of_the_database_is_not_vouched_for(
    real_db: Path, shared_data: Path, tmp_path: Path
) -> None:
    """The stamp names one file (size, mtime, inode): another file beside a copied stamp, or a
    database replaced by a build that wrote no stamp, is not known to be up to date."""
    copy = tmp_path / "wholeads.duckdb"
    shutil.copy2(real_db, copy)
    shutil.copy2(stamp.stamp_path(real_db), stamp.stamp_path(copy))
    assert not stamp.up_to_date(copy, shared_data)


@pytest.fixture
def one_source(shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A mirror with one source folder and a stand-in database file, stamped."""
    mirror = tmp_path / "mirror"
    shutil.copytree(shared_data / SOURCE, mirror / SOURCE)
    db = tmp_path / "db.duckdb"
    db.write_bytes(b"a database")
    listing = mirror_listing(get_source(SOURCE).SPEC, mirror)
    stamp.write_stamp(db, mirror, "2026-01-01T00:00:00+00:00", {SOURCE: listing})
    assert stamp.up_to_date(db, mirror)
    return db, mirror


def test_a_touched_or_removed_file_is_seen(one_source: tuple[Path, Path]) -> None:
    db, mirror = one_source
    target = mirror / SOURCE / "polyglot_leaderboard.yml"
    info = target.stat()
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    assert not stamp.up_to_date(db, mirror)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert stamp.up_to_date(db, mirror)  # the same sizes and mtimes again
    (mirror / SOURCE / "LICENSE.txt").write_text("not read by the source")
    assert stamp.up_to_date(db, mirror)
    target.unlink()
    assert not stamp.up_to_date(db, mirror)
    shutil.rmtree(mirror / SOURCE)
    assert not stamp.up_to_date(db, mirror)  # a folder that is gone


def test_another_file_mirror_code_or_stamp_is_not_up_to_date(
    one_source: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db, mirror = one_source
    assert not stamp.up_to_date(db, tmp_path)  # another mirror folder
    monkeypatch.setattr(stamp, "package_signature", lambda: "edited code or knowledge base")
    assert not stamp.up_to_date(db, mirror)
    monkeypatch.undo()
    replaced = tmp_path / "new.duckdb"
    replaced.write_bytes(b"a database")  # same size, another file
    os.replace(replaced, db)
    assert not stamp.up_to_date(db, mirror)


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"format": 1}', b'{"format": 99}'])
def test_a_malformed_or_missing_stamp_is_not_up_to_date(
    one_source: tuple[Path, Path], body: bytes
) -> None:
    db, mirror = one_source
    stamp.stamp_path(db).write_bytes(body)
    assert not stamp.up_to_date(db, mirror)
    stamp.stamp_path(db).unlink()
    assert not stamp.up_to_date(db, mirror)


def test_the_package_signature_sees_an_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "pkg"
    (package / "kb").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "kb" / "lab.yaml").write_text("id: x\n")
    monkeypatch.setattr(stamp, "PACKAGE_ROOT", package)
    before = stamp.package_signature()
    (package / "__pycache__" / "m.cpython-311.pyc").write_bytes(b"compiled")
    assert stamp.package_signature() == before  # compiled files do not count
    (package / "kb" / "lab.yaml").write_text("id: xy\n")
    assert stamp.package_signature() != before


def test_the_cli_repeat_answers_without_duckdb_numpy_or_the_update(
    real_db: Path, shared_data: Path, tmp_path: Path
) -> None:
    """As a process, the unchanged repeat loads neither DuckDB nor numpy nor the update."""
    probe = (
        "import sys\n"
        "from wholeads.cli import main\n"
        "sys.argv = ['wholeads', 'update', '--mirror', sys.argv[1], '--db', sys.argv[2]]\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    heavy = {'duckdb', 'numpy', 'wholeads.ingest.update', 'wholeads.schema'}\n"
        "    print(sorted(heavy & set(sys.modules)))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", probe, str(shared_data), str(real_db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "up to date" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_without_its_stamp_the_full_path_decides_and_writes_it_again(
    real_db: Path,
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "wholeads.duckdb"
    shutil.copy2(real_db, db)
    assert not stamp.stamp_path(db).exists()
    assert run_cli(monkeypatch, "update", "--mirror", str(shared_data), "--db", str(db)) == 0
    assert "up to date" in capsys.readouterr().out  # the meta's listings said so
    assert stamp.up_to_date(db, shared_data)
    assert (
        run_cli(monkeypatch, "update", "--mirror", str(shared_data), "--db", str(db), "--json") == 0
    )
    assert json.loads(capsys.readouterr().out)["skipped"] is True


def test_run_update_answers_from_the_stamp_before_opening_the_database(
    real_db: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wholeads.ingest import update

    db = tmp_path / "wholeads.duckdb"
    shutil.copy2(real_db, db)
    opened: list[Path] = []
    real_previous = update._previous_state

    def previous(path: Path) -> update._Previous:
        opened.append(path)
        return real_previous(path)

    monkeypatch.setattr(update, "_previous_state", previous)
    assert update.run_update(db, mirror=shared_data).skipped  # no stamp yet: the meta decides
    assert opened == [db] and stamp.up_to_date(db, shared_data)
    assert update.run_update(db, mirror=shared_data).skipped
    assert opened == [db]  # the second repeat did not open the database
