"""Who leads a domain at one date: best model per group, the gap, its significance, agreement.

Pure: takes the evidence already selected as of a date (``Evidence`` records, one per source in
the domain's priority order) and returns plain dataclasses. Nothing is averaged across sources,
since their scales differ.

Rules, each written once here:
- **Coverage**: groups are compared on the evidence's board; a group missing from a top-N board
  is below its cut-off (a bound, ``GroupBest.below``), and keeps its best from the newest board
  that shows it (``GroupBest.on_board`` false, with that board's date).
- **Freshness**: the first entry in priority order names the leader, unless another entry that
  compares the same two groups is fresher by more than the domain's freshness window; then it
  yields. Every answer carries the age of its evidence.
- **Honest verdicts**: a lead is ``lead`` only when it is significant; within noise it is a
  ``tie``; with no interval to test it is ``untested``. The test: non-overlapping 95% intervals,
  else a normal approximation of the difference with each side's standard error taken from its
  interval's half-width (it assumes independent, roughly normal estimates, which is how arena
  intervals are built; it is conservative for ratings fitted jointly).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from wholeads.analysis.frontier import gap_percent, lag_days
from wholeads.analysis.points import BoardInfo, By, Evidence, Point, best_by_group, group_of

NO_INTERVAL = "no interval available"
Z95 = 1.959963984540054
DAYS_PER_MONTH = 30.4375
Verdict = Literal["lead", "tie", "untested"]
VERDICT_WORDS = {"lead": "significant lead", "tie": "statistical tie", "untested": "not tested"}


@dataclass(frozen=True)
class GroupBest:
    """A group's best model in one piece of evidence."""

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
    """The date of the value: its board's date, or the score's data date."""
    released: dt.date
    age_days: int
    """How old the value is at the answer's date."""
    on_board: bool = True
    """False when the value comes from an older board than the one the groups are compared on
    (the group is missing from that board)."""
    below: float | None = None
    """When missing from a top-N comparison board: the group's best there is below this."""


@dataclass(frozen=True)
class Gap:
    leader: str
    runner_up: str
    points: float
    """Leader minus runner-up in the evidence's unit (absolute; lower-is-better flips sign). With
    ``bound`` 'at_least', the runner-up is below a board's cut-off: the gap is at least this."""
    win_probability: float | None
    """Elo scales only: P(leader's best beats runner-up's best) = 1/(1+10^(-gap/400))."""
    significant: bool | None
    test: str
    z: float | None
    lag_months: float | None
    """How long before the evidence date the leader first matched the runner-up's best."""
    bound: str | None = None
    """None (measured) or 'at_least' (the runner-up is below the board's cut-off)."""
    percent: float | None = None
    """The gap as a share of the runner-up's value (the AI Index's form; ratio scales and Elo)."""


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
    """Older than the domain's freshness window at the answer's date."""
    groups: list[GroupBest]
    gap: Gap | None
    verdict: Verdict | None = None
    age_days: int | None = None
    board: BoardInfo | None = None
    """The board compared on (arena evidence)."""
    latest: BoardInfo | None = None
    """The newest board at the date, when it held no model the domain considers."""
    measured: bool = True
    """A measurement (can be fresher than another entry), not a model attribute."""


@dataclass(frozen=True, kw_only=True)
class DomainLeaders:
    """The answer for one domain at one date."""

    domain: str
    name: str
    unit: str
    as_of: dt.date
    by: str
    status: str
    """'ok' or 'insufficient_evidence'."""
    leader: str | None = None
    groups: list[GroupBest]
    gap: Gap | None = None
    primary: str | None = None
    agreeing: int = 0
    compared: int = 0
    sources: list[SourceResult] = field(default_factory=list)
    needed: str | None = None
    verdict: Verdict | None = None
    """'lead' (significant), 'tie' (within noise) or 'untested' (no interval to test)."""
    evidence_date: dt.date | None = None
    age_days: int | None = None
    """How old the deciding evidence is at ``as_of``."""
    stale: bool = False
    """The deciding evidence is older than the domain's freshness window."""
    why_primary: str | None = None
    """Why the deciding entry decides (priority order, or fresher than the ones before it)."""

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


