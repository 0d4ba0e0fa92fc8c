"""Entity resolution: raw model and lab names -> canonical ids, by parts, with explicit rules.

A wrong merge moves a leader, so every rule is exact on the identity parts of the grammar
(``wholeads.ingest.names``): stem, tiers, size, active size, mode, context variant and checkpoint. A
setting (effort, thinking budget, quantization, harness, edit format, served variant) never makes
another model. Rules, in order; the first that applies decides:

1. **exact**: a registered spelling, case-insensitive; **unprefixed**: a registered spelling
   behind a route or vendor prefix ('deepseek/deepseek-r1'), when the vendor is the model's lab.
2. **rolling**: an API name whose meaning changed (``kb/rolling_aliases.yaml``) resolves by the
   date of the record that uses it (without a date: its meaning at launch).
3. **implied mode**: a thinking budget ('_32K') means the thinking version of the line; Epoch's
   '_unknown' (thinking unknown) and a budget on a line without modes mean the line's only
   version, else nothing.
4. **key**: equal identity keys. A name without a mode on a line that exists only as thinking
   and non-thinking versions is neither: no match, reported as mode unknown.
5. **checkpoint**: a checkpoint without its year or with two readings ('-0528', '(08-24)') matches
   the versions of the same line whose checkpoint agrees; a dated name matches an undated version
   released that day. Versions after the record's date are ruled out. A rolling name with the
   day it was used ('chatgpt-4o-latest (2025-03-29)') picks that day's period.
6. **active size**: a name that gives a mixture of experts' total size but not its active size
   ('qwen3-235b', 'Qwen2-57B-Inst') matches the one version with that total and some active size.
7. **glued version**: a version written without its dot ('openai-gpt-52', 'minimax-m25',
   'qwen35-397b-a17b') matches the one version whose dotted number it is, when no version is
   written that way.

A match whose name carries a vendor that is not the model's lab is no match (a fine-tune keeps its
base's name).
Two models claiming one key at the same rank (curated = 0) make it ambiguous: it matches nothing
unless the lab the record gives picks one, and the candidates are reported. A name no rule
matches is reported as unmatched with its reason, never guessed into a neighbour.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from wholeads.ingest.names import NameParts, parse
from wholeads.ingest.names.dates import PartialDate, full_date

NO_CANDIDATE = "no candidate"
AMBIGUOUS = "ambiguous"
ROLLING_OUTSIDE = "rolling name outside its periods"
MODE_UNKNOWN = "thinking mode unknown"
VENDOR_DIFFERS = "vendor differs"
THINKING_MODES = frozenset({"thinking", "nonthinking"})


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """What the resolver knows of one canonical model."""

    id: str
    lab_id: str | None
    family_id: str | None
    release_date: str | None = None
    """ISO date: a dated name matches an undated version released that day; completes the year
    of a checkpoint written without one."""


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of resolving one model name."""

    name: str
    model_id: str | None
    setting: str | None
    matched_by: str | None
    """'exact', 'rolling', 'key', 'checkpoint', 'release_date', 'implied_mode', or None."""
    reason: str | None = None
    """Why nothing matched: 'no candidate', 'ambiguous', 'thinking mode unknown', ..."""
    candidates: tuple[str, ...] = ()
    """The models an ambiguous name could be."""


@dataclass(slots=True)
class Claim:
    """Who holds one key: the model (None when ambiguous), its rank and every claimant."""

    model_id: str | None
    rank: int
    claimants: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Registration:
    """One name registered for one model (stored as a ``resolver_names`` row)."""

    name: str
    model_id: str
    rank: int
    key: str
    loose_key: str
    modeless_key: str
    activeless_key: str
    """The key with the active size as '*' (only for a name that gives an active size)."""
    bare: str
    """The spelling without its vendor prefix (exact claims use it too; empty for a curated
    spelling with a route, which names the model on that route only)."""
    mode: str
    checkpoint: PartialDate | None
    """The name's checkpoint, with the year of the model's release where it omits it."""


