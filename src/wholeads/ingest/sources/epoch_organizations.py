"""Epoch AI organizations: organization name -> country (ISO) and academic/government type.

Names are trimmed (the export has leading spaces). ``Country`` becomes an ISO code when it names
one country ('Hong Kong,China' -> HK); multi-country, 'Multinational', blank and unmapped names
leave the country unknown: that is data, not a problem. ``Organization categorization``:
Academia -> academic, Government -> government; Industry, 'Research collective' and mixes stay
unknown, since 'Industry' does not tell a frontier lab from big tech or a startup. An
organization with neither a country nor a type yields no record.
"""

from __future__ import annotations

import datetime as dt

from wholeads.ingest.sources._epoch import lab_type, single_country
from wholeads.ingest.sources._read import csv_rows, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import LabRecord, Provenance, SourceBatch

FILE = "organizations.csv"
CATEGORY = "Organization categorization"

SPEC = SourceSpec(
    id="epoch-organizations",
    name="Epoch AI organizations",
    homepage="https://epoch.ai/data",
    license="CC-BY-4.0 (Epoch AI data; re-published without a licence file)",
    citation="Epoch AI, organizations table of the AI Benchmarking Hub, https://epoch.ai/data",
    remote=(
        RemoteFile(
            path=FILE,
            url="https://raw.githubusercontent.com/VinodGeorge24/AI_Benchmark/"
            "d23679ec54c46e2c2af6a8e084def27c87394423/data/organizations.csv",
        ),
    ),
    mirror_globs=(FILE,),
    snapshot_date=dt.date(2025, 5, 1),
)


def load(raw: RawFiles) -> SourceBatch:
    """LabRecords of the organizations table."""
    labs: list[LabRecord] = []
    problems: list[str] = []
    for line, row in csv_rows(raw, FILE, ("Organization", "Country", CATEGORY)):
        name = row["Organization"].strip()
        if not name:
            problems.append(f"{where(raw, FILE)}:{line}: no 'Organization' name; row skipped")
            continue
        country, kind = single_country(row["Country"]), lab_type(row[CATEGORY])
        if country is None and kind is None:
            continue
        labs.append(
            LabRecord(
                name=name,
                country=country,
                type=kind,
                prov=Provenance(source=raw.source, file=FILE, row=line),
            )
        )
    return SourceBatch(source=raw.source, labs=labs, problems=problems)
