"""Commands loaded only when they run: `wholeads --help` lists them from a table without
importing their modules (and with them numpy, DuckDB, httpx, pydantic).

A command is one line of ``wholeads.cli.COMMANDS``: its name, the module under ``wholeads.cli``
that registers it (``register(app)``) and its summary for the command list. A test checks that
each summary is the first paragraph of the command's docstring, so they cannot drift.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup

from wholeads.cli._metavars import apply_metavars


@dataclass(frozen=True)
class CommandSpec:
    """Where a command lives and how the command list describes it."""

    module: str
    """Module under ``wholeads.cli`` whose ``register(app)`` adds the command."""
    summary: str
    """The first paragraph of the command's docstring, shown by `wholeads --help`."""


class LazyGroup(TyperGroup):
    """A Typer group that imports a command's module when the command is run or its own help is
    asked for, and lists every command from the table otherwise."""

    specs: ClassVar[dict[str, CommandSpec]] = {}
    """Filled by ``wholeads.cli`` before the group is built."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False
        for name, spec in self.specs.items():
            self.commands.setdefault(name, _Stub(name, spec.summary))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The group's help lists the stubs: no command module is imported for it."""
        self._listing = True
        apply_metavars(self, ctx)
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Stub) and not self._listing:
            command = self.commands[cmd_name] = load_command(cmd_name, self.specs[cmd_name])
        return command


class _Stub(typer.core.TyperCommand):
    """Stands for a command in the command list until the command is loaded."""

    def __init__(self, name: str, summary: str) -> None:
        super().__init__(name=name, help=summary, short_help=summary)


def load_command(name: str, spec: CommandSpec) -> Any:
    """Import the command's module and build its click command, metavars filled in."""
    module = importlib.import_module(f"wholeads.cli.{spec.module}")
    holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
    module.register(holder)
    group = typer.main.get_group(holder)
    command = group.commands[name]
    apply_metavars(command)
    return command
