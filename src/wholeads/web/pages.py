"""The HTML pages: each renders the same data as its /api twin (see views.py).

The home page is the hot path: its leaders are cached per (as_of, by, source) and its HTML per
the same key, so a repeat visit is two dict lookups on the event loop.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from wholeads.errors import BudgetError, UserError, WholeadsError
from wholeads.query.answers import group_order
from wholeads.web import params, tools, views
from wholeads.web.api import id_path, state_of
from wholeads.web.charts import chart_svg
from wholeads.web.render import html, render_text
from wholeads.web.search import MAX_QUERY
from wholeads.web.state import AppState, LeadersView

router = APIRouter(include_in_schema=False)


def presets(st: AppState) -> list[dt.date]:
    """Half-yearly dates for one-click 'as of' links, oldest first, within the evidence."""
    out: list[dt.date] = []
    year = max(st.latest.year - 2, st.earliest.year)
    while (date := dt.date(year, 1, 1)) <= st.latest:
        out.extend(d for d in (date, dt.date(year, 3, 1), dt.date(year, 7, 1)) if d <= st.latest)
        year += 1
    return out


def common(st: AppState, request: Request | None = None) -> dict[str, Any]:
    """What every page shows: the evidence's span, and its own address (for its CSV links)."""
    page = "/"
    if request is not None:
        page = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {"latest": st.latest, "earliest": st.earliest, "csv_page": page}


def home_context(st: AppState, view: LeadersView, source: str | None) -> dict[str, Any]:
    """The leaders table: one row per domain, one column per group (or best two for labs)."""
    by = view.by
    columns = group_order(by)  # type: ignore[arg-type]
    rows = []
    for d in view.dicts:
        groups = {g["group"]: g for g in d["groups"]}
        if columns:
            cells = [groups.get(c) for c in columns]
        else:
            cells = [*views.ranked_groups(d), None, None][:2]
        primary = next((s for s in d["sources"] if s["label"] == d["primary"]), None)
        rows.append({"d": d, "cells": cells, "unit": views.primary_unit(d), "primary": primary})
    leads: dict[str, int] = {}
    for d in view.dicts:
        if d["leader"] and d.get("verdict") != "tie":
            leads[d["leader"]] = leads.get(d["leader"], 0) + 1
    tally = sorted(leads.items(), key=lambda kv: -kv[1])
    undecided = sum(1 for d in view.dicts if not d["leader"])
    ties = sum(1 for d in view.dicts if d["leader"] and d.get("verdict") == "tie")
    # one row per domain: the leader over the runner-up (by lab too: the best two labs)
    chart = chart_svg(st, "lead_chart", (view.as_of, by, source), view.dicts)
    return {
        **common(st), "as_of": view.as_of, "by": by, "rows": rows, "tally": tally,
        "csv_page": f"/?as_of={view.as_of}&by={by}" + (f"&source={source}" if source else ""),
        "undecided": undecided, "ties": ties, "presets": presets(st), "chart": chart,
        "columns": columns or ["best", "runner-up"],
    }  # fmt: skip


def home_page(st: AppState, date: dt.date | None, by: str, source: str | None) -> bytes:
    """The home page's HTML, rendered once per (as_of, by, source)."""

    def render() -> bytes:
        view = st.leaders(date, by, source)
        return render_text("home.html", **home_context(st, view, source)).encode()

    page: bytes = st.page_cache.get(("home", date or st.latest, by, source), render)
    return page


@router.get("/", response_class=HTMLResponse)
async def home(
    request: Request,
    as_of: str | None = params.AsOf,
    by: str = params.ByQ,
    source: str | None = params.SourceQ,
) -> Response:
    st = state_of(request)
    date, group_by = params.as_of_date(as_of), params.grouping(by)
    src = params.source_id(source, st.sources)
    page = st.page_cache.peek(("home", date or st.latest, group_by, src))
    if page is None:
        page = await run_in_threadpool(home_page, st, date, group_by, src)
    return HTMLResponse(page)


@router.get("/domain/{domain}", response_class=HTMLResponse)
def domain(
    request: Request, domain: str = id_path(), as_of: str | None = params.AsOf, by: str = params.ByQ
) -> Response:
    st = state_of(request)
    data = tools.domain_page(st, domain, as_of, by)
    raw, key = data.pop("_raw"), (data["domain"], data["as_of"], data["by"])
    charts = {
        "frontier": chart_svg(st, "frontier_chart", key, raw["frontier"])
        if data["frontier"]["status"] == "ok"
        else None,
        "gap": chart_svg(st, "gap_chart", key, raw["gap"])
        if data["gap"]["status"] == "ok"
        else None,
        "pareto": chart_svg(st, "pareto_chart", key, raw["pareto"])
        if data["pareto"]["status"] == "ok"
        else None,
    }
    ranked = views.ranked_groups(data["leaders"])
    return html("domain.html", **common(st, request), **data, ranked=ranked, charts=charts)


