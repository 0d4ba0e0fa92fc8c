"""Charts of the answers: pure functions from the plain dicts of ``wholeads.query.answers`` to
Vega-Lite specs (plain dicts), and ``to_svg`` to render one without a browser.

Shared by the report and the web dashboard, so a chart looks the same everywhere. Specs are
written as dicts rather than through a chart library: building, copying and validating library
objects cost ten times more than drawing the charts. Rendering goes through vl-convert, so the
SVG needs no JavaScript, no CDN and no web font: it opens offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from wholeads.charts.render import VEGA_LITE_SCHEMA, render_one

Spec = dict[str, Any]
"""A Vega-Lite spec (what every builder returns; render it with ``to_svg``)."""
Rows = list[dict[str, Any]]

GROUP_COLORS: dict[str, str] = {
    "US": "#1f5fbf",
    "CN": "#d62728",
    "EU": "#e0a100",
    "other": "#7f7f7f",
    "closed": "#6a3d9a",
    "open": "#2ca02c",
}
"""One colour per group everywhere (ecosystems, then openness); labs get the default scheme."""

WIDTH = 560
HEIGHT = 240
FONT = "sans-serif"
LOG_SPAN = 1000.0
"""Values spanning more than this factor (FLOP, prices) are drawn on a log scale."""
BIG = 1e6
"""From this magnitude on, axes label values with exponents."""
TYPES = {"N": "nominal", "Q": "quantitative", "T": "temporal", "O": "ordinal"}


def field(shorthand: str, **props: Any) -> dict[str, Any]:
    """An encoding channel from 'name:T' shorthand (T = nominal, quantitative, temporal...)."""
    name, _, kind = shorthand.partition(":")
    return {"field": name, "type": TYPES[kind], **props} if kind else {"field": name, **props}


def _color(groups: Sequence[str], title: str | None = None) -> dict[str, Any]:
    """A colour encoding that keeps each known group's colour and the groups' order."""
    known_order = list(GROUP_COLORS)
    order = sorted(set(groups), key=lambda g: (known_order.index(g) if g in known_order else 99, g))
    scale = (
        {"domain": order, "range": [GROUP_COLORS[g] for g in order]}
        if all(g in GROUP_COLORS for g in order)
        else {}
    )
    return field("group:N", legend=_legend(), scale=scale, sort=order, title=title)


def _log_if_wide(values: Sequence[float | None]) -> dict[str, Any]:
    """Log scale for values spanning orders of magnitude; otherwise linear, not from zero."""
    positive = [v for v in values if v is not None and v > 0]
    if positive and len(positive) == len(values) and max(positive) / min(positive) > LOG_SPAN:
        return {"type": "log"}
    return {"zero": False}


def _axis(values: Sequence[float | None]) -> dict[str, Any]:
    """Exponent labels for huge values (FLOP), thousands separators otherwise."""
    big = max((abs(v) for v in values if v is not None), default=0) >= BIG
    return {"format": ".1~e" if big else ",~r"}


def _legend() -> dict[str, Any]:
    """Legends above the plot, so they never cover the labels at the lines' right ends."""
    return {"direction": "horizontal", "orient": "top", "title": None}


def _tips(*shorthands: str) -> list[dict[str, Any]]:
    return [field(s) for s in shorthands]


def _iso(value: Any) -> Any:
    """Dates as ISO strings (Vega-Lite parses them); everything else as is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _records(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> Rows:
    return [{k: _iso(r.get(k)) for k in keys} for r in rows]


def _mark(kind: str, **props: Any) -> dict[str, Any]:
    return {"type": kind, **props}


def _named(name: str) -> dict[str, str]:
    """A reference to a dataset attached by ``_finish`` (rows shared by several layers)."""
    return {"name": name}


def _finish(spec: Spec, datasets: Mapping[str, Rows] | None = None) -> Spec:
    """The top-level spec: theme, schema and the rows as named datasets."""
    out: Spec = {
        "$schema": VEGA_LITE_SCHEMA,
        "config": {"font": FONT, "view": {"strokeWidth": 0}},
        **spec,
    }
    if datasets:
        out["datasets"] = dict(datasets)
    return out


def _empty(title: str, why: str) -> Spec:
    """A small chart that says why there is nothing to draw (so every slot has an SVG)."""
    return _finish({
        "title": title, "width": WIDTH, "height": 60,
        "data": {"values": [{"text": why}]},
        "mark": _mark("text", color="#666", fontSize=13),
        "encoding": {"text": field("text:N")},
    })  # fmt: skip


def frontier_chart(report: Mapping[str, Any]) -> Spec:
    """Each group's best score at every date of the domain's evidence (a ``frontier_report``):
    a step line per group, a dot where a new model took the lead, the newest model named at the
    line's end."""
    title = f"{report['name']}: best model per {report['by']} ({report['evidence']})"
    rows = _steps(_records(report.get("frontier") or [], ("date", "group", "value", "model_id")))
    if not rows:
        return _empty(title, "insufficient evidence")
    values = [r["value"] for r in rows]
    y_scale = _log_if_wide(values)
    color = _color([r["group"] for r in rows], title=report["by"])
    x, y = field("date:T"), field("value:Q", scale=y_scale)
    lines = {
        "data": _named("frontier"),
        "mark": _mark("line", interpolate="step-after", strokeWidth=2),
        "encoding": {
            "x": field("date:T", title=None),
            "y": field("value:Q", title=report["evidence"], scale=y_scale, axis=_axis(values)),
            "color": color,
            "tooltip": _tips("date:T", "group:N", "model_id:N", "value:Q"),
        },
    }
    points = {
        "data": _named("new_model"),
        "mark": _mark("circle", size=22),
        "encoding": {"x": x, "y": y, "color": color},
    }
    ends = {
        "data": _named("ends"),
        "mark": _mark("text", align="left", dx=5, fontSize=10),
        "encoding": {"x": x, "y": y, "text": field("model_id:N"), "color": color},
    }
    last = {r["group"]: r for r in rows}  # rows are in date order: the newest per group
    new_model = [r for r in rows if r["new_model"]]
    return _finish(
        {"title": title, "width": WIDTH, "height": HEIGHT, "layer": [lines, points, ends]},
        {"frontier": rows, "ends": list(last.values()), "new_model": new_model},
    )


