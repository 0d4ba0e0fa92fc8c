"""Long-context and video-generation benchmark sources, on the real snapshots and on bad input.

Known answers were read by hand from the files in ../shared/data (see SOURCES.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from conftest import load_source, raw_source
from wholeads.errors import DataError
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources._tables import length_tokens, params_b, split_link
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import ModelKind, ModelRecord, ScoreRecord, SourceBatch

SOURCES = (
    "physics-iq-leaderboard",
    "videophy-leaderboard",
    "opens2v-eval-leaderboard",
    "helmet-results",
    "ruler-results",
    "nolima-results",
    "longbench-v2-leaderboard",
)
D = dt.date
OLD_HELMET = "agg_results_2025-03-04.csv"


def score(batch: SourceBatch, name: str, benchmark: str, setting: str | None) -> ScoreRecord:
    """The one score of a model on a benchmark and setting."""
    found = [
        s
        for s in batch.scores
        if s.name == name and s.benchmark == benchmark and s.setting == setting
    ]
    assert len(found) == 1, f"{len(found)} scores for {name}/{benchmark}/{setting}"
    return found[0]


def model(batch: SourceBatch, name: str) -> ModelRecord:
    """The ModelRecord of a raw name."""
    found = [m for m in batch.models if m.name == name]
    assert len(found) == 1, f"{len(found)} models named {name}"
    return found[0]


def raw(source: str, files: dict[str, bytes]) -> RawFiles:
    """Hand-made raw files of a source."""
    return RawFiles(
        source=source,
        files=files,
        retrieved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        origin="test",
    )


# --- every source on the real files --------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_real_files_are_consistent(shared_data: Path, source: str) -> None:
    """No problems; every benchmark used is declared; remote paths are the mirror's file names."""
    batch = load_source(shared_data, source)
    assert batch.problems == []
    declared = {b.id for b in batch.benchmarks}
    assert {s.benchmark for s in batch.scores} <= declared
    assert all(s.prov.source == source and s.prov.row and s.prov.row >= 2 for s in batch.scores)
    keys = Counter((s.name, s.benchmark, s.setting) for s in batch.scores)
    assert max(keys.values()) == 1, "two scores share model, benchmark and setting"
    spec = get_source(source).SPEC
    mirror = set(raw_source(shared_data, source).files)
    for remote in spec.remote:
        assert remote.path in mirror
        assert remote.url.startswith("https://raw.githubusercontent.com/")


def test_physics_iq(shared_data: Path) -> None:
    batch = load_source(shared_data, "physics-iq-leaderboard")
    assert (len(batch.scores), len(batch.models)) == (18, 11)
    magi = score(batch, "Magi-1", "physics-iq", "multiframe-v2v")
    assert (magi.value, magi.as_of) == (56.0, D(2025, 4, 21))
    assert score(batch, "Magi-1", "physics-iq", "i2v").value == 30.2
    sora = score(batch, "Sora", "physics-iq", "i2v")
    assert (sora.value, sora.as_of) == (10.0, D(2025, 2, 19))
    bon = score(batch, "Magi-1 + WMReward (BoN)", "physics-iq", "multiframe-v2v-best-of-n")
    assert (bon.value, bon.as_of) == (62.6, D(2025, 10, 28))
    assert sum(1 for s in batch.scores if s.setting and s.setting.endswith("best-of-n")) == 4
    assert not any("BoN" in m.name for m in batch.models)
    assert {m.kind for m in batch.models} == {ModelKind.video_generation}


