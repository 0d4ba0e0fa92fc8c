"""Charts of the standard figures (wholeads.query.figures and the gap in percent): pure functions
from their plain dicts to Vega-Lite specs, drawn in the same style as ``charts.specs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wholeads.charts.specs import (
    GROUP_COLORS,
    HEIGHT,
    WIDTH,
    Spec,
    _color,
    _empty,
    _finish,
    _mark,
    _records,
    _tips,
    _zero_rule,
    field,
)

ALL_COLOR = "#222222"


def gap_percent_chart(report: Mapping[str, Any]) -> Spec:
    """The gap in percent of the trailing group's best over time (a ``gap_report``)."""
    a, b = report["a"], report["b"]
    title = (
        f"{report['name']}: {a} minus {b}, in percent of the trailing best ({report['evidence']})"
    )
    keys = ("date", "percent", "gap", "win_probability", "a_model", "b_model")
    rows = [r for r in _records(report.get("series") or [], keys) if r["percent"] is not None]
    if not rows:
        return _empty(title, f"no date with both {a} and {b} on a ratio or Elo scale")
    line = {
        "data": {"values": rows},
        "mark": _mark("line", interpolate="step-after", color=GROUP_COLORS.get(a, "#1f5fbf")),
        "encoding": {
            "x": field("date:T", title=None),
            "y": field("percent:Q", title="gap (% of the trailing best)"),
            "tooltip": _tips(
                "date:T", "percent:Q", "gap:Q", "win_probability:Q", "a_model:N", "b_model:N"
            ),
        },
    }
    return _finish(
        {"title": title, "width": WIDTH, "height": HEIGHT, "layer": [_zero_rule(), line]}
    )


def spread_chart(report: Mapping[str, Any]) -> Spec:
    """The best minus the k-th best over time, one line per group and one for the field."""
    title = f"{report['name']}: best minus {report['k']}th best ({report['evidence']})"
    keys = ("date", "group", "spread", "percent", "top_model", "kth_model")
    rows = [r for r in _records(report.get("series") or [], keys) if r["spread"] is not None]
    if not rows:
        return _empty(title, f"no date with {report['k']} models in a group")
    groups = sorted({r["group"] for r in rows})
    colour = _color([g for g in groups if g != "all"], title=None)
    if "all" in groups and "scale" in colour and colour["scale"]:
        colour["scale"] = {
            "domain": [*colour["scale"]["domain"], "all"],
            "range": [*colour["scale"]["range"], ALL_COLOR],
        }
        colour["sort"] = colour["scale"]["domain"]
    line = {
        "data": {"values": rows},
        "mark": _mark("line", interpolate="step-after", strokeWidth=1.5),
        "encoding": {
            "x": field("date:T", title=None),
            "y": field("spread:Q", title=f"best - {report['k']}th best ({report['unit']})"),
            "color": colour,
            "tooltip": _tips(
                "date:T", "group:N", "spread:Q", "percent:Q", "top_model:N", "kth_model:N"
            ),
        },
    }
    return _finish({"title": title, "width": WIDTH, "height": HEIGHT, "layer": [line]})


def lag_chart(report: Mapping[str, Any]) -> Spec:
    """Each domain's average lag over the window with its 95% interval, one row per pair."""
    title = f"Average lag, {report['since']} to {report['until']} (months, 95% interval)"
    rows = [
        {
            "label": f"{r['domain']}: {r['b']} behind {r['a']}",
            "pair": f"{r['a']}-{r['b']}",
            "mean": r["mean_months"],
            "low": r["ci_low"],
            "high": r["ci_high"],
        }
        for r in report.get("rows") or []
        if r["mean_months"] is not None
    ]
    if not rows:
        return _empty(title, "no domain has a lag in the window")
    y = field("label:N", title=None, sort=None)
    bars = {
        "mark": _mark("point", filled=True, size=50),
        "encoding": {
            "y": y,
            "x": field("mean:Q", title="months"),
            "color": field("pair:N", legend={"orient": "top", "title": None}),
            "tooltip": _tips("label:N", "mean:Q", "low:Q", "high:Q"),
        },
    }
    whiskers = {
        "mark": _mark("rule"),
        "encoding": {"y": y, "x": field("low:Q"), "x2": field("high"), "color": field("pair:N")},
    }
    return _finish(
        {
            "title": title,
            "width": WIDTH,
            "height": 14 * len(rows),
            "data": {"values": rows},
            "layer": [whiskers, bars],
        }
    )


