"""LMArena per-category ratings with 95% intervals (lmarena/arena-catalog): where each model leads.

Mirror: ``category_ratings_history.csv`` flattens every version of the catalog's
``data/leaderboard-{text,text-style-control,vision,vision-style-control,image}.json`` (16 snapshot
dates, 2025-03-07 to 2025-12-17, 130,775 rows). Each row becomes a score on
``lmarena-<arena>-<category>`` ("hard_6" -> "hard-prompts"), with ``setting="style_control"``
for the style-controlled boards, the bootstrap interval ``rating_q025``/``rating_q975`` as
bounds, and ``as_of`` = ``snapshot_date``. There are no vote counts.

Online, the same catalog files are fetched from GitHub ``main``: they hold only the latest ratings
and no date, so those scores are dated by the download time. Both forms are read here.

``scatterplot-data.json`` joins the internal model keys (``model_api_name``) to organization and
licence (ModelRecords, and the ``lab`` of scores when the key is listed) and gives first-party
prices in USD per 1M tokens (PriceRecords, provider = organization). The file has no date: prices
are valid from 2025-12-17, the last catalog snapshot at the mirrored commit (online: the download
date). Prices of models rated only in the image arena are per image, not per token: skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._arena import (
    STYLE_CONTROL,
    ModelFacts,
    arena_benchmark,
    arena_benchmark_id,
    bulk,
)
from wholeads.ingest.sources._read import date, is_missing, json_doc, num, text, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import ParsedBatch, PriceRecord, Provenance, ScoreRecord

HISTORY = "category_ratings_history.csv"
SCATTER = "scatterplot-data.json"
SCATTER_AS_OF = dt.date(2025, 12, 17)
_CATALOG = "https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/"
# Online catalog files -> (arena, style control)
CATALOG_FILES = {
    "leaderboard-text.json": ("text", False),
    "leaderboard-text-style-control.json": ("text", True),
    "leaderboard-vision.json": ("vision", False),
    "leaderboard-vision-style-control.json": ("vision", True),
    "leaderboard-image.json": ("image", False),
}
_REQUIRED = (
    "snapshot_date",
    "arena",
    "style_control",
    "category",
    "model",
    "rating",
    "rating_q025",
    "rating_q975",
)

SPEC = SourceSpec(
    id="lmarena-category-ratings",
    name="LMArena per-category ratings (arena-catalog)",
    homepage="https://github.com/lmarena/arena-catalog",
    license="No licence file; data published by LMArena (attribute to LMArena)",
    citation="LMArena, arena-catalog leaderboard data (github.com/lmarena/arena-catalog)",
    remote=(
        *(RemoteFile(path, _CATALOG + path) for path in CATALOG_FILES),
        RemoteFile(SCATTER, _CATALOG + SCATTER),
    ),
    mirror_globs=(HISTORY, SCATTER, "leaderboard-*.json"),
    snapshot_date=dt.date(2025, 12, 17),
    boards="complete",
    mirror_rank=2,
)


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Category ratings (history CSV and/or latest catalog JSON), model facts and prices."""
    batch = ParsedBatch(source=raw.source)
    catalog = json_doc(raw, SCATTER) if SCATTER in raw.files else []
    if not isinstance(catalog, list):
        raise DataError("expected a list of models", file=where(raw, SCATTER))
    labs = {
        str(item["model_api_name"]).strip(): str(item["organization"]).strip()
        for item in catalog
        if isinstance(item, dict)
        and item.get("model_api_name")
        and not is_missing(item.get("organization"))
    }
    ratings = _Ratings(raw, labs, batch)
    if HISTORY in raw.files:
        ratings.history()
    for path, (arena, style) in CATALOG_FILES.items():
        if path in raw.files:
            ratings.catalog(path, arena, style)
    _scatter(raw, catalog, batch, ratings.image_only())
    batch.benchmarks.extend(arena_benchmark(a, c) for a, c in sorted(ratings.categories))
    return batch


