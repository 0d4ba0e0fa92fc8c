"""Who is who in one build: the labs and models it knows, the one resolver that names them, and
what could not be named (with the reason).

A build registers names in two phases. **Registration**: the knowledge base, then catalogs, then
score sources; a name no model claims becomes a provisional model when its lab is known (from
the source, the name's vendor prefix, or a curated product line with the same stem) and it has
a date. **Frozen**: every record is then resolved against the same, final index, which is the
one stored in the database (``resolver_store``) and used by every reader.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from wholeads.ingest.names import parse
from wholeads.ingest.resolve import (
    NO_CANDIDATE,
    Match,
    ModelEntry,
    Resolver,
    lab_key,
    provisional_id,
    registrations,
)
from wholeads.store.tables import LabAliasRow, LabRow, ModelAliasRow, ModelRow, UnmatchedRow


@dataclass
class Registry:
    """Labs, models, aliases and unmatched names of one build, around one resolver."""

    resolver: Resolver = field(default_factory=Resolver)
    labs: dict[str, LabRow] = field(default_factory=dict)
    models: dict[str, ModelRow] = field(default_factory=dict)
    model_aliases: set[ModelAliasRow] = field(default_factory=set)
    lab_aliases: set[LabAliasRow] = field(default_factory=set)
    unmatched: dict[tuple[str, str, str, str], UnmatchedRow] = field(default_factory=dict)
    """Per (source, kind, name, lab): the name's row, counting the rows that use it."""
    frozen: bool = False
    last: Match | None = None
    """The outcome of the last model_for call (its reason goes into `unmatched`)."""
    lab_origin: dict[str, str] = field(default_factory=dict)
    """How each provisional model got its lab: 'source', 'vendor' (the name's prefix) or
    'line' (a curated product line with the same stem)."""
    _lab_cache: dict[str | None, str | None] = field(default_factory=dict)
    _stem_labs: dict[tuple[str, tuple[str, ...]], set[str]] = field(default_factory=dict)
    _line_modes: dict[tuple[str, tuple[str, ...]], set[str | None]] = field(default_factory=dict)
    _moded: set[tuple[str, tuple[str, ...]]] | None = None
    _frozen_matches: dict[tuple[str, str | None, dt.date | None], Match] = field(
        default_factory=dict
    )
    """Once frozen the index no longer changes: a name, lab and date resolve once."""

    # -- labs -------------------------------------------------------------------------------
    def lab_for(self, raw: str | None, source: str | None = None) -> str | None:
        """Resolve an organisation string to a lab id (cached); an unknown one is reported."""
        if raw not in self._lab_cache:
            self._lab_cache[raw] = self.resolver.resolve_lab(raw)
        found = self._lab_cache[raw]
        if found is None and raw and raw.strip() and source is not None and self.frozen:
            self.report(source, "lab", raw.strip(), None, "", None, "no lab")
        return found

    def add_provisional_lab(
        self, name: str, country: str, lab_type: str | None, source: str
    ) -> None:
        """An organisation a source names with a country, unknown to the knowledge base."""
        if self.lab_for(name) or not lab_key(name):
            return
        lab_id = _slug(name)
        if lab_id in self.labs:
            lab_id = f"{lab_id}-{country.lower()}"
        self.labs.setdefault(
            lab_id,
            LabRow(id=lab_id, name=name.strip(), country=country, type=lab_type, curated=False),
        )
        self.resolver.add_lab(lab_id, [name], rank=1)
        self.lab_aliases.add(LabAliasRow(alias=name.strip(), lab_id=lab_id, origin=source))
        self._lab_cache.pop(name, None)

    # -- curated models ---------------------------------------------------------------------
    def add_curated(self, entry: ModelEntry, names: list[str]) -> None:
        """A knowledge-base version; its stem and tiers (of its id and of the spellings that
        claim its key) mark a product line of its lab."""
        self.resolver.add_model(entry, names, rank=0)
        claiming = {r.name for r in registrations(entry, names, 0) if r.key}
        for name in claiming:
            parts = parse(name)
            if parts.words and entry.lab_id:
                line = (parts.stem, parts.tiers)
                self._stem_labs.setdefault(line, set()).add(entry.lab_id)
                if name == entry.id:
                    self._line_modes.setdefault(line, set()).add(parts.mode)

    @property
    def _moded_lines(self) -> set[tuple[str, tuple[str, ...]]]:
        """Product lines whose curated versions all state a mode ('-instruct', '-it')."""
        if self._moded is None:
            self._moded = {line for line, modes in self._line_modes.items() if None not in modes}
        return self._moded

    def sibling_lab(self, name: str) -> str | None:
        """The lab of a curated product line this name belongs to: same stem and tiers, no
        context variant ('Llama-3.1-8B (base)' is a Meta Llama 3.1 checkpoint). Context
        extensions ('Llama-2-7B-32k') are often third-party work; a name without a mode in a
        line whose versions all state one ('Llama 3.1 405B': base or instruct?) is ambiguous;
        a thinking or non-thinking spelling may be the line's default: none gets a lab here."""
        parts = parse(name)
        if not parts.words or parts.context or parts.vendor:
            return None
        line = (parts.stem, parts.tiers)
        if parts.mode is None and line in self._moded_lines:
            return None
        if parts.mode in ("thinking", "nonthinking"):
            return None  # the line's default may already be that mode (Gemini 2.5 thinks)
        labs = self._stem_labs.get(line, set())
        return next(iter(labs)) if len(labs) == 1 else None

    # -- models -----------------------------------------------------------------------------
    def model_for(
        self, name: str, lab: str | None, date: dt.date | None, source: str, rank: int
    ) -> str | None:
        """The model a record's name resolves to. While registering, a name no model claims
        becomes a provisional model when its lab is known and it has a date; once frozen,
        nothing is created."""
        lab_id = self.lab_for(lab, source)
        match = self._resolve(name, date, lab_id)
        self.last = match
        if match.matched_by == "rolling":
            return match.model_id  # a rolling name never creates a model or a fixed alias
        if match.model_id:
            if match.matched_by != "exact":
                self.alias(name, match.model_id, source)
            return match.model_id
        if self.frozen or match.reason != NO_CANDIDATE or date is None:
            return None  # an ambiguous, vendor-conflicting or mode-unknown name makes no model
        parts = parse(name)
        origin = "source"
        if lab_id is None and (lab_id := self.lab_for(parts.vendor)):
            origin = "vendor"
        if lab_id is None and (lab_id := self.sibling_lab(name)):
            origin = "line"
        if lab_id is None or not parts.words or "latest" in parts.words:
            return None
        model_id = self._new_id(provisional_id(name), lab_id)
        if model_id is None:
            return None
        if model_id not in self.models:
            self.models[model_id] = ModelRow(
                id=model_id, name=name.strip(), lab_id=lab_id, curated=False, provisional=True
            )
            self.lab_origin[model_id] = origin
        self.resolver.add_model(ModelEntry(model_id, lab_id, None, None), [name], rank=rank)
        self.alias(name, model_id, source)
        self.last = self.resolver.resolve(name, date, lab_id)
        return model_id

    def _resolve(self, name: str, date: dt.date | None, lab_id: str | None) -> Match:
        if not self.frozen:
            return self.resolver.resolve(name, date, lab_id)
        key = (name, lab_id, date)
        found = self._frozen_matches.get(key)
        if found is None:
            found = self._frozen_matches[key] = self.resolver.resolve(name, date, lab_id)
        return found

    def _new_id(self, model_id: str, lab_id: str) -> str:
        """A free id: another lab's model of that slug gets '--lab' appended."""
        existing = self.models.get(model_id)
        if existing is None or (existing.lab_id == lab_id and not existing.curated):
            return model_id
        return f"{model_id}--{lab_id}"

    def alias(self, name: str, model_id: str, origin: str) -> None:
        """A spelling that names a model, and who uses it ('kb' or a source id)."""
        self.model_aliases.add(ModelAliasRow(alias=name, model_id=model_id, origin=origin))

    def freeze(self) -> None:
        """End registration: from now on every record resolves against the final index."""
        self.frozen = True

    # -- reporting --------------------------------------------------------------------------
    def report(
        self,
        source: str,
        kind: str,
        name: str,
        lab: str | None,
        file: str,
        row: int | None,
        reason: str | None = None,
        rows: int = 1,
    ) -> None:
        """Count ``rows`` rows whose name matched nothing (``file`` and ``row``: the first of
        them; the last match gives reason and candidates when none is given)."""
        candidates: tuple[str, ...] = ()
        if reason is None and self.last is not None and self.last.name == name:
            reason, candidates = self.last.reason, self.last.candidates
        key = (source, kind, name, lab or "")
        entry = self.unmatched.get(key)
        if entry is None:
            self.unmatched[key] = UnmatchedRow(
                source=source,
                kind=kind,
                name=name,
                lab=lab or None,
                rows=rows,
                file=file,
                row=row,
                reason=reason,
                candidates=list(candidates) or None,
            )
        else:
            entry.rows += rows


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z.]+", "-", text.casefold()).strip("-.") or "unknown"
