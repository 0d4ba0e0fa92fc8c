"""What changed between two dates, told only where the evidence behind it is comparable.

Pure: takes each domain's answer at both dates (``DomainLeaders``) and records already read
(new models, price histories, refreshed evidence) and returns ``ChangeItem`` records, each with
the evidence it rests on. The rules, each written once here:

- **Leader change**: only on the same deciding evidence. When the deciding entry switched
  between the dates, today's entry is asked what it said at the earlier date; a change that only
  comes from switching entries is not one.
- **Gap beyond noise**: on today's deciding entry and the same two groups at both dates, the gap
  moved when the leaders' significance test (``analysis.leaders.significance``) tells the two gaps
  apart, each gap's interval built from its two groups' intervals. No interval: not reported.
- **Lag moved**: same entry, same leader and runner-up, the lag changed by ``LAG_STEP_MONTHS``.
- **Price cut**: consecutive entries of one source for one model and provider, the later one
  in the window and cheaper (blended 3 input : 1 output).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from wholeads.analysis.leaders import Z95, DomainLeaders, GroupBest, SourceResult, significance
from wholeads.analysis.points import Point

LAG_STEP_MONTHS = 1.0
"""A lag that moved by less than this is within its own rounding and dating noise."""
PRICE_CUT_MIN = 0.01
"""A blended price that fell by less than this share is a rounding difference, not a cut."""

ChangeKind = Literal["new_model", "open_weights", "leader", "gap", "lag", "evidence", "price_cut"]
KIND_TITLES: dict[str, str] = {
    "leader": "Leader changes",
    "gap": "Gaps that moved beyond noise",
    "lag": "Lags that moved",
    "new_model": "New models",
    "open_weights": "Open-weight releases",
    "price_cut": "Price cuts",
    "evidence": "New or refreshed evidence",
}
"""Each kind's heading, in the order a reader wants them."""


@dataclass(frozen=True)
class Cited:
    """One piece of evidence a change rests on: a source and the date of its value, with the
    raw file and row when known, or a curated fact's URL."""

    source: str
    date: dt.date | None
    file: str | None = None
    row: int | None = None
    url: str | None = None


@dataclass(frozen=True)
class ChangeItem:
    """One thing that moved between two dates, in one line, with its evidence."""

    kind: ChangeKind
    date: dt.date
    """When it happened: a release date, a price's start, the newer evidence's date."""
    title: str
    domain: str | None = None
    ecosystem: str | None = None
    lab: str | None = None
    model_id: str | None = None
    name: str | None = None
    """The model's display name, for changes about one model."""
    before: str | None = None
    after: str | None = None
    evidence: tuple[Cited, ...] = ()


@dataclass(frozen=True)
class LeaderMove:
    """How one domain's leader compares between two dates (what the report's table shows)."""

    domain: str
    name: str
    leader_before: str | None
    leader_after: str | None
    evidence_before: str | None
    evidence_after: str | None
    leader_before_same_evidence: str | None
    """What today's deciding entry said at the earlier date: the like-for-like comparison."""

    @property
    def evidence_switched(self) -> bool:
        return self.evidence_before != self.evidence_after

    @property
    def new_leader(self) -> bool:
        """A leader change on comparable evidence (see the module's rules)."""
        if self.leader_after is None:
            return False
        if not self.evidence_switched:
            return self.leader_before != self.leader_after
        before = self.leader_before_same_evidence
        return before is not None and before != self.leader_after


@dataclass(frozen=True)
class ReleasedModel:
    """A model released in the window, with the source of its release date."""

    id: str
    name: str
    lab: str
    ecosystem: str
    released: dt.date
    open_weights: bool | None
    license: str | None
    cite: Cited


@dataclass(frozen=True)
class PriceEntry:
    """One dated price statement of a source for a model at a provider (USD per 1M tokens)."""

    model_id: str
    provider: str
    source: str
    valid_from: dt.date
    input: float
    output: float
    file: str | None
    row: int | None
    lab: str | None = None
    ecosystem: str | None = None

    @property
    def blended(self) -> float:
        return (3 * self.input + self.output) / 4


@dataclass(frozen=True)
class Refresh:
    """A source's evidence dated inside the window (new when it had none before)."""

    source: str
    benchmarks: tuple[str, ...]
    rows: int
    newest: dt.date
    new: bool
    file: str | None
    row: int | None


def _entry(r: DomainLeaders, label: str | None) -> SourceResult | None:
    return next((s for s in r.sources if s.label == label), None)


def leader_move(before: DomainLeaders, after: DomainLeaders) -> LeaderMove:
    """The two dates' leaders and, when the deciding entry switched, today's entry then."""
    same = _entry(before, after.primary)
    return LeaderMove(
        domain=after.domain, name=after.name, leader_before=before.leader,
        leader_after=after.leader, evidence_before=before.primary, evidence_after=after.primary,
        leader_before_same_evidence=same.leader if same is not None else None,
    )  # fmt: skip