def _claim(index: dict[str, Claim], key: str, model_id: str, rank: int) -> None:
    """Lower rank wins a key; two models at the same rank make it ambiguous (order-free)."""
    if not key:
        return
    current = index.get(key)
    if current is None or rank < current.rank:
        index[key] = Claim(model_id, rank, {model_id})
    elif rank == current.rank:
        current.claimants.add(model_id)
        if current.model_id != model_id:
            current.model_id = None


def registrations(entry: ModelEntry, names: Iterable[str], rank: int) -> list[Registration]:
    """The registrations of a model under its id and names (each name parsed once).

    Two kinds of curated spelling claim only themselves, not their key: one with a route
    ('fireworks/deepseek-v3p2': what that provider serves), and one that drops a mode, tier or
    size of its version ('Llama 3.1 405B' for Llama 3.1 405B Instruct, 'Kling 2.6' for Kling
    2.6 Pro: the key also fits the base checkpoint or the Standard tier).
    """
    release = dt.date.fromisoformat(entry.release_date) if entry.release_date else None
    own = parse(entry.id)
    out = []
    for name in dict.fromkeys([entry.id, *names]):
        if not name or not name.strip():
            continue
        parts = parse(name)
        if parts.implied_mode in THINKING_MODES:  # 'X (Reasoner)' registered for a thinking model
            parts = replace(parts, mode=parts.implied_mode, implied_mode=None)
        checkpoint = parts.checkpoint.completed(release) if parts.checkpoint else None
        reading = checkpoint.readings[0] if checkpoint and len(checkpoint.readings) == 1 else None
        route_only = (
            rank == 0
            and name != entry.id
            and (parts.route is not None or _drops_identity(own, parts))
        )
        out.append(
            Registration(
                name=name,
                model_id=entry.id,
                rank=rank,
                key="" if route_only else parts.key,
                loose_key="" if route_only else parts.identity(checkpoint=False),
                modeless_key="" if route_only else parts.identity(mode=False),
                activeless_key=""
                if route_only or not parts.active
                else parts.identity(active=False),
                bare="" if parts.route is not None and rank == 0 else parts.bare,
                mode=parts.mode or "",
                checkpoint=reading,
            )
        )
    return out


def _drops_identity(own: NameParts, alias: NameParts) -> bool:
    """Whether a spelling leaves out a mode, tier or size its version's id states."""
    return (
        (own.mode is not None and alias.mode is None)
        or not set(own.tiers) <= set(alias.tiers)
        or (own.size is not None and alias.size is None)
    )


def _completed_key(reg: Registration) -> str | None:
    """The key with the checkpoint's year filled in ('deepseek-r1-0528' -> 2025-05-28)."""
    if reg.checkpoint is None or reg.checkpoint.year is None:
        return None
    head = reg.loose_key.rsplit("|", 1)[0]
    return f"{head}|{reg.checkpoint.text()}"


@lru_cache(maxsize=131072)
def _read(name: str) -> tuple[NameParts, str | None, str, str]:
    """A name's parts, setting text, identity key and exact spelling key, read once per name:
    a build resolves the same names under many dates and labs."""
    parts = parse(name)
    return parts, parts.setting, parts.key, name.strip().casefold()