def bound_significance(lead: Point, cutoff: float) -> tuple[bool | None, str]:
    """A runner-up below a top-N board's cut-off: the lead is significant when the leader's 95%
    interval lies above the cut-off; otherwise the runner-up may be within noise."""
    if lead.ci_low is None:
        return None, f"runner-up below the board's cut-off {cutoff:g}; {NO_INTERVAL} for the leader"
    if lead.ci_low > cutoff:
        return True, f"runner-up below the board's cut-off {cutoff:g}, under the leader's interval"
    return None, f"runner-up below the board's cut-off {cutoff:g}, inside the leader's interval"


def verdict_of(significant: bool | None, test: str) -> Verdict:
    if significant:
        return "lead"
    if significant is False:
        return "tie"
    return "untested"


def _group_best(
    group: str, p: Point, as_of: dt.date, on_board: bool = True, below: float | None = None
) -> GroupBest:
    has_ci = p.ci_low is not None and p.ci_high is not None
    return GroupBest(
        group=group, model_id=p.model_id, lab_id=p.lab_id, score=p.value, ci_low=p.ci_low,
        ci_high=p.ci_high, interval="95% CI" if has_ci else NO_INTERVAL, source=p.source,
        date=p.date, released=p.released, age_days=(as_of - p.date).days, on_board=on_board,
        below=below,
    )  # fmt: skip


def _order(group: str, order: Sequence[str]) -> tuple[int, str]:
    return (order.index(group) if group in order else len(order), group)


def judge(
    evidence: Evidence, by: By, as_of: dt.date, *, freshness_days: int, order: Sequence[str] = ()
) -> SourceResult:
    """One evidence entry's leader, gap and lag (lag measured at the evidence's date)."""
    higher = evidence.higher_is_better
    best = best_by_group(evidence.points, by, higher)
    ranked = sorted(
        best, key=lambda g: (-best[g].value if higher else best[g].value, _order(g, order))
    )
    board = evidence.board
    cutoff = board.cutoff if board is not None and board.censored and higher else None
    missing = _missing_groups(evidence, by, higher, set(best))
    cells = {g: _group_best(g, best[g], as_of) for g in best}
    for g, p in missing.items():
        cells[g] = _group_best(g, p, as_of, on_board=False, below=cutoff)
    groups = [cells[g] for g in sorted(cells, key=lambda g: _order(g, order))]
    age = None if evidence.at is None else (as_of - evidence.at).days
    stale = age is None or age > freshness_days
    base: dict[str, Any] = {
        "label": evidence.label, "source": evidence.source, "date": evidence.at,
        "unit": evidence.unit, "stale": stale, "groups": groups, "age_days": age, "board": board,
        "latest": evidence.latest, "measured": evidence.measured,
    }  # fmt: skip
    if not ranked:
        return SourceResult(status="insufficient_evidence", leader=None, gap=None, **base)
    lead = best[ranked[0]]
    if len(ranked) >= 2:
        gap = _measured_gap(evidence, by, ranked[0], ranked[1], lead, best[ranked[1]], as_of)
    elif cutoff is not None and missing:
        gap = _bound_gap(evidence, ranked[0], lead, missing, cutoff)
    else:
        return SourceResult(status="insufficient_evidence", leader=None, gap=None, **base)
    return SourceResult(
        status="ok", leader=ranked[0], gap=gap, verdict=verdict_of(gap.significant, gap.test),
        **base,
    )  # fmt: skip


def _missing_groups(
    evidence: Evidence, by: By, higher: bool, present: set[str]
) -> dict[str, Point]:
    """Groups missing from the comparison board: each one's best on the newest board showing it
    (``last_seen`` rows are each model's newest board, so a group's newest board is the latest
    among its models', and its best is the best there)."""
    newest: dict[str, Point] = {}
    for p in evidence.last_seen:
        g = group_of(p, by)
        if g is None or g in present:
            continue
        cur = newest.get(g)
        better = (
            cur is not None
            and p.date == cur.date
            and (p.value > cur.value if higher else p.value < cur.value)
        )
        if cur is None or p.date > cur.date or better:
            newest[g] = p
    return newest


def _measured_gap(
    evidence: Evidence,
    by: By,
    leader: str,
    runner_up: str,
    lead: Point,
    second: Point,
    as_of: dt.date,
) -> Gap:
    higher = evidence.higher_is_better
    diff = abs(lead.value - second.value)
    sig, test, z = significance(lead, second, higher)
    leaders = [p for p in evidence.points if group_of(p, by) == leader]
    t = evidence.at or as_of
    lag = lag_days(leaders, second.value, min(second.released, t), higher)
    lag_months = None if lag is None else round(lag / DAYS_PER_MONTH, 1)
    return _gap(evidence, leader, runner_up, diff, second.value, sig, test, z, lag_months)


