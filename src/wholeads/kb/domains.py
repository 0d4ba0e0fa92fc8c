"""The domains of "who leads where", defined as data in ``kb/domains.yaml`` and validated here.

Which benchmark decides a domain is an editorial choice that must be visible and reviewable, so it
lives in YAML with a reason per entry; this module only checks the file (unknown fields rejected,
messages naming file and field) and returns immutable specs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from wholeads.errors import DataError, UserError
from wholeads.kb import KB_ROOT, read_yaml

DOMAINS_ENV = "WHOLEADS_DOMAINS"
SETTING_JOINER = "; "
"""How the importers join setting parts ('high; 120k')."""

KINDS = ("score", "model_field", "fact", "price")
COMBINES = ("snapshot", "latest")
SCALES = ("elo", "percent", "index", "minutes", "usd", "tokens", "flop")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class EvidenceSpec:
    """One source of evidence for a domain, in priority order."""

    combine: Literal["snapshot", "latest"]
    """snapshot: newest arena snapshot used whole; latest: each model's newest score."""
    scale: Literal["elo", "percent", "index", "minutes", "usd", "tokens", "flop"]
    """elo adds a head-to-head win probability to gaps."""
    unit: str
    """How values read (e.g. 'Elo', 'percent')."""
    why: str
    """Why this entry sits at this place in the order."""
    kind: Literal["score", "model_field", "fact", "price"] = "score"
    """score: a benchmark; model_field: a models column; fact: a model_facts field; price."""
    benchmark: str | None = None
    """Benchmark id (kind score)."""
    field: str | None = None
    """Column of `models` (model_field) or model_facts field (fact)."""
    gate: str | None = None
    """Price: the arena benchmark whose snapshot decides which models are frontier-class."""
    within: float | None = None
    """Price: a model passes the gate when rated at least (best - within) in the snapshot."""
    setting: str = "none"
    """'none' (no setting), 'any' (each model's best across settings) or an exact setting."""
    with_part: str | None = None
    """A setting part that must be present (e.g. '120k')."""
    without_parts: tuple[str, ...] = ()
    """Setting parts that exclude a row (e.g. 'unverified')."""

    def __post_init__(self) -> None:
        needed = {"score": "benchmark", "model_field": "field", "fact": "field", "price": "gate"}
        name = needed[self.kind]
        if getattr(self, name) is None:
            raise ValueError(f"kind '{self.kind}' needs '{name}'")
        if self.kind == "price" and self.within is None:
            raise ValueError("kind 'price' needs 'within' (Elo below the snapshot's best)")
        if self.kind == "model_field" and self.field not in {"context_window", "max_output"}:
            raise ValueError(f"model_field '{self.field}' is not a numeric models column")

    @property
    def label(self) -> str:
        """A short name for tables: 'helmet@128k', 'price<=50Elo'."""
        if self.kind == "price":
            return f"price(gate {self.gate} -{self.within:g})"
        base = self.benchmark or self.field or "?"
        part = self.with_part or (self.setting if self.setting not in {"none", "any"} else None)
        return f"{base}@{part}" if part else base

    def accepts_setting(self, setting: str | None) -> bool:
        """Whether a score row with this setting counts as this evidence."""
        parts = setting.split(SETTING_JOINER) if setting else []
        if any(p in parts for p in self.without_parts):
            return False
        if self.with_part is not None and self.with_part not in parts:
            return False
        if self.setting == "any":
            return True
        if self.setting == "none":
            return setting is None
        return setting == self.setting


@dataclass(frozen=True, slots=True)
class DomainSpec:
    """One domain: what it measures and its evidence in priority order."""

    id: str
    """Snake-case id, the YAML key."""
    name: str
    unit: str
    """Unit of the primary evidence (how the gap reads)."""
    description: str
    evidence: tuple[EvidenceSpec, ...]
    """At least one entry, in priority order."""
    higher_is_better: bool = True
    """False for price: the cheapest leads."""
    max_params_b: float | None = None
    """Only models with disclosed total parameters at most this (small-model domains)."""
    freshness_days: int = 90
    """Freshness window: an entry older than another entry that compares the same two groups by
    more than this yields to it, and an answer older than this (at its date) is marked old."""


class _Bad(ValueError):
    """A field the file got wrong: where (dotted) and what the message says."""

    def __init__(self, loc: str, message: str) -> None:
        super().__init__(message)
        self.loc, self.message = loc, message


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("Input should be a valid string")
    return v


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in options:
            raise ValueError("Input should be " + ", ".join(f"'{o}'" for o in options))
        return str(v)

    return check


def _positive(kind: type) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, int | float) or (kind is int and v != int(v)):
            raise ValueError(f"Input should be a valid {'integer' if kind is int else 'number'}")
        if not v > 0:
            raise ValueError("Input should be greater than 0")
        return kind(v)

    return check


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda v: None if v is None else check(v)


