"""Full-page screenshots of the dashboard's main pages into docs/ (home, domain, model, compare).

    WHOLEADS_DB=/tmp/wl.duckdb python bench/screenshots.py [--out docs] [--width 1280]

Serves the app from the given built database with uvicorn on 127.0.0.1 and drives Debian's
Chromium (/usr/bin/chromium) with Playwright; prints each file with its size in pixels.
"""

from __future__ import annotations

import argparse
import os
import socket
import struct
import threading
import time
from pathlib import Path

import uvicorn

from wholeads.web import create_app

PAGES = {
    "home": "/",
    "domain": "/domain/coding",
    "model": "/model/deepseek-r1",
    "compare": "/compare?kind=model&a=gpt-4o-2024-05-13&b=deepseek-v3",
}
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return int(width), int(height)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("WHOLEADS_DB"), help="a built database")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs"))
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if not args.db:
        parser.error("give --db or set WHOLEADS_DB to a built database")
    from playwright.sync_api import sync_playwright

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(Path(args.db)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": args.width, "height": 900})
            for name, path in PAGES.items():
                page.goto(f"http://127.0.0.1:{port}{path}")
                target = out / f"{name}.png"
                page.screenshot(path=str(target), full_page=True)
                w, h = png_size(target)
                print(f"{target}  {w} x {h} px  {target.stat().st_size / 1024:,.0f} KiB")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)


if __name__ == "__main__":
    main()
