"""Server-rendered charts: the report's Vega-Lite charts as inline SVG, cached per (chart, key).

Rendering costs ~50-200 ms, so each chart is drawn once per page and date. The chart module is
imported lazily: when it (or vl-convert) is unavailable or a chart fails, the page shows a note
instead of the chart and everything else still works.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

from markupsafe import Markup

from wholeads.web.state import AppState

log = logging.getLogger(__name__)
BUILDERS = ("lead_chart", "rank_chart", "frontier_chart", "gap_chart", "pareto_chart")


def chart_svg(state: AppState, builder: str, key: Hashable, data: Any) -> Markup | None:
    """The SVG of `builder(data)` (a function of wholeads.charts.specs, or the home page's
    ``lead_chart`` of web/lead_chart.py), or None."""
    assert builder in BUILDERS

    def render() -> str:
        try:
            from wholeads.charts import specs
        except ImportError:
            return ""
        try:
            if builder == "lead_chart":
                from wholeads.web.lead_chart import lead_chart

                return str(specs.to_svg(lead_chart(data)))
            if builder == "rank_chart":
                from wholeads.web.model_view import rank_chart

                return str(specs.to_svg(rank_chart(data)))
            return str(specs.to_svg(getattr(specs, builder)(data)))
        except Exception:  # a chart must never take its page down
            log.exception("chart %s failed for %s", builder, key)
            return ""

    svg: str = state.svg_cache.get((builder, key), render)
    return Markup(svg) if svg else None
