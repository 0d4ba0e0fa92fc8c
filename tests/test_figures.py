"""The standard figures (issue 14): the gap in percent, top vs 10th, the average lag with its
interval, home field. Known answers come from the raw files in ../shared/data (rows cited), or
from small series worked by hand; each method also meets missing data."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import asgi_request, run_cli
from wholeads.analysis.frontier import GapPoint, State, gap_series
from wholeads.analysis.home_field import home_field
from wholeads.analysis.lag_summary import block_bootstrap_means, month_starts, summarize_lag
from wholeads.analysis.points import BoardInfo, Point
from wholeads.analysis.spread import spreads
from wholeads.cli import app
from wholeads.query.answers import gap_report
from wholeads.query.figures import (
    compute_report,
    forecast_report,
    home_field_report,
    lag_report,
    notable_report,
    spread_report,
)
from wholeads.store.files import open_readonly

D = dt.date
Z95 = 1.959963984540054
runner = CliRunner()

US_ORGS = {"Google", "OpenAI", "Anthropic", "Meta", "xAI", "Microsoft", "Nvidia", "Amazon"}
CN_ORGS = {"Alibaba", "DeepSeek", "DeepSeek AI", "Zhipu AI", "Zhipu", "01 AI", "StepFun",
           "Tencent", "InternLM", "Tsinghua"}  # fmt: skip


def pt(model: str, eco: str | None, value: float, released: dt.date, **kw: Any) -> Point:
    return Point(model, None, eco, None, value, released, released, **kw)


def elo_history(shared: Path, day: str) -> list[dict[str, str]]:
    """One snapshot of lmarena-elo-history/alltime.csv (columns key, rating, Organization)."""
    with (shared / "lmarena-elo-history" / "alltime.csv").open(newline="") as f:
        return [r for r in csv.DictReader(f) if r["date"] == day]


def best(rows: list[dict[str, str]], orgs: set[str]) -> tuple[str, float]:
    r = max((r for r in rows if r["Organization"] in orgs), key=lambda r: float(r["rating"]))
    return r["key"], float(r["rating"])


# --- gap as a percentage ------------------------------------------------------------------


def test_gap_percent_is_the_ai_index_figure(real_db: Path, shared_data: Path) -> None:
    """AI Index 2025: 1.70% (about 1,385 vs 1,362) in mid-February 2025. The raw rows of
    alltime.csv dated 20250214: best US gemini-2.0-flash-thinking-exp-01-21 (Google) 1384.63,
    best CN deepseek-r1 (DeepSeek) 1361.45."""
    rows = elo_history(shared_data, "20250214")
    us, cn = best(rows, US_ORGS), best(rows, CN_ORGS)
    assert us[0] == "gemini-2.0-flash-thinking-exp-01-21" and cn[0] == "deepseek-r1"
    expected = 100 * (us[1] - cn[1]) / cn[1]
    assert round(expected, 2) == 1.70
    with open_readonly(real_db) as con:
        out = gap_report(con, "general", since=D(2025, 2, 14), until=D(2025, 2, 14))
    (point,) = out["series"]
    assert (point["a_model"], point["b_model"]) == (us[0], cn[0])
    assert point["percent"] == pytest.approx(expected, abs=1e-9)
    assert point["gap"] == pytest.approx(us[1] - cn[1], abs=1e-9)
    assert point["win_probability"] == pytest.approx(1 / (1 + 10 ** (-(us[1] - cn[1]) / 400)))


def test_gap_percent_is_signed_and_only_on_ratio_scales() -> None:
    states = [State(D(2025, 1, 1), [pt("u", "US", 990, D(2024, 1, 1)),
                                    pt("c", "CN", 1100, D(2024, 6, 1))])]  # fmt: skip
    (g,) = gap_series(states, "US", "CN", scale="elo")
    assert g.percent == pytest.approx(-100 * 110 / 990)  # CN leads: share of US's best, negative
    assert g.win_probability == pytest.approx(1 / (1 + 10 ** (110 / 400)))
    (h,) = gap_series(states, "US", "CN", scale="flop")
    assert h.percent is None and h.win_probability is None
    missing = gap_series([State(D(2025, 1, 1), [pt("u", "US", 990, D(2024, 1, 1))])], "US", "CN",
                         scale="elo")  # fmt: skip
    assert missing[0].percent is None and missing[0].gap is None


# --- top vs 10th ----------------------------------------------------------------------------


def test_spread_matches_the_raw_board(real_db: Path, shared_data: Path) -> None:
    """alltime.csv 20250214: ranked by rating, 1st gemini-2.0-flash-thinking-exp-01-21 1384.63,
    10th gemini-2.0-flash-001 1354.84; among US organisations the 10th is o1-2024-12-17."""
    rows = sorted(elo_history(shared_data, "20250214"), key=lambda r: -float(r["rating"]))
    top, tenth = float(rows[0]["rating"]), float(rows[9]["rating"])
    us = [r for r in rows if r["Organization"] in US_ORGS]
    with open_readonly(real_db) as con:
        out = spread_report(con, "general", since=D(2025, 2, 14), until=D(2025, 2, 14))
    got = {r["group"]: r for r in out["series"]}
    assert got["all"]["kth_model"] == rows[9]["key"] == "gemini-2.0-flash-001"
    assert got["all"]["spread"] == pytest.approx(top - tenth, abs=1e-9)
    assert got["all"]["percent"] == pytest.approx(100 * (top - tenth) / tenth, abs=1e-9)
    assert got["US"]["kth_model"] == us[9]["key"] == "o1-2024-12-17"
    assert got["US"]["spread"] == pytest.approx(float(us[0]["rating"]) - float(us[9]["rating"]))


def test_spread_with_too_few_models_and_on_a_top_n_board() -> None:
    day = D(2025, 6, 1)
    points = [pt(f"u{i}", "US", 1500 - 10 * i, day, ci_low=1490 - 10 * i, ci_high=1510 - 10 * i)
              for i in range(3)] + [pt("c0", "CN", 1450, day)]  # fmt: skip
    complete = BoardInfo(date=day, source="x", rows=4, coverage="complete", top=1500, cutoff=1450)
    rows = {r.group: r for r in spreads([State(day, points, complete)], k=3)}
    # US: 1500 - 1480 = 20; se = hypot(20/(2*1.96), 20/(2*1.96)); interval 20 +- 1.96 * se
    half = Z95 * math.hypot(20 / (2 * Z95), 20 / (2 * Z95))
    assert rows["US"].spread == 20 and rows["US"].ci_low == pytest.approx(20 - half)
    assert rows["all"].kth_model == "u2" and rows["all"].ci_low is not None
    assert rows["CN"].spread is None and rows["CN"].at_least is None  # one model: no spread
    top_n = BoardInfo(date=day, source="x", rows=4, coverage="top_n", top=1500, cutoff=1440)
    censored = {r.group: r for r in spreads([State(day, points, top_n)], k=3)}
    assert censored["CN"].spread is None and censored["CN"].at_least == 10  # 1450 - 1440
    assert "EU" not in rows  # a group with no model has no row
    with pytest.raises(ValueError, match="at least 2"):
        spreads([], k=1)


# --- the average lag ------------------------------------------------------------------------


def gp(day: dt.date, lag: float | None) -> GapPoint:
    return GapPoint(date=day, a_best=1.0, a_model="a", b_best=0.0, b_model="b", gap=1.0,
                    leader="US", lag_months=lag)  # fmt: skip


def test_average_lag_worked_by_hand() -> None:
    # Lags in force on the first of Jan..Jun 2025: 2, 2, 4, 4, 4, 6 -> mean 22/6.
    series = [gp(D(2024, 12, 20), 2.0), gp(D(2025, 2, 15), 2.0), gp(D(2025, 3, 1), 4.0),
              gp(D(2025, 5, 10), 6.0)]  # fmt: skip
    s = summarize_lag(series, D(2025, 1, 1), D(2025, 6, 30))
    assert s.months == 6 and s.missing_months == 0 and s.mean_months == pytest.approx(22 / 6)
    assert s.status == "ok" and s.latest_months == 6.0
    assert s.ci_low is not None and s.ci_high is not None
    assert 2.0 <= s.ci_low <= s.mean_months <= s.ci_high <= 6.0
    constant = summarize_lag([gp(D(2024, 1, 1), 3.0)], D(2025, 1, 1), D(2025, 12, 31))
    assert (constant.mean_months, constant.ci_low, constant.ci_high) == (3.0, 3.0, 3.0)


def test_average_lag_series_starting_mid_window() -> None:
    series = [gp(D(2025, 4, 10), 5.0), gp(D(2025, 7, 2), None), gp(D(2025, 8, 1), 7.0)]
    s = summarize_lag(series, D(2025, 1, 1), D(2025, 9, 30))
    # Jan-Apr: before the series; May, Jun: 5; Jul: 5 (the 07-02 state comes after the 1st);
    # Aug, Sep: 7 -> 5 samples, 4 missing, mean 29/5
    assert (s.months, s.missing_months, s.first_sample) == (5, 4, D(2025, 5, 1))
    assert s.mean_months == pytest.approx(29 / 5)
    short = summarize_lag(series, D(2025, 5, 1), D(2025, 6, 30))
    assert short.status == "no_interval" and short.ci_low is None and short.mean_months == 5.0
    none = summarize_lag([], D(2025, 1, 1), D(2025, 3, 1))
    assert none.status == "insufficient_evidence" and none.missing_months == 3


def test_block_bootstrap_keeps_blocks() -> None:
    values = np.array([0.0, 0.0, 0.0, 10.0, 10.0, 10.0])
    means = block_bootstrap_means(values, 3, 500, np.random.default_rng(1))
    # blocks of 3 from 6 values: start 0..3, two blocks; every resample mean is a mean of two
    # windows [0,0,0], [0,0,10], [0,10,10], [10,10,10] -> multiples of 10/6
    assert np.allclose(np.round(means * 6 / 10), means * 6 / 10)
    assert means.min() >= 0 and means.max() <= 10
    assert month_starts(D(2025, 1, 15), D(2025, 4, 1)) == [D(2025, 2, 1), D(2025, 3, 1),
                                                           D(2025, 4, 1)]  # fmt: skip


def test_lag_report_is_the_gap_series_sampled_monthly(real_db: Path) -> None:
    """The average equals the mean of the gap series' lag in force on each month's first day
    (a check of the wiring; the lag itself is tested against the arena files in test_gap)."""
    with open_readonly(real_db) as con:
        out = lag_report(con, ["general"], D(2025, 1, 1), D(2025, 6, 30))
        gap = gap_report(con, "general", until=D(2025, 6, 30))
    row = next(r for r in out["rows"] if r["a"] == "US")
    lags = []
    for first in [D(2025, m, 1) for m in range(1, 7)]:
        before = [g for g in gap["series"] if g["date"] <= first]
        if before and before[-1]["lag_months"] is not None:
            lags.append(before[-1]["lag_months"])
    assert row["months"] == len(lags) > 0
    assert row["mean_months"] == pytest.approx(sum(lags) / len(lags))
    assert row["ci_low"] <= row["mean_months"] <= row["ci_high"]


# --- home field -----------------------------------------------------------------------------


def category_board(shared: Path, day: str, category: str) -> list[dict[str, str]]:
    """One board of lmarena-category-ratings (text arena, no style control)."""
    with (shared / "lmarena-category-ratings" / "category_ratings_history.csv").open() as f:
        return [r for r in csv.DictReader(f) if (r["snapshot_date"], r["arena"],
                r["style_control"], r["category"]) == (day, "text", "0", category)]  # fmt: skip


US_PREFIXES = ("gemini", "gpt", "chatgpt", "claude", "grok", "early-grok", "o1", "o3", "llama")
CN_PREFIXES = ("deepseek", "qwen", "glm", "hunyuan", "yi-", "step", "doubao", "kimi")


def best_of(rows: list[dict[str, str]], prefixes: tuple[str, ...]) -> dict[str, str]:
    return max(
        (r for r in rows if r["model"].startswith(prefixes)), key=lambda r: float(r["rating"])
    )


def test_home_field_matches_the_category_files(real_db: Path, shared_data: Path) -> None:
    """category_ratings_history.csv, 2025-03-07, text, no style control: in Chinese
    gemini-2.0-flash-thinking-exp-01-21 1510.83 [1491.2, 1526.43] vs deepseek-r1; in English
    grok-3-preview-02-24 vs deepseek-r1."""
    diffs, ses = [], []
    for category in ("chinese", "english"):
        rows = category_board(shared_data, "2025-03-07", category)
        us, cn = best_of(rows, US_PREFIXES), best_of(rows, CN_PREFIXES)
        diffs.append(float(us["rating"]) - float(cn["rating"]))
        ses.append(math.hypot(*((float(r["rating_q975"]) - float(r["rating_q025"])) / (2 * Z95)
                                for r in (us, cn))))  # fmt: skip
    expected = diffs[0] - diffs[1]
    half = Z95 * math.hypot(*ses)
    with open_readonly(real_db) as con:
        out = home_field_report(con, since=D(2025, 3, 7), until=D(2025, 3, 7))
    (row,) = out["series"]
    assert row["home"]["a_model"] == "gemini-2.0-flash-thinking-exp-01-21"
    assert row["difference"] == pytest.approx(expected, abs=1e-9)
    assert row["ci_low"] == pytest.approx(expected - half, abs=1e-9)
    assert row["ci_high"] == pytest.approx(expected + half, abs=1e-9)


def test_home_field_needs_both_boards_and_both_groups() -> None:
    d1, d2, d3 = D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)
    full = [pt("u", "US", 1400, d1, ci_low=1390, ci_high=1410), pt("c", "CN", 1380, d1)]
    home = [State(d1, full), State(d2, full), State(d3, full[:1])]
    away = [State(d1, [pt("u", "US", 1300, d1), pt("c", "CN", 1250, d1)]), State(d3, full)]
    rows = home_field(home, away)
    # d2: no away board; d3: CN missing from the home board -> only d1, 20 - 50 = -30
    assert [(r.date, r.difference) for r in rows] == [(d1, -30)]
    assert rows[0].ci_low is None  # CN's rows carry no interval


# --- the surfaces ---------------------------------------------------------------------------


def _run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "key"),
    [(("gap", "--domain", "general", "--from", "2025-02-01", "--to", "2025-03-01"), "series"),
     (("spread", "--from", "2025-02-01", "--to", "2025-03-01"), "series"),
     (("lag", "--domain", "general"), "rows"),
     (("home-field",), "series"), (("compute",), "fits"),
     (("compute", "--frontier"), "frontier"),
     (("benchmark-gaps", "--benchmark", "ext-mmlu", "--benchmark", "lmarena-text-full"), "rows"),
     (("frontier", "--benchmark", "ext-mmlu"), "frontier"),
     (("availability",), "ecosystems"),
     (("forecast", "--domain", "general"), "rows"),
     (("notable", "--from-year", "2023"), "rows"), (("notable", "--totals"), "years")],
)  # fmt: skip
def test_commands_print_json_and_csv(real_db: Path, args: tuple[str, ...], key: str) -> None:
    code, out = _run(real_db, *args, "--json")
    assert code == 0, out
    data = json.loads(out)
    assert data[key]
    code, text = _run(real_db, *args, "--csv")
    assert code == 0, text
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(data[key])


@pytest.mark.parametrize(
    "args",
    [("spread", "--k", "1"), ("spread", "--domain", "nope"), ("lag", "--from", "2026-13-01"),
     ("home-field", "--to", "garbage"), ("spread", "--json", "--csv"),
     ("leaders", "--benchmark", "nope"), ("gap",), ("gap", "--domain", "general", "--benchmark",
     "ext-mmlu"), ("benchmark-gaps", "--first-year", "1900"),
     ("availability", "--memory-gb", "-3"), ("availability", "--source", "nope"),
     ("forecast", "--backtest-from", "2030-01-01"), ("forecast", "--domain", "nope"),
     ("notable", "--from-year", "2025", "--to-year", "2020")],
)  # fmt: skip
def test_bad_input_is_one_line_and_non_zero(
    real_db: Path, args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    code = run_cli(monkeypatch, *args, "--db", str(real_db))
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err and err.strip()


@pytest.fixture(scope="module")
def web(real_db: Path) -> Any:
    from wholeads.web.app import create_app

    return create_app(real_db)


def api(web: Any, path: str) -> Any:
    return asgi_request(web, "GET", path)


def test_api_gives_the_same_answers(web: Any, real_db: Path) -> None:
    r = api(web, "/api/figures/gap?domain=general&from=2025-02-14&to=2025-02-14")
    assert r.status_code == 200, r.text
    assert round(r.json()["series"][0]["percent"], 2) == 1.70
    spread = api(web, "/api/figures/spread?from=2025-02-14&to=2025-02-14").json()
    assert {x["group"]: x["kth_model"] for x in spread["series"]}["all"] == "gemini-2.0-flash-001"
    lag = api(web, "/api/figures/lag?domain=general&from=2025-01-01&to=2025-06-30").json()
    with open_readonly(real_db) as con:
        direct = lag_report(con, ["general"], D(2025, 1, 1), D(2025, 6, 30))
    assert [x["mean_months"] for x in lag["rows"]] == [x["mean_months"] for x in direct["rows"]]
    bench = api(web, "/api/figures/benchmark-leaders?benchmark=ext-mmlu").json()
    assert bench[0]["gap"]["points"] == pytest.approx(88.1 - 87.2)
    gaps = api(web, "/api/figures/benchmark-gaps?benchmark=ext-mmlu&first_year=2025").json()
    assert gaps["rows"][0]["a_model"] == "gpt-4o-2024-11-20"
    via = api(web, "/api/figures/gap?benchmark=ext-mmlu").json()
    assert via["series"][-1]["percent"] == pytest.approx(100 * 0.9 / 87.2)
    avail = api(web, "/api/figures/availability?memory_gb=24").json()
    assert avail["fit_budget"] and all(m["memory_gb_4bit"] <= 24 for m in avail["fit_budget"])
    fc = api(web, "/api/figures/forecast?domain=general").json()
    assert "calibration" in fc and fc["rows"][0]["domain"] == "general"
    compute = api(web, "/api/figures/compute?k=10").json()
    assert compute["months_behind"] is not None and compute["fits"]
    notable = api(web, "/api/figures/notable?from_year=2023&to_year=2024").json()
    with open_readonly(real_db) as con:
        assert notable["rows"] == json.loads(json.dumps(notable_report(con, 2023, 2024)["rows"]))
    home = api(web, "/api/figures/home-field?a=us&b=cn").json()
    assert home["a"] == "US" and home["series"]
    spec = api(web, "/openapi.json").json()
    assert "moving-block bootstrap" in spec["paths"]["/api/figures/lag"]["get"]["description"]


@pytest.mark.parametrize(
    "path",
    ["/api/figures/spread?k=1", "/api/figures/gap?domain=nope", "/api/figures/lag?from=garbage",
     "/api/figures/home-field?a=zz", "/api/figures/compute?k=0",
     "/api/figures/spread?to=2999-01-01", "/api/figures/benchmark-leaders?benchmark=nope",
     "/api/figures/benchmark-leaders", "/api/figures/benchmark-gaps?first_year=1900",
     "/api/figures/availability?memory_gb=0", "/api/figures/availability?source=nope",
     "/api/figures/lag?from=2025-06-01&to=2025-01-01", "/api/figures/notable?from_year=1900",
     "/api/figures/notable?from_year=2025&to_year=2020"],
)  # fmt: skip
def test_api_rejects_bad_parameters(web: Any, path: str) -> None:
    r = api(web, path)
    assert r.status_code == 422, r.text
    assert "Traceback" not in r.text


def test_report_has_a_section_and_chart_per_figure(real_db: Path) -> None:
    from wholeads.query.evidence import Reader
    from wholeads.report.figures import figure_sections
    from wholeads.report.render import render_md

    with open_readonly(real_db) as con:
        reader = Reader(con)
        sections = figure_sections(con, reader, D(2025, 12, 31))
    assert [s.id for s in sections] == [
        "gap-percent", "spread", "lag", "home-field", "compute", "benchmark-gaps", "availability",
        "forecast", "notable",
    ]  # fmt: skip
    for s in sections:
        assert s.method and s.uncertainty and s.today
        assert s.chart.get("mark", {}).get("type") != "text", s.id  # drawn, not the empty note
    assert "moving-block bootstrap" in sections[2].uncertainty
    from wholeads.report import build

    fake = build.Report(D(2025, 12, 31), D(2025, 9, 30), [], [], {}, [],
                        build.Changes(D(2025, 9, 30), [], []), None, figures=sections)  # fmt: skip
    md = render_md(fake)
    assert "## Standard figures" in md and "charts/figure-home-field.svg" in md


# --- training compute -----------------------------------------------------------------------


def test_compute_fit_worked_by_hand() -> None:
    from wholeads.analysis.compute_trend import (
        fit_growth,
        months_behind,
        rolling_frontier,
        years,
    )

    start = D(2020, 1, 1)
    # US grows exactly x10 a year from 1e22; CN exactly x10 a year from 1e21 (one year behind)
    us = [pt(f"u{i}", "US", 1e22 * 10 ** (years(D(2020 + i, 1, 1)) - years(start)),
             D(2020 + i, 1, 1)) for i in range(4)]  # fmt: skip
    cn = [pt(f"c{i}", "CN", 1e21 * 10 ** (years(D(2020 + i, 1, 1)) - years(start)),
             D(2020 + i, 1, 1)) for i in range(4)]  # fmt: skip
    small = pt("tiny", "US", 1e10, D(2021, 6, 1))  # never among the 2 largest: off the frontier
    runs = rolling_frontier([*us, *cn, small], k=2)
    assert "tiny" not in {r.model_id for r in runs} and len(runs) == 8
    end = D(2023, 1, 1)
    fa, fb = fit_growth(runs, "US", start, end), fit_growth(runs, "CN", start, end)
    assert fa.growth_per_year == pytest.approx(10) and fa.doubling_months == pytest.approx(
        12 * math.log10(2)
    )
    assert fa.growth_ci_low == pytest.approx(10) and fa.growth_ci_high == pytest.approx(10)
    assert months_behind(fa, fb) == pytest.approx(12)


def test_compute_with_missing_years_and_groups() -> None:
    from wholeads.analysis.compute_trend import fit_growth, rolling_frontier

    # CN has runs in 2020 and 2023 only (no CN model in 2021-2022), EU has one
    pts = [pt("c1", "CN", 1e21, D(2020, 3, 1)), pt("c2", "CN", 1e23, D(2023, 3, 1)),
           pt("c3", "CN", 1e22, D(2023, 4, 1)), pt("e1", "EU", 1e22, D(2022, 1, 1))]  # fmt: skip
    runs = rolling_frontier(pts, k=10)
    cn = fit_growth(runs, "CN", D(2020, 1, 1), D(2023, 12, 31))
    assert cn.status == "ok" and cn.models == 3 and cn.growth_ci_low < cn.growth_per_year
    eu = fit_growth(runs, "EU", D(2020, 1, 1), D(2023, 12, 31))
    assert eu.status == "insufficient_evidence" and eu.growth_per_year is None
    late = fit_growth(runs, "CN", D(2024, 1, 1), D(2024, 12, 31))  # the series ended before
    assert late.status == "insufficient_evidence" and late.models == 0


def test_compute_frontier_tops_match_epoch_notable_models(real_db: Path, shared_data: Path) -> None:
    """notable_ai_models.csv: the largest 'Training compute (FLOP)' among rows whose only
    country is China is Doubao-pro (ByteDance, 2024-10-28, 2.505e25)."""
    with (shared_data / "epoch-notable-models" / "notable_ai_models.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["Training compute (FLOP)"]]
    only_cn = [r for r in rows if set(r["Country (of organization)"].split(",")) == {"China"}]
    top = max(only_cn, key=lambda r: float(r["Training compute (FLOP)"]))
    assert (top["Model"], top["Publication date"]) == ("Doubao-pro", "2024-10-28")
    with open_readonly(real_db) as con:
        out = compute_report(con)
    cn = max((r for r in out["frontier"] if r["group"] == "CN"), key=lambda r: r["flop"])
    assert cn["flop"] == float(top["Training compute (FLOP)"])
    assert cn["released"] == D(2024, 10, 28) and cn["model_id"].startswith("doubao-pro")
    fits = {f["group"]: f for f in out["fits"]}
    assert (
        fits["US"]["growth_ci_low"] < fits["US"]["growth_per_year"] < fits["US"]["growth_ci_high"]
    )


# --- any benchmark --------------------------------------------------------------------------

CN_NAMES = ("DeepSeek", "Qwen", "Yi", "GLM", "ChatGLM", "Baichuan", "InternLM", "Hunyuan", "Kimi")
US_NAMES = ("GPT", "Claude", "Gemini", "Llama", "LLaMA", "Phi", "Amazon", "Grok", "o1", "o3")


def test_any_benchmark_is_asked_like_a_domain(real_db: Path, shared_data: Path) -> None:
    """epoch-benchmarks/external_benchmark_mmlu.csv (column EM): best US GPT-4o
    (gpt-4o-2024-11-20) 88.1%, best CN DeepSeek v3 87.2%."""
    path = shared_data / "epoch-benchmarks" / "external_benchmark_mmlu.csv"
    with path.open(encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["EM"]]

    def top(prefixes: tuple[str, ...]) -> float:
        return max(float(r["EM"].rstrip("%")) for r in rows if r["Name"].startswith(prefixes))

    us, cn = top(US_NAMES), top(CN_NAMES)
    assert (us, cn) == (88.1, 87.2)
    code, out = _run(real_db, "leaders", "--benchmark", "ext-mmlu", "--json")
    assert code == 0, out
    (result,) = json.loads(out)
    best = {g["group"]: g for g in result["groups"]}
    assert (best["US"]["model_id"], best["US"]["score"]) == ("gpt-4o-2024-11-20", us)
    assert (best["CN"]["model_id"], best["CN"]["score"]) == ("deepseek-v3", cn)
    assert result["gap"]["points"] == pytest.approx(us - cn)
    assert result["gap"]["percent"] == pytest.approx(100 * (us - cn) / cn)


def test_an_arena_benchmark_answers_as_its_domain_does(real_db: Path) -> None:
    """Consistency (not a raw-file answer): the general domain's first entry is this arena."""
    code, out = _run(real_db, "leaders", "--benchmark", "lmarena-text-full", "--as-of",
                     "2025-02-14", "--json")  # fmt: skip
    assert code == 0, out
    gap = json.loads(out)[0]["gap"]
    assert round(gap["percent"], 2) == 1.70 and gap["lag_months"] is not None
    code, out = _run(real_db, "gap", "--benchmark", "lmarena-text-full", "--from", "2025-02-14",
                     "--to", "2025-02-14", "--json")  # fmt: skip
    assert code == 0 and round(json.loads(out)["series"][0]["percent"], 2) == 1.70


