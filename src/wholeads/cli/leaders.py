"""`wholeads leaders`, `gap`, `frontier` and `pareto`: who leads where, and since when.

Thin: the database is read by wholeads.evidence, the answers come from wholeads.analysis; this
module parses options and prints tables or JSON (the same dicts either way).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any, cast

import typer
from rich.table import Table

from wholeads.analysis.frontier import frontiers, gap_series, trend
from wholeads.analysis.leaders import DomainLeaders, GroupBest, decide
from wholeads.analysis.pareto import Priced, cheapest_above, fronts_by_group
from wholeads.analysis.points import By, group_of
from wholeads.cli._db import connect
from wholeads.cli._output import DbOption, JsonOption, console, print_json
from wholeads.cli._parse import parse_date
from wholeads.domains import DomainSpec, get_domain, load_domains
from wholeads.ecosystems import ecosystem_ids
from wholeads.errors import UserError
from wholeads.evidence import Reader, history, load_all, pareto_points

BY_CHOICES = ("ecosystem", "openness", "lab")
AsOfOption = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: the newest evidence).")
BySpec = typer.Option("ecosystem", "--by", help="Group by ecosystem, openness or lab.")
SourceOption = typer.Option(None, "--source", help="Only evidence from this source id.")


def _by(value: str) -> By:
    if value not in BY_CHOICES:
        raise UserError(f"--by: unknown '{value}'; use one of {', '.join(BY_CHOICES)}")
    return cast(By, value)


def _order(by: By) -> list[str]:
    return ecosystem_ids() if by == "ecosystem" else ["closed", "open"] if by == "openness" else []


def compute_leaders(
    reader: Reader,
    domains: list[DomainSpec],
    as_of: dt.date,
    by: By = "ecosystem",
    source: str | None = None,
) -> list[DomainLeaders]:
    """Every requested domain's answer as of a date (what the table, JSON and web show)."""
    evidence = load_all(reader, domains, as_of, source=source)
    return [
        decide(
            d.id, d.name, d.unit, as_of, evidence[d.id], by,
            stale_after_days=d.stale_after_days, order=_order(by),
        )
        for d in domains
    ]  # fmt: skip


def fmt(value: float | None, unit: str) -> str:
    """A value as its unit reads: Elo whole, percent 1 decimal, USD 2 decimals, FLOP 2 digits."""
    if value is None:
        return "—"
    u = unit.lower()
    if "flop" in u:
        return f"{value:.2g}"
    if "usd" in u:
        return f"${value:,.2f}"
    if "token" in u:
        return f"{value:,.0f}"
    if "elo" in u:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _cell(g: GroupBest | None, unit: str) -> str:
    if g is None:
        return "—"
    ci = ""
    if g.ci_low is not None and g.ci_high is not None:
        ci = f" [{fmt(g.ci_low, unit)}–{fmt(g.ci_high, unit)}]"
    return f"{g.model_id}\n{fmt(g.score, unit)}{ci}"


def _gap_text(r: DomainLeaders) -> tuple[str, str, str]:
    if r.gap is None:
        return "—", "—", "—"
    g = r.gap
    text = f"{fmt(g.points, r.unit)} vs {g.runner_up}"
    if g.win_probability is not None:
        text += f"\nwin {g.win_probability:.0%}"
    sig = "no interval available" if g.significant is None else ("yes" if g.significant else "no")
    lag = "—" if g.lag_months is None else f"{g.lag_months:g} mo"
    return text, sig, lag


