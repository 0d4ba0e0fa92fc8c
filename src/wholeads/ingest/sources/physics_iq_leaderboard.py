"""Physics-IQ (Google DeepMind): do video models continue a physical scene plausibly?

The mirror holds the README "Leaderboard" table converted to CSV (18 rows, values as written). The
online original is that README; it is not parsed (see ``_tables.converted_rows``), so online update
of this source needs the mirror.

Settings keep apart what is not comparable: ``input_type`` (single-frame 'i2v' vs 'multiframe-v2v'
conditioning), and best-of-N rows ('Magi-1 + WMReward (BoN)': a reward model picks the best of N
samples), which get a '-best-of-n' suffix so they are never taken as plain model results. Their
names stay raw and they get no ModelRecord, since they are not models.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._read import date, is_missing
from wholeads.ingest.sources._tables import Models, converted_rows, problem, prov, value
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

FILE = "physics_iq_leaderboard.csv"
COMMIT = "e457754f7d5b7cc3820362c89e3cb0757da3e990"
SPEC = SourceSpec(
    mirror_only=True,
    id="physics-iq-leaderboard",
    name="Physics-IQ benchmark leaderboard",
    homepage="https://github.com/google-deepmind/physics-IQ-benchmark",
    license="Apache-2.0 (code); CC-BY-4.0 (other materials)",
    citation="Motamed et al. 2025, 'Do generative video models understand physical principles?' "
    "(arXiv:2501.09038), Google DeepMind",
    remote=(
        RemoteFile(
            path=FILE,
            url="https://raw.githubusercontent.com/google-deepmind/physics-IQ-benchmark/"
            f"{COMMIT}/README.md",
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2026, 4, 16),
)
BENCHMARK = Benchmark(
    id="physics-iq",
    name="Physics-IQ",
    domain="video_generation",
    metric="percent",
    higher_is_better=True,
    scale="0-100 (100 = as consistent as two real takes of the scene)",
)
REQUIRED = ("model", "input_type", "physics_iq_score_pct", "date_added")
BEST_OF_N_MARKERS = ("(BoN)", "WMReward")


def load(raw: RawFiles) -> SourceBatch:
    """Scores (setting = input type, best-of-N marked) and a video-generation ModelRecord each."""
    scores: list[ScoreRecord] = []
    models = Models()
    problems: list[str] = []
    for line, row in converted_rows(raw, FILE, REQUIRED, "README.md leaderboard table"):
        name = row["model"].strip()
        if not name:
            problems.append(problem(raw, FILE, line, "no model name"))
            continue
        as_of = date(row["date_added"])
        if as_of is None:
            problems.append(problem(raw, FILE, line, f"bad date_added {row['date_added']!r}"))
            continue
        score = value(
            raw, FILE, line, row["physics_iq_score_pct"], "physics_iq_score_pct", problems
        )
        if score is None:
            continue
        if is_missing(row["input_type"]):
            problems.append(problem(raw, FILE, line, "no input_type (i2v or multiframe)"))
            continue
        best_of_n = any(marker in name for marker in BEST_OF_N_MARKERS)
        setting = _setting(row["input_type"]) + ("-best-of-n" if best_of_n else "")
        scores.append(
            ScoreRecord(
                name=name,
                benchmark=BENCHMARK.id,
                value=score,
                as_of=as_of,
                setting=setting,
                prov=prov(raw, FILE, line),
            )
        )
        if not best_of_n:
            models.add(
                ModelRecord(name=name, kind=ModelKind.video_generation, prov=prov(raw, FILE, line))
            )
    return SourceBatch(
        source=raw.source,
        models=models.records(),
        scores=scores,
        benchmarks=[BENCHMARK],
        problems=problems,
    )


def _setting(input_type: str) -> str:
    """'i2v' -> 'i2v'; 'multiframe (v2v)' -> 'multiframe-v2v'."""
    words = input_type.replace("(", " ").replace(")", " ").split()
    return "-".join(word.lower() for word in words)
