"""The report's "Standard figures" sections: the gap in percent, top vs 10th, the average lag
with its interval and home field, each with its method, its uncertainty, today's value and a
chart. Built from the same answers as the commands and the API (wholeads.query)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from wholeads.charts import figures as charts
from wholeads.charts.specs import Spec
from wholeads.kb.domains import load_domains
from wholeads.query.availability import availability_report
from wholeads.query.benchmark_domains import benchmark_rows, year_end_gaps
from wholeads.query.evidence import Reader, benchmarks_of
from wholeads.query.figures import (
    GapAnswers,
    compute_report,
    forecast_report,
    home_field_report,
    lag_report,
    notable_report,
    spread_report,
)

GAP_PERCENT_METHOD = (
    "The AI Index's form: (best US - best CN) / best CN on the same LMArena text board, shown "
    "next to the gap in points and the win probability 1/(1+10^(-gap/400)). `wholeads gap`, "
    "`/api/figures/gap`."
)
SPREAD_METHOD = (
    "On each LMArena text board, the best model minus the 10th best, for the whole field and per "
    "ecosystem; in points and in percent of the 10th best. `wholeads spread`, "
    "`/api/figures/spread`."
)
LAG_METHOD = (
    "Epoch's horizontal gap (how long before the trailing group's best the leading group first "
    "reached its level, on the same board), sampled on the first of every month of the last 12 "
    "months and averaged, per domain. `wholeads lag`, `/api/figures/lag`."
)
HOME_METHOD = (
    "The US-CN gap on LMArena's Chinese-prompt boards minus the gap on its English-prompt boards, "
    "on every date with both; negative means CN does relatively better in Chinese. "
    "`wholeads home-field`, `/api/figures/home-field`."
)

COMPUTE_METHOD = (
    "Epoch's: a model is on its ecosystem's top-10 rolling frontier when, at its release, it is "
    "among the 10 largest disclosed training runs of that ecosystem so far; growth per year = "
    "10^slope of a least-squares fit of log10(FLOP) on the release date since 2018; months "
    "behind = how long before the newest run the US trend stood at the CN fitted level. "
    "`wholeads compute`, `/api/figures/compute`."
)

BENCH_GAPS_METHOD = (
    "Each benchmark of the domains (and MMLU) asked as a domain of its own under the evidence "
    "engine's rules, on 31 December of each year from 2023 and at the report's date: best US "
    "minus best CN (the chart: percent-scale benchmarks, in percentage points, as the AI Index "
    "tables them; the JSON also gives % of the trailing best). `wholeads benchmark-gaps`, "
    "`/api/figures/benchmark-gaps`; any benchmark: `wholeads leaders --benchmark ID`."
)
EXTRA_BENCHMARKS = ("ext-mmlu",)
AVAILABILITY_METHOD = (
    "A provider serves a model on the report's date when a catalog (models.dev, LiteLLM, "
    "OpenRouter, genai-prices, the price lists) lists a price for it there, valid on that date; "
    "provider spellings merged. Memory: total parameters at 4 bits plus runtime overhead. "
    "`wholeads availability`, `/api/figures/availability`."
)
FORECAST_METHOD = (
    "When CN would reach today's US best (or the reverse where CN leads), per domain: a "
    "least-squares line through the trailing ecosystem's best on the first of each of the last 12 "
    "months. Backtest: the same forecast from every month since 2024, each from only what was "
    "known then, scored against what happened. `wholeads forecast`, `/api/figures/forecast`."
)
NOTABLE_METHOD = (
    "Epoch's 'Notable AI Models' list, each model by its publication year and its "
    "organisations' countries mapped to ecosystems. Single-country: a model counts for an "
    "ecosystem only when all its organisations' countries are in it. Any participation: it "
    "counts for every ecosystem that took part, so those counts add up to more than the number "
    "of models. Frontier: Epoch's 'Frontier model' flag. Next to them, every model wholeads "
    "catalogues, by release year (catalogued by wholeads, not a notability measure). "
    "`wholeads notable`, `/api/figures/notable`."
)
MEMORY_BUDGET_GB = 24.0
"""The report's memory budget: one 24 GB consumer GPU."""