def _cite(s: SourceResult) -> Cited:
    return Cited(s.source or s.label, s.date)


def _gap_point(lead: GroupBest, run: GroupBest, sign: float, at: dt.date) -> Point | None:
    """The signed gap lead - run as a point with a 95% interval from both groups' intervals."""
    if None in (lead.ci_low, lead.ci_high, run.ci_low, run.ci_high):
        return None
    assert lead.ci_low is not None and lead.ci_high is not None
    assert run.ci_low is not None and run.ci_high is not None
    se = math.hypot(
        (lead.ci_high - lead.ci_low) / (2 * Z95), (run.ci_high - run.ci_low) / (2 * Z95)
    )
    value = sign * (lead.score - run.score)
    return Point(
        model_id="gap", lab_id=None, ecosystem=None, open_weights=None, value=value, date=at,
        released=at, ci_low=value - Z95 * se, ci_high=value + Z95 * se,
    )  # fmt: skip


def _pair(s: SourceResult, a: str, b: str) -> tuple[GroupBest, GroupBest] | None:
    by = {g.group: g for g in s.groups if g.on_board}
    return (by[a], by[b]) if a in by and b in by else None


def gap_move(before: DomainLeaders, after: DomainLeaders) -> ChangeItem | None:
    """Today's leader-vs-runner-up gap against the same two groups' gap then, on today's
    deciding entry, reported only when the significance test tells them apart."""
    now, then = _entry(after, after.primary), _entry(before, after.primary)
    if now is None or then is None or now.gap is None or now.gap.bound is not None:
        return None
    a, b = now.gap.leader, now.gap.runner_up
    pair_now, pair_then = _pair(now, a, b), _pair(then, a, b)
    if pair_now is None or pair_then is None or now.date is None or then.date is None:
        return None
    sign = 1.0 if pair_now[0].score >= pair_now[1].score else -1.0
    g_now = _gap_point(*pair_now, sign, now.date)
    g_then = _gap_point(*pair_then, sign, then.date)
    if g_now is None or g_then is None or now.date == then.date:
        return None
    moved, test, _ = significance(g_now, g_then, higher=g_now.value >= g_then.value)
    if not moved:
        return None
    way = "widened" if g_now.value > g_then.value else "narrowed"
    return ChangeItem(
        kind="gap", date=now.date, domain=after.domain, ecosystem=a,
        title=f"{after.name}: the {a}–{b} gap {way} beyond noise on {now.label} "
              f"({g_then.value:.3g} → {g_now.value:.3g} {now.unit}; {test})",
        before=f"{g_then.value:.6g}", after=f"{g_now.value:.6g}",
        evidence=(_cite(then), _cite(now)),
    )  # fmt: skip


def lag_move(before: DomainLeaders, after: DomainLeaders) -> ChangeItem | None:
    """The lag on today's deciding entry against the same entry's lag then, same two groups."""
    now, then = _entry(after, after.primary), _entry(before, after.primary)
    if now is None or then is None or now.gap is None or then.gap is None:
        return None
    if (now.gap.leader, now.gap.runner_up) != (then.gap.leader, then.gap.runner_up):
        return None
    lag_now, lag_then = now.gap.lag_months, then.gap.lag_months
    if lag_now is None or lag_then is None or abs(lag_now - lag_then) < LAG_STEP_MONTHS:
        return None
    way = "grew" if lag_now > lag_then else "shrank"
    b = now.gap.runner_up
    return ChangeItem(
        kind="lag", date=now.date or after.as_of, domain=after.domain, ecosystem=b,
        title=f"{after.name}: {b} trails {now.gap.leader} by {lag_now:g} months on "
              f"{now.label} (was {lag_then:g}); the lag {way}",
        before=f"{lag_then:g}", after=f"{lag_now:g}", evidence=(_cite(then), _cite(now)),
    )  # fmt: skip


def leader_change(before: DomainLeaders, after: DomainLeaders) -> ChangeItem | None:
    """A new leader on comparable evidence, as a change item."""
    move = leader_move(before, after)
    if not move.new_leader:
        return None
    now = _entry(after, after.primary)
    then = _entry(before, after.primary)
    was = move.leader_before_same_evidence if move.evidence_switched else move.leader_before
    cites = tuple(_cite(s) for s in (then, now) if s is not None)
    best = next((g.model_id for g in after.groups if g.group == after.leader), None)
    return ChangeItem(
        kind="leader", date=(now.date if now and now.date else after.as_of),
        domain=after.domain, ecosystem=after.leader, model_id=best,
        title=f"{after.name}: {after.leader} now leads on {after.primary} with {best} "
              f"(was {was or 'none'})",
        before=was, after=after.leader, evidence=cites,
    )  # fmt: skip


