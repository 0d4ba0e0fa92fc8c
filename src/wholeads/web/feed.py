"""What changed, on the web: ``/api/changes`` (JSON) and ``/feed/changes.atom`` (Atom), both
from ``wholeads.query.changes`` (the same change set the CLI and the report show)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from wholeads.errors import UserError
from wholeads.query.changes import ChangeSet, changes_between, check_window
from wholeads.web import params
from wholeads.web.atom import atom_feed
from wholeads.web.errors import DEFAULT_ERRORS
from wholeads.web.state import AppState

router = APIRouter(tags=["feed"], responses=DEFAULT_ERRORS)
DEFAULT_WINDOW_DAYS = 90
SinceQ = Query(None, max_length=10, description="YYYY-MM-DD (default: 90 days before until).")
UntilQ = Query(None, max_length=10, description="YYYY-MM-DD (default: newest evidence).")


def window(st: AppState, since: str | None, until: str | None) -> tuple[dt.date, dt.date]:
    """The asked window, validated like every as-of date; since defaults to 90 days back."""
    end = params.as_of_date(until) or st.latest
    try:
        start = params.as_of_date(since)
    except UserError as exc:
        raise UserError(str(exc).replace("as_of", "since")) from None
    start = start or end - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
    check_window(start, end)
    return start, end


def change_set(st: AppState, start: dt.date, end: dt.date) -> ChangeSet:
    """The change set of a window, computed once per window and kept."""

    def compute() -> ChangeSet:
        with st.cursor() as cur:
            return changes_between(cur, start, end)

    found: ChangeSet = st.page_cache.get(("changes", start, end), compute)
    return found


@router.get(
    "/feed/changes.atom",
    summary="What changed, as an Atom feed",
    response_class=Response,
    responses={200: {"description": "An Atom 1.0 feed (RFC 4287), one entry per change.",
                     "content": {"application/atom+xml": {"schema": {"type": "string"}}}}},
)  # fmt: skip
async def changes_feed(
    request: Request, since: str | None = SinceQ, until: str | None = UntilQ
) -> Response:
    st: AppState = request.app.state.wholeads
    start, end = window(st, since, until)
    cs = await run_in_threadpool(change_set, st, start, end)
    base = str(request.base_url).rstrip("/")
    xml = atom_feed(cs, str(request.url), f"{base}/")
    return Response(xml, media_type="application/atom+xml; charset=utf-8")
