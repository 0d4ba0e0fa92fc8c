"""LMArena (Chatbot Arena) leaderboard snapshots and the final Open LLM Leaderboard v2 table.

Mirror (fboulnois/llm-leaderboard-csv history, flattened): ``lmsys_leaderboard_snapshots.csv`` (88
snapshots, 2024-06-19 to 2025-07-18) and ``lmarena_{text,vision,image}_snapshots.csv`` (4 snapshots,
2025-07-27 to 2025-08-04) with a ``snapshot_date`` per row; the score is known from that date on.
Online, the same paths are fetched from the upstream ``csv/*.csv`` files, which hold only the latest
snapshot and no ``snapshot_date`` column: those rows are dated by the download time.

Caveats handled here:
- ``95_pct_ci`` "+5/-4" becomes absolute bounds (score-4, score+5); ``votes`` is ``n``.
- Organization and model strings are kept raw (they drift: "DeepSeek" vs "DeepSeek AI").
- From about 2025-06 the upstream board is LMArena's new default view (re-anchored, style control
  on by default); no ``setting`` is invented here, so compare models within one snapshot.
- Snapshots are cumulative boards: a model appears on every date, so ModelRecords are kept once per
  distinct (name, organization, licence).

``open_llm_leaderboard_v2_final.csv`` (retired leaderboard, data version 2025-03-21): 4,576 rows,
most of them community fine-tunes and merges that will never resolve to a canonical model; that is
expected, only the official checkpoints ("Qwen/Qwen2.5-72B-Instruct") matter downstream. Scores:
``open-llm-leaderboard-v2`` (the average) and one benchmark per task (normalized 0-100 scores),
dated by ``metadata_submission_date`` (when the evaluation was requested, published shortly
after; 2025-03-21 when blank). ``setting`` is the evaluation precision ("bfloat16", "float16"),
because some checkpoints were evaluated twice. ModelRecords: hub org as lab, params, hub licence,
open weights (every evaluated model is a public Hugging Face checkpoint).
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._arena import (
    ModelFacts,
    arena_benchmark,
    arena_benchmark_id,
    bulk,
    ci_bounds,
    fnum,
    license_or_none,
    unique_scores,
)
from wholeads.ingest.sources._read import csv_rows, date, whole
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelRecord, ParsedBatch, Provenance, ScoreRecord

_UPSTREAM = "https://raw.githubusercontent.com/fboulnois/llm-leaderboard-csv/main/csv/"
ARENA_FILES = {
    "lmsys_leaderboard_snapshots.csv": "text",
    "lmarena_text_snapshots.csv": "text",
    "lmarena_vision_snapshots.csv": "vision",
    "lmarena_image_snapshots.csv": "image",
}
OPEN_LLM_FILE = "open_llm_leaderboard_v2_final.csv"
OPEN_LLM_DATA_VERSION = dt.date(2025, 3, 21)
# task column stem -> (benchmark id suffix, display name, domain)
OPEN_LLM_TASKS = {
    "ifeval": ("ifeval", "IFEval", "instruction_following"),
    "bbh": ("bbh", "BBH", "reasoning"),
    "math": ("math-lvl5", "MATH Level 5", "math"),
    "gpqa": ("gpqa", "GPQA", "knowledge"),
    "musr": ("musr", "MuSR", "reasoning"),
    "mmlu_pro": ("mmlu-pro", "MMLU-PRO", "knowledge"),
}
OPEN_LLM_ID = "open-llm-leaderboard-v2"

SPEC = SourceSpec(
    id="lmarena-leaderboard-csv",
    name="LMArena leaderboard snapshots and Open LLM Leaderboard v2 (llm-leaderboard-csv)",
    homepage="https://github.com/fboulnois/llm-leaderboard-csv",
    license="MPL-2.0 (repository); ratings by LMArena, Open LLM Leaderboard by Hugging Face",
    citation="LMArena (lmarena.ai) and the Hugging Face Open LLM Leaderboard v2, via "
    "fboulnois/llm-leaderboard-csv",
    remote=(
        # The online files are the latest upstream CSVs (one snapshot, no snapshot_date column).
        RemoteFile("lmsys_leaderboard_snapshots.csv", _UPSTREAM + "lmsys.csv"),
        RemoteFile("lmarena_text_snapshots.csv", _UPSTREAM + "lmarena_text.csv"),
        RemoteFile("lmarena_vision_snapshots.csv", _UPSTREAM + "lmarena_vision.csv"),
        RemoteFile("lmarena_image_snapshots.csv", _UPSTREAM + "lmarena_image.csv"),
        RemoteFile(OPEN_LLM_FILE, _UPSTREAM + "huggingface_v2.csv"),
    ),
    mirror_globs=("*.csv",),
    snapshot_date=dt.date(2025, 8, 4),
    boards="complete",
    mirror_rank=3,
)


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Arena snapshot scores, the Open LLM Leaderboard scores, and the model facts they state."""
    batch = ParsedBatch(source=raw.source)
    facts = ModelFacts()
    arenas: set[str] = set()
    for path, arena in ARENA_FILES.items():
        if path in raw.files:
            _arena_file(raw, path, arena, batch, facts)
            arenas.add(arena)
    batch.scores = unique_scores(batch.scores)
    batch.models.extend(facts.records())
    batch.benchmarks.extend(arena_benchmark(a) for a in sorted(arenas))
    if OPEN_LLM_FILE in raw.files:
        _open_llm(raw, batch)
    return batch


