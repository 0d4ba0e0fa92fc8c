"""HELMET (Princeton NLP): long-context evaluation at five input lengths, seven task categories.

Reads the verbatim per-length tables of the project site, ``agg_results_{8k..128k}.csv``:
``helmet`` with setting = length ('128k') and value = Average, plus ``helmet-<category>`` (recall,
rag, icl, cite, re-rank, longqa, summ). The derived ``helmet_long.csv`` repeats the same numbers
and is not read (no double counting). ``agg_results_2025-03-04.csv`` is the older single-length
(128k) table: only its models that the newer tables dropped are used, dated 2025-03-04.

Dates: the newer tables carry none. Their commits are newer than the last fetchable site state
(2025-04-10), and their rows are the 2024-10 paper results plus Llama-4 and Gemma-3 added in April
2025, so they are dated 2025-04-10 (SOURCES.md). Rows of the 128k table missing from the 8k table
were added by the later 128k-only commit (MiniCPM-SALA, a 2026 model): dating them 2025-04-10 would
look ahead, so they get the latest date this mirror batch is known to postdate, 2026-04-17 (its
newest data: the lmarena video leaderboards of 2026-04-17).

Parameters: '?' is unknown. The newer tables list active parameters for mixture-of-experts
models (Qwen2-57B and Jamba were 57 and 52 in the older table, 14 and 12 now): when the older table
states a larger count, that is the total and the newer one the active count; Llama-4-17B lists
active parameters only. 'θ' rows (Llama-3 with a changed RoPE theta) keep their raw names.
"""

from __future__ import annotations

import datetime as dt

from wholeads.errors import DataError
from wholeads.ingest.sources._read import csv_rows, num, where
from wholeads.ingest.sources._tables import Models, length_tokens, problem, prov, value
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

LENGTHS = ("128k", "8k", "16k", "32k", "64k")  # 128k first: it has every model of the site
OLD_FILE = "agg_results_2025-03-04.csv"
SITE_AS_OF = dt.date(2025, 4, 10)
LATE_ROWS_AS_OF = dt.date(2026, 4, 17)
OLD_AS_OF = dt.date(2025, 3, 4)
COMMITS = {"128k": "53791058a16d705b990fc52135671fe901179606"}
COMMIT_8K_64K = "ce6639d1774c3526e4a52c9c2160967aa6c1d4c0"
OLD_COMMIT = "67a9f8d2f5002e53bbc6d8facdcfbe073177d395"
RAW = "https://raw.githubusercontent.com/princeton-nlp/HELMET"
SPEC = SourceSpec(
    id="helmet-results",
    name="HELMET long-context results",
    homepage="https://princeton-nlp.github.io/HELMET/",
    license="MIT",
    citation="Yen et al. 2025, 'HELMET: How to Evaluate Long-Context Language Models Effectively "
    "and Thoroughly' (ICLR 2025), Princeton NLP",
    remote=(
        *(
            RemoteFile(
                path=f"agg_results_{length}.csv",
                url=f"{RAW}/{COMMITS.get(length, COMMIT_8K_64K)}/data/agg_results_{length}.csv",
            )
            for length in LENGTHS
        ),
        RemoteFile(path=OLD_FILE, url=f"{RAW}/{OLD_COMMIT}/data/agg_results.csv"),
    ),
    mirror_globs=("agg_results_*.csv",),
    snapshot_date=dt.date(2026, 4, 17),
)
CATEGORIES = ("Recall", "RAG", "ICL", "Cite", "Re-rank", "LongQA", "Summ")
REQUIRED = ("Model", "Context Window (K)", "# Params (B)", "Average", *CATEGORIES)
ACTIVE_ONLY_PREFIXES = ("Llama-4-",)  # Llama 4: the 17B listed is the active count
BENCHMARKS = [
    Benchmark(
        id="helmet",
        name="HELMET (average of 7 categories)",
        domain="long_context",
        metric="score",
        higher_is_better=True,
        scale="0-100",
    ),
    *(
        Benchmark(
            id=f"helmet-{c.lower()}",
            name=f"HELMET {c}",
            domain="long_context",
            metric="score",
            higher_is_better=True,
            scale="0-100",
        )
        for c in CATEGORIES
    ),
]


