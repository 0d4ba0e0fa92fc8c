"""LiteLLM's model price and context map: per-token prices for ~4,900 provider/model keys.

Keys mix provider prefixes ('azure/...', 'bedrock/...'), so one model appears many times; the
provider is ``litellm_provider``. The lab is set only when that provider is the first party (the
lab's own API, or a cloud's catalog of one lab's models); resellers such as dashscope, which also
serve DeepSeek, GLM and Kimi, give None. ``deprecation_date`` ends the price's validity.
Skipped on purpose: ``sample_spec`` (documentation), ``alias_of`` entries (pointers to another key)
and non-model endpoints (search, vector stores, guardrails).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._catalog import as_int, modalities
from wholeads.ingest.sources._read import date, json_doc, per_token_to_mtok, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import ModelKind, ModelRecord, PriceRecord, Provenance, SourceBatch

SPEC = SourceSpec(
    id="litellm",
    name="LiteLLM model prices and context windows",
    homepage="https://github.com/BerriAI/litellm",
    license="MIT (outside enterprise/)",
    remote=(
        RemoteFile(
            path="model_prices_and_context_window.json",
            url="https://raw.githubusercontent.com/BerriAI/litellm/main/"
            "model_prices_and_context_window.json",
        ),
    ),
    mirror_globs=("model_prices_and_context_window.json",),
    citation="BerriAI/litellm, model_prices_and_context_window.json, MIT License",
    snapshot_date=dt.date(2026, 11, 20),
)

FILE = "model_prices_and_context_window.json"

# litellm_provider -> lab, only where every model of that provider is the lab's own.
FIRST_PARTY: dict[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "chatgpt": "openai",
    "anthropic": "anthropic",
    "deepseek": "deepseek",
    "xai": "xai",
    "mistral": "mistral",
    "codestral": "mistral",
    "text-completion-codestral": "mistral",
    "moonshot": "moonshotai",
    "zai": "zhipuai",
    "bigmodel": "zhipuai",
    "gemini": "google",
    "vertex_ai-language-models": "google",
    "vertex_ai-embedding-models": "google",
    "vertex_ai-video-models": "google",
    "vertex_ai-text-models": "google",
    "vertex_ai-anthropic_models": "anthropic",
    "vertex_ai-mistral_models": "mistral",
    "vertex_ai-deepseek_models": "deepseek",
    "vertex_ai-qwen_models": "alibaba",
    "vertex_ai-zai_models": "zhipuai",
    "vertex_ai-minimax_models": "minimax",
    "vertex_ai-moonshot_models": "moonshotai",
    "vertex_ai-llama_models": "meta",
    "vertex_ai-ai21_models": "ai21",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "ai21": "ai21",
    "minimax": "minimax",
    "meta_llama": "meta",
    "meta": "meta",
    "amazon_nova": "amazon",
    "xiaomi_mimo": "xiaomi",
    "sarvam": "sarvam",
    "inception": "inception",
    "text-completion-inception": "inception",
    "stability": "stability",
    "black_forest_labs": "black-forest-labs",
}
KINDS = {
    "chat": ModelKind.llm,
    "completion": ModelKind.llm,
    "responses": ModelKind.llm,
    "embedding": ModelKind.embedding,
    "image_generation": ModelKind.image_generation,
    "image_edit": ModelKind.image_generation,
    "video_generation": ModelKind.video_generation,
}
TEXT_MODES = {"chat", "completion", "responses", "realtime"}
NOT_MODELS = {"search", "vector_store", "guardrail"}
_FLAGS = (
    ("supports_vision", "image"),
    ("supports_pdf_input", "pdf"),
    ("supports_audio_input", "audio"),
    ("supports_video_input", "video"),
)


def load(raw: RawFiles) -> SourceBatch:
    """ModelRecords and PriceRecords (USD per million tokens) from the LiteLLM map."""
    if FILE not in raw.files:
        raise DataError(f"missing {FILE}", file=raw.source)
    doc = json_doc(raw, FILE)
    if not isinstance(doc, dict):
        raise DataError("expected an object keyed by model id", file=where(raw, FILE))
    batch = SourceBatch(source=raw.source)
    for row, (key, entry) in enumerate(doc.items(), start=1):
        if key == "sample_spec":
            continue
        if not isinstance(entry, dict) or not key.strip():
            batch.problems.append(f"{where(raw, FILE)}:{row}: entry '{key}' is not an object")
            continue
        mode = entry.get("mode")
        if "alias_of" in entry or mode in NOT_MODELS:
            continue
        provider = entry.get("litellm_provider")
        provider = provider if isinstance(provider, str) and provider else None
        prov = Provenance(source=raw.source, file=FILE, row=row)
        batch.models.append(_model(key, entry, mode, provider, prov))
        price_in = per_token_to_mtok(entry.get("input_cost_per_token"))
        price_out = per_token_to_mtok(entry.get("output_cost_per_token"))
        if price_in is not None or price_out is not None:
            batch.prices.append(
                PriceRecord(
                    name=key,
                    provider=provider or key.split("/", 1)[0],
                    input_per_mtok=price_in,
                    output_per_mtok=price_out,
                    valid_to=date(entry.get("deprecation_date")),
                    prov=prov,
                )
            )
    return batch


def _model(
    key: str, entry: dict[str, Any], mode: Any, provider: str | None, prov: Provenance
) -> ModelRecord:
    kind = KINDS.get(mode) if isinstance(mode, str) else None
    if kind is ModelKind.llm and entry.get("supports_reasoning") is True:
        kind = ModelKind.reasoning
    inputs = modalities(entry.get("supported_modalities"))
    outputs = modalities(entry.get("supported_output_modalities"))
    if not inputs and mode in TEXT_MODES:
        inputs = ("text", *(m for flag, m in _FLAGS if entry.get(flag) is True))
    if not outputs and mode in TEXT_MODES:
        outputs = ("text", "audio") if entry.get("supports_audio_output") is True else ("text",)
    return ModelRecord(
        name=key,
        lab=FIRST_PARTY.get(provider or ""),
        context_window=as_int(entry.get("max_input_tokens")),
        max_output=as_int(entry.get("max_output_tokens")),
        input_modalities=inputs,
        output_modalities=outputs,
        kind=kind,
        prov=prov,
    )
