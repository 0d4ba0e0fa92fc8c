"""Recent LMArena (arena.ai) top-N snapshots, 2026-07 to 2026-08 (hasehon/chatbot-arena-ja scrape).

``lmarena_top_snapshots.csv`` flattens the scraper's ``data/{text,code,vision,text-to-image}.json``
history (one row per model per kept version). Categories map to ``lmarena-text-full``,
``lmarena-code-full`` (arena.ai's 2026 "code" board, the successor of WebDev),
``lmarena-vision-full`` and ``lmarena-image-full``. ``ci`` is a ± half-width (score ± ci),
``votes`` is ``n``.

``as_of`` is when the board was observed: ``fetched_at`` when scraped, else the commit date (most
rows). LMArena's own ``leaderboard_last_updated`` text is not used: it is on the first version
only, and it is a day, not a time, so a same-day update would put two values on one date.
Vendor strings stay raw ("SpaceXAI", "Bytedance"); ``license`` open/proprietary gives open
weights in ModelRecords (one per distinct name, vendor and licence). Identical repeats of a row on
one date are kept once; two different rows of one model in one version (e.g. "gpt-5.3-codex
(codex-harness)" on the code board) are both kept, as upstream lists them.

Online, the scraper's current ``data/<category>.json`` files are fetched (the latest version only):
either a bare list of models or ``{"meta": {"fetched_at": ...}, "models": [...]}``; rows without
a fetch time are dated by the download time.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._arena import (
    ModelFacts,
    arena_benchmark,
    arena_benchmark_id,
    bulk,
    scrape_entries,
    scrape_score,
    unique_scores,
)
from wholeads.ingest.sources._read import csv_rows, date
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import ParsedBatch, Provenance

SNAPSHOTS = "lmarena_top_snapshots.csv"
# scraper category -> LMArena arena name in benchmark ids
ARENAS = {"text": "text", "code": "code", "vision": "vision", "text-to-image": "image"}
_REPO = "https://raw.githubusercontent.com/hasehon/chatbot-arena-ja/main/data/"

SPEC = SourceSpec(
    id="lmarena-scrape-2026",
    name="LMArena 2026 leaderboard scrape (chatbot-arena-ja)",
    homepage="https://github.com/hasehon/chatbot-arena-ja",
    license="No licence file; the ratings are LMArena's (attribute to LMArena)",
    citation="LMArena (arena.ai) leaderboards, scraped by hasehon/chatbot-arena-ja",
    # The online files are the scraper's current JSON boards (latest snapshot only).
    remote=tuple(RemoteFile(f"{c}.json", f"{_REPO}{c}.json") for c in ARENAS),
    mirror_globs=(SNAPSHOTS,),
    snapshot_date=dt.date(2026, 8, 22),
    boards="top_n",
    mirror_rank=4,
)


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Scores per category and snapshot, and the vendor/licence facts of each model."""
    batch = ParsedBatch(source=raw.source)
    facts = ModelFacts()
    arenas: set[str] = set()
    if SNAPSHOTS in raw.files:
        _snapshots(raw, batch, facts, arenas)
    for category, arena in ARENAS.items():
        path = f"{category}.json"
        if path in raw.files:
            _latest(raw, path, arena, batch, facts)
            arenas.add(arena)
    batch.scores = unique_scores(batch.scores)
    batch.models.extend(facts.records())
    batch.benchmarks.extend(arena_benchmark(a) for a in sorted(arenas))
    return batch


def _snapshots(raw: RawFiles, batch: ParsedBatch, facts: ModelFacts, arenas: set[str]) -> None:
    required = ("commit_time", "category", "model", "vendor", "license", "score", "ci", "votes")
    dates: dict[tuple[str, str], dt.date | None] = {}
    for line, row in csv_rows(raw, SNAPSHOTS, required):
        where = f"{raw.source}/{SNAPSHOTS}:{line}"
        arena = ARENAS.get(row["category"].strip())
        if arena is None:
            batch.problems.append(f"{where}: unknown category {row['category']!r}")
            continue
        stamps = (row.get("fetched_at", ""), row["commit_time"])
        if stamps not in dates:
            dates[stamps] = date(stamps[0]) or date(stamps[1])
        as_of = dates[stamps]
        if as_of is None:
            batch.problems.append(f"{where}: bad commit_time {row['commit_time']!r}")
            continue
        prov = Provenance(source=raw.source, file=SNAPSHOTS, row=line)
        score, problems = scrape_score(
            row, benchmark=arena_benchmark_id(arena), as_of=as_of, prov=prov
        )
        batch.problems.extend(f"{where}: {p}" for p in problems)
        if score is not None:
            arenas.add(arena)
            batch.scores.append(score)
            facts.add(score.name, score.lab, row["license"], prov)


def _latest(raw: RawFiles, path: str, arena: str, batch: ParsedBatch, facts: ModelFacts) -> None:
    meta, models = scrape_entries(raw, path)
    as_of = date(meta.get("fetched_at")) or raw.retrieved_at.date()
    for entry, item in enumerate(models, start=1):
        prov = Provenance(source=raw.source, file=path, row=entry)
        row = item if isinstance(item, dict) else {}
        score, problems = scrape_score(
            row, benchmark=arena_benchmark_id(arena), as_of=as_of, prov=prov
        )
        batch.problems.extend(f"{raw.source}/{path}:{entry}: {p}" for p in problems)
        if score is not None:
            batch.scores.append(score)
            facts.add(score.name, score.lab, row.get("license"), prov)
