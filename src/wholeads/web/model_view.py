"""The model page's summary and folded facts: where a model ranks in each domain today and over
time, its prices one row per provider, its scores one group per benchmark.

The rank is the model's place among the models of the domain's deciding evidence (the entry the
leaders answer names as primary today), each model counted once at its best value: rank 1 is the
best model there. Over time it is read on the same evidence at month starts, so one line is one
leaderboard. Models missing from a top-N board are not ranked there (their place is unknown).
``ranks_at`` and the folding functions are pure; ``model_summary`` reads the evidence through
``query.evidence`` once per page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb

from wholeads.analysis.points import Evidence
from wholeads.kb.domains import load_domains
from wholeads.query.evidence import Reader, benchmarks_of, load_one

MAX_SAMPLES = 30


def rank_in(evidence: Evidence, model_id: str) -> tuple[int, int] | None:
    """(rank, of) of a model among the evidence's points (best value per model), or None."""
    best: dict[str, float] = {}
    sign = 1.0 if evidence.higher_is_better else -1.0
    for p in evidence.points:
        v = sign * p.value
        if p.model_id not in best or v > best[p.model_id]:
            best[p.model_id] = v
    if model_id not in best:
        return None
    mine = best[model_id]
    return 1 + sum(1 for v in best.values() if v > mine), len(best)


def ranks_at(
    evidence: Mapping[str, Sequence[Evidence]], primary: Mapping[str, str], model_id: str
) -> dict[str, dict[str, Any]]:
    """Per domain: the model's rank on its primary evidence entry (by label), when it is there."""
    out = {}
    for domain, entries in evidence.items():
        entry = next((e for e in entries if e.label == primary.get(domain)), None)
        found = rank_in(entry, model_id) if entry is not None else None
        if entry is not None and found is not None:
            p = next(x for x in entry.points if x.model_id == model_id)
            out[domain] = {"rank": found[0], "of": found[1], "evidence": entry.label,
                           "source": entry.source, "date": entry.at, "value": p.value,
                           "unit": entry.unit}  # fmt: skip
    return out


def month_starts(since: dt.date, until: dt.date, most: int = MAX_SAMPLES) -> list[dt.date]:
    """First days of months after ``since`` up to ``until``, thinned to at most ``most``, and
    ``until`` itself."""
    days = []
    year, month = since.year, since.month
    while (day := dt.date(year, month, 1)) <= until:
        if day >= since:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = max(1, -(-len(days) // most))
    days = days[::-1][::step][::-1]
    return [d for d in days if d < until] + [until]


def model_summary(
    cur: duckdb.DuckDBPyConnection,
    model_id: str,
    since: dt.date | None,
    latest: dt.date,
    leaders: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """Today's rank per domain and the rank at month starts since ``since`` (the model's
    availability), on each domain's primary evidence of today's leaders answer."""
    primary = {d["domain"]: d["primary"] for d in leaders if d.get("primary")}
    names = {d["domain"]: d["name"] for d in leaders}
    entries = [
        (domain, spec)
        for domain in load_domains().values()
        for spec in domain.evidence
        if spec.label == primary.get(domain.id)
    ]
    reader = Reader(cur)
    reader.frames(benchmarks_of([d for d, _ in entries]))

    def at(day: dt.date, domains: set[str] | None = None) -> dict[str, dict[str, Any]]:
        evidence = {
            d.id: [load_one(reader, d, spec, day)]
            for d, spec in entries
            if domains is None or d.id in domains
        }
        return ranks_at(evidence, primary, model_id)

    today = at(latest)
    history: list[dict[str, Any]] = []
    if since is not None and since < latest:
        for day in month_starts(since, latest):
            # the domains it ranks in today: a line per domain the page lists
            found = today if day == latest else at(day, set(today))
            history.extend(
                {"date": day, "domain": d, "name": names[d], "rank": r["rank"], "of": r["of"]}
                for d, r in found.items()
            )
    ranks = [{"domain": d, "name": names[d], **r} for d, r in today.items()]
    return {"as_of": latest, "ranks": ranks, "rank_history": history}


def price_groups(prices: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per provider (spellings that differ only in case are one provider): its newest
    price (latest valid_from), the older ones folded; cheapest newest input price first."""
    by: dict[str, list[Mapping[str, Any]]] = {}
    for p in prices:
        by.setdefault(str(p["provider"]).casefold(), []).append(p)
    out = []
    for key in sorted(by):
        rows = sorted(by[key], key=_newest_first, reverse=True)
        out.append({"provider": str(rows[0]["provider"]), "newest": rows[0], "older": rows[1:]})
    return sorted(out, key=_cheapest_first)


def _cheapest_first(g: Mapping[str, Any]) -> tuple[bool, float, str]:
    price = g["newest"].get("input_per_mtok")
    return price is None, float(price or 0.0), str(g["provider"]).casefold()


def _newest_first(p: Mapping[str, Any]) -> tuple[str, str]:
    return str(p.get("valid_from") or ""), str(p.get("source") or "")


def score_groups(scores: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One group per benchmark, newest score first; groups ordered by their newest date."""
    by: dict[str, list[Mapping[str, Any]]] = {}
    for s in scores:
        by.setdefault(str(s["benchmark_id"]), []).append(s)
    groups = []
    for bench, rows in by.items():
        rows = sorted(rows, key=lambda s: str(s.get("as_of") or ""), reverse=True)
        groups.append({"benchmark_id": bench, "newest": rows[0], "history": rows[1:]})
    return sorted(groups, key=lambda g: (str(g["newest"].get("as_of") or ""), g["benchmark_id"]),
                  reverse=True)  # fmt: skip


def rank_chart(history: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The Vega-Lite spec of the rank over time: one line per domain, rank 1 at the top."""
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": {"font": "sans-serif", "view": {"strokeWidth": 0}},
        "data": {"values": [
            {**h, "date": str(h["date"]), "label": f"{h['name']}: {h['rank']} of {h['of']}"}
            for h in history
        ]},
        "width": 560, "height": 220,
        "mark": {"type": "line", "point": True, "interpolate": "step-after"},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": None,
                  "axis": {"format": "%Y-%m", "labelAngle": 0}},
            "y": {"field": "rank", "type": "quantitative", "title": "rank (1 = best)",
                  "scale": {"reverse": True, "type": "log", "domainMin": 1}},
            "color": {"field": "name", "type": "nominal", "title": "domain",
                      "legend": {"orient": "right", "labelLimit": 220}},
            "tooltip": [{"field": "date", "type": "temporal", "format": "%Y-%m-%d"},
                        {"field": "label", "type": "nominal"}],
        },
    }  # fmt: skip
