"""The chart builders' Vega-Lite specs (plain dicts): vl-convert compiles them without a warning
and renders them, and the SVG shows what the inputs say: the models, each group's colour, log
scales where values span orders of magnitude, legends above the plot, a note when empty."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import vl_convert

from wholeads.charts import specs as charts
from wholeads.charts.render import VEGA_LITE

SVG_NS = "{http://www.w3.org/2000/svg}"
US_BLUE, CN_RED = "#1f5fbf", "#d62728"


def _frontier(values: tuple[float, float, float]) -> dict[str, Any]:
    """US leads with model a, then CN's b overtakes it; US answers with c."""
    us1, cn, us2 = values
    return {"name": "Math", "by": "ecosystem", "evidence": "bench", "frontier": [
        {"date": dt.date(2025, 1, 1), "group": "US", "value": us1, "model_id": "model-a"},
        {"date": dt.date(2025, 2, 1), "group": "US", "value": us1, "model_id": "model-a"},
        {"date": dt.date(2025, 2, 1), "group": "CN", "value": cn, "model_id": "model-b"},
        {"date": dt.date(2025, 3, 1), "group": "US", "value": us2, "model_id": "model-c"},
        {"date": dt.date(2025, 3, 1), "group": "CN", "value": cn, "model_id": "model-b"},
    ]}  # fmt: skip


GAP = {"name": "Math", "a": "US", "b": "CN", "evidence": "bench", "unit": "Elo", "series": [
    {"date": dt.date(2025, 1, 1), "gap": 30.0, "lag_months": 4.0, "leader": "US",
     "a_model": "model-a", "b_model": "model-b"},
    {"date": dt.date(2025, 3, 1), "gap": -5.0, "lag_months": -1.0, "leader": "CN",
     "a_model": "model-a", "b_model": "model-b"},
]}  # fmt: skip
PARETO = {"name": "Coding", "evidence": "bench", "as_of": dt.date(2025, 3, 1), "groups": [
    {"group": "US", "frontier": [{"model_id": "cheap-us", "score": 10.0, "price": 0.5},
                                 {"model_id": "best-us", "score": 30.0, "price": 20.0}]},
    {"group": "CN", "frontier": [{"model_id": "cheap-cn", "score": 25.0, "price": 1.0}]}],
    "points": [{"model_id": "cheap-us", "group": "US", "score": 10.0, "price": 0.5},
               {"model_id": "best-us", "group": "US", "score": 30.0, "price": 20.0},
               {"model_id": "cheap-cn", "group": "CN", "score": 25.0, "price": 1.0},
               {"model_id": "free-cn", "group": "CN", "score": 5.0, "price": 0.0}],
}  # fmt: skip
LEADERS = [
    {"name": "General", "unit": "Elo", "groups": [
        {"group": "US", "score": 1400.0, "model_id": "top-us"},
        {"group": "CN", "score": 1380.0, "model_id": "top-cn"}]},
    {"name": "Training compute", "unit": "FLOP", "groups": [
        {"group": "US", "score": 5e26, "model_id": "big-us"},
        {"group": "CN", "score": 3e23, "model_id": "big-cn"}]},
    {"name": "Untested", "unit": "percent", "groups": [
        {"group": "US", "score": None, "model_id": "nobody"}]},
]  # fmt: skip


def _svg(spec: dict[str, Any], capfd: pytest.CaptureFixture[str]) -> ET.Element:
    """The spec compiled with warnings on (none may be printed), then rendered and parsed."""
    vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE, show_warnings=True)
    assert "WARN" not in capfd.readouterr().err
    root = ET.fromstring(charts.to_svg(spec))
    assert root.tag == f"{SVG_NS}svg" and float(root.attrib["width"]) > 0
    return root


def _texts(root: ET.Element, role: str) -> list[str]:
    """The text of every item of one role (axis labels, legend labels, text marks...)."""
    return [
        "".join(t.itertext())
        for g in root.iter(f"{SVG_NS}g")
        if role in g.attrib.get("class", "").split()
        for t in g.iter(f"{SVG_NS}text")
    ]


def _aria(root: ET.Element, kind: str) -> list[str]:
    return [
        e.attrib["aria-label"]
        for e in root.iter()
        if e.attrib.get("aria-roledescription") == kind and "aria-label" in e.attrib
    ]


def _colours(root: ET.Element) -> set[str]:
    return {e.attrib.get(a, "") for e in root.iter() for a in ("fill", "stroke")}


def test_frontier_names_each_groups_newest_model_in_its_colour(
    capfd: pytest.CaptureFixture[str],
) -> None:
    root = _svg(charts.frontier_chart(_frontier((50.0, 60.0, 70.0))), capfd)
    ends = _texts(root, "role-mark")
    assert sorted(ends) == ["model-b", "model-c"]  # the newest best of CN and of US
    assert {US_BLUE, CN_RED} <= _colours(root)
    assert _texts(root, "role-legend-label") == ["US", "CN"]  # known groups in their order
    assert any("linear scale" in a for a in _aria(root, "axis"))


def test_frontier_steps_keep_only_changes(capfd: pytest.CaptureFixture[str]) -> None:
    """Five input rows, one repeat (US on 2025-02-01): the line is drawn from four; new models
    get a dot (a, b, then c)."""
    spec = charts.frontier_chart(_frontier((50.0, 60.0, 70.0)))
    assert len(spec["datasets"]["frontier"]) == 4
    assert [r["model_id"] for r in spec["datasets"]["new_model"]] == [
        "model-a",
        "model-b",
        "model-c",
    ]
    _svg(spec, capfd)