def _steps(rows: Sequence[dict[str, Any]]) -> Rows:
    """Only the rows where a group's value or model changed, plus each group's last row: a step
    line through them is the same line, drawn from far fewer points (``new_model`` marks a new
    best model)."""
    out: Rows = []
    prev: dict[str, dict[str, Any]] = {}
    for r in rows:
        p = prev.get(r["group"])
        if p is None or p["value"] != r["value"] or p["model_id"] != r["model_id"]:
            out.append({**r, "new_model": p is None or p["model_id"] != r["model_id"]})
        prev[r["group"]] = r
    kept = {(r["group"], r["date"]) for r in out}
    out.extend(
        {**r, "new_model": False} for r in prev.values() if (r["group"], r["date"]) not in kept
    )
    return sorted(out, key=lambda r: (r["date"], r["group"]))


def _zero_rule() -> dict[str, Any]:
    return {
        "data": {"values": [{"y": 0}]},
        "mark": _mark("rule", color="#999"),
        "encoding": {"y": field("y:Q")},
    }


POLICY_COLOR = "#8a6d00"


def _policy_layers(report: Mapping[str, Any], rows: Rows) -> tuple[list[dict[str, Any]], Rows]:
    """Policy events inside the chart's dates as dashed vertical rules, each labelled with its
    jurisdiction and id (a ``gap_report``'s ``events``)."""
    first, last = min(r["date"] for r in rows), max(r["date"] for r in rows)
    keys = ("date", "jurisdiction", "id", "kind", "summary")
    events = [e for e in _records(report.get("events") or [], keys) if first <= e["date"] <= last]
    if not events:
        return [], []
    for e in events:
        e["label"] = f"{e['jurisdiction']}: {e['id']}"
    x = field("date:T", title=None)
    tips = _tips("date:T", "jurisdiction:N", "kind:N", "summary:N")
    return [
        {"data": _named("events"), "encoding": {"x": x, "tooltip": tips},
         "mark": _mark("rule", color=POLICY_COLOR, strokeDash=[4, 3], opacity=0.8)},
        {"data": _named("events"),
         "encoding": {"x": x, "text": field("label:N"), "y": {"value": 2}},
         "mark": _mark("text", color=POLICY_COLOR, angle=270, align="right", baseline="bottom",
                       fontSize=9, dx=-2)},
    ], events  # fmt: skip


def gap_chart(report: Mapping[str, Any]) -> Spec:
    """The gap between two groups (a minus b, in the evidence's unit) and the lag in months, one
    panel each (a ``gap_report``); positive means the first group leads. Policy events (the
    report's ``events``) are marked on the gap panel."""
    a, b, unit = report["a"], report["b"], report.get("unit") or ""
    title = f"{report['name']}: {a} minus {b} ({report['evidence']})"
    keys = ("date", "gap", "lag_months", "leader", "a_model", "b_model")
    rows = [r for r in _records(report.get("series") or [], keys) if r["gap"] is not None]
    if not rows:
        return _empty(title, f"no date with both {a} and {b} in the evidence")
    tooltip = _tips("date:T", "gap:Q", "lag_months:Q", "a_model:N", "b_model:N")
    colour = GROUP_COLORS.get(a, "#1f5fbf")
    gap_encoding = {
        "x": field("date:T", title=None),
        "y": field("gap:Q", title=f"gap ({unit})", axis=_axis([r["gap"] for r in rows])),
        "tooltip": tooltip,
    }
    markers, events = _policy_layers(report, rows)
    gap_panel = {
        "title": title, "width": WIDTH, "height": HEIGHT * 2 // 3,
        "layer": [
            _zero_rule(),
            {"data": _named("gap"), "encoding": gap_encoding,
             "mark": _mark("area", color=colour, interpolate="step-after", opacity=0.25)},
            {"data": _named("gap"), "encoding": gap_encoding,
             "mark": _mark("line", color=colour, interpolate="step-after")},
            *markers,
        ],
    }  # fmt: skip
    data: dict[str, Rows] = {"gap": rows, **({"events": events} if events else {})}
    lags = [r for r in rows if r["lag_months"] is not None]
    if not lags:
        return _finish(gap_panel, data)
    lag = {
        "data": _named("lag"),
        "mark": _mark("line", color="#444", interpolate="step-after"),
        "encoding": {
            "x": field("date:T", title=None),
            "y": field("lag_months:Q", title="lag (months)"),
            "tooltip": tooltip,
        },
    }
    lag_panel = {
        "title": f"How many months {b} trails {a} (negative: {a} trails)",
        "width": WIDTH, "height": HEIGHT // 2, "layer": [_zero_rule(), lag],
    }  # fmt: skip
    return _finish({"vconcat": [gap_panel, lag_panel]}, {**data, "lag": lags})


