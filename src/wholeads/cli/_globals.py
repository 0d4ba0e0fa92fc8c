"""Options given before the command (`wholeads --db F labs`), kept for the command to use.

The root callback sets them on every run, so one in-process run never sees another's.
"""

from __future__ import annotations

from pathlib import Path

_db: Path | None = None


def set_db(db: Path | None) -> None:
    """The `--db` given before the command (None when it was not)."""
    global _db
    _db = db


def db() -> Path | None:
    """The `--db` given before the command, if any."""
    return _db
