"""Options given before the command (`wholeads --db F labs`), kept for the command to use.

The root callback sets them on every run, so one in-process run never sees another's.
"""

from __future__ import annotations

from pathlib import Path

_db: Path | None = None
_large_heap = False


def set_db(db: Path | None) -> None:
    """The `--db` given before the command (None when it was not)."""
    global _db, _large_heap
    _db = db
    _large_heap = False


def left_large_heap() -> None:
    """The command is done and leaves a large heap behind (an update's build): the process may
    end without tearing it down (see ``cli.run``)."""
    global _large_heap
    _large_heap = True


def large_heap_left() -> bool:
    return _large_heap


def db() -> Path | None:
    """The `--db` given before the command, if any."""
    return _db
