"""Claims files: checkable statements about labs and models, as YAML, parsed safely and strictly.

A claims file is a top-level ``claims:`` list. Every claim has ``id``, ``text`` (the statement in
its author's words), ``as_of`` and ``kind``; each kind adds its own fields (see the models below).
Parsing evaluates no code (a safe loader, no tags), rejects files over ``MAX_BYTES`` and unknown
kinds, fields, domains and groupings with a message naming the file, the claim id and the field.
Names of models and labs are resolved later, against the database (``wholeads.claims.checker``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from wholeads.errors import DataError
from wholeads.kb import UniqueKeyLoader
from wholeads.kb.domains import load_domains
from wholeads.kb.timeline import EventKind, load_timeline
from wholeads.schema import SLUG_PATTERN

MAX_BYTES = 1_000_000
"""A claims file is hand-written text; anything larger is refused before parsing."""
MAX_CLAIMS = 2_000

MODEL_FIELDS: dict[str, str] = {
    "license": "text",
    "open_weights": "bool",
    "release_date": "date",
    "context_window": "number",
    "max_output": "number",
    "parameters": "number",
    "active_parameters": "number",
    "architecture": "text",
    "kind": "text",
    "lab": "lab",
    "country": "text",
    "ecosystem": "text",
    "price_input": "number",
    "price_output": "number",
    "price": "number",
    "knowledge_cutoff": "text",
}
"""Fields a `fact` can state of a model, with their type. `parameters` are billions (total;
`active_parameters` for MoE), prices USD per 1M tokens (`price` blended 3 input : 1 output);
`country` and `ecosystem` are the model's lab's; `knowledge_cutoff` is the training data's cutoff
as the chosen source states it ('2024-12', '2025-03-31'), compared by `compare` claims at that
precision (see ``PARTIAL_DATE_FIELDS``)."""

LAB_FIELDS: dict[str, str] = {
    "country": "text",
    "ecosystem": "text",
    "type": "text",
    "open_weights": "bool",
}
"""Fields a `fact` can state of a lab; `open_weights` is true when any of its models released by
the date has downloadable weights ("Meta releases open weights"), false when none has."""

PARTIAL_DATE_FIELDS = frozenset({"knowledge_cutoff"})
"""Fields holding a partial date ('2024', '2024-07', '2024-07-31'): a `compare` orders them at
the precision both sides state, and says `undecided` when that precision cannot tell."""
ORDERED_FIELDS = (
    frozenset(k for k, v in MODEL_FIELDS.items() if v in {"number", "date"}) | PARTIAL_DATE_FIELDS
)
"""Schema fields a `compare` accepts (besides domain ids)."""
PartialDateText = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
"""A date as text at the precision known: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Side(_Strict):
    """One side of a comparison: a model, a lab's best model, or an ecosystem's best model."""

    model: str | None = None
    """A model name (any spelling the resolver knows)."""
    lab: str | None = None
    """A lab name: the lab's best model as of the date."""
    ecosystem: str | None = None
    """An ecosystem id (US, CN, EU, other): its best model as of the date."""
    open_weights: bool | None = None
    """Group filter: only models with (true) or without (false) downloadable weights."""
    kind: str | None = None
    """Group filter: only models of this kind (llm, reasoning, video_generation, ...)."""

    @model_validator(mode="after")
    def _one_subject(self) -> Side:
        named = [k for k in ("model", "lab", "ecosystem") if getattr(self, k) is not None]
        if len(named) != 1:
            raise ValueError("give exactly one of 'model', 'lab', 'ecosystem'")
        if self.model is not None and (self.open_weights is not None or self.kind is not None):
            raise ValueError("'open_weights' and 'kind' filter groups; a model takes neither")
        return self

    @property
    def is_group(self) -> bool:
        return self.model is None

    def describe(self) -> str:
        """How the side reads in an explanation: 'deepseek-r1', 'best US open-weight llm'."""
        if self.model is not None:
            return self.model
        openness = {None: None, True: "open-weight", False: "closed"}[self.open_weights]
        what = [x for x in (openness, self.kind) if x]
        return f"best {self.lab or self.ecosystem} {' '.join(what) or 'model'}".strip()


class Among(_Strict):
    """Filters on the models a `leader` claim considers."""

    open_weights: bool | None = None
    kind: str | None = None
    ecosystem: str | None = None


Scalar = bool | int | float | dt.date | str


