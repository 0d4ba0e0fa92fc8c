"""The catalog commands on the real database: filters, JSON/CSV output, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from wholeads.cli import app

runner = CliRunner()


def _run(db: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.output


def test_china_open_weight_models(real_db: Path) -> None:
    code, out = _run(real_db, "models", "--ecosystem", "CN", "--open-weights", "--json")
    assert code == 0
    rows = json.loads(out)
    ids = {r["id"] for r in rows}
    assert {"deepseek-r1", "deepseek-v3", "minimax-text-01"} <= ids
    assert all(r["ecosystem"] == "CN" and r["open_weights"] for r in rows)
    r1 = next(r for r in rows if r["id"] == "deepseek-r1")
    assert (r1["lab"], r1["release_date"], r1["license"], r1["context_window"]) == (
        "deepseek",
        "2025-01-20",
        "MIT",
        128000,
    )


def test_filters_combine(real_db: Path) -> None:
    code, out = _run(
        real_db,
        "models",
        "--lab",
        "Anthropic",
        "--released-after",
        "2025-01-01",
        "--released-before",
        "2025-12-31",
        "--min-context",
        "200000",
        "--json",
    )
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["lab"] == "anthropic" for r in rows)
    assert all("2025-01-01" <= r["release_date"] <= "2025-12-31" for r in rows)
    assert all(r["context_window"] >= 200000 for r in rows)
    code, out = _run(real_db, "models", "--closed", "--kind", "video_generation", "--csv")
    reader = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and reader and all(r["open_weights"] == "False" for r in reader)


def test_show_gives_facts_with_sources_and_scores(real_db: Path) -> None:
    code, out = _run(real_db, "show", "DeepSeek R1", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["model"]["id"] == "deepseek-r1"
    license_fact = next(f for f in info["facts"] if f["field"] == "license" and f["chosen"])
    assert license_fact["value"] == "MIT" and license_fact["url"].startswith("https://")
    sources = {s["source"] for s in info["scores"]}
    assert len(sources) >= 3, sources
    assert "context_window" in info["disagreements"]


def test_labs_lists_country_and_ecosystem(real_db: Path) -> None:
    code, out = _run(real_db, "labs", "--json")
    labs = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert (labs["zhipu"]["country"], labs["zhipu"]["ecosystem"]) == ("CN", "CN")
    assert (labs["mistral"]["country"], labs["mistral"]["ecosystem"]) == ("FR", "EU")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "no-such-model-zzz"], "unknown model"),
        (["models", "--released-after", "yesterday"], "not a date"),
        (["models", "--ecosystem", "Mars"], "unknown 'Mars'"),
        (["models", "--lab", "Nonexistent Labs"], "unknown lab"),
        (["unmatched", "--source", "nope"], "unknown 'nope'"),
    ],
)
def test_user_errors_are_one_line_without_traceback(
    real_db: Path, args: list[str], message: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wholeads", *args, "--db", str(real_db)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_sources_and_unmatched(real_db: Path) -> None:
    code, out = _run(real_db, "sources", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0 and len(rows) == 26
    assert rows["livebench"]["scores"] == 5338 and rows["livebench"]["status"] == "ok"
    assert rows["livebench"]["problems"] == 1  # one misaligned row of table_2026_01_08.csv
    code, out = _run(real_db, "unmatched", "--source", "lmarena-elo-history", "--json")
    assert code == 0 and all(g["source"] == "lmarena-elo-history" for g in json.loads(out))


def test_batch_resolve_reads_stdin(real_db: Path) -> None:
    result = runner.invoke(
        app,
        ["resolve", "-", "--db", str(real_db)],
        input="DeepSeek-R1\ndeepseek/deepseek-r1\nnot-a-model-qq\n",
    )
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [r["model_id"] for r in lines] == ["deepseek-r1", "deepseek-r1", None]
    assert lines[0]["country"] == "CN" and lines[0]["ecosystem"] == "CN"
    labs = runner.invoke(
        app, ["resolve", "-", "--kind", "lab", "--db", str(real_db)], input="Z.ai\nDeepSeek AI\n"
    )
    assert [json.loads(x)["lab_id"] for x in labs.output.splitlines()] == ["zhipu", "deepseek"]
