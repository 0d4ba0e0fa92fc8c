"""OpenRouter's public model list (``/api/v1/models``): one router's catalog and per-token prices.

Prices are USD per token as strings ('0.00003'); '-1' means 'varies' (routers) and gives no price.
``created`` is when OpenRouter listed the model, the closest it gives to a release date. The
vendor prefix of the id ('deepseek/', 'z-ai/', '~anthropic/' for floating aliases) is the lab.
A ``hugging_face_id`` means downloadable weights; its absence proves nothing, so it gives None.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._catalog import as_int, kind_of, modalities, table
from wholeads.ingest.sources._read import (
    date,
    json_doc,
    partial_date_text,
    per_token_to_mtok,
    where,
)
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import ModelKind, ModelRecord, PriceRecord, Provenance, SourceBatch

SPEC = SourceSpec(
    id="openrouter-models",
    name="OpenRouter models API",
    homepage="https://openrouter.ai/models",
    license="OpenRouter public API output (snapshot kept in the MIT models.dev repository)",
    remote=(RemoteFile(path="models.json", url="https://openrouter.ai/api/v1/models"),),
    mirror_globs=("models.json",),
    citation="OpenRouter, https://openrouter.ai/api/v1/models",
    snapshot_date=dt.date(2026, 5, 15),
)

PROVIDER = "openrouter"


def load(raw: RawFiles) -> SourceBatch:
    """ModelRecords and OpenRouter PriceRecords from ``models.json``."""
    path = "models.json"
    if path not in raw.files:
        raise DataError("missing models.json", file=raw.source)
    doc = json_doc(raw, path)
    data = doc.get("data") if isinstance(doc, dict) else doc
    if not isinstance(data, list):
        raise DataError('expected {"data": [...]}', file=where(raw, path))
    batch = SourceBatch(source=raw.source)
    first_row: dict[str, int] = {}
    for row, item in enumerate(data, start=1):
        model_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(model_id, str) or not model_id.strip():
            batch.problems.append(f"{where(raw, path)}:{row}: entry without a model id")
            continue
        if model_id in first_row:
            raise DataError(
                f"duplicate model id '{model_id}' (entry {row}; first at entry "
                f"{first_row[model_id]}): the file is inconsistent",
                file=where(raw, path),
                field="id",
            )
        first_row[model_id] = row
        prov = Provenance(source=raw.source, file=path, row=row)
        batch.models.append(_model(item, model_id, prov))
        price = _price(item, model_id, prov)
        if price is not None:
            batch.prices.append(price)
    return batch


def _model(item: dict[str, Any], model_id: str, prov: Provenance) -> ModelRecord:
    arch, top = table(item.get("architecture")), table(item.get("top_provider"))
    params = item.get("supported_parameters")
    inputs = modalities(arch.get("input_modalities"))
    outputs = modalities(arch.get("output_modalities"))
    kind: ModelKind | None = kind_of(isinstance(params, list) and "reasoning" in params, outputs)
    if outputs and "text" not in outputs and kind in (ModelKind.llm, ModelKind.reasoning):
        kind = None  # e.g. audio-only output: not a kind wholeads tracks
    hf = item.get("hugging_face_id")
    return ModelRecord(
        name=model_id,
        lab=model_id.split("/", 1)[0].lstrip("~") if "/" in model_id else None,
        release_date=date(item.get("created")),
        open_weights=True if isinstance(hf, str) and hf.strip() else None,
        context_window=as_int(item.get("context_length")),
        max_output=as_int(top.get("max_completion_tokens")),
        input_modalities=inputs,
        output_modalities=outputs,
        kind=kind,
        knowledge_cutoff=partial_date_text(item.get("knowledge_cutoff")),
        prov=prov,
    )


def _price(item: dict[str, Any], model_id: str, prov: Provenance) -> PriceRecord | None:
    pricing = item.get("pricing")
    if not isinstance(pricing, dict):
        return None
    price_in = per_token_to_mtok(pricing.get("prompt"))
    price_out = per_token_to_mtok(pricing.get("completion"))
    if price_in is None and price_out is None:
        return None
    return PriceRecord(
        name=model_id,
        provider=PROVIDER,
        input_per_mtok=price_in,
        output_per_mtok=price_out,
        valid_to=date(item.get("expiration_date")),
        prov=prov,
    )
