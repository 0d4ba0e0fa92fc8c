"""The JSON API: one route per page (the page's data, as JSON), plus search.

Read-only: every route reads through the library on its own cursor; the claims check is the
only route with a body. Bad parameters are 422 with a message (see params.py).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from wholeads.convert import to_jsonable
from wholeads.query.changes import changes_dict
from wholeads.web import feed, params, tools, views
from wholeads.web.errors import DEFAULT_ERRORS, NOT_FOUND
from wholeads.web.search import MAX_QUERY
from wholeads.web.state import AppState

router = APIRouter(prefix="/api", tags=["api"], responses=DEFAULT_ERRORS)


def id_path() -> Any:
    """A path segment naming an entity (one Param object per route: FastAPI binds it by name)."""
    return Path(..., max_length=200)


def state_of(request: Request) -> AppState:
    st: AppState = request.app.state.wholeads
    return st


def json_response(data: Any) -> Response:
    return Response(
        json.dumps(to_jsonable(data), ensure_ascii=False), media_type="application/json"
    )


@router.get("", summary="The API's endpoints: path, method and one-line summary")
@router.get("/", include_in_schema=False)
async def index(request: Request) -> Response:
    """Every /api route of the app with its method and summary, read from the app's OpenAPI
    document (which FastAPI derives from the routes, so the list cannot drift from them)."""
    doc = request.app.openapi()
    return json_response({"endpoints": endpoints(doc), "openapi": "/openapi.json"})


def endpoints(doc: dict[str, Any]) -> list[dict[str, str]]:
    """One row per (path, method) of the document's /api paths, in path order."""
    rows = [
        {"path": path, "method": method.upper(),
         "summary": op.get("summary") or (op.get("description") or "").strip().split("\n")[0]}
        for path, ops in doc.get("paths", {}).items()
        if path == "/api" or path.startswith("/api/")
        for method, op in ops.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r["path"], r["method"]))


@router.get("/leaders", summary="Who leads each domain as of a date")
async def leaders(
    request: Request,
    as_of: str | None = params.AsOf,
    by: str = params.ByQ,
    source: str | None = params.SourceQ,
    domain: list[str] | None = Query(None, max_length=20, description="Domain ids (all if none)."),
) -> Response:
    """Best model per group, the gap, its significance and lag, per domain (cached per
    as_of/by/source: the hot path is a dict lookup)."""
    st = state_of(request)
    date, group_by = params.as_of_date(as_of), params.grouping(by)
    src = params.source_id(source, st.sources)
    wanted = [params.domain_id(d) for d in domain or []]
    view = st.cached_leaders(date, group_by, src)
    if view is None:
        view = await run_in_threadpool(st.leaders, date, group_by, src)
    if not wanted:
        return Response(view.json, media_type="application/json")
    return json_response([d for d in view.dicts if d["domain"] in wanted])


@router.get("/domains", summary="The domains and the evidence that decides each")
async def domains() -> Response:
    return json_response(views.domain_list())


@router.get("/domain/{domain}", summary="One domain: leaders, frontier, gap, Pareto")
def domain(
    request: Request, domain: str = id_path(), as_of: str | None = params.AsOf, by: str = params.ByQ
) -> Response:
    data = tools.domain_page(state_of(request), domain, as_of, by)
    data.pop("_raw")
    return json_response(data)


@router.get(
    "/model/{model_id}",
    summary="One model: facts with sources, disagreements, scores",
    responses=NOT_FOUND,
)
def model(request: Request, model_id: str = id_path()) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        return json_response(views.model_data(st, cur, model_id))


@router.get("/labs", summary="Labs with country, ecosystem and model counts")
def labs(request: Request) -> Response:
    with state_of(request).cursor() as cur:
        return json_response(views.labs_data(cur))


@router.get(
    "/lab/{lab_id}",
    summary="One lab: its models and where it ranks per domain",
    responses=NOT_FOUND,
)
def lab(request: Request, lab_id: str = id_path()) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        return json_response(views.lab_data(st, cur, lab_id))


@router.get("/ecosystem/{eco}", summary="One ecosystem: its labs and its best per domain")
def ecosystem(request: Request, eco: str = id_path(), as_of: str | None = params.AsOf) -> Response:
    st = state_of(request)
    name, date = params.ecosystem(eco), params.as_of_date(as_of)
    with st.cursor() as cur:
        return json_response(views.ecosystem_data(st, cur, name, date))


@router.get("/compare", summary="Two ecosystems or labs domain by domain, or two models")
def compare(request: Request, q: tools.CompareQuery = tools.CompareDep) -> Response:
    st = state_of(request)
    a, b = tools.compare_pair(st, q.kind, q.a, q.b)
    if q.kind == "model":
        with st.cursor() as cur:
            return json_response(views.model_compare_data(st, cur, a, b))
    return json_response(views.compare_data(st, q.kind, a, b, q.as_of))


