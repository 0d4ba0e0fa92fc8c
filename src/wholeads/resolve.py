"""Entity resolution: the many spellings of a model or lab -> canonical ids.

Precision comes first: a wrong merge corrupts every ranking. A name is matched only through an
exact key after normalization (case, punctuation, provider prefixes, date-suffix forms, settings
such as reasoning effort or quantization). Keys claimed by two different models are dropped as
ambiguous. A name that matches nothing is reported as unmatched, never guessed into a neighbour.

Normalization, in order:
1. provider prefixes (``deepseek/``, ``accounts/fireworks/models/``, ``us.anthropic.``) and
   markup (``*``, links, emojis) are removed;
2. trailing settings become a separate ``setting`` (``-high``, ``(xhigh)``, ``-fp8``,
   ``(codex-harness)``): a setting of a version, not a new model;
3. a trailing date becomes a 4-digit ``@MMDD`` tag (``-0528``, ``-2025-05-28``, ``20250528``);
4. what remains is squashed to lowercase letters and digits (``DeepSeek R1`` = ``deepseek-r1``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

SETTING_WORDS = frozenset(
    {
        "low",
        "medium",
        "high",
        "xhigh",
        "minimal",
        "fp8",
        "fp16",
        "bf16",
        "int4",
        "int8",
        "awq",
        "gptq",
        "gguf",
        "mlx",
        "nothink",
        "no-think",
        "no thinking",
        "codex-harness",
        "low-effort",
        "medium-effort",
        "high-effort",
        "max-effort",
        "xhigh-effort",
        "nothinking",
        "highthinking",
        "diff",
        "whole",
        "udiff",
        "diff-fenced",
        "editor-diff",
        "editor-whole",
        "architect",
        "no think",
    }
)
_PREFIX_RE = re.compile(
    r"^(?:[a-z]{2}\.)?(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|"
    r"qwen|openai|google|xai|moonshotai|minimax)\.(?=[a-z])"
)
_BEDROCK_SUFFIX_RE = re.compile(r"-v\d+(?::\d+)?$")
_BEDROCK_HINT_RE = re.compile(r"\d{8}-v\d")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMOJI_RE = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
_SPLIT_RE = re.compile(r"[-_ :]")
_EFFORT_TAIL_RE = re.compile(r"[-_ ]((?:low|medium|high|xhigh|max)[-_ ]effort)$")
_THINK_BUDGET_RE = re.compile(r"\s*\((\d{1,3}k think)\)$")
_QUANT_TAIL_RE = re.compile(r"[-_:](q\d(?:_k)?(?:_[0-9a-z])?)$")
_BUDGET_TAIL_RE = re.compile(r"_(\d{1,3}k)$")
_ISO_PAREN_RE = re.compile(r"(20\d{2})-(\d{2})-(\d{2})")
_MONTH_PAREN_RE = re.compile(r"([a-z]{3})[a-z]*\.? (20\d{2})")
_HAS_LETTER_RE = re.compile(r"[a-z]")
_DECIMAL_P_RE = re.compile(r"(?<=[a-z]\d)p(?=\d)")
_SQUASH_RE = re.compile(r"[^0-9a-z\x01]+")
_DIGIT_GAP_RE = re.compile(r"(?<=\d)[^0-9a-z]+(?=\d)")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DATE_TAIL_RE = re.compile(r"[-_ .@]((20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?([0-2]\d|3[01])|\d{4})$")


@dataclass(frozen=True)
class NameKey:
    """A normalized model name: squashed base, optional @MMDD date tag, and a setting."""

    base: str
    date: str | None
    setting: str | None

    @property
    def key(self) -> str:
        return f"{self.base}@{self.date}" if self.date else self.base


def squash(text: str) -> str:
    """Lowercase letters and digits, with one '.' wherever a separator stood between two digits:
    'Claude 3.5 Sonnet' == 'claude-3-5-sonnet', but 'Qwen2-57B' != 'Qwen2.5-7B'."""
    low = _DIGIT_GAP_RE.sub("\x01", text.casefold())
    return _SQUASH_RE.sub("", low).replace("\x01", ".")


_SIZE_PAREN_RE = re.compile(r"\s*\((\d+(?:\.\d+)?[bm])(?:\s*/\s*(\d+(?:\.\d+)?[bm]))?\)\s*$", re.I)
_INST_RE = re.compile(r"(?<=[-_ ])inst(?=$|[-_ ])")


def _size_paren(name: str) -> str:
    """A trailing parameter count, as leaderboards write it ('Qwen3-14B* (14B)', 'Llama3.1
    (70B)', 'Jamba-1.5-mini (12B/52B)'): dropped when the name already says it or when it is an
    active/total pair or a dated checkpoint ('Mistral-Large-2411 (123B)'), else kept as part of
    the name, so sizes never merge."""
    m = _SIZE_PAREN_RE.search(name)
    if not m:
        return name
    base = name[: m.start()].strip().rstrip("*").strip()
    size = m.group(1)
    if m.group(2) or squash(size) in squash(base) or _DATE_TAIL_RE.search(base.casefold()):
        return base
    return f"{base} {size}"


def _strip_prefixes(name: str) -> str:
    if "](" in name:
        name = _LINK_RE.sub(lambda m: m.group(1), name)
    name = _size_paren(name.strip())
    name = name.strip().strip("*").strip()
    name = _EMOJI_RE.sub("", name).strip()
    if "/" in name and not name.endswith("/"):
        name = name.rsplit("/", 1)[1]
    low = _PREFIX_RE.sub("", name.casefold())
    if _BEDROCK_HINT_RE.search(low):
        low = _BEDROCK_SUFFIX_RE.sub("", low)
    low = _DECIMAL_P_RE.sub(".", low)  # fireworks spells 'kimi-k2.5' as 'kimi-k2p5'
    low = _INST_RE.sub("instruct", low)  # HELMET's 'Qwen2.5-7B-Inst'
    return low.strip().strip("*").strip()


def _take_settings(name: str) -> tuple[str, list[str]]:
    settings: list[str] = []
    while True:
        paren = _PAREN_RE.search(name)
        if paren and paren.group(1).strip().casefold() in SETTING_WORDS:
            settings.insert(0, paren.group(1).strip().casefold())
            name = name[: paren.start()].rstrip()
            continue
        tail = (
            _EFFORT_TAIL_RE.search(name)
            or _BUDGET_TAIL_RE.search(name)
            or _THINK_BUDGET_RE.search(name)
            or _QUANT_TAIL_RE.search(name)
        )
        if tail:
            settings.insert(0, tail.group(1))
            name = name[: tail.start()].rstrip()
            continue
        parts = _SPLIT_RE.split(name)
        if len(parts) > 1 and parts[-1] in SETTING_WORDS:
            settings.insert(0, parts[-1])
            name = name[: len(name) - len(parts[-1]) - 1].rstrip()
            continue
        return name, settings


def _take_date(name: str) -> tuple[str, str | None]:
    paren = _PAREN_RE.search(name)
    if paren:
        inner = paren.group(1).strip().casefold()
        m = _ISO_PAREN_RE.fullmatch(inner)
        if m:
            return name[: paren.start()].rstrip(), m.group(2) + m.group(3)
        if len(inner) == 4 and inner.isdigit():
            return name[: paren.start()].rstrip(), inner
        if len(inner) == 8 and inner.isdigit() and inner.startswith("20"):
            return name[: paren.start()].rstrip(), inner[4:]
        m = _MONTH_PAREN_RE.fullmatch(inner)
        if m and m.group(1) in _MONTHS:
            return name[: paren.start()].rstrip(), f"{m.group(2)}{_MONTHS[m.group(1)]:02d}"
    m = _DATE_TAIL_RE.search(name)
    if m and _HAS_LETTER_RE.search(name[: m.start()]):
        tag = m.group(3) + m.group(4) if m.group(2) else m.group(1)
        return name[: m.start()].rstrip("-_ .@"), tag
    return name, None


@lru_cache(maxsize=65536)
def normalize(name: str) -> NameKey:
    """Split a raw model string into a matching key and a setting (see module docstring).

    An Aider architect/editor pair 'A + B' is model A (the architect, which plans the edit)
    with the setting 'editor=B'.
    """
    if " + " in name:
        architect, editor = name.split(" + ", 1)
        key = normalize(architect)
        setting = "-".join(p for p in (key.setting, f"editor={editor.strip()}") if p)
        return NameKey(key.base, key.date, setting)
    cleaned = _strip_prefixes(name)
    cleaned, settings = _take_settings(cleaned)
    cleaned, date = _take_date(cleaned)
    cleaned, more = _take_settings(cleaned)
    settings = more + settings
    if cleaned.endswith("-thinking-auto"):  # LiveBench: adaptive thinking is the thinking mode
        cleaned, settings = cleaned[: -len("-auto")], ["auto", *settings]
    return NameKey(squash(cleaned), date, "-".join(settings) or None)


def lab_key(name: str) -> str:
    """Matching key of an organization name."""
    return squash(_LINK_RE.sub(r"\1", name))


@dataclass
class ModelEntry:
    """What the resolver knows of one canonical model."""

    id: str
    lab_id: str | None
    family_id: str | None
    release_date: str | None = None
    """ISO date, used to match a dated name to an undated version released that day."""


@dataclass
class Match:
    """The outcome of resolving one model name."""

    name: str
    model_id: str | None
    setting: str | None
    matched_by: str | None
    """'exact', 'alias', 'normalized', 'release_date', or None when unmatched."""


@dataclass
class Resolver:
    """Exact-key index of models and labs; build once, query many times."""

    models: dict[str, ModelEntry] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)
    _key_rank: dict[str, int] = field(default_factory=dict)
    _ambiguous: set[str] = field(default_factory=set)
    _undated: dict[str, list[str]] = field(default_factory=dict)
    _labs: dict[str, str] = field(default_factory=dict)
    _exact: dict[str, str] = field(default_factory=dict)
    _rolling: dict[str, list[tuple[str, dt.date, dt.date | None]]] = field(default_factory=dict)

    def add_rolling(
        self, alias: str, model_id: str, valid_from: dt.date, valid_to: dt.date | None
    ) -> None:
        """Register one period of a rolling API name (it meant ``model_id`` in that period)."""
        periods = self._rolling.setdefault(normalize(alias).key, [])
        periods.append((model_id, valid_from, valid_to))
        periods.sort(key=lambda p: p[1])

    def add_model(self, entry: ModelEntry, names: Iterable[str], rank: int = 0) -> None:
        """Register a model under its id and names. Lower rank wins a key (curated = 0).

        Two models claiming one key at the same rank make the key ambiguous: it then matches
        nothing, so neither model steals the other's scores.
        """
        self.models.setdefault(entry.id, entry)
        for name in {entry.id, *names}:
            if not name:
                continue
            self._exact.setdefault(name.casefold(), entry.id)
            nk = normalize(name)
            self._claim(nk.key, entry.id, rank)
            if nk.date is None and entry.release_date:
                self._undated.setdefault(nk.base, []).append(entry.id)

    def _claim(self, key: str, model_id: str, rank: int) -> None:
        if not key or (key in self._ambiguous and rank >= self._key_rank.get(key, 99)):
            return
        current = self._keys.get(key)
        if current is None or rank < self._key_rank[key]:
            self._keys[key], self._key_rank[key] = model_id, rank
            self._ambiguous.discard(key)
        elif current != model_id and rank == self._key_rank[key]:
            self._ambiguous.add(key)

    def add_lab(self, lab_id: str, names: Iterable[str]) -> None:
        """Register a lab under its id and aliases (first registration of a key wins)."""
        for name in {lab_id, *names}:
            if name:
                self._labs.setdefault(lab_key(name), lab_id)

    def resolve(self, name: str, when: dt.date | None = None) -> Match:
        """Resolve one raw model string to a canonical version, or report it unmatched.

        ``when`` is the date of the record that uses the name; it picks the period of a rolling
        API name (without a date, the version the name meant at launch).
        """
        nk = normalize(name)
        periods = self._rolling.get(nk.key)
        if periods:
            return Match(name, _pick_period(periods, when), nk.setting, "rolling")
        if nk.date and (periods := self._rolling.get(nk.base)):
            # A rolling name with the date it was used, e.g. Aider's "chatgpt-4o-latest
            # (2025-03-29)": that date picks the period; without a full date, no match.
            used = _full_date(name)
            model_id = _pick_period(periods, used) if used else None
            return Match(name, model_id, nk.setting, "rolling")
        exact = self._exact.get(name.strip().casefold())
        if exact is not None:
            return Match(name, exact, nk.setting, "exact")
        model_id = self._keys.get(nk.key) if nk.key not in self._ambiguous else None
        if model_id is not None:
            return Match(name, model_id, nk.setting, "normalized")
        if nk.date:
            dated = [
                mid
                for mid in self._undated.get(nk.base, [])
                if (self.models[mid].release_date or "").replace("-", "")[4:8] == nk.date
                or (self.models[mid].release_date or "").replace("-", "")[2:6] == nk.date
            ]
            if len(set(dated)) == 1:
                return Match(name, dated[0], nk.setting, "release_date")
        return Match(name, None, nk.setting, None)

    def resolve_lab(self, name: str | None) -> str | None:
        """Resolve an organization string; for a comma list, the first organization that resolves.

        Epoch lists the lead organization first, so the first match is the model's lab.
        """
        if not name:
            return None
        found = self._labs.get(lab_key(name))
        if found:
            return found
        for part in re.split(r",|&|/| and ", name):
            found = self._labs.get(lab_key(part))
            if found:
                return found
            inner = re.search(r"\(([^)]+)\)", part)
            if inner and (found := self._labs.get(lab_key(inner.group(1)))):
                return found
            stripped = re.sub(r"\([^)]*\)", "", part)
            if found := self._labs.get(lab_key(stripped)):
                return found
        return None


_FULL_DATE_RE = re.compile(r"(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?([0-2]\d|3[01])")


def _full_date(name: str) -> dt.date | None:
    """A complete date written in a name (2025-03-29, 20250329), if any."""
    m = _FULL_DATE_RE.search(name)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _pick_period(
    periods: list[tuple[str, dt.date, dt.date | None]], when: dt.date | None
) -> str | None:
    if when is None:
        return periods[0][0]
    for model_id, start, end in periods:
        if start <= when and (end is None or when < end):
            return model_id
    return None


def provisional_id(name: str) -> str:
    """Id for a model known only from sources: a slug of its name without settings."""
    nk = normalize(name)
    cleaned = _take_settings(_strip_prefixes(name))[0]
    slug = re.sub(r"[^0-9a-z.]+", "-", cleaned.casefold()).strip("-.")
    return slug or nk.key
