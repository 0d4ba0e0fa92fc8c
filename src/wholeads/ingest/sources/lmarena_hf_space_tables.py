"""LMArena HF-space tables (utterstep/chatbot-arena-leaderbord-vis, a mirror of the space files).

- ``leaderboard_table_20250511.csv``: the arena key -> display name, organization, licence map.
  Each row gives ModelRecords for the key and for the display name (same facts; the display name is
  an alias hint). Its ``MT-bench (score)`` becomes ``mt-bench`` (LMSYS's GPT-4-judged score,
  1-10) and ``MMLU`` becomes ``mmlu`` in percent with ``setting="reported"``: the table copies the
  model's published MMLU, it was not measured by LMArena. The table has no per-row date, so both
  are dated 2025-05-11, the table's own date (an upper bound: most values were public earlier).
- ``arena_hard_auto_leaderboard_v0.1.csv``: ``arena-hard-auto`` win rate (percent vs the baseline)
  with the bootstrap interval ``rating_q025``/``rating_q975``, dated by its ``date`` (2024-07-31).
- ``elo_max_by_category.json``: the leader of each category on each results date, 2024-06 to
  2025-05. Each record is a true rating of ``max_model`` on ``lmarena-<arena>-<category>``, but only
  the leader is listed, so comparing countries on these alone would be wrong (the runner-up is
  missing). They are emitted with ``setting="category_max"`` ("style_control+category_max" for
  style-controlled boards) so that analyses opt in; their dates predate the category history.

Online, the same files are fetched from the mirror repository at the origin commit (same format).
"""

from __future__ import annotations

import datetime as dt

from wholeads.errors import DataError
from wholeads.ingest.sources._arena import (
    STYLE_CONTROL,
    ModelFacts,
    arena_benchmark,
    arena_benchmark_id,
    bulk,
    split_arena_category,
)
from wholeads.ingest.sources._read import csv_rows, date, json_doc, num, partial_date_text, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ParsedBatch, Provenance, ScoreRecord

TABLE = "leaderboard_table_20250511.csv"
TABLE_AS_OF = dt.date(2025, 5, 11)
ARENA_HARD = "arena_hard_auto_leaderboard_v0.1.csv"
ARENA_HARD_AS_OF = dt.date(2024, 7, 31)
ELO_MAX = "elo_max_by_category.json"
CATEGORY_MAX = "category_max"
_REPO = (
    "https://raw.githubusercontent.com/utterstep/chatbot-arena-leaderbord-vis/"
    "3e3c08187d2a730f5cac9e11889fab3840696afc/"
)

SPEC = SourceSpec(
    id="lmarena-hf-space-tables",
    name="LMArena HF-space tables (leaderboard table, Arena-Hard-Auto, category leaders)",
    homepage="https://huggingface.co/spaces/lmarena-ai/chatbot-arena-leaderboard",
    license="Apache-2.0 (space README front matter)",
    citation="LMArena chatbot-arena-leaderboard space, via utterstep/chatbot-arena-leaderbord-vis",
    remote=tuple(RemoteFile(path, _REPO + path) for path in (TABLE, ARENA_HARD, ELO_MAX)),
    mirror_globs=(TABLE, ARENA_HARD, ELO_MAX),
    snapshot_date=dt.date(2025, 5, 11),
    boards="top_n",
    mirror_rank=5,
)

