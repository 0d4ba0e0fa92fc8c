"""`wholeads leaders`, `gap`, `frontier` and `pareto`: who leads where, and since when.

Thin: the answers come from the library (``wholeads.library``, over ``wholeads.query.answers``,
which the web app and the report share); this module parses options and prints tables, or the
answer as JSON, CSV or Parquet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from wholeads import library
from wholeads.analysis.leaders import NO_INTERVAL, VERDICT_WORDS, DomainLeaders, GroupBest
from wholeads.analysis.points import By
from wholeads.cli._db import connect, db_path
from wholeads.cli._output import (
    CsvOption,
    DbOption,
    JsonOption,
    ParquetOption,
    console,
    emit_answer,
    print_json,
)
from wholeads.convert import parse_date
from wholeads.kb.domains import get_domain
from wholeads.library.checks import non_negative
from wholeads.query.answers import group_order, value_over_time
from wholeads.units import age_text, fmt

if TYPE_CHECKING:
    from rich.table import Table as RichTable


def Table(*args: Any, **kwargs: Any) -> RichTable:
    """rich's Table, imported when a table is printed (JSON, CSV and Parquet need none)."""
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


AsOfOption = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: the newest evidence).")
BySpec = typer.Option("ecosystem", "--by", help="Group by ecosystem, openness or lab.")
SourceOption = typer.Option(None, "--source", help="Only evidence from this source id.")
DomainOption = typer.Option(..., "--domain", help="Domain id.")
FromOption = typer.Option(None, "--from", help="YYYY-MM-DD")
BenchmarkOption = typer.Option(
    None, "--benchmark", help="Any benchmark id instead of a domain (repeatable)."
)
OneDomainOption = typer.Option(None, "--domain", help="Domain id.")
OneBenchmarkOption = typer.Option(None, "--benchmark", help="Or any benchmark id.")


def _cell(g: GroupBest | None, unit: str, board: dt.date | None = None) -> str:
    """A group's best: model, score and interval; when the group is missing from the board the
    groups are compared on, its bound there and the date of the older value shown."""
    if g is None:
        return "—"
    ci = ""
    if g.ci_low is not None and g.ci_high is not None:
        ci = f" [{fmt(g.ci_low, unit)}–{fmt(g.ci_high, unit)}]"
    text = f"{g.model_id}\n{fmt(g.score, unit)}{ci}"
    if not g.on_board:
        where = f" on the {board} board" if board else ""
        text = (f"below {fmt(g.below, unit)}{where}\n" if g.below is not None else "") + (
            f"{text}\n({g.date})"
        )
    return text


def _gap_text(r: DomainLeaders) -> tuple[str, str, str]:
    if r.gap is None:
        return "—", "—", "—"
    g = r.gap
    at_least = "≥ " if g.bound == "at_least" else ""
    text = f"{at_least}{fmt(g.points, r.unit)} vs {g.runner_up}"
    if g.win_probability is not None:
        text += f"\nwin {at_least}{g.win_probability:.0%}"
    verdict = VERDICT_WORDS.get(r.verdict or "", "—")
    if r.verdict == "untested" and g.test == NO_INTERVAL:
        verdict += "\n(no interval)"
    lag = "—" if g.lag_months is None else f"{g.lag_months:g} mo"
    return text, verdict, lag


def _evidence_text(r: DomainLeaders) -> str:
    """Which evidence decides, from where, of when, and how old it is at the answer's date."""
    primary = next((s for s in r.sources if s.label == r.primary), None)
    if primary is None:
        return "—"
    text = f"{r.primary}\n{primary.source} {primary.date}"
    if primary.board is not None and primary.board.censored:
        text += f"\ntop {primary.board.rows}"
    age = age_text(r.age_days)
    text += f"\n[yellow]{age} old[/yellow]" if r.stale else f"\n{age} old"
    return text


def in_group_order(groups: set[str], by: str) -> list[str]:
    """Groups in the grouping's fixed order (US, CN, EU, other; closed, open), others sorted."""
    fixed = group_order(by)  # type: ignore[arg-type]
    return [g for g in fixed if g in groups] + sorted(groups - set(fixed))


