"""Clean crashes: the parse worker dies with its update, and concurrent updates of one database
wait for each other (half-built files of killed builders: see test_store.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from wholeads.ingest.update import run_update
from wholeads.store import writelock

WORKER_THEN_SLEEP = """
import os, time
from wholeads.ingest.parallel import SIDE_SOURCES, side_worker
with side_worker([*SIDE_SOURCES, "livebench"]) as pool:
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 3600)
    time.sleep(3600)
"""

HOLD_LOCK = """
import sys
from pathlib import Path
from wholeads.store import writelock
with writelock.exclusive(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def _gone(pid: int) -> bool:
    """True when ``pid`` has exited (a zombie not yet reaped by init counts as exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def _wait_until_gone(pid: int, polls: int = 600) -> bool:
    import time

    for _ in range(polls):
        if _gone(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_parse_worker_dies_with_a_killed_update() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", WORKER_THEN_SLEEP], stdout=subprocess.PIPE, text=True
    ) as update:
        assert update.stdout is not None
        worker = int(update.stdout.readline())
        assert not _gone(worker)
        os.kill(update.pid, signal.SIGKILL)  # as `kill -9` during the parse
        update.wait()
        finished = _wait_until_gone(worker)
        if not finished:
            os.kill(worker, signal.SIGKILL)
    assert finished, f"worker {worker} still runs after its update was killed"


def test_concurrent_updates_of_one_database_wait_for_each_other(
    shared_data: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as other:
        assert other.stdin is not None and other.stdout is not None
        assert other.stdout.readline().strip() == "locked"
        told: list[str] = []

        def notify(message: str) -> None:
            told.append(message)
            assert other.stdin is not None
            other.stdin.close()  # the other update finishes once this one is waiting

        result = run_update(db, mirror=shared_data, only=["epoch-eci"], notify=notify)
        other.wait()
    assert told == [
        f"another update of {db} is running (pid {other.pid}); waiting for it to finish"
    ]
    assert not result.skipped and db.is_file()
    assert writelock.lock_path(db).read_text() == str(os.getpid())


PRESTARTED = """
from wholeads.ingest.parallel import SIDE_SOURCES, prestart, side_worker
prestart()
with side_worker([*SIDE_SOURCES, "livebench"]) as pool:
    print(pool.submit(eval, "'wholeads.ingest.parse' in __import__('sys').modules").result())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no fork server")
def test_the_parse_worker_is_forked_with_the_parsers_imported() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PRESTARTED], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "True"