def test_videophy(shared_data: Path) -> None:
    batch = load_source(shared_data, "videophy-leaderboard")
    assert (len(batch.scores), len(batch.models)) == (40, 19)
    human = score(batch, "CogVideoX-5B", "videophy", "human")
    assert (human.value, human.as_of) == (39.6, D(2024, 10, 7))
    auto = score(batch, "CogVideoX-5B", "videophy", "auto")
    assert (auto.value, auto.as_of) == (49.0, D(2024, 9, 22))
    sora = score(batch, "OpenAI Sora*", "videophy-2", None)
    assert (sora.value, sora.as_of) == (23.3, D(2025, 3, 8))
    assert score(batch, "OpenAI Sora*", "videophy-2", "hard").value == 5.3
    assert model(batch, "OpenAI Sora*").open_weights is False
    assert model(batch, "Wan2.1-T2V-14B").open_weights is True
    assert model(batch, "Mochi").open_weights is None  # only in the auto table, no source type


def test_opens2v(shared_data: Path) -> None:
    batch = load_source(shared_data, "opens2v-eval-leaderboard")
    assert (len(batch.scores), len(batch.models)) == (42, 21)
    assert Counter(s.setting for s in batch.scores) == {"open": 11, "human": 20, "single": 11}
    kling = score(batch, "Kling1.6", "opens2v", "open")
    assert (kling.value, kling.as_of) == (56.23, D(2025, 10, 21))
    assert kling.prov.file == "v1.1_results_Open-Domain.csv"
    assert score(batch, "VACE-14B", "opens2v", "human").value == 65.78
    assert model(batch, "Kling1.6").open_weights is False
    assert model(batch, "Phantom-14B").open_weights is True
    assert not any("(" in m.name or "[" in m.name for m in batch.models)


def test_helmet(shared_data: Path) -> None:
    batch = load_source(shared_data, "helmet-results")
    assert (len(batch.scores), len(batch.models), len(batch.benchmarks)) == (2544, 66, 8)
    gpt = score(batch, "GPT-4o-08", "helmet", "128k")
    assert (gpt.value, gpt.as_of, gpt.prov.file) == (64.8, D(2025, 4, 10), "agg_results_128k.csv")
    assert score(batch, "GPT-4o-08", "helmet", "8k").value == 65.5
    assert score(batch, "Gemini-1.5-Pro", "helmet-recall", "128k").value == 91.0
    late = score(batch, "MiniCPM-SALA", "helmet", "128k")
    assert (late.value, late.as_of) == (45.4, D(2026, 4, 17))
    assert not [s for s in batch.scores if s.name == "MiniCPM-SALA" and s.setting == "8k"]
    old = score(batch, "Qwen2.5-7B-Inst-1M", "helmet", "128k")
    assert (old.value, old.as_of, old.prov.file) == (41.3, D(2025, 3, 4), OLD_HELMET)
    assert score(batch, "Llama-3-8B-θ (base)", "helmet", "128k").value == 0.9
    qwen = model(batch, "Qwen2-57B (base)")
    assert (qwen.params_total_b, qwen.params_active_b) == (57.0, 14.0)
    llama4 = model(batch, "Llama-4-17B-Inst")
    assert (llama4.params_total_b, llama4.params_active_b) == (None, 17.0)
    assert model(batch, "Llama-3.1-70B-Inst").params_total_b == 70.0
    assert model(batch, "GPT-4").params_total_b is None  # '?'
    assert model(batch, "Gemini-1.5-Pro").context_window == 2048 * 1024
    assert model(batch, "Claude-3.5-Sonnet").context_window == 200_000


def test_ruler(shared_data: Path) -> None:
    """Rows linking a Hugging Face repo are named by it (ruler_readme_table.csv model_url) and
    credited to its organisation; others keep the README cell text."""
    batch = load_source(shared_data, "ruler-results")
    assert (len(batch.scores), len(batch.models)) == (264, 45)  # ruler_long.csv has 264 rows
    llama = score(batch, "meta-llama/Meta-Llama-3.1-70B-Instruct", "ruler", "128k")
    assert (llama.value, llama.as_of, llama.lab) == (66.6, D(2024, 7, 24), "meta-llama")
    assert score(batch, "meta-llama/Meta-Llama-3.1-8B-Instruct", "ruler", "128k").value == 77.0
    jamba = score(batch, "ai21labs/AI21-Jamba-1.5-Large", "ruler", "128k")
    assert (jamba.value, jamba.as_of) == (95.1, D(2024, 9, 12))
    gemini = score(batch, "Gemini-1.5-pro", "ruler", "128k")  # links the Gemini API docs
    assert (gemini.value, gemini.lab) == (94.4, None)
    assert not [
        s for s in batch.scores if s.name == "LGAI-EXAONE/EXAONE-4.0-1.2B" and s.setting == "128k"
    ]  # '-' in the README
    facts = model(batch, "ai21labs/AI21-Jamba-1.5-Large")
    assert (facts.params_total_b, facts.params_active_b, facts.context_window) == (
        398.0,
        94.0,
        262_144,
    )
    assert model(batch, "THUDM/glm-4-9b-chat-1m").context_window == 1_048_576


