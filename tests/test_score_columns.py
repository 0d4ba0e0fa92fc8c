"""Scores as columns (``ingest/score_columns.py``): they read back as the records they came
from, group rows in order of first appearance, and the build that resolves and writes them
stores what the raw files say, whether a source was parsed in the worker or in the update."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import pickle
from pathlib import Path

import duckdb
import pytest

from conftest import raw_source
from wholeads.ingest import parallel
from wholeads.ingest.parse import ParseJob, checked
from wholeads.ingest.score_columns import ScoreColumns
from wholeads.ingest.update import run_update
from wholeads.schema import Provenance, ScoreRecord
from wholeads.store.tables import ALL

DAY = dt.date(2025, 1, 1)


def _score(name: str, day: dt.date = DAY, lab: str | None = None, **more: object) -> ScoreRecord:
    values: dict[str, object] = {"benchmark": "b", "value": 1.0, **more}
    return ScoreRecord(
        name=name, lab=lab, as_of=day, prov=Provenance(source="s", file="f.csv", row=7), **values
    )  # type: ignore[arg-type]


def test_groups_are_numbered_in_order_of_first_appearance() -> None:
    names = ["b", "a", "b", "c", "a"]
    groups = ScoreColumns.of([_score(n) for n in names]).groups("name")
    assert groups.first.tolist() == [0, 1, 3]
    assert groups.of_row.tolist() == [0, 1, 0, 2, 1]
    assert groups.sizes.tolist() == [2, 2, 1]


def test_groups_of_several_columns_tell_a_missing_lab_from_a_given_one() -> None:
    scores = [
        _score("m"),
        _score("m", lab="x"),
        _score("m", day=DAY + dt.timedelta(1)),
        _score("m"),
    ]
    groups = ScoreColumns.of(scores).groups("name", "lab", "as_of")
    assert groups.of_row.tolist() == [0, 1, 2, 0]


def test_first_dates_give_each_name_and_lab_its_earliest_day() -> None:
    late, early = dt.date(2025, 3, 1), dt.date(2024, 12, 1)
    scores = [
        _score("m", late),
        _score("n", late, lab="x"),
        _score("m", early),
        _score("m", lab="x"),
    ]
    assert list(ScoreColumns.of(scores).first_dates()) == [
        ("m", None, early),
        ("n", "x", late),
        ("m", "x", DAY),
    ]


def test_absent_and_given_optional_values_read_back_as_they_were() -> None:
    given = _score("m", ci_low=0.5, ci_high=1.5, n=12_345_678_901, setting="style_control")
    absent = _score("m", dated_by="snapshot")
    unnumbered = ScoreRecord(
        name="m", benchmark="b", value=2.0, as_of=DAY, prov=Provenance(source="s", file="f.json")
    )
    columns = ScoreColumns.of([given, absent, unnumbered])
    assert list(columns) == [given, absent, unnumbered]
    assert columns[-1] == unnumbered and columns[1:] == [absent, unnumbered]
    with pytest.raises(IndexError):
        columns[3]


def test_a_real_batch_reads_back_the_same_through_pickle(shared_data: Path) -> None:
    raw = raw_source(shared_data, "video-arena-artificialanalysis")
    scores = checked(raw.source, ParseJob(raw, None, allow_shrink=False)).batch.scores
    columns = pickle.loads(pickle.dumps(ScoreColumns.of(scores), protocol=5))
    assert len(columns) == len(scores) > 20_000
    assert columns == scores
    assert ScoreColumns.of(columns) is columns


def test_stored_category_scores_are_the_raw_rows(real_db: Path, shared_data: Path) -> None:
    """Every score of the arena category history (parsed in the worker, sent as columns) is
    the CSV line its provenance names: model, rating, interval and snapshot date."""
    path = shared_data / "lmarena-category-ratings" / "category_ratings_history.csv"
    with path.open(newline="") as f:
        raw = list(csv.DictReader(f))
    with contextlib.closing(duckdb.connect(str(real_db), read_only=True)) as con:
        stored = con.execute(
            "SELECT row, raw_name, value, ci_low, ci_high, as_of FROM scores "
            "WHERE source = 'lmarena-category-ratings' AND file = ?",
            [path.name],
        ).fetchall()
    assert len(stored) == len(raw)
    for line, name, value, low, high, day in stored:
        row = raw[line - 2]  # line 1 is the header
        expected = (row["model"], float(row["rating"]), float(row["rating_q025"]))
        assert (name, value, low) == expected, line
        assert (high, day.isoformat()) == (float(row["rating_q975"]), row["snapshot_date"]), line


def test_unmatched_score_rows_add_up_to_the_stored_unmatched_scores(real_db: Path) -> None:
    """Each unmatched (source, name) counts its stored scores without a model, and points to
    one of them."""
    with contextlib.closing(duckdb.connect(str(real_db), read_only=True)) as con:
        counted = dict(
            con.execute(
                "SELECT source || '|' || name, sum(rows) FROM unmatched WHERE kind = 'score' "
                "GROUP BY ALL"
            ).fetchall()
        )
        stored = dict(
            con.execute(
                "SELECT source || '|' || raw_name, count(*) FROM scores WHERE model_id IS NULL "
                "GROUP BY ALL"
            ).fetchall()
        )
        strays = con.execute(
            "SELECT u.source, u.name, u.file, u.row FROM unmatched u WHERE u.kind = 'score' "
            "AND NOT EXISTS (SELECT 1 FROM scores s WHERE s.model_id IS NULL "
            "AND s.source = u.source AND s.raw_name = u.name AND s.file = u.file "
            "AND s.row IS NOT DISTINCT FROM u.row)"
        ).fetchall()
    assert counted == stored and len(counted) > 100
    assert strays == []


# The columns a rebuild may change: when it ran, and when each row was written.
VOLATILE = {"migrations": ("applied_at",), "meta": ("value",), "sources": ("updated_at",)}


def test_the_worker_changes_nothing_that_is_stored(
    real_db: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that parses every source in its own process stores the same rows as the one
    whose largest sources came from the worker as columns (tables compared as multisets)."""
    monkeypatch.setattr(parallel, "SIDE_SOURCES", ())
    alone = tmp_path / "alone.duckdb"
    run_update(alone, mirror=shared_data, force=True)
    with contextlib.closing(duckdb.connect()) as con:
        con.execute(f"ATTACH '{real_db}' AS worker (READ_ONLY)")
        con.execute(f"ATTACH '{alone}' AS alone (READ_ONLY)")
        for table in ALL:
            kept = (
                f"* EXCLUDE ({', '.join(VOLATILE[table.name])})" if table.name in VOLATILE else "*"
            )
            (rows,) = con.execute(f"SELECT count(*) FROM worker.{table.name}").fetchone() or (0,)
            for a, b in (("worker", "alone"), ("alone", "worker")):
                (extra,) = con.execute(
                    f"SELECT count(*) FROM (SELECT {kept} FROM {a}.{table.name} "
                    f"EXCEPT ALL SELECT {kept} FROM {b}.{table.name})"
                ).fetchone() or (0,)
                assert extra == 0, f"{table.name}: {extra} of {rows} rows only in {a}"
        (scores,) = con.execute("SELECT count(*) FROM alone.scores").fetchone() or (0,)
    assert scores > 200_000
