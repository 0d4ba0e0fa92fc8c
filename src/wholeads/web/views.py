"""The data behind each page, as plain JSON-ready dicts: a page renders exactly what its
``/api/...`` twin returns.

Each function takes the app state (caches) and a request's cursor, calls the library
(``wholeads.query.answers``, ``wholeads.query.catalog``) and never writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

import duckdb

from wholeads.convert import to_jsonable
from wholeads.errors import UserError
from wholeads.kb.domains import get_domain, load_domains
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.query import catalog
from wholeads.query.answers import frontier_report, gap_report, pareto_report
from wholeads.query.catalog import ModelFilter, list_labs, list_models, model_facts
from wholeads.web import model_compare, model_view
from wholeads.web.state import AppState

BENCHMARK_TOP = 50


class NotFound(UserError):
    """An entity page for an id that does not exist (HTTP 404)."""


def domain_list() -> list[dict[str, Any]]:
    return [
        {"id": d.id, "name": d.name, "unit": d.unit, "description": d.description,
         "higher_is_better": d.higher_is_better, "evidence": [e.label for e in d.evidence]}
        for d in load_domains().values()
    ]  # fmt: skip


def primary_unit(leaders: dict[str, Any]) -> str:
    """The unit the gap is measured in: the primary evidence's, else the domain's."""
    for s in leaders.get("sources", []):
        if s["label"] == leaders.get("primary"):
            return str(s["unit"])
    return str(leaders["unit"])


def domain_data(
    state: AppState, cur: duckdb.DuckDBPyConnection, domain: str, as_of: dt.date | None, by: str
) -> dict[str, Any]:
    """One domain: its leaders row, each group's frontier over time, the US-CN gap, Pareto."""
    view = state.leaders(as_of, by)
    leaders = next(d for d in view.dicts if d["domain"] == domain)
    key = ("domain", domain, view.as_of, by)

    def compute() -> dict[str, Any]:
        frontier = frontier_report(cur, domain, by, until=view.as_of)
        gap = gap_report(cur, domain, "US", "CN", "ecosystem", until=view.as_of)
        pareto = pareto_report(cur, domain, view.as_of, by)
        return {"frontier": frontier, "gap": gap, "pareto": pareto}

    reports = state.page_cache.get(key, compute)
    spec = get_domain(domain)
    return {
        "domain": domain, "name": spec.name, "description": spec.description,
        "as_of": view.as_of, "by": by, "leaders": leaders, "unit": primary_unit(leaders),
        **to_jsonable(reports),
        "_raw": reports,
    }  # fmt: skip


def model_data(state: AppState, cur: duckdb.DuckDBPyConnection, model_id: str) -> dict[str, Any]:
    """One model: a summary (where it ranks per domain today and over time), chosen facts with
    sources, what sources disagree on, aliases, scores by benchmark, prices by provider."""
    try:
        facts = model_facts(cur, model_id)
    except UserError as exc:
        raise NotFound(str(exc)) from None
    cutoff = next(
        (x for x in facts["facts"] if x["field"] == "knowledge_cutoff" and x["chosen"]), None
    )
    facts["knowledge_cutoff"] = (
        None if cutoff is None else {"value": cutoff["value"], "source": cutoff["source"]}
    )
    facts["disagreement_detail"] = [
        {"field": f, "values": _values(x for x in facts["facts"] if x["field"] == f)}
        for f in facts["disagreements"]
    ]
    model = facts["model"]
    since = model.get("available_from") or model.get("release_date") or model.get("first_seen")
    since = max(since, state.earliest) if since is not None else None
    leaders = state.leaders(None).dicts
    facts["summary"] = state.page_cache.get(
        ("model-summary", model_id),
        lambda: model_view.model_summary(cur, model_id, since, state.latest, leaders),
    )
    facts["score_groups"] = model_view.score_groups(facts["scores"])
    facts["price_groups"] = model_view.price_groups(facts["prices"])
    return dict(to_jsonable(facts))


