"""The dashboard in a real browser (Chromium driven by Playwright) against a real uvicorn server on
127.0.0.1: what a person sees and does, with a screenshot of each step in the test's folder.

Skipped only when /usr/bin/chromium is absent. Also checks that the browser reports no error
(a Content-Security-Policy violation or a failed asset would show up here).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

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