def test_year_end_gaps_respect_valid_time(real_db: Path) -> None:
    """Epoch's MMLU table is a snapshot of 2025-12-03: no value before it, so the 2024 year-end
    has no gap, and 2025's is the 88.1 vs 87.2 of the file."""
    from wholeads.query.benchmark_domains import year_end_gaps, year_ends

    assert year_ends(2023, D(2025, 6, 1)) == [D(2023, 12, 31), D(2024, 12, 31), D(2025, 6, 1)]
    with open_readonly(real_db) as con:
        out = year_end_gaps(con, ["ext-mmlu"], 2024, D(2026, 1, 31))
    by_date = {r["date"]: r for r in out["rows"]}
    assert by_date[D(2024, 12, 31)]["gap"] is None and by_date[D(2024, 12, 31)]["a_model"] is None
    assert by_date[D(2025, 12, 31)]["gap"] == pytest.approx(88.1 - 87.2)
    assert by_date[D(2025, 12, 31)]["percent"] == pytest.approx(100 * 0.9 / 87.2)


def test_unknown_benchmark_names_close_ones(real_db: Path) -> None:
    from wholeads.errors import UserError
    from wholeads.query.benchmark_domains import find_benchmark

    with open_readonly(real_db) as con, pytest.raises(UserError, match="ext-mmlu"):
        find_benchmark(con, "mmlu-x")
    with open_readonly(real_db) as con, pytest.raises(UserError, match="did you mean"):
        find_benchmark(con, "MMLU")