def _values(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One field's distinct values, each with the sources saying it (and how many rows each),
    the chosen value first, then the most-attested."""
    by_value: dict[str, dict[str, Any]] = {}
    for x in rows:
        entry = by_value.setdefault(
            x["value"], {"value": x["value"], "chosen": False, "sources": {}}
        )
        entry["chosen"] = entry["chosen"] or bool(x["chosen"])
        entry["sources"][x["source"]] = entry["sources"].get(x["source"], 0) + 1
    return sorted(by_value.values(), key=lambda e: (not e["chosen"], -sum(e["sources"].values())))


def lab_data(state: AppState, cur: duckdb.DuckDBPyConnection, lab_id: str) -> dict[str, Any]:
    """One lab: who it is, its models, and where its best model ranks among labs per domain."""
    row = catalog.lab(cur, lab_id)
    if row is None:
        raise NotFound(f"unknown lab '{lab_id}'")
    keys = ["id", "name", "country", "ecosystem", "type", "homepage", "curated"]
    lab = {k: getattr(row, k) for k in keys}
    models = list_models(cur, ModelFilter(lab=lab_id, include_provisional=True))
    view = state.leaders(None, "lab")
    standing = []
    for d in view.dicts:
        ranked = [g["group"] for g in ranked_groups(d) if g.get("on_board", True)]
        mine = next((g for g in d["groups"] if g["group"] == lab_id), None)
        if mine is None:
            continue
        # A lab missing from the compared board (a top-N scrape) is below its cut-off there;
        # its value comes from the newest board that shows it, with that board's date.
        standing.append(
            {"domain": d["domain"], "name": d["name"],
             "rank": ranked.index(lab_id) + 1 if lab_id in ranked else None, "of": len(ranked),
             "model_id": mine["model_id"], "score": mine["score"], "date": mine["date"],
             "below": mine.get("below"), "age_days": mine.get("age_days"),
             "unit": primary_unit(d)}
        )  # fmt: skip
    return dict(
        to_jsonable({"lab": lab, "as_of": view.as_of, "standing": standing, "models": models})
    )


def ranked_groups(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Groups on the compared board by score, then those only on older boards."""
    higher = get_domain(d["domain"]).higher_is_better
    return sorted(
        d["groups"],
        key=lambda g: (not g.get("on_board", True), -g["score"] if higher else g["score"]),
    )


def ecosystem_data(
    state: AppState, cur: duckdb.DuckDBPyConnection, eco: str, as_of: dt.date | None
) -> dict[str, Any]:
    """One ecosystem: its labs, and per domain its best model and place among ecosystems."""
    view = state.leaders(as_of, "ecosystem")
    domains = []
    for d in view.dicts:
        ranked = [g["group"] for g in ranked_groups(d) if g.get("on_board", True)]
        mine = next((g for g in d["groups"] if g["group"] == eco), None)
        domains.append(
            {"domain": d["domain"], "name": d["name"], "leader": d["leader"],
             "rank": ranked.index(eco) + 1 if eco in ranked else None, "of": len(ranked),
             "best": mine, "unit": primary_unit(d)}
        )  # fmt: skip
    labs = [lab for lab in list_labs(cur) if lab["ecosystem"] == eco]
    return dict(
        to_jsonable(
            {"ecosystem": eco, "as_of": view.as_of, "leads": sum(
                1 for d in domains if d["leader"] == eco), "domains": domains, "labs": labs}
        )
    )  # fmt: skip


def compare_data(
    state: AppState, kind: str, a: str, b: str, as_of: dt.date | None
) -> dict[str, Any]:
    """Two ecosystems or two labs side by side, domain by domain, with who is ahead and by how
    much (in the domain's primary unit)."""
    by = "ecosystem" if kind == "ecosystem" else "lab"
    view = state.leaders(as_of, by)
    rows = []
    for d in view.dicts:
        groups = {g["group"]: g for g in d["groups"]}
        ga, gb = groups.get(a), groups.get(b)
        ahead, diff = None, None
        if ga and gb:
            higher = get_domain(d["domain"]).higher_is_better
            delta = ga["score"] - gb["score"]
            diff = abs(delta)
            if delta:
                ahead = a if (delta > 0) == higher else b
        rows.append(
            {"domain": d["domain"], "name": d["name"], "unit": primary_unit(d), "a": ga, "b": gb,
             "ahead": ahead, "difference": diff}
        )  # fmt: skip
    wins = {a: sum(r["ahead"] == a for r in rows), b: sum(r["ahead"] == b for r in rows)}
    return dict(
        to_jsonable(
            {"kind": kind, "a": a, "b": b, "as_of": view.as_of, "wins": wins, "domains": rows}
        )
    )


def benchmark_data(cur: duckdb.DuckDBPyConnection, bench_id: str) -> dict[str, Any]:
    """One benchmark: what it measures and its best scores (each model's newest)."""
    row = catalog.benchmark(cur, bench_id)
    if row is None:
        raise NotFound(f"unknown benchmark '{bench_id}'")
    bench = dataclasses.asdict(row)
    scores = catalog.benchmark_top(cur, row, BENCHMARK_TOP)
    return dict(to_jsonable({"benchmark": bench, "top": scores}))


def labs_data(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return dict(to_jsonable({"ecosystems": ecosystem_ids(), "labs": list_labs(cur)}))


def model_compare_data(
    state: AppState, cur: duckdb.DuckDBPyConnection, a: str, b: str
) -> dict[str, Any]:
    """Two models side by side: facts, ranks, shared benchmarks, prices, head to head."""
    benches = {row.id: dataclasses.asdict(row) for row in catalog.benchmarks(cur)}
    data = model_compare.compare_models(
        model_data(state, cur, a), model_data(state, cur, b), benches
    )
    return dict(to_jsonable({**data, "as_of": state.latest}))
