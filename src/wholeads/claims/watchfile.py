"""Watch files: rules that say what to be told about, as YAML, parsed safely and strictly.

A watch file is a top-level ``watch:`` list (and an optional ``window_days``). Every rule has an
``id``, a ``text`` (what to watch, in its author's words) and a ``kind``; each kind adds its own
fields (see the models below). Parsing evaluates no code (a safe loader, no tags), rejects files
over ``MAX_BYTES``, unknown kinds, fields, domains, ecosystems and groupings with a message naming
the file, the rule and the field, exactly like claims files. Lab names are resolved later.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from wholeads.claims.format import explain_validation, load_yaml_text
from wholeads.errors import DataError
from wholeads.kb.domains import load_domains
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.schema import SLUG_PATTERN

MAX_BYTES = 200_000
MAX_RULES = 200
DEFAULT_WINDOW_DAYS = 31
"""A rule fires on what happened in the window before the date: about a month, for monthly cron."""
EXAMPLE = Path(str(resources.files("wholeads") / "claims" / "examples" / "what-to-watch.yaml"))
"""The example built from the reference article's "what to watch", shipped in the wheel."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rule(_Strict):
    id: str = Field(pattern=SLUG_PATTERN, max_length=120)
    """Unique within the file: the handle a firing is reported under."""
    text: str = Field(min_length=1, max_length=2_000)
    """What to watch, in its author's words."""
    note: str | None = Field(default=None, max_length=2_000)


class OverlapRule(_Rule):
    """A group's best model's 95% interval overlaps the leader's (it comes within noise of #1)."""

    kind: Literal["overlap"]
    domain: str
    group: str
    """The ecosystem that catches up (CN, US, EU, other)."""


class LeaderChangeRule(_Rule):
    """The leader of a domain changes (on comparable evidence, as `wholeads changes` says)."""

    kind: Literal["leader_change"]
    domain: str


class LagBelowRule(_Rule):
    """The runner-up's lag behind the leader in a domain drops under a number of months."""

    kind: Literal["lag_below"]
    domain: str
    months: float = Field(gt=0, le=120)


class NewOpenWeightsRule(_Rule):
    """A new open-weight model is released (by a lab, an ecosystem, or anyone)."""

    kind: Literal["new_open_weights"]
    lab: str | None = None
    ecosystem: str | None = None

    @model_validator(mode="after")
    def _one_filter(self) -> NewOpenWeightsRule:
        if self.lab is not None and self.ecosystem is not None:
            raise ValueError("give at most one of 'lab', 'ecosystem'")
        return self


class PriceBelowRule(_Rule):
    """The cheapest price on a price domain's deciding evidence falls below a number of USD."""

    kind: Literal["price_below"]
    usd: float = Field(gt=0, le=10_000)
    """Blended USD per 1M tokens (3 input : 1 output)."""
    domain: str = "price"


Rule = Annotated[
    OverlapRule | LeaderChangeRule | LagBelowRule | NewOpenWeightsRule | PriceBelowRule,
    Field(discriminator="kind"),
]
_RULE = TypeAdapter(Rule)
KINDS = ("overlap", "leader_change", "lag_below", "new_open_weights", "price_below")


@dataclass(frozen=True)
class WatchFile:
    name: str
    rules: list[Rule]
    window_days: int


def _where(i: int, rule_id: object) -> str:
    return f"watch[{i}]" + (f" (id '{rule_id}')" if isinstance(rule_id, str) else "")


def _explain(exc: ValidationError, name: str, i: int, raw: dict[str, Any]) -> DataError:
    """The first validation error as one line naming file, rule and field."""
    return explain_validation(exc, name, _where(i, raw.get("id")), raw, KINDS)


def _check_names(rule: Rule, name: str, i: int) -> None:
    """Domains and ecosystems the evaluator knows, so a typo fails before any data is read."""
    domains = load_domains()

    def fail(field: str, msg: str) -> DataError:
        return DataError(f"{_where(i, rule.id)}: {msg}", file=name, field=field)

    domain = getattr(rule, "domain", None)
    if domain is not None and domain not in domains:
        raise fail("domain", f"unknown domain '{domain}'; known: {', '.join(domains)}")
    if isinstance(rule, PriceBelowRule) and domains[rule.domain].unit.split()[0] != "USD":
        raise fail("domain", f"'{rule.domain}' is not measured in USD; use a price domain")
    for field in ("group", "ecosystem"):
        value = getattr(rule, field, None)
        if value is not None and value not in ecosystem_ids():
            raise fail(field, f"unknown ecosystem '{value}'; known: {', '.join(ecosystem_ids())}")


def parse_watch(text: str | bytes, name: str = "<watch>") -> WatchFile:
    """The rules of a watch file's text, validated; any problem is a DataError naming where."""
    data = load_yaml_text(text, name, MAX_BYTES)
    if not isinstance(data, dict) or "watch" not in data or set(data) - {"watch", "window_days"}:
        raise DataError("expected a top-level 'watch' list (and optionally 'window_days')",
                        file=name)  # fmt: skip
    window = data.get("window_days", DEFAULT_WINDOW_DAYS)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 3660:
        raise DataError("'window_days' must be a whole number of days from 1 to 3660",
                        file=name, field="window_days")  # fmt: skip
    items = data["watch"]
    if not isinstance(items, list) or not items:
        raise DataError("'watch' must be a non-empty list", file=name, field="watch")
    if len(items) > MAX_RULES:
        raise DataError(f"{len(items)} rules; the limit is {MAX_RULES}", file=name)
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(items):
        if not isinstance(raw, dict):
            raise DataError(f"watch[{i}]: expected a mapping of fields", file=name)
        try:
            rule = _RULE.validate_python(raw)
        except ValidationError as exc:
            raise _explain(exc, name, i, raw) from None
        if rule.id in seen:
            raise DataError(f"{_where(i, rule.id)}: duplicate id (first at watch[{seen[rule.id]}])",
                            file=name, field="id")  # fmt: skip
        seen[rule.id] = i
        _check_names(rule, name, i)
        rules.append(rule)
    return WatchFile(name, rules, window)


def read_watch(path: Path) -> WatchFile:
    """A watch file from disk (size checked before reading it whole)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DataError(f"file is over {MAX_BYTES:,} bytes", file=str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return parse_watch(raw, str(path))
