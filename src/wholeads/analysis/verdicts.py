"""Verdicts on claims, from values already resolved and read as of the claim's date.

Pure: the checker (``wholeads.claims.checker``) reads the database and passes values here; this
module only compares them and says why. Five verdicts: ``supported``, ``contradicted``, ``tie`` (a
leader or compare claim on values whose difference is within noise: the data cannot tell which is
ahead, so the claim is neither supported nor contradicted), ``undecided`` (an ordered comparison
of partial dates, such as knowledge cutoffs '2024-07' vs '2024-07-31', that their precision
cannot decide) and ``insufficient_evidence`` (which always says what is missing). No verdict is
a guess: a missing value is never treated as a mismatch. Significance is the leaders' test
(``analysis.leaders.significance``); when a value has no interval the verdict is given and the
explanation says it was not tested.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from wholeads.analysis.frontier import Trend
from wholeads.analysis.leaders import DomainLeaders
from wholeads.analysis.shortlist import normalize_license

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
TIE = "tie"
INSUFFICIENT = "insufficient_evidence"
UNDECIDED = "undecided"
VERDICTS = (SUPPORTED, CONTRADICTED, TIE, UNDECIDED, INSUFFICIENT)

_SUFFIX_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmbt]?)\s*$", re.IGNORECASE)
_SCALE = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}


@dataclass(frozen=True)
class Verdict:
    """One claim's verdict, a one-line explanation, and the values it rests on."""

    verdict: str
    explanation: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Valued:
    """One side of a comparison with its value and where the value comes from."""

    label: str
    """What the side stands for ('deepseek-r1', 'best US model', '4000000')."""
    value: float | dt.date
    model_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    """Source, date, interval: whatever lets a reader check the value."""


def as_number(value: Any, unit_billions: bool = False) -> float | None:
    """A number from YAML: 4000000, '4M', '128k', '671B' (parameters are billions: '671B' = 671,
    '1.5T' = 1500). None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    m = _SUFFIX_RE.match(str(value))
    if m is None:
        return None
    scale = _SCALE[m.group(2).lower()]
    return float(m.group(1)) * (scale / 1e9 if unit_billions and m.group(2) else scale)


def as_date(value: Any) -> dt.date | None:
    """A date from YAML (a date, or 'YYYY-MM-DD' / 'YYYY-MM' text)."""
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text)
    except ValueError:
        return None


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same_value(
    ftype: str, actual: Any, expect: Any, tolerance: float | None, fname: str = ""
) -> tuple[bool, str]:
    """Whether a stated value matches the data, and the comparison as text."""
    if ftype == "date":
        want = as_date(expect)
        if want is None:
            raise ValueError(f"'{expect}' is not a date")
        days = abs((actual - want).days)
        tol = int(tolerance or 0)
        return days <= tol, f"{actual} vs stated {want} ({days} days apart, tolerance {tol})"
    if ftype == "number":
        want_n = as_number(expect, unit_billions=fname.endswith("parameters"))
        if want_n is None:
            raise ValueError(f"'{expect}' is not a number")
        diff = abs(float(actual) - want_n)
        tol_n = tolerance or 0.0
        return diff <= tol_n, (
            f"{_show(float(actual))} vs stated {_show(want_n)} (tolerance {_show(tol_n)})"
        )
    if ftype == "bool":
        if not isinstance(expect, bool):
            raise ValueError(f"'{expect}' is not true/false")
        return bool(actual) == expect, f"{_show(bool(actual))} vs stated {_show(expect)}"
    if fname == "license":
        ok = normalize_license(str(actual)) == normalize_license(str(expect))
    else:
        ok = str(actual).casefold() == str(expect).casefold()
    return ok, f"'{actual}' vs stated '{expect}'"


def judge_fact(
    subject: str,
    fname: str,
    ftype: str,
    actual: Any,
    expect: Any,
    tolerance: float | None,
    evidence: dict[str, Any],
    missing: str | None = None,
    context: str = "",
) -> Verdict:
    """A stated value against the data's value (``missing`` says why there is none; ``context``
    is appended to the explanation, e.g. the models behind a lab's value)."""
    if actual is None:
        why = missing or f"no {fname} is recorded for {subject}"
        return Verdict(INSUFFICIENT, why, evidence)
    ok, how = same_value(ftype, actual, expect, tolerance, fname)
    text = f"{subject} {fname}: {how}" + (f"; {context}" if context else "")
    return Verdict(SUPPORTED if ok else CONTRADICTED, text, evidence)


def best_of(members: list[Valued], lower_is_better: bool = False) -> Valued | None:
    """A group's best member (ties: the first in the given order)."""
    if not members:
        return None
    key = (lambda v: v.value) if lower_is_better else (lambda v: _neg(v.value))
    return min(members, key=key)


