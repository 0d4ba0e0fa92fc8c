"""Epoch AI "Notable AI Models": model facts (date, lab, size, compute, access) and lab countries.

No scores. ``Model`` loses its stray trailing newlines; ``Organization`` stays raw (comma lists
included) for the resolver. ``Parameters`` is a raw count turned into billions. ``kind`` is set
only where the tasks say it without doubt: video or image generation with no language task
(Veo, Sora, Imagen); everything else is left to the knowledge base. Each organization gets a
LabRecord with its country (and academic/government type) when the row's lists pair up one to
one. Publication dates before 1990 (perceptrons, 1950s systems) are read as unknown by the shared
date reader; those models are irrelevant to who leads today.

Each row is also kept whole as a NotableRecord (its countries as ISO codes, Epoch's 'Frontier
model' flag and its notability criteria, its publication date however old), for the notable
models per ecosystem per year. The flag column holds 'True' or nothing; anything else is a
problem naming the line.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._epoch import billions, open_weights, org_labs, positive, unique_labs
from wholeads.ingest.sources._read import country_iso, csv_rows, date, split_list, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import (
    LabRecord,
    ModelKind,
    ModelRecord,
    NotableRecord,
    Provenance,
    SourceBatch,
)

FILE = "notable_ai_models.csv"
COUNTRY = "Country (of organization)"
CATEGORY = "Organization categorization"
FRONTIER = "Frontier model"
CRITERIA = "Notability criteria"
REQUIRED = ("Model", "Organization", "Publication date", COUNTRY, "Model accessibility", FRONTIER)

VIDEO_TASKS = frozenset({"Video generation", "Text-to-video", "Image-to-video", "Video-to-video"})
IMAGE_TASKS = frozenset({"Image generation", "Text-to-image", "Image-to-image"})
# Tasks a video generator may list besides video ones (Veo 3 makes sound; NÜWA makes images too).
VIDEO_EXTRAS = IMAGE_TASKS | {"Audio generation"}

SPEC = SourceSpec(
    id="epoch-notable-models",
    name="Epoch AI Notable AI Models",
    homepage="https://epoch.ai/data/notable-ai-models",
    license="CC-BY-4.0",
    citation="Epoch AI, 'Data on Notable AI Models', https://epoch.ai/data/notable-ai-models",
    remote=(
        # Verbatim Epoch download (accessed 2026-01-26) kept in a public repository.
        RemoteFile(
            path=FILE,
            url="https://raw.githubusercontent.com/mxschons/sobe-2025-data-repository/"
            "6e8fd472308cd958cbbf50ca4339b7b3da6f6815/data/external/epoch-ai/notable-ai-models.csv",
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2026, 1, 26),
)


def load(raw: RawFiles) -> SourceBatch:
    """ModelRecords, LabRecords and NotableRecords of the notable-models table."""
    models: list[ModelRecord] = []
    notable: list[NotableRecord] = []
    labs: list[LabRecord] = []
    problems: list[str] = []
    for line, row in csv_rows(raw, FILE, REQUIRED):
        name = row["Model"].strip()
        if not name:
            problems.append(f"{where(raw, FILE)}:{line}: no 'Model' name; row skipped")
            continue
        prov = Provenance(source=raw.source, file=FILE, row=line)
        models.append(
            ModelRecord(
                name=name,
                lab=row["Organization"].strip() or None,
                release_date=date(row["Publication date"]),
                open_weights=open_weights(row["Model accessibility"]),
                params_total_b=billions(row.get("Parameters", "")),
                training_compute_flop=positive(row.get("Training compute (FLOP)", "")),
                kind=kind(row.get("Task", "")),
                prov=prov,
            )
        )
        labs.extend(org_labs(row["Organization"], row[COUNTRY], row.get(CATEGORY, ""), prov))
        flag = row.get(FRONTIER, "").strip()
        if flag not in ("", "True"):
            problems.append(
                f"{where(raw, FILE)}:{line}: '{FRONTIER}' is {flag!r}, not 'True' or blank; "
                "read as not flagged"
            )
        notable.append(notable_record(name, row, flag == "True", prov))
    return SourceBatch(
        source=raw.source,
        models=models,
        labs=unique_labs(labs),
        notable=notable,
        problems=problems,
    )


def notable_record(
    name: str, row: dict[str, str], frontier: bool, prov: Provenance
) -> NotableRecord:
    """The row as a notable entry: each distinct country as its ISO code (names that are no
    country, such as 'Multinational', kept apart as written)."""
    codes: list[str] = []
    unplaced: list[str] = []
    for country in split_list(row[COUNTRY]):
        code = country_iso(country)
        if code is None:
            unplaced.append(country)
        elif code not in codes:
            codes.append(code)
    return NotableRecord(
        name=name,
        organization=row["Organization"].strip() or None,
        published=published(row["Publication date"]),
        countries=tuple(codes),
        unplaced=tuple(unplaced),
        frontier=frontier,
        criteria=tuple(split_list(row.get(CRITERIA, ""))),
        prov=prov,
    )


def published(text: str) -> dt.date | None:
    """The publication date as Epoch writes it (ISO), however old: the notable list counts its
    1950s systems too. Another form is read by the shared (lenient) reader."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return date(text)


def kind(tasks: str) -> ModelKind | None:
    """Video or image generation when every task of the model is a generation task of that kind."""
    names = set(split_list(tasks))
    if not names:
        return None
    if names & VIDEO_TASKS and names <= VIDEO_TASKS | VIDEO_EXTRAS:
        return ModelKind.video_generation
    if names <= IMAGE_TASKS:
        return ModelKind.image_generation
    return None
