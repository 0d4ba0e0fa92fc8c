"""The dashboard's pages as a person reads them: every page's title, the /api index, ISO dates,
the home chart, the model summary, the model-vs-model compare page and the CSV twins of tables.

Through httpx against the ASGI app on the real database (one app for the module). Expected
values are derived from the raw files in ../shared/data or from the app's own JSON twins with
the formula written out here, never pinned from the page.
"""

from __future__ import annotations

import asyncio
import csv
import html as htmllib
import io
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from wholeads.web import api, create_app, feed, figures, pages

# one valid argument for every page route (a new page route fails test_every_page_is_listed)
PAGE_URLS: dict[str, tuple[str, str]] = {
    "/": ("/", "Who leads"),
    "/domain/{domain}": ("/domain/coding", "Coding"),
    "/model/{model_id}": ("/model/deepseek-r1", "DeepSeek-R1"),
    "/labs": ("/labs", "Labs"),
    "/lab/{lab_id}": ("/lab/deepseek", "DeepSeek"),
    "/ecosystem/{eco}": ("/ecosystem/CN", "China"),
    "/compare": ("/compare", "US vs CN"),
    "/benchmark/{bench_id}": ("/benchmark/aider-polyglot", "Aider Polyglot"),
    "/search": ("/search?q=deepseek", "Search"),
    "/advisor": ("/advisor?task=coding", "Advisor"),
    "/claims": ("/claims", "claims"),
    "/docs": ("/docs", "API"),
}
EXTRA_URLS = [
    # MODELCMP
    ("/?by=openness", "Who leads"),
    ("/domain/coding?by=lab", "Coding"),
]


@pytest.fixture(scope="module")
def app(real_db: Path) -> FastAPI:
    return create_app(real_db)