def _neg(value: float | dt.date) -> float:
    return -(value.toordinal() if isinstance(value, dt.date) else value)


def _diff(a: float | dt.date, b: float | dt.date) -> float:
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return float((a - b).days)
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        raise ValueError("cannot compare a date with a number")
    return float(a) - float(b)


def holds(op: str, diff: float, tolerance: float | None) -> bool:
    """Whether ``left op right`` holds given left minus right."""
    if op == "~":
        return abs(diff) <= (tolerance or 0.0)
    return {">": diff > 0, ">=": diff >= 0, "<": diff < 0, "<=": diff <= 0}[op]


def judge_compare(
    what: str,
    left: Valued | None,
    right: Valued | None,
    op: str,
    tolerance: float | None,
    evidence: dict[str, Any],
    missing: str | None = None,
    significant: bool | None = None,
    test: str | None = None,
) -> Verdict:
    """``left op right`` on one field or one piece of evidence. With ``significant`` False (the
    two values' intervals say the difference is within noise) an ordering claim is a ``tie``."""
    if left is None or right is None:
        absent = [s for s, v in (("left", left), ("right", right)) if v is None]
        why = missing or f"no {what} value for the {' and '.join(absent)} side"
        return Verdict(INSUFFICIENT, why, evidence)
    diff = _diff(left.value, right.value)
    ok = holds(op, diff, tolerance)
    unit = " days" if isinstance(left.value, dt.date) else ""
    tol = f" (tolerance {_show(tolerance or 0.0)}{unit})" if op == "~" else ""
    text = (
        f"{what}: {left.label} {_show(left.value)} {op} {right.label} {_show(right.value)}"
        f"{tol} {'holds' if ok else 'does not hold'} (difference {_show(diff)}{unit})"
    )
    if op != "~" and significant is False:
        return Verdict(TIE, f"{text}, but within noise ({test}): a tie", evidence)
    if op != "~" and test is not None and significant is None:
        text += f" ({test}: not tested for noise)"
    return Verdict(SUPPORTED if ok else CONTRADICTED, text, evidence)


