"""The dashboard in a real browser (Chromium driven by Playwright) against a real uvicorn server on
127.0.0.1: what a person sees and does, with a screenshot of each step in the test's folder.

One server and one browser for the module. Skipped only when /usr/bin/chromium is absent. Every
test checks that the browser reports no error (a Content-Security-Policy violation, a failed
asset or a script error would show up here).
"""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from wholeads.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium (apt-get install chromium)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(real_db: Path) -> Iterator[str]:
    """uvicorn serving the app from a thread, stopped after the module."""
    port = _free_port()
    config = uvicorn.Config(create_app(real_db), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_a_person_uses_the_dashboard(base_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        # 1. the home page: the leaders table at the newest evidence
        page.goto(base_url + "/")
        coding = page.locator('tr[data-domain="coding"]')
        expect(page.locator("#asof-shown")).to_have_text("2026-08-22")
        latest_coding = coding.inner_text()
        # the code arena's newest board (lmarena_top_snapshots.csv, category code, fetched
        # 2026-08-22, 50 rows) is months fresher than the text arena's coding category: it decides
        # (its claude-opus-5-max row is Claude Opus 5 at effort max: the curated claude-opus-5)
        assert "claude-opus-5\n1,691" in latest_coding
        page.screenshot(path=tmp_path / "01-home.png")

        # 2. change the as-of date: the form applies on change and the table changes
        page.fill("#as_of", "2025-03-01")
        page.wait_for_url("**/?as_of=2025-03-01*")
        expect(page.locator("#asof-shown")).to_have_text("2025-03-01")
        march = coding.inner_text()
        assert march != latest_coding
        assert "claude-3-7-sonnet-20250219" in march and "deepseek-r1" in march
        assert "8.0 pts over CN" in march
        page.screenshot(path=tmp_path / "02-as-of-march-2025.png")

        # 3. search as you type, then open the model page from the suggestions
        page.click("#q")
        page.keyboard.type("deepseek", delay=30)
        suggestion = page.locator('#suggest a[href="/model/deepseek-r1"]')
        expect(suggestion).to_be_visible()
        expect(page.locator("#suggest a").first).to_contain_text("DeepSeek")
        page.screenshot(path=tmp_path / "03-search-deepseek.png")
        suggestion.click()
        page.wait_for_url("**/model/deepseek-r1")
        expect(page.locator("h1")).to_contain_text("DeepSeek-R1")
        expect(page.locator("text=Sources disagree on")).to_be_visible()
        page.screenshot(path=tmp_path / "04-model-deepseek-r1.png")

        # 4. the advisor form: open-weights models for coding
        page.goto(base_url + "/advisor")
        page.select_option("select[name=task]", "coding")
        page.select_option("select[name=open_weights]", "yes")
        page.click("#advisor button[type=submit]")
        page.wait_for_url("**/advisor?task=coding*")
        expect(page.locator("#advice h2")).to_contain_text("Shortlist for Coding")
        rows = page.locator("#advice table.shortlist").first.locator("tbody tr")
        assert rows.count() == 10
        page.screenshot(path=tmp_path / "05-advisor.png")
        browser.close()

    assert not errors, errors
    assert len(list(tmp_path.glob("0*.png"))) == 5


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page (1400 px wide) whose console errors fail the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert not errors, errors


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def test_home_title_is_short_and_the_chart_is_one_svg_with_an_interval_per_domain(
    base_url: str, page: Any
) -> None:
    page.goto(base_url + "/")
    title = page.title()
    assert len(title) < 120 and "<" not in title and "Who leads" in title
    # the as-of field shows its date as the pages do (ISO), not in the browser's locale format
    as_of = page.locator("#as_of")
    assert as_of.get_attribute("type") == "text" and as_of.input_value() == "2026-08-22"
    chart = page.locator("#lead-chart svg")
    assert page.locator("main svg").count() == 1 and chart.count() == 1
    leaders = _json(base_url + "/api/leaders")
    # a domain has an interval when its gap has a win probability (Elo) and both groups an
    # interval, and the runner-up is on the board
    measured = []
    for d in leaders:
        gap, groups = d["gap"], {g["group"]: g for g in d["groups"]}
        sides = [groups.get(gap.get("leader")), groups.get(gap.get("runner_up"))]
        on_scale = gap.get("win_probability") is not None and not gap.get("bound")
        if on_scale and all(s and s["ci_low"] is not None for s in sides):
            measured.append(d)
    intervals = chart.locator("g.layer_1_marks > *")
    assert intervals.count() == len(measured) >= 8
    svg = chart.evaluate("e => e.textContent")
    for d in leaders:
        assert d["name"] in svg
    ties = [d for d in leaders if d["verdict"] == "tie"]
    assert svg.count("tie: ") == len(ties) > 0
    assert "a price" in svg


def test_sort_a_table_by_clicking_a_header(base_url: str, page: Any) -> None:
    page.goto(base_url + "/labs")
    header = page.locator("#labs thead th", has_text="Models")
    column = [h.inner_text().strip() for h in page.locator("#labs thead th").all()].index(
        header.inner_text().strip()
    )

    def counts() -> list[int]:
        cells = page.locator(f"#labs tbody tr td:nth-child({column + 1})").all_inner_texts()
        return [int(c.replace(",", "")) for c in cells]

    before = counts()
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert counts() == sorted(before)  # numeric, not text order ('10' after '9')
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert counts() == sorted(before, reverse=True)
    # a text column sorts as text
    lab = page.locator("#labs thead th").first
    lab.click()
    names = page.locator("#labs tbody tr td:nth-child(1)").all_inner_texts()
    assert names == sorted(names, key=str.lower)


def test_follow_a_csv_link(base_url: str, page: Any) -> None:
    page.goto(base_url + "/labs")
    rows = page.locator("#labs tbody tr").count()
    first = page.locator("#labs tbody tr").first.locator("td").first.inner_text().strip()
    with page.expect_download() as info:
        page.locator('a.csv[href*="table=labs"]').click()
    path = info.value.path()
    table = list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert table[0][0] == "Lab" and len(table) - 1 == rows and table[1][0] == first


def test_open_the_compare_page_for_two_models(base_url: str, page: Any) -> None:
    page.goto(base_url + "/model/gpt-4o-2024-05-13")
    page.click("text=Compare with another model")
    page.wait_for_url("**/compare?kind=model*")
    page.fill("input[name=b]", "deepseek-v3")
    page.click("form.asof button[type=submit]")
    page.wait_for_url("**b=deepseek-v3*")
    assert "vs" in page.locator("h1").inner_text()
    h2h = page.locator("#head-to-head tbody tr", has_text="lmarena-text-full")
    assert h2h.count() >= 1
    data = _json(base_url + "/api/compare?kind=model&a=gpt-4o-2024-05-13&b=deepseek-v3")
    row = next(h for h in data["head_to_head"] if h["benchmark_id"] == "lmarena-text-full")
    expected = 1 / (1 + 10 ** (-(row["a"] - row["b"]) / 400))
    assert f"{expected:.0%}" in h2h.first.inner_text()
    assert page.locator("#shared tbody tr").count() == len(data["shared"]) > 5


def test_model_page_is_a_summary_not_ten_thousand_pixels(base_url: str, page: Any) -> None:
    # the models with the most price rows (146) and the most score rows (1,424) in the real
    # data: ~18,000 and ~9,000 px of raw rows before
    page.goto(base_url + "/model/gpt-oss-120b")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    page.goto(base_url + "/model/llama-3.1-405b-instruct")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    summary = page.locator("#summary")
    assert summary.locator("#ranks tbody tr").count() >= 1
    assert summary.locator("#rank-chart svg").count() == 1
    assert summary.bounding_box()["y"] < 400  # the summary comes first
    folded = page.locator("#scores details.history").first
    folded.locator("summary").click()
    assert folded.locator("table.inner tr").count() >= 1
