"""Availability: how many providers serve each model and each ecosystem's models, and which
open-weight models run under a memory budget.

Pure. A provider *serves* a model on a date when a catalog lists a price for the model at that
provider valid on that date (models.dev, LiteLLM, OpenRouter, genai-prices, the price lists);
provider spellings are merged beforehand (``ingest/providers``: 'togetherai' and 'together_ai'
are one provider). A catalog that lists a model without a price does not count, so these are
lower bounds. Memory: total parameters at 4 bits per weight with the advisor's runtime overhead
(``shortlist.memory_gb``); a model whose parameters are not disclosed cannot be placed.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wholeads.analysis.shortlist import memory_gb

BITS = 4


@dataclass(frozen=True)
class Listing:
    """One model offered by one provider (a price valid on the date)."""

    model_id: str
    provider_id: str
    ecosystem: str | None
    open_weights: bool | None
    params_total_b: float | None


@dataclass(frozen=True)
class ModelAvailability:
    model_id: str
    ecosystem: str | None
    open_weights: bool | None
    providers: int
    provider_ids: tuple[str, ...]
    params_total_b: float | None
    memory_gb_4bit: float | None
    fits: bool | None
    """Open weights that fit the memory budget at 4 bits (None: no budget, or size unknown)."""


@dataclass(frozen=True)
class EcosystemAvailability:
    ecosystem: str
    models: int
    """Models with at least one provider."""
    median_providers: float
    max_providers: int
    providers: int
    """Distinct providers serving at least one of the ecosystem's models."""
    open_weight_models: int
    fit_budget: int | None
    """Open-weight models that fit the memory budget (None without a budget)."""


def per_model(
    listings: Iterable[Listing], budget_gb: float | None = None
) -> list[ModelAvailability]:
    """Each model with its distinct providers, most served first."""
    grouped: dict[str, list[Listing]] = {}
    for x in listings:
        grouped.setdefault(x.model_id, []).append(x)
    out = []
    for model_id, rows in grouped.items():
        first = rows[0]
        providers = tuple(sorted({r.provider_id for r in rows}))
        need = memory_gb(first.params_total_b, BITS) if first.open_weights else None
        fits = None if budget_gb is None or need is None else need <= budget_gb
        out.append(ModelAvailability(
            model_id, first.ecosystem, first.open_weights, len(providers), providers,
            first.params_total_b, need, fits,
        ))  # fmt: skip
    return sorted(out, key=lambda m: (-m.providers, m.model_id))


def per_ecosystem(
    models: Sequence[ModelAvailability], budget_gb: float | None = None
) -> list[EcosystemAvailability]:
    """Each ecosystem's served models, the median and most providers per model, and how many
    distinct providers serve any of them."""
    groups: dict[str, list[ModelAvailability]] = {}
    for m in models:
        if m.ecosystem is not None:
            groups.setdefault(m.ecosystem, []).append(m)
    out = []
    for eco, rows in sorted(groups.items()):
        counts = [m.providers for m in rows]
        served_by = {p for m in rows for p in m.provider_ids}
        open_rows = [m for m in rows if m.open_weights]
        fit = None if budget_gb is None else sum(1 for m in open_rows if m.fits)
        out.append(EcosystemAvailability(
            eco, len(rows), float(statistics.median(counts)), max(counts), len(served_by),
            len(open_rows), fit,
        ))  # fmt: skip
    return out
