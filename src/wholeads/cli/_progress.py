"""Progress on long work: a Rich bar on stderr when stderr is a terminal, nothing when piped
(scripts and logs get the answer only)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console

Report = Callable[[int, int], None]
"""(done, total): called as the work advances."""


def on_terminal() -> bool:
    """Whether stderr is a terminal a bar can redraw on."""
    return Console(stderr=True).is_terminal


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Report | None]:
    """A transient bar labelled ``label`` (gone once the work is done), or None when piped."""
    if not on_terminal():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@contextlib.contextmanager
def spinner(message: str) -> Iterator[None]:
    """A spinner with ``message`` for work that does not count its steps; nothing when piped."""
    if not on_terminal():
        yield
        return
    with Console(stderr=True).status(message):
        yield
