"""Web dashboard under load: every page and API route, on loopback, one uvicorn worker.

Target (issue 16, this 2-core machine): at 16 connections every route sustains >= 500 requests/s
with p99 latency < 100 ms.

Load tool: `wrk` (Debian: `apt-get install -y wrk`), 1 thread, CONCURRENCY keep-alive
connections, --seconds per route, latency percentiles from `--latency`; a POST route sends its
body through a small Lua script. The server is `uvicorn` with one worker in a subprocess on
127.0.0.1 with a free port; nothing is sent anywhere else. Each route is warmed with a few
requests first (the caches are per database: the first request of a URL pays for it, printed as
"cold ms", the CPU bound of an uncached request), then run
--runs times, alternating routes between runs; the table gives the min and median of the runs'
req/s and p99, and the machine's load average before and after. The server's resident memory
is printed at the end. Pass --db to reuse a built database (else one is built); --only to run
the routes whose path contains a string.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from _common import built_db

HOST = "127.0.0.1"
CONCURRENCY = 16
TARGET_RPS = 500.0
TARGET_P99_MS = 100.0
CLAIMS = """claims:
  - id: r1-mit-license
    text: DeepSeek R1 is released under an MIT license
    as_of: 2025-03-01
    kind: fact
    entity: DeepSeek R1
    field: license
    expect: MIT
"""


@dataclass(frozen=True)
class Route:
    path: str
    method: str = "GET"
    body: str = ""
    content_type: str = ""


ROUTES = [
    # pages
    Route("/"),
    Route("/?as_of=2025-03-01&by=lab"),
    Route("/domain/coding"),
    Route("/model/deepseek-r1"),
    Route("/labs"),
    Route("/lab/deepseek"),
    Route("/ecosystem/CN"),
    Route("/compare?a=US&b=CN"),
    Route("/benchmark/aider-polyglot"),
    Route("/search?q=deep"),
    Route("/search?q=deepsek"),
    Route("/advisor?task=coding&open_weights=yes"),
    Route("/claims"),
    Route(
        "/claims",
        "POST",
        "yaml=" + CLAIMS.replace("\n", "%0A").replace(" ", "+"),
        "application/x-www-form-urlencoded",
    ),
    Route("/docs"),
    Route("/static/style.css"),
    # the JSON API
    Route("/api/leaders"),
    Route("/api/leaders?as_of=2024-07-01&domain=coding"),
    Route("/api/domains"),
    Route("/api/domain/coding"),
    Route("/api/model/deepseek-r1"),
    Route("/api/labs"),
    Route("/api/lab/deepseek"),
    Route("/api/ecosystem/CN"),
    Route("/api/compare?kind=lab&a=openai&b=deepseek"),
    Route("/api/benchmark/aider-polyglot"),
    Route("/api/search?q=deep"),
    Route("/api/search?q=deepsek"),
    Route("/api/search?q=qwen2.5-max"),
    Route("/api/advisor?task=coding&max_price=5"),
    Route("/api/claims", "POST", CLAIMS, "text/plain"),
    Route("/openapi.json"),
]
SERVER = """
import sys, uvicorn
from pathlib import Path
import wholeads
from wholeads.web import create_app
print("serving wholeads from", wholeads.__file__, flush=True)
uvicorn.run(create_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(db: Path) -> Iterator[tuple[int, int]]:
    """uvicorn serving the app in a subprocess; yields (port, pid) once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)])
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.2):
                break
            if proc.poll() is not None:
                sys.exit("the server exited before answering")
            time.sleep(0.2)
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(10)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def send(port: int, route: Route) -> int:
    """One request with the standard library (warm-up and status check)."""
    req = urllib.request.Request(
        f"http://{HOST}:{port}{route.path}", method=route.method,
        data=route.body.encode() if route.method == "POST" else None,
        headers={"Content-Type": route.content_type} if route.content_type else {},
    )  # fmt: skip
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()
        return int(r.status)


def lua_script(route: Route, folder: Path) -> Path | None:
    if route.method == "GET":
        return None
    body = route.body.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    script = folder / f"post{abs(hash(route))}.lua"
    script.write_text(
        f'wrk.method = "{route.method}"\nwrk.body = "{body}"\n'
        f'wrk.headers["Content-Type"] = "{route.content_type}"\n'
    )
    return script


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(port: int, route: Route, seconds: int, folder: Path) -> dict[str, float]:
    """One wrk run: requests/s, p50 and p99 in ms, and non-2xx responses / socket errors."""
    cmd = ["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    script = lua_script(route, folder)
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(
        [*cmd, f"http://{HOST}:{port}{route.path}"], capture_output=True, text=True, check=True
    ).stdout

    def latency(pct: str) -> float:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert m, out
        return float(m.group(1)) * UNITS[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    assert rps, out
    return {
        "rps": float(rps.group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": (int(bad.group(1)) if bad else 0)
        + (sum(int(x) for x in errors.groups()) if errors else 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--seconds", type=int, default=3, help="per route and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="only routes whose path contains this")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk)")
    routes = [r for r in ROUTES if args.only in r.path]
    db = args.db or built_db()
    load_before = os.getloadavg()
    print(
        f"load: wrk, 1 thread, {CONCURRENCY} connections, {args.seconds} s per route and run, "
        f"{args.runs} runs alternating routes; one uvicorn worker; {os.cpu_count()} cores"
    )
    results: dict[Route, list[dict[str, float]]] = {r: [] for r in routes}
    with server(db) as (port, pid), tempfile.TemporaryDirectory() as tmp:
        cold: dict[Route, float] = {}
        for route in routes:  # warm-up: the first request of a URL fills its caches
            t0 = time.perf_counter()
            status = [send(port, route)]
            cold[route] = (time.perf_counter() - t0) * 1000
            status += [send(port, route) for _ in range(2)]
            assert set(status) == {200}, (route, status)
        rss_warm = rss_mb(pid)
        for _ in range(args.runs):
            for route in routes:
                results[route].append(wrk(port, route, args.seconds, Path(tmp)))
        rss_end = rss_mb(pid)
    failed = False
    print(
        f"{'route':44} {'cold ms':>7} {'req/s min':>9} {'median':>7} {'p50 ms':>7} "
        f"{'p99 ms med':>10} {'max':>6}  errors  "
        f"(targets: >= {TARGET_RPS:.0f} req/s, p99 < {TARGET_P99_MS:.0f} ms)"
    )
    for route, runs in results.items():
        rps = [r["rps"] for r in runs]
        p99 = [r["p99"] for r in runs]
        errors = sum(r["errors"] for r in runs)
        ok = statistics.median(rps) >= TARGET_RPS and statistics.median(p99) < TARGET_P99_MS
        ok = ok and not errors
        failed |= not ok
        name = f"{route.method} {route.path}"[:44]
        print(
            f"{name:44} {cold[route]:7.0f} {min(rps):9.0f} {statistics.median(rps):7.0f} "
            f"{statistics.median(r['p50'] for r in runs):7.1f} {statistics.median(p99):10.1f} "
            f"{max(p99):6.1f}  {errors:6.0f}  {'ok' if ok else 'MISSED'}"
        )
    load_after = os.getloadavg()
    print(f"server RSS: {rss_warm:.0f} MB after warm-up, {rss_end:.0f} MB at the end")
    print(f"machine load average (1/5/15 min): before {load_before[0]:.1f}/{load_before[1]:.1f}/"
          f"{load_before[2]:.1f}, after {load_after[0]:.1f}/{load_after[1]:.1f}/"
          f"{load_after[2]:.1f}")  # fmt: skip
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
