"""RULER (NVIDIA): synthetic long-context tasks at 4K to 128K tokens.

Reads ``ruler_readme_table.csv``, the README results table converted one row per model (values as
written). ``ruler_long.csv`` holds the same scores one per row and is not read (no double counting);
the wide table is used because it maps one to one onto the README. The online original is that
README; it is not parsed (see ``_tables.converted_rows``), so online update needs the mirror.

- ``ruler`` with setting = length ('4k' … '128k'); 'TBD' and '-' cells are not run, not problems.
  Averages and weighted averages are derived and not kept.
- Names: the README cell is '[Llama3.1](url) (70B)'. The link names the exact checkpoint
  ('meta-llama/Meta-Llama-3.1-70B-Instruct'; 'GLM4 (9B)' links 'THUDM/glm-4-9b-chat-1m', 'Yi (34B)'
  links 'Yi-34B-200K'), so when it is a Hugging Face repo the raw name is that repo id; otherwise
  (Gemini, GPT-4, a paper) the cell text without the link: 'Gemini-1.5-pro'. A trailing '*'
  (scores reported by the model's authors, not NVIDIA) stays in a display name, as in the README.
  The repo's organisation is the record's lab ('togethercomputer' for Together's fine-tune of
  Llama 2): a fine-tune is its publisher's model, not its base's.
- ``as_of`` is ``first_listed_in_readme``. It matches the exact link text, so renamed rows show the
  date of the current name: later than the true first listing, never earlier (no look-ahead).
- ModelRecords: params '94B/398B' are active/total; the claimed length ('128K', '1M') is the
  context window in tokens. The effective length is a RULER result, not a model fact: not kept.
"""

from __future__ import annotations

import datetime as dt
import re

from wholeads.ingest.sources._read import date
from wholeads.ingest.sources._tables import (
    Models,
    converted_rows,
    length_setting,
    length_tokens,
    params_b,
    problem,
    prov,
    value,
)
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

FILE = "ruler_readme_table.csv"
COMMIT = "c3f5e3b4f87f97e048793bb510a3a6b19a46bf3a"
SPEC = SourceSpec(
    mirror_only=True,
    id="ruler-results",
    name="RULER long-context leaderboard",
    homepage="https://github.com/NVIDIA/RULER",
    license="Apache-2.0",
    citation="Hsieh et al. 2024, 'RULER: What's the Real Context Size of Your Long-Context "
    "Language Models?' (arXiv:2404.06654), NVIDIA",
    remote=(
        RemoteFile(
            path=FILE, url=f"https://raw.githubusercontent.com/NVIDIA/RULER/{COMMIT}/README.md"
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2025, 10, 9),
)
BENCHMARK = Benchmark(
    id="ruler",
    name="RULER",
    domain="long_context",
    metric="percent",
    higher_is_better=True,
    scale="0-100 (mean accuracy over 13 tasks)",
)
LENGTHS = ("4K", "8K", "16K", "32K", "64K", "128K")
_HF_REPO_RE = re.compile(r"^https?://huggingface\.co/([^/\s]+/[^/\s#?]+)")
REQUIRED = (
    "model",
    "params",
    "claimed_length",
    "first_listed_in_readme",
    *(f"score_{length}" for length in LENGTHS),
)


def load(raw: RawFiles) -> SourceBatch:
    """Scores per model and length, and a ModelRecord (params, claimed context) per model."""
    scores: list[ScoreRecord] = []
    models = Models()
    problems: list[str] = []
    for line, row in converted_rows(raw, FILE, REQUIRED, "README.md results table"):
        link_text, params = row["model"].strip(), row["params"].strip()
        if not link_text:
            problems.append(problem(raw, FILE, line, "no model name"))
            continue
        repo = _HF_REPO_RE.match(row.get("model_url", "").strip())
        name = repo.group(1) if repo else f"{link_text} ({params})" if params else link_text
        lab = name.split("/", 1)[0] if repo else None  # the organisation that published it
        as_of = date(row["first_listed_in_readme"]) or date(row.get("table_as_of"))
        if as_of is None:
            problems.append(problem(raw, FILE, line, "no first_listed_in_readme date"))
            continue
        for length in LENGTHS:
            column = f"score_{length}"
            score = value(raw, FILE, line, row[column], column, problems)
            if score is not None:
                scores.append(
                    ScoreRecord(
                        name=name,
                        benchmark=BENCHMARK.id,
                        value=score,
                        as_of=as_of,
                        setting=length_setting(length),
                        lab=lab,
                        prov=prov(raw, FILE, line),
                    )
                )
        total, active = params_b(params)
        models.add(
            ModelRecord(
                name=name,
                lab=lab,
                kind=ModelKind.llm,
                params_total_b=total,
                params_active_b=active,
                context_window=length_tokens(row["claimed_length"]),
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
