"""Pydantic's genai-prices: USD per million tokens for ~1,400 models across 34 providers.

``prices`` is either one price object or a list of conditional prices. In the list, later entries
override earlier ones while their constraint holds: a ``start_date`` constraint starts a new
period (so a list gives a dated price history), a ``start_time``/``end_time`` constraint is a
time-of-day price. Wholeads keeps one daily price per period: a time-of-day price replaces the
period's base price when its window covers at least half the day (DeepSeek's 00:30-16:30 UTC
standard rate, whose unconstrained price is the night discount). Tiered prices
({base, tiers: [{start, price}]}) give the base tier, the price below the first token threshold.
An empty price object (free tiers such as ':free' ids) gives no PriceRecord rather than a zero.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._catalog import as_int
from wholeads.ingest.sources._read import date, json_doc, num, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import ModelRecord, PriceRecord, Provenance, SourceBatch

SPEC = SourceSpec(
    id="genai-prices",
    name="Pydantic genai-prices",
    homepage="https://github.com/pydantic/genai-prices",
    license="MIT",
    remote=(
        RemoteFile(
            path="data.json",
            url="https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json",
        ),
    ),
    mirror_globs=("data.json",),
    citation="pydantic/genai-prices, prices/data.json, MIT License",
    snapshot_date=dt.date(2026, 7, 25),
)

FILE = "data.json"
# genai-prices provider ids that list only their own lab's models -> lab. Not 'google' (its
# Vertex list includes Claude) nor 'perplexity' (Llama- and R1-based models).
FIRST_PARTY: dict[str, str] = {
    "anthropic": "anthropic",
    "deepseek": "deepseek",
    "openai": "openai",
    "mistral": "mistral",
    "moonshotai": "moonshotai",
    "x-ai": "xai",
    "zhipuai": "zhipuai",
    "minimax": "minimax",
    "cohere": "cohere",
    "voyageai": "voyage-ai",
}
Prices = tuple[float | None, float | None]


def load(raw: RawFiles) -> SourceBatch:
    """PriceRecords per provider and period, ModelRecords where a lab or context is known."""
    if FILE not in raw.files:
        raise DataError(f"missing {FILE}", file=raw.source)
    doc = json_doc(raw, FILE)
    if not isinstance(doc, list):
        raise DataError("expected a list of providers", file=where(raw, FILE))
    batch = SourceBatch(source=raw.source)
    row = 0
    for provider in doc:
        pid = provider.get("id") if isinstance(provider, dict) else None
        models = provider.get("models") if isinstance(provider, dict) else None
        if not isinstance(pid, str) or not isinstance(models, list):
            batch.problems.append(f"{where(raw, FILE)}: provider entry without id or models")
            continue
        for model in models:
            row += 1
            name = model.get("id") if isinstance(model, dict) else None
            if not isinstance(name, str) or not name.strip():
                batch.problems.append(f"{where(raw, FILE)}:{row}: model entry without an id")
                continue
            prov = Provenance(source=raw.source, file=FILE, row=row)
            lab, context = FIRST_PARTY.get(pid), as_int(model.get("context_window"))
            if lab or context:
                batch.models.append(
                    ModelRecord(name=name, lab=lab, context_window=context, prov=prov)
                )
            try:
                periods = _periods(model.get("prices"))
            except ValueError as exc:
                batch.problems.append(f"{where(raw, FILE)}:{row}: {name}: {exc}")
                continue
            for (start, (price_in, price_out)), end in zip(
                periods, [p[0] for p in periods[1:]] + [None], strict=True
            ):
                if price_in is not None or price_out is not None:
                    batch.prices.append(
                        PriceRecord(
                            name=name,
                            provider=pid,
                            input_per_mtok=price_in,
                            output_per_mtok=price_out,
                            valid_from=start,
                            valid_to=end,
                            prov=prov,
                        )
                    )
    return batch


def _periods(prices: Any) -> list[tuple[dt.date | None, Prices]]:
    """(start date or None, (input, output)) per period, oldest first."""
    if isinstance(prices, dict):
        return [(None, _rates(prices))]
    if not isinstance(prices, list):
        raise ValueError("prices is neither an object nor a list")
    periods: dict[dt.date | None, Prices] = {}
    for item in prices:
        rates = item.get("prices") if isinstance(item, dict) else None
        if not isinstance(rates, dict):
            raise ValueError("conditional price without a prices object")
        constraint = item.get("constraint") or {}
        if "start_date" in constraint:
            start = date(constraint["start_date"])
            if start is None:
                raise ValueError(f"bad start_date {constraint['start_date']!r}")
            periods[start] = _rates(rates)
        elif "start_time" in constraint and periods:
            if _window_hours(constraint) >= 12:
                periods[list(periods)[-1]] = _rates(rates)
        elif not constraint:
            periods[None] = _rates(rates)
        else:
            raise ValueError(f"unknown price constraint {sorted(constraint)}")
    return sorted(periods.items(), key=lambda p: p[0] or dt.date.min)


def _rates(prices: dict[str, Any]) -> Prices:
    return _base(prices.get("input_mtok")), _base(prices.get("output_mtok"))


def _base(value: Any) -> float | None:
    """A price, or the base tier of a tiered price."""
    return num(value.get("base")) if isinstance(value, dict) else num(value)


def _window_hours(constraint: dict[str, Any]) -> float:
    """Length of a daily 'HH:MM:SSZ' window, wrapping past midnight."""

    def minutes(value: Any) -> int:
        hours, mins = str(value).split(":")[:2]
        return int(hours) * 60 + int(mins)

    try:
        span = minutes(constraint["end_time"]) - minutes(constraint["start_time"])
    except (KeyError, ValueError):
        raise ValueError(f"bad time-of-day constraint {constraint}") from None
    return (span % (24 * 60)) / 60