# --- availability ---------------------------------------------------------------------------


def test_availability_counts_worked_by_hand() -> None:
    from wholeads.analysis.availability import Listing, per_ecosystem, per_model

    rows = [Listing("a", "p1", "CN", True, 32.8), Listing("a", "p2", "CN", True, 32.8),
            Listing("a", "p1", "CN", True, 32.8),  # the same provider twice counts once
            Listing("b", "p3", "CN", True, None),  # size undisclosed: cannot be placed
            Listing("c", "p1", "US", False, 8.0),  # closed: never runs locally
            Listing("d", "p2", "US", True, 70.0)]  # fmt: skip
    models = {m.model_id: m for m in per_model(rows, budget_gb=20)}
    # 32.8B at 4 bits = 16.4 GB, x1.2 runtime overhead = 19.7 GB <= 20
    assert (models["a"].providers, models["a"].memory_gb_4bit, models["a"].fits) == (2, 19.7, True)
    assert models["b"].fits is None and models["c"].fits is None and models["d"].fits is False
    eco = {e.ecosystem: e for e in per_ecosystem(list(models.values()), 20)}
    assert (eco["CN"].models, eco["CN"].median_providers, eco["CN"].providers) == (2, 1.5, 3)
    assert (eco["CN"].fit_budget, eco["US"].fit_budget, eco["US"].open_weight_models) == (1, 0, 1)
    assert per_model(rows)[0].fits is None  # no budget, no verdict