def pareto_chart(report: Mapping[str, Any]) -> Spec:
    """Score vs blended price per group, every priced model as a dot and each group's Pareto
    frontier as a line (a ``pareto_report``)."""
    title = (
        f"{report['name']}: score vs price ({report['evidence']}, as of {_iso(report['as_of'])})"
    )
    keys = ("model_id", "group", "score", "price")
    points = _records(report.get("points") or [], keys)
    points = [p for p in points if p["price"] is not None and p["price"] > 0]
    if not points:
        return _empty(title, "no priced model with a score in this domain")
    front = [
        {**r, "group": g["group"]}
        for g in report.get("groups") or []
        for r in _records(g["frontier"], keys)
        if r["price"] is not None and r["price"] > 0
    ]
    encoding = {
        "x": field("price:Q", scale={"type": "log"}, title="USD per 1M tokens (3:1 in:out, log)"),
        "y": field("score:Q", scale={"zero": False}, title=report["evidence"]),
        "color": _color([p["group"] for p in points]),
    }
    tooltip = _tips("model_id:N", "group:N", "score:Q", "price:Q")
    dots = {
        "data": _named("points"),
        "mark": _mark("circle", opacity=0.45, size=40),
        "encoding": {**encoding, "tooltip": tooltip},
    }
    line = {
        "data": _named("front"),
        "mark": _mark("line", interpolate="step-after", point=True, strokeWidth=2),
        "encoding": {**encoding, "order": field("price:Q"), "tooltip": tooltip},
    }
    labels = {
        "data": _named("front"),
        "mark": _mark("text", align="left", dx=5, dy=-6, fontSize=9),
        "encoding": {**encoding, "text": field("model_id:N")},
    }
    return _finish(
        {"title": title, "width": WIDTH, "height": HEIGHT + 60, "layer": [dots, line, labels]},
        {"points": points, "front": front},
    )


def leaders_chart(leaders: Sequence[Mapping[str, Any]]) -> Spec:
    """Each group's best per domain as dots on the domain's own scale, one small row per domain
    (``DomainLeaders.to_dict()`` list): scales differ (Elo, percent, FLOP), so nothing is pooled."""
    panels: list[Spec] = []
    datasets: dict[str, Rows] = {}
    # One colour domain for every panel: a shared scale built from per-panel domains mismatches.
    color = _color([g["group"] for d in leaders for g in d.get("groups") or []])
    for d in leaders:
        groups = [g for g in d.get("groups") or [] if g.get("score") is not None]
        if not groups:
            continue
        name = f"leaders-{len(panels)}"
        datasets[name] = [
            {"group": g["group"], "score": g["score"], "model_id": g["model_id"]} for g in groups
        ]
        lower = "usd" in str(d.get("unit", "")).lower()
        title = f"{d['name']} ({d['unit']}{', lower is better' if lower else ''})"
        scores = [g["score"] for g in groups]
        encoding = {
            "x": field("score:Q", scale=_log_if_wide(scores), title=None, axis=_axis(scores)),
            "y": field("group:N", title=None, sort=[g["group"] for g in groups]),
            "tooltip": _tips("group:N", "model_id:N", "score:Q"),
        }
        dots = {
            "mark": _mark("circle", opacity=0.9, size=90),
            "encoding": {**encoding, "color": color},
        }
        text = {
            "mark": _mark("text", align="left", color="#333", dx=8, fontSize=9),
            "encoding": {**encoding, "text": field("model_id:N"), "color": {"value": "#333"}},
        }
        panels.append({
            "data": _named(name), "title": {"text": title, "fontSize": 11},
            "width": WIDTH - 120, "height": 14 * len(groups), "layer": [dots, text],
        })  # fmt: skip
    if not panels:
        return _empty("Leaders", "insufficient evidence")
    return _finish(
        {"vconcat": panels, "spacing": 12, "resolve": {"scale": {"color": "shared"}}}, datasets
    )


def to_svg(spec: Spec) -> str:
    """A chart as a standalone SVG document (no scripts, no external resources)."""
    return render_one(spec)