@dataclass(frozen=True)
class FigureSection:
    """One standard figure in the report."""

    id: str
    title: str
    method: str
    uncertainty: str
    today: list[str]
    """Today's value, in sentences (as of the report's date)."""
    chart: Spec


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}%"


def _last(rows: list[dict[str, Any]], **match: Any) -> dict[str, Any] | None:
    found = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    return found[-1] if found else None


def gap_percent_section(gap: dict[str, Any]) -> FigureSection:
    last = _last([g for g in gap["series"] if g["percent"] is not None])
    today = ["No date compares US and CN on this evidence."]
    if last is not None:
        today = [
            f"On the {last['date']} board: {last['a_model']} {_num(last['a_best'], 0)} vs "
            f"{last['b_model']} {_num(last['b_best'], 0)}: {_num(last['gap'])} points, "
            f"{last['percent']:+.2f}%, win probability {_num(100 * last['win_probability'])}%."
        ]
    return FigureSection(
        "gap-percent",
        "Gap as a percentage (AI Index)",
        GAP_PERCENT_METHOD,
        "None shown for the percentage itself: it is a ratio of two ratings on an arbitrary zero, "
        "comparable only within one arena; the leaders table tests the gap's significance.",
        today,
        charts.gap_percent_chart(gap),
    )


def spread_section(spread: dict[str, Any]) -> FigureSection:
    today = []
    for group in ("all", "US", "CN"):
        r = _last([x for x in spread["series"] if x["spread"] is not None], group=group)
        if r is not None:
            ci = "" if r["ci_low"] is None else f" [95%: {_num(r['ci_low'])}–{_num(r['ci_high'])}]"
            today.append(
                f"{group} ({r['date']}): {r['top_model']} {_num(r['top'], 0)} vs 10th "
                f"{r['kth_model']} {_num(r['kth'], 0)}: {_num(r['spread'])} points{ci}, "
                f"{_num(r['percent'], 2)}%."
            )
    return FigureSection(
        "spread",
        "Top vs 10th (convergence at the frontier)",
        SPREAD_METHOD,
        "A 95% interval from both models' intervals (normal approximation); a group with fewer "
        "than 10 models on a board has no spread that day, or on a top-N board only a bound.",
        today or ["No board holds 10 models."],
        charts.spread_chart(spread),
    )


def lag_section(lag: dict[str, Any]) -> FigureSection:
    today = [
        f"{r['domain']}: {r['b']} behind {r['a']} by {_num(r['mean_months'])} months on average "
        f"[95%: {_num(r['ci_low'])}–{_num(r['ci_high'])}], {r['months']} months sampled"
        + (f", {r['missing_months']} without a lag" if r["missing_months"] else "")
        for r in lag["rows"]
        if r["mean_months"] is not None
    ]
    return FigureSection(
        "lag",
        "Average lag with an interval (Epoch)",
        LAG_METHOD,
        "A moving-block bootstrap of the monthly samples (3-month blocks, 2,000 resamples, fixed "
        "seed, 2.5-97.5 percentiles): how much the average depends on the months in the window.",
        today or ["No domain has a lag in the window."],
        charts.lag_chart(lag),
    )


def home_field_section(home: dict[str, Any]) -> FigureSection:
    last = home["series"][-1] if home["series"] else None
    today = ["No date has both a Chinese-prompt and an English-prompt board."]
    if last is not None:
        today = [
            f"On {last['date']}: US-CN gap {_num(last['home']['gap'])} in Chinese vs "
            f"{_num(last['away']['gap'])} in English: difference {_num(last['difference'])} Elo "
            f"[95%: {_num(last['ci_low'])}–{_num(last['ci_high'])}], over "
            f"{len(home['series'])} dates with both boards."
        ]
    return FigureSection(
        "home-field",
        "Home field: Chinese- vs English-prompt results",
        HOME_METHOD,
        "Each gap's standard error from the two best models' 95% intervals; the difference's "
        "interval takes the two categories as independent (disjoint prompts, fitted separately).",
        today,
        charts.home_field_chart(home),
    )