class _Claim(_Strict):
    id: str = Field(pattern=SLUG_PATTERN, max_length=120)
    """Unique within the file: the handle a verdict is reported under."""
    text: str = Field(min_length=1, max_length=2_000)
    """The statement in its author's own words."""
    as_of: dt.date
    """The date the statement speaks of: only evidence known then is used."""
    note: str | None = Field(default=None, max_length=2_000)
    """How the statement was encoded, when that is a choice worth stating."""


class FactClaim(_Claim):
    """A model or lab has a value: "DeepSeek R1 was released under the MIT license"."""

    kind: Literal["fact"]
    entity: str = Field(min_length=1)
    field: str
    expect: Scalar
    tolerance: float | None = Field(default=None, ge=0)
    """Numbers: absolute; dates: days."""


class CompareClaim(_Claim):
    """Two models, groups or numbers compared on a field or a domain score."""

    kind: Literal["compare"]
    field: str
    left: Side | float | dt.date | PartialDateText
    right: Side | float | dt.date | PartialDateText
    """A model or group, or a literal: a number, a date, or (for a partial-date field such as
    `knowledge_cutoff`) a partial date as text ('2024-07')."""
    op: Literal[">", ">=", "<", "<=", "~"]
    tolerance: float | None = Field(default=None, ge=0)
    """For '~': the largest difference still counted as equal (days for dates)."""


class LeaderClaim(_Claim):
    """Who leads a domain: "Chinese labs lead on open-weight model releases"."""

    kind: Literal["leader"]
    domain: str
    by: Literal["ecosystem", "openness", "lab"] = "ecosystem"
    among: Among | None = None
    expect: str


class TrendClaim(_Claim):
    """The gap between two groups narrowed or widened between two dates."""

    kind: Literal["trend"]
    domain: str
    a: str
    b: str
    since: dt.date = Field(alias="from")
    to: dt.date
    expect: Literal["narrowing", "widening"]

    @model_validator(mode="after")
    def _ordered(self) -> TrendClaim:
        if self.since >= self.to:
            raise ValueError("'from' must be before 'to'")
        return self


class PolicyClaim(_Claim):
    """A policy event happened by the claim's date, per the curated policy timeline: "the US
    reversed the 2023 AI executive order" is jurisdiction US, event revocation, revokes
    us-eo-14110."""

    kind: Literal["policy"]
    jurisdiction: str
    event: EventKind | None = None
    """The kind of event (revocation, export_control, ...); any kind when not given."""
    revokes: str | None = None
    """The id of the event it reverses (kb/policy/*.yaml)."""
    amends: str | None = None
    """The id of the event it revises."""
    expect: bool = True
    """True: such an event happened by as_of; false: none did."""

    @model_validator(mode="after")
    def _something_to_match(self) -> PolicyClaim:
        if self.event is None and self.revokes is None and self.amends is None:
            raise ValueError("give at least one of 'event', 'revokes', 'amends'")
        return self


Claim = Annotated[
    FactClaim | CompareClaim | LeaderClaim | TrendClaim | PolicyClaim, Field(discriminator="kind")
]
_CLAIM = TypeAdapter(Claim)
KINDS = ("fact", "compare", "leader", "trend", "policy")


def _where(i: int, claim_id: object) -> str:
    return f"claims[{i}]" + (f" (id '{claim_id}')" if isinstance(claim_id, str) else "")


def _explain(exc: ValidationError, name: str, i: int, raw: dict[str, Any]) -> DataError:
    """The first validation error as one line naming file, claim and field."""
    return explain_validation(exc, name, _where(i, raw.get("id")), raw, KINDS,
                              noise=("Side", "float", "date"))  # fmt: skip


def explain_validation(
    exc: ValidationError,
    name: str,
    where: str,
    raw: dict[str, Any],
    kinds: tuple[str, ...],
    noise: tuple[str, ...] = (),
) -> DataError:
    """The first validation error of one item of a claims-style file (claims, watch rules) as
    one line naming the file, the item and the field; ``noise`` are pydantic's type names to
    drop from the field's path."""
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    if loc and loc[0] in kinds:  # the discriminated union prefixes the kind
        loc = loc[1:]
    field = ".".join(p for p in loc if p not in noise) or None
    kind = err["type"]
    if kind == "union_tag_invalid":
        msg, field = f"unknown kind '{raw.get('kind')}'; use one of {', '.join(kinds)}", "kind"
    elif kind == "union_tag_not_found":
        msg, field = f"missing 'kind'; use one of {', '.join(kinds)}", "kind"
    elif kind == "extra_forbidden":
        msg = f"unknown field '{field}'; remove it or check its spelling"
    elif kind == "missing":
        msg = f"required field '{field}' is missing; add it"
    else:
        msg = f"bad value for '{field}': {err['msg']}"
    return DataError(f"{where}: {msg}", file=name, field=field)