def test_availability_matches_the_models_dev_tree(real_db: Path, shared_data: Path) -> None:
    """models-dev/providers/*/models/**/deepseek-r1.toml (any case) with a [cost] table: 15
    providers. Two differ from the database, each for a reason seen in the files: drun lists it
    as 'public/deepseek-r1' (a route prefix no rule resolves), and amazon-bedrock lists it as
    'deepseek.r1-v1:0' (resolved, under another file name). Companies, not catalog keys, are
    counted (kb/providers.yaml): azure and azure-cognitive-services are both Microsoft's, and
    siliconflow and siliconflow-cn both SiliconFlow's, so 15 folders are 13 providers."""
    root = shared_data / "models-dev" / "providers"
    priced = {
        path.relative_to(root).parts[0]
        for path in root.glob("*/models/**/*.toml")
        if path.stem.lower() == "deepseek-r1" and "\n[cost]" in path.read_text()
    }
    assert len(priced) == 15 and "drun" in priced
    same_company = {"azure-cognitive-services": "azure", "siliconflow-cn": "siliconflow"}
    expected = len({same_company.get(p, p) for p in priced - {"drun"} | {"amazon-bedrock"}})
    from wholeads.query.availability import availability_report

    with open_readonly(real_db) as con:
        out = availability_report(con, D(2026, 8, 22), source="models-dev")
    r1 = next(m for m in out["models"] if m["model_id"] == "deepseek-r1")
    assert r1["providers"] == expected == 13
    assert "togetherai" not in r1["provider_ids"]  # merged into the lab's id
    assert {"microsoft", "amazon", "siliconflow"} <= set(r1["provider_ids"])


