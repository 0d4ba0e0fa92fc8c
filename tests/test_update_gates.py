"""Bad upstream data never replaces good data: the plausibility gates inside `wholeads update`,
on the real snapshots with one thing broken at a time (the cases of issue 16)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from wholeads.errors import WholeadsError
from wholeads.ingest.update import run_update
from wholeads.store.files import cache_dir, open_readonly

SCRAPE = "lmarena-scrape-2026/lmarena_top_snapshots.csv"


def _mirror(shared: Path, dest: Path, *sources: str) -> Path:
    for source in sources:
        shutil.copytree(shared / source, dest / source)
    return dest


def _one(db: Path, sql: str, *params: Any) -> Any:
    with contextlib.closing(open_readonly(db)) as con:
        row = con.execute(sql, list(params)).fetchone()
    return row[0] if row else None


def _without_ids(path: Path) -> None:
    doc = json.loads(path.read_bytes())
    for entry in doc["data"]:
        entry.pop("id")
    path.write_text(json.dumps(doc))


@pytest.fixture
def openrouter(shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A mirror with OpenRouter only, and a database built from it."""
    mirror = _mirror(shared_data, tmp_path / "mirror", "openrouter-models")
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=mirror, only=["openrouter-models"])
    return mirror, db


def _prices(db: Path) -> int:
    return int(_one(db, "SELECT count(*) FROM prices WHERE source = 'openrouter-models'"))


def test_a_source_that_lost_its_ids_fails_the_update_and_keeps_the_database(
    openrouter: tuple[Path, Path],
) -> None:
    mirror, db = openrouter
    assert _prices(db) == 361
    _without_ids(mirror / "openrouter-models" / "models.json")
    before = db.read_bytes()
    with pytest.raises(WholeadsError) as err:
        run_update(db, mirror=mirror, only=["openrouter-models"])
    message = str(err.value)
    assert message.startswith("source 'openrouter-models' failed: 364 problems for 0 records")
    assert "0 prices where the last good data had 361" in message
    assert "Most problems in openrouter-models/models.json (364, e.g. " in message
    assert db.read_bytes() == before


def test_a_key_gone_from_every_entry_refuses_the_source(openrouter: tuple[Path, Path]) -> None:
    mirror, db = openrouter
    path = mirror / "openrouter-models" / "models.json"
    doc = json.loads(path.read_bytes())
    for entry in doc["data"]:
        entry["pricing"].pop("completion", None)  # the records stay, one field is gone
    path.write_text(json.dumps(doc))
    with pytest.raises(WholeadsError, match="0 prices with a value for output_per_mtok where "
                       "the last good data had 361 \\(100% fewer\\)"):  # fmt: skip
        run_update(db, mirror=mirror, only=["openrouter-models"])
    sql = "SELECT count(output_per_mtok) FROM prices WHERE source = 'openrouter-models'"
    assert _one(db, sql) == 361


