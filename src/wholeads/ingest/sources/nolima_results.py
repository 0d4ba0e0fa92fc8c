"""NoLiMa (Adobe Research): needle-in-a-haystack without literal matches, 1K to 32K tokens.

Reads the two README tables converted to CSV, ``nolima_main_table.csv`` and
``nolima_hard_table.csv``. ``nolima_long.csv`` repeats the same scores one per row and is not read
(no double counting). The online original is the README; it is not parsed (see
``_tables.converted_rows``), so online update of this source needs the mirror.

- ``nolima``: setting = length ('1k' … '32k'), and 'base' for the base score (the short-context
  accuracy the lengths are compared with).
- ``nolima-hard``: setting = length plus the chain-of-thought variant ('4k-cot', '4k-no-cot'); the
  reasoning models have no variant ('4k').
- Pending cells (⏳: Llama 4 Maverick at 8K-32K was still running) are empty: skipped, not problems.
- ``as_of`` is ``first_listed_in_readme`` (2025-02-19 or the 2025-04-10 update).
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._read import date
from wholeads.ingest.sources._tables import (
    Models,
    converted_rows,
    length_setting,
    length_tokens,
    problem,
    prov,
    value,
)
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

MAIN, HARD = "nolima_main_table.csv", "nolima_hard_table.csv"
COMMIT = "7532e4eebf095c5540dc256900a63968da58a9d0"
README = f"https://raw.githubusercontent.com/adobe-research/NoLiMa/{COMMIT}/README.md"
SPEC = SourceSpec(
    mirror_only=True,
    id="nolima-results",
    name="NoLiMa long-context results",
    homepage="https://github.com/adobe-research/NoLiMa",
    license="Adobe Research License (non-commercial research use)",
    citation="Modarressi et al. 2025, 'NoLiMa: Long-Context Evaluation Beyond Literal Matching' "
    "(ICML 2025), Adobe Research",
    remote=(RemoteFile(path=MAIN, url=README), RemoteFile(path=HARD, url=README)),
    mirror_globs=(MAIN, HARD),
    snapshot_date=dt.date(2025, 5, 5),
)
BENCHMARKS = [
    Benchmark(
        id="nolima",
        name="NoLiMa",
        domain="long_context",
        metric="percent",
        higher_is_better=True,
        scale="0-100 (accuracy)",
    ),
    Benchmark(
        id="nolima-hard",
        name="NoLiMa-Hard",
        domain="long_context",
        metric="percent",
        higher_is_better=True,
        scale="0-100 (accuracy)",
    ),
]
MAIN_LENGTHS = ("1K", "2K", "4K", "8K", "16K", "32K")
HARD_LENGTHS = ("4K", "8K", "16K", "32K")
VARIANTS = {"w/ cot": "cot", "w/o cot": "no-cot", "": ""}
REASONING_GROUP = "reasoning models"


def load(raw: RawFiles) -> SourceBatch:
    """Scores of both tables, and a ModelRecord (claimed context window) per model."""
    scores: list[ScoreRecord] = []
    models = Models()
    problems: list[str] = []
    required = (
        "model",
        "claimed_length",
        "base_score",
        "first_listed_in_readme",
        *(f"score_{n}" for n in MAIN_LENGTHS),
    )
    for line, row in converted_rows(raw, MAIN, required, "README.md results table"):
        named = _name_and_date(raw, MAIN, line, row, problems)
        if named is None:
            continue
        name, as_of = named
        scores += _scores(raw, MAIN, line, row, name, as_of, "nolima", MAIN_LENGTHS, "", problems)
        models.add(
            ModelRecord(
                name=name,
                kind=ModelKind.llm,
                context_window=length_tokens(row["claimed_length"]),
                prov=prov(raw, MAIN, line),
            )
        )
    required = (
        "group",
        "model",
        "variant",
        "base_score",
        "first_listed_in_readme",
        *(f"score_{n}" for n in HARD_LENGTHS),
    )
    for line, row in converted_rows(raw, HARD, required, "README.md NoLiMa-Hard table"):
        named = _name_and_date(raw, HARD, line, row, problems)
        variant = VARIANTS.get(row["variant"].strip().lower())
        if named is None:
            continue
        name, as_of = named
        if variant is None:
            problems.append(problem(raw, HARD, line, f"unknown variant {row['variant']!r}"))
            continue
        scores += _scores(
            raw, HARD, line, row, name, as_of, "nolima-hard", HARD_LENGTHS, variant, problems
        )
        reasoning = row["group"].strip().lower() == REASONING_GROUP
        models.add(
            ModelRecord(
                name=name,
                kind=ModelKind.reasoning if reasoning else ModelKind.llm,
                prov=prov(raw, HARD, line),
            )
        )
    return SourceBatch(
        source=raw.source,
        models=models.records(),
        scores=scores,
        benchmarks=BENCHMARKS,
        problems=problems,
    )


def _name_and_date(
    raw: RawFiles, path: str, line: int, row: dict[str, str], problems: list[str]
) -> tuple[str, dt.date] | None:
    name, as_of = row["model"].strip(), date(row["first_listed_in_readme"])
    if not name or as_of is None:
        what = "no model name" if not name else "no first_listed_in_readme date"
        problems.append(problem(raw, path, line, what))
        return None
    return name, as_of


def _scores(
    raw: RawFiles,
    path: str,
    line: int,
    row: dict[str, str],
    name: str,
    as_of: dt.date,
    benchmark: str,
    lengths: tuple[str, ...],
    variant: str,
    problems: list[str],
) -> list[ScoreRecord]:
    suffix = f"-{variant}" if variant else ""
    columns = [("base_score", "base" + suffix)]
    columns += [(f"score_{n}", length_setting(n) + suffix) for n in lengths]
    out = []
    for column, setting in columns:
        score = value(raw, path, line, row[column], column, problems)
        if score is not None:
            out.append(
                ScoreRecord(
                    name=name,
                    benchmark=benchmark,
                    value=score,
                    as_of=as_of,
                    setting=setting,
                    prov=prov(raw, path, line),
                )
            )
    return out
