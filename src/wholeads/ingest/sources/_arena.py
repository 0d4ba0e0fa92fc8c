"""Shared by the arena leaderboard sources: CI strings, licence -> open weights, arena benchmarks.

Seven sources (LMArena snapshots, histories and scrapes, two video arenas) write the same things in
different ways: a CI as "+5/-4", "-12/12" or a bare "±" number; a licence as "Llama 3.1 Community",
"Propretary" or "open"; a category as "hard_6" or "text_full_style_control". Read here once.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._read import is_missing, json_doc, num, where, whole
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import Benchmark, ModelKind, ModelRecord, Provenance, ScoreRecord

ELO_SCALE = "Elo (Bradley-Terry; 400 points = 10x odds)"
STYLE_CONTROL = "style_control"

_CLOSED = re.compile(r"\b(proprietary|propretary|closed)\b", re.IGNORECASE)
# Licences under which LMArena-listed weights are downloadable (open or "open but restricted").
_OPEN = re.compile(
    r"\b(open|apache|mit|llama|qwen|qianwen|deepseek|gemma|cc-by\S*|gpl\S*|bsd|mrl|mistral research"
    r"|nvidia|yi license|jamba|dbrx|falcon|ai2|impact|nexusflow|cogvlm\d*|non-commercial"
    r"|\S*openrail\S*|bigscience|wtfpl|mpl\S*|creativeml)\b",
    re.IGNORECASE,
)


def open_weights(license_text: Any) -> bool | None:
    """Whether a licence string means downloadable weights: proprietary -> False, a named open or
    community licence -> True, blank or 'Other' -> None (unknown)."""
    if is_missing(license_text):
        return None
    s = str(license_text)
    if _CLOSED.search(s):
        return False
    return True if _OPEN.search(s) else None


def license_or_none(license_text: Any) -> str | None:
    """The licence string as written, or None for the missing markers ('-', 'N/A')."""
    if is_missing(license_text):
        return None
    text = str(license_text).strip()
    # 'open' / 'other' say whether weights are out, not which license: not a license fact.
    return None if text.casefold() in {"open", "other", "open source"} else text


def fnum(value: Any) -> float | None:
    """``_read.num`` with a fast path for plain numbers (most cells of the big histories): NaN is
    missing, infinity stays infinite (for the plausibility gates to reject)."""
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return num(value)
        return None if math.isnan(number) else number
    return num(value)


def ci_bounds(value: float, ci: Any) -> tuple[float | None, float | None]:
    """Absolute (low, high) bounds from a relative CI: '+5/-4' -> (v-4, v+5), '-12/12' ->
    (v-12, v+12), 7 or '±7' -> (v-7, v+7); (None, None) when missing; ValueError when unreadable."""
    if isinstance(ci, int | float) and not isinstance(ci, bool):
        return value - abs(ci), value + abs(ci)
    offsets = _ci_offsets(str(ci) if ci is not None else "")
    if offsets is None:
        return None, None
    minus, plus = offsets
    return value - minus, value + plus


@cache
def _ci_offsets(ci: str) -> tuple[float, float] | None:
    """(minus, plus) half-widths of a CI string, cached: histories repeat a few dozen strings."""
    if is_missing(ci):
        return None
    parts = [p.strip() for p in ci.replace("±", "").split("/")]
    if len(parts) == 1:
        half = num(parts[0])
        if half is None:
            raise ValueError(f"unreadable CI {ci!r}")
        return abs(half), abs(half)
    plus: float | None = None
    minus: float | None = None
    loose: list[float] = []
    for part in parts:
        amount = num(part)
        if amount is None or len(parts) != 2:
            raise ValueError(f"unreadable CI {ci!r}")
        if part.startswith("-"):
            minus = abs(amount)
        elif part.startswith("+"):
            plus = abs(amount)
        else:
            loose.append(abs(amount))
    if plus is None and loose:
        plus = loose.pop(0)
    if minus is None and loose:
        minus = loose.pop(0)
    if plus is None or minus is None:
        raise ValueError(f"unreadable CI {ci!r}")
    return minus, plus


# Category names as LMArena writes them -> slug in benchmark ids (convention: hard-prompts).
_CATEGORY_SLUGS = {"hard_6": "hard-prompts", "hard_english_6": "hard-prompts-english"}
_CATEGORY_DOMAINS = {
    "coding": "coding",
    "math": "math",
    "chinese": "chinese_language",
    "creative_writing": "writing",
    "if": "instruction_following",
    "hard_6": "reasoning",
    "hard_english_6": "reasoning",
    "expert": "knowledge",
    "industry_mathematical": "math",
    "industry_software_and_it_services": "coding",
    "industry_writing_and_literature_and_language": "writing",
}
_ARENA_DOMAINS = {
    "vision": "vision",
    "image": "image_generation",
    "code": "coding",
    "webdev": "coding",
    "video-t2v": "video_generation",
    "video-i2v": "video_generation",
    "video-edit": "video_generation",
}
_ARENA_NAMES = {
    "text": "Text",
    "vision": "Vision",
    "image": "Text-to-Image",
    "code": "Code",
    "webdev": "WebDev",
    "video-t2v": "Text-to-Video",
    "video-i2v": "Image-to-Video",
    "video-edit": "Video Edit",
}


def category_slug(category: str) -> str:
    """'hard_6' -> 'hard-prompts', 'creative_writing' -> 'creative-writing'."""
    key = category.strip().lower()
    return _CATEGORY_SLUGS.get(key, key.replace("_", "-").replace(" ", "-"))


def arena_benchmark_id(arena: str, category: str = "full") -> str:
    """'lmarena-<arena>-<category>', e.g. ('text', 'hard_6') -> 'lmarena-text-hard-prompts'."""
    return f"lmarena-{arena}-{category_slug(category)}"


def arena_benchmark(arena: str, category: str = "full") -> Benchmark:
    """The Benchmark definition of one LMArena arena category."""
    key = category.strip().lower()
    domain = _CATEGORY_DOMAINS.get(key) if arena == "text" else None
    label = "overall" if key == "full" else key.replace("_", " ")
    return Benchmark(
        id=arena_benchmark_id(arena, category),
        name=f"LMArena {_ARENA_NAMES.get(arena, arena)} ({label})",
        domain=domain or _ARENA_DOMAINS.get(arena, "general"),
        metric="elo",
        higher_is_better=True,
        scale=ELO_SCALE,
    )


def split_arena_category(text: str) -> tuple[str, str, bool]:
    """'text_hard_6_style_control' -> ('text', 'hard_6', True): the HF-space category keys."""
    arena, _, rest = text.partition("_")
    style = rest.endswith("_" + STYLE_CONTROL)
    if style:
        rest = rest[: -len(STYLE_CONTROL) - 1]
    return arena, rest or "full", style


def scrape_entries(raw: RawFiles, path: str) -> tuple[Mapping[str, Any], list[Any]]:
    """(meta, models) of an arena.ai scrape JSON: a bare list, or {"meta": ..., "models": [...]}."""
    doc = json_doc(raw, path)
    if isinstance(doc, list):
        return {}, doc
    if isinstance(doc, dict) and isinstance(doc.get("models"), list):
        meta = doc.get("meta")
        return (meta if isinstance(meta, dict) else {}), doc["models"]
    raise DataError("expected a list of models or an object with 'models'", file=where(raw, path))


def scrape_score(
    entry: Mapping[str, Any], *, benchmark: str, as_of: dt.date, prov: Provenance
) -> tuple[ScoreRecord | None, list[str]]:
    """One arena.ai row (model, vendor, score, ci as ±, votes) -> a score and its problems."""
    name = str(entry.get("model") or "").strip()
    if not name:
        return None, ["missing model name"]
    value = fnum(entry.get("score"))
    if value is None:
        return None, [f"bad score {entry.get('score')!r} for {name}"]
    problems: list[str] = []
    try:
        low, high = ci_bounds(value, entry.get("ci"))
    except ValueError as exc:
        low = high = None
        problems.append(f"{exc} for {name}")
    votes = fnum(entry.get("votes"))
    vendor = entry.get("vendor")
    score = ScoreRecord(
        name=name,
        lab=None if is_missing(vendor) else str(vendor).strip(),
        benchmark=benchmark,
        value=value,
        ci_low=low,
        ci_high=high,
        n=whole(votes),
        as_of=as_of,
        prov=prov,
    )
    return score, problems


def unique_scores(scores: list[ScoreRecord]) -> list[ScoreRecord]:
    """The scores without exact repeats (same board, model, date, value, interval, votes), first
    kept: scraped histories keep a whole version when any row changed, so unchanged rows repeat
    on the same date, and a few upstream tables list a row twice."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for score in scores:
        key = (
            score.benchmark,
            score.name,
            score.lab,
            score.as_of,
            score.setting,
            score.value,
            score.ci_low,
            score.ci_high,
            score.n,
        )
        if key not in seen:
            seen.add(key)
            kept.append(score)
    return kept


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building ~100k records: the records hold no
    cycles, and the collector's repeated full scans of a growing list double the load time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class ModelFacts:
    """One ModelRecord per distinct set of facts: snapshot histories repeat a model on every date,
    so only the first row that states a (name, lab, licence, ...) combination is kept."""

    def __init__(self, kind: ModelKind | None = None) -> None:
        self.kind = kind
        self._records: dict[tuple[Any, ...], ModelRecord] = {}
        self._raw_seen: set[tuple[Any, ...]] = set()

    def add(self, name: str, lab: Any, license_text: Any, prov: Provenance, **facts: Any) -> None:
        """Record what a row states about a model (lab, licence, any other ModelRecord field)."""
        raw_key = (name, lab, license_text, *facts.items())
        if raw_key in self._raw_seen:
            return
        self._raw_seen.add(raw_key)
        lab_s = None if is_missing(lab) else str(lab).strip()
        lic = license_or_none(license_text)
        key = (name, lab_s, lic, *sorted(facts.items()))
        if key in self._records:
            return
        self._records[key] = ModelRecord(
            name=name,
            lab=lab_s,
            license=lic,
            open_weights=open_weights(license_text),
            kind=self.kind,
            prov=prov,
            **facts,
        )

    def records(self) -> list[ModelRecord]:
        """The records in the order first seen."""
        return list(self._records.values())
