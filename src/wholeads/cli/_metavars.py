"""Help text that names what a value is (`--as-of DATE`, `--domain DOMAIN`, `--db FILE`), not
its Python type (`<path>`, `<list[str]>`); flags show no type at all.

One table for every command, applied when a command is loaded, so a new option gets a real
metavar from its name (or a plain word for its type) without each declaration repeating it.
"""

from __future__ import annotations

from typing import Any

BY_OPTION = {
    "--as-of": "DATE",
    "--from": "DATE",
    "--to": "DATE",
    "--since": "DATE",
    "--released-after": "DATE",
    "--released-before": "DATE",
    "--domain": "DOMAIN",
    "--task": "DOMAIN",
    "--db": "FILE",
    "--claims": "FILE",
    "--parquet": "FILE",
    "--mirror": "DIR",
    "--out": "DIR",
    "--source": "SOURCE",
    "--only": "SOURCE",
    "--accept-shrink": "SOURCE",
    "--by": "GROUPING",
    "--a": "GROUP",
    "--b": "GROUP",
    "--lab": "LAB",
    "--ecosystem": "ECOSYSTEM",
    "--country": "CC",
    "--exclude-country": "CC",
    "--kind": "KIND",
    "--license": "LICENSE",
    "--format": "FORMAT",
    "--ci": "METHOD",
    "--anchor": "MODEL=RATING",
    "--filter": "CONDITION",
    "--base-url": "URL",
    "--host": "HOST",
    "--port": "PORT",
    "--max-price": "USD",
    "--price-cap": "USD",
    "--threshold": "SCORE",
    "--vram": "GB",
    "--min-context": "TOKENS",
}
BY_TYPE = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "FILE"}


def metavar_for(param: Any) -> str:
    """The metavar an option or argument shows in help."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    for opt in param.opts:
        if opt in BY_OPTION:
            return BY_OPTION[opt]
    kind = param.bare_type().removeprefix("list[").removesuffix("]")
    return BY_TYPE.get(kind, kind.upper())


def apply_metavars(command: Any, ctx: Any | None = None) -> None:
    """Fill in the metavar of every option that has none, ``--help`` included; an argument
    shows its name in capitals (`FILE`), without Typer's braces and type label."""
    import typer

    help_option = command.get_help_option(ctx or typer.Context(command))
    for param in [*command.params, *([help_option] if help_option else [])]:
        if param.param_type_name == "argument":
            name = param.metavar or str(param.name).upper()
            param.metavar = name
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda name=name: name
        elif param.metavar is None:
            param.metavar = metavar_for(param)
