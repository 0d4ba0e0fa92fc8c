"""Replay the answers over many dates and check what must hold on every one of them.

A rule holds only if it holds on every date. The replay asks "who leads" for every domain at
each date and checks, independently of the engine, against the raw rows in the database:

- nothing is used before it was observed: every value of an answer has a score row that was
  usable by the answer's date (``scores.valid_from``), its model was available by then, and a
  price has a price row valid on that date;
- every cell reports its evidence's age;
- leader flips between consecutive dates are classified by cause: new data on the same evidence,
  a switch to other evidence (with the rule that caused it), a handover between mirrors of one
  leaderboard, or a change only in how deep a board went (which must never happen).

It works on answers as plain dicts (``DomainLeaders.to_dict()``), so an older engine's answers
can be replayed through the same checks.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

Answer = dict[str, Any]
"""One domain's answer at one date, as ``DomainLeaders.to_dict()`` gives it."""


@dataclass(frozen=True)
class Flip:
    """The leader of a domain changed between two consecutive replay dates."""

    domain: str
    before: dt.date
    after: dt.date
    old: str | None
    new: str | None
    cause: str
    """'new data', 'evidence switch', 'mirror handover' or 'board depth'."""
    detail: str
    new_data: bool
    """The evidence that decides after the flip gained data between the two dates (a newer
    board or row, or it became usable): a flip without new data is caused only by a switch."""