def _unit_of(domain: str, label: str) -> str:
    """The unit of the evidence entry an answer used."""
    spec = get_domain(domain)
    return next((e.unit for e in spec.evidence if e.label == label), spec.unit)


def print_leaders(results: list[DomainLeaders], by: By, as_of: dt.date) -> None:
    """The readable table: one row per domain; one block per domain on a narrow terminal."""
    from wholeads.cli.leaders_blocks import WIDE_TABLE_COLUMNS, print_leader_blocks

    groups = group_order(by)
    if console.width < WIDE_TABLE_COLUMNS:
        print_leader_blocks(results, by, as_of, groups, console)
        return
    table = Table(title=f"Who leads where, as of {as_of} (by {by})", show_lines=True)
    for name in ["domain", "leader", *(groups or ["best", "runner-up"]), "gap", "verdict"]:
        table.add_column(name, overflow="fold")
    for name in ["lag", "sources agree", "evidence"]:
        table.add_column(name, overflow="fold")
    for r in results:
        by_group = {g.group: g for g in r.groups}
        board = r.evidence_date
        if groups:
            cells = [_cell(by_group.get(x), r.unit, board) for x in groups]
        else:
            ranked = sorted(r.groups, key=lambda g: g.score, reverse=True)[:2]
            cells = [_cell(g, r.unit, board) if g else "—" for g in [*ranked, None, None][:2]]
        gap, sig, lag = _gap_text(r)
        where = _evidence_text(r)
        leader = r.leader or "[yellow]insufficient evidence[/yellow]"
        if r.verdict == "tie" and r.gap is not None:
            leader = f"tie\n({r.leader} ahead\nwithin noise)"
        agree = f"{r.agreeing}/{r.compared}" if r.compared else "—"
        disagree = [f"{s.label}: {s.leader}" for s in r.sources if s.leader not in (None, r.leader)]
        if disagree:
            agree += "\n" + "\n".join(disagree)
        table.add_row(r.domain, leader, *cells, gap, sig, lag, agree, where)
    console.print(table)


def leaders(
    as_of: str | None = AsOfOption,
    domain: list[str] | None = typer.Option(None, "--domain", help="Domain id (repeatable)."),
    benchmark: list[str] | None = BenchmarkOption,
    by: str = BySpec,
    source: str | None = SourceOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    parquet: Path | None = ParquetOption,
) -> None:
    """Who leads each domain at a date: best model per group, gap, significance, lag.

    With --benchmark, any benchmark in the database is asked like a domain of its own: an arena
    board by board (plain ratings), a static benchmark with each model's newest score (its best
    across settings), under the same rules of valid time, coverage and freshness."""
    date = parse_date(as_of, "--as-of")
    answer = library.leaders(date, domain, by, source, benchmark=benchmark, db=db_path(db))
    emit_answer(
        answer,
        lambda: print_leaders(answer.domains, answer.by, answer.as_of),  # type: ignore[arg-type]
        as_json=as_json, as_csv=as_csv, parquet=parquet,
    )  # fmt: skip


def default_view(db: Path | None) -> None:
    """What bare `wholeads` prints: every domain's leaders as of the newest evidence."""
    answer = library.leaders(db=db_path(db))
    print_leaders(answer.domains, "ecosystem", answer.as_of)


