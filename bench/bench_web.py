"""Web dashboard under load: the leaders API and the home page, on loopback.

Targets (2 cores): each route sustains >= 1,000 requests/s with p99 latency < 50 ms.

Load tool: a small asyncio keep-alive HTTP/1.1 client written here (raw sockets, no library, so
the client costs little CPU next to the server it measures): CONCURRENCY connections, each
sending one GET at a time and reading the full response (Content-Length) before the next.
The server is `uvicorn` with one worker, started in a subprocess on 127.0.0.1 with a free port.
Bounded: each route runs for at most --seconds and --requests, whichever comes first; nothing is
sent anywhere but 127.0.0.1. Pass --db to reuse a built database (else one is built).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from _common import built_db

HOST = "127.0.0.1"
CONCURRENCY = 16
TARGET_RPS = 1000.0
TARGET_P99_MS = 50.0
ROUTES = ("/api/leaders", "/")
SERVER = """
import sys, uvicorn
from pathlib import Path
from wholeads.web import create_app
uvicorn.run(create_app(Path(sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(db: Path) -> Iterator[int]:
    """uvicorn serving the app in a subprocess; yields its port once it answers."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.2):
                break
            if proc.poll() is not None:
                sys.exit("the server exited before answering")
            time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One request on a kept-alive connection; returns the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def load(port: int, path: str, seconds: float, max_requests: int) -> dict[str, float]:
    """CONCURRENCY workers hammering one path; latencies in ms."""
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: */*\r\n\r\n".encode()
    latencies: list[float] = []
    errors = 0
    stop = 0.0

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < stop and len(latencies) < max_requests:
                t0 = time.perf_counter()
                status = await fetch(reader, writer, request)
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += status != 200
        finally:
            writer.close()

    # warm-up: a few requests so caches and connections are in place
    reader, writer = await asyncio.open_connection(HOST, port)
    for _ in range(20):
        await fetch(reader, writer, request)
    writer.close()
    start = time.perf_counter()
    stop = start + seconds
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[int(0.99 * (len(latencies) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=5.0, help="per route (at most)")
    parser.add_argument("--requests", type=int, default=20_000, help="per route (at most)")
    args = parser.parse_args()
    db = args.db or built_db()
    print(f"load: asyncio keep-alive client, {CONCURRENCY} connections, one uvicorn worker")
    failed = False
    with server(db) as port:
        for path in ROUTES:
            r = asyncio.run(load(port, path, args.seconds, args.requests))
            ok = r["rps"] >= TARGET_RPS and r["p99"] < TARGET_P99_MS and not r["errors"]
            failed |= not ok
            print(
                f"{path:14} {r['requests']:6.0f} requests  {r['rps']:7.0f} req/s "
                f"(target >= {TARGET_RPS:.0f})  p50 {r['p50']:5.1f} ms  p99 {r['p99']:5.1f} ms "
                f"(target < {TARGET_P99_MS:.0f})  errors {r['errors']:.0f}  "
                f"{'ok' if ok else 'MISSED'}"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