def _flag(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("Input should be a valid boolean")
    return v


def _texts(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list | tuple):
        raise ValueError("Input should be a valid list")
    return tuple(_text(x) for x in v)


_REQUIRED = object()
_EVIDENCE_FIELDS: dict[str, tuple[Callable[[Any], Any], Any]] = {
    "kind": (_choice(KINDS), "score"),
    "benchmark": (_optional(_text), None),
    "field": (_optional(_text), None),
    "gate": (_optional(_text), None),
    "within": (_optional(_positive(float)), None),
    "setting": (_text, "none"),
    "with_part": (_optional(_text), None),
    "without_parts": (_texts, ()),
    "combine": (_choice(COMBINES), _REQUIRED),
    "scale": (_choice(SCALES), _REQUIRED),
    "unit": (_text, _REQUIRED),
    "why": (_text, _REQUIRED),
}


def _fields(
    body: dict[Any, Any], spec: dict[str, tuple[Callable[[Any], Any], Any]], loc: str
) -> dict[str, Any]:
    """Each declared field checked (unknown and missing ones named), defaults filled in."""
    for key in body:
        if key not in spec:
            raise _Bad(f"{loc}.{key}", "unknown")
    out = {}
    for name, (check, default) in spec.items():
        if name not in body:
            if default is _REQUIRED:
                raise _Bad(f"{loc}.{name}", "missing")
            out[name] = default
            continue
        try:
            out[name] = check(body[name])
        except ValueError as exc:
            raise _Bad(f"{loc}.{name}", str(exc)) from None
    return out


def _evidence(entry: Any, loc: str) -> EvidenceSpec:
    if not isinstance(entry, dict):
        raise _Bad(loc, "Input should be a valid mapping")
    values = _fields(entry, _EVIDENCE_FIELDS, loc)
    try:
        return EvidenceSpec(**values)
    except ValueError as exc:
        raise _Bad(loc, f"Value error, {exc}") from None


def _domain(key: str, body: dict[Any, Any]) -> DomainSpec:
    """One domain's definition validated; the fields of every entry too."""
    evidence = body.get("evidence", _REQUIRED)
    fields: dict[str, tuple[Callable[[Any], Any], Any]] = {
        "name": (_text, _REQUIRED),
        "unit": (_text, _REQUIRED),
        "description": (_text, _REQUIRED),
        "higher_is_better": (_flag, True),
        "max_params_b": (_optional(_positive(float)), None),
        "freshness_days": (_positive(int), 90),
        "evidence": (lambda v: v, _REQUIRED),
    }
    values = _fields(body, fields, key)
    if not _ID.match(key):
        raise _Bad(f"{key}.id", f"String should match pattern '{_ID.pattern}'")
    if not isinstance(evidence, list | tuple):
        raise _Bad(f"{key}.evidence", "Input should be a valid list")
    if not evidence:
        raise _Bad(f"{key}.evidence", "List should have at least 1 item after validation, not 0")
    values["evidence"] = tuple(_evidence(e, f"{key}.evidence.{i}") for i, e in enumerate(evidence))
    return DomainSpec(id=key, **values)


def domains_file() -> Path:
    """The domains file in force (``$WHOLEADS_DOMAINS`` overrides the packaged one)."""
    override = os.environ.get(DOMAINS_ENV)
    return Path(override) if override else KB_ROOT / "domains.yaml"


def _explain(bad: _Bad, path: Path) -> DataError:
    if bad.message == "unknown":
        msg = f"unknown field '{bad.loc}'; remove it or check its spelling against domains.py"
    elif bad.message == "missing":
        msg = f"required field '{bad.loc}' is missing; add it"
    else:
        msg = f"bad value for '{bad.loc}': {bad.message}"
    return DataError(msg, file=str(path), field=bad.loc)


@cache
def _load(path: Path) -> dict[str, DomainSpec]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not data:
        raise DataError("expected a mapping of domain id -> definition", file=str(path))
    domains: dict[str, DomainSpec] = {}
    for key, body in data.items():
        if not isinstance(body, dict):
            raise DataError("expected a mapping of fields", file=str(path), field=str(key))
        if "id" in body:
            raise DataError("remove 'id': the key is the id", file=str(path), field=f"{key}.id")
        try:
            domains[str(key)] = _domain(str(key), body)
        except _Bad as bad:
            raise _explain(bad, path) from None
    return domains


def load_domains(path: Path | None = None) -> dict[str, DomainSpec]:
    """All domains, in file order."""
    return _load((path or domains_file()).resolve())


def get_domain(domain_id: str, path: Path | None = None) -> DomainSpec:
    """One domain; an unknown id is a user error listing the known ones."""
    domains = load_domains(path)
    if domain_id not in domains:
        raise UserError(f"unknown domain '{domain_id}'; known: {', '.join(domains)}")
    return domains[domain_id]