BENCHMARKS = {
    "mt-bench": Benchmark(
        id="mt-bench",
        name="MT-Bench (GPT-4 judge)",
        domain="general",
        metric="score",
        scale="1-10",
    ),
    "mmlu": Benchmark(
        id="mmlu",
        name="MMLU",
        domain="knowledge",
        metric="percent",
        scale="0-100",
    ),
    "arena-hard-auto": Benchmark(
        id="arena-hard-auto",
        name="Arena-Hard-Auto v0.1 (win rate vs baseline)",
        domain="general",
        metric="percent",
        scale="0-100",
    ),
}


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Model facts, MT-bench/MMLU, Arena-Hard-Auto and category-leader ratings."""
    batch = ParsedBatch(source=raw.source)
    if TABLE in raw.files:
        _table(raw, batch)
    if ARENA_HARD in raw.files:
        _arena_hard(raw, batch)
    if ELO_MAX in raw.files:
        _elo_max(raw, batch)
    used = {s.benchmark for s in batch.scores}
    batch.benchmarks.extend(b for k, b in BENCHMARKS.items() if k in used)
    return batch


def _table(raw: RawFiles, batch: ParsedBatch) -> None:
    facts = ModelFacts()
    rows = csv_rows(raw, TABLE, ("key", "Model", "MT-bench (score)", "MMLU", "Organization"))
    for line, row in rows:
        key = row["key"].strip()
        if not key:
            batch.problems.append(f"{raw.source}/{TABLE}:{line}: missing key")
            continue
        org = row["Organization"].strip() or None
        prov = Provenance(source=raw.source, file=TABLE, row=line)
        cutoff = partial_date_text(row.get("Knowledge cutoff date"))
        for name in dict.fromkeys((key, row["Model"].strip())):
            if name:
                facts.add(name, org, row.get("License"), prov, knowledge_cutoff=cutoff)
        mt_bench, mmlu = num(row["MT-bench (score)"]), num(row["MMLU"])
        if mt_bench is not None:
            batch.scores.append(
                ScoreRecord(
                    name=key,
                    lab=org,
                    benchmark="mt-bench",
                    value=mt_bench,
                    as_of=TABLE_AS_OF,
                    dated_by="snapshot",
                    prov=prov,
                )
            )
        if mmlu is not None:
            batch.scores.append(
                ScoreRecord(
                    name=key,
                    lab=org,
                    benchmark="mmlu",
                    value=round(mmlu * 100, 4) if mmlu <= 1 else mmlu,
                    as_of=TABLE_AS_OF,
                    dated_by="snapshot",
                    setting="reported",
                    prov=prov,
                )
            )
    batch.models.extend(facts.records())


def _arena_hard(raw: RawFiles, batch: ParsedBatch) -> None:
    for line, row in csv_rows(raw, ARENA_HARD, ("model", "score")):
        name, value = row["model"].strip(), num(row["score"])
        if not name or value is None:
            batch.problems.append(f"{raw.source}/{ARENA_HARD}:{line}: missing model or score")
            continue
        batch.scores.append(
            ScoreRecord(
                name=name,
                benchmark="arena-hard-auto",
                value=value,
                ci_low=num(row.get("rating_q025")),
                ci_high=num(row.get("rating_q975")),
                as_of=date(row.get("date")) or ARENA_HARD_AS_OF,
                prov=Provenance(source=raw.source, file=ARENA_HARD, row=line),
            )
        )


def _elo_max(raw: RawFiles, batch: ParsedBatch) -> None:
    doc = json_doc(raw, ELO_MAX)
    if not isinstance(doc, list):
        raise DataError("expected a list of records", file=where(raw, ELO_MAX))
    categories: set[tuple[str, str]] = set()
    for entry, item in enumerate(doc, start=1):
        item = item if isinstance(item, dict) else {}
        name = str(item.get("max_model") or "").strip()
        value, as_of = num(item.get("max_elo")), date(item.get("date"))
        category = str(item.get("category") or "")
        if not name or value is None or as_of is None or "_" not in category:
            batch.problems.append(
                f"{where(raw, ELO_MAX)}:{entry}: missing max_model, max_elo, date or category"
            )
            continue
        arena, cat, style = split_arena_category(category)
        categories.add((arena, cat))
        batch.scores.append(
            ScoreRecord(
                name=name,
                benchmark=arena_benchmark_id(arena, cat),
                value=value,
                as_of=as_of,
                setting=f"{STYLE_CONTROL}+{CATEGORY_MAX}" if style else CATEGORY_MAX,
                prov=Provenance(source=raw.source, file=ELO_MAX, row=entry),
            )
        )
    batch.benchmarks.extend(arena_benchmark(a, c) for a, c in sorted(categories))
