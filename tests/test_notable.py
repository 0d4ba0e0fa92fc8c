"""Notable and frontier models per ecosystem per year (issue 14). Known answers are counted in
the test from Epoch's raw CSV with the csv module; the method meets missing data on a synthetic
list (a year with no CN model, a window that starts mid-series)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import load_source, run_cli
from wholeads.analysis.notable import CatalogEntry, NotableEntry, count_by_year
from wholeads.cli import app
from wholeads.query.figures import notable_report
from wholeads.store.files import open_readonly

D = dt.date
runner = CliRunner()
CSV_FILE = ("epoch-notable-models", "notable_ai_models.csv")
COUNTRY = "Country (of organization)"
# kb/ecosystems.yaml, as Epoch spells the countries: US = the US; CN = China, Hong Kong, Macao
ECOSYSTEM_NAMES = {"US": {"United States of America"}, "CN": {"China", "Hong Kong", "Macao"}}


def raw_rows(shared: Path) -> list[dict[str, str]]:
    with (shared / CSV_FILE[0] / CSV_FILE[1]).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def derived(shared: Path, year: int, eco: str) -> dict[str, int]:
    """Single-country, any-participation and frontier counts of one ecosystem and year, counted
    from the raw file: the comma list of countries all in the ecosystem, or any of them."""
    names = ECOSYSTEM_NAMES[eco]
    out = {"notable_single": 0, "notable_any": 0, "frontier_single": 0, "frontier_any": 0}
    for row in raw_rows(shared):
        if not row["Publication date"].startswith(str(year)):
            continue
        countries = {c.strip() for c in row[COUNTRY].split(",") if c.strip()}
        frontier = row["Frontier model"] == "True"
        if countries and countries <= names:
            out["notable_single"] += 1
            out["frontier_single"] += frontier
        if countries & names:
            out["notable_any"] += 1
            out["frontier_any"] += frontier
    return out


def _json(db: Path, *args: str) -> Any:
    result = runner.invoke(app, ["notable", *args, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_counts_match_the_raw_file(real_db: Path, shared_data: Path) -> None:
    out = _json(real_db, "--from-year", "2023", "--to-year", "2024")
    cells = {(r["year"], r["ecosystem"]): r for r in out["rows"]}
    for year in (2023, 2024):
        for eco in ("US", "CN"):
            want = derived(shared_data, year, eco)
            got = {k: cells[year, eco][k] for k in want}
            assert got == want, (year, eco)
    # the hand count, spelled out once (2023: US 50 single / 84 any, CN 21 / 24)
    assert derived(shared_data, 2023, "US")["notable_single"] == 50
    assert derived(shared_data, 2023, "CN")["notable_any"] == 24
    rows = [r for r in raw_rows(shared_data) if r["Publication date"].startswith("2024")]
    (year_2024,) = [y for y in out["years"] if y["year"] == 2024]
    assert year_2024["notable"] == len(rows)
    assert year_2024["frontier"] == sum(r["Frontier model"] == "True" for r in rows)
    assert out["as_of"] == "2026-01-26" and out["source"] == "epoch-notable-models"
    assert out["catalogued_label"] == "catalogued by wholeads (not a notability measure)"


def test_old_years_count_too(real_db: Path, shared_data: Path) -> None:
    """The shared date reader drops dates before 1990; the notable list keeps them."""
    out = _json(real_db, "--from-year", "1986", "--to-year", "1986")
    (year,) = out["years"]
    raw = [r for r in raw_rows(shared_data) if r["Publication date"].startswith("1986")]
    assert year["notable"] == len(raw) > 0 and out["undated"] == 0


def test_any_participation_adds_up_to_more_than_the_models(real_db: Path) -> None:
    out = _json(real_db, "--from-year", "2023", "--to-year", "2023")
    (year,) = out["years"]
    rows = out["rows"]
    assert sum(r["notable_single"] for r in rows) == year["single_total"] <= year["notable"]
    assert sum(r["notable_any"] for r in rows) == year["any_total"] > year["notable"]
    # what single-country leaves out: models across ecosystems, and models of no known country
    assert year["notable"] - year["single_total"] >= year["multi_ecosystem"] + year["unattributed"]
    assert "more than the number of models" in out["definitions"]["any_participation"]


def test_the_frontier_flag_holds_true_or_nothing(shared_data: Path) -> None:
    rows = raw_rows(shared_data)
    assert {r["Frontier model"] for r in rows} == {"True", ""}
    batch = load_source(shared_data, "epoch-notable-models")
    assert len(batch.notable) == len(rows)
    assert sum(n.frontier for n in batch.notable) == sum(
        r["Frontier model"] == "True" for r in rows
    )
    multinational = [n for n in batch.notable if "Multinational" in n.unplaced]
    assert multinational and all("Multinational" not in n.countries for n in multinational)


def test_catalogued_models_are_the_models_table(real_db: Path) -> None:
    with open_readonly(real_db) as con:
        out = notable_report(con, 2024, 2024)
        (direct,) = con.execute(
            "SELECT count(*) FROM models m JOIN labs l ON l.id = m.lab_id "
            "WHERE year(m.release_date) = 2024 AND l.ecosystem = 'CN'"
        ).fetchone() or (None,)
    cn = next(r for r in out["rows"] if r["ecosystem"] == "CN")
    assert cn["catalogued"] == direct and direct


def _entry(day: dt.date, *countries: str, frontier: bool = False) -> NotableEntry:
    return NotableEntry(day, countries, (), frontier)


ECO = {"US": "US", "CN": "CN", "HK": "CN", "GB": "EU"}


def test_a_year_without_cn_is_zero_and_the_window_starts_mid_series() -> None:
    entries = [
        _entry(D(2019, 5, 1), "CN"),  # before the window
        _entry(D(2020, 3, 1), "US", frontier=True),
        _entry(D(2020, 4, 1), "US", "GB"),  # across ecosystems
        _entry(D(2022, 1, 1), "HK", "CN"),  # one ecosystem, two countries
        NotableEntry(D(2022, 2, 1), ("US",), ("Multinational",)),
        NotableEntry(D(2022, 3, 1), (), ("Multinational",)),
        NotableEntry(None, ("US",)),
    ]
    catalogued = [CatalogEntry(D(2021, 1, 1), "CN"), CatalogEntry(None, "US")]
    counts = count_by_year(
        entries, catalogued, ECO.get, ["US", "CN", "EU", "other"], 2020, 2022, D(2022, 6, 1)
    )
    cells = {(r.year, r.ecosystem): r for r in counts.rows}
    assert len(cells) == 12  # every year and ecosystem, zeros included
    assert cells[2020, "CN"].notable_single == cells[2020, "CN"].notable_any == 0
    assert cells[2021, "CN"].notable_any == 0 and cells[2021, "CN"].catalogued == 1
    assert (cells[2020, "US"].notable_single, cells[2020, "US"].notable_any) == (1, 2)
    assert (cells[2020, "EU"].notable_single, cells[2020, "EU"].notable_any) == (0, 1)
    assert cells[2020, "US"].frontier_single == 1
    assert cells[2022, "CN"].notable_single == 1
    assert (cells[2022, "US"].notable_single, cells[2022, "US"].notable_any) == (0, 1)
    years = {y.year: y for y in counts.years}
    assert (years[2020].notable, years[2020].single_total, years[2020].any_total) == (2, 1, 3)
    assert years[2020].multi_ecosystem == 1 and years[2021].notable == 0
    assert years[2022].unattributed == 1 and years[2022].notable == 3
    assert years[2021].complete and not years[2022].complete  # the list is from mid-2022
    assert counts.undated == 1 and counts.catalogued_undated == 1


def test_the_report_window_counts_only_what_was_published(real_db: Path, shared_data: Path) -> None:
    with open_readonly(real_db) as con:
        out = notable_report(con, until=D(2024, 6, 30))
    assert out["last_year"] == 2024
    (y2024,) = [y for y in out["years"] if y["year"] == 2024]
    assert not y2024["complete"]  # the first half of 2024 only
    first_half = [
        r for r in raw_rows(shared_data) if "2024-01-01" <= r["Publication date"] <= "2024-06-30"
    ]
    assert y2024["notable"] == len(first_half) > 0


def test_csv_and_bad_years(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    result = runner.invoke(app, ["notable", "--db", str(real_db), "--csv", "--totals"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.output.splitlines()))
    assert rows[0]["year"] == "2015" and "any_total" in rows[0]
    for args in (("--from-year", "2024", "--to-year", "2020"), ("--from-year", "1900")):
        code = run_cli(monkeypatch, "notable", *args, "--db", str(real_db))
        err = capsys.readouterr().err
        assert code != 0 and err.strip() and "Traceback" not in err


def test_a_database_without_the_list_says_so() -> None:
    import duckdb

    from wholeads.charts.figures import notable_chart
    from wholeads.report.figures import notable_section
    from wholeads.store.migrations import migrate

    con = duckdb.connect()
    migrate(con)
    out = notable_report(con, 2023, 2024, today=D(2025, 1, 1))
    assert out["status"] == "insufficient_evidence" and out["source_status"] == "missing"
    assert len(out["rows"]) == 8 and not any(r["notable_any"] for r in out["rows"])
    assert notable_chart(out)["mark"]["type"] == "text"  # the empty note, not a flat line
    assert notable_section(out).today == ["The database holds no notable-models list."]


def test_a_bad_flag_or_a_missing_column_is_named() -> None:
    from wholeads.errors import DataError
    from wholeads.ingest.sources import epoch_notable_models as epoch
    from wholeads.ingest.sources.base import RawFiles

    head = "Model,Organization,Publication date,Country (of organization),Model accessibility"

    def raw(text: str) -> RawFiles:
        files = {epoch.FILE: text.encode()}
        return RawFiles("epoch-notable-models", files, dt.datetime(2026, 1, 26), "test")

    batch = epoch.load(raw(f"{head},Frontier model\nX,Lab,2024-01-02,China,API access,yes\n"))
    assert batch.problems and ":2: 'Frontier model' is 'yes'" in batch.problems[0]
    assert batch.notable[0].frontier is False and batch.notable[0].countries == ("CN",)
    with pytest.raises(DataError) as err:
        epoch.load(raw(f"{head}\nX,Lab,2024-01-02,China,API access\n"))
    assert "Frontier model" in str(err.value)