@dataclass
class Resolver:
    """Indexes of models and labs by name parts; build once, query many times."""

    models: dict[str, ModelEntry] = field(default_factory=dict)
    exact: dict[str, Claim] = field(default_factory=dict)
    keys: dict[str, Claim] = field(default_factory=dict)
    loose: dict[str, dict[str, tuple[int, set[PartialDate]]]] = field(default_factory=dict)
    modes: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    actives: dict[str, dict[str, int]] = field(default_factory=dict)
    dotless: dict[str, dict[str, int]] = field(default_factory=dict)
    labs: dict[str, Claim] = field(default_factory=dict)
    rolling: dict[str, list[tuple[str, dt.date, dt.date | None]]] = field(default_factory=dict)
    registered: list[Registration] = field(default_factory=list)

    # -- registration ----------------------------------------------------------------------
    def add_rolling(
        self, alias: str, model_id: str, valid_from: dt.date, valid_to: dt.date | None
    ) -> None:
        """Register one period of a rolling API name (it meant ``model_id`` in that period)."""
        periods = self.rolling.setdefault(parse(alias).key, [])
        periods.append((model_id, valid_from, valid_to))
        periods.sort(key=lambda p: p[1])

    def add_model(self, entry: ModelEntry, names: Iterable[str], rank: int = 0) -> None:
        """Register a model under its id and names. Lower rank wins a key (curated = 0)."""
        self.models.setdefault(entry.id, entry)
        for reg in registrations(entry, names, rank):
            self.add_registration(reg)

    def add_registration(self, reg: Registration) -> None:
        """Index one registration (also how a stored resolver is loaded back)."""
        self.registered.append(reg)
        spelling = reg.name.strip().casefold()
        _claim(self.exact, spelling, reg.model_id, reg.rank)
        if reg.bare and reg.bare != spelling:
            _claim(self.exact, reg.bare, reg.model_id, reg.rank)
        _claim(self.keys, reg.key, reg.model_id, reg.rank)
        if completed := _completed_key(reg):
            _claim(self.keys, completed, reg.model_id, reg.rank)
        if not reg.key:
            return
        rank, dates = self.loose.setdefault(reg.loose_key, {}).get(reg.model_id, (reg.rank, set()))
        if reg.checkpoint is not None:
            dates.add(reg.checkpoint)
        self.loose[reg.loose_key][reg.model_id] = (min(rank, reg.rank), dates)
        by_mode = self.modes.setdefault(reg.modeless_key, {}).setdefault(reg.mode, {})
        by_mode[reg.model_id] = min(by_mode.get(reg.model_id, reg.rank), reg.rank)
        if reg.activeless_key:
            by_active = self.actives.setdefault(reg.activeless_key, {})
            by_active[reg.model_id] = min(by_active.get(reg.model_id, reg.rank), reg.rank)
        stem, rest = reg.key.split("|", 1)
        if "." in stem:
            by_dotless = self.dotless.setdefault(f"{stem.replace('.', '')}|{rest}", {})
            by_dotless[reg.model_id] = min(by_dotless.get(reg.model_id, reg.rank), reg.rank)

    def add_lab(self, lab_id: str, names: Iterable[str], rank: int = 0) -> None:
        """Register a lab under its id and spellings (ambiguous spellings match nothing)."""
        for name in {lab_id, *names}:
            if name and (key := lab_key(name)):
                _claim(self.labs, key, lab_id, rank)

    # -- resolution ------------------------------------------------------------------------
    def resolve(self, name: str, when: dt.date | None = None, lab: str | None = None) -> Match:
        """Resolve one raw model string (see the module docstring for the rules).

        ``when`` is the date of the record that uses the name (picks a rolling name's period,
        rules out checkpoints after it); ``lab`` is the lab id the record gives, which may pick
        one model of an ambiguous key.
        """
        parts, setting, key, spelled = _read(name)
        exact = self.exact.get(spelled)
        if exact is not None and exact.model_id is not None:
            return Match(name, exact.model_id, setting, "exact")
        bare = self.exact.get(parts.bare) if parts.bare else None
        if bare is not None and bare.model_id is not None:  # same spelling, another prefix
            return self._vendor_checked(parts, Match(name, bare.model_id, setting, "unprefixed"))
        if (periods := self.rolling.get(key)) is not None:
            model_id = _pick_period(periods, when)
            return Match(name, model_id, setting, "rolling", None if model_id else ROLLING_OUTSIDE)
        if parts.implied_mode:  # the key says no mode; the setting position says which
            return self._vendor_checked(parts, self._by_implied_mode(name, setting, parts, lab))
        claim = self.keys.get(key)
        if claim is not None:
            if claim.model_id is not None:
                return self._vendor_checked(parts, Match(name, claim.model_id, setting, "key"))
            return self._tie_break(name, setting, claim.claimants, lab, "key")
        if exact is not None:  # an exact spelling two models registered
            return self._tie_break(name, setting, exact.claimants, lab, "exact")
        if not parts.mode and (moded := self._only_moded(parts)):
            return Match(name, None, setting, None, MODE_UNKNOWN, moded)
        if parts.checkpoint is not None:
            found = self._by_checkpoint(parts, when, lab)
            if found is not None:
                return self._vendor_checked(parts, self._result(name, setting, *found))
            if periods := self.rolling.get(parts.identity(checkpoint=False)):
                # A rolling name with the day it was used ('chatgpt-4o-latest (2025-03-29)').
                used = full_date(name)
                model_id = _pick_period(periods, used) if used else None
                reason = None if model_id else ROLLING_OUTSIDE
                return Match(name, model_id, setting, "rolling", reason)
        if (
            parts.active is None
            and parts.size
            and (pool := self.actives.get(parts.identity(active=False)))
        ):
            best = min(pool.values())
            chosen = sorted(m for m, r in pool.items() if r == best)
            if len(chosen) == 1:
                return self._vendor_checked(parts, Match(name, chosen[0], setting, "active_size"))
            return self._tie_break(name, setting, set(chosen), lab, "active_size")
        if "." not in parts.stem and (pool := self.dotless.get(key)):
            best = min(pool.values())
            chosen = sorted(m for m, r in pool.items() if r == best)
            if len(chosen) == 1:
                return self._vendor_checked(parts, Match(name, chosen[0], setting, "glued_version"))
            return self._tie_break(name, setting, set(chosen), lab, "glued_version")
        return Match(name, None, setting, None, NO_CANDIDATE)

    def _vendor_checked(self, parts: NameParts, match: Match) -> Match:
        """A name that says who made it ('GradientAI/Llama3', 'someuser/Qwen2.5-7B-Instruct')
        is not a model of another lab: a fine-tune or re-upload keeps the base's name."""
        if match.model_id is None or not parts.vendor:
            return match
        vendor_lab = self.resolve_lab(parts.vendor)
        model = self.models.get(match.model_id)
        if model is None or vendor_lab == model.lab_id:
            return match
        return Match(match.name, None, match.setting, None, VENDOR_DIFFERS, (match.model_id,))

    def _result(
        self,
        name: str,
        setting: str | None,
        model_id: str | None,
        how: str,
        candidates: tuple[str, ...],
    ) -> Match:
        if model_id:
            return Match(name, model_id, setting, how)
        return Match(name, None, setting, None, AMBIGUOUS, candidates)

    def _tie_break(
        self, name: str, setting: str | None, claimants: set[str], lab: str | None, how: str
    ) -> Match:
        """An ambiguous key: the lab the record gives may pick one claimant, else no match."""
        if lab is not None:
            same_lab = [m for m in claimants if self.models.get(m) and self.models[m].lab_id == lab]
            if len(same_lab) == 1:
                return Match(name, same_lab[0], setting, f"{how}+lab")
        return Match(name, None, setting, None, AMBIGUOUS, tuple(sorted(claimants)))

    def _by_checkpoint(
        self, parts: NameParts, when: dt.date | None, lab: str | None
    ) -> tuple[str | None, str, tuple[str, ...]] | None:
        """Rule 5: versions of the same line whose checkpoint (or release day) agrees."""
        assert parts.checkpoint is not None
        entries = self.loose.get(parts.identity(checkpoint=False))
        if not entries:
            return None
        agreeing: dict[str, tuple[int, str, dt.date | None]] = {}
        for model_id, (rank, dates) in entries.items():
            if dates:
                hits = [d for d in dates if parts.checkpoint.agrees(d)]
                if hits:
                    agreeing[model_id] = (
                        rank,
                        "checkpoint",
                        min(d.earliest() or dt.date.max for d in hits),
                    )
                continue
            release = self.models[model_id].release_date if model_id in self.models else None
            if release:
                day = dt.date.fromisoformat(release)
                if parts.checkpoint.agrees(PartialDate(day.year, day.month, day.day)):
                    agreeing[model_id] = (rank, "release_date", day)
        if not agreeing:
            return None
        best = min(r for r, _, _ in agreeing.values())
        chosen = {m: v for m, v in agreeing.items() if v[0] == best}
        if len(chosen) > 1 and when is not None:
            chosen = {m: v for m, v in chosen.items() if v[2] is None or v[2] <= when} or chosen
        if len(chosen) > 1 and lab is not None:
            same_lab = {
                m: v
                for m, v in chosen.items()
                if self.models.get(m) and self.models[m].lab_id == lab
            }
            chosen = same_lab or chosen
        if len(chosen) == 1:
            model_id, (_, how, _) = next(iter(chosen.items()))
            return model_id, how, ()
        return None, "checkpoint", tuple(sorted(chosen))

    def _only_moded(self, parts: NameParts) -> tuple[str, ...]:
        """The versions of a line that exists only as thinking and non-thinking versions: a
        name without a mode ('x-ai/grok-4.1-fast', an endpoint that toggles reasoning) is
        neither, so it matches nothing and makes no model."""
        variants = self.modes.get(parts.identity(mode=False), {})
        if not variants or not set(variants) <= THINKING_MODES:
            return ()
        return tuple(sorted(m for by in variants.values() for m in by))

    def _by_implied_mode(
        self, name: str, setting: str | None, parts: NameParts, lab: str | None
    ) -> Match:
        """Rule 3: a budget means thinking; 'unknown' thinking matches only a line without modes
        or its one hybrid model."""
        variants = self.modes.get(parts.identity(mode=False), {})
        if not variants:
            return Match(name, None, setting, None, NO_CANDIDATE)
        implied = parts.implied_mode or ""
        if implied in variants and implied in THINKING_MODES:
            pool = variants[implied]
        elif "" in variants and not THINKING_MODES & set(variants):
            pool = variants[""]
        elif len(found := {m for by in variants.values() for m in by}) == 1 and "" in variants:
            # One hybrid model ('Qwen3-32B', spelled with and without '(thinking)'): the mode
            # is a setting of the request, not another model.
            recorded = "-".join(filter(None, (setting, parts.implied_mode)))
            return Match(name, found.pop(), recorded, "implied_mode")
        else:
            reason = MODE_UNKNOWN if parts.implied_mode == "unknown" else AMBIGUOUS
            return Match(name, None, setting, None, reason, tuple(sorted(found)))
        best = min(pool.values())
        chosen = sorted(m for m, r in pool.items() if r == best)
        if len(chosen) == 1:
            return Match(name, chosen[0], setting, "implied_mode")
        return self._tie_break(name, setting, set(chosen), lab, "implied_mode")

    def resolve_lab(self, name: str | None) -> str | None:
        """Resolve an organisation string; for a list ('A,B', 'A & B', 'A/B'), the first
        organisation that resolves (Epoch lists the lead organisation first)."""
        if not name:
            return None
        for candidate in lab_spellings(name):
            claim = self.labs.get(lab_key(candidate))
            if claim is not None and claim.model_id is not None:
                return claim.model_id
        return None