def gap(
    domain: str | None = OneDomainOption,
    benchmark: str | None = OneBenchmarkOption,
    a: str = typer.Option("US", "--a", help="First group (e.g. US, open, openai)."),
    b: str = typer.Option("CN", "--b", help="Second group."),
    by: str = BySpec,
    start: str | None = FromOption,
    end: str | None = typer.Option(None, "--to", help="YYYY-MM-DD (default: newest evidence)."),
    source: str | None = SourceOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Both groups' frontiers over time, the gap, the lag and the 6/12-month trend.

    The gap reads three ways at every date: in points (a's best minus b's best), in percent of
    the trailing group's best (the AI Index's form, on the Elo and percent scales) and, on Elo,
    as the win probability 1/(1+10^(-gap/400)) of a's best against b's best. The lag is Epoch's
    horizontal gap: how long before the trailing group's best the leading group first reached
    its level, on the same board."""
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    answer = library.gap(domain, a, b, by, since, until, source, benchmark=benchmark,
                         db=db_path(db))  # fmt: skip
    emit_answer(answer, lambda: print_gap(answer), as_json=as_json, as_csv=as_csv)


def print_gap(answer: library.GapSeries) -> None:
    """One row per date: each group's best, the gap, the leader and the lag; then the trend."""
    a, b, label, unit, trends = answer.a, answer.b, answer.evidence, answer.unit, answer.trend
    series = answer.series
    table = Table(title=f"{answer.name}: {a} vs {b} ({label})")
    for col in ["date", f"best {a}", f"best {b}", "gap", "gap %", "win", "leader", "lag (months)"]:
        table.add_column(col, overflow="fold")
    for g in series:
        side_a = f"{g.a_model or '—'} {fmt(g.a_best, unit)}"
        side_b = f"{g.b_model or '—'} {fmt(g.b_best, unit)}"
        gap_cell = fmt(g.gap, unit)
        if g.gap is None and g.gap_at_least is not None and g.below is not None:
            # a top-N board cut one group off: it is below the board's lowest score
            bound = f"below {fmt(g.below, unit)}"
            side_a, side_b = (side_a, bound) if g.a_best is not None else (bound, side_b)
            gap_cell = (
                f"≥ {fmt(g.gap_at_least, unit)}"
                if g.gap_at_least >= 0
                else (f"≤ {fmt(g.gap_at_least, unit)}")
            )
        table.add_row(
            str(g.date), side_a, side_b, gap_cell,
            "—" if g.percent is None else f"{g.percent:+.2f}%",
            "—" if g.win_probability is None else f"{g.win_probability:.1%}",
            g.leader or "—", "—" if g.lag_months is None else f"{g.lag_months:g}",
        )  # fmt: skip
    console.print(table)
    if answer.status != "ok":
        console.print(f"[yellow]insufficient evidence: no date has both {a} and {b} on "
                      f"{label}[/yellow]")  # fmt: skip
        return
    for t in trends:
        slope = "—" if t.slope_per_month is None else f"{_signed(t.slope_per_month, unit)}/month"
        direction = t.direction.replace("_", " ")
        console.print(f"last {t.months} months: {direction} (gap slope {slope})")


def _signed(value: float, unit: str) -> str:
    """A rate of change with its sign: two decimals when small, else as its unit reads."""
    text = f"{value:+,.2f}" if abs(value) < 1000 else fmt(value, unit)
    return text if text.startswith(("+", "-")) else f"+{text}"


