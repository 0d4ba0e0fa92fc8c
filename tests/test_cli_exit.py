"""The process entry point (``cli.run``): after an update's build it ends without tearing down
the heap, with the command's exit code and its whole output; in-process, ``main`` returns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wholeads.cli as cli
from wholeads.cli import _globals


class _Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _fake_exit(code: int) -> None:
    raise _Exited(code)


@pytest.mark.parametrize("large_heap", [True, False])
def test_the_process_ends_with_the_commands_code(
    large_heap: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At once after a command that left a large heap behind; as usual after any other."""
    _globals.set_db(None)  # a new run: no heap left behind

    def command() -> None:
        if large_heap:
            _globals.left_large_heap()
        raise SystemExit(3)

    monkeypatch.setattr(cli, "main", command)
    monkeypatch.setattr(os, "_exit", _fake_exit)
    with pytest.raises(_Exited if large_heap else SystemExit) as ended:
        cli.run()
    assert ended.value.code == 3


def test_an_update_process_prints_all_its_output_and_exits_zero(
    shared_data: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    db = tmp_path / "w.duckdb"
    args = ["update", "--mirror", str(shared_data), "--only", "livebench", "--db", str(db)]
    done = subprocess.run(
        [sys.executable, "-m", "wholeads", *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert [s["id"] for s in answer["sources"]] == ["livebench"]
    assert answer["sources"][0]["scores"] > 5_000
    assert "leaked" not in done.stderr  # no resource tracker complaining about semaphores
    assert db.exists()
