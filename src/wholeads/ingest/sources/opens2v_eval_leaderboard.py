"""OpenS2V-Eval (PKU Yuan Group): subject-to-video generation (video from reference images).

Six verbatim leaderboard CSVs, the files the benchmark's HF-space app reads: three domains (open,
human, single subject) in versions v1.0 and v1.1. v1.1 is what the app shows and is used for the
scores (benchmark ``opens2v``, setting = domain, value = TotalScore). v1.1 changed the total
(Motion was split into smoothness and amplitude), so v1.0 totals are not comparable: a v1.0 row is
used only when its model is absent from v1.1 in that domain, with the setting '<domain>-v1.0' so it
stays apart. (On the current files every v1.0 model is also in v1.1, so none is used.)

Names come as link markup; closed models carry the API evaluation date, '[Kling1.6(20250503)](…)'.
The name is the link text without that date ('Kling1.6'). ``as_of`` is the leaderboard's last
commit date, 2025-10-21 (SOURCES.md), for every row: the date in the name is when the API was
queried, and the v1.1 totals were computed and published later, so dating scores 2025-05-03 would
look ahead.
'Evaluated by' is not kept (one row, BindWeave, was evaluated by its own team).
"""

from __future__ import annotations

import datetime as dt
import re

from wholeads.errors import DataError
from wholeads.ingest.sources._read import csv_rows, where
from wholeads.ingest.sources._tables import Models, problem, prov, split_link, value
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ModelRecord, ScoreRecord, SourceBatch

COMMIT = "ef17513123e73342edb45b896dbd500591873d95"
LEADERBOARD_AS_OF = dt.date(2025, 10, 21)  # last leaderboard commit by the upstream author
DOMAINS = {"Open-Domain": "open", "Human-Domain": "human", "Single-Domain": "single"}
VERSIONS = ("v1.1", "v1.0")
SPEC = SourceSpec(
    id="opens2v-eval-leaderboard",
    name="OpenS2V-Eval subject-to-video leaderboard",
    homepage="https://github.com/PKU-YuanGroup/OpenS2V-Nexus",
    license="Apache-2.0",
    citation="Yuan et al. 2025, 'OpenS2V-Nexus: A Detailed Benchmark and Million-Scale Dataset "
    "for Subject-to-Video Generation', PKU Yuan Group",
    remote=tuple(
        RemoteFile(
            path=f"{version}_results_{domain}.csv",
            url="https://raw.githubusercontent.com/franciszzj/OpenS2V-Nexus/"
            f"{COMMIT}/leaderboard/file_{version}/results_{domain}.csv",
        )
        for version in VERSIONS
        for domain in DOMAINS
    ),
    mirror_globs=("v1.*_results_*-Domain.csv",),
    snapshot_date=dt.date(2025, 11, 4),
)
BENCHMARK = Benchmark(
    id="opens2v",
    name="OpenS2V-Eval",
    domain="video_generation",
    metric="percent",
    higher_is_better=True,
    scale="0-100 (weighted total of automatic metrics)",
)
REQUIRED = ("Model", "Venue", "TotalScore↑")
EVAL_DATE = re.compile(r"^(?P<name>.*?)\s*\((?P<date>\d{8})\)$")
OPEN_WEIGHTS = {"open-source": True, "closed-source": False}


def load(raw: RawFiles) -> SourceBatch:
    """v1.1 totals per domain (v1.0 only for models v1.1 lacks) and a ModelRecord per model."""
    scores: list[ScoreRecord] = []
    models = Models()
    problems: list[str] = []
    for domain, setting in DOMAINS.items():
        seen: set[str] = set()
        for version in VERSIONS:
            path = f"{version}_results_{domain}.csv"
            if path not in raw.files:
                if version == "v1.1":
                    raise DataError("file is missing", file=where(raw, path))
                continue
            for line, row in csv_rows(raw, path, REQUIRED):
                name = EVAL_DATE.sub(r"\g<name>", split_link(row["Model"])[0])
                if not name:
                    problems.append(problem(raw, path, line, "no model name"))
                    continue
                if version != "v1.1" and name in seen:
                    continue
                seen.add(name)
                total = value(raw, path, line, row["TotalScore↑"], "TotalScore↑", problems)
                if total is not None:
                    scores.append(
                        ScoreRecord(
                            name=name,
                            benchmark=BENCHMARK.id,
                            value=total,
                            as_of=LEADERBOARD_AS_OF,
                            dated_by="snapshot",
                            setting=setting if version == "v1.1" else f"{setting}-{version}",
                            prov=prov(raw, path, line),
                        )
                    )
                models.add(
                    ModelRecord(
                        name=name,
                        kind=ModelKind.video_generation,
                        open_weights=OPEN_WEIGHTS.get(row["Venue"].strip().lower()),
                        prov=prov(raw, path, line),
                    )
                )
    return SourceBatch(
        source=raw.source,
        models=models.records(),
        scores=scores,
        benchmarks=[BENCHMARK],
        problems=problems,
    )
