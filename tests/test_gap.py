"""Frontiers over time: the lag (Epoch's horizontal gap), the gap series and its trend."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from wholeads.analysis.frontier import State, gap_series, lag_days, running_best, trend
from wholeads.analysis.points import Point
from wholeads.kb.domains import get_domain
from wholeads.query.evidence import Reader, history
from wholeads.store.files import open_readonly

D = dt.date


def pt(model: str, eco: str, value: float, released: dt.date, date: dt.date | None = None) -> Point:
    return Point(model, None, eco, None, value, date or released, released)


def states_at(points: list[Point], dates: list[dt.date]) -> list[State]:
    """Each date's state: the points released by then (a static benchmark's view)."""
    return [State(t, [p for p in points if p.released <= t]) for t in dates]


# US reaches 50 in 2024-01, 60 in 2024-07; CN reaches 50 only in 2025-01.
SERIES = [
    pt("us1", "US", 50, D(2024, 1, 1)),
    pt("us2", "US", 60, D(2024, 7, 1)),
    pt("cn1", "CN", 40, D(2024, 3, 1)),
    pt("cn2", "CN", 50, D(2025, 1, 1)),
]


def test_lag_has_the_obvious_answer() -> None:
    # At 2025-01-01 CN's best is 50; US first reached 50 on 2024-01-01: a 366-day lag.
    us = [p for p in SERIES if p.ecosystem == "US"]
    assert lag_days(us, 50, D(2025, 1, 1)) == 366
    assert lag_days(us, 61, D(2025, 1, 1)) is None  # never reached: no lag
    states = states_at(SERIES, [D(2024, 6, 1), D(2025, 1, 1)])
    series = gap_series(states, "US", "CN")
    assert [g.gap for g in series] == [10, 10]
    # 2024-06-01: CN best 40 (cn1, released 2024-03-01); US first >= 40 at 2024-01-01 -> 60
    # days = 2.0 months. 2025-01-01: CN 50 (cn2, 2025-01-01); US reached 50 on 2024-01-01 -> 12.0.
    assert [g.lag_months for g in series] == [2.0, 12.0]
    assert [s.value for s in running_best(us)] == [50, 60]


def test_lag_is_negative_when_b_leads() -> None:
    assert gap_series(states_at(SERIES, [D(2024, 2, 1)]), "US", "CN")[0].gap is None
    series = gap_series(states_at(SERIES, [D(2024, 6, 1)]), "CN", "US")
    assert series[0].gap == -10 and series[0].leader == "US" and series[0].lag_months == -2.0


def test_trend_narrowing_and_widening() -> None:
    months = [D(2025, m, 1) for m in range(1, 13)]
    narrowing = gap_series(
        [State(t, [pt("u", "US", 100, t), pt("c", "CN", 88 + i, t)]) for i, t in enumerate(months)],
        "US", "CN",
    )  # fmt: skip
    assert trend(narrowing, 6).direction == "narrowing"
    assert trend(narrowing, 12).slope_per_month == pytest.approx(-1, rel=0.05)
    widening = gap_series(
        [State(t, [pt("u", "US", 100 + i, t), pt("c", "CN", 90, t)]) for i, t in enumerate(months)],
        "US", "CN",
    )  # fmt: skip
    assert trend(widening, 12).direction == "widening"
    assert trend(widening[:1], 6).direction == "insufficient_evidence"


def test_real_gap_series_matches_arena_history(real_db: Path, shared_data: Path) -> None:
    """Each snapshot of the elo history: the gap equals best US minus best CN read from the CSV."""
    us_orgs = {"Google", "OpenAI", "Meta", "Anthropic", "Microsoft", "xAI", "Nvidia", "Amazon"}
    cn_orgs = {"Alibaba", "DeepSeek", "DeepSeek AI", "Zhipu AI", "01 AI", "Tencent", "StepFun"}
    best: dict[str, dict[str, float]] = {}
    with (shared_data / "lmarena-elo-history" / "alltime.csv").open(newline="") as f:
        for r in csv.DictReader(f):
            eco = (
                "US"
                if r["Organization"] in us_orgs
                else "CN"
                if r["Organization"] in cn_orgs
                else ""
            )
            if eco:
                day = best.setdefault(r["date"], {})
                day[eco] = max(day.get(eco, float("-inf")), float(r["rating"]))
    spec = get_domain("general")
    with open_readonly(real_db) as con:
        states = history(
            Reader(con), spec, spec.evidence[0], until=D(2025, 3, 26), since=D(2025, 1, 1),
            source="lmarena-elo-history",
        )  # fmt: skip
    series = gap_series(states, "US", "CN")
    assert len(series) >= 20
    for g in series:
        day = best[g.date.strftime("%Y%m%d")]
        assert g.gap == pytest.approx(day["US"] - day["CN"])
        assert g.lag_months is not None and g.lag_months >= 0


def test_capability_per_dollar_over_time(real_db: Path) -> None:
    """Month by month: each group's cheapest model at or above a bar and best model under a
    price cap; every model named was released by that month and clears the bar."""
    import duckdb

    from wholeads.query.answers import value_over_time

    with duckdb.connect(str(real_db), read_only=True) as con:
        out = value_over_time(
            con, "general", since=D(2025, 1, 1), until=D(2025, 12, 1), threshold=1400,
            price_cap=1.0,
        )  # fmt: skip
        released = dict(con.execute("SELECT id, available_from FROM models").fetchall())
    # Elo has no true zero: no "score per dollar", only the bar and the cap
    assert out["scale"] == "elo" and out["per_dollar_meaningful"] is False
    assert all(r["best_value"] is None for r in out["series"])
    assert any(r["best_under"] is not None for r in out["series"])
    assert all(r["best_under"]["price"] <= 1.0 for r in out["series"] if r["best_under"])
    months = sorted({r["date"] for r in out["series"]})
    assert months[0] == D(2025, 1, 1) and len(months) == 12
    us_first = min(r["date"] for r in out["series"] if r["group"] == "US" and r["cheapest_above"])
    cn_first = min(r["date"] for r in out["series"] if r["group"] == "CN" and r["cheapest_above"])
    assert us_first < cn_first  # the US reached 1400 Elo at a price first
    for r in out["series"]:
        for pick in (r["best_under"], r["cheapest_above"]):
            if pick is not None:
                assert released[pick["model_id"]] <= r["date"]
        if r["cheapest_above"] is not None:
            assert r["cheapest_above"]["score"] >= 1400