# --- catch-up forecasts and their backtest --------------------------------------------------


def gp2(day: dt.date, us: float, cn: float | None) -> GapPoint:
    gap = None if cn is None else us - cn
    return GapPoint(date=day, a_best=us, a_model="u", b_best=cn, b_model="c", gap=gap,
                    leader=None if gap is None else ("US" if gap >= 0 else "CN"))  # fmt: skip


def test_forecast_worked_by_hand() -> None:
    from wholeads.analysis.catch_up import forecast_at

    # CN gains exactly 2 points per 30.4375 days from 1000 on 2024-01-01; US stays at 1040.
    def cn(day: dt.date) -> float:
        return 1000 + 2 * (day - D(2024, 1, 1)).days / 30.4375

    days = [D(2024 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 14)]
    series = [gp2(d, 1040, cn(d)) for d in days]
    f = forecast_at(series, D(2025, 1, 1), "US", "CN")
    # at 2025-01-01 CN is at 1000 + 2 * 366 / 30.4375 = 1024.05: 15.95 points to go at 2 a
    # month = 7.975 months = 242.7 days -> 2025-09-01
    assert f.status == "ok" and f.slope_per_month == pytest.approx(2)
    assert f.target == 1040 and f.trailing_best == pytest.approx(cn(D(2025, 1, 1)))
    assert f.date == D(2025, 9, 1)
    assert f.low == f.high == f.date  # an exact line: no spread