def print_leaders(results: list[DomainLeaders], by: By, as_of: dt.date) -> None:
    """The readable table: one row per domain."""
    groups = _order(by)
    table = Table(title=f"Who leads where, as of {as_of} (by {by})", show_lines=True)
    for name in ["domain", "leader", *(groups or ["best", "runner-up"]), "gap", "significant?"]:
        table.add_column(name)
    for name in ["lag", "sources agree", "evidence"]:
        table.add_column(name)
    for r in results:
        by_group = {g.group: g for g in r.groups}
        if groups:
            cells = [_cell(by_group.get(x), r.unit) for x in groups]
        else:
            ranked = sorted(r.groups, key=lambda g: g.score, reverse=True)[:2]
            cells = [_cell(g, r.unit) if g else "—" for g in [*ranked, None, None][:2]]
        gap, sig, lag = _gap_text(r)
        primary = next((s for s in r.sources if s.label == r.primary), None)
        where = f"{r.primary}\n{primary.source} {primary.date}" if primary else "—"
        if primary and primary.stale:
            where += " (stale)"
        leader = r.leader or "[yellow]insufficient evidence[/yellow]"
        agree = f"{r.agreeing}/{r.compared}" if r.compared else "—"
        disagree = [f"{s.label}: {s.leader}" for s in r.sources if s.leader not in (None, r.leader)]
        if disagree:
            agree += "\n" + "\n".join(disagree)
        table.add_row(r.domain, leader, *cells, gap, sig, lag, agree, where)
    console.print(table)


def _domains(names: list[str] | None) -> list[DomainSpec]:
    return [get_domain(n) for n in names] if names else list(load_domains().values())