def test_nolima(shared_data: Path) -> None:
    batch = load_source(shared_data, "nolima-results")
    assert len(batch.scores) == 125 + 18 + 5  # nolima_long.csv rows plus the base scores
    gpt = score(batch, "GPT-4o", "nolima", "32k")
    assert (gpt.value, gpt.as_of) == (69.7, D(2025, 2, 19))
    assert score(batch, "GPT-4o", "nolima", "base").value == 99.3
    maverick = {s.setting for s in batch.scores if s.name == "Llama 4 Maverick"}
    assert maverick == {"base", "1k", "2k", "4k"}  # 8K-32K pending
    assert score(batch, "Llama 4 Maverick", "nolima", "1k").as_of == D(2025, 4, 10)
    assert score(batch, "GPT-o1", "nolima-hard", "32k").value == 31.1
    assert score(batch, "Llama 3.3 70B", "nolima-hard", "4k-cot").value == 73.0
    assert score(batch, "Llama 3.3 70B", "nolima-hard", "4k-no-cot").value == 55.5
    assert model(batch, "GPT-o1").kind is ModelKind.reasoning
    assert model(batch, "Llama 4 Scout").context_window == 10_000_000
    assert model(batch, "Gemini 1.5 Pro").context_window == 2 * 1_048_576


def test_longbench_v2(shared_data: Path) -> None:
    batch = load_source(shared_data, "longbench-v2-leaderboard")
    assert (len(batch.scores), len(batch.models)) == (366, 36)
    old = score(batch, "GPT-4o (2024-08-06)", "longbench-v2", "overall")
    new = score(batch, "GPT-4o (2024-11-20)", "longbench-v2", "overall")
    assert (old.value, new.value, old.as_of) == (50.1, 46.0, D(2024, 12, 17))
    gemini = score(batch, "Gemini-2.5-Pro", "longbench-v2", "overall-cot")
    assert (gemini.value, gemini.as_of, gemini.lab) == (63.3, D(2025, 4, 21), "Google")
    assert not [s for s in batch.scores if s.name == "Gemini-2.5-Pro" and s.setting == "overall"]
    assert score(batch, "GLM-4.5", "longbench-v2", "long-cot").lab == "Z.ai & Tsinghua"
    assert not [s for s in batch.scores if s.name in ("Human", "Random")]
    kimi = model(batch, "Kimi-K2-Instruct")
    assert (kimi.params_total_b, kimi.release_date, kimi.context_window, kimi.lab) == (
        1000.0,
        D(2025, 7, 11),
        131_072,
        "Moonshot AI",
    )
    assert model(batch, "DeepSeek-R1").kind is ModelKind.reasoning
    assert model(batch, "Claude 3.5 Sonnet").params_total_b is None  # '-'


# --- bad input --------------------------------------------------------------------------------


def test_upstream_readme_is_reported_not_parsed() -> None:
    """The online path fetches the README; it is a DataError that names the file, not garbage."""
    readme = b"# Physics-IQ\n\n| Rank | Model | Score |\n|---|---|---|\n| 1 | Magi-1 | 56.0 % |\n"
    files = {"physics_iq_leaderboard.csv": readme}
    with pytest.raises(DataError, match=r"physics_iq_leaderboard\.csv:1: .*upstream README"):
        get_source("physics-iq-leaderboard").load(raw("physics-iq-leaderboard", files))


