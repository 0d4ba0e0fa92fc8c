"""The home page's one chart: every domain's lead on a common scale, with its interval (pure).

The common scale is the leader's head-to-head win probability over the runner-up, where the
deciding evidence is on the Elo scale: P = 1 / (1 + 10^(-gap/400)) (``analysis.leaders.
win_probability``, the number the leaders table prints). Its 95% interval is the same
transformation of the gap's normal-approximation interval, gap +- 1.96 se with se from both
groups' interval half-widths: the test ``analysis.leaders.significance`` applies, so an interval
crossing 50% is exactly a "tie" verdict. Nothing new is estimated; the rows come from the answers
the home table shows (``DomainLeaders.to_dict()``). A domain without an interval (a percent
benchmark without one, a price, training compute, a runner-up below a top-N board's cut-off)
gets a row that says why instead of a point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from wholeads.analysis.leaders import win_probability
from wholeads.web.render import num, short_unit

Z95 = 1.959963984540054
WIDTH = 520
ROW = 26
GROUP_COLORS = {"US": "#1f5fbf", "CN": "#d62728", "EU": "#e0a100", "other": "#7f7f7f",
                "closed": "#6a3d9a", "open": "#2ca02c"}  # fmt: skip
TIE_COLOR = "#8a5a00"


def _half(g: Mapping[str, Any] | None) -> float | None:
    if not g or g.get("ci_low") is None or g.get("ci_high") is None:
        return None
    return (float(g["ci_high"]) - float(g["ci_low"])) / 2


def lead_rows(leaders: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per domain: the leader's win probability and its 95% interval, or why not."""
    rows = []
    for d in leaders:
        gap = d.get("gap") or {}
        groups = {g["group"]: g for g in d.get("groups") or []}
        row: dict[str, Any] = {
            "domain": d["domain"], "name": d["name"], "leader": gap.get("leader"),
            "runner_up": gap.get("runner_up"), "verdict": d.get("verdict"),
            "p": None, "low": None, "high": None, "why": None,
        }  # fmt: skip
        ha, hb = _half(groups.get(gap.get("leader"))), _half(groups.get(gap.get("runner_up")))
        if not d.get("leader") or gap.get("points") is None:
            row["why"] = "insufficient evidence"
        elif gap.get("win_probability") is None:
            row["why"] = f"by {_gap_text(d)}; {_no_scale(d)}"
        elif gap.get("bound") == "at_least":
            row["why"] = "runner-up below a top-N board's cut-off: a bound, no interval"
        elif ha is None or hb is None:
            row["why"] = "no interval: the source gives none"
        else:
            points = float(gap["points"])
            se = math.hypot(ha / Z95, hb / Z95)
            row |= {
                "p": float(gap["win_probability"]),
                "low": win_probability(points - Z95 * se),
                "high": win_probability(points + Z95 * se),
            }
        row["label"] = _label(row)
        rows.append(row)
    return rows


def _gap_text(d: Mapping[str, Any]) -> str:
    unit = str(d.get("unit", ""))
    text = num(float(d["gap"]["points"]), unit)
    return f"{text}/Mtok" if "usd" in unit.lower() else f"{text} {short_unit(unit)}"


def _no_scale(d: Mapping[str, Any]) -> str:
    """Why a domain has no win probability: what its deciding evidence measures."""
    unit = str(d.get("unit", "")).lower()
    if "usd" in unit:
        return "a price, no interval"
    if "flop" in unit:
        return "compute, no interval"
    return "no interval (untested)"


def _label(row: Mapping[str, Any]) -> str:
    if row["why"]:
        return f"{row['leader']} ahead {row['why']}" if row["leader"] else str(row["why"])
    if row["low"] is not None and row["low"] <= 0.5:
        return f"tie: {row['leader']} ≈ {row['runner_up']}"
    return f"{row['leader']} leads {row['runner_up']}"


def lead_chart(leaders: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The Vega-Lite spec: one row per domain, the 50% line, each interval and its point."""
    rows = lead_rows(leaders)
    for r in rows:
        r["tie"] = r["low"] is not None and r["low"] <= 0.5
        r["color"] = TIE_COLOR if r["tie"] else GROUP_COLORS.get(str(r["leader"]), "#444")
        r["x_text"] = 0.5
    xs = [v for r in rows for v in (r["low"], r["high"]) if v is not None]
    lo = min([0.45, *xs]) - 0.01
    hi = max([0.6, *xs]) + 0.01
    order = [r["name"] for r in rows]
    y = {"field": "name", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelFontSize": 12, "labelLimit": 260}}  # fmt: skip
    x_scale = {"domain": [round(lo, 3), round(hi, 3)], "zero": False, "nice": False}
    x = {"field": "p", "type": "quantitative", "scale": x_scale,
         "title": "leader's head-to-head win probability over the runner-up (95% interval)",
         "axis": {"format": ".0%", "grid": True}}  # fmt: skip
    measured = {"filter": "datum.p != null"}
    layers = [
        {"data": {"values": [{"p": 0.5}]},
         "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#333"},
         "encoding": {"x": {"field": "p", "type": "quantitative", "scale": x_scale}}},
        {"transform": [measured],
         "mark": {"type": "rule", "strokeWidth": 3, "opacity": 0.75},
         "encoding": {"y": y, "x": {**x, "field": "low"}, "x2": {"field": "high"},
                      "color": {"field": "color", "type": "nominal", "scale": None}}},
        {"transform": [measured],
         "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
         "encoding": {"y": y, "x": x, "color": {"field": "color", "type": "nominal",
                                                 "scale": None},
                      "shape": {"field": "tie", "type": "nominal", "legend": None,
                                "scale": {"domain": [False, True],
                                          "range": ["circle", "diamond"]}}}},
        {"mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 12},
         "encoding": {"y": y, "x": {"value": WIDTH},
                      "text": {"field": "label"},
                      "color": {"field": "color", "type": "nominal", "scale": None}}},
        {"transform": [{"filter": "datum.p == null"}],
         "mark": {"type": "text", "text": "no interval", "fontSize": 10, "color": "#888",
                  "fontStyle": "italic"},
         "encoding": {"y": y, "x": {"field": "x_text", "type": "quantitative",
                                    "scale": x_scale}}},
    ]  # fmt: skip
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": {"font": "sans-serif", "view": {"strokeWidth": 0}},
        "title": {"text": "Each domain's lead on one scale: 50% = no gap; an interval crossing"
                  " the dashed line is a tie", "fontSize": 12, "anchor": "start"},
        "data": {"values": rows},
        "width": WIDTH,
        "height": ROW * len(rows),
        "padding": {"right": 10, "left": 5, "top": 5, "bottom": 5},
        "layer": layers,
    }  # fmt: skip
