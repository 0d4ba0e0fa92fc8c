"""`wholeads arena` end to end: every input format, JSON shape, filters, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import synth_battles
from conftest import run_cli
from wholeads.cli import app

KEYS = {"model", "rating", "ci_low", "ci_high", "rank", "battles", "flags"}
HEADER = "model_a,model_b,winner,tstamp,language,anony\n"


@pytest.fixture(scope="module")
def synth() -> synth_battles.Synth:
    return synth_battles.generate(3_000, 8, seed=21)


@pytest.fixture(scope="module")
def files(synth: synth_battles.Synth, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("battles")
    return {
        s: synth_battles.write(synth, folder / f"battles.{s}")
        for s in ("csv", "jsonl", "json", "parquet")
    }


def run_json(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["arena", *args, "--json"])
    assert result.exit_code == 0, result.output
    records: list[dict[str, object]] = json.loads(result.stdout)
    return records


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    """Run the console entry point in-process: exit code and stderr."""
    return run_cli(monkeypatch, *args), capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "json", "parquet"])
def test_every_format_gives_the_same_leaderboard(files: dict[str, Path], suffix: str) -> None:
    records = run_json(str(files[suffix]), "--seed", "3", "--bootstrap", "30")
    baseline = run_json(str(files["parquet"]), "--seed", "3", "--bootstrap", "30")
    assert all(set(r) == KEYS for r in records)
    assert records == baseline
    assert sum(int(r["battles"]) for r in records) == 2 * 3_000  # type: ignore[call-overload]
    ranks = [r["rank"] for r in records]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(r["ci_low"] <= r["rating"] <= r["ci_high"] for r in records)  # type: ignore[operator]


def test_table_output_and_sandwich(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        app, ["arena", str(files["csv"]), "--seed", "1", "--bootstrap", "20"]
    )
    assert result.exit_code == 0, result.output
    assert "rank" in result.stdout and "model-000" in result.stdout and ".." in result.stdout
    records = run_json(str(files["csv"]), "--ci", "sandwich")
    assert len(records) == 8


def test_filter_anchor_and_min_battles(files: dict[str, Path], synth: synth_battles.Synth) -> None:
    chinese = int((synth.language == synth_battles.LANGUAGES.index("Chinese")).sum())
    records = run_json(
        str(files["parquet"]), "--ci", "sandwich", "--filter", "language = 'Chinese'"
    )
    assert sum(int(r["battles"]) for r in records) == 2 * chinese  # type: ignore[call-overload]
    both = run_json(
        str(files["jsonl"]),
        "--ci",
        "sandwich",
        "--filter",
        "language = 'Chinese'",
        "--filter",
        "anony = true AND tstamp >= 0",
    )
    assert sum(int(r["battles"]) for r in both) < 2 * chinese  # type: ignore[call-overload]
    anchored = run_json(str(files["csv"]), "--ci", "sandwich", "--anchor", "model-002=1300")
    assert next(r for r in anchored if r["model"] == "model-002")["rating"] == 1300.0
    per_model = {r["model"]: r["battles"] for r in anchored}
    cut = sorted(per_model.values())[2]  # type: ignore[type-var]
    kept = run_json(str(files["csv"]), "--ci", "sandwich", "--min-battles", str(cut))
    assert {r["model"] for r in kept} == {m for m, n in per_model.items() if n >= cut}  # type: ignore[operator]


@pytest.mark.parametrize(
    ("rows", "row", "needle"),
    [
        (
            "a,b,model_a,1,English,true\na,b,tie,2,English,true\nb,a,draw,3,English,true\n",
            3,
            "unknown winner 'draw'",
        ),
        ("a,b,model_a,1,English,true\nc,c,model_b,2,English,true\n", 2, "'c' plays itself"),
        ("a,b,model_a,1,English,true\n,b,model_b,2,English,true\n", 2, "model_a is empty"),
    ],
)
def test_malformed_rows_name_file_and_row(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    rows: str,
    row: int,
    needle: str,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + rows)
    code, err = run_main(monkeypatch, capsys, "arena", str(path), "--json")
    assert code == 2
    assert str(path) in err and f"row {row}" in err and needle in err
    assert "Traceback" not in err


def test_bad_row_deep_in_a_big_file_is_located(
    tmp_path: Path,
    synth: synth_battles.Synth,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = tmp_path / "good.csv"
    synth_battles.write(synth, good)
    lines = good.read_text().splitlines(keepends=True)
    lines[2501] = lines[2501].replace("model_a", "nobody").replace("model_b", "nobody")
    lines[2501] = lines[2501].replace(",tie,", ",nobody,").replace(",tie (bothbad),", ",nobody,")
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines))
    code, err = run_main(monkeypatch, capsys, "arena", str(bad), "--json")
    assert code == 2 and "row 2501" in err and "'nobody'" in err


def test_missing_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowinner.jsonl"
    path.write_text('{"model_a": "a", "model_b": "b"}\n{"model_a": "b", "model_b": "a"}\n')
    code, err = run_main(monkeypatch, capsys, "arena", str(path))
    assert code == 2 and str(path) in err and "winner" in err and "missing column" in err


@pytest.mark.parametrize(
    "hostile",
    [
        "1=1; DROP TABLE x",
        "language = 'x' OR 1=1--",
        "language = 'x' OR 1=1",
        "language = 'x'; SELECT 1",
        "language = (SELECT 'x')",
        "nonexistent = 'x'",
        "language",
        "language = English",
    ],
)
def test_hostile_or_bad_filters_are_rejected(
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    hostile: str,
) -> None:
    code, err = run_main(monkeypatch, capsys, "arena", str(files["csv"]), "--filter", hostile)
    assert code == 2 and "filter" in err


def test_filter_literal_with_quote_is_bound_not_spliced(files: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        app, ["arena", str(files["csv"]), "--json", "--filter", "language = 'x'' OR ''1''=''1'"]
    )
    assert "no battles left" in str(result.exception)


def test_user_errors_exit_2(
    files: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for args, needle in [
        (["--anchor", "model-001"], "MODEL=RATING"),
        (["--anchor", "nobody=1000"], "anchor model 'nobody'"),
        (["--ci", "magic"], "--ci"),
        (["--min-battles", "100000"], "min-battles"),
    ]:
        code, err = run_main(monkeypatch, capsys, "arena", str(files["csv"]), *args)
        assert code == 2 and needle in err, (args, err)
    code, err = run_main(monkeypatch, capsys, "arena", str(tmp_path / "absent.csv"))
    assert code == 2 and "does not exist" in err


def test_console_script(files: dict[str, Path]) -> None:
    exe = Path(sys.executable).with_name("wholeads")
    if not exe.exists():
        pytest.skip("console script not installed next to this interpreter")
    out = subprocess.run(
        [str(exe), "arena", str(files["parquet"]), "--json", "--bootstrap", "10", "--seed", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {r["model"] for r in json.loads(out.stdout)} == {f"model-00{m}" for m in range(8)}