def leaders(
    as_of: str | None = AsOfOption,
    domain: list[str] | None = typer.Option(None, "--domain", help="Domain id (repeatable)."),
    by: str = BySpec,
    source: str | None = SourceOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Who leads each domain at a date: best model per group, gap, significance, lag."""
    group_by, domains = _by(by), _domains(domain)
    date = parse_date(as_of, "--as-of")
    with connect(db) as con:
        reader = Reader(con)
        reader.check_source(source)
        date = date or reader.latest_date()
        results = compute_leaders(reader, domains, date, group_by, source)
    if as_json:
        print_json([r.to_dict() for r in results])
    else:
        print_leaders(results, group_by, date)


def default_view(db: Path | None) -> None:
    """What bare `wholeads` prints: every domain's leaders as of the newest evidence."""
    with connect(db) as con:
        reader = Reader(con)
        date = reader.latest_date()
        results = compute_leaders(reader, list(load_domains().values()), date)
    print_leaders(results, "ecosystem", date)


def _series_evidence(
    reader: Reader, spec: DomainSpec, a: str, b: str, by: By, window: tuple[Any, Any, Any]
) -> tuple[str, list[Any]]:
    """The first evidence entry (priority order) whose history compares a and b at least once."""
    until, since, source = window
    for entry in spec.evidence:
        states = history(reader, spec, entry, until=until, since=since, source=source)
        series = gap_series(states, a, b, by, spec.higher_is_better)
        if any(g.gap is not None for g in series):
            return entry.label, series
    return spec.evidence[0].label, []


def gap(
    domain: str = typer.Option(..., "--domain", help="Domain id."),
    a: str = typer.Option("US", "--a", help="First group (e.g. US, open, openai)."),
    b: str = typer.Option("CN", "--b", help="Second group."),
    by: str = BySpec,
    start: str | None = typer.Option(None, "--from", help="YYYY-MM-DD"),
    end: str | None = typer.Option(None, "--to", help="YYYY-MM-DD (default: newest evidence)."),
    source: str | None = SourceOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Both groups' frontiers over time, the gap, the lag and the 6/12-month trend."""
    spec, group_by = get_domain(domain), _by(by)
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    with connect(db) as con:
        reader = Reader(con)
        reader.check_source(source)
        until = until or reader.latest_date()
        label, series = _series_evidence(reader, spec, a, b, group_by, (until, since, source))
    trends = [dataclasses.asdict(trend(series, m)) for m in (6, 12)]
    out = {
        "domain": domain, "a": a, "b": b, "by": group_by, "evidence": label,
        "series": [dataclasses.asdict(g) for g in series], "trend": trends,
        "status": "ok" if any(g.gap is not None for g in series) else "insufficient_evidence",
    }  # fmt: skip
    if as_json:
        print_json(out)
        return
    table = Table(title=f"{spec.name}: {a} vs {b} ({label})")
    for col in ["date", f"best {a}", f"best {b}", "gap", "leader", "lag (months)"]:
        table.add_column(col)
    unit = next((e.unit for e in spec.evidence if e.label == label), spec.unit)
    for g in series:
        table.add_row(
            str(g.date), f"{g.a_model or '—'} {fmt(g.a_best, unit)}",
            f"{g.b_model or '—'} {fmt(g.b_best, unit)}", fmt(g.gap, unit), g.leader or "—",
            "—" if g.lag_months is None else f"{g.lag_months:g}",
        )  # fmt: skip
    console.print(table)
    for t in trends:
        slope = "—" if t["slope_per_month"] is None else f"{t['slope_per_month']:+.2f}/month"
        console.print(f"last {t['months']} months: {t['direction']} (gap slope {slope})")


def frontier(
    domain: str = typer.Option(..., "--domain", help="Domain id."),
    by: str = BySpec,
    start: str | None = typer.Option(None, "--from", help="YYYY-MM-DD"),
    end: str | None = typer.Option(None, "--to", help="YYYY-MM-DD"),
    source: str | None = SourceOption,
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Each group's running best over time for a domain's first evidence with data."""
    spec, group_by = get_domain(domain), _by(by)
    since, until = parse_date(start, "--from"), parse_date(end, "--to")
    with connect(db) as con:
        reader = Reader(con)
        reader.check_source(source)
        until = until or reader.latest_date()
        rows: list[dict[str, object]] = []
        label = spec.evidence[0].label
        for entry in spec.evidence:
            states = history(reader, spec, entry, until=until, since=since, source=source)
            rows = frontiers(states, group_by, spec.higher_is_better)
            if rows:
                label = entry.label
                break
    if as_json:
        print_json({"domain": domain, "by": group_by, "evidence": label, "frontier": rows})
        return
    table = Table(title=f"{spec.name}: running best by {group_by} ({label})")
    groups = sorted({str(r["group"]) for r in rows})
    for col in ["date", *groups]:
        table.add_column(col)
    by_date: dict[object, dict[str, str]] = {}
    for r in rows:
        by_date.setdefault(r["date"], {})[str(r["group"])] = f"{r['model_id']} {r['value']:.4g}"
    for date, cells in by_date.items():
        table.add_row(str(date), *(cells.get(g, "—") for g in groups))
    console.print(table)


def pareto(
    domain: str = typer.Option(..., "--domain", help="Domain id."),
    as_of: str | None = AsOfOption,
    by: str = BySpec,
    threshold: float | None = typer.Option(
        None, "--threshold", help="Also show the cheapest model per group scoring at least this."
    ),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Score vs blended price (3:1) per group: the Pareto frontier and the cheapest above a bar."""
    spec, group_by = get_domain(domain), _by(by)
    date = parse_date(as_of, "--as-of")
    with connect(db) as con:
        reader = Reader(con)
        date = date or reader.latest_date()
        label, priced = pareto_points(reader, spec, date)
    fronts = fronts_by_group(priced, group_by)
    out: dict[str, Any] = {"domain": domain, "as_of": date, "evidence": label, "groups": []}
    for group, front in fronts.items():
        cheapest = None
        if threshold is not None:
            mine = [x for x in priced if group_of(x.point, group_by) == group]
            pick = cheapest_above(mine, threshold)
            cheapest = None if pick is None else _priced(pick)
        out["groups"].append(
            {"group": group, "frontier": [_priced(x) for x in front], "cheapest_above": cheapest}
        )
    out["status"] = "ok" if fronts else "insufficient_evidence"
    if as_json:
        print_json(out)
        return
    table = Table(title=f"{spec.name}: score vs price as of {date} ({label})", show_lines=True)
    for col in ["group", "Pareto frontier (cheapest first)", "cheapest above threshold"]:
        table.add_column(col)
    for g in out["groups"]:
        steps = "\n".join(
            f"{x['model_id']} {x['score']:.4g} @ ${x['price']:.2f}" for x in g["frontier"]
        )
        c = g["cheapest_above"]
        table.add_row(g["group"], steps, "—" if c is None else f"{c['model_id']} ${c['price']:.2f}")
    console.print(table)


def _priced(x: Priced) -> dict[str, Any]:
    return {
        "model_id": x.point.model_id, "lab_id": x.point.lab_id, "score": x.point.value,
        "price": x.price, "per_dollar": x.per_dollar,
    }  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("leaders")(leaders)
    app.command("gap")(gap)
    app.command("frontier")(frontier)
    app.command("pareto")(pareto)
