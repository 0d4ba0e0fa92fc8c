"""Issue 13's CLI conventions: options where users put them, --json/--csv on every listing,
validation with a hint, tables that fit the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from wholeads.cli import app

runner = CliRunner()


def test_db_before_the_command_is_the_database_used(real_db: Path) -> None:
    """`wholeads --db F sources` reads F: the mirror build imported livebench, which the default
    database (built from the embedded default in this test's empty data dir) never has."""
    before = runner.invoke(app, ["--db", str(real_db), "sources", "--json"])
    assert before.exit_code == 0, before.output
    status = {r["id"]: r["status"] for r in json.loads(before.output)}
    assert status["livebench"] == "ok"
    after = runner.invoke(app, ["sources", "--json", "--db", str(real_db)])
    assert json.loads(after.output) == json.loads(before.output)


def test_db_given_twice_the_commands_own_wins(real_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    result = runner.invoke(app, ["--db", str(other), "sources", "--json", "--db", str(real_db)])
    assert result.exit_code == 0, result.output
    assert not other.exists()