@router.get(
    "/benchmark/{bench_id}", summary="One benchmark and its best scores", responses=NOT_FOUND
)
def benchmark(request: Request, bench_id: str = id_path()) -> Response:
    with state_of(request).cursor() as cur:
        return json_response(views.benchmark_data(cur, bench_id))


@router.get("/search", summary="Models, labs and benchmarks by prefix or fuzzy match")
async def search(
    request: Request,
    q: str = Query(..., min_length=1, max_length=MAX_QUERY),
    limit: int = Query(10, ge=1, le=50),
    kind: list[str] | None = Query(None, description="model, lab or benchmark (repeatable)."),
) -> Response:
    """Ranked: exact, prefix, word prefix, substring, then within 1-2 typos of the start."""
    kinds = tools.search_kinds(kind)
    hits = state_of(request).search.search(q, limit, kinds)
    return JSONResponse([h.to_dict() for h in hits])


@router.get("/advisor", summary="A shortlist of models for a task under constraints")
def advisor(request: Request, query: tools.AdvisorQuery = tools.AdvisorDep) -> Response:
    st = state_of(request)
    with st.cursor() as cur:
        return json_response(tools.run_advisor(cur, query))


@router.post("/claims", summary="Check claims (YAML in the body) against the evidence")
async def claims(request: Request, as_of: str | None = params.AsOf) -> Response:
    """The body is the claims YAML (text/plain, or a form field 'yaml'); at most 64 KiB, and
    priced before it runs: a file over the budget is refused with 413 naming the limit."""
    text = tools.claims_text(await request.body(), request.headers.get("content-type", ""))
    date = params.as_of_date(as_of)
    st = state_of(request)
    return json_response(await run_in_threadpool(tools.run_claims, st, text, date))


@router.get(
    "/watch/example",
    summary="The example watch list (the article's 'what to watch') over a window",
)
async def watch_example(
    request: Request, as_of: str | None = params.AsOf, since: str | None = feed.SinceQ
) -> Response:
    """Each rule of the shipped watch file over (since, as_of] (defaults: the newest evidence and
    the file's window before it): fired or quiet, with its evidence, as `wholeads watch --json`."""
    date, start = params.as_of_date(as_of), params.as_of_date(since)
    st = state_of(request)
    return json_response(await run_in_threadpool(tools.run_watch, st, None, date, start))


@router.post("/watch", summary="Evaluate a watch file (YAML in the body) over a window")
async def watch_file(
    request: Request, as_of: str | None = params.AsOf, since: str | None = feed.SinceQ
) -> Response:
    """The body is a watch file's YAML (text/plain, or a form field 'yaml'; at most 64 KiB):
    each rule over (since, as_of], fired or quiet, with its evidence."""
    text = tools.watch_text(await request.body(), request.headers.get("content-type", ""))
    date, start = params.as_of_date(as_of), params.as_of_date(since)
    st = state_of(request)
    return json_response(await run_in_threadpool(tools.run_watch, st, text, date, start))


@router.get("/policy", summary="The policy timeline: dated official actions of the US, CN and EU")
async def policy(
    jurisdiction: str | None = Query(None, max_length=10, description="US, CN or EU (all)."),
    until: str | None = feed.UntilQ,
) -> Response:
    """Every event of the knowledge base's policy timeline (kb/policy) up to ``until`` (default:
    all), each with its official source; the same events mark the gap charts and answer claims
    of kind policy."""
    from wholeads.errors import UserError
    from wholeads.kb.timeline import load_timeline

    events = load_timeline()
    if jurisdiction is not None:
        known = sorted({e.jurisdiction for e in events})
        if jurisdiction.upper() not in known:
            raise UserError(f"jurisdiction: unknown '{jurisdiction}' (one of {', '.join(known)})")
        events = tuple(e for e in events if e.jurisdiction == jurisdiction.upper())
    end = params.as_of_date(until)
    if end is not None:
        events = tuple(e for e in events if e.date <= end)
    return json_response({"events": [e.model_dump(mode="json") for e in events]})


@router.get("/changes", summary="What changed between two dates, each change with its evidence")
async def changes(
    request: Request, since: str | None = feed.SinceQ, until: str | None = feed.UntilQ
) -> Response:
    """Leader changes, gaps beyond noise, lags, new models, open-weight releases, price cuts and
    refreshed evidence in (since, until]: the same change set as the feed and `wholeads changes`."""
    st = state_of(request)
    start, end = feed.window(st, since, until)
    return json_response(changes_dict(await run_in_threadpool(feed.change_set, st, start, end)))