def test_values_spanning_orders_of_magnitude_use_a_log_scale(
    capfd: pytest.CaptureFixture[str],
) -> None:
    root = _svg(charts.frontier_chart(_frontier((1e22, 3e24, 2e26))), capfd)
    assert any("log scale" in a for a in _aria(root, "axis"))
    assert any(re.fullmatch(r"1e\+2[2-6]", t) for t in _texts(root, "role-axis-label"))


def test_legend_is_above_the_plot(capfd: pytest.CaptureFixture[str]) -> None:
    root = _svg(charts.frontier_chart(_frontier((50.0, 60.0, 70.0))), capfd)
    legend = next(
        g for g in root.iter(f"{SVG_NS}g") if "role-legend" in g.attrib.get("class", "").split()
    )
    offset = next(g.attrib["transform"] for g in legend if "transform" in g.attrib)
    y = float(re.fullmatch(r"translate\(([-\d.]+),([-\d.]+)\)", offset).group(2))  # type: ignore[union-attr]
    assert y < 0  # drawn above the data rectangle's top edge


def test_gap_draws_both_panels_and_the_zero_line(capfd: pytest.CaptureFixture[str]) -> None:
    root = _svg(charts.gap_chart(GAP), capfd)
    titles = _texts(root, "role-title-text")
    assert titles == [
        "Math: US minus CN (bench)",
        "How many months CN trails US (negative: US trails)",
    ]
    assert len(_aria(root, "rule mark")) == 2  # y = 0 in each panel
    assert US_BLUE in _colours(root)


def test_gap_without_lags_has_one_panel(capfd: pytest.CaptureFixture[str]) -> None:
    series = [{**g, "lag_months": None} for g in GAP["series"]]  # type: ignore[attr-defined]
    root = _svg(charts.gap_chart({**GAP, "series": series}), capfd)
    assert _texts(root, "role-title-text") == ["Math: US minus CN (bench)"]


def test_pareto_labels_the_frontier_and_skips_free_models(
    capfd: pytest.CaptureFixture[str],
) -> None:
    spec = charts.pareto_chart(PARETO)
    priced = [p["model_id"] for p in spec["datasets"]["points"]]
    assert priced == ["cheap-us", "best-us", "cheap-cn"]
    root = _svg(spec, capfd)
    assert sorted(t for t in _texts(root, "role-mark")) == ["best-us", "cheap-cn", "cheap-us"]
    assert any("log scale" in a and "X-axis" in a for a in _aria(root, "axis"))
    assert {US_BLUE, CN_RED} <= _colours(root)


def test_leaders_one_panel_per_scored_domain_each_on_its_scale(
    capfd: pytest.CaptureFixture[str],
) -> None:
    spec = charts.leaders_chart(LEADERS)
    root = _svg(spec, capfd)
    assert _texts(root, "role-title-text") == ["General (Elo)", "Training compute (FLOP)"]
    assert sorted(_texts(root, "role-mark")) == ["big-cn", "big-us", "top-cn", "top-us"]
    scales = [a for a in _aria(root, "axis") if a.startswith("X-axis")]
    assert "linear scale" in scales[0] and "log scale" in scales[1]


@pytest.mark.parametrize(
    ("builder", "data", "why"),
    [
        (charts.frontier_chart, {**_frontier((1.0, 2.0, 3.0)), "frontier": []},
         "insufficient evidence"),
        (charts.gap_chart, {**GAP, "series": []}, "no date with both US and CN in the evidence"),
        (charts.pareto_chart, {**PARETO, "points": []},
         "no priced model with a score in this domain"),
        (charts.leaders_chart, [], "insufficient evidence"),
    ],
)  # fmt: skip
def test_an_empty_chart_says_why(
    builder: Any, data: Any, why: str, capfd: pytest.CaptureFixture[str]
) -> None:
    root = _svg(builder(data), capfd)
    assert why in _texts(root, "role-mark")


def test_specs_are_plain_json() -> None:
    """Every value is a JSON type (dates as ISO text): nothing a library must serialize."""
    for spec in (charts.frontier_chart(_frontier((1.0, 2.0, 3.0))), charts.gap_chart(GAP),
                 charts.pareto_chart(PARETO), charts.leaders_chart(LEADERS)):  # fmt: skip
        assert json.loads(json.dumps(spec)) == spec


SPY = """
import json, os, vl_convert
from wholeads.charts import render as svgrender
seen = []
real = vl_convert.vegalite_to_svg
def spy(spec, **kw):
    seen.append(os.environ.get("FONTCONFIG_FILE"))
    return real(spec, **kw)
vl_convert.vegalite_to_svg = spy
svgrender.render_one({"mark": "point"})
svgrender.render_one({"mark": "point"})
print(json.dumps({"seen": seen, "after": os.environ["FONTCONFIG_FILE"],
                  "bundled": str(svgrender.BUNDLED_FONTS_ONLY)}))
"""


def test_fonts_are_loaded_from_the_bundle_and_the_environment_restored() -> None:
    """A fresh process: while vl-convert loads its fonts (its first conversion) FONTCONFIG_FILE
    names the file of no font folder; afterwards the caller's own value is back, for every
    later conversion and for a browser started later."""
    env = {**os.environ, "FONTCONFIG_FILE": "/mine.conf"}
    run = subprocess.run([sys.executable, "-c", SPY], env=env, capture_output=True, text=True,
                         check=True)  # fmt: skip
    out = json.loads(run.stdout)
    assert out["seen"] == [out["bundled"], "/mine.conf", "/mine.conf"]
    assert out["after"] == "/mine.conf"
    assert Path(out["bundled"]).is_file()
