"""What checking a claims file costs, priced before any claim is judged, so a request that would
cost too much is refused before it spends the CPU.

Pure: the checker passes the parsed claims (prices need no name resolved) and the database's
sizes (``Sizes``, a few counts per benchmark and per model attribute). A claim's price follows
what its verdict reads:

=============================  ========================================================
claim                          price (cost units)
=============================  ========================================================
fact                           CLAIM
compare on a model field       CLAIM + per group side: MEMBERS x models in the database
                               (+ PRICES when the field is a price)
leader, compare on a domain    CLAIM + every evidence entry of the domain at the date
                               (``select``: its rows scanned, its points built)
trend                          CLAIM + every entry's history over the window (``history``:
                               a step per board, per day or per month in the window), once
                               per window; the first history over a benchmark also builds a
                               point per row (POINT x rows, once: points are kept)
first read of each benchmark   READ_ROW x its rows (once per file)
=============================  ========================================================

A unit is about one millisecond of CPU on the 2-core development machine, and the price is an
upper bound rather than a guess: the coefficients below were measured there, rounded up, and a
price counts every evidence entry of a domain, where a verdict often stops at the first that
compares both sides (``bench/bench_check.py`` prints prices next to measured CPU: checks took
40-70% of their price, more under load). So every claim's cost is bounded by the database's
size, and a file's by the sum of its claims.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wholeads.claims.format import (
    MODEL_FIELDS,
    Claim,
    CompareClaim,
    FactClaim,
    LeaderClaim,
    PolicyClaim,
    Side,
)
from wholeads.errors import BudgetError
from wholeads.kb.domains import DomainSpec, EvidenceSpec

CLAIM = 3.0
"""Resolving, judging and explaining one claim, with one fact query."""
MEMBERS = 0.005
"""Per model in the database, for each group side of a compare (members are filtered in memory)."""
PRICES = 3.0
"""One query for the prices in force of a group of models."""
ATTRIBUTE = 12.0
"""One query for a model attribute used as evidence (context windows, training compute)."""
ENTRY = 1.0
"""Selecting one evidence entry, or walking one history, before its rows."""
SCAN = 0.00015
"""Per score row of a benchmark, scanned by a selection (vectorized)."""
POINT = 0.006
"""Per point built (one model's value); a reader keeps them, so a row is built once."""
POINT_REF = 0.0002
"""Per point a history state of a model attribute holds (every model available by then)."""
BOARD = 0.15
"""Per board of an arena history (its best row per model)."""
DAY = 0.15
"""Per state of a static benchmark's history (each model's newest score that day)."""
READ_ROW = 0.006
"""Per score row read from the database the first time a benchmark is used."""


@dataclass(frozen=True)
class BenchmarkSize:
    """What a selection over one benchmark touches."""

    rows: int
    """Usable score rows (a selection scans them all)."""
    models: int
    """Distinct models with a score (the most points one selection builds)."""
    days: tuple[dt.date, ...] = ()
    """Sorted days a score became usable: a static benchmark's history has a state per day."""
    boards: tuple[dt.date, ...] = ()
    """Sorted board dates of its arena series: an arena history has a state per board."""


@dataclass(frozen=True)
class Sizes:
    """The database's sizes the prices need (read once per check, or once per server)."""

    models: int
    """Models in the database."""
    benchmarks: Mapping[str, BenchmarkSize]
    attributes: Mapping[str, BenchmarkSize] = field(default_factory=dict)
    """Model attributes used as evidence (context window, training compute): models with a
    value and the days they became available."""


@dataclass(frozen=True)
class Estimate:
    """A claims file's price: the total and each claim's share, in cost units."""

    total: float
    claims: tuple[tuple[str, float], ...]
    """(claim id, price) in file order; first reads are in the total only."""
    reads: float
    """The first read of every benchmark the file touches."""

    def costliest(self, n: int = 3) -> list[tuple[str, float]]:
        return sorted(self.claims, key=lambda c: -c[1])[:n]


def _window(dates: Sequence[dt.date], since: dt.date | None, until: dt.date) -> int:
    """How many of the sorted dates fall in [since, until]."""
    lo = 0 if since is None else bisect.bisect_left(dates, since)
    return max(0, bisect.bisect_right(dates, until) - lo)


def _size(spec: EvidenceSpec, sizes: Sizes) -> BenchmarkSize:
    name = spec.gate if spec.kind == "price" else spec.benchmark
    table = sizes.attributes if spec.kind in {"model_field", "fact"} else sizes.benchmarks
    return table.get(name or spec.field or "", BenchmarkSize(0, 0))


def select(spec: EvidenceSpec, sizes: Sizes) -> float:
    """One evidence entry at one date: its benchmark's rows scanned and each model's point built
    (an arena keeps every model's last row); a price entry builds its gate board's points (an
    average board) and queries their prices; a model attribute is one query."""
    s = _size(spec, sizes)
    if spec.kind in {"model_field", "fact"}:
        return ENTRY + ATTRIBUTE + POINT * s.models
    if spec.kind == "price":
        board = s.rows / max(1, len(s.boards))
        return ENTRY + SCAN * s.rows + POINT * board + PRICES
    return ENTRY + SCAN * s.rows + POINT * s.models


def history(spec: EvidenceSpec, sizes: Sizes, since: dt.date | None, until: dt.date) -> float:
    """One entry's history over a window, its points already built: a step per board of an
    arena, per day a static benchmark's score became usable, per month with a gate board for
    prices (a board and its prices), per availability day for model attributes (each state
    holds every model available by then)."""
    s = _size(spec, sizes)
    if spec.kind == "price":
        months = {(d.year, d.month) for d in s.boards if since is None or since <= d <= until}
        return ENTRY + len(months) * (ENTRY + PRICES)
    if spec.kind in {"model_field", "fact"}:
        return ENTRY + ATTRIBUTE + _window(s.days, since, until) * POINT_REF * s.models
    if spec.combine == "snapshot":
        return ENTRY + BOARD * _window(s.boards, since, until)
    return ENTRY + DAY * _window(s.days, since, until)


def _benchmark(spec: EvidenceSpec) -> str | None:
    """The benchmark whose rows an entry reads (a price entry: its gate arena)."""
    if spec.kind == "price":
        return spec.gate
    return spec.benchmark if spec.kind == "score" else None


def domain_of(claim: Claim, domains: Mapping[str, DomainSpec]) -> DomainSpec | None:
    """The domain a claim's verdict reads evidence of (None for model and lab fields)."""
    if isinstance(claim, CompareClaim):
        return domains.get(claim.field) if claim.field not in MODEL_FIELDS else None
    if isinstance(claim, FactClaim | PolicyClaim):
        return None
    return domains[claim.domain]


def benchmarks_read(claims: Iterable[Claim], domains: Mapping[str, DomainSpec]) -> set[str]:
    """Every benchmark the claims' verdicts read (arena gates of price entries included)."""
    return {
        name
        for claim in claims
        if (domain := domain_of(claim, domains)) is not None
        for spec in domain.evidence
        if (name := _benchmark(spec))
    }


@dataclass
class _Pricer:
    """Prices claims in file order, remembering what a check computes once: a history per
    (domain, window), a point per benchmark row."""

    domains: Mapping[str, DomainSpec]
    sizes: Sizes
    windows: set[tuple[str, dt.date, dt.date]] = field(default_factory=set)
    pointed: set[str] = field(default_factory=set)

    def price(self, claim: Claim, as_of: dt.date) -> float:
        domain = domain_of(claim, self.domains)
        if isinstance(claim, FactClaim | PolicyClaim):
            return CLAIM
        if isinstance(claim, CompareClaim) and domain is None:
            sides = [s for s in (claim.left, claim.right) if isinstance(s, Side) and s.is_group]
            priced = claim.field.startswith("price")
            return CLAIM + len(sides) * (MEMBERS * self.sizes.models + PRICES * priced)
        assert domain is not None
        if isinstance(claim, CompareClaim | LeaderClaim):
            return CLAIM + sum(select(spec, self.sizes) for spec in domain.evidence)
        until = min(claim.to, as_of)
        if (domain.id, claim.since, until) in self.windows:
            return CLAIM
        self.windows.add((domain.id, claim.since, until))
        cost = CLAIM
        for spec in domain.evidence:
            cost += history(spec, self.sizes, claim.since, until)
            name = _benchmark(spec)
            if name and name not in self.pointed and name in self.sizes.benchmarks:
                self.pointed.add(name)
                cost += POINT * self.sizes.benchmarks[name].rows
        return cost


def estimate(
    claims: Sequence[Claim],
    domains: Mapping[str, DomainSpec],
    sizes: Sizes,
    as_of: dt.date | None = None,
) -> Estimate:
    """The price of checking the claims, each as of its date (or ``as_of`` for all)."""
    pricer = _Pricer(domains, sizes)
    prices = tuple((c.id, pricer.price(c, as_of or c.as_of)) for c in claims)
    reads = sum(
        READ_ROW * sizes.benchmarks[b].rows
        for b in benchmarks_read(claims, domains)
        if b in sizes.benchmarks
    )
    return Estimate(sum(p for _, p in prices) + reads, prices, reads)


@dataclass(frozen=True)
class Budget:
    """What one check may spend: a price, checked before any claim is judged, and CPU time,
    checked after each claim (a backstop should a price be wrong; one claim's overrun is
    bounded by its own price)."""

    max_cost: float
    """Cost units (about milliseconds of CPU)."""
    max_cpu_s: float
    """Seconds of CPU of the checking thread."""

    def check(self, price: Estimate) -> None:
        """Refuse a file priced over the limit, naming the limit and the costliest claims."""
        if price.total <= self.max_cost:
            return
        top = ", ".join(f"{cid} ({cost:,.0f})" for cid, cost in price.costliest())
        raise BudgetError(
            f"claims file too costly for one request: estimated {price.total:,.0f} cost units "
            f"(about {price.total / 1000:,.1f} s of CPU), the limit is {self.max_cost:,.0f}; "
            f"costliest claims: {top}. Split the file, or run 'wholeads check' locally "
            "(no limit)"
        )

    def check_cpu(self, used_s: float, done: int, total: int) -> None:
        """Stop a check that has used its CPU time, saying how far it got."""
        if used_s > self.max_cpu_s:
            raise BudgetError(
                f"claims check stopped after {done} of {total} claims: it used {used_s:.1f} s "
                f"of CPU, the limit is {self.max_cpu_s:g} s per request. Split the file, or run "
                "'wholeads check' locally (no limit)"
            )