class _Ratings:
    """Turns rating rows into scores, remembering which categories and arenas it saw."""

    def __init__(self, raw: RawFiles, labs: dict[str, str], batch: ParsedBatch) -> None:
        self.raw, self.labs, self.batch = raw, labs, batch
        self.categories: set[tuple[str, str]] = set()
        self.models_by_arena: dict[str, set[str]] = {}

    def image_only(self) -> set[str]:
        """Models rated in the image arena and nowhere else (their catalog price is per image)."""
        image = self.models_by_arena.get("image", set())
        others = set().union(*(m for a, m in self.models_by_arena.items() if a != "image"))
        return image - others

    def history(self) -> None:
        """The 130k-row history: csv.reader and cached dates/ids keep the per-row work minimal."""
        raw, batch, labs = self.raw, self.batch, self.labs
        col, rows = _table(raw, HISTORY, _REQUIRED)
        i_date, i_arena, i_style, i_cat, i_model, i_rating, i_low, i_high = (
            col[c] for c in _REQUIRED
        )
        dates: dict[str, dt.date | None] = {}
        ids: dict[tuple[str, str], str] = {}
        source, scores, by_arena = raw.source, batch.scores, self.models_by_arena
        for line, cells in rows:
            try:
                value = float(cells[i_rating])
                low = float(cells[i_low]) if cells[i_low] else None
                high = float(cells[i_high]) if cells[i_high] else None
            except ValueError:
                batch.problems.append(f"{source}/{HISTORY}:{line}: bad rating or interval")
                continue
            stamp, model, arena = cells[i_date], cells[i_model], cells[i_arena]
            as_of = dates[stamp] if stamp in dates else dates.setdefault(stamp, date(stamp))
            if as_of is None or not model:
                batch.problems.append(f"{source}/{HISTORY}:{line}: bad snapshot_date or no model")
                continue
            key = (arena, cells[i_cat])
            benchmark = ids.get(key)
            if benchmark is None:
                benchmark = ids[key] = arena_benchmark_id(*key)
                self.categories.add(key)
                by_arena.setdefault(arena, set())
            by_arena[arena].add(model)
            scores.append(
                ScoreRecord(
                    name=model,
                    lab=labs.get(model),
                    benchmark=benchmark,
                    value=value,
                    ci_low=low,
                    ci_high=high,
                    as_of=as_of,
                    setting=STYLE_CONTROL if cells[i_style] == "1" else None,
                    prov=Provenance(source=source, file=HISTORY, row=line),
                )
            )

    def catalog(self, path: str, arena: str, style: bool) -> None:
        """One latest catalog file: {category: {model: {rating, rating_q025, rating_q975}}}."""
        raw, batch = self.raw, self.batch
        doc = json_doc(raw, path)
        if not isinstance(doc, dict):
            raise DataError("expected an object of categories", file=where(raw, path))
        as_of = raw.retrieved_at.date()
        models_seen = self.models_by_arena.setdefault(arena, set())
        entry = 0
        for category, models in doc.items():
            if not isinstance(models, dict):
                raise DataError(f"category {category!r} is not an object", file=where(raw, path))
            self.categories.add((arena, category))
            benchmark = arena_benchmark_id(arena, category)
            for model, stats in models.items():
                entry += 1
                value = num(stats.get("rating")) if isinstance(stats, dict) else None
                if value is None:
                    batch.problems.append(f"{where(raw, path)}:{entry}: no rating for {model}")
                    continue
                models_seen.add(model)
                batch.scores.append(
                    ScoreRecord(
                        name=model,
                        lab=self.labs.get(model),
                        benchmark=benchmark,
                        value=value,
                        ci_low=num(stats.get("rating_q025")),
                        ci_high=num(stats.get("rating_q975")),
                        as_of=as_of,
                        setting=STYLE_CONTROL if style else None,
                        prov=Provenance(source=raw.source, file=path, row=entry),
                    )
                )


def _scatter(raw: RawFiles, catalog: list[Any], batch: ParsedBatch, image_only: set[str]) -> None:
    """Model facts (organization, licence) and first-party prices per 1M tokens."""
    valid_from = SCATTER_AS_OF if raw.origin != "online" else raw.retrieved_at.date()
    facts = ModelFacts()
    for entry, item in enumerate(catalog, start=1):
        key = str(item.get("model_api_name") or "").strip() if isinstance(item, dict) else ""
        if not key:
            batch.problems.append(f"{where(raw, SCATTER)}:{entry}: missing model_api_name")
            continue
        org = _text(item.get("organization"))
        prov = Provenance(source=raw.source, file=SCATTER, row=entry)
        facts.add(key, org, item.get("license"), prov)
        price_in = num(item.get("input_token_price"))
        price_out = num(item.get("output_token_price"))
        if key in image_only or (price_in is None and price_out is None):
            continue
        batch.prices.append(
            PriceRecord(
                name=key,
                provider=org or "unknown",
                input_per_mtok=price_in,
                output_per_mtok=price_out,
                valid_from=valid_from,
                prov=prov,
            )
        )
    batch.models.extend(facts.records())


def _text(value: Any) -> str | None:
    return None if is_missing(value) else str(value).strip()


def _table(
    raw: RawFiles, path: str, required: Sequence[str]
) -> tuple[dict[str, int], Iterator[tuple[int, list[str]]]]:
    """Column index and (line, cells) rows of a big CSV. Same errors as ``_read.csv_rows`` but
    lists instead of dicts, which is several times faster on 130k rows."""
    body = text(raw, path)
    if not body.strip():
        raise DataError("empty file", file=where(raw, path))
    reader = csv.reader(io.StringIO(body, newline=""))
    header = [h.strip() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; header is {', '.join(header)}",
            file=where(raw, path),
            line=1,
            field=missing[0],
        )
    width = len(header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        line = reader.line_num
        try:
            for cells in reader:
                if cells:
                    if len(cells) < width:
                        cells += [""] * (width - len(cells))
                    yield line + 1, cells
                line = reader.line_num
        except csv.Error as exc:
            raise DataError(f"malformed CSV: {exc}", file=where(raw, path), line=line + 1) from None

    return {h: i for i, h in enumerate(header)}, rows()