def test_backtest_scores_hits_misses_and_open() -> None:
    from wholeads.analysis.catch_up import Forecast, calibrate, score

    series = [gp2(D(2025, 1, 1), 1040, 1000), gp2(D(2025, 6, 1), 1040, 1041)]

    def fc(low: dt.date, high: dt.date | None) -> Forecast:
        return Forecast(D(2025, 1, 1), "US", "CN", 1040, 1000, 1.0, low, low, high, "ok")

    hit = score(series, fc(D(2025, 5, 1), D(2025, 7, 1)), "US", D(2026, 1, 1))
    early = score(series, fc(D(2025, 7, 1), D(2025, 9, 1)), "US", D(2026, 1, 1))
    assert hit is not None and hit.outcome == "hit" and hit.reached == D(2025, 6, 1)
    assert early is not None and early.outcome == "miss"
    never = [gp2(D(2025, 1, 1), 1040, 1000)]
    closed = score(never, fc(D(2025, 2, 1), D(2025, 3, 1)), "US", D(2026, 1, 1))
    still = score(never, fc(D(2025, 2, 1), None), "US", D(2026, 1, 1))
    assert closed is not None and closed.outcome == "miss"  # the interval closed without it
    assert still is not None and still.outcome == "open"  # no upper end: not known yet
    cal = calibrate([hit, early, closed, still])
    assert (cal.hits, cal.misses, cal.open, cal.coverage) == (1, 2, 1, pytest.approx(1 / 3))
    assert not cal.passed  # 3 scored cases are fewer than 5
    assert calibrate([hit] * 5).passed