def load(raw: RawFiles) -> SourceBatch:
    """Scores per model, length and category, and a ModelRecord per model."""
    problems: list[str] = []
    tables = {length: _rows(raw, f"agg_results_{length}.csv", problems) for length in LENGTHS}
    old = _rows(raw, OLD_FILE, problems) if OLD_FILE in raw.files else {}
    in_8k = set(tables["8k"])
    scores: list[ScoreRecord] = []
    models = Models()
    for length, rows in tables.items():
        path = f"agg_results_{length}.csv"
        for name, (line, row) in rows.items():
            as_of = SITE_AS_OF if name in in_8k else LATE_ROWS_AS_OF
            scores += _scores(raw, path, line, row, name, length, as_of, problems)
            models.add(_model(raw, path, line, row, name, old.get(name)))
    newer = set(tables["128k"])
    for name, (line, row) in old.items():
        if name not in newer:
            scores += _scores(raw, OLD_FILE, line, row, name, "128k", OLD_AS_OF, problems)
            models.add(_model(raw, OLD_FILE, line, row, name, None))
    return SourceBatch(
        source=raw.source,
        models=models.records(),
        scores=scores,
        benchmarks=BENCHMARKS,
        problems=problems,
    )


def _rows(raw: RawFiles, path: str, problems: list[str]) -> dict[str, tuple[int, dict[str, str]]]:
    """Rows by model name (a repeated name is a problem); a missing table is a DataError."""
    if path not in raw.files:
        raise DataError("file is missing", file=where(raw, path))
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for line, row in csv_rows(raw, path, REQUIRED):
        name = row["Model"].strip()
        if not name:
            problems.append(problem(raw, path, line, "no model name"))
            continue
        if "♭" in row.get("Model type", "") and "base" not in name.casefold():
            # The table marks base checkpoints in its own column ('Llama-3.1-8B' is the base
            # model here, not the instruct one other sources call that): say so in the name.
            name = f"{name} (base)"
        if name in rows:
            problems.append(problem(raw, path, line, f"model {name!r} repeated; first row kept"))
            continue
        rows[name] = (line, row)
    return rows


def _scores(
    raw: RawFiles,
    path: str,
    line: int,
    row: dict[str, str],
    name: str,
    length: str,
    as_of: dt.date,
    problems: list[str],
) -> list[ScoreRecord]:
    out = []
    for column in ("Average", *CATEGORIES):
        score = value(raw, path, line, row[column], column, problems)
        if score is not None:
            benchmark = "helmet" if column == "Average" else f"helmet-{column.lower()}"
            out.append(
                ScoreRecord(
                    name=name,
                    benchmark=benchmark,
                    value=score,
                    as_of=as_of,
                    setting=length,
                    prov=prov(raw, path, line),
                )
            )
    return out


def _model(
    raw: RawFiles,
    path: str,
    line: int,
    row: dict[str, str],
    name: str,
    old: tuple[int, dict[str, str]] | None,
) -> ModelRecord:
    listed = num(row["# Params (B)"])
    older = num(old[1]["# Params (B)"]) if old else None
    total, active = listed, None
    if listed is not None and older is not None and older > listed:
        total, active = older, listed
    elif name.startswith(ACTIVE_ONLY_PREFIXES):
        total, active = None, listed
    return ModelRecord(
        name=name,
        kind=ModelKind.llm,
        params_total_b=total,
        params_active_b=active,
        context_window=length_tokens(f"{row['Context Window (K)'].strip()}K"),
        prov=prov(raw, path, line),
    )
