"""Aider leaderboards and LiveBench on their real files, with hand-checked answers.

LiveBench averages are recomputed by hand for one model and checked against the values Epoch
copied from livebench.ai for the 2024-11-25 release (two independent routes to the same number).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path
from statistics import fmean

import httpx
import pytest

from conftest import load_source, raw_source
from wholeads.errors import DataError
from wholeads.ingest.sources import aider_leaderboards, get_source, livebench
from wholeads.ingest.sources.base import RawFiles
from wholeads.ingest.sources.fetch import fetch_online
from wholeads.schema import ScoreRecord, SourceBatch

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _raw(files: dict[str, bytes]) -> RawFiles:
    return RawFiles(source="x", files=files, retrieved_at=NOW, origin="test")


def _one(
    batch: SourceBatch, name: str, benchmark: str, as_of: dt.date | None = None
) -> ScoreRecord:
    found = [
        s for s in batch.scores
        if s.name == name and s.benchmark == benchmark and (as_of is None or s.as_of == as_of)
    ]  # fmt: skip
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def aider(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "aider-leaderboards")


@pytest.fixture(scope="module")
def lb(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "livebench")


# --- aider ----------------------------------------------------------------------------------------


def test_aider_counts(aider: SourceBatch) -> None:
    assert aider.problems == []
    counts = Counter(s.benchmark for s in aider.scores)
    # polyglot: 69 + 2 new of o1_polyglot (8 repeat runs) + 8 new of qwen3 (2 repeat runs)
    assert counts == {"aider-polyglot": 79, "aider-edit": 98, "aider-refactor": 14,
                      "aider-polyglot-cost": 55}  # fmt: skip
    assert {b.id for b in aider.benchmarks} == set(counts)
    cost = next(b for b in aider.benchmarks if b.id == "aider-polyglot-cost")
    assert (cost.metric, cost.higher_is_better) == ("usd", False)
    assert len(aider.models) == 40  # edit entries with 'released' or '_released'


def test_aider_known_answers(aider: SourceBatch) -> None:
    gpt5 = _one(aider, "gpt-5 (high)", "aider-polyglot")
    assert (gpt5.value, gpt5.as_of, gpt5.n, gpt5.setting) == (
        88.0, dt.date(2025, 8, 23), 225, "high; diff")  # fmt: skip
    assert _one(aider, "gpt-5 (high)", "aider-polyglot-cost").value == 29.0829
    opus = _one(aider, "claude-3-opus-20240229", "aider-edit")  # pass_rate_2, not pass_rate_1
    assert (opus.value, opus.as_of, opus.n, opus.setting) == (
        68.4, dt.date(2024, 5, 1), 133, "diff")  # fmt: skip
    refactor = _one(aider, "claude-3-opus-20240229", "aider-refactor")  # pass_rate_1
    assert (refactor.value, refactor.n) == (72.3, 83)
    released = next(m for m in aider.models if m.name == "claude-3-opus-20240229")
    assert released.release_date == dt.date(2024, 2, 29)
    # a run repeated in o1_polyglot_leaderboard.yml counts once, from the main file
    o1 = _one(aider, "o1-2024-12-17 (high)", "aider-polyglot")
    assert (o1.value, o1.prov.file) == (61.7, "polyglot_leaderboard.yml")
    # free endpoints report total_cost 0: not a cost
    assert not [s for s in aider.scores if s.benchmark == "aider-polyglot-cost" and s.value == 0]


def test_aider_bad_yaml_names_the_file() -> None:
    files = {path: b"- model: a\n  pass_rate_1: 1\n  pass_rate_2: 1\n  date: 2025-01-01\n"
             for path in aider_leaderboards.FILES}  # fmt: skip
    files["edit_leaderboard.yml"] = b"- model: a\n  pass_rate_2: [1,\n"
    with pytest.raises(DataError, match=r"x/edit_leaderboard\.yml:\d+: invalid YAML"):
        aider_leaderboards.load(_raw(files))
    files["edit_leaderboard.yml"] = b"model: a\n"
    with pytest.raises(DataError, match=r"x/edit_leaderboard\.yml: expected a YAML list"):
        aider_leaderboards.load(_raw(files))
    files["edit_leaderboard.yml"] = b"- model: a\n  pass_rate_2: n/a\n  date: 2025-01-01\n"
    batch = aider_leaderboards.load(_raw(files))
    assert batch.problems == [
        "x/edit_leaderboard.yml:1: 'a' has no number in 'pass_rate_2'; skipped"
    ]


# --- livebench ------------------------------------------------------------------------------------


def test_livebench_counts_and_the_misaligned_row(lb: SourceBatch) -> None:
    assert lb.problems == [
        "livebench/table_2026_01_08.csv:110: 21 fields for 24 columns; row skipped"
    ]
    counts = Counter(s.benchmark for s in lb.scores)
    assert counts["livebench-global"] == 716  # 721 rows in 10 tables, minus the misaligned one
    assert counts["livebench-agentic-coding"] == 326  # only from the 2025-05-30 release on
    assert {b.id for b in lb.benchmarks} == {
        "livebench-global", "livebench-reasoning", "livebench-coding", "livebench-agentic-coding",
        "livebench-mathematics", "livebench-data-analysis", "livebench-language", "livebench-if",
    }  # fmt: skip
    assert not [s for s in lb.scores if s.name == "nemotron-3-super-120b-a12b"]


def test_livebench_global_by_hand(lb: SourceBatch) -> None:
    day = dt.date(2025, 12, 23)  # table_2025_12_23.csv line 19: deepseek-v3.2-thinking
    categories = {
        "reasoning": [76.923, 69.75, 98.0, 64.0],  # theory_of_mind, zebra, spatial, logic_nav
        "coding": [66.197, 63.043],
        "agentic-coding": [30.0, 30.0, 60.0],  # javascript, typescript, python
        "mathematics": [97.0, 95.098, 85.037],
        "data-analysis": [41.596, 100.0],
        "language": [93.5, 45.726, 72.0],
        "if": [41.817, 48.217, 55.117, 47.6],
    }
    for category, values in categories.items():
        got = _one(lb, "deepseek-v3.2-thinking", f"livebench-{category}", day)
        assert got.value == pytest.approx(fmean(values))
    total = _one(lb, "deepseek-v3.2-thinking", "livebench-global", day)
    assert total.value == pytest.approx(fmean(fmean(v) for v in categories.values()))
    assert round(total.value, 3) == 66.223


def test_livebench_missing_task_uses_tasks_present(lb: SourceBatch) -> None:
    day = dt.date(2024, 11, 25)  # line 49: phi-3-small-8k-instruct has no 'connections'
    language = _one(lb, "phi-3-small-8k-instruct", "livebench-language", day)
    assert language.value == pytest.approx((15.888 + 10.0) / 2)  # plot_unscrambling, typos
    assert round(_one(lb, "phi-3-small-8k-instruct", "livebench-global", day).value, 2) == 24.03


def test_livebench_matches_epochs_copy(lb: SourceBatch, shared_data: Path) -> None:
    """Epoch copied LiveBench-2024-11-25 averages from the site: all 63 shared rows agree."""
    epoch = load_source(shared_data, "epoch-benchmarks")
    ours = {s.name: s.value for s in lb.scores
            if s.benchmark == "livebench-global" and s.as_of == dt.date(2024, 11, 25)}  # fmt: skip
    path = shared_data / "epoch-benchmarks" / "external_benchmark_livebench.csv"
    with path.open(encoding="utf-8-sig") as handle:
        copied = {row["id"]: float(row["Global average"]) for row in csv.DictReader(handle)}
    shared = sorted(set(ours) & set(copied))
    assert len(shared) == 63
    assert all(round(ours[name], 2) == copied[name] for name in shared)
    assert epoch.scores  # the Epoch source itself loads alongside


def test_livebench_bad_input() -> None:
    table = b"model,a,b\nm1,1,2\n"
    with pytest.raises(DataError, match=r"x/categories_2025_01_01\.json:1: invalid JSON"):
        livebench.load(_raw({"table_2025_01_01.csv": table,
                             "categories_2025_01_01.json": b'{"R": ["a",'}))  # fmt: skip
    with pytest.raises(DataError, match=r"x/table_2025_01_01\.csv:1.*missing column.*c"):
        livebench.load(_raw({"table_2025_01_01.csv": table,
                             "categories_2025_01_01.json": b'{"R": ["a", "c"]}'}))  # fmt: skip
    with pytest.raises(DataError, match=r"x/categories_2025_01_01\.json.*absent"):
        livebench.load(_raw({"table_2025_01_01.csv": table}))
    two = b'{"R": ["a"], "S": ["b"]}'
    batch = livebench.load(_raw({"table_2025_01_01.csv": table, "categories_2025_01_01.json": two}))
    assert [(s.benchmark, s.value) for s in batch.scores] == [
        ("livebench-global", 1.5), ("livebench-r", 1.0), ("livebench-s", 2.0)]  # fmt: skip


@pytest.mark.parametrize("source", ["aider-leaderboards", "livebench"])
def test_online_files_are_the_mirror_files(shared_data: Path, source: str) -> None:
    """The online path fetches exactly the files the mirror path reads, so both parse alike."""
    spec = get_source(source).SPEC
    assert {r.path for r in spec.remote} == set(raw_source(shared_data, source).files)


def test_online_path_parses_like_the_mirror(shared_data: Path, tmp_path: Path) -> None:
    """fetch_online against an in-process server holding the mirror bytes gives the same batch."""
    root = shared_data

    def serve(request: httpx.Request) -> httpx.Response:
        file = root / request.url.path.lstrip("/")
        return (
            httpx.Response(200, content=file.read_bytes())
            if file.is_file()
            else httpx.Response(404)
        )

    for source in ("aider-leaderboards", "livebench"):
        module = get_source(source)
        with httpx.Client(transport=httpx.MockTransport(serve)) as client:
            raw = fetch_online(module.SPEC, tmp_path, base_url="http://mirror", client=client)
        online, mirror = module.load(raw), load_source(shared_data, source)
        assert online.scores == mirror.scores
        assert online.problems == mirror.problems