def test_missing_column_names_file_and_line() -> None:
    body = b"model,params,claimed_length,first_listed_in_readme,score_4K\nX,7B,4K,2024-04-25,90\n"
    with pytest.raises(DataError, match=r"ruler-results/ruler_readme_table\.csv:1.*score_8K"):
        get_source("ruler-results").load(raw("ruler-results", {"ruler_readme_table.csv": body}))


def test_non_utf8_names_file_and_line() -> None:
    body = b"model,organization\nGPT-4o,Open\xffAI\n"
    files = {"longbench_v2_leaderboard.csv": body}
    with pytest.raises(DataError, match=r"longbench_v2_leaderboard\.csv:2: not UTF-8"):
        get_source("longbench-v2-leaderboard").load(raw("longbench-v2-leaderboard", files))


def test_empty_and_missing_files() -> None:
    files = {"nolima_main_table.csv": b"", "nolima_hard_table.csv": b""}
    with pytest.raises(DataError, match=r"nolima-results/nolima_main_table\.csv: empty file"):
        get_source("nolima-results").load(raw("nolima-results", files))
    with pytest.raises(DataError, match=r"helmet-results/agg_results_128k\.csv: file is missing"):
        get_source("helmet-results").load(raw("helmet-results", {}))


def test_bad_cells_become_problems_with_file_and_line() -> None:
    body = (
        b"model,input_type,physics_iq_score_pct,date_added\n"
        b"Good,i2v,12.5,2025-02-19\n"
        b",i2v,10.0,2025-02-19\n"
        b"Bad,i2v,high,2025-02-19\n"
        b"Pending,i2v,-,2025-02-19\n"
    )
    files = {"physics_iq_leaderboard.csv": body}
    batch = get_source("physics-iq-leaderboard").load(raw("physics-iq-leaderboard", files))
    assert [(s.name, s.value) for s in batch.scores] == [("Good", 12.5)]
    assert batch.problems == [
        "physics-iq-leaderboard/physics_iq_leaderboard.csv:3: no model name",
        "physics-iq-leaderboard/physics_iq_leaderboard.csv:4: physics_iq_score_pct is not a "
        "number: 'high'",
    ]


# --- shared helpers -------------------------------------------------------------------------


def test_table_helpers() -> None:
    assert split_link("[Kling1.6(20250503)](https://app.klingai.com/cn/)") == (
        "Kling1.6(20250503)",
        "https://app.klingai.com/cn/",
    )
    assert split_link("Plain name") == ("Plain name", None)
    assert [length_tokens(x) for x in ("128K", "128k", "1M", "200K", "80K", ">128K", "-")] == [
        131_072,
        131_072,
        1_048_576,
        200_000,
        80_000,
        None,
        None,
    ]
    assert params_b("94B/398B") == (398.0, 94.0)
    assert params_b("12.9B/46.7B") == (46.7, 12.9)
    assert params_b("1T") == (1000.0, None)
    assert params_b("-") == (None, None)


def test_helmet_blank_and_repeated_names_are_problems() -> None:
    header = (
        "Model,Context Window (K),# Params (B),Recall,RAG,ICL,Cite,Re-rank,LongQA,Summ,Average\n"
    )
    row = "M,128,7,1,2,3,4,5,6,7,4.0\n"
    files = {
        f"agg_results_{n}.csv": (header + row + row + ",128,7,1,2,3,4,5,6,7,4.0\n").encode()
        for n in ("8k", "16k", "32k", "64k", "128k")
    }
    batch = get_source("helmet-results").load(raw("helmet-results", files))
    assert len(batch.scores) == 5 * 8
    assert "helmet-results/agg_results_128k.csv:3: model 'M' repeated; first row kept" in (
        batch.problems
    )
    assert "helmet-results/agg_results_8k.csv:4: no model name" in batch.problems
    assert len(batch.problems) == 10