def _bound_gap(
    evidence: Evidence, leader: str, lead: Point, missing: dict[str, Point], cutoff: float
) -> Gap:
    """Only the leader's group is on a top-N board: the runner-up is the best other group on the
    newest board that shows one, and the gap is at least the leader minus the cut-off."""
    runner_up = max(missing, key=lambda g: (missing[g].date, missing[g].value, g))
    sig, test = bound_significance(lead, cutoff)
    diff = lead.value - cutoff
    return _gap(evidence, leader, runner_up, diff, cutoff, sig, test, None, None, "at_least")


def _gap(
    evidence: Evidence,
    leader: str,
    runner_up: str,
    diff: float,
    base: float,
    significant: bool | None,
    test: str,
    z: float | None,
    lag_months: float | None,
    bound: str | None = None,
) -> Gap:
    """A gap of ``diff`` over a runner-up at ``base``, with the win probability (Elo) and the
    share (``_percent``) that follow from them on the evidence's scale."""
    return Gap(
        leader=leader,
        runner_up=runner_up,
        points=diff,
        win_probability=win_probability(diff) if evidence.scale == "elo" else None,
        significant=significant,
        test=test,
        z=z,
        lag_months=lag_months,
        bound=bound,
        percent=_percent(evidence.scale, diff, base),
    )


def _percent(scale: str, diff: float, runner_up: float) -> float | None:
    """(leader - runner-up) / runner-up, where a ratio is meaningful: on percent scales and on
    the arena scale as the AI Index reports it; None on others or for a zero runner-up."""
    return gap_percent(scale, diff, runner_up)


def _yields(r: SourceResult, others: Sequence[SourceResult], window: int) -> SourceResult | None:
    """The first entry fresher than ``r`` by more than the window that compares r's two groups."""
    if r.gap is None or r.date is None:
        return None
    pair = {r.gap.leader, r.gap.runner_up}
    for o in others:
        if o is r or o.date is None or o.gap is None or not o.measured:
            continue
        groups = {g.group for g in o.groups}
        if (o.date - r.date).days > window and pair <= groups:
            return o
    return None


def decide(
    domain: str,
    name: str,
    unit: str,
    as_of: dt.date,
    evidences: Sequence[Evidence],
    by: By = "ecosystem",
    *,
    freshness_days: int = 90,
    order: Sequence[str] = (),
) -> DomainLeaders:
    """The domain's answer: the first entry in priority order that no fresher entry (by more than
    the freshness window, comparing the same two groups) overrides; the rest agree or not.

    When no evidence compares two groups the answer is ``insufficient_evidence`` with what would
    be needed; a gap is never filled by a guess.
    """
    results = [judge(e, by, as_of, freshness_days=freshness_days, order=order) for e in evidences]
    answer = functools.partial(
        DomainLeaders, domain=domain, name=name, as_of=as_of, by=by, sources=results
    )
    usable = [r for r in results if r.status == "ok"]
    primary, skipped = None, []
    for r in usable:
        fresher = _yields(r, usable, freshness_days)
        if fresher is None:
            primary = r
            break
        skipped.append(f"{r.label} ({r.date}) yields to fresher {fresher.label} ({fresher.date})")
    if primary is None:
        labels = ", ".join(e.label for e in evidences)
        have = sorted({g.group for r in results for g in r.groups})
        return answer(
            unit=unit,
            status="insufficient_evidence",
            groups=next((r.groups for r in results if r.groups), []),
            needed=f"scores for at least two groups (have: {', '.join(have) or 'none'}) "
            f"usable on or before {as_of} on any of: {labels}",
        )
    why = "; ".join(skipped) or "first in the domain's priority order with two groups"
    agreeing = sum(1 for r in usable if r.leader == primary.leader)
    return answer(
        unit=primary.unit,
        status="ok",
        leader=primary.leader,
        groups=primary.groups,
        gap=primary.gap,
        primary=primary.label,
        agreeing=agreeing,
        compared=len(usable),
        verdict=primary.verdict,
        evidence_date=primary.date,
        age_days=primary.age_days,
        stale=primary.stale,
        why_primary=why,
    )
