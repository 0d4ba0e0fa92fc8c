"""`wholeads spread`, `lag`, `home-field`, `compute`, `benchmark-gaps`, `availability`,
`forecast` and `notable`: the AI Index's and Epoch's standard figures.

Thin: the figures come from wholeads.query.figures (shared with the web API and the report); this
module parses options and prints rows as a table, JSON or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from wholeads.cli._db import connect
from wholeads.cli._output import CsvOption, DbOption, JsonOption, console, emit, print_json
from wholeads.convert import parse_date
from wholeads.errors import UserError
from wholeads.query.availability import availability_report
from wholeads.query.benchmark_domains import year_end_gaps
from wholeads.query.figures import (
    compute_report,
    forecast_report,
    home_field_report,
    lag_report,
    notable_report,
    spread_report,
)

FromOption = typer.Option(None, "--from", help="YYYY-MM-DD")
ToOption = typer.Option(None, "--to", help="YYYY-MM-DD (default: the newest evidence).")

SPREAD_COLUMNS = (
    "date",
    "group",
    "models",
    "top_model",
    "top",
    "kth_model",
    "kth",
    "spread",
    "percent",
    "ci_low",
    "ci_high",
    "at_least",
)
LAG_COLUMNS = (
    "domain",
    "a",
    "b",
    "evidence",
    "mean_months",
    "ci_low",
    "ci_high",
    "latest_months",
    "months",
    "missing_months",
    "first_sample",
    "status",
)
HOME_COLUMNS = (
    "date",
    "home_gap",
    "home_se",
    "away_gap",
    "away_se",
    "difference",
    "ci_low",
    "ci_high",
    "home_a",
    "home_b",
    "away_a",
    "away_b",
)


def _print(
    out: dict[str, Any],
    rows: list[dict[str, Any]],
    columns: tuple[str, ...],
    title: str,
    as_json: bool,
    as_csv: bool,
) -> None:
    """JSON: the whole answer (method and rows); CSV and the table: the rows."""
    if as_json and not as_csv:
        print_json(out)
        return
    emit(rows, columns, as_json=as_json, as_csv=as_csv, title=title)


def spread(
    domain: str = typer.Option("general", "--domain", help="Domain id."),
    k: int = typer.Option(10, "--k", help="Compare the best with the k-th best (2-100)."),
    by: str = typer.Option("ecosystem", "--by", help="Group by ecosystem, openness or lab."),
    group: str | None = typer.Option(None, "--group", help="Only this group ('all': the field)."),
    start: str | None = FromOption,
    end: str | None = ToOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Top vs 10th: the best minus the k-th best model at every date (convergence at the
    frontier), for the whole field ('all') and each group.

    Method: on each board of the domain's first evidence with data, a group's models ranked by
    score; spread = best - k-th best, and in percent of the k-th best (the AI Index's form).
    Uncertainty: a 95% interval from both models' intervals (normal approximation). A group with
    fewer than k models has no spread that day; on a top-N board it is a bound (at least best -
    the board's cut-off)."""
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    with connect(db, needs_evidence=True) as con:
        out = spread_report(con, domain, k, by, since, until)
    rows = [r for r in out["series"] if group is None or r["group"] == group]
    title = f"{out['name']}: best vs {k}th best ({out['evidence']}, {out['unit']})"
    _print({**out, "series": rows}, rows, SPREAD_COLUMNS, title, as_json, as_csv)


