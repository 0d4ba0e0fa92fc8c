"""Shared helpers of the Epoch AI sources (ECI, benchmarking hub, notable models, organizations).

Epoch writes the same things the same way in all its exports: API-style model ids with a
reasoning-effort suffix ('o3-2025-04-16_high', 'claude-opus-4-5-20251101_32K'), 'Model
accessibility' values ('Open weights (unrestricted)', 'API access'), and comma lists of
organizations with their countries and categories. These helpers read those conventions once.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from wholeads.ingest.sources._read import country_iso, is_missing, num, split_list
from wholeads.schema import LabRecord, LabType, Provenance

# Effort / thinking-budget suffixes Epoch appends to a model id. Other underscores are part of
# the name ('Qwen-1_8B', 'phi-1_5', 'InternVL2_5-78B'), so only these words and token budgets count.
_EFFORT = re.compile(
    r"_(none|minimal|low|medium|high|xhigh|max|thinking|unknown|\d+k)$", re.IGNORECASE
)

SETTING_JOINER = "; "
"""How several setting parts are joined ('high; 5-shot'); ';' because agent names hold commas."""

_LAB_TYPES = {"academia": LabType.academic, "government": LabType.government}


def effort_setting(model_id: str) -> str | None:
    """The reasoning-effort or thinking-budget suffix of an Epoch model id, lowercased ('32k')."""
    match = _EFFORT.search(model_id.strip())
    return match.group(1).lower() if match else None


def join_setting(*parts: str | None) -> str | None:
    """Setting parts joined with SETTING_JOINER, blanks dropped; None when nothing is left."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return SETTING_JOINER.join(kept) if kept else None


def open_weights(accessibility: str) -> bool | None:
    """'Open weights (...)' -> True; API, hosted or unreleased -> False (no download); else None."""
    if is_missing(accessibility):
        return None
    value = accessibility.strip().casefold()
    if value.startswith("open weights"):
        return True
    if value.startswith(("api access", "hosted access", "unreleased")):
        return False
    return None


def billions(value: str) -> float | None:
    """A raw count ('13000000000.0', '6,000,000,000') in billions; None when missing or 0. A
    negative count is kept for the plausibility gates to reject as a problem."""
    count = num(value)
    return count / 1e9 if count else None


def positive(value: str) -> float | None:
    """A positive number (training compute in FLOP); None when missing or 0. A negative one is
    kept for the plausibility gates to reject as a problem."""
    number = num(value)
    return number if number else None


def lab_type(category: str) -> LabType | None:
    """LabType from one Epoch 'Organization categorization' value; Industry and mixes -> None.

    'Industry' does not tell frontier lab from big tech or startup, so it is left to the KB.
    """
    return _LAB_TYPES.get(category.strip().casefold())


def single_country(countries: str) -> str | None:
    """The ISO code when a country cell names exactly one known country (repeats allowed).

    For one organization, 'Hong Kong,China' is read as Hong Kong (HK): Epoch lists the region and
    its country. 'Multinational', unknown names and real multi-country cells give None.
    """
    codes = [country_iso(name) for name in split_list(countries)]
    if not codes or any(code is None for code in codes):
        return None
    distinct = set(codes)
    if distinct == {"HK", "CN"}:
        return "HK"
    return codes[0] if len(distinct) == 1 else None


def org_labs(
    organizations: str, countries: str, categories: str, prov: Provenance
) -> list[LabRecord]:
    """LabRecords for the organizations of a row, each with its country and type when unambiguous.

    A country goes to an organization when the lists pair up one to one, or when the row names a
    single distinct country (Epoch's ECI export lists each distinct country once, so one country
    means all the row's organizations are there). An organization left with neither a country nor
    a type says nothing new and gets no record.
    """
    orgs = split_list(organizations)
    if not orgs:
        return []
    names = split_list(countries)
    if len(orgs) == 1:
        codes = [single_country(countries)]
    elif len(names) == len(orgs):
        codes = [country_iso(name) for name in names]
    else:
        distinct = {country_iso(name) for name in names}
        codes = [distinct.pop() if len(distinct) == 1 else None] * len(orgs)
    cats = split_list(categories)
    types = [lab_type(c) for c in cats] if len(cats) == len(orgs) else [None] * len(orgs)
    return [
        LabRecord(name=org, country=code, type=kind, prov=prov)
        for org, code, kind in zip(orgs, codes, types, strict=True)
        if code is not None or kind is not None
    ]


def unique_labs(labs: Iterable[LabRecord]) -> list[LabRecord]:
    """One record per (name, country), merging repeats; a record without a country merges into one
    with a country. The type is the first one stated; provenance is that of the row that gave the
    country (or the first row). Conflicting countries stay as separate records for the resolver.
    """
    by_name: dict[str, list[LabRecord]] = {}
    for lab in labs:
        kept = by_name.setdefault(lab.name, [])
        for i, old in enumerate(kept):
            if lab.country is None or old.country in (None, lab.country):
                source = old if old.country is not None or lab.country is None else lab
                kept[i] = dataclasses.replace(source, type=old.type or lab.type)
                break
        else:
            kept.append(lab)
    return [lab for kept in by_name.values() for lab in kept]


def slug(text: str) -> str:
    """Lowercase slug: 'GPQA diamond' -> 'gpqa-diamond', 'Data Analysis' -> 'data-analysis'."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
