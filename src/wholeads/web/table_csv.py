"""Every table of every page as CSV: ``GET /table.csv?page=/model/x&table=scores``.

The page is rendered by the app itself (an in-process request) and the table with that id is
read back from its HTML, header row and body rows, each cell's visible text (a folded history
inside a cell counts as its summary only). So the CSV holds exactly the rows the table shows,
in the server's order, for any page that gives a table an id; nothing is written twice.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import httpx
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from wholeads.errors import UserError

router = APIRouter(include_in_schema=False)
TABLE_ID = re.compile(r"^[A-Za-z][\w-]{0,40}$")


class _Table(HTMLParser):
    """The rows of the table with one id: cells' text, nested tables and folded parts skipped."""

    def __init__(self, table_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_id = table_id
        self.depth = 0  # table nesting inside the wanted table (1 = the table itself)
        self.skip = 0  # inside <details> content other than its <summary>, or a nested table
        self.in_summary = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            if tag == "table" and dict(attrs).get("id") == self.table_id:
                self.depth, self.found = 1, True
            return
        if tag == "table":
            self.depth += 1
        elif tag == "details" and self.depth == 1:
            self.skip += 1
        elif tag == "summary" and self.skip:
            self.in_summary = True
        elif self.depth == 1 and not self.skip:
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []
            elif self.cell is not None:  # any tag inside a cell separates words ('<br>', '<div>')
                self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        if tag == "table":
            self.depth -= 1
        elif tag == "details" and self.depth == 1 and self.skip:
            self.skip -= 1
        elif tag == "summary":
            self.in_summary = False
        elif tag in ("td", "th") and self.depth == 1 and self.cell is not None and not self.skip:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.depth == 1 and self.cell is not None and not self.skip:
            self.cell.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth == 1 and self.cell is not None and (not self.skip or self.in_summary):
            self.cell.append(data)


def table_rows(page: str, table_id: str) -> list[list[str]] | None:
    """The header and body rows of the table with this id in a page's HTML, or None."""
    parser = _Table(table_id)
    parser.feed(page)
    return parser.rows if parser.found else None


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@router.get("/table.csv")
async def table_csv(
    request: Request,
    page: str = Query(..., min_length=1, max_length=600, description="A page's path and query."),
    table: str = Query(..., min_length=1, max_length=41, description="The table's id."),
) -> Response:
    """The rows of one table of one page as CSV (a download named after the page and table)."""
    if not page.startswith("/") or page.startswith("//") or page.split("?")[0] == "/table.csv":
        raise UserError("page: give a dashboard page's path, e.g. /model/deepseek-r1")
    if page.startswith("/api") or page.startswith("/static") or page.startswith("/feed"):
        raise UserError("page: a dashboard page (the /api routes are JSON already)")
    if not TABLE_ID.match(table):
        raise UserError(f"table: '{table}' is not a table id")
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wholeads") as client:
        r = await client.get(page)
    if r.status_code != 200 or not r.headers.get("content-type", "").startswith("text/html"):
        raise UserError(f"page: {page} answered {r.status_code}, not a page with tables")
    rows = table_rows(r.text, table)
    if rows is None:
        raise UserError(f"table: no table '{table}' on {page}")
    name = re.sub(r"[^\w-]+", "-", page.split("?")[0].strip("/")) or "home"
    return Response(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}-{table}.csv"'},
    )