def lag(
    domain: list[str] | None = typer.Option(None, "--domain", help="Domain id (repeatable)."),
    start: str | None = typer.Option(
        None, "--from", help="YYYY-MM-DD (default: 12 months before --to)."
    ),
    end: str | None = ToOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """The average lag over a window with a 95% interval, per domain: US vs CN and closed vs
    open weights (positive: the second trails the first by that many months).

    Method: the lag at each date is Epoch's horizontal gap on the domain's gap evidence (how long
    before the trailing group's best the leading group first reached its level, on the same
    board); it is sampled on the first day of every month of the window and averaged. Months
    before the series starts, or with a group missing, are left out and counted. Uncertainty: a
    moving-block bootstrap of the monthly samples (3-month blocks, 2,000 resamples, fixed seed,
    2.5-97.5 percentiles): how much the average depends on the months the window holds."""
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    with connect(db, needs_evidence=True) as con:
        out = lag_report(con, domain, since, until)
    title = f"Average lag, {out['since']} to {out['until']} (months)"
    _print(out, out["rows"], LAG_COLUMNS, title, as_json, as_csv)


def _home_row(r: dict[str, Any]) -> dict[str, Any]:
    h, w = r["home"], r["away"]
    return {
        "date": r["date"],
        "home_gap": h["gap"],
        "home_se": h["se"],
        "away_gap": w["gap"],
        "away_se": w["se"],
        "difference": r["difference"],
        "ci_low": r["ci_low"],
        "ci_high": r["ci_high"],
        "home_a": h["a_model"],
        "home_b": h["b_model"],
        "away_a": w["a_model"],
        "away_b": w["b_model"],
    }


def home_field_cmd(
    a: str = typer.Option("US", "--a", help="First ecosystem."),
    b: str = typer.Option("CN", "--b", help="Second ecosystem."),
    start: str | None = FromOption,
    end: str | None = ToOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Home field: the a-b gap on LMArena's Chinese-prompt boards minus the gap on its
    English-prompt boards, on every date where both exist (negative: b does relatively better
    in Chinese).

    Method: each board's best a and best b model; gap = a - b in Elo. Uncertainty: each gap's
    standard error from the two models' 95% intervals, the difference's 95% interval combining
    them as independent (the categories are disjoint sets of prompts, fitted separately)."""
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    with connect(db, needs_evidence=True) as con:
        out = home_field_report(con, a, b, since, until)
    rows = [_home_row(r) for r in out["series"]]
    title = f"{a} minus {b}: Chinese-prompt gap minus English-prompt gap (Elo)"
    _print(out, rows, HOME_COLUMNS, title, as_json, as_csv)
    if not (as_json or as_csv) and not rows:
        console.print("no date has both a Chinese-prompt and an English-prompt board")


COMPUTE_COLUMNS = (
    "group",
    "models",
    "start",
    "end",
    "growth_per_year",
    "growth_ci_low",
    "growth_ci_high",
    "doubling_months",
    "status",
)
FRONTIER_COLUMNS = ("group", "model_id", "released", "flop", "rank")


def compute(
    k: int = typer.Option(10, "--k", help="The rolling frontier's depth: the k largest runs."),
    start: str | None = typer.Option(None, "--from", help="YYYY-MM-DD (default: 2018-01-01)."),
    end: str | None = ToOption,
    a: str = typer.Option("US", "--a", help="The ecosystem compared against."),
    b: str = typer.Option("CN", "--b", help="The ecosystem whose delay is measured."),
    frontier: bool = typer.Option(False, "--frontier", help="List the frontier runs instead."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Training compute by ecosystem: the top-k rolling frontier, growth per year with a 95%
    interval, and how many months b is behind a.

    Method (Epoch's): a model is on its ecosystem's frontier when, at its release, it is among
    the k largest disclosed training runs of that ecosystem so far. Growth: a least-squares fit
    of log10(FLOP) on the release date over the frontier runs in the window; growth per year =
    10^slope. Uncertainty: 10^(slope +- 1.96 standard errors). Months behind: how long before the
    newest disclosed run a's fitted trend stood at b's fitted level then. Only disclosed runs
    count (closed labs rarely disclose)."""
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    with connect(db, needs_evidence=True) as con:
        out = compute_report(con, k, since, until, a, b)
    columns: tuple[str, ...]
    if frontier:
        rows, columns = out["frontier"], FRONTIER_COLUMNS
        title = f"Top-{k} rolling frontier of disclosed training runs"
    else:
        rows, columns = out["fits"], COMPUTE_COLUMNS
        title = f"Frontier training compute growth, {out['since']} to {out['until']}"
    _print(out, rows, columns, title, as_json, as_csv)
    if not (as_json or as_csv or frontier):
        behind = out["months_behind"]
        text = "—" if behind is None else f"{behind:.1f}"
        console.print(f"{b} is {text} months behind {a} on the fitted trends")


BENCH_GAP_COLUMNS = (
    "benchmark",
    "date",
    "a_model",
    "a_best",
    "b_model",
    "b_best",
    "gap",
    "percent",
    "leader",
    "verdict",
)


def benchmark_gaps(
    benchmark: list[str] | None = typer.Option(
        None, "--benchmark", help="Benchmark id (repeatable; default: every benchmark)."
    ),
    first_year: int = typer.Option(2023, "--first-year", help="The first year-end shown."),
    end: str | None = ToOption,
    a: str = typer.Option("US", "--a", help="First ecosystem."),
    b: str = typer.Option("CN", "--b", help="Second ecosystem."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Benchmark-level gaps at the end of each year (as the AI Index tables them): every
    benchmark's best a and best b model on 31 December of each year and at --to, the gap in
    points and in percent of the trailing best, and the verdict.

    Method: each benchmark asked as a domain of its own (`leaders --benchmark`): an arena board
    by board, a static benchmark with each model's newest score usable at the date (its best
    across settings). A year where either ecosystem has no usable score has no gap. Uncertainty:
    the verdict (significant lead / statistical tie / not tested where no interval exists)."""
    if not 2000 <= first_year <= 2100:
        raise UserError(f"--first-year: {first_year} is out of range; use 2000 to 2100")
    until = parse_date(end, "--to")
    with connect(db, needs_evidence=True) as con:
        out = year_end_gaps(con, benchmark, first_year, until, a, b)
    title = f"{a} minus {b} per benchmark at each year's end"
    _print(out, out["rows"], BENCH_GAP_COLUMNS, title, as_json, as_csv)


AVAIL_ECO_COLUMNS = (
    "ecosystem",
    "models",
    "median_providers",
    "max_providers",
    "providers",
    "open_weight_models",
    "fit_budget",
)
AVAIL_MODEL_COLUMNS = (
    "model_id",
    "ecosystem",
    "open_weights",
    "providers",
    "params_total_b",
    "memory_gb_4bit",
    "fits",
    "provider_ids",
)


def availability(
    as_of: str | None = typer.Option(
        None, "--as-of", help="YYYY-MM-DD (default: the newest catalog price)."
    ),
    memory_gb: float | None = typer.Option(
        None, "--memory-gb", help="Memory budget: list the open-weight models that fit at 4 bits."
    ),
    models: bool = typer.Option(False, "--models", help="One row per model instead."),
    ecosystem: str | None = typer.Option(None, "--ecosystem", help="Only this ecosystem's models."),
    source: str | None = typer.Option(None, "--source", help="Only this catalog's prices."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Availability: how many providers serve each model and each ecosystem's models, and (with
    --memory-gb) which open-weight models run under a memory budget.

    Method: a provider serves a model on a date when a catalog (models.dev, LiteLLM, OpenRouter,
    genai-prices, the price lists) lists a price for it there, valid on that date; provider
    spellings are merged ('togetherai', 'together_ai'). Catalog entries without a price do not
    count, so the counts are lower bounds. Memory: total parameters at 4 bits plus the advisor's
    runtime overhead; undisclosed sizes cannot be placed. No uncertainty is modelled."""
    date = parse_date(as_of, "--as-of")
    with connect(db, needs_evidence=True) as con:
        out = availability_report(con, date, memory_gb, source)
    if ecosystem is not None:
        out = {
            **out,
            "models": [m for m in out["models"] if m["ecosystem"] == ecosystem],
            "fit_budget": [m for m in out["fit_budget"] if m["ecosystem"] == ecosystem],
            "ecosystems": [e for e in out["ecosystems"] if e["ecosystem"] == ecosystem],
        }
    if models or (memory_gb is not None and not as_json):
        rows = out["fit_budget"] if memory_gb is not None and not models else out["models"]
        title = f"Providers per model, {out['as_of']}"
        _print(out, rows, AVAIL_MODEL_COLUMNS, title, as_json, as_csv)
        return
    title = f"Providers serving each ecosystem's models, {out['as_of']}"
    _print(out, out["ecosystems"], AVAIL_ECO_COLUMNS, title, as_json, as_csv)


FORECAST_COLUMNS = (
    "domain",
    "leader",
    "trailing",
    "status",
    "date",
    "low",
    "high",
    "hits",
    "misses",
    "open",
    "coverage",
    "mean_abs_error_months",
)
CASE_COLUMNS = (
    "domain",
    "origin",
    "target",
    "trailing_best",
    "date",
    "low",
    "high",
    "reached",
    "outcome",
    "error_months",
)


def _forecast_row(r: dict[str, Any]) -> dict[str, Any]:
    f, c = r["forecast"], r["calibration"]
    return {"domain": r["domain"], **{k: f[k] for k in ("leader", "trailing", "status", "date",
            "low", "high")}, **{k: c[k] for k in ("hits", "misses", "open", "coverage",
            "mean_abs_error_months")}}  # fmt: skip


def forecast(
    domain: list[str] | None = typer.Option(None, "--domain", help="Domain id (repeatable)."),
    a: str = typer.Option("US", "--a", help="First ecosystem."),
    b: str = typer.Option("CN", "--b", help="Second ecosystem."),
    end: str | None = ToOption,
    backtest_from: str | None = typer.Option(
        None, "--backtest-from", help="First backtest origin, YYYY-MM-DD (default: 2024-01-01)."
    ),
    cases: bool = typer.Option(False, "--cases", help="List every backtest forecast instead."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Catch-up forecasts with a backtest: when the trailing ecosystem would reach today's
    leader at its current trend, per domain, and how that method did from past origins.

    Method: the trailing group's best on the first of each of the last 12 months, a
    least-squares line, and the date it reaches the leader's best today; 95% interval from the
    slope's standard error. Backtest: the same forecast from every month since --backtest-from,
    each from only what was known then, scored against the first later board where the
    trailing group reached the target (hit: inside the interval; miss: outside, or the interval
    closed without it; open: not yet known). Calibration = hits / (hits + misses), nominal 95%.
    A domain whose backtest has fewer than 5 scored cases or a coverage below 80% prints no
    date: its status says 'failed_backtest'."""
    until = parse_date(end, "--to")
    start = parse_date(backtest_from, "--backtest-from")
    with connect(db, needs_evidence=True) as con:
        out = forecast_report(con, domain, a, b, until, start)
    if cases:
        rows = [{"domain": r["domain"], **c} for r in out["rows"] for c in r["cases"]]
        _print(out, rows, CASE_COLUMNS, "Backtest: every past forecast", as_json, as_csv)
        return
    rows = [_forecast_row(r) for r in out["rows"]]
    _print(out, rows, FORECAST_COLUMNS, f"When {b} would reach {a}'s best of {out['until']}",
           as_json, as_csv)  # fmt: skip
    if not (as_json or as_csv):
        c = out["calibration"]
        cover = "—" if c["coverage"] is None else f"{c['coverage']:.0%}"
        console.print(f"calibration over all domains: {c['hits']} hits, {c['misses']} misses, "
                      f"{c['open']} open: coverage {cover} of a nominal 95%")  # fmt: skip


NOTABLE_COLUMNS = (
    "year",
    "ecosystem",
    "notable_single",
    "notable_any",
    "frontier_single",
    "frontier_any",
    "catalogued",
)
NOTABLE_YEAR_COLUMNS = (
    "year",
    "notable",
    "frontier",
    "single_total",
    "any_total",
    "multi_ecosystem",
    "unattributed",
    "catalogued",
    "complete",
)


def notable(
    from_year: int | None = typer.Option(None, "--from-year", help="First year (default: 2015)."),
    to_year: int | None = typer.Option(
        None, "--to-year", help="Last year (default: the list's newest publication)."
    ),
    ecosystem: str | None = typer.Option(None, "--ecosystem", help="Only this ecosystem's rows."),
    totals: bool = typer.Option(False, "--totals", help="One row per year (all ecosystems)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Notable and frontier models per ecosystem per year (Epoch's notable-models list), under
    both counting definitions, next to the models wholeads catalogues.

    Method: each model of Epoch's 'Notable AI Models' list by its publication year, its
    organisations' countries mapped to ecosystems (kb/ecosystems.yaml). Single-country: it
    counts for an ecosystem only when every country is in that ecosystem (a model made across
    ecosystems counts for none). Any participation: it counts for every ecosystem that took
    part, so the ecosystems' counts add up to more than the number of models (--totals shows
    by how much). Frontier: Epoch's 'Frontier model' flag. 'catalogued': every model wholeads
    catalogues by release year, catalogued by wholeads (not a notability measure). A year with
    no model of an ecosystem shows 0. No uncertainty is modelled: counts of a curated list."""
    with connect(db, needs_evidence=True) as con:
        out = notable_report(con, from_year, to_year)
    if ecosystem is not None:
        out = {**out, "rows": [r for r in out["rows"] if r["ecosystem"] == ecosystem]}
    columns: tuple[str, ...]
    if totals:
        rows, columns = out["years"], NOTABLE_YEAR_COLUMNS
        title = "Notable models per year, all ecosystems"
    else:
        rows, columns = out["rows"], NOTABLE_COLUMNS
        title = "Notable models per ecosystem per year (single-country / any participation)"
    rows = [{**r, "year": str(r["year"])} for r in rows]  # a year, not a count ('2,024')
    _print(out, rows, columns, title, as_json, as_csv)
    if not (as_json or as_csv):
        console.print(
            f"Epoch's list as of {out['as_of']} ({out['age_days']} days old), "
            f"{out['entries']} models; 'catalogued': {out['catalogued_label']}"
        )


def register(app: typer.Typer) -> None:
    app.command("spread")(spread)
    app.command("lag")(lag)
    app.command("home-field")(home_field_cmd)
    app.command("compute")(compute)
    app.command("benchmark-gaps")(benchmark_gaps)
    app.command("availability")(availability)
    app.command("forecast")(forecast)
    app.command("notable")(notable)