def frontier(
    domain: str | None = OneDomainOption,
    benchmark: str | None = OneBenchmarkOption,
    by: str = BySpec,
    start: str | None = FromOption,
    end: str | None = typer.Option(None, "--to", help="YYYY-MM-DD"),
    source: str | None = SourceOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Each group's running best over time for a domain's first evidence with data."""
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    answer = library.frontier(domain, by, since, until, source, benchmark=benchmark,
                              db=db_path(db))  # fmt: skip
    emit_answer(answer, lambda: print_frontier(answer), as_json=as_json, as_csv=as_csv)


def print_frontier(answer: library.Frontier) -> None:
    """One row per date, one column per group: the group's best so far."""
    group_by, label, rows, unit = answer.by, answer.evidence, answer.frontier, answer.unit
    table = Table(title=f"{answer.name}: running best by {group_by} ({label})")
    groups = in_group_order({str(r["group"]) for r in rows}, group_by)
    for col in ["date", *groups]:
        table.add_column(col, overflow="fold")
    by_date: dict[object, dict[str, str]] = {}
    for r in rows:
        by_date.setdefault(r["date"], {})[str(r["group"])] = (
            f"{r['model_id']} {fmt(r['value'], unit)}"
        )
    for date, cells in by_date.items():
        table.add_row(str(date), *(cells.get(g, "—") for g in groups))
    console.print(table)
    if answer.status != "ok":
        console.print("[yellow]insufficient evidence: no scores in this window[/yellow]")


def pareto(
    domain: str = DomainOption,
    as_of: str | None = AsOfOption,
    by: str = BySpec,
    threshold: float | None = typer.Option(
        None, "--threshold", help="Also show the cheapest model per group scoring at least this."
    ),
    price_cap: float | None = typer.Option(
        None,
        "--price-cap",
        help="Also show the best model per group costing at most this "
        "(USD per 1M tokens, 3:1 blend).",
    ),
    over_time: bool = typer.Option(
        False, "--over-time", help="How the price of capability falls, month by month."
    ),
    start: str | None = typer.Option(None, "--from", help="YYYY-MM-DD (with --over-time)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
    parquet: Path | None = ParquetOption,
) -> None:
    """Score vs blended price (3:1) per group: the Pareto frontier and the cheapest above a bar."""
    date = parse_date(as_of, "--as-of")
    non_negative("price_cap", price_cap)
    if over_time:
        _value_over_time(
            domain, by, parse_date(start, "--from"), date, threshold, price_cap, db, as_json
        )
        return
    answer = library.pareto(domain, date, by, threshold, price_cap, db=db_path(db))
    emit_answer(answer, lambda: print_pareto(answer), as_json=as_json, as_csv=as_csv,
                parquet=parquet)  # fmt: skip


def print_pareto(answer: library.Pareto) -> None:
    """One row per group: its Pareto frontier, cheapest above the bar, best under the cap."""
    out = answer.to_dict()
    spec, date, label = get_domain(answer.domain), out["as_of"], out["evidence"]
    board = f", board {out['evidence_date']}" if out["evidence_date"] else ""
    table = Table(title=f"{spec.name}: score vs price as of {date} ({label}{board})",
                  show_lines=True)  # fmt: skip
    for col in ["group", "Pareto frontier (cheapest first)", "cheapest above threshold",
                "best under the price cap"]:  # fmt: skip
        table.add_column(col, overflow="fold")
    unit = "Elo" if answer.scale == "elo" else _unit_of(answer.domain, label)

    def at(x: dict[str, Any]) -> str:
        return f"{x['model_id']} {fmt(x['score'], unit)} @ {fmt(x['price'], 'USD')}"

    order = in_group_order({g["group"] for g in out["groups"]}, out.get("by", "ecosystem"))
    for g in sorted(out["groups"], key=lambda g: order.index(g["group"])):
        steps = "\n".join(at(x) for x in g["frontier"])
        c, u = g["cheapest_above"], g["best_under"]
        table.add_row(
            g["group"],
            steps,
            "—" if c is None else f"{c['model_id']} {fmt(c['price'], 'USD')}",
            "—" if u is None else at(u),
        )
    console.print(table)
    if not out["per_dollar_meaningful"]:
        console.print(f"score per dollar is not shown: on the {out['scale']} scale the zero is "
                      "arbitrary, so a ratio would only rank by price")  # fmt: skip


def _value_over_time(
    domain: str,
    by: str,
    since: dt.date | None,
    until: dt.date | None,
    threshold: float | None,
    price_cap: float | None,
    db: Path | None,
    as_json: bool,
) -> None:
    with connect(db, needs_evidence=True) as con:
        out = value_over_time(con, domain, by, since, until, threshold, price_cap)
    if as_json:
        print_json(out)
        return
    spec = get_domain(domain)
    table = Table(title=f"{spec.name}: the price of capability over time ({out['evidence']})")
    columns = ["month", "group"]
    if out["per_dollar_meaningful"]:
        columns.append("most score per dollar")
    columns += ["cheapest at or above threshold", "best under the price cap"]
    for col in columns:
        table.add_column(col, overflow="fold")

    def pick(x: dict[str, Any] | None) -> str:
        return "—" if x is None else f"{x['model_id']} {x['score']:.4g} @ ${x['price']:.2f}"

    for r in out["series"]:
        cells = [str(r["date"]), r["group"]]
        if out["per_dollar_meaningful"]:
            cells.append(pick(r["best_value"]))
        table.add_row(*cells, pick(r["cheapest_above"]), pick(r["best_under"]))
    console.print(table)
    if threshold is None and price_cap is None and not out["per_dollar_meaningful"]:
        console.print("pass --threshold SCORE and/or --price-cap USD: on an Elo scale score per "
                      "dollar has no meaning")  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("leaders")(leaders)
    app.command("gap")(gap)
    app.command("frontier")(frontier)
    app.command("pareto")(pareto)