@router.get("/model/{model_id}", response_class=HTMLResponse)
def model(request: Request, model_id: str = id_path()) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        data = views.model_data(st, cur, model_id)
    history = data["summary"]["rank_history"]
    chart = chart_svg(st, "rank_chart", ("model", model_id), history) if history else None
    return html("model.html", **common(st, request), m=data["model"], rank_chart=chart, **data)


@router.get("/labs", response_class=HTMLResponse)
def labs(request: Request) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        return html("labs.html", **common(st, request), **views.labs_data(cur))


@router.get("/lab/{lab_id}", response_class=HTMLResponse)
def lab(request: Request, lab_id: str = id_path()) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        return html("lab.html", **common(st, request), **views.lab_data(st, cur, lab_id))


@router.get("/ecosystem/{eco}", response_class=HTMLResponse)
def ecosystem(request: Request, eco: str = id_path(), as_of: str | None = params.AsOf) -> Response:
    st = state_of(request)
    name, date = params.ecosystem(eco), params.as_of_date(as_of)
    with st.cursor() as cur:
        data = views.ecosystem_data(st, cur, name, date)
    return html("ecosystem.html", **common(st, request), **data)


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, q: tools.CompareQuery = tools.CompareDep) -> Response:
    st = state_of(request)
    if q.kind == "model":
        if not q.b.strip() or q.b == "CN" or q.a == "US":  # the form, before both are named
            a_id = tools.compare_pair(st, "model", q.a, q.a)[0] if q.a not in ("", "US") else ""
            return html("compare_models.html", **common(st, request), a=a_id, b="", kind="model")
        a, b = tools.compare_pair(st, q.kind, q.a, q.b)
        with st.cursor() as cur:
            data = views.model_compare_data(st, cur, a, b)
        return html("compare_models.html", **common(st, request), **data)
    a, b = tools.compare_pair(st, q.kind, q.a, q.b)
    data = views.compare_data(st, q.kind, a, b, q.as_of)
    return html("compare.html", **common(st, request), **data)


@router.get("/benchmark/{bench_id}", response_class=HTMLResponse)
def benchmark(request: Request, bench_id: str = id_path()) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        return html("benchmark.html", **common(st, request), **views.benchmark_data(cur, bench_id))


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: str = Query("", max_length=MAX_QUERY)) -> Response:
    st = state_of(request)
    hits = [h.to_dict() for h in st.search.search(q, 30)] if q.strip() else []
    return html("search.html", **common(st, request), search_q=q, hits=hits)


@router.get("/advisor", response_class=HTMLResponse)
def advisor(request: Request, query: tools.AdvisorQuery = tools.AdvisorDep) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        answer = tools.run_advisor(cur, query)
    return html(
        "advisor.html", **common(st, request), q=query, result=answer["result"],
        domains=views.domain_list(), ecosystems=tools.ecosystem_choices(),
    )  # fmt: skip


@router.get("/claims", response_class=HTMLResponse)
def claims_form(request: Request) -> Response:
    return html("claims.html", **common(state_of(request), request))


@router.post("/claims", response_class=HTMLResponse)
async def claims(request: Request) -> Response:
    """The form's YAML checked; a bad claims file re-shows the form with the message."""
    st = state_of(request)
    ctx = common(st, request)
    body = await request.body()
    try:
        text = tools.claims_text(body, request.headers.get("content-type", ""))
    except UserError as exc:
        return html("claims.html", status_code=422, **ctx, error=str(exc))

    try:
        results = await run_in_threadpool(tools.run_claims, st, text, None)
    except BudgetError as exc:
        return html("claims.html", status_code=413, **ctx, text=text, error=str(exc))
    except UserError as exc:
        return html("claims.html", status_code=422, **ctx, text=text, error=str(exc))
    except WholeadsError as exc:
        return html("claims.html", status_code=503, **ctx, text=text, error=str(exc))
    return html("claims.html", **ctx, text=text, results=results)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    """API reference rendered from the OpenAPI schema: no CDN, no script."""
    return html("docs.html", **common(state_of(request), request), api=request.app.openapi())