def domain_changes(
    before: Sequence[DomainLeaders], after: Sequence[DomainLeaders]
) -> list[ChangeItem]:
    """Leader changes, gaps beyond noise and lags that moved, domain by domain."""
    out: list[ChangeItem] = []
    for b, a in zip(before, after, strict=True):
        for item in (leader_change(b, a), gap_move(b, a), lag_move(b, a)):
            if item is not None:
                out.append(item)
    return out


def release_changes(models: Iterable[ReleasedModel]) -> list[ChangeItem]:
    """One item per new model; an open-weight release is its own kind, with its license."""
    out = []
    for m in sorted(models, key=lambda m: (m.released, m.id)):
        open_ = m.open_weights is True
        license_ = f" under {m.license}" if open_ and m.license else ""
        out.append(ChangeItem(
            kind="open_weights" if open_ else "new_model", date=m.released,
            title=f"{m.lab} ({m.ecosystem}) released {m.name}"
                  + (f" with open weights{license_}" if open_ else ""),
            ecosystem=m.ecosystem, lab=m.lab, model_id=m.id, name=m.name,
            after=m.license if open_ else None, evidence=(m.cite,),
        ))  # fmt: skip
    return out


def releases_by_ecosystem(items: Iterable[ChangeItem]) -> dict[str, dict[str, int]]:
    """How many models each ecosystem's labs released (open-weight releases included), most
    first: {'CN': {'alibaba': 12, ...}, ...}."""
    counts: dict[str, dict[str, int]] = {}
    for c in items:
        if c.kind in ("new_model", "open_weights"):
            labs = counts.setdefault(c.ecosystem or "other", {})
            labs[c.lab or "unknown"] = labs.get(c.lab or "unknown", 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return {eco: dict(sorted(labs.items(), key=lambda kv: (-kv[1], kv[0]))) for eco, labs in ranked}


def price_cuts(entries: Iterable[PriceEntry], since: dt.date, until: dt.date) -> list[ChangeItem]:
    """Consecutive statements of one source for a model and provider, the later one in
    (since, until] and cheaper by at least ``PRICE_CUT_MIN``."""
    series: dict[tuple[str, str, str], list[PriceEntry]] = {}
    for e in entries:
        series.setdefault((e.model_id, e.provider, e.source), []).append(e)
    out = []
    for rows in series.values():
        rows.sort(key=lambda e: e.valid_from)
        for old, new in itertools.pairwise(rows):
            if not (since < new.valid_from <= until):
                continue
            if old.blended <= 0 or new.blended > old.blended * (1 - PRICE_CUT_MIN):
                continue  # a free model cannot get cheaper
            cut = 1 - new.blended / old.blended
            out.append(ChangeItem(
                kind="price_cut", date=new.valid_from, model_id=new.model_id, lab=new.lab,
                ecosystem=new.ecosystem,
                title=f"{new.model_id} at {new.provider}: ${old.input:g}/${old.output:g} → "
                      f"${new.input:g}/${new.output:g} per 1M tokens in/out ({cut:.0%} cheaper)",
                before=f"{old.blended:.6g}", after=f"{new.blended:.6g}",
                evidence=tuple(_price_cite(e) for e in (old, new)),
            ))  # fmt: skip
    return sorted(out, key=lambda c: (c.date, c.model_id or ""))


def _price_cite(e: PriceEntry) -> Cited:
    """A curated price's 'file' is the page it was read from: cited as its URL."""
    if e.file and e.file.startswith(("http://", "https://")):
        return Cited(e.source, e.valid_from, None, e.row, e.file)
    return Cited(e.source, e.valid_from, e.file, e.row)


def evidence_changes(refreshes: Iterable[Refresh]) -> list[ChangeItem]:
    """One item per source whose evidence is dated inside the window."""
    out = []
    for r in sorted(refreshes, key=lambda r: (r.newest, r.source)):
        shown = ", ".join(r.benchmarks[:4]) + (f" and {len(r.benchmarks) - 4} more"
                                                if len(r.benchmarks) > 4 else "")  # fmt: skip
        out.append(ChangeItem(
            kind="evidence", date=r.newest,
            title=f"{'New' if r.new else 'Refreshed'} evidence from {r.source}: {r.rows} "
                  f"values on {shown} (newest {r.newest})",
            evidence=(Cited(r.source, r.newest, r.file, r.row),),
        ))  # fmt: skip
    return out


def sort_changes(items: Iterable[ChangeItem]) -> list[ChangeItem]:
    """Kinds in reading order, each newest first."""
    order = list(KIND_TITLES)
    return sorted(items, key=lambda c: (order.index(c.kind), -c.date.toordinal(), c.title))