def _arena_file(
    raw: RawFiles, path: str, arena: str, batch: ParsedBatch, facts: ModelFacts
) -> None:
    benchmark = arena_benchmark_id(arena)
    fallback = raw.retrieved_at.date()
    dates: dict[str | None, dt.date | None] = {}
    rows = csv_rows(raw, path, ("model", "arena_score", "95_pct_ci", "votes"))
    for line, row in rows:
        where = f"{raw.source}/{path}:{line}"
        name = row["model"].strip()
        value = fnum(row["arena_score"])
        if not name or value is None:
            batch.problems.append(f"{where}: missing model name or bad arena_score")
            continue
        stamp = row.get("snapshot_date")  # absent in the online (latest-only) form
        if stamp not in dates:
            dates[stamp] = fallback if stamp is None else date(stamp)
        as_of = dates[stamp]
        if as_of is None:
            batch.problems.append(f"{where}: bad snapshot_date {stamp!r}")
            continue
        try:
            low, high = ci_bounds(value, row["95_pct_ci"])
        except ValueError as exc:
            low = high = None
            batch.problems.append(f"{where}: {exc}")
        votes = fnum(row["votes"])
        org = row.get("organization", "").strip() or None
        prov = Provenance(source=raw.source, file=path, row=line)
        batch.scores.append(
            ScoreRecord(
                name=name,
                lab=org,
                benchmark=benchmark,
                value=value,
                ci_low=low,
                ci_high=high,
                n=whole(votes),
                as_of=as_of,
                prov=prov,
            )
        )
        facts.add(name, org, row.get("license"), prov)


def _open_llm(raw: RawFiles, batch: ParsedBatch) -> None:
    path = OPEN_LLM_FILE
    tasks = [f"evaluations_{t}_normalized_score" for t in OPEN_LLM_TASKS]
    rows = csv_rows(raw, path, ("model_name", "model_average_score", *tasks))
    for line, row in rows:
        name = row["model_name"].strip()
        average = fnum(row["model_average_score"])
        if not name or average is None:
            batch.problems.append(
                f"{raw.source}/{path}:{line}: missing model_name or bad model_average_score"
            )
            continue
        as_of = date(row.get("metadata_submission_date")) or OPEN_LLM_DATA_VERSION
        setting = row.get("model_precision", "").strip() or None
        prov = Provenance(source=raw.source, file=path, row=line)
        batch.scores.append(
            ScoreRecord(
                name=name,
                benchmark=OPEN_LLM_ID,
                value=average,
                as_of=as_of,
                setting=setting,
                prov=prov,
            )
        )
        for stem, (suffix, _, _) in OPEN_LLM_TASKS.items():
            value = fnum(row[f"evaluations_{stem}_normalized_score"])
            if value is not None:
                batch.scores.append(
                    ScoreRecord(
                        name=name,
                        benchmark=f"{OPEN_LLM_ID}-{suffix}",
                        value=value,
                        as_of=as_of,
                        setting=setting,
                        prov=prov,
                    )
                )
        params = fnum(row.get("metadata_params_billions"))
        lic = row.get("metadata_hub_license", "")
        batch.models.append(
            ModelRecord(
                name=name,
                lab=name.split("/")[0] if "/" in name else None,
                open_weights=True,
                license=license_or_none(lic),
                params_total_b=params if params is not None and params > 0 else None,
                prov=prov,
            )
        )
    batch.benchmarks.append(
        Benchmark(
            id=OPEN_LLM_ID,
            name="Open LLM Leaderboard v2 (average)",
            domain="general",
            metric="score",
            scale="0-100 (normalized)",
        )
    )
    batch.benchmarks.extend(
        Benchmark(
            id=f"{OPEN_LLM_ID}-{suffix}",
            name=f"Open LLM Leaderboard v2: {title}",
            domain=domain,
            metric="score",
            scale="0-100 (normalized)",
        )
        for suffix, title, domain in OPEN_LLM_TASKS.values()
    )
