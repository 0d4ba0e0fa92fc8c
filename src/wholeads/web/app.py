"""The web dashboard's app factory: routes, static files, errors and security in one place.

`create_app(db_path)` opens the database read-only once, builds the search index and warms the
default leaders (so the first visitor does not pay for them), then serves pages and their JSON
twins. FastAPI's own /docs loads Swagger from a CDN, so it is replaced by a page rendered from
/openapi.json with no external assets.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from wholeads.errors import BudgetError, UserError, WholeadsError
from wholeads.web import api, figures, pages
from wholeads.web.render import STATIC, html
from wholeads.web.security import SecurityMiddleware
from wholeads.web.state import AppState
from wholeads.web.views import NotFound

TITLES = {404: "Not found", 413: "Too large", 422: "Bad request", 503: "Unavailable"}


def _error(request: Request, status: int, detail: object) -> Response:
    """JSON under /api (and for scripts), an HTML page for browsers."""
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        return JSONResponse({"detail": detail}, status_code=status)
    title = TITLES.get(status, "Error")
    text = detail if isinstance(detail, str) else "; ".join(_messages(detail))
    state: AppState = request.app.state.wholeads
    return html("error.html", status, status=status, title=title, detail=text,
                latest=state.latest)  # fmt: skip


def _messages(detail: object) -> list[str]:
    if isinstance(detail, list):
        return [f"{'.'.join(str(x) for x in e.get('loc', [])[1:])}: {e.get('msg')}" for e in detail]
    return [str(detail)]


async def _user_error(request: Request, exc: Exception) -> Response:
    status = 404 if isinstance(exc, NotFound) else 413 if isinstance(exc, BudgetError) else 422
    return _error(request, status, str(exc))


async def _domain_error(request: Request, exc: Exception) -> Response:
    return _error(request, 503, str(exc))


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg"), "type": e.get("type")}
        for e in exc.errors()
    ]
    return _error(request, 422, errors)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(request, exc.status_code, exc.detail)


def create_app(db_path: Path) -> FastAPI:
    """The dashboard over one built database (opened read-only, shared by all requests)."""
    state = AppState(db_path)
    pages.home_page(state, None, "ecosystem", None)  # the default page, before the first visit
    app = FastAPI(
        title="wholeads",
        version="0.1.0",
        summary="Who leads in AI, and where: public evidence, read-only.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        telemetry={"tracing": False, "metrics": False, "logs": False},  # nothing leaves the box
    )
    app.state.wholeads = state
    app.include_router(api.router)
    app.include_router(figures.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(WholeadsError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_middleware(SecurityMiddleware)
    return app