def get(app: FastAPI, path: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(go())


def ok(app: FastAPI, path: str) -> str:
    r = get(app, path)
    assert r.status_code == 200, (path, r.text[:500])
    return r.text


@pytest.fixture(scope="module")
def all_pages(app: FastAPI) -> dict[str, str]:
    """Every page's HTML, fetched once for the tests that scan them all."""
    urls = [u for u, _ in PAGE_URLS.values()] + [u for u, _ in EXTRA_URLS]
    return {u: ok(app, u) for u in urls}


def title_of(page: str) -> str:
    found = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert len(found) == 1, found[:1]
    return htmllib.unescape(found[0]).strip()


def test_every_page_is_listed() -> None:
    routes = {r.path for r in pages.router.routes if isinstance(r, APIRoute) and "GET" in r.methods}
    assert routes == set(PAGE_URLS)


def test_every_title_is_short_plain_text_naming_the_page(all_pages: dict[str, str]) -> None:
    expected = dict(PAGE_URLS.values()) | dict(EXTRA_URLS)
    for url, page in all_pages.items():
        title = title_of(page)
        assert "<" not in title and ">" not in title, (url, title[:200])
        assert len(title) < 120, (url, len(title))
        assert expected[url].lower() in title.lower(), (url, title)
        assert title.endswith("wholeads"), (url, title)


def test_the_home_title_holds_no_chart(all_pages: dict[str, str]) -> None:
    page = all_pages["/"]
    head = page.split("</head>")[0]
    assert "<svg" not in head
    assert page.count("<svg") == 1  # the chart is in the body, once


# dates other than ISO: "Jan 5, 2025", "5 Jan 2025", "Jan 2025", "05/01/2025", "2025/01/05"
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
NON_ISO = re.compile(
    rf"\b{MONTH} \d{{1,2}}, \d{{4}}\b|\b\d{{1,2}} {MONTH} \d{{4}}\b|\b{MONTH} \d{{4}}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}/\d{1,2}/\d{1,2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"
)


def visible_text(page: str) -> str:
    """What a reader sees: tags (and attribute values) removed, scripts and styles dropped;
    text inside inline SVG charts (axis labels) is kept."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_date_scan_catches_other_formats() -> None:
    for bad in ["on Jan 5, 2025 it", "5 January 2025", "Mar 2025", "05/01/2025", "2025/01/05"]:
        assert NON_ISO.search(bad), bad
    for good in ["2025-01-05", "as of 2025-03-01", "3 months", "1/2 of", "v2.5"]:
        assert not NON_ISO.search(good), good


def test_dates_are_iso_on_every_page(all_pages: dict[str, str]) -> None:
    for url, page in all_pages.items():
        text = visible_text(page)
        found = NON_ISO.findall(text)
        assert not found, (url, found[:5])
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", text), url  # every page names a date


def test_api_index_lists_every_api_route(app: FastAPI) -> None:
    for path in ("/api", "/api/"):
        r = get(app, path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        listed = {(e["path"], e["method"]) for e in r.json()["endpoints"]}
        assert all(e["summary"] for e in r.json()["endpoints"])
        routes = {
            (route.path, m)
            for router in (api.router, figures.router, feed.router, pages.router)
            for route in router.routes
            if isinstance(route, APIRoute) and route.include_in_schema
            and (route.path == "/api" or route.path.startswith("/api/"))
            for m in route.methods
        }  # fmt: skip
        assert routes == listed
        assert ("/api/leaders", "GET") in listed and ("/api/claims", "POST") in listed
        assert ("/api", "GET") in listed


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _unused(*_: Any) -> None:  # keeps imports used while the module grows
    return None


def test_home_chart_is_one_svg_with_an_interval_per_measured_domain(app: FastAPI) -> None:
    """The chart's rows are the /api/leaders answers on the win-probability scale, with the
    interval of the gap (normal approximation from both groups' 95% intervals) computed here
    from the JSON twin's numbers; a tie verdict is exactly an interval crossing 50%."""
    from wholeads.web.lead_chart import lead_rows

    page = ok(app, "/")
    assert page.count("<svg") == 1
    svg = page[page.index("<svg") : page.index("</svg>")]
    leaders = get(app, "/api/leaders").json()
    rows = {r["domain"]: r for r in lead_rows(leaders)}
    assert set(rows) == {d["domain"] for d in leaders}
    measured = 0
    for d in leaders:
        row, gap = rows[d["domain"]], d["gap"]
        assert htmllib.escape(d["name"], quote=False) in svg, d["name"]
        groups = {g["group"]: g for g in d["groups"]}
        a, b = groups.get(gap["leader"]), groups.get(gap["runner_up"])
        has_ci = bool(a and b) and None not in (a["ci_low"], b["ci_low"])  # type: ignore[index]
        if gap.get("win_probability") is None or not has_ci or gap.get("bound"):
            assert row["p"] is None and row["why"], d["domain"]
            assert htmllib.escape(row["label"], quote=False) in svg
            continue
        measured += 1
        assert a is not None and b is not None
        se = ((a["ci_high"] - a["ci_low"]) ** 2 + (b["ci_high"] - b["ci_low"]) ** 2) ** 0.5 / (
            2 * 1.959964
        )

        def elo(diff: float) -> float:
            return 1 / (1 + 10 ** (-diff / 400))

        assert row["p"] == pytest.approx(elo(gap["points"]), abs=1e-9)
        assert row["low"] == pytest.approx(elo(gap["points"] - 1.959964 * se))
        assert row["high"] == pytest.approx(elo(gap["points"] + 1.959964 * se))
        assert (row["low"] <= 0.5) == (d["verdict"] == "tie"), d["domain"]
        if d["verdict"] == "tie":
            assert f"tie: {gap['leader']} ≈ {gap['runner_up']}" in htmllib.unescape(svg)
    assert measured >= 8  # the arena-decided domains
    ties = [d for d in leaders if d["verdict"] == "tie"]
    assert ties and htmllib.unescape(svg).count(">tie: ") == len(ties)  # drawn labels
    price = rows["price"]
    assert price["p"] is None and "a price" in price["label"]
