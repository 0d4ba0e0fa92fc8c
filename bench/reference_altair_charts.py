"""The previous chart builders, through Altair, kept as the benchmark's reference
(``bench_report.py``): the same charts as ``wholeads.charts.specs``, built as Altair objects and
serialized with ``to_spec``. Altair is not a dependency of wholeads; install it to run the
reference (``pip install -r bench/requirements-report.txt``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from wholeads.charts.render import render_one

AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart | alt.VConcatChart | alt.HConcatChart
"""What the builders return (all render with ``to_svg``)."""

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
BIG = 1e6
"""From this magnitude on, axes label values with exponents."""
"""Values spanning more than this factor (FLOP, prices) are drawn on a log scale."""


def _color(groups: Sequence[str], title: str | None = None) -> alt.Color:
    """A colour encoding that keeps each known group's colour and the groups' order."""
    known_order = list(GROUP_COLORS)
    order = sorted(set(groups), key=lambda g: (known_order.index(g) if g in known_order else 99, g))
    known = all(g in GROUP_COLORS for g in order)
    scale = (
        alt.Scale(domain=order, range=[GROUP_COLORS[g] for g in order]) if known else alt.Scale()
    )
    return alt.Color("group:N", scale=scale, title=title, sort=order, legend=_legend())


def _log_if_wide(values: Sequence[float]) -> alt.Scale:
    """Log scale for values spanning orders of magnitude; otherwise linear, not from zero."""
    positive = [v for v in values if v is not None and v > 0]
    if positive and len(positive) == len(values) and max(positive) / min(positive) > LOG_SPAN:
        return alt.Scale(type="log")
    return alt.Scale(zero=False)


def _axis(values: Sequence[float]) -> alt.Axis:
    """Exponent labels for huge values (FLOP), thousands separators otherwise."""
    big = max((abs(v) for v in values if v is not None), default=0) >= BIG
    return alt.Axis(format=".1~e" if big else ",~r")


def _legend() -> alt.Legend:
    """Legends above the plot, so they never cover the labels at the lines' right ends."""
    return alt.Legend(orient="top", direction="horizontal", title=None)


def _tips(*fields: str) -> list[alt.Tooltip]:
    """Tooltips as channel objects (a list of shorthand strings costs a schema lookup each)."""
    return [alt.Tooltip(f) for f in fields]


def _iso(value: Any) -> Any:
    """Dates as ISO strings (Vega-Lite parses them); everything else as is."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _records(rows: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    return [{k: _iso(r.get(k)) for k in keys} for r in rows]


def _empty(title: str, why: str) -> alt.Chart:
    """A small chart that says why there is nothing to draw (so every slot has an SVG)."""
    return (
        alt.Chart(alt.InlineData(values=[{"text": why}]), title=title)
        .mark_text(fontSize=13, color="#666")
        .encode(text=alt.Text("text:N"))
        .properties(width=WIDTH, height=60)
    )


def _named(name: str) -> alt.NamedData:
    """A reference to a dataset attached by ``_finish`` (see ``to_svg`` for why)."""
    return alt.NamedData(name=name)


def _finish(
    chart: AnyChart, datasets: Mapping[str, list[dict[str, Any]]] | None = None
) -> AnyChart:
    """Theme the chart and attach its rows as top-level named datasets."""
    # Assigned, not chained: every Altair method returns a deep copy, which is most of the cost.
    chart.config = alt.Config(font=FONT, view=alt.ViewConfig(strokeWidth=0))
    if datasets:
        chart.datasets = dict(datasets)
    return chart


def frontier_chart(report: Mapping[str, Any]) -> AnyChart:
    """Each group's best score at every date of the domain's evidence (a ``frontier_report``)."""
    title = f"{report['name']}: best model per {report['by']} ({report['evidence']})"
    rows = _steps(_records(report.get("frontier") or [], ("date", "group", "value", "model_id")))
    if not rows:
        return _finish(_empty(title, "insufficient evidence"))
    y_scale = _log_if_wide([r["value"] for r in rows])
    base = alt.Chart(_named("frontier"), title=title).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y(
            "value:Q",
            title=report["evidence"],
            scale=y_scale,
            axis=_axis([r["value"] for r in rows]),
        ),
        color=_color([r["group"] for r in rows], title=report["by"]),
        tooltip=_tips("date:T", "group:N", "model_id:N", "value:Q"),
    )
    lines = base.mark_line(interpolate="step-after", strokeWidth=2)
    last = {r["group"]: r for r in rows}  # rows are in date order: the newest per group
    ends = (
        alt.Chart(_named("ends"))
        .mark_text(align="left", dx=5, fontSize=10)
        .encode(
            x=alt.X("date:T"),
            y=alt.Y("value:Q", scale=y_scale),
            text=alt.Text("model_id:N"),
            color=_color([r["group"] for r in rows], title=report["by"]),
        )
    )
    new_model = [r for r in rows if r["new_model"]]
    points = (
        alt.Chart(_named("new_model"))
        .mark_circle(size=22)
        .encode(x=alt.X("date:T"), y=alt.Y("value:Q", scale=y_scale),
                color=_color([r["group"] for r in rows], title=report["by"]))
    )  # fmt: skip
    chart = alt.layer(lines, points, ends).properties(width=WIDTH, height=HEIGHT)
    return _finish(chart, {"frontier": rows, "ends": list(last.values()), "new_model": new_model})


def _steps(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the rows where a group's value or model changed, plus each group's last row: a step
    line through them is the same line, drawn from far fewer points (``new_model`` marks a new
    best model)."""
    out: list[dict[str, Any]] = []
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