def compute_section(compute: dict[str, Any]) -> FigureSection:
    today = [
        f"{f['group']}: x{_num(f['growth_per_year'], 2)} per year [95%: "
        f"x{_num(f['growth_ci_low'], 2)}–x{_num(f['growth_ci_high'], 2)}], doubling every "
        f"{_num(f['doubling_months'])} months ({f['models']} frontier runs)"
        for f in compute["fits"]
        if f["status"] == "ok"
    ]
    if compute["months_behind"] is not None:
        today.append(
            f"{compute['b']} is {_num(compute['months_behind'])} months behind {compute['a']} on "
            f"the fitted trends (newest disclosed run {compute['until']})."
        )
    return FigureSection(
        "compute",
        "Training compute by ecosystem (Epoch)",
        COMPUTE_METHOD,
        "The growth's 95% interval is 10^(slope ± 1.96 standard errors of the fit); only "
        "disclosed runs count, and closed labs rarely disclose, so a group's trend is of its "
        "disclosed runs. Months behind carries no interval.",
        today or ["No ecosystem has three frontier runs since 2018."],
        charts.compute_chart(compute),
    )


def benchmark_gaps_section(gaps: dict[str, Any]) -> FigureSection:
    latest = [r for r in gaps["rows"] if r["date"] == gaps["dates"][-1] and r["gap"] is not None]
    ahead = sum(1 for r in latest if r["gap"] > 0)
    today = [
        f"At {gaps['dates'][-1]}: {gaps['a']} ahead on {ahead} of {len(latest)} benchmarks that "
        f"compare both, {gaps['b']} on {sum(1 for r in latest if r['gap'] < 0)}."
    ]
    today += [
        f"{r['benchmark']}: {r['a_model']} {_num(r['a_best'])} vs {r['b_model']} "
        f"{_num(r['b_best'])} ({_percent(r['percent'])})"
        for r in latest
        if r["benchmark"] in EXTRA_BENCHMARKS
    ]
    return FigureSection(
        "benchmark-gaps",
        "Benchmark-level US-CN gaps at each year's end (AI Index)",
        BENCH_GAPS_METHOD,
        "Each gap's verdict (significant lead, statistical tie, or not tested where a benchmark "
        "gives no interval) is in the JSON; a benchmark dated by its snapshot (Epoch's tables) "
        "has no value before that date, so earlier year-ends are empty.",
        today,
        charts.benchmark_gaps_chart(gaps),
    )


def availability_section(avail: dict[str, Any]) -> FigureSection:
    today = [
        f"{e['ecosystem']}: {e['models']} models served, median {_num(e['median_providers'])} "
        f"providers per model (most {e['max_providers']}), {e['providers']} distinct providers; "
        f"{e['fit_budget']} of {e['open_weight_models']} open-weight models fit "
        f"{avail['memory_gb']:g} GB at 4 bits"
        for e in avail["ecosystems"]
    ]
    return FigureSection(
        "availability", "Availability: providers and local memory", AVAILABILITY_METHOD,
        "No interval: counts of catalog listings. They are lower bounds (a catalog entry without "
        "a price does not count, and a catalog dated after the report's date is not yet valid).",
        today or ["No catalog lists a price on this date."], charts.availability_chart(avail),
    )  # fmt: skip


def forecast_section(fc: dict[str, Any]) -> FigureSection:
    c = fc["calibration"]
    cover = "—" if c["coverage"] is None else f"{100 * c['coverage']:.0f}%"
    today = [
        f"Calibration over all domains: {c['hits']} of {c['hits'] + c['misses']} scored 95% "
        f"intervals held the outcome ({cover}; {c['open']} still open)."
    ]
    for r in fc["rows"]:
        f = r["forecast"]
        if f["status"] == "ok":
            high = f["high"] or "no upper end"
            today.append(
                f"{r['domain']}: {f['trailing']} reaches {f['leader']}'s best around "
                f"{f['date']} [95%: {f['low']} to {high}]."
            )
        else:
            today.append(
                f"{r['domain']}: {f['status'].replace('_', ' ')}"
                + (", no date printed" if f["status"] == "failed_backtest" else "")
                + "."
            )
    return FigureSection(
        "forecast",
        "Catch-up forecasts with a backtest",
        FORECAST_METHOD,
        "A 95% interval from the slope's standard error, checked by the backtest: a domain whose "
        "past intervals held the outcome less than 80% of the time (or that has fewer than 5 "
        "scored forecasts) fails its backtest and prints no date.",
        today,
        charts.forecast_chart(fc),
    )


