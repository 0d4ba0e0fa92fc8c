"""The resolver's rules, one at a time, on small indexes built from real spellings.

Each test registers the few models a rule needs and checks what a name resolves to, including
the cases that must not match (a wrong merge moves a leader).
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.resolve import (
    AMBIGUOUS,
    MODE_UNKNOWN,
    NO_CANDIDATE,
    VENDOR_DIFFERS,
    ModelEntry,
    Resolver,
    lab_spellings,
    provisional_id,
)


def _resolver(*models: tuple[str, str, str | None, list[str]]) -> Resolver:
    """A resolver over (id, lab, release date, names) at the curated rank, with three labs."""
    resolver = Resolver()
    for lab, names in (("openai", ["OpenAI"]), ("meta", ["Meta", "meta-llama"]),
                       ("deepseek", ["DeepSeek"])):  # fmt: skip
        resolver.add_lab(lab, names)
    for model_id, lab, release, names in models:
        resolver.add_model(ModelEntry(model_id, lab, None, release), names)
    return resolver


def test_exact_spelling_first() -> None:
    r = _resolver(("deepseek-r1", "deepseek", "2025-01-20", ["DeepSeek-R1"]))
    assert r.resolve("deepseek-r1").matched_by == "exact"
    match = r.resolve("deepseek/deepseek-r1")  # the registered spelling behind a route
    assert (match.model_id, match.matched_by) == ("deepseek-r1", "unprefixed")
    match = r.resolve("DeepSeek R1")
    assert (match.model_id, match.matched_by) == ("deepseek-r1", "key")


def test_an_ambiguous_key_matches_nothing_and_names_its_candidates() -> None:
    resolver = Resolver()
    resolver.add_model(ModelEntry("a-1", "lab-a", None), ["Model X"], rank=1)
    resolver.add_model(ModelEntry("a-2", "lab-b", None), ["model-x"], rank=1)
    match = resolver.resolve("MODEL X!")
    assert (match.model_id, match.reason, match.candidates) == (None, AMBIGUOUS, ("a-1", "a-2"))
    assert resolver.resolve("MODEL X!", lab="lab-b").model_id == "a-2"  # the record's lab decides
    resolver.add_model(ModelEntry("a-3", "lab-a", None), ["model x"], rank=0)
    assert resolver.resolve("MODEL X!").model_id == "a-3"  # curated rank wins


def test_the_same_exact_spelling_for_two_models_is_ambiguous_too() -> None:
    """The first registration no longer wins: ambiguous = no match."""
    resolver = Resolver()
    resolver.add_model(ModelEntry("m-1", "lab", None), ["Shared Name"], rank=2)
    resolver.add_model(ModelEntry("m-2", "lab", None), ["Shared Name"], rank=2)
    assert resolver.resolve("Shared Name").model_id is None


def test_rolling_name_by_date() -> None:
    r = _resolver(
        ("gpt-4o-2024-05-13", "openai", "2024-05-13", []),
        ("gpt-4o-2024-08-06", "openai", "2024-08-06", []),
    )
    r.add_rolling("gpt-4o", "gpt-4o-2024-05-13", dt.date(2024, 5, 13), dt.date(2024, 10, 2))
    r.add_rolling("gpt-4o", "gpt-4o-2024-08-06", dt.date(2024, 10, 2), None)
    assert r.resolve("gpt-4o").model_id == "gpt-4o-2024-05-13"  # no date: its launch meaning
    assert r.resolve("openai/gpt-4o", dt.date(2025, 3, 1)).model_id == "gpt-4o-2024-08-06"
    assert r.resolve("GPT-4o", dt.date(2024, 6, 1)).model_id == "gpt-4o-2024-05-13"
    before = r.resolve("gpt-4o", dt.date(2024, 1, 1))
    assert before.model_id is None and before.matched_by == "rolling"


def test_rolling_name_with_its_run_date_in_parentheses() -> None:
    resolver = Resolver()
    resolver.add_rolling("chatgpt-4o-latest", "c-0129", dt.date(2025, 1, 29), dt.date(2025, 3, 26))
    resolver.add_rolling("chatgpt-4o-latest", "c-0326", dt.date(2025, 3, 26), None)
    assert resolver.resolve("chatgpt-4o-latest (2025-03-29)").model_id == "c-0326"
    assert resolver.resolve("chatgpt-4o-latest (2025-02-15)").model_id == "c-0129"
    assert resolver.resolve("chatgpt-4o-latest (0329)").model_id is None  # no year: no guess


def test_checkpoint_without_year_agrees_with_the_dated_version() -> None:
    r = _resolver(
        ("deepseek-r1", "deepseek", "2025-01-20", ["DeepSeek-R1"]),
        ("deepseek-r1-0528", "deepseek", "2025-05-28", ["DeepSeek-R1-0528"]),
    )
    assert r.resolve("deepseek-r1-2025-05-28").model_id == "deepseek-r1-0528"  # year filled
    assert r.resolve("DeepSeek-R1 (2025-05-28)").model_id == "deepseek-r1-0528"
    assert r.resolve("deepseek-r1-2026-05-28").model_id is None  # another year
    assert r.resolve("deepseek-r1").model_id == "deepseek-r1"  # undated is not the checkpoint


def test_dated_name_matches_undated_version_released_that_day() -> None:
    r = _resolver(("claude-opus-4", "anthropic", "2025-05-14", []))
    match = r.resolve("claude-opus-4-20250514")
    assert (match.model_id, match.matched_by) == ("claude-opus-4", "release_date")
    assert r.resolve("claude-opus-4-20250601").model_id is None


def test_two_readings_of_a_date_and_the_record_date() -> None:
    r = _resolver(
        ("command-r-08-2024", "cohere", "2024-08-30", []),
        ("command-r-03-2024", "cohere", "2024-03-11", []),
    )
    assert r.resolve("Command R (08-24)").model_id == "command-r-08-2024"  # Aider: month-year
    two = _resolver(
        ("x-2024-05-13", "lab", "2024-05-13", []), ("x-2025-05-13", "lab", "2025-05-13", [])
    )
    assert two.resolve("x-0513").model_id is None  # two years agree: ambiguous
    assert two.resolve("x-0513", dt.date(2024, 12, 1)).model_id == "x-2024-05-13"  # 2025 later


def test_thinking_budget_means_the_thinking_version() -> None:
    r = _resolver(
        ("claude-3-7-sonnet-20250219", "anthropic", "2025-02-19", []),
        ("claude-3-7-sonnet-20250219-thinking", "anthropic", "2025-02-19", []),
        ("gemini-2.5-pro", "google", "2025-06-17", []),
    )
    budget = r.resolve("claude-3-7-sonnet-20250219_32K")
    assert (budget.model_id, budget.setting) == ("claude-3-7-sonnet-20250219-thinking", "32k")
    assert r.resolve("gemini-2.5-pro_8K").model_id == "gemini-2.5-pro"  # a line without modes
    unknown = r.resolve("claude-3-7-sonnet-20250219_unknown")
    assert (unknown.model_id, unknown.reason) == (None, MODE_UNKNOWN)


def test_an_explicit_mode_never_falls_back() -> None:
    r = _resolver(
        ("llama-3.1-405b-instruct", "meta", "2024-07-23", ["Llama-3.1-405B-Instruct"]),
        ("gemini-2.0-flash-exp", "google", "2024-12-11", []),
    )
    assert r.resolve("Llama-3.1-405B").model_id is None  # base checkpoint, not the instruct
    assert r.resolve("Llama-3.1-405B (base)").model_id is None
    assert r.resolve("gemini-2.0-flash-thinking-exp").model_id is None


def test_omitted_active_size_matches_the_one_moe_of_that_total() -> None:
    r = _resolver(("qwen3-235b-a22b", "alibaba", "2025-04-29", []))
    assert r.resolve("qwen3-235b").model_id == "qwen3-235b-a22b"
    assert r.resolve("qwen3-30b").model_id is None


def test_a_name_that_says_another_maker_is_not_the_base_model() -> None:
    r = _resolver(("llama-3-8b-instruct", "meta", "2024-04-18", []))
    assert r.resolve("meta-llama/Llama-3-8B-Instruct").model_id == "llama-3-8b-instruct"
    other = r.resolve("gradientai/Llama-3-8B-Instruct")
    assert (other.model_id, other.reason) == (None, VENDOR_DIFFERS)


def test_a_curated_spelling_with_a_route_claims_only_itself() -> None:
    """'fireworks/deepseek-v3p2' names what that provider serves (the thinking variant); it must
    not make the plain 'deepseek-v3.2' ambiguous."""
    r = _resolver(
        ("deepseek-v3.2", "deepseek", "2025-12-01", ["DeepSeek-V3.2"]),
        ("deepseek-v3.2-thinking", "deepseek", "2025-12-01", ["fireworks/deepseek-v3p2"]),
    )
    assert r.resolve("deepseek/deepseek-v3.2").model_id == "deepseek-v3.2"
    assert r.resolve("fireworks/deepseek-v3p2").model_id == "deepseek-v3.2-thinking"


def test_settings_resolve_to_the_version_with_the_setting_recorded() -> None:
    r = _resolver(("o3-2025-04-16", "openai", "2025-04-16", ["o3"]))
    match = r.resolve("o3-2025-04-16_high")
    assert (match.model_id, match.setting) == ("o3-2025-04-16", "high")
    assert r.resolve("o3 (high) + gpt-4.1").setting == "high-editor=gpt-4.1"


def test_unknown_names_are_reported_with_a_reason() -> None:
    match = _resolver().resolve("Pyramid Flow")
    assert (match.model_id, match.reason) == (None, NO_CANDIDATE)


def test_labs_from_lists_parentheses_and_legal_suffixes() -> None:
    resolver = Resolver()
    resolver.add_lab("zhipu", ["Zhipu AI", "Z.ai"])
    resolver.add_lab("meituan", ["Meituan"])
    assert resolver.resolve_lab("Z.ai (Zhipu AI),Tsinghua University") == "zhipu"
    assert resolver.resolve_lab("Z.ai & Tsinghua") == "zhipu"
    assert resolver.resolve_lab("Meituan Inc") == "meituan"
    assert resolver.resolve_lab("Tsinghua University") is None
    spellings = lab_spellings("Z.ai (Zhipu AI),Tsinghua University")
    assert spellings.index("Zhipu AI") < spellings.index("Tsinghua University")


def test_provisional_ids_keep_the_name_order_without_settings() -> None:
    assert provisional_id("deepseek-v4-flash-free") == "deepseek-v4-flash"
    assert provisional_id("zephyr-7b-beta") == "zephyr-7b-beta"
    assert provisional_id("Llama-3.1-8B (base)") == "llama-3.1-8b-base"


def test_a_name_without_a_mode_on_a_thinking_only_line_matches_neither() -> None:
    """OpenRouter's 'x-ai/grok-4.1-fast' toggles reasoning per request: it is neither xAI's
    grok-4-1-fast-reasoning nor its -non-reasoning version (openrouter-models/models.json)."""
    resolver = Resolver()
    resolver.add_lab("xai", ["xAI", "x-ai"])
    resolver.add_model(ModelEntry("grok-4-1-fast-reasoning", "xai", None), ["Grok 4.1 Fast"])
    resolver.add_model(ModelEntry("grok-4-1-fast-non-reasoning", "xai", None), [])
    match = resolver.resolve("x-ai/grok-4.1-fast")
    assert (match.model_id, match.reason) == (None, MODE_UNKNOWN)
    assert match.candidates == ("grok-4-1-fast-non-reasoning", "grok-4-1-fast-reasoning")
    assert resolver.resolve("grok-4-1-fast-non-reasoning").model_id == "grok-4-1-fast-non-reasoning"
    assert resolver.resolve("Grok 4.1 Fast").model_id == "grok-4-1-fast-reasoning"  # as curated


def test_a_budget_on_one_hybrid_model_is_a_setting_of_it() -> None:
    """kb/models/qwen.yaml curates Qwen3-32B once, spelled with and without '-thinking' (one
    hybrid model); Aider's '/no_think' run is that model with a setting. A line whose only
    version is a non-thinking one does not take a thinking budget."""
    resolver = Resolver()
    qwen = ModelEntry("qwen3-32b", "alibaba", None)
    resolver.add_model(qwen, ["Qwen3-32B", "qwen3-32b-thinking"])
    match = resolver.resolve("Qwen3-32B diff with VLLM, bfloat16, recommended /no_think settings")
    assert (match.model_id, match.matched_by) == ("qwen3-32b", "implied_mode")
    assert match.setting is not None and "nonthinking" in match.setting
    only_fast = Resolver()
    only_fast.add_model(ModelEntry("grok-4-1-fast-non-reasoning", "xai", None), [])
    assert only_fast.resolve("grok-4-1-fast_32K").model_id is None
