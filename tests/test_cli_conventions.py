"""Issue 13's CLI conventions: options where users put them, --json/--csv on every listing,
validation with a hint, tables that fit the terminal."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import run_cli
from test_leaders import make_db
from wholeads.cli import app
from wholeads.library.records import flat_row

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


# --- every listing takes --json and --csv ------------------------------------------------------

LISTINGS = [
    ["leaders", "--domain", "coding"],
    ["gap", "--domain", "coding"],
    ["frontier", "--domain", "coding"],
    ["pareto", "--domain", "general"],
    ["advise", "--task", "general", "--open-weights", "--vram", "8"],
    ["check", "--example"],
    ["models", "--ecosystem", "CN"],
    ["labs"],
    ["sources"],
    ["unmatched", "--source", "livebench"],
    ["problems"],
    ["show", "deepseek-r1"],
    ["resolve", "DeepSeek R1"],
]


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: a[0])
def test_every_listing_prints_csv(real_db: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--csv", "--db", str(real_db)])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert len(header) >= 2 and all(header)
    both = runner.invoke(app, [*args, "--csv", "--json", "--db", str(real_db)])
    assert both.exit_code != 0 and "choose one" in str(both.exception)


@pytest.mark.parametrize("args", LISTINGS[:7], ids=lambda a: a[0])
def test_csv_rows_are_the_answers_rows(real_db: Path, args: list[str]) -> None:
    """The CSV is the library answer's rows(), value for value (as JSON text when nested)."""
    import wholeads.library as lib

    as_csv = _csv_rows(runner.invoke(app, [*args, "--csv", "--db", str(real_db)]).stdout)
    calls = {
        "leaders": lambda: lib.leaders(domain="coding", db=real_db),
        "gap": lambda: lib.gap("coding", db=real_db),
        "frontier": lambda: lib.frontier("coding", db=real_db),
        "pareto": lambda: lib.pareto("general", db=real_db),
        "advise": lambda: lib.advise("general", open_weights=True, vram_gb=8, db=real_db),
        "check": lambda: lib.check(lib.EXAMPLE_CLAIMS, db=real_db),
        "models": lambda: lib.models(ecosystem="CN", db=real_db),
    }
    rows = calls[args[0]]().rows()
    assert len(as_csv) == len(rows) > 0
    first = {k: "" if v is None else str(v) for k, v in flat_row(rows[0]).items()}
    assert {k: as_csv[0][k] for k in first if not isinstance(rows[0][k], float | bool)} == {
        k: v for k, v in first.items() if not isinstance(rows[0][k], float | bool)
    }


def test_leaders_csv_known_answer(tmp_path: Path) -> None:
    """tests/test_leaders.py's tiny database as of 2025-03-01: gpt-b 1340 (US), ds-a 1275 (CN),
    mi-a 1200 (EU); US leads by 65."""
    db = make_db(tmp_path / "tiny.duckdb")
    out = runner.invoke(app, ["leaders", "--domain", "general", "--as-of", "2025-03-01",
                              "--csv", "--db", str(db)])  # fmt: skip
    rows = _csv_rows(out.stdout)
    assert [(r["group"], r["model_id"], float(r["score"])) for r in rows] == [
        ("US", "gpt-b", 1340), ("CN", "ds-a", 1275), ("EU", "mi-a", 1200),
    ]  # fmt: skip
    assert {(r["leader"], float(r["gap"])) for r in rows} == {("US", 65)}


PARQUET = [
    ["leaders"],
    ["models", "--all"],
    ["pareto", "--domain", "general"],
    ["unmatched", "--limit", "100000"],
]


@pytest.mark.parametrize("args", PARQUET, ids=lambda a: a[0])
def test_parquet_export_has_the_csv_rows(real_db: Path, tmp_path: Path, args: list[str]) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "rows.parquet"
    result = runner.invoke(app, [*args, "--parquet", str(out), "--db", str(real_db)])
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    as_csv = _csv_rows(runner.invoke(app, [*args, "--csv", "--db", str(real_db)]).stdout)
    assert table.num_rows == len(as_csv) > 0
    assert table.column_names == list(as_csv[0])
    assert not list(tmp_path.glob("*.partial"))


