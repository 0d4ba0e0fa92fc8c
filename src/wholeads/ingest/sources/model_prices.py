"""model-prices: dated API price timelines per provider and model (the one price-history source).

``prices[provider][model][tier]`` is a list of segments ``{start, rates}``, oldest first. Like the
package's own lookup, the first segment also covers every earlier time (its ``start`` is null),
a segment lasts until the next one starts, and ``rates: null`` means no price in that segment
(e.g. a batch tier that did not exist yet). Wholeads reads the ``standard`` tier (else the first
one), base rates only (``tiers`` are long-context surcharges), and keeps dates, not times: a
segment superseded on the day it started is dropped, and consecutive segments with the same
input and output price (a change in cache prices only) are merged into one PriceRecord.
``aliases``, ``bases``, ``status``, ``plans`` and ``schedules`` give no records.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._read import date, json_doc, num, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import PriceRecord, Provenance, SourceBatch

SPEC = SourceSpec(
    id="model-prices",
    name="model-prices (dated LLM API price timelines)",
    homepage="https://github.com/wakamex/model-prices",
    license="MIT (data: models.dev, MIT)",
    # The file the PyPI package bundles (model_prices/snapshot.json) lives here in the repository.
    remote=(
        RemoteFile(
            path="snapshot.json",
            url="https://raw.githubusercontent.com/wakamex/model-prices/main/src/model_prices/"
            "snapshot.json",
        ),
    ),
    mirror_globs=("snapshot.json",),
    citation="wakamex/model-prices (PyPI model-prices), MIT License; data from models.dev",
    snapshot_date=dt.date(2026, 10, 26),
)

FILE = "snapshot.json"
DEFAULT_TIER = "standard"
Segment = tuple[dt.date | None, float | None, float | None]


def load(raw: RawFiles) -> SourceBatch:
    """One PriceRecord per price period of each provider/model timeline."""
    if FILE not in raw.files:
        raise DataError(f"missing {FILE}", file=raw.source)
    doc = json_doc(raw, FILE)
    prices = doc.get("prices") if isinstance(doc, dict) else None
    if not isinstance(prices, dict):
        raise DataError(
            "no 'prices' object {provider: {model: {tier: [...]}}}",
            file=where(raw, FILE),
            field="prices",
        )
    batch = SourceBatch(source=raw.source)
    row = 0
    for provider, models in prices.items():
        if not isinstance(models, dict):
            batch.problems.append(f"{where(raw, FILE)}: provider '{provider}' is not an object")
            continue
        for model, tiers in models.items():
            row += 1
            timeline = _tier(tiers)
            try:
                segments = _segments(timeline)
            except ValueError as exc:
                batch.problems.append(f"{where(raw, FILE)}:{row}: {provider}/{model}: {exc}")
                continue
            prov = Provenance(source=raw.source, file=FILE, row=row)
            batch.prices.extend(_records(segments, name=model, provider=provider, prov=prov))
    return batch


def _tier(tiers: Any) -> Any:
    if not isinstance(tiers, dict) or not tiers:
        return None
    return tiers.get(DEFAULT_TIER, next(iter(tiers.values())))


def _segments(timeline: Any) -> list[Segment]:
    """(start date, input, output) per segment; no rates gives (start, None, None)."""
    if not isinstance(timeline, list) or not timeline:
        raise ValueError("no price timeline")
    out: list[Segment] = []
    for i, seg in enumerate(timeline):
        if not isinstance(seg, dict):
            raise ValueError(f"segment {i + 1} is not an object")
        start = date(seg.get("start"))
        if i > 0 and start is None:
            raise ValueError(f"segment {i + 1} has no valid start ({seg.get('start')!r})")
        rates = seg.get("rates")
        if rates is None:
            out.append((start, None, None))
        elif isinstance(rates, dict):
            out.append((start, num(rates.get("input")), num(rates.get("output"))))
        else:
            raise ValueError(f"segment {i + 1} rates are not an object")
    return out


def _records(
    segments: list[Segment], *, name: str, provider: str, prov: Provenance
) -> list[PriceRecord]:
    # Same-day changes: the last segment of a day is the price of that day.
    daily: list[Segment] = []
    for seg in segments:
        if daily and daily[-1][0] == seg[0]:
            daily[-1] = seg
        else:
            daily.append(seg)
    # Merge runs with the same (input, output); a run ends where the next price starts.
    runs: list[tuple[dt.date | None, dt.date | None, float | None, float | None]] = []
    for i, (start, price_in, price_out) in enumerate(daily):
        end = daily[i + 1][0] if i + 1 < len(daily) else None
        if runs and runs[-1][2:] == (price_in, price_out) and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end, price_in, price_out)
        else:
            runs.append((start, end, price_in, price_out))
    return [
        PriceRecord(
            name=name,
            provider=provider,
            input_per_mtok=price_in,
            output_per_mtok=price_out,
            valid_from=start,
            valid_to=end,
            prov=prov,
        )
        for start, end, price_in, price_out in runs
        if price_in is not None or price_out is not None
    ]
