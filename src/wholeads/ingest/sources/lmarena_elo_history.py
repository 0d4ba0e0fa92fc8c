"""Long-run LMArena text rating history, 2023-05 to 2025-03 (jasontrigg0/chatbot-arena-history).

``alltime.csv`` was exported from the LMArena HF space's ``elo_results_YYYYMMDD.pkl`` files: one
rating per model per results date. Its ``rating`` is the text arena's "full" category, so it becomes
``lmarena-text-full`` with ``as_of`` = ``date`` (YYYYMMDD). There are no intervals or vote counts.
The score name is the arena ``key`` (the same internal ids as lmarena-category-ratings); the display
name (``Model``) is stated by a ModelRecord. 96 rows are exact duplicates upstream (yi-34b-chat on
each date from 2023-12 on); an identical repeat of (key, date, rating) is emitted once.

``key_to_model.csv`` maps a few renamed keys to display name, licence and organization: each row
gives a ModelRecord named by the key and one named by the display name, with the same facts, so the
display name serves as an alias hint for resolution (``family`` stays None).

``alltime_by_org.csv`` (each organization's best rating per date) holds no model scores: it is a
derived aggregate of ``alltime.csv``, so it is not read.

Online, the same three files are fetched from the repository's ``main`` branch (same format).
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._arena import (
    ModelFacts,
    arena_benchmark,
    arena_benchmark_id,
    bulk,
    fnum,
    unique_scores,
)
from wholeads.ingest.sources._read import csv_rows, date
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import ParsedBatch, Provenance, ScoreRecord

ALLTIME = "alltime.csv"
KEY_TO_MODEL = "key_to_model.csv"
_REPO = "https://raw.githubusercontent.com/jasontrigg0/chatbot-arena-history/main/"

SPEC = SourceSpec(
    id="lmarena-elo-history",
    name="Chatbot Arena rating history (chatbot-arena-history)",
    homepage="https://github.com/jasontrigg0/chatbot-arena-history",
    license="No licence file; exported from the LMArena HF space (Apache-2.0)",
    citation="LMArena (lmarena.ai) ratings, via jasontrigg0/chatbot-arena-history",
    remote=(
        RemoteFile(ALLTIME, _REPO + ALLTIME),
        RemoteFile(KEY_TO_MODEL, _REPO + KEY_TO_MODEL),
    ),
    mirror_globs=(ALLTIME, KEY_TO_MODEL),
    snapshot_date=dt.date(2025, 5, 24),
    boards="complete",
    mirror_rank=1,
)


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Text-arena ratings per date, and the key/display name/organization/licence facts."""
    batch = ParsedBatch(source=raw.source)
    facts = ModelFacts()
    if ALLTIME in raw.files:
        _alltime(raw, batch, facts)
        batch.benchmarks.append(arena_benchmark("text"))
    if KEY_TO_MODEL in raw.files:
        for line, row in csv_rows(raw, KEY_TO_MODEL, ("key", "Model")):
            prov = Provenance(source=raw.source, file=KEY_TO_MODEL, row=line)
            for name in dict.fromkeys((row["key"].strip(), row["Model"].strip())):
                if name:
                    facts.add(name, row.get("Organization"), row.get("License"), prov)
    batch.scores = unique_scores(batch.scores)
    batch.models.extend(facts.records())
    return batch


def _alltime(raw: RawFiles, batch: ParsedBatch, facts: ModelFacts) -> None:
    benchmark = arena_benchmark_id("text")
    dates: dict[str, dt.date | None] = {}
    for line, row in csv_rows(raw, ALLTIME, ("key", "rating", "date")):
        where = f"{raw.source}/{ALLTIME}:{line}"
        key, stamp = row["key"].strip(), row["date"].strip()
        value = fnum(row["rating"])
        as_of = dates[stamp] if stamp in dates else dates.setdefault(stamp, date(stamp))
        if not key or value is None or as_of is None:
            batch.problems.append(f"{where}: missing key, bad rating or bad date")
            continue
        org = row.get("Organization", "").strip() or None
        prov = Provenance(source=raw.source, file=ALLTIME, row=line)
        batch.scores.append(
            ScoreRecord(name=key, lab=org, benchmark=benchmark, value=value, as_of=as_of, prov=prov)
        )
        facts.add(key, org, row.get("License"), prov)
        if row.get("Model", "").strip():
            facts.add(row["Model"].strip(), org, row.get("License"), prov)
