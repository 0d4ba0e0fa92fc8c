"""Entity resolution: normalization rules, precision on hard negatives, and real-data coverage."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from pathlib import Path

import pytest

from wholeads.catalog import resolver_from_db
from wholeads.resolve import ModelEntry, Resolver, normalize
from wholeads.store import open_readonly

PAIRS = Path(__file__).resolve().parents[1] / "bench" / "resolve_pairs.csv"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("deepseek-r1", "DeepSeek-R1"),
        ("deepseek-r1", "deepseek/deepseek-r1"),
        ("deepseek-r1", "DeepSeek R1"),
        ("deepseek-r1", "accounts/fireworks/models/deepseek-r1"),
        ("deepseek-r1-0528", "deepseek-r1-2025-05-28"),
        ("deepseek-r1-0528", "DeepSeek-R1 (2025-05-28)"),
        ("claude-3-7-sonnet-20250219", "us.anthropic.claude-3-7-sonnet-20250219-v1:0"),
        ("o3-2025-04-16", "o3-2025-04-16_high"),
        ("kimi-k2.5", "fireworks/kimi-k2p5"),
    ],
)
def test_spellings_share_a_key(a: str, b: str) -> None:
    assert normalize(a).key == normalize(b).key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gpt-4o", "gpt-4o-mini"),
        ("qwen3-235b-a22b", "qwen3-235b-a22b-instruct-2507"),
        ("deepseek-r1", "deepseek-r1-0528"),
        ("deepseek-v3.2", "deepseek-v3.2-thinking"),
        ("Llama-3-70B-Instruct", "Llama-3-8B-Instruct"),
        ("Qwen2-57B-Instruct", "Qwen2.5-7B-Instruct"),  # squashing separators away merged these
        ("GLM4 (9B)", "GLM4 (32B)"),
    ],
)
def test_distinct_versions_keep_distinct_keys(a: str, b: str) -> None:
    assert normalize(a).key != normalize(b).key


def test_settings_are_split_off() -> None:
    assert normalize("o3-2025-04-16_low").setting == "low"
    assert normalize("gpt-5.5-xhigh (codex-harness)").setting == "xhigh-codex-harness"
    assert normalize("Meta-Llama-3.1-405B-Instruct-fp8").setting == "fp8"
    assert normalize("o3 (high) + gpt-4.1").setting == "high-editor=gpt-4.1"


def test_ambiguous_key_matches_nothing() -> None:
    resolver = Resolver()
    resolver.add_model(ModelEntry("a-1", "lab", None), ["Model X"], rank=1)
    resolver.add_model(ModelEntry("a-2", "lab", None), ["model-x"], rank=1)
    assert resolver.resolve("MODEL X!").model_id is None
    resolver.add_model(ModelEntry("a-3", "lab", None), ["model x"], rank=0)
    assert resolver.resolve("MODEL X!").model_id == "a-3"  # curated rank wins


def test_dated_name_matches_undated_version_released_that_day() -> None:
    resolver = Resolver()
    resolver.add_model(ModelEntry("claude-opus-4", "anthropic", None, "2025-05-14"), [])
    match = resolver.resolve("claude-opus-4-20250514")
    assert (match.model_id, match.matched_by) == ("claude-opus-4", "release_date")
    assert resolver.resolve("claude-opus-4-20250601").model_id is None


def test_rolling_name_with_its_run_date_in_parentheses() -> None:
    resolver = Resolver()
    resolver.add_rolling("chatgpt-4o-latest", "c-0129", dt.date(2025, 1, 29), dt.date(2025, 3, 26))
    resolver.add_rolling("chatgpt-4o-latest", "c-0326", dt.date(2025, 3, 26), None)
    assert resolver.resolve("chatgpt-4o-latest (2025-03-29)").model_id == "c-0326"
    assert resolver.resolve("chatgpt-4o-latest (2025-02-15)").model_id == "c-0129"
    assert resolver.resolve("chatgpt-4o-latest (0329)").model_id is None  # no year: no guess


def test_rolling_alias_follows_the_date() -> None:
    resolver = Resolver()
    resolver.add_rolling(
        "deepseek-reasoner", "deepseek-r1", dt.date(2025, 1, 20), dt.date(2025, 5, 28)
    )
    resolver.add_rolling("deepseek-reasoner", "deepseek-r1-0528", dt.date(2025, 5, 28), None)
    assert resolver.resolve("deepseek/deepseek-reasoner").model_id == "deepseek-r1"
    assert resolver.resolve("deepseek-reasoner", dt.date(2025, 7, 1)).model_id == (
        "deepseek-r1-0528"
    )
    assert resolver.resolve("deepseek-reasoner", dt.date(2024, 7, 1)).model_id is None


def test_labs_resolve_from_comma_lists_and_aliases() -> None:
    resolver = Resolver()
    resolver.add_lab("zhipu", ["Zhipu AI", "Z.ai"])
    assert resolver.resolve_lab("Z.ai (Zhipu AI),Tsinghua University") == "zhipu"
    assert resolver.resolve_lab("Tsinghua University") is None


def test_labeled_pairs_precision_is_perfect_and_recall_high(real_db: Path) -> None:
    with contextlib.closing(open_readonly(real_db)) as con:
        resolver = resolver_from_db(con)
    false_merges, misses, positives = [], [], 0
    with PAIRS.open(newline="") as handle:
        for row in csv.DictReader(handle):
            a = resolver.resolve(row["name_a"]).model_id
            b = resolver.resolve(row["name_b"]).model_id
            same = a is not None and a == b
            if row["same"] == "1":
                positives += 1
                if not same:
                    misses.append(row["name_a"])
            elif same:
                false_merges.append((row["name_a"], row["name_b"]))
    assert false_merges == []
    assert len(misses) / positives <= 0.1, misses


SCORE_SOURCES = (
    "aider-leaderboards",
    "lmarena-leaderboard-csv",
    "lmarena-category-ratings",
    "lmarena-elo-history",
    "lmarena-hf-space-tables",
    "lmarena-scrape-2026",
    "video-arena-artificialanalysis",
    "video-arena-lmarena-2026",
    "epoch-eci",
    "epoch-benchmarks",
    "livebench",
)


def test_score_rows_resolve_to_a_lab_and_country(real_db: Path) -> None:
    """The acceptance figure: arena (text, vision, image, video), Epoch and LiveBench score rows
    resolve to a model with a known lab and country (the Open LLM Leaderboard's community
    fine-tunes, inside lmarena-leaderboard-csv, are not arena rows and are excluded)."""
    with contextlib.closing(open_readonly(real_db)) as con:
        rows = dict(
            con.execute("""
            SELECT s.source, avg((l.country IS NOT NULL)::INT)
            FROM scores s LEFT JOIN models m ON m.id = s.model_id
            LEFT JOIN labs l ON l.id = m.lab_id
            WHERE s.benchmark_id NOT LIKE 'open-llm-leaderboard%'
            GROUP BY s.source""").fetchall()
        )
    for source in SCORE_SOURCES:
        assert rows[source] >= 0.95, (source, rows[source])
