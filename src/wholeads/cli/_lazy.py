"""Commands loaded only when they run: `wholeads --help` lists them from a table without
importing their modules (and with them numpy, DuckDB, httpx, pydantic).

A command is one line of ``wholeads.cli.COMMANDS``: its name, the module under ``wholeads.cli``
that registers it (``register(app)``) and its summary for the command list. A test checks that
each summary is the first paragraph of the command's docstring, so they cannot drift.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
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

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        plain_coercion(self, ctx)  # the group's own options (--db, --version, completion, help)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Stub) and not self._listing:
            command = self.commands[cmd_name] = load_command(cmd_name, self.specs[cmd_name])
            plain_coercion(command, ctx)  # with its --help option
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
    plain_coercion(command)
    return command


_DEFAULT_INFO: dict[str, Any] = {
    "parser": None, "path_type": None, "resolve_path": False, "allow_dash": False,
    "exists": False, "file_okay": True, "dir_okay": True, "readable": True, "writable": False,
    "min": None, "max": None, "clamp": False, "formats": None, "mode": None, "encoding": None,
}  # fmt: skip
"""The parameter settings under which Typer coerces text, a path or a list of texts plainly."""


def plain_coercion(command: Any, ctx: Any = None) -> None:
    """Options that take text, a path or a list of texts, with none of Typer's path checks or
    constraints asked for, are coerced as Typer would (``str(v)``, ``Path(v)``, a list of them)
    without building a pydantic TypeAdapter per option: running a command like `leaders` then
    never imports pydantic. Any other parameter, or a Typer without this layer, keeps Typer's
    own coercion (a test compares both on every command's options)."""
    params = list(getattr(command, "params", []))
    if ctx is not None and hasattr(command, "get_help_option"):
        params.append(command.get_help_option(ctx))
    for param in params:
        desc = getattr(param, "type_descriptor", None)
        if desc is None or getattr(param, "_runtime_param", False) is not None:
            continue
        info = desc.parameter_info
        if any(getattr(info, k, v) != v for k, v in _DEFAULT_INFO.items()):
            continue
        plain = _plain_runtime_param(desc.annotation, info)
        if plain is not None:
            param._runtime_param = plain


def _plain_runtime_param(annotation: Any, info: Any) -> Any:
    try:
        from typer._coercion import RuntimeParam
    except ImportError:  # another Typer: its own coercion
        return None
    item: Any = annotation
    if getattr(annotation, "__origin__", None) is list:
        (item,) = getattr(annotation, "__args__", (None,))
    if item not in (str, Path, bool) or (item is bool and item is not annotation):
        return None

    many = item is not annotation

    @dataclass(frozen=True)
    class Plain(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if many:  # one value alone is a list of one, as Typer's adapter reads it
                values = value if isinstance(value, list | tuple) else [value]
                return [_plain(item, v, param, ctx) for v in values]
            return _plain(item, value, param, ctx)

    return Plain(parameter_info=info, annotation=annotation)


_TRUE, _FALSE = {"1", "on", "t", "true", "y", "yes"}, {"", "0", "off", "f", "false", "n", "no"}


def _plain(kind: type, value: Any, param: Any, ctx: Any) -> Any:
    """One value as Typer's adapter gives it: text as is; a path as Path, refused (as Typer
    does) when it exists but cannot be read; a flag as a bool (from the words pydantic reads)."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower() if isinstance(value, str | int) else None
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise typer.BadParameter("Input should be a valid boolean", ctx, param)
    if kind is str:
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if not isinstance(value, str | os.PathLike):
        raise typer.BadParameter(f"Value {value!r} is not a valid path.", ctx, param)
    path = Path(value)
    if path.exists() and not os.access(path, os.R_OK):
        raise typer.BadParameter(f"Path {str(value)!r} is not readable.", ctx, param)
    return path
