"""Who leads a domain at one date: best model per group, the gap, its significance, agreement.

Pure: takes the evidence already selected as of a date (``Evidence`` records, one per source in the
domain's priority order) and returns plain dataclasses. Nothing is averaged across sources, since
their scales differ; the first fresh source with two or more groups names the leader and the
others are counted as agreeing or not.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from wholeads.analysis.frontier import lag_days
from wholeads.analysis.points import By, Evidence, Point, best_by_group, group_of

NO_INTERVAL = "no interval available"
Z95 = 1.959963984540054
DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class GroupBest:
    group: str
    model_id: str
    lab_id: str | None
    score: float
    ci_low: float | None
    ci_high: float | None
    interval: str
    """'95% CI' or 'no interval available'."""
    source: str | None
    date: dt.date
    released: dt.date


@dataclass(frozen=True)
class Gap:
    leader: str
    runner_up: str
    points: float
    """Leader minus runner-up in the evidence's unit (absolute; lower-is-better flips sign)."""
    win_probability: float | None
    """Elo scales only: P(leader's best beats runner-up's best) = 1/(1+10^(-gap/400))."""
    significant: bool | None
    test: str
    z: float | None
    lag_months: float | None
    """How long before the evidence date the leader first matched the runner-up's best."""


@dataclass(frozen=True)
class SourceResult:
    """One evidence entry's own answer."""

    label: str
    source: str | None
    date: dt.date | None
    unit: str
    status: str
    leader: str | None
    stale: bool
    groups: list[GroupBest]
    gap: Gap | None


@dataclass(frozen=True)
class DomainLeaders:
    """The answer for one domain at one date."""

    domain: str
    name: str
    unit: str
    as_of: dt.date
    by: str
    status: str
    """'ok' or 'insufficient_evidence'."""
    leader: str | None
    groups: list[GroupBest]
    gap: Gap | None
    primary: str | None
    agreeing: int
    compared: int
    sources: list[SourceResult] = field(default_factory=list)
    needed: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (dates stay dates; the CLI serialises them)."""
        out = asdict(self)
        out["gap"] = out["gap"] or {
            "points": None,
            "win_probability": None,
            "significant": None,
            "lag_months": None,
        }
        return out


def win_probability(gap: float) -> float:
    """Bradley-Terry / Elo head-to-head probability for a rating difference."""
    return 1.0 / (1.0 + 10.0 ** (-gap / 400.0))


def significance(a: Point, b: Point, higher: bool = True) -> tuple[bool | None, str, float | None]:
    """Is a ahead of b beyond noise? Non-overlapping 95% intervals, else a normal approximation
    of the difference (se from each interval's half-width); None when an interval is missing."""
    if None in (a.ci_low, a.ci_high, b.ci_low, b.ci_high):
        return None, NO_INTERVAL, None
    assert a.ci_low is not None and a.ci_high is not None
    assert b.ci_low is not None and b.ci_high is not None
    diff = (a.value - b.value) if higher else (b.value - a.value)
    if (a.ci_low > b.ci_high) if higher else (a.ci_high < b.ci_low):
        return True, "95% intervals do not overlap", None
    se = math.hypot((a.ci_high - a.ci_low) / (2 * Z95), (b.ci_high - b.ci_low) / (2 * Z95))
    if se == 0:
        return diff != 0, "zero-width intervals", None
    z = diff / se
    p = math.erfc(abs(z) / math.sqrt(2))
    return p < 0.05, f"normal approximation of the difference: z={z:.2f}, p={p:.3f}", z


def _group_best(group: str, p: Point) -> GroupBest:
    has_ci = p.ci_low is not None and p.ci_high is not None
    return GroupBest(
        group=group,
        model_id=p.model_id,
        lab_id=p.lab_id,
        score=p.value,
        ci_low=p.ci_low,
        ci_high=p.ci_high,
        interval="95% CI" if has_ci else NO_INTERVAL,
        source=p.source,
        date=p.date,
        released=p.released,
    )


def judge(
    evidence: Evidence, by: By, as_of: dt.date, *, stale_after_days: int, order: Sequence[str] = ()
) -> SourceResult:
    """One evidence entry's leader, gap and lag (lag measured at the evidence's date)."""
    higher = evidence.higher_is_better
    best = best_by_group(evidence.points, by, higher)
    ranked = sorted(
        best, key=lambda g: (-best[g].value if higher else best[g].value, _order(g, order))
    )
    groups = [_group_best(g, best[g]) for g in sorted(best, key=lambda g: _order(g, order))]
    stale = evidence.at is None or (as_of - evidence.at).days > stale_after_days
    if len(ranked) < 2:
        return SourceResult(
            evidence.label, evidence.source, evidence.at, evidence.unit,
            "insufficient_evidence", None, stale, groups, None,
        )  # fmt: skip
    lead, second = best[ranked[0]], best[ranked[1]]
    diff = abs(lead.value - second.value)
    sig, test, z = significance(lead, second, higher)
    leaders = [p for p in evidence.points if group_of(p, by) == ranked[0]]
    t = evidence.at or as_of
    lag = lag_days(leaders, second.value, t, higher)
    gap = Gap(
        leader=ranked[0],
        runner_up=ranked[1],
        points=diff,
        win_probability=win_probability(diff) if evidence.scale == "elo" else None,
        significant=sig,
        test=test,
        z=z,
        lag_months=None if lag is None else round(lag / DAYS_PER_MONTH, 1),
    )
    return SourceResult(
        evidence.label, evidence.source, evidence.at, evidence.unit, "ok", ranked[0], stale,
        groups, gap,
    )  # fmt: skip


def _order(group: str, order: Sequence[str]) -> tuple[int, str]:
    return (order.index(group) if group in order else len(order), group)


def decide(
    domain: str,
    name: str,
    unit: str,
    as_of: dt.date,
    evidences: Sequence[Evidence],
    by: By = "ecosystem",
    *,
    stale_after_days: int = 400,
    order: Sequence[str] = (),
) -> DomainLeaders:
    """The domain's answer: the first fresh evidence with two groups leads, the rest agree or not.

    When no evidence compares two groups the answer is ``insufficient_evidence`` with what would
    be needed; a gap is never filled by a guess.
    """
    results = [
        judge(e, by, as_of, stale_after_days=stale_after_days, order=order) for e in evidences
    ]
    usable = [r for r in results if r.status == "ok"]
    primary = next((r for r in usable if not r.stale), usable[0] if usable else None)
    if primary is None:
        labels = ", ".join(e.label for e in evidences)
        have = sorted({g.group for r in results for g in r.groups})
        return DomainLeaders(
            domain, name, unit, as_of, by, "insufficient_evidence", None,
            next((r.groups for r in results if r.groups), []), None, None, 0, 0, results,
            needed=f"scores for at least two groups (have: {', '.join(have) or 'none'}) "
            f"dated on or before {as_of} on any of: {labels}",
        )  # fmt: skip
    agreeing = sum(1 for r in usable if r.leader == primary.leader)
    return DomainLeaders(
        domain, name, primary.unit, as_of, by, "ok", primary.leader, primary.groups, primary.gap,
        primary.label, agreeing, len(usable), results,
    )  # fmt: skip
