"""Epoch AI sources on their real files: ECI, benchmarking hub, notable models, organizations.

Known answers were read by hand from the CSV files in ../shared/data (line numbers in comments).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from conftest import load_source, raw_source
from wholeads.errors import DataError
from wholeads.ingest.sources import epoch_benchmarks, epoch_eci, epoch_organizations, get_source
from wholeads.ingest.sources._epoch import effort_setting, open_weights, single_country
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import LabType, ModelKind, ScoreRecord, SourceBatch

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _raw(files: dict[str, bytes], source: str = "x") -> RawFiles:
    return RawFiles(source=source, files=files, retrieved_at=NOW, origin="test")


def _score(batch: SourceBatch, name: str, benchmark: str, setting: str | None = "?") -> ScoreRecord:
    found = [
        s for s in batch.scores
        if s.name == name and s.benchmark == benchmark and (setting == "?" or s.setting == setting)
    ]  # fmt: skip
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def eci(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "epoch-eci")


@pytest.fixture(scope="module")
def hub(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "epoch-benchmarks")


# --- helpers -------------------------------------------------------------------------------------


def test_effort_suffix_only_for_effort_words_and_budgets() -> None:
    assert effort_setting("o3-2025-04-16_high") == "high"
    assert effort_setting("claude-opus-4-5-20251101_32K") == "32k"
    assert effort_setting("gpt-5.4-2026-03-05_xhigh") == "xhigh"
    assert effort_setting("Qwen-1_8B") is None
    assert effort_setting("phi-1_5") is None
    assert effort_setting("InternVL2_5-78B") is None


def test_open_weights_and_single_country() -> None:
    assert open_weights("Open weights (restricted use)") is True
    assert open_weights("API access") is False
    assert open_weights("Hosted access (no API)") is False
    assert open_weights("") is None
    assert single_country("Hong Kong,China") == "HK"
    assert single_country("United States of America,Norway") is None
    assert single_country("Multinational") is None
    assert single_country("Korea (Republic of)") == "KR"


# --- epoch-eci ------------------------------------------------------------------------------------


def test_eci_counts_and_known_problems(eci: SourceBatch) -> None:
    assert len(eci.models) == 585
    assert len(eci.scores) == 297  # 300 scored rows, 3 without a release date
    assert [b.id for b in eci.benchmarks] == ["epoch-eci"]
    assert eci.problems == [
        f"epoch-eci/epoch_capabilities_index.csv:{line}: ECI score of {name!r} has no Release "
        "date; score skipped"
        for line, name in ((220, "claude-instant-1.1"), (268, "gemma-2-9b"), (431, "gpt-5-chat"))
    ]


def test_eci_known_scores(eci: SourceBatch) -> None:
    o3 = _score(eci, "o3-2025-04-16_high", "epoch-eci")  # line 60
    assert o3.value == pytest.approx(147.19814518501147)
    # The export gives no date for its values: they count from the file's capture (its last
    # commit, 2026-04-10, SOURCES.md), never from the model's release.
    assert (o3.as_of, o3.dated_by, o3.setting, o3.lab) == (
        dt.date(2026, 4, 10), "snapshot", "high", "OpenAI",
    )  # fmt: skip
    mythos = _score(eci, "claude-mythos-2026-04-07", "epoch-eci")  # line 2, Unverified
    assert (mythos.value, mythos.as_of, mythos.setting) == (
        161.0,
        dt.date(2026, 4, 10),
        "unverified",
    )
    assert {s.as_of for s in eci.scores} == {dt.date(2026, 4, 10)}
    xhigh = _score(eci, "gpt-5.4-2026-03-05_xhigh", "epoch-eci")  # line 5
    assert xhigh.setting == "xhigh; unverified"
    glm = _score(eci, "glm-4.5", "epoch-eci")  # line 82: joint release, lab kept raw
    assert glm.lab == "Z.ai (Zhipu AI),Tsinghua University"


def test_eci_model_facts_and_labs(eci: SourceBatch) -> None:
    r1 = next(m for m in eci.models if m.name == "DeepSeek-R1")  # line 97
    assert r1.open_weights is True
    assert r1.training_compute_flop == pytest.approx(3.5e24)
    assert (r1.release_date, r1.lab, r1.family) == (dt.date(2025, 1, 20), "DeepSeek", "DeepSeek-R1")
    o3 = next(m for m in eci.models if m.name == "o3-2025-04-16_high")
    assert o3.open_weights is False
    labs = {(lab.name, lab.country) for lab in eci.labs}
    assert {("Z.ai (Zhipu AI)", "CN"), ("Tsinghua University", "CN"), ("Mistral AI", "FR"),
            ("Technology Innovation Institute", "AE"), ("EleutherAI", "US"),
            ("LAION", "DE")} <= labs  # fmt: skip
    assert all(lab.country for lab in eci.labs)
    assert len({lab.name for lab in eci.labs}) == len(eci.labs)


def test_eci_missing_column_names_file_and_line() -> None:
    body = b"Model version,ECI Score,Release date,Organization\nx,1,2025-01-01,OpenAI\n"
    with pytest.raises(DataError, match=r"x/epoch_capabilities_index\.csv:1.*Country"):
        epoch_eci.load(_raw({epoch_eci.FILE: body}))


def test_eci_bad_number_is_a_problem_not_a_crash() -> None:
    body = (
        b"Model version,ECI Score,Release date,Organization,Country\n"
        b"a,oops,2025-01-01,OpenAI,United States of America\n"
        b",140,2025-01-01,OpenAI,United States of America\n"
    )
    batch = epoch_eci.load(_raw({epoch_eci.FILE: body}))
    assert batch.scores == []
    assert batch.problems == [
        "x/epoch_capabilities_index.csv:2: ECI Score 'oops' is not a number",
        "x/epoch_capabilities_index.csv:3: no 'Model version'; row skipped",
    ]


# --- epoch-benchmarks ----------------------------------------------------------------------------


def test_hub_counts(hub: SourceBatch) -> None:
    assert len(hub.models) == 574 + 132 + 71  # model_versions + two open-model-trends tables
    # 3,203 values: before, 70 of them (files without a date column, models without a release
    # date in model_versions.csv) were dropped; they now count from the export's capture.
    assert len(hub.scores) == 3203
    assert len(hub.benchmarks) == 8 + 37
    assert len({b.id for b in hub.benchmarks}) == len(hub.benchmarks)
    assert {s.benchmark for s in hub.scores} == {b.id for b in hub.benchmarks}
    assert len(hub.problems) == 21  # unlinked rows and unreadable cells (no undated drops)
    # unlinked rows are reported per file with their lines, never dropped silently
    assert any(
        p.startswith("epoch-benchmarks/external_benchmark_scienceqa.csv: 78 row(s) without")
        for p in hub.problems
    )


def test_hub_runs_are_percent_dated_by_start(hub: SourceBatch) -> None:
    gpqa = _score(hub, "gpt-5.1_medium", "epoch-gpqa-diamond")  # line 2: 0.850, 17 Nov 2025
    assert (gpqa.value, gpqa.as_of, gpqa.setting) == (85.0, dt.date(2025, 11, 17), "medium")
    # line 539 has no started_at: it counts from the export's capture (2025-12-03, SOURCES.md),
    # not from grok-4-0709's release (that would use the run before it happened)
    grok = _score(hub, "grok-4-0709", "epoch-gpqa-diamond")
    assert (grok.value, grok.as_of, grok.dated_by) == (87.0, dt.date(2025, 12, 3), "snapshot")
    runs = [s for s in hub.scores if s.prov.file == "benchmarks_runs.csv"]
    assert len(runs) == 541
    assert all(0 <= s.value <= 100 for s in runs)


def test_hub_external_known_answers(hub: SourceBatch) -> None:
    aider = _score(hub, "gpt-5-2025-08-07_high", "ext-aider-polyglot")
    # no date column: dated by the export's capture (2025-12-03), not the model's release
    assert (aider.value, aider.setting, aider.as_of) == (88.0, "high; diff", dt.date(2025, 12, 3))
    metr = _score(hub, "claude-3-5-sonnet-20240620", "ext-metr-time-horizons")
    assert (metr.value, metr.ci_low, metr.ci_high) == (18.21683, 9.492954, 34.472569)
    mc = _score(hub, "gpt-4.5-preview-2025-02-27", "ext-mcbench")
    assert (mc.value, mc.n) == (1270.0, 3284)
    fiction = _score(hub, "o3-2025-04-16_medium", "ext-fictionlivebench", "192k")
    assert (fiction.value, fiction.as_of) == (58.1, dt.date(2025, 12, 3))
    lengths = Counter(s.setting for s in hub.scores if s.benchmark == "ext-fictionlivebench")
    # non-blank cells per column of the raw file (rows with a 'Model version'): 59 and 18
    assert lengths["0"] == lengths["1k"] == 59 and lengths["192k"] == 18
    # 'Date added' 23/7/2024 predates grok-4-0709 (2025-07-09): the release date wins
    assert _score(hub, "grok-4-0709", "ext-balrog").as_of == dt.date(2025, 7, 9)
    tac = _score(hub, "claude-3-5-sonnet-20241022", "ext-the-agent-company")
    assert (tac.value, tac.as_of) == (24.0, dt.date(2024, 12, 17))


def test_hub_model_facts(hub: SourceBatch) -> None:
    o3 = next(m for m in hub.models if m.name == "o3-2025-04-16_medium")
    assert (o3.release_date, o3.family) == (dt.date(2025, 4, 16), "o3")
    falcon = next(m for m in hub.models if m.name == "falcon-180B")
    assert falcon.lab == "tiiuae"
    bloom = next(m for m in hub.models if m.name == "BLOOM-176B")
    assert (bloom.open_weights, bloom.params_total_b) == (True, 176.0)
    assert bloom.training_compute_flop == pytest.approx(4.12e23)
    claude = next(m for m in hub.models if m.name == "claude-2.1" and m.open_weights is not None)
    assert claude.prov.file == "open_model_trends_gsm1k_with_model_accessibility.csv"
    assert claude.open_weights is False


def test_hub_non_utf8_and_truncated_rows_name_the_file() -> None:
    files = {"model_versions.csv": b"id,Version release date\nx,2025-01-01\n",
             "benchmarks_runs.csv": b"task,model\n\xff\xfe\n"}  # fmt: skip
    with pytest.raises(DataError, match=r"x/benchmarks_runs\.csv:2.*not UTF-8"):
        epoch_benchmarks.load(_raw(files))
    files["benchmarks_runs.csv"] = b""
    with pytest.raises(DataError, match=r"x/benchmarks_runs\.csv.*empty"):
        epoch_benchmarks.load(_raw(files))


# --- epoch-notable-models and epoch-organizations ------------------------------------------------


def test_notable_models(shared_data: Path) -> None:
    batch = load_source(shared_data, "epoch-notable-models")
    assert (len(batch.models), len(batch.scores), batch.problems) == (976, 0, [])
    by_name = {m.name: m for m in batch.models}
    assert "Solar Open 100B" in by_name  # trailing newline stripped
    r1 = by_name["DeepSeek-R1"]
    assert (r1.lab, r1.release_date, r1.open_weights) == ("DeepSeek", dt.date(2025, 1, 20), True)
    assert r1.params_total_b == pytest.approx(671.0)
    assert r1.training_compute_flop == pytest.approx(3.5e24)
    assert by_name["Veo 3"].kind == ModelKind.video_generation
    assert by_name["Veo 3"].open_weights is False
    assert by_name["Suno v4"].kind is None  # audio generation is not video
    assert by_name["Qwen3-235B-A22B"].kind is None
    kinds = Counter(m.kind for m in batch.models)
    assert (kinds[ModelKind.video_generation], kinds[ModelKind.image_generation]) == (16, 48)
    labs = {(lab.name, lab.country) for lab in batch.labs}
    assert {("DeepSeek", "CN"), ("Alibaba", "CN"), ("Upstage", "KR"), ("Meta AI", "US")} <= labs
    tsinghua = [lab for lab in batch.labs if lab.name == "Tsinghua University"]
    assert [(t.country, t.type) for t in tsinghua] == [("CN", LabType.academic)]


def test_organizations(shared_data: Path) -> None:
    batch = load_source(shared_data, "epoch-organizations")
    assert (len(batch.labs), batch.problems) == (1040, [])
    by_name = {lab.name: lab for lab in batch.labs}
    assert len(by_name) == len(batch.labs)
    assert by_name["Hewlett Packard Enterprise"].country == "US"  # leading space trimmed
    assert (by_name["01.AI"].country, by_name["01.AI"].type) == ("CN", None)
    assert (by_name["Aalborg University"].country, by_name["Aalborg University"].type) == (
        "DK", LabType.academic)  # fmt: skip
    heart = by_name['"Heart of the Sea" AI Computing Center']
    assert (heart.country, heart.type) == ("CN", LabType.government)
    assert by_name["Chinese University of Hong Kong (CUHK)"].country == "HK"
    assert "1X" not in by_name  # United States of America,Norway, Industry: nothing to say
    countries = Counter(lab.country for lab in batch.labs)
    assert (countries["CN"], countries["US"]) == (299, 267)


def test_organizations_missing_column() -> None:
    with pytest.raises(DataError, match=r"x/organizations\.csv:1.*Organization categorization"):
        epoch_organizations.load(_raw({"organizations.csv": b"Organization,Country\nA,China\n"}))


@pytest.mark.parametrize(
    "source", ["epoch-eci", "epoch-benchmarks", "epoch-notable-models", "epoch-organizations"]
)
def test_online_files_are_the_mirror_files(shared_data: Path, source: str) -> None:
    """The online path fetches exactly the files the mirror path reads, so both parse alike."""
    spec = get_source(source).SPEC
    assert {r.path for r in spec.remote} == set(raw_source(shared_data, source).files)
    assert all(r.url.startswith("https://raw.githubusercontent.com/") for r in spec.remote)


def test_hub_values_without_dates_count_from_the_capture(
    hub: SourceBatch, shared_data: Path
) -> None:
    """Every external file without a date column: each value is dated by the export's capture
    and marked so; rows of models missing from model_versions.csv are kept, not dropped."""
    folder = shared_data / "epoch-benchmarks"
    undated_files = set()
    for path in folder.glob("external_benchmark_*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        if "Date added" not in header and "Date" not in header:
            undated_files.add(path.name)
    rows = [s for s in hub.scores if s.prov.file in undated_files]
    assert len(undated_files) >= 30 and rows
    assert {(s.as_of, s.dated_by) for s in rows} == {(dt.date(2025, 12, 3), "snapshot")}
    with (folder / "model_versions.csv").open(encoding="utf-8-sig", newline="") as f:
        dated = {r["id"] for r in csv.DictReader(f) if r["Version release date"].strip()}
    kept = {s.name for s in rows if s.name not in dated and s.name.split("_")[0] not in dated}
    assert {"T5-Base", "davinci", "claude-instant-1.1"} <= kept