def test_forecast_with_missing_data() -> None:
    from wholeads.analysis.catch_up import forecast_at

    # the series starts two months before the origin: too few monthly samples for a trend
    late = [gp2(D(2025, 11, 15), 1040, 1000), gp2(D(2025, 12, 15), 1040, 1010)]
    assert forecast_at(late, D(2026, 1, 1), "US", "CN").status == "insufficient_evidence"
    gone = [gp2(D(2025, 1, 1), 1040, None)]  # CN missing at the origin
    assert forecast_at(gone, D(2025, 6, 1), "US", "CN").status == "insufficient_evidence"
    flat = [gp2(D(2024, m, 1), 1040, 1000) for m in range(1, 13)]
    assert forecast_at(flat, D(2024, 12, 15), "US", "CN").status == "not_closing"


def test_a_failed_backtest_prints_no_date(real_db: Path) -> None:
    with open_readonly(real_db) as con:
        out = forecast_report(con, ["general"], until=D(2026, 8, 22))
    (row,) = out["rows"]
    c, f = row["calibration"], row["forecast"]
    assert c["hits"] + c["misses"] + c["open"] == c["cases"] == len(row["cases"])
    if not c["passed"]:
        assert f["status"] in {"failed_backtest", "not_closing", "reached"} and f["date"] is None
    for case in row["cases"]:  # every backtest forecast saw only its origin's states
        assert case["origin"] < D(2026, 8, 22)
        assert case["reached"] is None or case["reached"] > case["origin"]


