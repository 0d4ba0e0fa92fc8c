"""LongBench v2 (THU-KEG / Zhipu): multiple-choice questions over long contexts (8k-2M words).

Reads the official site's results table converted to CSV, ``longbench_v2_leaderboard.csv``. The
online original is the site's ``index.html``; it is not parsed (see ``_tables.converted_rows``),
so online update of this source needs the mirror.

- ``longbench-v2`` with setting overall, easy, hard, short, medium, long, and '-cot' twins
  (answers after chain-of-thought). Buckets are by context length in words, not tokens.
  '-' (not run: reasoning models have only CoT scores) and 'N/A' are missing, not problems.
- The 'Human' and 'Random' rows are reference points, not models: skipped, not problems.
- GPT-4o appears twice (model dates 2024-08-06 and 2024-11-20). A name that appears more than
  once gets its model date appended, 'GPT-4o (2024-08-06)', so the versions stay distinct; other
  names stay exactly as written.
- ``lab`` is the organization as shown ('Z.ai & Tsinghua' is passed raw). ``as_of`` is
  ``first_listed_on_site`` (earliest committed index.html with the row). The model date column
  is the release date of the ModelRecord.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from wholeads.ingest.sources._read import date
from wholeads.ingest.sources._tables import (
    Models,
    converted_rows,
    length_tokens,
    params_b,
    problem,
    prov,
    value,
)
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

FILE = "longbench_v2_leaderboard.csv"
COMMIT = "da2d517805c7929b6d723e69b5f6516d9f0f82e6"
SPEC = SourceSpec(
    mirror_only=True,
    id="longbench-v2-leaderboard",
    name="LongBench v2 leaderboard",
    homepage="https://longbench2.github.io/",
    license="no licence file on the site repository (LongBench code: MIT); cite LongBench v2",
    citation="Bai et al. 2024, 'LongBench v2: Towards Deeper Understanding and Reasoning on "
    "Realistic Long-context Multitasks' (arXiv:2412.15204), THU-KEG & Zhipu AI",
    remote=(
        RemoteFile(
            path=FILE,
            url=f"https://raw.githubusercontent.com/longbench2/longbench2.github.io/{COMMIT}/index.html",
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2025, 8, 29),
)
BENCHMARK = Benchmark(
    id="longbench-v2",
    name="LongBench v2",
    domain="long_context",
    metric="percent",
    higher_is_better=True,
    scale="0-100 (accuracy, 4-way multiple choice; random = 25)",
)
BUCKETS = ("overall", "easy", "hard", "short", "medium", "long")
REQUIRED = (
    "model",
    "organization",
    "date",
    "first_listed_on_site",
    *BUCKETS,
    *(f"{b}_cot" for b in BUCKETS),
)
NOT_MODELS = {"human", "random"}


def load(raw: RawFiles) -> SourceBatch:
    """Scores per model and bucket (with CoT twins), and a ModelRecord per model."""
    rows = [
        (line, row)
        for line, row in converted_rows(raw, FILE, REQUIRED, "index.html table")
        if row["model"].strip().lower() not in NOT_MODELS
    ]
    repeated = Counter(row["model"].strip() for _, row in rows)
    scores: list[ScoreRecord] = []
    models = Models()
    problems: list[str] = []
    for line, row in rows:
        name, model_date = row["model"].strip(), row["date"].strip()
        as_of = date(row["first_listed_on_site"]) or date(row.get("table_as_of"))
        if not name or as_of is None:
            what = "no model name" if not name else "no first_listed_on_site date"
            problems.append(problem(raw, FILE, line, what))
            continue
        if repeated[name] > 1 and model_date and model_date not in name:
            name = f"{name} ({model_date})"
        lab = row["organization"].strip() or None
        for bucket in BUCKETS:
            for column, setting in ((bucket, bucket), (f"{bucket}_cot", f"{bucket}-cot")):
                score = value(raw, FILE, line, row[column], column, problems)
                if score is not None:
                    scores.append(
                        ScoreRecord(
                            name=name,
                            lab=lab,
                            benchmark=BENCHMARK.id,
                            value=score,
                            as_of=as_of,
                            setting=setting,
                            prov=prov(raw, FILE, line),
                        )
                    )
        total, active = params_b(row.get("params"))
        reasoning = row.get("reasoning_model", "").strip().lower() == "yes"
        models.add(
            ModelRecord(
                name=name,
                lab=lab,
                release_date=date(model_date),
                params_total_b=total,
                params_active_b=active,
                context_window=length_tokens(row.get("context")),
                kind=ModelKind.reasoning if reasoning else ModelKind.llm,
                prov=prov(raw, FILE, line),
            )
        )
    return SourceBatch(
        source=raw.source,
        models=models.records(),
        scores=scores,
        benchmarks=[BENCHMARK],
        problems=problems,
    )
