"""The domains of "who leads where", defined as data in ``kb/domains.yaml`` and validated here.

Which benchmark decides a domain is an editorial choice that must be visible and reviewable, so it
lives in YAML with a reason per entry; this module only checks the file (unknown fields rejected,
messages naming file and field) and returns immutable specs.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from wholeads.errors import DataError, UserError
from wholeads.kb import KB_ROOT, read_yaml

DOMAINS_ENV = "WHOLEADS_DOMAINS"
SETTING_JOINER = "; "
"""How the importers join setting parts ('high; 120k')."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceSpec(_Strict):
    """One source of evidence for a domain, in priority order."""

    kind: Literal["score", "model_field", "fact", "price"] = "score"
    """score: a benchmark; model_field: a models column; fact: a model_facts field; price."""
    benchmark: str | None = None
    """Benchmark id (kind score)."""
    field: str | None = None
    """Column of `models` (model_field) or model_facts field (fact)."""
    gate: str | None = None
    """Price: the arena benchmark whose snapshot decides which models are frontier-class."""
    within: float | None = Field(default=None, gt=0)
    """Price: a model passes the gate when rated at least (best - within) in the snapshot."""
    setting: str = "none"
    """'none' (no setting), 'any' (each model's best across settings) or an exact setting."""
    with_part: str | None = None
    """A setting part that must be present (e.g. '120k')."""
    without_parts: tuple[str, ...] = ()
    """Setting parts that exclude a row (e.g. 'unverified')."""
    combine: Literal["snapshot", "latest"]
    """snapshot: newest arena snapshot used whole; latest: each model's newest score."""
    scale: Literal["elo", "percent", "index", "minutes", "usd", "tokens", "flop"]
    """elo adds a head-to-head win probability to gaps."""
    unit: str
    """How values read (e.g. 'Elo', 'percent')."""
    why: str
    """Why this entry sits at this place in the order."""

    @model_validator(mode="after")
    def _kind_fields(self) -> EvidenceSpec:
        needed = {"score": "benchmark", "model_field": "field", "fact": "field", "price": "gate"}
        name = needed[self.kind]
        if getattr(self, name) is None:
            raise ValueError(f"kind '{self.kind}' needs '{name}'")
        if self.kind == "price" and self.within is None:
            raise ValueError("kind 'price' needs 'within' (Elo below the snapshot's best)")
        if self.kind == "model_field" and self.field not in {"context_window", "max_output"}:
            raise ValueError(f"model_field '{self.field}' is not a numeric models column")
        return self

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


class DomainSpec(_Strict):
    """One domain: what it measures and its evidence in priority order."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Snake-case id, the YAML key."""
    name: str
    unit: str
    """Unit of the primary evidence (how the gap reads)."""
    description: str
    higher_is_better: bool = True
    """False for price: the cheapest leads."""
    max_params_b: float | None = Field(default=None, gt=0)
    """Only models with disclosed total parameters at most this (small-model domains)."""
    freshness_days: int = Field(default=90, gt=0)
    """Freshness window: an entry older than another entry that compares the same two groups by
    more than this yields to it, and an answer older than this (at its date) is marked old."""
    evidence: tuple[EvidenceSpec, ...] = Field(min_length=1)


def domains_file() -> Path:
    """The domains file in force (``$WHOLEADS_DOMAINS`` overrides the packaged one)."""
    override = os.environ.get(DOMAINS_ENV)
    return Path(override) if override else KB_ROOT / "domains.yaml"


def _explain(exc: ValidationError, path: Path, domain: str) -> DataError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in (domain, *err["loc"]))
    if err["type"] == "extra_forbidden":
        msg = f"unknown field '{loc}'; remove it or check its spelling against domains.py"
    elif err["type"] == "missing":
        msg = f"required field '{loc}' is missing; add it"
    else:
        msg = f"bad value for '{loc}': {err['msg']}"
    return DataError(msg, file=str(path), field=loc)


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
            domains[str(key)] = DomainSpec.model_validate({"id": key, **body})
        except ValidationError as exc:
            raise _explain(exc, path, str(key)) from None
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
