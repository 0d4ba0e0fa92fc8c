"""One update of a database at a time: an advisory lock on a small file beside it.

Without it, two updates started together both rebuild in full and the last to finish wins. With
it, the second says which process it waits for, waits, and then usually finds the inputs
unchanged. The lock is the kernel's (``flock``): it is released when its holder exits, however it
exits, so a killed update never leaves a stale lock. The lock file itself is kept (removing it
would let two processes lock two different files).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: updates are not serialised there
    fcntl = None  # type: ignore[assignment]


def lock_path(db: Path) -> Path:
    """The lock file of a database: ``.<name>.lock`` in the same folder."""
    return db.with_name(f".{db.name}.lock")


@contextlib.contextmanager
def exclusive(db: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the update lock of ``db`` for the duration. When another process holds it, tell
    ``on_wait`` who and wait until it is released."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                on_wait(
                    f"another update of {db} is running (pid {holder}); waiting for it to finish"
                )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