def test_arena_csv_is_its_json(tmp_path: Path) -> None:
    """Three models, 30 battles: a beats b 8 of 10, b beats c 7 of 10, a beats c 9 of 10."""
    lines = ["model_a,model_b,winner"]
    for a, b, wins in (("a", "b", 8), ("b", "c", 7), ("a", "c", 9)):
        lines += [f"{a},{b},model_a"] * wins + [f"{a},{b},model_b"] * (10 - wins)
    battles = tmp_path / "battles.csv"
    battles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["arena", str(battles), "--ci", "sandwich"]
    as_json = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    as_csv = _csv_rows(runner.invoke(app, [*args, "--csv"]).stdout)
    assert [r["model"] for r in as_csv] == [r["model"] for r in as_json] == ["a", "b", "c"]
    assert [float(r["rating"]) for r in as_csv] == [r["rating"] for r in as_json]
    assert [int(r["battles"]) for r in as_csv] == [20, 20, 20]


# --- validation --------------------------------------------------------------------------------


def test_resolve_nothing_exits_1_with_the_closest_ids(real_db: Path) -> None:
    result = runner.invoke(app, ["resolve", "gpt-7-ultra", "--db", str(real_db)])
    assert result.exit_code == 1
    assert "no model matches 'gpt-7-ultra'" in result.stderr
    assert "closest model ids: gpt-" in result.stderr
    found = runner.invoke(app, ["resolve", "DeepSeek R1", "--json", "--db", str(real_db)])
    assert found.exit_code == 0 and json.loads(found.stdout)["model_id"] == "deepseek-r1"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gap", "--domain", "coding", "--b", "XX"], "unknown group 'XX'"),
        (["leaders", "--as-of", "2099-01-01"], "in the future"),
        (["leaders", "--as-of", "2001-01-01"], "before the evidence"),
        (["advise", "--task", "general", "--max-price", "-1"], "--max-price: -1 is negative"),
        (["advise", "--task", "general", "--min-context", "-5"], "--min-context: -5 must be"),
        (["advise", "--task", "general", "--vram", "-8"], "--vram: -8 is negative"),
        (["pareto", "--domain", "general", "--price-cap", "-2"], "--price-cap: -2 is negative"),
        (["models", "--min-context", "0"], "--min-context: 0 must be at least 1"),
        (["check"], "--example"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:  # fmt: skip
    code = run_cli(monkeypatch, *args, "--db", str(real_db))
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


# --- tables fit the terminal and read the same everywhere ----------------------------------------


def _printed(monkeypatch: pytest.MonkeyPatch, width: int, show: object) -> str:
    """What a command's printer writes on a terminal of the given width."""
    from rich.console import Console

    import wholeads.cli.leaders as cli_leaders

    screen = Console(width=width, record=True, file=io.StringIO())
    monkeypatch.setattr(cli_leaders, "console", screen)
    show()  # type: ignore[operator]
    return screen.export_text()


def test_leaders_at_80_columns_is_one_block_per_domain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """make_db as of 2025-03-01: gpt-b 1340 [1335-1345] (US), ds-a 1275 (CN), mi-a 1200 (EU)."""
    import wholeads
    from wholeads.cli.leaders import print_leaders

    answer = wholeads.leaders(as_of="2025-03-01", domain=["general", "coding"],
                              db=make_db(tmp_path / "t.duckdb"))  # fmt: skip
    text = _printed(monkeypatch, 80, lambda: print_leaders(answer.domains, "ecosystem",
                                                            answer.as_of))  # fmt: skip
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [
        line.split() for line in lines if line.split()[:1] in (["US"], ["CN"], ["EU"], ["other"])
    ]
    assert [r[0] for r in rows[:4]] == ["US", "CN", "EU", "other"]  # the fixed order
    assert rows[0][1:4] == ["gpt-b", "1,340", "[1,335–1,345]"]  # unbroken, with separators
    assert "General capability: US leads CN by 65 Elo" in text
    assert "Coding: insufficient evidence" in text
    wide = _printed(monkeypatch, 160, lambda: print_leaders(answer.domains, "ecosystem",
                                                             answer.as_of))  # fmt: skip
    assert "sources agree" in wide.splitlines()[2]  # the one-row-per-domain table's header


def test_piped_output_takes_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    from wholeads.cli._output import _width

    monkeypatch.setenv("COLUMNS", "80")
    assert _width() == 80  # pytest's stdout is not a terminal
    monkeypatch.delenv("COLUMNS")
    assert _width() == 160


def test_frontier_groups_in_the_fixed_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wholeads
    from wholeads.cli.leaders import print_frontier

    answer = wholeads.frontier("general", until="2025-03-01", db=make_db(tmp_path / "t.duckdb"))
    text = _printed(monkeypatch, 160, lambda: print_frontier(answer))
    header = next(line for line in text.splitlines() if "date" in line)
    assert [c.strip() for c in header.split("┃")[1:-1]] == ["date", "US", "CN", "EU"]
    assert "gpt-b 1,340" in text


# --- progress on long work ---------------------------------------------------------------------


def test_check_reports_progress_claim_by_claim(real_db: Path) -> None:
    import re

    import wholeads.library as lib

    seen: list[tuple[int, int]] = []
    lib.check(lib.EXAMPLE_CLAIMS, db=real_db, progress=lambda done, n: seen.append((done, n)))
    text = lib.EXAMPLE_CLAIMS.read_text(encoding="utf-8")
    total = len(re.findall(r"^\s*- id: ", text, re.M))  # the file's claims
    assert seen == [(i, total) for i in range(1, total + 1)]


@pytest.mark.parametrize("args", [["check", "--example"], ["update", "--offline"]])
def test_long_work_is_quiet_when_piped(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], args: list[str],
) -> None:  # fmt: skip
    db = tmp_path / "copy.duckdb"
    db.write_bytes(real_db.read_bytes())
    assert run_cli(monkeypatch, *args, "--db", str(db)) == 0
    assert capsys.readouterr().err == ""  # no bar, no stray newline