def _check_names(claim: Claim, name: str, i: int) -> None:
    """Fields, domains and groupings the checker knows, so a typo fails before any data is read."""
    domains = load_domains()

    def fail(field: str, msg: str) -> DataError:
        return DataError(f"{_where(i, claim.id)}: {msg}", file=name, field=field)

    if isinstance(claim, FactClaim) and claim.field not in MODEL_FIELDS.keys() | LAB_FIELDS.keys():
        known = ", ".join(sorted(MODEL_FIELDS.keys() | LAB_FIELDS.keys()))
        raise fail("field", f"unknown field '{claim.field}'; known: {known}")
    if isinstance(claim, CompareClaim) and claim.field not in ORDERED_FIELDS | domains.keys():
        known = ", ".join([*sorted(ORDERED_FIELDS), *domains])
        raise fail(
            "field", f"unknown field '{claim.field}'; use a numeric field or domain: {known}"
        )
    if isinstance(claim, CompareClaim):
        _check_sides(claim, fail)
    if isinstance(claim, LeaderClaim | TrendClaim) and claim.domain not in domains:
        raise fail("domain", f"unknown domain '{claim.domain}'; known: {', '.join(domains)}")
    if isinstance(claim, PolicyClaim):
        _check_policy(claim, fail)


def _check_sides(claim: CompareClaim, fail: Callable[[str, str], DataError]) -> None:
    """A partial-date field compares models or partial dates; other fields take no text."""
    partial = claim.field in PARTIAL_DATE_FIELDS
    for name in ("left", "right"):
        side = getattr(claim, name)
        if partial and isinstance(side, Side) and side.is_group:
            raise fail(name, f"'{claim.field}' compares models or dates, not groups; name a model")
        if partial and isinstance(side, int | float):
            raise fail(name, f"'{claim.field}' is a date: give 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
        if not partial and isinstance(side, str):
            raise fail(name, f"'{side}' is text; '{claim.field}' compares numbers or dates")


def _check_policy(claim: PolicyClaim, fail: Callable[[str, str], DataError]) -> None:
    """The jurisdiction and the events a policy claim names exist in the timeline."""
    events = load_timeline()
    places = sorted({e.jurisdiction for e in events})
    if claim.jurisdiction not in places:
        raise fail("jurisdiction", f"unknown jurisdiction '{claim.jurisdiction}'; known: "
                                   f"{', '.join(places)}")  # fmt: skip
    ids = {e.id for e in events}
    for name in ("revokes", "amends"):
        target = getattr(claim, name)
        if target is not None and target not in ids:
            mine = ", ".join(e.id for e in events if e.jurisdiction == claim.jurisdiction)
            raise fail(name, f"unknown policy event '{target}'; {claim.jurisdiction} has: {mine}")


def load_yaml_text(text: str | bytes, name: str, max_bytes: int) -> Any:
    """A claims-style file's data (claims, watch lists): size-capped, UTF-8, loaded without
    evaluating anything and refusing duplicate keys; a problem names the file (and line)."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > max_bytes:
        raise DataError(f"file is {size:,} bytes; the limit is {max_bytes:,}", file=name)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(f"not UTF-8 text ({exc.reason})", file=name) from None
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass: no code
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise DataError(f"invalid YAML: {problem}", file=name, line=line) from None


def parse_claims(text: str | bytes, name: str = "<claims>") -> list[Claim]:
    """The claims of a file's text, validated; any problem is a DataError naming where it is."""
    data = load_yaml_text(text, name, MAX_BYTES)
    if not isinstance(data, dict) or set(data) != {"claims"}:
        raise DataError("expected one top-level key 'claims' holding a list", file=name)
    items = data["claims"]
    if not isinstance(items, list) or not items:
        raise DataError("'claims' must be a non-empty list", file=name, field="claims")
    if len(items) > MAX_CLAIMS:
        raise DataError(f"{len(items)} claims; the limit is {MAX_CLAIMS}", file=name)
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(items):
        if not isinstance(raw, dict):
            raise DataError(f"claims[{i}]: expected a mapping of fields", file=name)
        try:
            claim = _CLAIM.validate_python(raw)
        except ValidationError as exc:
            raise _explain(exc, name, i, raw) from None
        if claim.id in seen:
            raise DataError(
                f"{_where(i, claim.id)}: duplicate id (first at claims[{seen[claim.id]}])",
                file=name,
                field="id",
            )
        seen[claim.id] = i
        _check_names(claim, name, i)
        claims.append(claim)
    return claims
