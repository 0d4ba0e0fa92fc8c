"""Epoch Capabilities Index (ECI): one general-capability score per model version.

Choices, documented here because they shape every chart that uses the ECI:

- ``as_of`` is the model's ``Release date``. The ECI is a fit over benchmark results that Epoch
  re-estimates as results arrive, and the export carries no date of the fit; the release date is
  the earliest date from which the model's capability was observable. A scored row without a
  release date cannot be placed in time and becomes a problem.
- ``name`` is ``Model version`` exactly as written, variant suffix included
  ('gpt-5.4-2026-03-05_xhigh'); the suffix is also the ``setting`` ('xhigh', '32k').
- ``lab`` is the raw ``Organization`` cell, comma lists included ('Z.ai (Zhipu AI),Tsinghua
  University'): the resolver decides what a joint release counts as. Each organization also gets a
  LabRecord with its country when the row pairs them unambiguously.
- ``Confidence`` is Epoch's confidence in the row's training-compute estimate ('Confident',
  'Likely', 'Speculative', 'Unknown'). 'Unverified' marks fresh rows Epoch has not reviewed (the
  site shows them with a '*'); their score is flagged by adding 'unverified' to the setting
  ('high; unverified'), so a leader chart can leave provisional numbers out.
- Rows without an ECI score (older or unevaluated models) still yield ModelRecords.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._epoch import (
    effort_setting,
    join_setting,
    open_weights,
    org_labs,
    positive,
    unique_labs,
)
from wholeads.ingest.sources._read import csv_rows, date, is_missing, num, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec, observed_on
from wholeads.schema import (
    Benchmark,
    LabRecord,
    ModelRecord,
    Provenance,
    ScoreRecord,
    SourceBatch,
)

FILE = "epoch_capabilities_index.csv"
BENCHMARK = Benchmark(
    id="epoch-eci",
    name="Epoch Capabilities Index",
    domain="general",
    metric="score",
    higher_is_better=True,
    scale="ECI (IRT capability scale stitched over 40+ benchmarks)",
)
REQUIRED = ("Model version", "ECI Score", "Release date", "Organization", "Country")

SPEC = SourceSpec(
    id="epoch-eci",
    name="Epoch Capabilities Index",
    homepage="https://epoch.ai/eci",
    license="CC-BY-4.0 (Epoch AI data; re-published without a licence file)",
    citation="Epoch AI, 'Epoch Capabilities Index', https://epoch.ai/eci",
    remote=(
        RemoteFile(
            path=FILE,
            url="https://raw.githubusercontent.com/peterhurford/metr_graph/"
            "dde102f52788969e5e4c75bd75151786f50e541f/epoch_capabilities_index.csv",
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2026, 4, 10),
)


def load(raw: RawFiles) -> SourceBatch:
    """Scores, model facts and organization countries from the ECI export."""
    models: list[ModelRecord] = []
    scores: list[ScoreRecord] = []
    labs: list[LabRecord] = []
    problems: list[str] = []
    # The export states no date for its index values (they are re-estimated at each export):
    # they count from the day the file was captured, never from the model's release.
    observed = observed_on(SPEC, raw)
    for line, row in csv_rows(raw, FILE, REQUIRED):
        here = f"{where(raw, FILE)}:{line}"
        name = row["Model version"].strip()
        if not name:
            problems.append(f"{here}: no 'Model version'; row skipped")
            continue
        prov = Provenance(source=raw.source, file=FILE, row=line)
        org = row["Organization"].strip() or None
        released = date(row["Release date"])
        models.append(
            ModelRecord(
                name=name,
                lab=org,
                family=row.get("Model name", "").strip() or None,
                release_date=released,
                open_weights=open_weights(row.get("Model accessibility", "")),
                training_compute_flop=positive(row.get("Training compute (FLOP)", "")),
                prov=prov,
            )
        )
        labs.extend(org_labs(row["Organization"], row["Country"], "", prov))
        if is_missing(row["ECI Score"]):
            continue
        value = num(row["ECI Score"])
        if value is None:
            problems.append(f"{here}: ECI Score {row['ECI Score']!r} is not a number")
            continue
        if released is None:
            problems.append(f"{here}: ECI score of {name!r} has no Release date; score skipped")
            continue
        unverified = "unverified" if row.get("Confidence", "").strip() == "Unverified" else None
        scores.append(
            ScoreRecord(
                name=name,
                lab=org,
                benchmark=BENCHMARK.id,
                value=value,
                as_of=observed,
                dated_by="snapshot",
                setting=join_setting(effort_setting(name), unverified),
                prov=prov,
            )
        )
    return SourceBatch(
        source=raw.source,
        observed=observed,
        models=models,
        scores=scores,
        labs=unique_labs(labs),
        benchmarks=[BENCHMARK] if scores else [],
        problems=problems,
    )