def test_arena_bootstrap_is_quiet_when_piped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    battles = tmp_path / "b.csv"
    battles.write_text("model_a,model_b,winner\na,b,model_a\nb,a,model_a\na,b,tie\n")
    assert run_cli(monkeypatch, "arena", str(battles), "--bootstrap", "5", "--seed", "1") == 0
    assert capsys.readouterr().err == ""


def test_a_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from wholeads.cli import _progress

    with _progress.progress_bar("checking claims") as report:
        assert report is None  # pytest's stderr is not a terminal
    monkeypatch.setattr(_progress, "on_terminal", lambda: True)
    with _progress.progress_bar("checking claims") as report:
        assert report is not None
        report(1, 36)


def test_the_example_claims_ship_in_the_package() -> None:
    """The file lies inside the package and a package-data pattern of pyproject.toml takes it
    (a wheel built from this tree holds wholeads/claims/examples/us-china-2026.yaml), and the
    repository's examples/ copy is the same file."""
    import fnmatch
    import tomllib

    import wholeads
    from wholeads.library import EXAMPLE_CLAIMS

    package = Path(wholeads.__file__).parent
    relative = EXAMPLE_CLAIMS.relative_to(package).as_posix()
    repo = Path(__file__).resolve().parents[1]
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["wholeads"]
    assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative
    copy = repo / "examples" / "claims" / "us-china-2026.yaml"
    assert copy.read_bytes() == EXAMPLE_CLAIMS.read_bytes()
