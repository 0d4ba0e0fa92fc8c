"""VideoPhy and VideoPhy-2 (UCLA / Google): physical commonsense of text-to-video models.

The mirror holds one CSV converted from two READMEs (VideoPhy human and automatic tables,
VideoPhy-2 human table). The online originals are those READMEs; they are not parsed (see
``_tables.converted_rows``), so online update of this source needs the mirror.

- ``videophy``, setting 'human': joint share of videos rated semantically adherent (SA=1) and
  physically commonsensical (PC=1) by people; setting 'auto': the VideoCon-Physics judge's average.
  The two are on different scales and must not be compared.
- ``videophy-2``: joint score on all prompts (no setting) and on the hard subset (setting 'hard').
- 'OpenAI Sora*' keeps its asterisk: Sora was rated by hand on a 60-prompt subset only, so its
  VideoPhy-2 score is less comparable; the resolver strips the marker when matching names.

``as_of`` is ``first_listed_in_readme`` (first README version with the row), else the table date.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._read import date
from wholeads.ingest.sources._tables import Models, converted_rows, problem, prov, value
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

FILE = "videophy_leaderboards.csv"
COMMIT = "01d366c979e4a82875852adbf427ccc036e7373a"
SPEC = SourceSpec(
    mirror_only=True,
    id="videophy-leaderboard",
    name="VideoPhy and VideoPhy-2 leaderboards",
    homepage="https://github.com/Hritikbansal/videophy",
    license="MIT",
    citation="Bansal et al. 2024, 'VideoPhy: Evaluating Physical Commonsense for Video Generation' "
    "(arXiv:2406.03520); Bansal et al. 2025, 'VideoPhy-2: A Challenging Action-Centric "
    "Physical Commonsense Evaluation in Video Generation'",
    # The converted CSV merges README.md and VIDEOPHY2/README.md; the online path fetches the main
    # README only (and reports it as not parseable): update this source from the mirror.
    remote=(
        RemoteFile(
            path=FILE,
            url=f"https://raw.githubusercontent.com/Hritikbansal/videophy/{COMMIT}/README.md",
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2026, 1, 29),
)
BENCHMARKS = (
    Benchmark(
        id="videophy",
        name="VideoPhy",
        domain="video_generation",
        metric="percent",
        higher_is_better=True,
        scale="0-100 (share of videos; 'human' and 'auto' settings differ in scale)",
    ),
    Benchmark(
        id="videophy-2",
        name="VideoPhy-2",
        domain="video_generation",
        metric="percent",
        higher_is_better=True,
        scale="0-100 (share of videos, human ratings)",
    ),
)
REQUIRED = (
    "benchmark",
    "evaluation",
    "model",
    "source_type",
    "joint_SA1_PC1_pct",
    "avg_pct",
    "joint_all_pct",
    "joint_hard_pct",
    "first_listed_in_readme",
)
# (benchmark column, evaluation starts with) -> [(value column, benchmark id, setting)]
TABLES: dict[tuple[str, str], list[tuple[str, str, str | None]]] = {
    ("VideoPhy", "human"): [("joint_SA1_PC1_pct", "videophy", "human")],
    ("VideoPhy", "auto"): [("avg_pct", "videophy", "auto")],
    ("VideoPhy-2", "human"): [
        ("joint_all_pct", "videophy-2", None),
        ("joint_hard_pct", "videophy-2", "hard"),
    ],
}
OPEN_WEIGHTS = {"open": True, "closed": False}


def load(raw: RawFiles) -> SourceBatch:
    """Scores of the three tables and a ModelRecord per model (open weights when stated)."""
    scores: list[ScoreRecord] = []
    models = Models()
    problems: list[str] = []
    for line, row in converted_rows(raw, FILE, REQUIRED, "README.md leaderboard tables"):
        name = row["model"].strip()
        table = TABLES.get((row["benchmark"].strip(), row["evaluation"].split(" ")[0].strip()))
        as_of = date(row["first_listed_in_readme"]) or date(row.get("table_as_of"))
        if not name or table is None or as_of is None:
            what = (
                "no model name"
                if not name
                else (
                    f"unknown table {row['benchmark']!r}/{row['evaluation']!r}"
                    if table is None
                    else "no first_listed_in_readme or table_as_of date"
                )
            )
            problems.append(problem(raw, FILE, line, what))
            continue
        for column, benchmark, setting in table:
            score = value(raw, FILE, line, row[column], column, problems)
            if score is not None:
                scores.append(
                    ScoreRecord(
                        name=name,
                        benchmark=benchmark,
                        value=score,
                        as_of=as_of,
                        setting=setting,
                        prov=prov(raw, FILE, line),
                    )
                )
        models.add(
            ModelRecord(
                name=name,
                kind=ModelKind.video_generation,
                open_weights=OPEN_WEIGHTS.get(row["source_type"].strip().lower()),
                prov=prov(raw, FILE, line),
            )
        )
    return SourceBatch(
        source=raw.source,
        models=models.records(),
        scores=scores,
        benchmarks=list(BENCHMARKS),
        problems=problems,
    )
