"""The dashboard's pages as a person reads them: every page's title, the /api index, ISO dates,
the home chart, the model summary, the model-vs-model compare page and the CSV twins of tables.

Through httpx against the ASGI app on the real database (one app for the module). Expected
values are derived from the raw files in ../shared/data or from the app's own JSON twins with
the formula written out here, never pinned from the page.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from conftest import asgi_request
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
    ("/compare?kind=model&a=gpt-4o-2024-05-13&b=deepseek-v3", "GPT-4o"),
    ("/compare?kind=model", "Compare models"),
    ("/model/llama-3.1-405b-instruct", "Llama"),
    ("/?by=openness", "Who leads"),
    ("/domain/coding?by=lab", "Coding"),
]


@pytest.fixture(scope="module")
def app(real_db: Path) -> FastAPI:
    return create_app(real_db)


def get(app: FastAPI, path: str) -> httpx.Response:
    return asgi_request(app, "GET", path)


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


@pytest.fixture(scope="module")
def dated_names(real_db: Path) -> list[str]:
    """Model names that hold a date as their lab writes it ('GPT-4o (May 2024)'): names, not
    dates the page shows, so the scan leaves them out."""
    import duckdb

    from wholeads.query.catalog import models_by_id

    con = duckdb.connect(str(real_db), read_only=True)
    try:
        names = [m.name for m in models_by_id(con).values() if m.name and NON_ISO.search(m.name)]
    finally:
        con.close()
    return sorted(names, key=len, reverse=True)


def test_dates_are_iso_on_every_page(all_pages: dict[str, str], dated_names: list[str]) -> None:
    for url, page in all_pages.items():
        text = visible_text(page)
        for name in dated_names:
            text = text.replace(name, " ")
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


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_model_page_summary_first_then_facts(app: FastAPI) -> None:
    page = ok(app, "/model/deepseek-r1")
    order = [page.index(x) for x in ('id="summary"', "<h2>Facts</h2>", "<h2>Scores", "<h2>Prices")]
    assert order == sorted(order)
    summary = _section(page, 'id="summary"', "</section>")
    assert "/lab/deepseek" in page[: page.index('id="summary"')]  # lab and ecosystem up top
    assert "/ecosystem/CN" in page[: page.index('id="summary"')]
    assert 'id="ranks"' in summary and 'id="rank-chart"' in summary and "<svg" in summary


def test_model_rank_matches_the_leaders_answer(app: FastAPI) -> None:
    """The model each domain's leader names is ranked 1 there on its model page (a second code
    path: the leaders answer decides on the same evidence)."""
    leaders = get(app, "/api/leaders").json()
    checked = 0
    for d in leaders:
        if d["domain"] not in ("coding", "general", "reasoning") or not d["leader"]:
            continue
        best = next(g for g in d["groups"] if g["group"] == d["leader"])
        summary = get(app, f"/api/model/{best['model_id']}").json()["summary"]
        mine = next(r for r in summary["ranks"] if r["domain"] == d["domain"])
        assert mine["rank"] == 1 and mine["evidence"] == d["primary"], (d["domain"], mine)
        assert mine["value"] == pytest.approx(best["score"])
        checked += 1
    assert checked == 3


def test_model_prices_one_row_per_provider_and_scores_grouped(app: FastAPI) -> None:
    model = "gpt-oss-120b"  # the model with the most price rows
    data = get(app, f"/api/model/{model}").json()
    page = ok(app, f"/model/{model}")
    providers = {p["provider"].casefold() for p in data["prices"]}  # 'DeepSeek' = 'deepseek'
    newest = {
        prov: max(
            str(p["valid_from"] or "") for p in data["prices"] if p["provider"].casefold() == prov
        )
        for prov in providers
    }
    prices = table_rows_of(page, "prices") + table_rows_of(page, "prices-more")[1:]
    assert len(prices) - 1 == len(providers) < len(data["prices"])
    assert len({r[0].casefold() for r in prices[1:]}) == len(providers)
    inputs = [float(r[1].strip("$").replace(",", "")) for r in prices[1:] if r[1] != "—"]
    assert inputs == sorted(inputs)  # cheapest first
    for row in prices[1:]:
        assert row[3] == newest[row[0].casefold()], row
    benches = {s["benchmark_id"] for s in data["scores"]}
    scores = table_rows_of(page, "scores") + table_rows_of(page, "scores-more")[1:]
    assert len(scores) - 1 == len(benches) < len(data["scores"])
    for row in scores[1:]:
        assert row[3] == max(s["as_of"] for s in data["scores"] if s["benchmark_id"] == row[0])
    dates = [row[3] for row in scores[1:]]
    assert dates == sorted(dates, reverse=True)  # the newest evidence first


def table_rows_of(page: str, table_id: str) -> list[list[str]]:
    """A table's rows as a reader sees them, a folded <details> as its summary (a regex reading,
    not the parser behind /table.csv)."""
    rest = page[page.index(f'id="{table_id}"') :]
    rest = re.sub(
        r"<details\b[^>]*>\s*<summary>(.*?)</summary>.*?</details>", r"\1", rest, flags=re.S
    )
    body = rest[: rest.index("</table>")]
    rows = []
    for tr in re.findall(r"<tr\b.*?</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", tr, flags=re.S)
        rows.append([" ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def test_compare_two_models_head_to_head_from_the_raw_arena_file(
    app: FastAPI, shared_data: Path
) -> None:
    a, b = "gpt-4o-2024-05-13", "deepseek-v3"
    boards: dict[tuple[str, str], dict[str, float]] = {}
    path = shared_data / "lmarena-category-ratings" / "category_ratings_history.csv"
    with path.open(newline="") as f:
        for r in csv.DictReader(f):
            if r["arena"] == "text" and r["category"] == "full" and r["model"] in (a, b):
                boards.setdefault((r["snapshot_date"], r["style_control"]), {})[r["model"]] = float(
                    r["rating"]
                )
    both = [k for k, v in boards.items() if len(v) == 2]
    newest = max(k[0] for k in both)
    key = min(k for k in both if k[0] == newest)  # the default board (0) before style control
    ra, rb = boards[key][a], boards[key][b]
    expected = 1 / (1 + 10 ** (-(ra - rb) / 400))
    data = get(app, f"/api/compare?kind=model&a={a}&b={b}").json()
    row = next(
        h
        for h in data["head_to_head"]
        if h["benchmark_id"] == "lmarena-text-full" and h["source"] == "lmarena-category-ratings"
    )
    assert (row["date"], row["a"], row["b"]) == (newest, ra, rb)
    assert row["p_a_wins"] == pytest.approx(expected, abs=1e-12)
    page = ok(app, f"/compare?kind=model&a={a}&b={b}")
    assert f"{expected:.0%}" in page
    h2h = table_rows_of(page, "head-to-head")
    assert any(r[0] == "lmarena-text-full" and r[-1] == f"{expected:.0%}" for r in h2h[1:])
    # shared benchmarks: both values, and the better one by the benchmark's direction
    shared = table_rows_of(page, "shared")
    assert len(shared) - 1 == len(data["shared"]) > 5
    assert sum(s["comparable"] for s in data["shared"]) > 5
    for s in data["shared"]:
        bench = get(app, f"/api/benchmark/{s['benchmark_id']}").json()["benchmark"]
        if s["a"] == s["b"] or not s["comparable"]:
            assert s["better"] is None
        else:
            a_ahead = (s["a"] > s["b"]) == bench["higher_is_better"]
            assert s["better"] == ("a" if a_ahead else "b"), s
    facts = {r[0]: r[1:] for r in table_rows_of(page, "facts")[1:]}
    assert facts["Ecosystem"] == ["US", "CN"] and facts["Lab"] == ["OpenAI", "DeepSeek"]


def test_unknown_model_in_compare_is_a_clear_error(app: FastAPI) -> None:
    r = get(app, "/compare?kind=model&a=gpt-4o-2024-05-13&b=gpt-9-ultra-imaginary")
    assert r.status_code in (404, 422) and "gpt-9-ultra-imaginary" in r.text
    assert "Traceback" not in r.text


def test_every_data_table_has_a_csv_link_with_the_same_rows(
    all_pages: dict[str, str], app: FastAPI
) -> None:
    """Every top-level table of every page (the API reference's parameter lists aside) has an id
    and a CSV link; the CSV holds the table's rows, header first, cell for cell."""
    seen = 0
    for url, page in all_pages.items():
        if url == "/docs":
            continue
        top = re.sub(r"<details class=\"history\".*?</details>", "", page, flags=re.S)
        for m in re.finditer(r"<table\b([^>]*)>", top):
            attrs = m.group(1)
            if 'class="inner"' in attrs or 'class="generic"' in attrs:
                continue
            found = re.search(r'id="([\w-]+)"', attrs)
            assert found, (url, attrs)
            table_id = found.group(1)
            link = re.search(rf'href="(/table\.csv\?page=[^"]*&amp;table={table_id})"', page)
            assert link, (url, table_id)
            href = link.group(1)
            page_of = htmllib.unescape(href).split("page=")[1].split("&table=")[0]
            assert unquote(page_of).split("?")[0] == url.split("?")[0], (url, href)
            r = get(app, htmllib.unescape(href))
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
            rows = list(csv.reader(io.StringIO(r.text)))
            assert rows == table_rows_of(page, table_id), (url, table_id)
            seen += 1
    assert seen >= 20