def home_field_chart(report: Mapping[str, Any]) -> Spec:
    """The Chinese-prompt gap minus the English-prompt gap at every date, with its interval."""
    a, b = report["a"], report["b"]
    title = f"Home field: ({a} - {b} in Chinese) minus ({a} - {b} in English), Elo"
    rows = [
        {
            "date": r["date"].isoformat() if hasattr(r["date"], "isoformat") else r["date"],
            "difference": r["difference"],
            "low": r["ci_low"],
            "high": r["ci_high"],
        }
        for r in report.get("series") or []
    ]
    if not rows:
        return _empty(title, "no date with both a Chinese- and an English-prompt board")
    x = field("date:T", title=None)
    dots = {
        "mark": _mark("point", filled=True, color=GROUP_COLORS.get(b, "#d62728")),
        "encoding": {
            "x": x,
            "y": field("difference:Q", title="difference of the gaps (Elo)"),
            "tooltip": _tips("date:T", "difference:Q", "low:Q", "high:Q"),
        },
    }
    bars = {
        "mark": _mark("rule", color="#999"),
        "encoding": {"x": x, "y": field("low:Q"), "y2": field("high")},
    }
    return _finish(
        {
            "title": title,
            "width": WIDTH,
            "height": HEIGHT,
            "layer": [_zero_rule(), {"data": {"values": rows}, "layer": [bars, dots]}],
        }
    )


def compute_chart(report: Mapping[str, Any]) -> Spec:
    """Each ecosystem's top-k rolling frontier runs on a log scale, with its fitted trend."""
    title = f"Top-{report['k']} rolling frontier of disclosed training compute (FLOP, log scale)"
    runs = [
        {
            "date": r["released"].isoformat(),
            "group": r["group"],
            "flop": r["flop"],
            "model_id": r["model_id"],
        }
        for r in report.get("frontier") or []
        if r["released"] >= report["since"]
    ]
    if not runs:
        return _empty(title, "no disclosed training run in the window")
    lines = []
    for f in report.get("fits") or []:
        if f["status"] != "ok":
            continue
        slope, level = f["slope_log10_per_year"], f["level_log10_at_end"]
        years = (f["end"] - f["start"]).days / 365.25
        lines += [
            {
                "date": f["start"].isoformat(),
                "group": f["group"],
                "flop": 10 ** (level - slope * years),
            },
            {"date": f["end"].isoformat(), "group": f["group"], "flop": 10**level},
        ]
    colour = _color([r["group"] for r in runs], title=None)
    x = field("date:T", title=None)
    y = field(
        "flop:Q", title="training compute (FLOP)", scale={"type": "log"}, axis={"format": ".0e"}
    )
    dots = {
        "data": {"values": runs},
        "mark": _mark("circle", size=18, opacity=0.7),
        "encoding": {
            "x": x,
            "y": y,
            "color": colour,
            "tooltip": _tips("date:T", "group:N", "model_id:N", "flop:Q"),
        },
    }
    fit = {
        "data": {"values": lines},
        "mark": _mark("line", strokeDash=[4, 3]),
        "encoding": {"x": x, "y": y, "color": colour, "detail": field("group:N")},
    }
    return _finish({"title": title, "width": WIDTH, "height": HEIGHT, "layer": [dots, fit]})


def benchmark_gaps_chart(report: Mapping[str, Any]) -> Spec:
    """Each percent-scale benchmark's a-b gap in percentage points at each year's end (the AI
    Index's table; arenas have the gap-percent figure)."""
    a, b = report["a"], report["b"]
    title = f"{a} minus {b} per benchmark at each year's end (percentage points)"
    rows = [
        {
            "benchmark": r["benchmark"],
            "date": r["date"].isoformat(),
            "gap": r["gap"],
            "a_model": r["a_model"],
            "b_model": r["b_model"],
        }
        for r in report.get("rows") or []
        if r["gap"] is not None and r["scale"] == "percent"
    ]
    if not rows:
        return _empty(title, f"no benchmark compares {a} and {b} at a year's end")
    benches = sorted({r["benchmark"] for r in rows})
    dots = {
        "mark": _mark("point", filled=True, size=40),
        "encoding": {
            "y": field("benchmark:N", title=None, sort=benches),
            "x": field("gap:Q", title="gap (percentage points)"),
            "color": field("date:O", title=None, legend={"orient": "top"}),
            "tooltip": _tips("benchmark:N", "date:N", "gap:Q", "a_model:N", "b_model:N"),
        },
    }
    rule = {"mark": _mark("rule", color="#999"), "encoding": {"x": {"datum": 0}}}
    return _finish(
        {
            "title": title,
            "width": WIDTH,
            "height": 14 * len(benches),
            "data": {"values": rows},
            "layer": [rule, dots],
        }
    )