_LEGAL_RE = re.compile(
    r"[,.]?\s+(?:inc|corp|corporation|co|ltd|llc|gmbh|plc|limited|technology|technologies)\.?$",
    re.I,
)
_LIST_RE = re.compile(r",|;|&|/|\band\b|\+")
_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def lab_spellings(name: str) -> list[str]:
    """The spellings of an organisation string to try, in order: the whole string, without a
    legal suffix ('Meituan Inc'), then each listed organisation, its parenthesised alias
    ('Z.ai (Zhipu AI)'), and the organisation without the parentheses."""
    text = _LINK_RE.sub(r"\1", name).strip()
    out = [text, _LEGAL_RE.sub("", text)]
    for part in _LIST_RE.split(text):
        part = part.strip()
        if not part:
            continue
        out.append(part)
        out.append(_LEGAL_RE.sub("", part))
        if inner := re.search(r"\(([^)]+)\)", part):
            out.append(inner.group(1))
        out.append(re.sub(r"\([^)]*\)", "", part).strip())
    return [s for s in dict.fromkeys(out) if s]


def lab_key(name: str) -> str:
    """Matching key of an organisation name: letters and digits, lower case."""
    return "".join(ch for ch in _LINK_RE.sub(r"\1", name).casefold() if ch.isalnum())


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
    """Id for a model known only from sources: its identity words as a slug, in the name's own
    order, without route, vendor or settings ('DeepSeek-V4-Flash-6bit' -> 'deepseek-v4-flash')."""
    parts = parse(name)
    slug = re.sub(r"[^0-9a-z.]+", "-", "-".join(parts.ordered).casefold()).strip("-.")
    return slug or "unnamed"