def gap_chart(report: Mapping[str, Any]) -> AnyChart:
    """The gap between two groups (a minus b, in the evidence's unit) and the lag in months, one
    panel each (a ``gap_report``); positive means the first group leads."""
    a, b, unit = report["a"], report["b"], report.get("unit") or ""
    title = f"{report['name']}: {a} minus {b} ({report['evidence']})"
    rows = [
        r for r in _records(report.get("series") or [], ("date", "gap", "lag_months", "leader",
                                                          "a_model", "b_model"))
        if r["gap"] is not None
    ]  # fmt: skip
    if not rows:
        return _finish(_empty(title, f"no date with both {a} and {b} in the evidence"))
    tooltip = _tips("date:T", "gap:Q", "lag_months:Q", "a_model:N", "b_model:N")
    zero = (
        alt.Chart(alt.InlineData(values=[{"y": 0}])).mark_rule(color="#999").encode(y=alt.Y("y:Q"))
    )
    gap = alt.Chart(_named("gap")).encode(
        x=alt.X("date:T", title=None),
        y=alt.Y("gap:Q", title=f"gap ({unit})", axis=_axis([r["gap"] for r in rows])),
        tooltip=tooltip,
    )
    gap_panel = alt.layer(
        zero,
        gap.mark_area(opacity=0.25, color=GROUP_COLORS.get(a, "#1f5fbf"), interpolate="step-after"),
        gap.mark_line(color=GROUP_COLORS.get(a, "#1f5fbf"), interpolate="step-after"),
    ).properties(width=WIDTH, height=HEIGHT * 2 // 3, title=title)
    lags = [r for r in rows if r["lag_months"] is not None]
    if not lags:
        return _finish(gap_panel, {"gap": rows})
    lag = (
        alt.Chart(_named("lag"))
        .mark_line(color="#444", interpolate="step-after")
        .encode(
            x=alt.X("date:T", title=None),
            y=alt.Y("lag_months:Q", title="lag (months)"),
            tooltip=tooltip,
        )
    )
    lag_panel = alt.layer(zero, lag).properties(
        width=WIDTH,
        height=HEIGHT // 2,
        title=f"How many months {b} trails {a} (negative: {a} trails)",
    )
    return _finish(alt.vconcat(gap_panel, lag_panel), {"gap": rows, "lag": lags})


def pareto_chart(report: Mapping[str, Any]) -> AnyChart:
    """Score vs blended price per group, every priced model as a dot and each group's Pareto
    frontier as a line (a ``pareto_report``)."""
    title = (
        f"{report['name']}: score vs price ({report['evidence']}, as of {_iso(report['as_of'])})"
    )
    keys = ("model_id", "group", "score", "price")
    points = _records(report.get("points") or [], keys)
    points = [p for p in points if p["price"] is not None and p["price"] > 0]
    if not points:
        return _finish(_empty(title, "no priced model with a score in this domain"))
    front = [
        {**r, "group": g["group"]}
        for g in report.get("groups") or []
        for r in _records(g["frontier"], keys)
        if r["price"] is not None and r["price"] > 0
    ]
    groups = [p["group"] for p in points]
    x = alt.X("price:Q", scale=alt.Scale(type="log"), title="USD per 1M tokens (3:1 in:out, log)")
    y = alt.Y("score:Q", scale=alt.Scale(zero=False), title=report["evidence"])
    tooltip = _tips("model_id:N", "group:N", "score:Q", "price:Q")
    dots = (
        alt.Chart(_named("points"))
        .mark_circle(size=40, opacity=0.45)
        .encode(x=x, y=y, color=_color(groups), tooltip=tooltip)
    )
    line = (
        alt.Chart(_named("front"))
        .mark_line(interpolate="step-after", strokeWidth=2, point=True)
        .encode(x=x, y=y, color=_color(groups), order=alt.Order("price:Q"), tooltip=tooltip)
    )
    labels = (
        alt.Chart(_named("front"))
        .mark_text(align="left", dx=5, dy=-6, fontSize=9)
        .encode(x=x, y=y, text=alt.Text("model_id:N"), color=_color(groups))
    )
    chart = alt.layer(dots, line, labels).properties(width=WIDTH, height=HEIGHT + 60, title=title)
    return _finish(chart, {"points": points, "front": front})


def leaders_chart(leaders: Sequence[Mapping[str, Any]]) -> AnyChart:
    """Each group's best per domain as dots on the domain's own scale, one small row per domain
    (``DomainLeaders.to_dict()`` list): scales differ (Elo, percent, FLOP), so nothing is pooled."""
    rows: list[AnyChart] = []
    datasets: dict[str, list[dict[str, Any]]] = {}
    # One colour domain for every panel: a shared scale built from per-panel domains mismatches.
    color = _color([g["group"] for d in leaders for g in d.get("groups") or []])
    for d in leaders:
        groups = [g for g in d.get("groups") or [] if g.get("score") is not None]
        if not groups:
            continue
        data = [
            {"group": g["group"], "score": g["score"], "model_id": g["model_id"]} for g in groups
        ]
        lower = "usd" in str(d.get("unit", "")).lower()
        title = f"{d['name']} ({d['unit']}{', lower is better' if lower else ''})"
        scores = [g["score"] for g in groups]
        x = alt.X("score:Q", scale=_log_if_wide(scores), title=None, axis=_axis(scores))
        name = f"leaders-{len(rows)}"
        datasets[name] = data
        base = alt.Chart(_named(name)).encode(
            x=x,
            y=alt.Y("group:N", title=None, sort=[g["group"] for g in groups]),
            color=color,
            tooltip=_tips("group:N", "model_id:N", "score:Q"),
        )
        dots = base.mark_circle(size=90, opacity=0.9)
        text = base.mark_text(align="left", dx=8, fontSize=9, color="#333").encode(
            text=alt.Text("model_id:N"), color=alt.value("#333")
        )
        rows.append(
            alt.layer(dots, text).properties(
                width=WIDTH - 120,
                height=14 * len(groups),
                title=alt.TitleParams(title, fontSize=11),
            )
        )
    if not rows:
        return _finish(_empty("Leaders", "insufficient evidence"))
    return _finish(alt.vconcat(*rows, spacing=12).resolve_scale(color="shared"), datasets)


def to_spec(chart: AnyChart) -> dict[str, Any]:
    """The chart as a Vega-Lite spec.

    The named datasets are detached while Altair serializes the spec and put back after: Altair
    walks every value of inline data one by one, which made serializing cost more than drawing.
    """
    datasets = chart.datasets if "datasets" in chart._kwds else alt.Undefined
    if datasets is alt.Undefined:
        return dict(chart.to_dict(validate=False))
    light = chart.copy(deep=False)
    light.datasets = alt.Undefined
    spec = dict(light.to_dict(validate=False))
    spec["datasets"] = datasets
    return spec


def to_svg(chart: AnyChart) -> str:
    """The chart as a standalone SVG document (no scripts, no external resources)."""
    return render_one(to_spec(chart))