def notable_section(notable: dict[str, Any]) -> FigureSection:
    today = ["The database holds no notable-models list."]
    years = [y for y in notable["years"] if y["notable"]]
    if notable["status"] == "ok" and years:
        last = years[-1]
        cells = {r["ecosystem"]: r for r in notable["rows"] if r["year"] == last["year"]}
        partial = "" if last["complete"] else " (partial year)"
        today = [
            f"{last['year']}{partial}: {last['notable']} notable models, {last['frontier']} "
            f"flagged frontier; {last['multi_ecosystem']} made across ecosystems."
        ]
        today += [
            f"{eco}: {c['notable_single']} single-country, {c['notable_any']} with any "
            f"participation ({c['frontier_single']} / {c['frontier_any']} frontier); "
            f"{c['catalogued']} catalogued by wholeads (not a notability measure)."
            for eco, c in cells.items()
        ]
        undated = f", {notable['undated']} without a date" if notable["undated"] else ""
        today.append(
            f"Epoch's list as of {notable['as_of']} ({notable['age_days']} days old): "
            f"{notable['entries']} models published {notable['published_from']} to "
            f"{notable['published_to']}{undated}."
        )
    return FigureSection(
        "notable", "Notable and frontier models per ecosystem per year", NOTABLE_METHOD,
        "No interval: counts of a curated list. Epoch adds models after their release and "
        "judges notability with hindsight (citations, use), so recent years grow with later "
        "copies of the list; a model of unknown country counts for no ecosystem.",
        today, charts.notable_chart(notable),
    )  # fmt: skip


def report_benchmarks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The benchmarks the domains name, and MMLU, that the database holds."""
    named = benchmarks_of(load_domains().values()) | set(EXTRA_BENCHMARKS)
    return sorted(named & set(benchmark_rows(con)))


FIGURES = 9
"""How many standard figures ``figure_sections`` builds (one progress step each)."""


def figure_sections(
    con: duckdb.DuckDBPyConnection,
    reader: Reader,
    as_of: dt.date,
    gaps: GapAnswers | None = None,
    done: Callable[[FigureSection], None] | None = None,
) -> list[FigureSection]:
    """Every standard figure as of the report's date, on the report's shared reader and gap
    answers; ``done`` is called with each figure as soon as it is built (its chart can start
    rendering; a progress bar advances)."""
    gaps = gaps if gaps is not None and gaps.reader is reader else GapAnswers(con, reader)
    builders: list[Callable[[], FigureSection]] = [
        lambda: gap_percent_section(gaps.get("general", "US", "CN", "ecosystem", as_of)),
        lambda: spread_section(spread_report(con, "general", until=as_of, reader=reader)),
        lambda: lag_section(lag_report(con, until=as_of, reader=reader, gaps=gaps)),
        lambda: home_field_section(home_field_report(con, until=as_of, reader=reader)),
        lambda: compute_section(compute_report(con, until=as_of, reader=reader)),
        lambda: benchmark_gaps_section(
            year_end_gaps(con, report_benchmarks(con), until=as_of, reader=reader)
        ),
        lambda: availability_section(availability_report(con, as_of, MEMORY_BUDGET_GB)),
        lambda: forecast_section(forecast_report(con, until=as_of, reader=reader, gaps=gaps)),
        lambda: notable_section(notable_report(con, until=as_of)),
    ]
    out = []
    for build in builders:
        out.append(build())
        if done is not None:
            done(out[-1])
    return out
