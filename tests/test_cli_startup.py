"""Start-up: `wholeads --help` imports no command module and none of the heavy libraries; the
command table agrees with the commands it loads; help shows real metavars."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeads.cli import COMMANDS, app
from wholeads.cli._lazy import load_command
from wholeads.kb.domains import load_domains

HEAVY = ("numpy", "duckdb", "httpx", "scipy", "pydantic", "pyarrow", "rich.markdown")
runner = CliRunner()


def _modules_after(*args: str) -> tuple[list[str], str]:
    """The modules a fresh `wholeads ARGS` process has imported when it exits, and its output."""
    code = (
        "import sys, json\n"
        f"sys.argv = ['wholeads', *{list(args)!r}]\n"
        "from wholeads.cli import main\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print('\\n@@' + json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    out, _, modules = done.stdout.rpartition("\n@@")
    return json.loads(modules), out


def test_help_imports_no_heavy_library_and_no_command_module() -> None:
    modules, out = _modules_after("--help")
    loaded = set(modules)
    assert not [m for m in HEAVY if m in loaded]
    assert not [m for m in loaded if m.startswith("wholeads.cli.") and m.split(".")[2] in
                {s.module for s in COMMANDS.values()}]  # fmt: skip
    assert not [m for m in loaded if m.startswith(("wholeads.query", "wholeads.store"))]
    for name in COMMANDS:  # every command is still listed
        assert f"  {name} " in out


def test_a_command_loads_only_its_own_module() -> None:
    modules, out = _modules_after("arena", "--help")
    assert "wholeads.cli.arena" in modules
    others = {s.module for n, s in COMMANDS.items() if s.module != "arena"}
    assert not [m for m in modules if m.removeprefix("wholeads.cli.") in others]
    assert "--bootstrap N" in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_table_summary_is_the_commands_docstring(name: str) -> None:
    """The command list shows the first paragraph of each command's own docstring."""
    command = load_command(name, COMMANDS[name])
    doc = inspect.getdoc(command.callback) or ""
    first_paragraph = " ".join(doc.split("\n\n")[0].split())
    assert COMMANDS[name].summary == first_paragraph
    assert command.name == name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_words_not_python_types(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    for python_type in ("<bool>", "<path>", "<str>", "<int>", "<float>", "<list", "{"):
        assert python_type not in result.output, f"{name}: {python_type}"


def test_dates_domains_and_files_are_named() -> None:
    out = runner.invoke(app, ["gap", "--help"]).output
    assert "--domain DOMAIN" in out and "--from DATE" in out and "--db FILE" in out
    assert "--a GROUP" in out
    assert "--json " in out  # a flag shows no metavar


def test_version() -> None:
    from wholeads import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"wholeads {__version__}"


def test_completion_is_offered() -> None:
    out = runner.invoke(app, ["--help"]).output
    assert "--install-completion" in out and "--show-completion" in out


def test_unknown_command_suggests_the_close_one() -> None:
    result = runner.invoke(app, ["leader"])
    assert result.exit_code == 2
    assert "leaders" in result.output


def test_shell_completion_completes_lazy_commands_and_their_options() -> None:
    """What bash asks for on TAB: the command names from the table, a command's own options."""
    import os

    def complete(words: str) -> list[str]:
        env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1),
               "_WHOLEADS_COMPLETE": "complete_bash"}  # fmt: skip
        code = "import sys; sys.argv = ['wholeads']; from wholeads.cli import main; main()"
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
        return done.stdout.split()

    assert complete("wholeads lea") == ["leaders"]
    assert complete("wholeads leaders --do") == ["--domain"]


LEADERS_NEVER = ("pydantic", "scipy", "httpx", "pyarrow", "rich.table", "rich.markdown",
                 "wholeads.schema", "wholeads.kb.loader", "wholeads.kb.timeline", "wholeads.ingest",
                 "wholeads.query.catalog", "wholeads.store.tables")  # fmt: skip
"""What `leaders --json` has no use for: pydantic (the curated schema, the KB loader, Typer's
per-option TypeAdapters), the statistics and network stacks, rich's tables, the build."""


def test_leaders_json_imports_no_pydantic_kb_loader_or_build(
    real_db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHOLEADS_DB", str(real_db))
    modules, out = _modules_after("leaders", "--json")
    assert len(json.loads(out)) == len(load_domains()), "the answer itself: every domain"
    assert not [m for m in modules if m.startswith(LEADERS_NEVER)]


def _samples(annotation: object) -> list[object]:
    if annotation is bool:
        return [True, False, "true", "no", "1", "off", " yes ", "", "maybe", 2, None]
    scalars = ["x", "", "2025-01-01", " spaced ", Path("/tmp"), "/", 3, ["a"]]
    if getattr(annotation, "__origin__", None) is list:
        return [["a", "b"], ("c",), [], ["", "d"], "x"]
    return scalars


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_plain_coercion_gives_what_typers_own_gives(name: str) -> None:
    """Every option that skips Typer's TypeAdapter coerces every sample exactly as Typer does
    (the same value, or a BadParameter both ways)."""
    from typer._click import Context
    from typer._click.exceptions import BadParameter
    from typer._coercion import build_runtime_param

    command = load_command(name, COMMANDS[name])
    ctx = Context(command)
    plain = [p for p in command.params if type(p._runtime_param).__name__ == "Plain"]
    assert plain or name in {"serve"}, "most commands have text, path or flag options"
    for param in plain:
        typers = build_runtime_param(param.type_descriptor)
        for value in _samples(param.type_descriptor.annotation):
            outcomes = []
            for runtime in (param._runtime_param, typers):
                try:
                    outcomes.append(("ok", runtime._coerce_value(value, param=param, ctx=ctx)))
                except BadParameter:
                    outcomes.append(("bad", None))
            assert outcomes[0] == outcomes[1], (name, param.name, value, outcomes)


def test_reading_a_mirror_does_not_import_the_http_client(shared_data: Path) -> None:
    """A mirror build never downloads, so it does not pay for httpx (and ssl) at start-up."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from wholeads.ingest.update import _fetch\n"
        f"_fetch('livebench', Path({str(shared_data)!r}), False, None)\n"
        "print('httpx' in sys.modules, 'ssl' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False"]
