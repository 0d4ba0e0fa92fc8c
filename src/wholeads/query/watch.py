"""Evaluating a watch file as of a date: each rule over the window before it, on the same change
set as `wholeads changes` (``wholeads.query.changes``), so a watch and a change list never
disagree about what moved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from wholeads.analysis.changes import leader_change
from wholeads.analysis.leaders import DomainLeaders
from wholeads.analysis.watch import (
    Firing,
    crossing,
    lag_below_state,
    overlap_state,
    price_below_state,
)
from wholeads.claims.watchfile import (
    LagBelowRule,
    LeaderChangeRule,
    NewOpenWeightsRule,
    OverlapRule,
    PriceBelowRule,
    Rule,
    WatchFile,
)
from wholeads.errors import DataError
from wholeads.query.changes import ChangeSet, changes_between
from wholeads.query.evidence import Reader
from wholeads.query.resolver import load_resolver


def _labs(con: duckdb.DuckDBPyConnection, wf: WatchFile) -> dict[str, str]:
    """Each rule's lab name resolved to its id (an unknown one names file, rule and field)."""
    resolver = load_resolver(con)
    out = {}
    for i, rule in enumerate(wf.rules):
        if isinstance(rule, NewOpenWeightsRule) and rule.lab is not None:
            lab = resolver.resolve_lab(rule.lab)
            if lab is None:
                raise DataError(f"watch[{i}] (id '{rule.id}'): unknown lab '{rule.lab}'",
                                file=wf.name, field="lab")  # fmt: skip
            out[rule.id] = lab
    return out


def _evaluate(rule: Rule, cs: ChangeSet, by: dict[str, tuple[DomainLeaders, DomainLeaders]],
              labs: dict[str, str]) -> Firing:  # fmt: skip
    if isinstance(rule, NewOpenWeightsRule):
        lab = labs.get(rule.id)
        hits = [c for c in cs.of_kind("open_weights")
                if (lab is None or c.lab == lab)
                and (rule.ecosystem is None or c.ecosystem == rule.ecosystem)]  # fmt: skip
        detail = "; ".join(f"{c.date} {c.title}" for c in hits) or (
            f"no open-weight release between {cs.since} and {cs.until}"
        )
        return Firing(rule.id, rule.text, rule.kind, bool(hits), detail,
                      tuple(e for c in hits for e in c.evidence))  # fmt: skip
    then, now = by[rule.domain]
    if isinstance(rule, LeaderChangeRule):
        item = leader_change(then, now)
        if item is None:
            detail = (
                f"{now.name}: leader {now.leader or 'none'} on {now.primary} as of "
                f"{cs.until}; no change on comparable evidence since {cs.since}"
            )
            return Firing(rule.id, rule.text, rule.kind, False, detail)
        return Firing(rule.id, rule.text, rule.kind, True, item.title, item.evidence)
    label = now.primary  # both dates are read on the entry deciding at the later one
    if isinstance(rule, OverlapRule):
        states = (overlap_state(then, rule.group, label), overlap_state(now, rule.group, label))
    elif isinstance(rule, LagBelowRule):
        states = (lag_below_state(then, rule.months, label),
                  lag_below_state(now, rule.months, label))  # fmt: skip
    else:
        assert isinstance(rule, PriceBelowRule)
        states = (price_below_state(then, rule.usd, label),
                  price_below_state(now, rule.usd, label))  # fmt: skip
    return crossing(rule.id, rule.text, rule.kind, *states, cs.since, cs.until)


def evaluate_watch(
    con: duckdb.DuckDBPyConnection,
    wf: WatchFile,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    *,
    reader: Reader | None = None,
) -> tuple[ChangeSet, list[Firing]]:
    """Every rule of the file over (since, as_of] (defaults: the newest evidence, and the file's
    window before it)."""
    reader = reader or Reader(con)
    until = as_of or reader.latest_date()
    start = since or until - dt.timedelta(days=wf.window_days)
    labs = _labs(con, wf)  # an unknown lab fails before the change set is computed
    cs = changes_between(con, start, until, reader=reader)
    return cs, fire_rules(con, wf, cs, labs)


def fire_rules(
    con: duckdb.DuckDBPyConnection,
    wf: WatchFile,
    cs: ChangeSet,
    labs: dict[str, str] | None = None,
) -> list[Firing]:
    """Every rule of the file on a change set already computed (the report's own window), so
    the report's "what to watch" and its "what changed" read the same changes."""
    labs = _labs(con, wf) if labs is None else labs
    by = {a.domain: (b, a) for b, a in zip(cs.before, cs.after, strict=True)}
    missing = sorted(
        {r.domain for r in wf.rules if not isinstance(r, NewOpenWeightsRule)} - set(by)
    )
    if missing:
        raise DataError(f"watch: the change set has no domain {', '.join(missing)}", file=wf.name)
    return [_evaluate(rule, cs, by, labs) for rule in wf.rules]


def month_ends(start: dt.date, until: dt.date) -> list[dt.date]:
    """The last day of every month from start's month whose end is on or before ``until``."""
    out: list[dt.date] = []
    year, month = start.year, start.month
    while True:
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        if end > until:
            return out
        out.append(end)
        year, month = year + month // 12, month % 12 + 1


def replay_monthly(
    con: duckdb.DuckDBPyConnection, wf: WatchFile, start: dt.date, until: dt.date | None = None
) -> list[tuple[dt.date, list[Firing]]]:
    """The file evaluated at every month end from ``start`` (each window: the month before),
    as a monthly cron would have run it; one reader for all dates."""
    reader = Reader(con)
    until = until or reader.latest_date()
    out = []
    for end in month_ends(start, until):
        previous = dt.date(end.year, end.month, 1) - dt.timedelta(days=1)
        out.append((end, evaluate_watch(con, wf, end, previous, reader=reader)[1]))
    return out


def firing_dict(f: Firing) -> dict[str, Any]:
    return {
        "id": f.rule_id, "text": f.text, "kind": f.kind, "fired": f.fired, "detail": f.detail,
        "evidence": [{"source": e.source, "date": e.date, "file": e.file, "row": e.row,
                      "url": e.url} for e in f.evidence],
    }  # fmt: skip