def test_forecast_slope_is_the_raw_boards_trend(real_db: Path, shared_data: Path) -> None:
    """lmarena-elo-history/alltime.csv, by hand: on the first of each month from 2024-01-01 to
    2025-01-01, the best rating of a Chinese organisation on the newest board by then; numpy's
    least-squares slope of those 13 values over months before the origin is the forecast's
    trend, and the leader's best on the 2024-12-30 board its target."""
    boards: dict[dt.date, list[dict[str, str]]] = {}
    with (shared_data / "lmarena-elo-history" / "alltime.csv").open(newline="") as f:
        for r in csv.DictReader(f):
            boards.setdefault(dt.datetime.strptime(r["date"], "%Y%m%d").date(), []).append(r)

    def best_on(day: dt.date, orgs: set[str]) -> float:
        board = boards[max(d for d in boards if d <= day)]
        return max(float(r["rating"]) for r in board if r["Organization"] in orgs)

    origin = D(2025, 1, 1)
    days = [D(2024, m, 1) for m in range(1, 13)] + [origin]
    x = [(d - origin).days / 30.4375 for d in days]
    slope = float(np.polyfit(x, [best_on(d, CN_ORGS) for d in days], 1)[0])
    from wholeads.analysis.catch_up import forecast_at

    with open_readonly(real_db) as con:
        gap = gap_report(con, "general", "US", "CN", "ecosystem", None, origin)
    f = forecast_at([GapPoint(**g) for g in gap["series"]], origin, "US", "CN")
    assert (f.leader, f.trailing) == ("US", "CN")
    assert f.slope_per_month == pytest.approx(slope, abs=1e-9)
    assert slope == pytest.approx(21.48, abs=0.01)  # the hand count above, spelled out
    assert f.trailing_best == pytest.approx(best_on(origin, CN_ORGS))
    assert f.target == pytest.approx(best_on(origin, US_ORGS))
    months = (best_on(origin, US_ORGS) - best_on(origin, CN_ORGS)) / slope
    assert f.date == origin + dt.timedelta(days=round(months * 30.4375))