@dataclass(frozen=True)
class Violation:
    """An answer that broke an invariant."""

    domain: str
    as_of: dt.date
    kind: str
    """'used before observed', 'model not yet available', 'price not valid', 'age missing'."""
    detail: str


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month from ``start``'s month through ``end`` (capped at end)."""
    out, year, month = [], start.year, start.month
    while True:
        nxt = dt.date(year + month // 12, month % 12 + 1, 1)
        last = nxt - dt.timedelta(days=1)
        out.append(min(last, end))
        if last >= end:
            return out
        year, month = nxt.year, nxt.month


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _primary(a: Answer) -> dict[str, Any] | None:
    return next((s for s in a.get("sources", []) if s["label"] == a.get("primary")), None)


def classify(prev: Answer, cur: Answer) -> tuple[str, str]:
    """Why the leader changed between two consecutive answers of one domain."""
    if prev.get("primary") != cur.get("primary"):
        why = cur.get("why_primary") or ""
        return "evidence switch", f"{prev.get('primary')} -> {cur.get('primary')}; {why}".strip()
    a, b = _primary(prev), _primary(cur)
    if a is None or b is None:
        return "evidence switch", "the deciding entry appeared or vanished"
    if a.get("source") != b.get("source"):
        return "mirror handover", f"{a.get('source')} -> {b.get('source')}"
    if a.get("date") == b.get("date") and _cells_of(a) == _cells_of(b):
        return "board depth", f"same evidence {a.get('date')} and values: only the cut changed"
    if a.get("date") == b.get("date"):
        return "new data", f"{a.get('label')} {a.get('date')}: rows added to the same table"
    return "new data", f"{a.get('label')}: {a.get('date')} -> {b.get('date')}"


def gained_data(prev: Answer, cur: Answer) -> bool:
    """Whether the entry deciding ``cur`` has newer data than it had at ``prev`` (or had none)."""
    now = _primary(cur)
    if now is None:
        return False
    then = next((s for s in prev.get("sources", []) if s["label"] == now["label"]), None)
    if then is None or then.get("status") != "ok" or then.get("date") is None:
        return True
    return bool(now.get("date") and now["date"] > then["date"]) or _cells_of(now) != _cells_of(then)


def _cells_of(source: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {(g["group"], g["model_id"], g["score"]) for g in source.get("groups", [])}


def flips(answers_by_date: Sequence[tuple[dt.date, Sequence[Answer]]]) -> list[Flip]:
    """Every leader change between consecutive dates, per domain, with its cause."""
    out: list[Flip] = []
    last: dict[str, tuple[dt.date, Answer]] = {}
    for day, answers in answers_by_date:
        for a in answers:
            domain = a["domain"]
            if domain in last:
                before, prev = last[domain]
                if prev.get("leader") != a.get("leader") and None not in (
                    prev.get("leader"), a.get("leader"),
                ):  # fmt: skip
                    cause, detail = classify(prev, a)
                    flip = Flip(
                        domain=domain,
                        before=before,
                        after=day,
                        old=prev["leader"],
                        new=a["leader"],
                        cause=cause,
                        detail=detail,
                        new_data=gained_data(prev, a),
                    )
                    out.append(flip)
            last[domain] = (day, a)
    return out


def flip_backs(flip_list: Sequence[Flip], within_days: int = 7) -> list[tuple[Flip, Flip]]:
    """A flip undone within a few days on the same evidence: the symptom of an answer that
    follows each day's scrape depth rather than the standings."""
    out = []
    for a, b in itertools.pairwise(flip_list):
        if (
            a.domain == b.domain and a.old == b.new and a.new == b.old
            and (b.after - a.after).days <= within_days and "new data" == a.cause == b.cause
        ):  # fmt: skip
            out.append((a, b))
    return out


def _cells(a: Answer) -> Iterable[dict[str, Any]]:
    """The cells an answer shows: every group of every evidence entry."""
    for s in a.get("sources", []):
        for g in s.get("groups", []):
            yield {**g, "evidence": s["label"]}


class Observations:
    """When each value became observable, read from the database's raw rows."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.first_score: dict[tuple[str, str, float], dt.date] = {}
        for model, source, value, day in con.execute(
            """SELECT model_id, source, round(value, 6), min(valid_from) FROM scores
               WHERE model_id IS NOT NULL GROUP BY ALL"""
        ).fetchall():
            self.first_score[(model, source, value)] = day
        self.available = dict(con.execute("SELECT id, available_from FROM models").fetchall())
        self.first_price: dict[str, dt.date] = dict(
            con.execute(
                """SELECT model_id, min(valid_from) FROM prices WHERE model_id IS NOT NULL
                   AND input_per_mtok > 0 AND output_per_mtok > 0 GROUP BY 1"""
            ).fetchall()
        )


PRICE_LABEL = "price("
PLAIN_FIELDS = ("context_window", "training_compute_flop")


def violations(
    answers_by_date: Sequence[tuple[dt.date, Sequence[Answer]]], seen: Observations
) -> list[Violation]:
    """Every cell checked against the raw rows (see the module docstring)."""
    out: list[Violation] = []
    for day, answers in answers_by_date:
        for a in answers:
            for cell in _cells(a):
                out.extend(_check_cell(a["domain"], day, cell, seen))
    return out


def _check_cell(
    domain: str, day: dt.date, cell: dict[str, Any], seen: Observations
) -> list[Violation]:
    bad = []
    model = cell["model_id"]
    if cell.get("age_days") is None:
        bad.append(Violation(domain, day, "age missing", f"{cell['evidence']}: {model}"))
    available = seen.available.get(model)
    if available is None or available > day:
        bad.append(
            Violation(domain, day, "model not yet available", f"{model} available {available}")
        )
    if cell["evidence"].startswith(PRICE_LABEL):
        first = seen.first_price.get(model)
        if first is None or first > day:
            bad.append(Violation(domain, day, "price not valid", f"{model}: first price {first}"))
        return bad
    if cell["evidence"] in PLAIN_FIELDS:
        return bad
    key = (model, str(cell.get("source")), round(float(cell["score"]), 6))
    first = seen.first_score.get(key)
    if first is None or first > day:
        detail = f"{cell['evidence']}: {model} {cell['score']} ({cell.get('source')}) first {first}"
        bad.append(Violation(domain, day, "used before observed", detail))
    return bad


def summary(flip_list: Sequence[Flip], bad: Sequence[Violation]) -> dict[str, Any]:
    """Counts for a report: flips by cause, flips undone within a week, violations by kind."""
    ordered = sorted(flip_list, key=lambda f: (f.domain, f.after))
    return {
        "flips": len(flip_list),
        "flips_by_cause": dict(Counter(f.cause for f in flip_list)),
        "flips_without_new_data": sum(1 for f in flip_list if not f.new_data),
        "flip_backs": len(flip_backs(ordered)),
        "violations": len(bad),
        "violations_by_kind": dict(Counter(v.kind for v in bad)),
    }