def test_with_keep_going_it_keeps_its_last_good_data_and_says_so(
    openrouter: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mirror, db = openrouter
    _without_ids(mirror / "openrouter-models" / "models.json")
    args = ["update", "--mirror", str(mirror), "--only", "openrouter-models", "--keep-going"]
    args += ["--db", str(db)]
    assert run_cli(monkeypatch, *args) == 3
    err = " ".join(capsys.readouterr().err.split())
    assert "UPDATE INCOMPLETE: 1 source failed" in err
    assert "openrouter-models — failed (kept last good data): 364 problems" in err
    assert err.rstrip().endswith("'wholeads problems' what was rejected")  # the last words
    assert _prices(db) == 361
    status = _one(db, "SELECT status FROM sources WHERE id = 'openrouter-models'")
    assert status == "failed (kept last good data)"
    # The bad file never became the last good data: the same failure again keeps the same rows.
    assert run_cli(monkeypatch, *args, "--force") == 3
    assert _prices(db) == 361


def test_keep_going_without_a_last_good_copy_never_drops_the_rows(
    openrouter: tuple[Path, Path],
) -> None:
    mirror, db = openrouter
    _without_ids(mirror / "openrouter-models" / "models.json")
    shutil.rmtree(cache_dir() / "last-good")
    before = db.read_bytes()
    with pytest.raises(WholeadsError, match="361 prices would be lost, so the database was left"):
        run_update(db, mirror=mirror, only=["openrouter-models"], keep_going=True)
    assert db.read_bytes() == before


def _edit_csv(path: Path, row: int, column: str, value: str) -> tuple[int, str]:
    """Set one cell (data row ``row``, 1-based); returns the file line and the old value."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    old = rows[row - 1][column]
    rows[row - 1][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return row + 1, old


@pytest.fixture
def scrape(shared_data: Path, tmp_path: Path) -> tuple[Path, Path]:
    mirror = _mirror(shared_data, tmp_path / "mirror", "lmarena-scrape-2026")
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=mirror, only=["lmarena-scrape-2026"])
    return mirror, db


def test_one_elo_of_1e308_is_a_problem_not_a_leader(scrape: tuple[Path, Path]) -> None:
    mirror, db = scrape
    top = _one(db, "SELECT max(value) FROM scores")
    count = _one(db, "SELECT count(*) FROM scores")
    line, _ = _edit_csv(mirror / SCRAPE, 40, "score", "1e308")
    result = run_update(db, mirror=mirror, only=["lmarena-scrape-2026"])
    assert [r.status for r in result.runs] == ["ok"]
    assert _one(db, "SELECT max(value) FROM scores") == top
    assert _one(db, "SELECT count(*) FROM scores") == count - 1
    problem = _one(db, "SELECT message FROM problems WHERE message LIKE '%1e+308%'")
    assert problem.startswith(f"{SCRAPE}:{line}: field 'value': 1e+308 is outside 0 to 3,000")


def test_a_date_in_2099_does_not_move_the_newest_evidence(scrape: tuple[Path, Path]) -> None:
    mirror, db = scrape
    newest = _one(db, "SELECT max(as_of) FROM scores")
    line, _ = _edit_csv(mirror / SCRAPE, 12, "fetched_at", "2099-01-01T00:00:00+00:00")
    run_update(db, mirror=mirror, only=["lmarena-scrape-2026"])
    assert _one(db, "SELECT max(as_of) FROM scores") == newest
    problem = _one(db, "SELECT message FROM problems WHERE message LIKE '%2099%'")
    assert problem.startswith(f"{SCRAPE}:{line}: field 'as_of': 2099-01-01 is after the snapshot")


def test_a_source_that_really_shrank_is_accepted_when_asked(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = _mirror(shared_data, tmp_path / "mirror", "livebench")
    db = tmp_path / "w.duckdb"
    run_update(db, mirror=mirror, only=["livebench"])
    tables = sorted((mirror / "livebench").glob("table_*.csv"))
    for path in tables[: len(tables) // 2 + 1]:
        path.unlink()
    args = ["update", "--mirror", str(mirror), "--only", "livebench", "--db", str(db)]
    assert run_cli(monkeypatch, *args) == 2
    assert run_cli(monkeypatch, *args, "--accept-shrink", "livebench") == 0
    assert run_cli(monkeypatch, *args, "--accept-shrink", "no-such-source") == 2


def test_problems_lists_what_was_rejected(
    scrape: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mirror, db = scrape
    line, _ = _edit_csv(mirror / SCRAPE, 40, "score", "-5000")
    run_update(db, mirror=mirror, only=["lmarena-scrape-2026"])
    capsys.readouterr()
    args = ["problems", "--source", "lmarena-scrape-2026", "--json", "--db", str(db)]
    assert run_cli(monkeypatch, *args) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["problem"] for r in rows] == [
        f"{SCRAPE}:{line}: field 'value': -5000 is outside 0 to 3,000 (Elo) for "
        "lmarena-text-full; score rejected"
    ]
