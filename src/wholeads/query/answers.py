"""The questions wholeads answers, as library calls shared by the CLI, the web app, the report,
the claims checker and the advisor: leaders as of a date, gap and lag over time, frontiers,
price-performance. Each takes an open connection and returns plain results (dicts or the
dataclasses of ``wholeads.analysis``) that serialize to JSON as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import duckdb

from wholeads.analysis.frontier import GapPoint, frontiers, gap_series, trend
from wholeads.analysis.leaders import DomainLeaders, decide
from wholeads.analysis.pareto import (
    Priced,
    best_under,
    cheapest_above,
    fronts_by_group,
    is_ratio_scale,
)
from wholeads.analysis.points import By, Evidence, group_of
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, get_domain, load_domains
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.query.evidence import Reader, history, load_all, pareto_points

BY_CHOICES = ("ecosystem", "openness", "lab")


def _reader_at(
    con: duckdb.DuckDBPyConnection,
    reader: Reader | None,
    date: dt.date | None,
    source: str | None = None,
) -> tuple[Reader, dt.date]:
    """The reader to use (the caller's shared one, else a new one), the source checked, and the
    date asked for (default: the newest evidence)."""
    reader = reader or Reader(con)
    reader.check_source(source)
    return reader, date or reader.latest_date()


def check_by(value: str) -> By:
    """A grouping name, validated."""
    if value not in BY_CHOICES:
        raise UserError(f"--by: unknown '{value}'; use one of {', '.join(BY_CHOICES)}")
    return cast(By, value)


def group_order(by: By) -> list[str]:
    """The columns a table shows for a grouping (labs: none fixed, ranked instead)."""
    return ecosystem_ids() if by == "ecosystem" else ["closed", "open"] if by == "openness" else []


def spec_of(domain: str | DomainSpec) -> DomainSpec:
    """A domain by id, or a one-entry domain already built (a benchmark asked by name)."""
    return domain if isinstance(domain, DomainSpec) else get_domain(domain)


def domains_named(names: list[str] | None) -> list[DomainSpec]:
    """The domains asked for (all when none), validated."""
    return [get_domain(n) for n in names] if names else list(load_domains().values())


def compute_leaders(
    reader: Reader,
    domains: list[DomainSpec],
    as_of: dt.date,
    by: By = "ecosystem",
    source: str | None = None,
) -> list[DomainLeaders]:
    """Every requested domain's answer as of a date (what the table, JSON and web show)."""
    evidence = load_all(reader, domains, as_of, source=source)
    return [decide_domain(d, as_of, evidence[d.id], by) for d in domains]


def decide_domain(
    spec: DomainSpec, as_of: dt.date, evidences: Sequence[Evidence], by: By
) -> DomainLeaders:
    """A domain's answer from its evidence (``analysis.leaders.decide`` with the domain's name,
    unit, freshness window and the groups' display order)."""
    return decide(
        domain=spec.id,
        name=spec.name,
        unit=spec.unit,
        as_of=as_of,
        evidences=evidences,
        by=by,
        freshness_days=spec.freshness_days,
        order=group_order(by),
    )


def leaders_as_of(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None = None,
    domains: list[str] | None = None,
    by: str = "ecosystem",
    source: str | None = None,
) -> tuple[dt.date, list[DomainLeaders]]:
    """Leaders of the named domains (all by default) as of a date (default: newest evidence)."""
    group_by, specs = check_by(by), domains_named(domains)
    reader, date = _reader_at(con, None, as_of, source)
    return date, compute_leaders(reader, specs, date, group_by, source)


def _series_evidence(
    reader: Reader,
    spec: DomainSpec,
    a: str,
    b: str,
    by: By,
    until: dt.date,
    since: dt.date | None,
    source: str | None,
) -> tuple[str, list[GapPoint]]:
    """The first evidence entry (priority order) whose history compares a and b at least once."""
    for entry in spec.evidence:
        states = history(reader, spec, entry, until=until, since=since, source=source)
        series = gap_series(states, a, b, by, spec.higher_is_better, entry.scale)
        if any(g.gap is not None for g in series):
            return entry.label, series
    return spec.evidence[0].label, []


def gap_report(
    con: duckdb.DuckDBPyConnection,
    domain: str | DomainSpec,
    a: str = "US",
    b: str = "CN",
    by: str = "ecosystem",
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """Both groups' frontiers over time, the gap, the lag and the 6/12-month trend. Callers
    asking several questions pass one ``reader`` so each history is read once."""
    spec, group_by = spec_of(domain), check_by(by)
    reader, until = _reader_at(con, reader, until, source)
    label, series = _series_evidence(reader, spec, a, b, group_by, until, since, source)
    entry = next((e for e in spec.evidence if e.label == label), spec.evidence[0])
    unit = entry.unit if entry.label == label else spec.unit
    return {
        "domain": spec.id, "name": spec.name, "a": a, "b": b, "by": group_by, "evidence": label,
        "unit": unit, "scale": entry.scale, "series": [dataclasses.asdict(g) for g in series],
        "trend": [dataclasses.asdict(trend(series, m)) for m in (6, 12)],
        "status": "ok" if any(g.gap is not None for g in series) else "insufficient_evidence",
        "events": policy_events(series[0].date if series else since, until),
    }  # fmt: skip


def policy_events(since: dt.date | None, until: dt.date) -> list[dict[str, Any]]:
    """The policy timeline's events in [since, until], for markers on gap-over-time charts."""
    start = None if since is None else since - dt.timedelta(days=1)
    from wholeads.kb.timeline import events_between, load_timeline  # pydantic: only for a gap

    return [e.model_dump() for e in events_between(load_timeline(), start, until)]


def frontier_report(
    con: duckdb.DuckDBPyConnection,
    domain: str | DomainSpec,
    by: str = "ecosystem",
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """Each group's running best over time for the domain's first evidence with data."""
    spec, group_by = spec_of(domain), check_by(by)
    reader, until = _reader_at(con, reader, until, source)
    rows: list[dict[str, object]] = []
    label = spec.evidence[0].label
    for entry in spec.evidence:
        states = history(reader, spec, entry, until=until, since=since, source=source)
        rows = frontiers(states, group_by, spec.higher_is_better)
        if rows:
            label = entry.label
            break
    unit = next((e.unit for e in spec.evidence if e.label == label), spec.unit)
    return {
        "domain": spec.id,
        "name": spec.name,
        "by": group_by,
        "evidence": label,
        "frontier": rows,
        "unit": unit,
        "status": "ok" if rows else "insufficient_evidence",
    }


def priced_dict(x: Priced, ratio: bool = False) -> dict[str, Any]:
    """One model on the price-performance plane (score per dollar only on a ratio scale)."""
    return {
        "model_id": x.point.model_id, "lab_id": x.point.lab_id, "score": x.point.value,
        "price": x.price, "per_dollar": x.per_dollar if ratio else None,
    }  # fmt: skip


def _scale_of(spec: DomainSpec, label: str) -> str:
    """The scale of the entry a price-performance view used."""
    for e in spec.evidence:
        if e.label == label or (e.kind == "price" and f"{e.gate}" == label):
            return "elo" if e.kind == "price" else e.scale
    return spec.evidence[0].scale


def pareto_report(
    con: duckdb.DuckDBPyConnection,
    domain: str,
    as_of: dt.date | None = None,
    by: str = "ecosystem",
    threshold: float | None = None,
    price_cap: float | None = None,
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """Score vs blended price (3:1) per group: the Pareto frontier, every priced model, the
    cheapest model at or above a score threshold and the best model under a price cap."""
    spec, group_by = get_domain(domain), check_by(by)
    reader, date = _reader_at(con, reader, as_of)
    label, priced = pareto_points(reader, spec, date)
    scale = _scale_of(spec, label)
    ratio = is_ratio_scale(scale)
    fronts = fronts_by_group(priced, group_by)
    groups = []
    for group, front in fronts.items():
        mine = [x for x in priced if group_of(x.point, group_by) == group]
        cheapest = cheapest_above(mine, threshold) if threshold is not None else None
        best = best_under(mine, price_cap) if price_cap is not None else None
        groups.append({
            "group": group, "frontier": [priced_dict(x, ratio) for x in front],
            "cheapest_above": None if cheapest is None else priced_dict(cheapest, ratio),
            "best_under": None if best is None else priced_dict(best, ratio),
        })  # fmt: skip
    return {
        "domain": domain, "name": spec.name, "as_of": date, "evidence": label, "scale": scale,
        "evidence_date": max((x.point.date for x in priced), default=None),
        "per_dollar_meaningful": ratio, "threshold": threshold, "price_cap": price_cap,
        "groups": groups,
        "points": [{**priced_dict(x, ratio), "group": group_of(x.point, group_by)} for x in priced],
        "status": "ok" if fronts else "insufficient_evidence",
    }  # fmt: skip


def _month_starts(since: dt.date, until: dt.date) -> list[dt.date]:
    months, day = [], dt.date(since.year, since.month, 1)
    while day <= until:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def value_over_time(
    con: duckdb.DuckDBPyConnection,
    domain: str,
    by: str = "ecosystem",
    since: dt.date | None = None,
    until: dt.date | None = None,
    threshold: float | None = None,
    price_cap: float | None = None,
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """How the price of capability falls: at the first of every month, per group, the cheapest
    model scoring at least ``threshold`` and the best model costing at most ``price_cap``
    (blended 3:1 price), and on ratio scales (percent) the model with the most score per
    dollar. On Elo scales score per dollar has no meaning (arbitrary zero) and is left out."""
    spec, group_by = get_domain(domain), check_by(by)
    reader, until = _reader_at(con, reader, until)
    since = since or dt.date(until.year - 2, until.month, 1)
    rows: list[dict[str, Any]] = []
    label = spec.evidence[0].label
    scale: str = spec.evidence[0].scale
    for day in _month_starts(since, until):
        label_at, priced = pareto_points(reader, spec, day)
        if priced:
            label, scale = label_at, _scale_of(spec, label_at)
        ratio = is_ratio_scale(scale)
        groups: dict[str, list[Priced]] = {}
        for item in priced:
            group = group_of(item.point, group_by)
            if group is not None:
                groups.setdefault(group, []).append(item)
        for group, items in sorted(groups.items()):
            best = max(items, key=lambda x: (x.per_dollar, x.point.value)) if ratio else None
            cheapest = cheapest_above(items, threshold) if threshold is not None else None
            under = best_under(items, price_cap) if price_cap is not None else None
            rows.append({
                "date": day, "group": group,
                "best_value": None if best is None else priced_dict(best, ratio),
                "cheapest_above": None if cheapest is None else priced_dict(cheapest, ratio),
                "best_under": None if under is None else priced_dict(under, ratio),
            })  # fmt: skip
    return {
        "domain": domain, "name": spec.name, "by": group_by, "evidence": label, "scale": scale,
        "per_dollar_meaningful": is_ratio_scale(scale), "threshold": threshold,
        "price_cap": price_cap, "series": rows,
        "status": "ok" if rows else "insufficient_evidence",
    }  # fmt: skip
