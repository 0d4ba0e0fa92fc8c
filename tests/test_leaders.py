"""Who leads where: known answers from the real Arena history, no look-ahead, JSON shape."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from wholeads.analysis.leaders import significance, win_probability
from wholeads.analysis.points import Point
from wholeads.ingest.build import board_sources
from wholeads.ingest.sources import SOURCE_IDS
from wholeads.kb.domains import get_domain, load_domains
from wholeads.query import answers
from wholeads.query.evidence import Reader
from wholeads.store.derive import derive_evidence
from wholeads.store.files import building, open_readonly

D = dt.date
LABS = [("openai", "US", "US"), ("deepseek", "CN", "CN"), ("mistral", "FR", "EU")]
MODELS = [  # id, lab, release, open weights
    ("gpt-a", "openai", D(2024, 5, 1), False),
    ("gpt-b", "openai", D(2025, 1, 10), False),
    ("ds-a", "deepseek", D(2024, 12, 1), True),
    ("mi-a", "mistral", D(2024, 7, 1), True),
]
# benchmark, model, value, ci half-width, as_of, source
SCORES = [
    ("lmarena-text-full", "gpt-a", 1300, 5, D(2025, 1, 1), "arena"),
    ("lmarena-text-full", "ds-a", 1280, 5, D(2025, 1, 1), "arena"),
    ("lmarena-text-full", "gpt-a", 1290, 5, D(2025, 2, 1), "arena"),
    ("lmarena-text-full", "gpt-b", 1340, 5, D(2025, 2, 1), "arena"),
    ("lmarena-text-full", "ds-a", 1275, 5, D(2025, 2, 1), "arena"),
    ("lmarena-text-full", "mi-a", 1200, 5, D(2025, 2, 1), "arena"),
    ("epoch-eci", "gpt-a", 130, None, D(2024, 5, 1), "epoch-eci"),
    ("epoch-eci", "ds-a", 140, None, D(2024, 12, 1), "epoch-eci"),
]


def make_db(path: Path, scores: list[tuple[object, ...]] = SCORES) -> Path:
    """A tiny database with three labs, four models and a two-snapshot arena."""
    with building(path) as con:
        for lab, country, eco in LABS:
            con.execute(
                "INSERT INTO labs (id, name, country, ecosystem, curated)"
                " VALUES (?, ?, ?, ?, TRUE)",
                [lab, lab, country, eco],
            )
        for mid, lab, rel, open_w in MODELS:
            con.execute(
                "INSERT INTO models (id, name, lab_id, release_date, first_seen, open_weights,"
                " curated) VALUES (?, ?, ?, ?, ?, ?, TRUE)",
                [mid, mid, lab, rel, rel, open_w],
            )
        add_scores(con, scores)
    return path


# The fake arena sources publish complete leaderboards (see derive.derive_evidence).
BOARD_SOURCES = {"arena": ("complete", 0), "arena2": ("complete", 1)}


def add_scores(con: duckdb.DuckDBPyConnection, scores: list[tuple[object, ...]]) -> None:
    """Raw score rows (all dated by observation), then the derived columns and boards."""
    for bench, mid, value, half, as_of, source in scores:
        lo = None if half is None else value - half  # type: ignore[operator]
        hi = None if half is None else value + half  # type: ignore[operator]
        con.execute(
            "INSERT INTO scores (model_id, raw_name, benchmark_id, value, ci_low, ci_high, as_of,"
            " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [mid, mid, bench, value, lo, hi, as_of, source],
        )
    derive_evidence(con, BOARD_SOURCES)


def leaders_at(
    db: Path, as_of: dt.date, domains: list[str], **kw: object
) -> list[dict[str, object]]:
    with open_readonly(db) as con:
        reader = Reader(con)
        specs = [get_domain(d) for d in domains]
        results = answers.compute_leaders(reader, specs, as_of, **kw)  # type: ignore[arg-type]
    return [r.to_dict() for r in results]


def test_leader_uses_latest_snapshot_whole(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    (general,) = leaders_at(db, D(2025, 1, 15), ["general"])
    groups = {g["group"]: g for g in general["groups"]}  # type: ignore[union-attr]
    assert groups["US"]["model_id"] == "gpt-a" and groups["US"]["score"] == 1300
    assert general["gap"]["points"] == 20  # type: ignore[index]
    (later,) = leaders_at(db, D(2025, 3, 1), ["general"])
    groups = {g["group"]: g for g in later["groups"]}  # type: ignore[union-attr]
    assert groups["US"]["score"] == 1340 and groups["CN"]["score"] == 1275  # not 1280 (older)
    gap = later["gap"]
    assert gap["points"] == 65 and gap["significant"] is True  # type: ignore[index]
    assert gap["win_probability"] == pytest.approx(1 / (1 + 10 ** (-65 / 400)))  # type: ignore[index]
    # ECI disagrees (CN leads there): both leaders are shown, 1 of 2 sources agrees.
    assert later["agreeing"] == 1 and later["compared"] == 2
    leaders = {s["label"]: s["leader"] for s in later["sources"]}  # type: ignore[union-attr]
    assert leaders == {"lmarena-text-full": "US", "epoch-eci": "CN", "livebench-global": None}


def test_no_look_ahead(tmp_path: Path) -> None:
    """Evidence dated after the as-of date (scores, snapshots, models) never changes the answer."""
    db = make_db(tmp_path / "a.duckdb")
    before = leaders_at(db, D(2025, 1, 15), ["general", "reasoning"])
    later = make_db(tmp_path / "b.duckdb")
    with duckdb.connect(str(later)) as con:
        con.execute(
            "INSERT INTO models (id, name, lab_id, release_date, open_weights, curated)"
            " VALUES ('ds-b', 'ds-b', 'deepseek', DATE '2025-06-01', TRUE, TRUE)"
        )
        add_scores(con, [
            ("lmarena-text-full", "ds-b", 1500, 5, D(2025, 1, 10), "arena2"),  # not yet released
            ("lmarena-text-full", "ds-a", 1900, 5, D(2025, 1, 16), "arena"),
            ("epoch-eci", "gpt-a", 200, None, D(2025, 1, 20), "epoch-eci"),
            ("epoch-gpqa-diamond", "gpt-a", 90, None, D(2025, 2, 1), "epoch-benchmarks"),
        ])  # fmt: skip
    assert leaders_at(later, D(2025, 1, 15), ["general", "reasoning"]) == before


def test_missing_evidence_is_a_result(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    (video,) = leaders_at(db, D(2025, 3, 1), ["video_generation"])
    assert video["status"] == "insufficient_evidence" and video["leader"] is None
    assert "aa-video-t2v" in str(video["needed"])


def test_by_openness(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    (general,) = leaders_at(db, D(2025, 3, 1), ["general"], by="openness")
    assert general["leader"] == "closed"
    assert {g["group"]: g["model_id"] for g in general["groups"]} == {  # type: ignore[union-attr]
        "closed": "gpt-b", "open": "ds-a",
    }  # fmt: skip


def test_significance_and_win_probability() -> None:
    def p(v: float, lo: float | None, hi: float | None) -> Point:
        return Point("m", None, None, None, v, D(2025, 1, 1), D(2025, 1, 1), lo, hi)

    assert significance(p(10, 8, 12), p(5, 3, 7))[0] is True
    sig, test, z = significance(p(10, 6, 14), p(8, 4, 12))
    se = math.hypot(4 / 1.959963984540054, 4 / 1.959963984540054)
    assert sig is False and z == pytest.approx(2 / se) and "normal approximation" in test
    assert significance(p(10, None, None), p(5, 3, 7)) == (None, "no interval available", None)
    assert win_probability(400) == pytest.approx(10 / 11)


def _app() -> typer.Typer:
    from wholeads.cli import app

    return app


def test_json_shape_and_user_errors(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    runner = CliRunner()
    args = ["leaders", "--db", str(db), "--as-of", "2025-03-01", "--json"]
    out = runner.invoke(_app(), args)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [r["domain"] for r in rows] == list(load_domains())
    for row in rows:
        assert {"domain", "as_of", "status", "leader", "groups", "gap"} <= set(row)
        assert set(row["gap"]) >= {"points", "win_probability", "significant", "lag_months"}
        for g in row["groups"]:
            assert {
                "group",
                "model_id",
                "lab_id",
                "score",
                "ci_low",
                "ci_high",
                "source",
                "date",
            } <= set(g)
    for bad, msg in [
        (["--domain", "nope"], "unknown domain"),
        (["--source", "nope"], "unknown source"),
        (["--as-of", "2025-13-01"], "not a date"),
    ]:
        res = runner.invoke(_app(), ["leaders", "--db", str(db), *bad])
        assert res.exit_code != 0 and msg in str(res.exception)


# --- real data -------------------------------------------------------------------------------

US_ORGS = {"Google", "OpenAI", "Meta", "Anthropic", "Microsoft", "xAI", "Nvidia", "Amazon"}
CN_ORGS = {"Alibaba", "DeepSeek", "DeepSeek AI", "Zhipu AI", "Zhipu", "01 AI", "Tencent", "StepFun"}


def _csv_best(shared_data: Path, date: str, orgs: set[str]) -> float:
    """Best rating of a set of organizations in one alltime.csv snapshot, read independently."""
    with (shared_data / "lmarena-elo-history" / "alltime.csv").open(newline="") as f:
        return max(
            float(r["rating"]) for r in csv.DictReader(f)
            if r["date"] == date and r["Organization"] in orgs
        )  # fmt: skip


@pytest.mark.parametrize("date", ["20250128", "20250227"])
def test_known_answer_from_arena_history(real_db: Path, shared_data: Path, date: str) -> None:
    as_of = dt.datetime.strptime(date, "%Y%m%d").date()
    (general,) = leaders_at(real_db, as_of, ["general"], source="lmarena-elo-history")
    best = {g["group"]: g["score"] for g in general["groups"]}  # type: ignore[union-attr]
    us, cn = _csv_best(shared_data, date, US_ORGS), _csv_best(shared_data, date, CN_ORGS)
    assert best["US"] == pytest.approx(us) and best["CN"] == pytest.approx(cn)
    assert general["leader"] == "US"
    assert general["gap"]["points"] == pytest.approx(us - cn)  # type: ignore[index]
    assert general["gap"]["significant"] is None  # this history has no intervals


def test_real_video_before_any_evidence(real_db: Path) -> None:
    (video,) = leaders_at(real_db, D(2023, 6, 1), ["video_generation"])
    assert video["status"] == "insufficient_evidence"


def test_real_no_look_ahead(real_db: Path, tmp_path: Path) -> None:
    """Rows dated after the as-of date, added to a copy of the real database, change nothing."""
    as_of = D(2025, 3, 1)
    domains = ["general", "coding", "long_context", "price"]
    before = leaders_at(real_db, as_of, domains)
    copy = tmp_path / "copy.duckdb"
    shutil.copy(real_db, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("""INSERT INTO scores BY NAME SELECT * REPLACE (value + 500 AS value,
                       ci_low + 500 AS ci_low, ci_high + 500 AS ci_high,
                       DATE '2025-03-02' AS as_of) FROM scores WHERE as_of <= DATE '2025-03-01'""")
        con.execute("""INSERT INTO prices BY NAME SELECT * REPLACE (0.001 AS input_per_mtok,
                       0.001 AS output_per_mtok, DATE '2025-03-02' AS valid_from) FROM prices""")
        derive_evidence(con, board_sources(SOURCE_IDS))
    assert leaders_at(copy, as_of, domains) == before
