"""Every error the web app answers, in one shape: JSON under /api, an HTML page elsewhere.

The API's error body is `ErrorBody` (``status``, ``detail``: one sentence, ``errors``: the
per-parameter problems of a rejected request, empty otherwise), declared in the OpenAPI document
for every status a route can answer (`DEFAULT_ERRORS` on every API route, plus each route's own),
so a client parses one shape whatever went wrong. Unexpected exceptions are logged with their
traceback and answered as a 500 in the same shape, inside the security middleware (so the
response keeps its headers); the traceback never reaches the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wholeads.errors import BudgetError
from wholeads.web.render import html
from wholeads.web.security import TooLarge

log = logging.getLogger("wholeads.web")

TITLES = {
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    422: "Bad request",
    500: "Server error",
    503: "Unavailable",
}


class FieldError(BaseModel):
    """One rejected parameter."""

    loc: list[str | int] = Field(description="Where: ['query', 'as_of'], ['path', 'model_id'].")
    msg: str = Field(description="What is wrong with it and what is accepted.")
    type: str = Field(description="A stable code for the kind of problem.")


class ErrorBody(BaseModel):
    """The body of every error the API answers (4xx and 5xx)."""

    status: int = Field(description="The HTTP status, repeated.")
    detail: str = Field(description="What went wrong, in one sentence.")
    errors: list[FieldError] = Field(
        default_factory=list, description="Each rejected parameter (empty unless one was)."
    )


def _declared(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


DEFAULT_ERRORS: dict[int | str, dict[str, Any]] = {
    405: _declared("The method is not one this path answers (the Allow header lists those)."),
    413: _declared("The request body is over 64 KiB, or the request would cost over the budget."),
    422: _declared("A parameter is malformed, out of range or names nothing known."),
    500: _declared("An unexpected error (logged on the server)."),
    503: _declared("The database or a component cannot answer."),
}
"""Declared on every API route: any route can meet these."""
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _declared("No entity has this id.")}


def wants_json(path: str) -> bool:
    """The API (and scripts reading the schema) get JSON; browsers get a page."""
    return path.startswith(("/api", "/feed/")) or path == "/openapi.json"


def error_response(
    request: Request,
    status: int,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one error shape: `ErrorBody` as JSON, or the error page for the same message."""
    if wants_json(request.url.path):
        body = {"status": status, "detail": detail, "errors": errors or []}
        return JSONResponse(body, status_code=status, headers=headers)
    state = request.app.state.wholeads
    page = html("error.html", status, status=status, title=TITLES.get(status, "Error"),
                detail=detail, latest=state.latest)  # fmt: skip
    page.headers.update(headers or {})
    return page


async def user_error(request: Request, exc: Exception) -> Response:
    from wholeads.web.views import NotFound

    status = 404 if isinstance(exc, NotFound) else 413 if isinstance(exc, BudgetError) else 422
    return error_response(request, status, str(exc))


async def domain_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 503, str(exc))


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's parameter checks: each problem listed, and all of them in one sentence."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(x) if not isinstance(x, int) else x for x in e.get("loc", [])],
         "msg": str(e.get("msg")), "type": str(e.get("type"))}
        for e in exc.errors()
    ]  # fmt: skip
    detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in errors)
    return error_response(request, 422, detail or "invalid request", errors)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown path, method not allowed), with their headers."""
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if "GET" in headers.get("Allow", "").split(", "):
        headers["Allow"] += ", HEAD"  # HEAD is answered wherever GET is (see methods.py)
    return error_response(request, exc.status_code, str(exc.detail), headers=headers)


class InternalErrorMiddleware:
    """Turns an exception no handler took into a logged 500 in the error shape (JSON or page).

    Sits inside the security middleware, so the 500 carries the same headers as any response;
    Starlette's own last-resort handler answers plain text without them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started |= message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except TooLarge:  # the security middleware outside answers it with 413
            raise
        except Exception:
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            if started:  # too late for a clean answer: the connection is cut
                raise
            request = Request(scope)
            try:
                response = error_response(request, 500, "unexpected error (logged on the server)")
            except Exception:  # the error page itself failed: fall back to the JSON shape
                response = JSONResponse(
                    {"status": 500, "detail": "unexpected error", "errors": []}, status_code=500
                )
            await response(scope, receive, send)
