"""The web dashboard's app factory: routes, static files, errors and security in one place.

`create_app(db_path)` opens the database read-only once, builds the search index and warms the
default leaders (so the first visitor does not pay for them), then serves pages and their JSON
twins. Errors have one shape (errors.py); HEAD is answered wherever GET is (methods.py);
a 200 is kept and replayed per request (response_cache.py).
FastAPI's own /docs loads Swagger from a CDN, so it is replaced by a page rendered from
/openapi.json with no external assets.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from wholeads.errors import UserError, WholeadsError
from wholeads.web import api, errors, feed, figures, pages, table_csv
from wholeads.web.methods import HeadAsGetMiddleware
from wholeads.web.render import STATIC
from wholeads.web.response_cache import ResponseCacheMiddleware
from wholeads.web.security import SecurityMiddleware
from wholeads.web.state import AppState


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
    app.include_router(feed.router)
    app.include_router(figures.router)
    app.include_router(pages.router)
    app.include_router(table_csv.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(UserError, errors.user_error)
    app.add_exception_handler(WholeadsError, errors.domain_error)
    app.add_exception_handler(RequestValidationError, errors.validation_error)
    app.add_exception_handler(HTTPException, errors.http_error)
    # outermost last: security headers on everything, including the 500 answered inside them
    app.add_middleware(ResponseCacheMiddleware, cache=state.answers)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(errors.InternalErrorMiddleware)
    app.add_middleware(SecurityMiddleware)
    return app