def availability_chart(report: Mapping[str, Any]) -> Spec:
    """How many providers serve each model, per ecosystem (a box per ecosystem)."""
    title = f"Providers serving each model, by ecosystem ({report['as_of']})"
    rows = [
        {"group": m["ecosystem"], "providers": m["providers"], "model_id": m["model_id"]}
        for m in report.get("models") or []
        if m["ecosystem"] is not None
    ]
    if not rows:
        return _empty(title, "no catalog lists a price on this date")
    colour = _color([r["group"] for r in rows], title=None)
    box = {
        "mark": {"type": "boxplot", "extent": 1.5},
        "encoding": {
            "y": field("group:N", title=None, sort=colour.get("sort")),
            "x": field("providers:Q", title="providers listing a price", scale={"type": "symlog"}),
            "color": {**colour, "legend": None},
        },
    }
    return _finish(
        {
            "title": title,
            "width": WIDTH,
            "height": 30 * len({r["group"] for r in rows}),
            "data": {"values": rows},
            **box,
        }
    )


def forecast_chart(report: Mapping[str, Any]) -> Spec:
    """Each domain's backtest: the share of past 95% intervals that held the outcome."""
    title = "Catch-up forecasts: backtest coverage of the 95% intervals (nominal 95%)"
    rows = [
        {
            "domain": r["domain"],
            "coverage": r["calibration"]["coverage"],
            "scored": r["calibration"]["hits"] + r["calibration"]["misses"],
            "status": r["forecast"]["status"],
        }
        for r in report.get("rows") or []
        if r["calibration"]["coverage"] is not None
    ]
    if not rows:
        return _empty(title, "no backtest forecast could be scored yet")
    y = field("domain:N", title=None, sort=None)
    bars = {
        "mark": _mark("bar", color="#888"),
        "encoding": {
            "y": y,
            "x": field(
                "coverage:Q", title="coverage", axis={"format": "%"}, scale={"domain": [0, 1]}
            ),
            "tooltip": _tips("domain:N", "coverage:Q", "scored:Q", "status:N"),
        },
    }
    nominal = {
        "mark": _mark("rule", color="#d62728", strokeDash=[4, 3]),
        "encoding": {"x": {"datum": 0.95}},
    }
    return _finish(
        {
            "title": title,
            "width": WIDTH,
            "height": 16 * len(rows),
            "data": {"values": rows},
            "layer": [bars, nominal],
        }
    )


def notable_chart(report: Mapping[str, Any]) -> Spec:
    """Notable models per ecosystem per year (a ``notable_report``): a line per ecosystem, solid
    for single-country counts, dashed for any participation; frontier counts in the tooltip."""
    title = f"Notable AI models per ecosystem per year (Epoch, as of {report['as_of']})"
    definitions = {"notable_single": "single-country", "notable_any": "any participation"}
    rows = [
        {
            "year": r["year"],
            "group": r["ecosystem"],
            "definition": label,
            "models": r[key],
            "frontier": r["frontier_single" if key == "notable_single" else "frontier_any"],
            "catalogued": r["catalogued"],
        }
        for r in report.get("rows") or []
        for key, label in definitions.items()
    ]
    if report.get("status") != "ok" or not rows:
        return _empty(title, "the database holds no notable-models list")
    colour = _color([r["group"] for r in rows], title=None)
    x = field("year:O", title=None, axis={"labelAngle": 0})
    tips = _tips("year:O", "group:N", "definition:N", "models:Q", "frontier:Q", "catalogued:Q")
    line = {
        "mark": _mark("line", strokeWidth=1.5),
        "encoding": {
            "x": x,
            "y": field("models:Q", title="notable models"),
            "color": colour,
            "strokeDash": field("definition:N", title=None, sort=list(definitions.values())),
        },
    }
    dots = {
        "mark": _mark("point", filled=True, size=30),
        "encoding": {"x": x, "y": field("models:Q"), "color": colour, "tooltip": tips},
    }
    return _finish(
        {
            "title": title,
            "width": WIDTH,
            "height": HEIGHT,
            "data": {"values": rows},
            "layer": [line, dots],
        }
    )
