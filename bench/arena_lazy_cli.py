"""`wholeads arena` as it starts once the CLI registers its commands lazily (benchmark only).

Today `wholeads.cli` imports every command module before running one (issue 12's start-up item,
worked on separately). This entry loads the `arena` command module on its own onto a Typer app
set up like the real one, so its process loads what `arena` needs and nothing else:

    python bench/arena_lazy_cli.py arena battles.parquet --json --bootstrap 100 --seed 0
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import typer

import wholeads
from wholeads.errors import WholeadsError


def main() -> None:
    source = Path(wholeads.__file__).parent / "cli" / "arena.py"
    spec = importlib.util.spec_from_file_location("wholeads_arena_alone", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = typer.Typer(name="wholeads", add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """Who leads in AI, and where (the arena command only)."""

    module.register(app)
    try:
        app(prog_name="wholeads")
    except WholeadsError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
