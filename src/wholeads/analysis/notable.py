"""Notable and frontier models per ecosystem per year (Epoch's notable-models list), next to the
count of every model wholeads catalogues.

Pure. An entry is one model of the list with the countries of its organisations (ISO codes), the
names that name no country ('Multinational') and the list's frontier flag. Two definitions, both
counted:

- **single-country**: the entry counts for an ecosystem only when every country of its
  organisations maps to that ecosystem (and none is unplaced); an entry of several ecosystems
  counts for none, so the ecosystems' counts add up to at most the number of entries;
- **any participation**: the entry counts once for every ecosystem among its countries, so an
  entry made across ecosystems counts several times and the counts add up to more than the
  number of entries (by ``YearTotal.any_total - YearTotal.notable`` plus the unattributed).

Every (year, ecosystem) of the window is present, with 0 where nothing was published: a year
with no Chinese notable model is a zero, not a gap. Catalogued models (``CatalogEntry``) are
counted by release year and their lab's ecosystem; they measure wholeads' catalogue, not
notability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class NotableEntry:
    """One model of a notable-models list, as the counts need it."""

    published: dt.date | None
    countries: tuple[str, ...]
    """ISO codes of its organisations' countries."""
    unplaced: tuple[str, ...] = ()
    """Country names that name no country."""
    frontier: bool = False


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One catalogued model: its release date and its lab's ecosystem (None: unknown)."""

    released: dt.date | None
    ecosystem: str | None


@dataclass(frozen=True, slots=True)
class EcosystemYear:
    """One ecosystem's counts in one year, under both definitions."""

    year: int
    ecosystem: str
    notable_single: int
    notable_any: int
    frontier_single: int
    frontier_any: int
    catalogued: int
    """Models wholeads catalogues released that year (not a notability measure)."""


@dataclass(frozen=True, slots=True)
class YearTotal:
    """One year over all ecosystems: what the per-ecosystem counts add up to, and why."""

    year: int
    notable: int
    """Entries published that year."""
    frontier: int
    single_total: int
    """Sum of the single-country counts (each entry at most once)."""
    any_total: int
    """Sum of the any-participation counts (an entry of k ecosystems k times)."""
    multi_ecosystem: int
    """Entries whose organisations are in more than one ecosystem."""
    unattributed: int
    """Entries with no country that names a country: counted for no ecosystem at all."""
    catalogued: int
    catalogued_unplaced: int
    """Catalogued models of that year whose lab has no known country."""
    complete: bool
    """The list was captured after the year ended (else the year is partial)."""


@dataclass(frozen=True, slots=True)
class NotableCounts:
    """The counts of a window of years."""

    first_year: int
    last_year: int
    ecosystems: tuple[str, ...]
    rows: list[EcosystemYear] = field(default_factory=list)
    years: list[YearTotal] = field(default_factory=list)
    undated: int = 0
    """Entries without a publication date (outside every year)."""
    catalogued_undated: int = 0
    """Catalogued models without a release date."""


def entry_ecosystems(
    entry: NotableEntry, ecosystem_of: Callable[[str], str | None]
) -> tuple[str, ...]:
    """The distinct ecosystems of an entry's countries, in order."""
    found: list[str] = []
    for country in entry.countries:
        eco = ecosystem_of(country)
        if eco is not None and eco not in found:
            found.append(eco)
    return tuple(found)


def count_by_year(
    notable: Iterable[NotableEntry],
    catalogued: Iterable[CatalogEntry],
    ecosystem_of: Callable[[str], str | None],
    ecosystems: Sequence[str],
    first_year: int,
    last_year: int,
    as_of: dt.date | None,
) -> NotableCounts:
    """Per year of [first_year, last_year] and per ecosystem: notable and frontier entries under
    both definitions and catalogued models; per year, the totals that explain the sums."""
    if first_year > last_year:
        raise ValueError(f"first year {first_year} is after last year {last_year}")
    years = range(first_year, last_year + 1)
    keys = [(y, e) for y in years for e in ecosystems]
    cells = {k: [0, 0, 0, 0, 0] for k in keys}  # single, any, frontier single, any, catalogued
    totals = {y: [0, 0, 0, 0, 0, 0, 0, 0] for y in years}
    # notable, frontier, single, any, multi, unattributed, catalogued, catalogued unplaced
    undated = catalogued_undated = 0
    for entry in notable:
        if entry.published is None:
            undated += 1
            continue
        year = entry.published.year
        if year not in totals:
            continue
        total = totals[year]
        total[0] += 1
        total[1] += entry.frontier
        every = entry_ecosystems(entry, ecosystem_of)
        ecos = [e for e in every if (year, e) in cells]
        single = every[0] if len(every) == 1 and not entry.unplaced else None
        if single is not None and (year, single) in cells:
            cells[year, single][0] += 1
            cells[year, single][2] += entry.frontier
            total[2] += 1
        for eco in ecos:
            cells[year, eco][1] += 1
            cells[year, eco][3] += entry.frontier
        total[3] += len(ecos)
        total[4] += len(every) > 1
        total[5] += not every
    for model in catalogued:
        if model.released is None:
            catalogued_undated += 1
            continue
        year = model.released.year
        if year not in totals:
            continue
        totals[year][6] += 1
        if model.ecosystem is None:
            totals[year][7] += 1
        elif (year, model.ecosystem) in cells:
            cells[year, model.ecosystem][4] += 1
    rows = [EcosystemYear(y, e, *cells[y, e]) for y, e in keys]
    year_rows = [_year_total(y, totals[y], as_of) for y in years]
    return NotableCounts(
        first_year, last_year, tuple(ecosystems), rows, year_rows, undated, catalogued_undated
    )


def _year_total(year: int, t: list[int], as_of: dt.date | None) -> YearTotal:
    return YearTotal(
        year=year, notable=t[0], frontier=t[1], single_total=t[2], any_total=t[3],
        multi_ecosystem=t[4], unattributed=t[5], catalogued=t[6], catalogued_unplaced=t[7],
        complete=as_of is not None and as_of > dt.date(year, 12, 31),
    )  # fmt: skip
