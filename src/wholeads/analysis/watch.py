"""Watch conditions on one domain's answer at one date, and what firing means. Pure.

A rule about a state (an interval overlapping the leader's, a lag or a price under a threshold)
fires when the state *starts* holding inside the window: true at the date, not at the window's
start, both read on the same evidence entry (the one deciding at the date), as a leader change
is. When that entry measured nothing at the window's start the two are not comparable and the
rule stays quiet, saying so. A rule about an event (a leader change, an open-weight release)
fires when the event falls inside the window. So a monthly cron reports each movement once,
not every month after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wholeads.analysis.changes import Cited
from wholeads.analysis.leaders import DomainLeaders, GroupBest, SourceResult


@dataclass(frozen=True)
class State:
    """Whether a condition holds at one date, why, and the evidence it was read from."""

    holds: bool
    detail: str
    evidence: tuple[Cited, ...] = ()
    measured: bool = True
    """False when the entry had nothing to read at that date (not comparable)."""


@dataclass(frozen=True)
class Firing:
    """One rule's result over a window: fired or not, with what it saw at both ends."""

    rule_id: str
    text: str
    kind: str
    fired: bool
    detail: str
    evidence: tuple[Cited, ...] = ()


def _deciding(r: DomainLeaders, label: str | None) -> SourceResult | None:
    """The entry a state is read on: ``label`` (the later date's deciding entry) or r's own."""
    want = label or r.primary
    found = next((s for s in r.sources if s.label == want), None)
    return found if found is not None and found.status == "ok" else None


def _unmeasured(r: DomainLeaders, label: str | None) -> State:
    return State(False, f"{r.name}: nothing on {label or r.primary} as of {r.as_of}",
                 measured=False)  # fmt: skip


def _cite(s: SourceResult | None) -> tuple[Cited, ...]:
    return () if s is None else (Cited(s.source or s.label, s.date),)


def _ci(g: GroupBest) -> str:
    return f"[{g.ci_low:g}, {g.ci_high:g}]" if g.ci_low is not None else "no interval"


def overlap_state(r: DomainLeaders, group: str, label: str | None = None) -> State:
    """The group's best interval overlaps the entry's leader's best."""
    s = _deciding(r, label)
    if s is None or s.leader is None:
        return _unmeasured(r, label)
    if s.leader == group:
        return State(False, f"{r.name}: {group} is the leader on {s.label}", _cite(s))
    by = {g.group: g for g in s.groups if g.on_board}
    lead, mine = by.get(s.leader), by.get(group)
    if lead is None or mine is None:
        return State(False, f"{r.name}: {group} is not on {s.label}'s board", _cite(s),
                     measured=False)  # fmt: skip
    if None in (lead.ci_low, lead.ci_high, mine.ci_low, mine.ci_high):
        return State(False, f"{r.name}: {s.label} has no intervals to compare", _cite(s),
                     measured=False)  # fmt: skip
    assert lead.ci_low is not None and lead.ci_high is not None
    assert mine.ci_low is not None and mine.ci_high is not None
    holds = mine.ci_high >= lead.ci_low and mine.ci_low <= lead.ci_high
    word = "overlaps" if holds else "does not overlap"
    return State(holds, f"{r.name} on {s.label} ({s.date}): {group}'s {mine.model_id} "
                        f"{mine.score:g} {_ci(mine)} {word} {s.leader}'s {lead.model_id} "
                        f"{lead.score:g} {_ci(lead)}", _cite(s))  # fmt: skip


def lag_below_state(r: DomainLeaders, months: float, label: str | None = None) -> State:
    """The entry's runner-up trails its leader by less than ``months``."""
    s = _deciding(r, label)
    if s is None or s.gap is None or s.gap.lag_months is None:
        return _unmeasured(r, label)
    lag = s.gap.lag_months
    return State(lag < months, f"{r.name} on {s.label} ({s.date}): {s.gap.runner_up} trails "
                               f"{s.leader} by {lag:g} months", _cite(s))  # fmt: skip


def price_below_state(r: DomainLeaders, usd: float, label: str | None = None) -> State:
    """The cheapest group's best (lowest) price on the entry is under ``usd``."""
    s = _deciding(r, label)
    priced = [g for g in (s.groups if s else []) if g.on_board]
    if s is None or not priced:
        return _unmeasured(r, label)
    best = min(priced, key=lambda g: (g.score, g.group))
    return State(best.score < usd, f"{r.name} on {s.label} ({s.date}): cheapest "
                                   f"is {best.group}'s {best.model_id} at ${best.score:.3g}",
                 _cite(s))  # fmt: skip


def crossing(rule_id: str, text: str, kind: str, then: State, now: State, since: dt.date,
             until: dt.date) -> Firing:  # fmt: skip
    """A state rule fires when its state starts holding inside (since, until], read on the
    same entry at both dates."""
    fired = now.holds and then.measured and not then.holds
    if now.holds and not then.measured:
        detail = f"holds, but not comparable with {since} ({then.detail}): {now.detail}"
    elif fired:
        detail = f"now: {now.detail}; on {since}: {then.detail}"
    elif now.holds:
        detail = f"still holds (already on {since}): {now.detail}"
    else:
        detail = f"does not hold on {until}: {now.detail}"
    return Firing(rule_id, text, kind, fired, detail, then.evidence + now.evidence)
