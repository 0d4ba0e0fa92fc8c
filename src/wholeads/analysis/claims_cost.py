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
                               a state per board or date in the window); once per window
first read of each benchmark   READ_ROW x its rows (once per file)
=============================  ========================================================

A unit is about one millisecond of CPU on the 2-core development machine (the coefficients
below were measured there; ``bench/bench_check.py`` prints the estimate next to the measured
time). The price is an upper bound rather than a guess: it counts every entry of a domain, where
a verdict often stops at the first that compares both sides. So every claim's cost is bounded by
the database's size, and a file's by the sum of its claims.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wholeads.claims import MODEL_FIELDS, Claim, CompareClaim, FactClaim, LeaderClaim, Side
from wholeads.domains import DomainSpec, EvidenceSpec
from wholeads.errors import BudgetError

CLAIM = 3.0
"""Resolving, judging and explaining one claim, with one fact query."""
MEMBERS = 0.005
"""Per model in the database, for each group side of a compare (members are filtered in memory)."""
PRICES = 5.0
"""One query for the prices in force of a group's members."""
ENTRY = 1.0
"""Selecting one evidence entry at one date, before its rows (one state of a history)."""
SCAN = 0.0002
"""Per score row of a benchmark, scanned by a selection (vectorized)."""
POINT = 0.01
"""Per point built (one model's value in a selection or a history state)."""
BOARD = 0.5
"""Per board of an arena history (its best row per model)."""
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
    """One evidence entry at one date: its benchmark's rows scanned, each model's point built
    (an arena keeps every model's last row); a price entry adds its price query."""
    s = _size(spec, sizes)
    cost = ENTRY + SCAN * s.rows + POINT * s.models
    return cost + PRICES if spec.kind == "price" else cost


def history(spec: EvidenceSpec, sizes: Sizes, since: dt.date | None, until: dt.date) -> float:
    """One entry's history over a window: arenas build every row of the boards in the window;
    static benchmarks select once per day a score became usable; prices once per month with a
    board; model attributes rebuild their points once per availability day."""
    s = _size(spec, sizes)
    if spec.kind == "price":
        months = {
            (d.year, d.month) for d in s.boards if (since is None or d >= since) and d <= until
        }
        return len(months) * select(spec, sizes)
    if spec.kind in {"model_field", "fact"}:
        return ENTRY + _window(s.days, since, until) * POINT * s.models
    if spec.combine == "snapshot":
        boards = _window(s.boards, since, until)
        rows = s.rows * boards / max(1, len(s.boards))
        return ENTRY + BOARD * boards + POINT * rows
    return _window(s.days, since, until) * (ENTRY + SCAN * s.rows + POINT * s.models)


def domain_of(claim: Claim, domains: Mapping[str, DomainSpec]) -> DomainSpec | None:
    """The domain a claim's verdict reads evidence of (None for model and lab fields)."""
    if isinstance(claim, CompareClaim):
        return domains.get(claim.field) if claim.field not in MODEL_FIELDS else None
    if isinstance(claim, FactClaim):
        return None
    return domains[claim.domain]


def benchmarks_read(claims: Iterable[Claim], domains: Mapping[str, DomainSpec]) -> set[str]:
    """Every benchmark the claims' verdicts read (arena gates of price entries included)."""
    out = set()
    for claim in claims:
        domain = domain_of(claim, domains)
        for spec in domain.evidence if domain is not None else ():
            name = spec.gate if spec.kind == "price" else spec.benchmark
            if spec.kind in {"score", "price"} and name:
                out.add(name)
    return out


def claim_price(
    claim: Claim,
    as_of: dt.date,
    domains: Mapping[str, DomainSpec],
    sizes: Sizes,
    windows: set[tuple[str, dt.date, dt.date]],
) -> float:
    """One claim's price as of its date; ``windows`` holds the trend windows already priced
    (a history is computed once per window, whatever the number of claims reading it)."""
    domain = domain_of(claim, domains)
    if isinstance(claim, FactClaim):
        return CLAIM
    if isinstance(claim, CompareClaim) and domain is None:
        sides = [s for s in (claim.left, claim.right) if isinstance(s, Side) and s.is_group]
        priced = claim.field.startswith("price")
        return CLAIM + len(sides) * (MEMBERS * sizes.models + (PRICES if priced else 0.0))
    assert domain is not None
    if isinstance(claim, CompareClaim | LeaderClaim):
        return CLAIM + sum(select(spec, sizes) for spec in domain.evidence)
    until = min(claim.to, as_of)
    key = (domain.id, claim.since, until)
    if key in windows:
        return CLAIM
    windows.add(key)
    return CLAIM + sum(history(spec, sizes, claim.since, until) for spec in domain.evidence)


def estimate(
    claims: Sequence[Claim],
    domains: Mapping[str, DomainSpec],
    sizes: Sizes,
    as_of: dt.date | None = None,
) -> Estimate:
    """The price of checking the claims, each as of its date (or ``as_of`` for all)."""
    windows: set[tuple[str, dt.date, dt.date]] = set()
    prices = tuple(
        (c.id, claim_price(c, as_of or c.as_of, domains, sizes, windows)) for c in claims
    )
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
