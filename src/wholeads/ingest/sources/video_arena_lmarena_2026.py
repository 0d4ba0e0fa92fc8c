"""LMArena (arena.ai) video boards, 2026-03-19 to 2026-04-17 (arena-ai-leaderboards scrape).

``arena_video_snapshots.csv`` flattens the daily scrapes' ``{text-to-video,image-to-video,
video-edit}.json`` (unchanged days dropped upstream). Arenas map to ``lmarena-video-t2v``,
``lmarena-video-i2v`` and ``lmarena-video-edit``; ``ci`` is a ± half-width, ``votes`` is ``n``,
``vendor`` is the raw lab, ``license`` (open/proprietary) gives open weights in ModelRecords.
``as_of`` is the folder date (``snapshot_date``, the day it was observed). LMArena's own
"last updated" text is not used: it is a day, not a time (the 2026-04-13 folder says "Apr 7,
2026" for a board that the 2026-04-07 morning scrape did not show yet), so it would put two
different values on one date. Identical repeats of a row on one date are kept once. One month
only: a cross-check on the Artificial Analysis series.

Online: the scraper has no "latest" file, only dated folders, so the three files of the last
folder at the origin commit (2026-04-19) are fetched; they are dated by ``meta.fetched_at``.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._arena import (
    ELO_SCALE,
    ModelFacts,
    bulk,
    scrape_entries,
    scrape_score,
    unique_scores,
)
from wholeads.ingest.sources._read import csv_rows, date
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ParsedBatch, Provenance

SNAPSHOTS = "arena_video_snapshots.csv"
# arena.ai board -> (benchmark id, display name)
ARENAS = {
    "text-to-video": ("lmarena-video-t2v", "Text-to-Video"),
    "image-to-video": ("lmarena-video-i2v", "Image-to-Video"),
    "video-edit": ("lmarena-video-edit", "Video Edit"),
}
_REPO = (
    "https://raw.githubusercontent.com/oolong-tea-2026/arena-ai-leaderboards/"
    "a2694df6580d2d4d61df7d1d23fd5cb83b13a143/data/2026-04-19/"
)

SPEC = SourceSpec(
    id="video-arena-lmarena-2026",
    name="LMArena video arenas 2026 (arena-ai-leaderboards scrape)",
    homepage="https://github.com/oolong-tea-2026/arena-ai-leaderboards",
    license="MIT (repository); the ratings are LMArena's (attribute to LMArena)",
    citation="LMArena (arena.ai) video leaderboards, via oolong-tea-2026/arena-ai-leaderboards",
    remote=tuple(RemoteFile(f"{board}.json", f"{_REPO}{board}.json") for board in ARENAS),
    mirror_globs=(SNAPSHOTS,),
    snapshot_date=dt.date(2026, 4, 19),
    boards="complete",
    mirror_rank=1,
)


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Video arena scores per kept snapshot, and vendor/licence facts per model."""
    batch = ParsedBatch(source=raw.source)
    facts = ModelFacts()
    used: set[str] = set()
    if SNAPSHOTS in raw.files:
        _snapshots(raw, batch, facts, used)
    for board, (benchmark, _) in ARENAS.items():
        path = f"{board}.json"
        if path not in raw.files:
            continue
        meta, models = scrape_entries(raw, path)
        as_of = date(meta.get("fetched_at")) or raw.retrieved_at.date()
        for entry, item in enumerate(models, start=1):
            row = item if isinstance(item, dict) else {}
            prov = Provenance(source=raw.source, file=path, row=entry)
            score, problems = scrape_score(row, benchmark=benchmark, as_of=as_of, prov=prov)
            batch.problems.extend(f"{raw.source}/{path}:{entry}: {p}" for p in problems)
            if score is not None:
                used.add(board)
                batch.scores.append(score)
                facts.add(score.name, score.lab, row.get("license"), prov)
    batch.scores = unique_scores(batch.scores)
    batch.models.extend(facts.records())
    batch.benchmarks.extend(
        Benchmark(
            id=bid,
            name=f"LMArena {label}",
            domain="video_generation",
            metric="elo",
            scale=ELO_SCALE,
        )
        for board, (bid, label) in ARENAS.items()
        if board in used
    )
    return batch


def _snapshots(raw: RawFiles, batch: ParsedBatch, facts: ModelFacts, used: set[str]) -> None:
    required = ("snapshot_date", "arena", "model", "vendor", "license", "score", "ci", "votes")
    dates: dict[str, dt.date | None] = {}
    for line, row in csv_rows(raw, SNAPSHOTS, required):
        where = f"{raw.source}/{SNAPSHOTS}:{line}"
        board = row["arena"].strip()
        stamp = row["snapshot_date"]
        if stamp not in dates:
            dates[stamp] = date(stamp)
        as_of = dates[stamp]
        if board not in ARENAS or as_of is None:
            batch.problems.append(f"{where}: unknown arena {board!r} or bad snapshot_date")
            continue
        prov = Provenance(source=raw.source, file=SNAPSHOTS, row=line)
        score, problems = scrape_score(row, benchmark=ARENAS[board][0], as_of=as_of, prov=prov)
        batch.problems.extend(f"{where}: {p}" for p in problems)
        if score is not None:
            used.add(board)
            batch.scores.append(score)
            facts.add(score.name, score.lab, row["license"], prov)