_PARTIAL_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_span(value: str | dt.date) -> tuple[dt.date, dt.date, str]:
    """The first and the last day a partial date can mean, and its precision: '2024' is the
    whole year, '2024-07' 1-31 July, '2024-07-31' (or a date) that day."""
    if isinstance(value, dt.date):
        return value, value, "day"
    match = _PARTIAL_RE.match(str(value).strip())
    if match is None:
        raise ValueError(f"'{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if day is not None and month is not None:
        exact = dt.date(year, month, day)
        return exact, exact, "day"
    if month is not None:
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, after - dt.timedelta(days=1), "month"
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"


def decide_partial(op: str, low: int, high: int, tolerance: float | None) -> bool | None:
    """Whether ``left op right`` holds for every (True) or no (False) pair of days the two
    partial dates can mean, given the range [low, high] of left minus right in days; None when
    it holds for some pairs only (the precision cannot decide)."""
    if op == "~":
        t = tolerance or 0.0
        return True if -t <= low and high <= t else False if low > t or high < -t else None
    always = {">": low > 0, ">=": low >= 0, "<": high < 0, "<=": high <= 0}[op]
    never = {">": high <= 0, ">=": high < 0, "<": low >= 0, "<=": low > 0}[op]
    return True if always else False if never else None


def judge_partial_compare(
    what: str,
    left: Valued | None,
    right: Valued | None,
    op: str,
    tolerance: float | None,
    evidence: dict[str, Any],
) -> Verdict:
    """``left op right`` on partial dates (knowledge cutoffs), compared at their precision: a
    claim holds when it holds for every day both values can mean, fails when it holds for none,
    and is ``undecided`` otherwise ('2024-07-31' > '2024-07': July 31 is not after every day of
    July, nor before or on all of them)."""
    if left is None or right is None:
        absent = [s for s, v in (("left", left), ("right", right)) if v is None]
        return Verdict(INSUFFICIENT, f"no {what} value for the {' and '.join(absent)} side",
                       evidence)  # fmt: skip
    l0, l1, lp = partial_span(cast_partial(left.value))
    r0, r1, rp = partial_span(cast_partial(right.value))
    low, high = (l0 - r1).days, (l1 - r0).days
    ok = decide_partial(op, low, high, tolerance)
    diff = f"{low} days" if low == high else f"{low} to {high} days"
    tol = f" (tolerance {_show(tolerance or 0.0)} days)" if op == "~" else ""

    def side(v: Valued, precision: str) -> str:
        value = _show(v.value)
        return f"{value} ({precision})" if v.label == value else f"{v.label} {value} ({precision})"

    text = f"{what}: {side(left, lp)} {op} {side(right, rp)}{tol}"
    evidence = {**evidence, "difference_days": [low, high]}
    if ok is None:
        return Verdict(
            UNDECIDED,
            f"{text} cannot be decided at the precision stated (difference {diff})",
            evidence,
        )
    return Verdict(
        SUPPORTED if ok else CONTRADICTED,
        f"{text} {'holds' if ok else 'does not hold'} (difference {diff})",
        evidence,
    )


def cast_partial(value: Any) -> str | dt.date:
    """A partial date as the claim or the source gives it (text or a date)."""
    return value if isinstance(value, dt.date) else str(value)


def judge_leader(result: DomainLeaders, expect: str, among: str = "") -> Verdict:
    """The expected leader against the domain's answer (the same logic as `wholeads leaders`)."""
    d = result.to_dict()
    evidence = {
        "domain": result.domain, "by": result.by, "as_of": result.as_of,
        "evidence": result.primary, "leader": result.leader, "gap": d["gap"],
        "groups": [
            {k: g[k] for k in ("group", "model_id", "score", "ci_low", "ci_high", "source", "date")}
            for g in d["groups"]
        ],
        "sources_agree": f"{result.agreeing}/{result.compared}",
    }  # fmt: skip
    scope = f" among {among}" if among else ""
    if result.status != "ok" or result.leader is None:
        why = f"{result.domain}{scope}: no leader as of {result.as_of}; needs {result.needed}"
        return Verdict(INSUFFICIENT, why, evidence)
    gap = result.gap
    sig = ""
    if gap is not None:
        at_least = "at least " if gap.bound == "at_least" else ""
        sig = f", gap {at_least}{_show(gap.points)} {result.unit} over {gap.runner_up}" + (
            " (not tested: no interval)" if gap.significant is None else
            (" (significant)" if gap.significant else " (within noise)")
        )  # fmt: skip
    evidence["verdict"] = result.verdict
    evidence["age_days"] = result.age_days
    best = next((g for g in result.groups if g.group == result.leader), None)
    model = f" ({best.model_id})" if best else ""
    ok = result.leader.casefold() == expect.casefold()
    text = (
        f"{result.domain}{scope}: {result.leader} leads{model} on {result.primary}"
        f" ({result.evidence_date}){sig}; stated leader {expect}"
    )
    pair = {gap.leader.casefold(), gap.runner_up.casefold()} if gap is not None else set()
    if result.verdict == "tie" and gap is not None and expect.casefold() in pair:
        text = (
            f"{result.domain}{scope}: {gap.leader} and {gap.runner_up} are tied within noise on "
            f"{result.primary} ({result.evidence_date}){sig}; stated leader {expect}"
        )
        return Verdict(TIE, text, evidence)
    return Verdict(SUPPORTED if ok else CONTRADICTED, text, evidence)


def judge_trend(t: Trend, expect: str, a: str, b: str, evidence: dict[str, Any]) -> Verdict:
    """Narrowing or widening from the least-squares trend of the gap (``analysis.frontier``).

    'flat' (the fitted change is under 5% of the mean gap) and 'crossed' (the lead changed hands)
    contradict both narrowing and widening; fewer than two gap points over 30 days is
    insufficient evidence.
    """
    if t.direction == "insufficient_evidence":
        why = (
            f"gap {a} vs {b}: {t.points} dated gap value(s) in the window; "
            "needs two at least 30 days apart"
        )
        return Verdict(INSUFFICIENT, why, evidence)
    slope = "" if t.slope_per_month is None else f", slope {t.slope_per_month:+.2f}/month"
    text = (
        f"gap {a} minus {b}: {_show(t.gap_start)} -> {_show(t.gap_end)} over {t.points} points"
        f"{slope}: {t.direction}; stated {expect}"
    )
    return Verdict(SUPPORTED if t.direction == expect else CONTRADICTED, text, evidence)


def judge_policy(matched: list[dict[str, Any]], expect: bool, what: str, as_of: dt.date) -> Verdict:
    """A policy claim: did an event matching ``what`` happen by ``as_of``? ``matched`` are the
    timeline's matching events dated on or before it (each with its official source)."""
    happened = bool(matched)
    verdict = SUPPORTED if happened is expect else CONTRADICTED
    if happened:
        first = matched[0]
        why = (f"{what}: {first['id']} on {first['date']} ({first['summary']})"
               + (f" and {len(matched) - 1} more" if len(matched) > 1 else ""))  # fmt: skip
    else:
        why = f"{what}: no such event in the policy timeline on or before {as_of}"
    return Verdict(verdict, why, {"as_of": as_of, "events": matched})
