"""The policy timeline: dated events that shape the race (export controls, executive orders,
China's generative-AI measures, the EU AI Act's milestones), one curated file per jurisdiction.

Files live in ``kb/policy/<jurisdiction>.yaml`` (``us.yaml`` holds ``jurisdiction: US``). Every
event has a date, a kind, a one-line summary and the official page it comes from; a date is the
one that page states, never a guess. Validation names the file, the event and the field, like
the rest of the knowledge base.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wholeads.errors import DataError
from wholeads.kb import KB_ROOT, read_yaml
from wholeads.schema import SLUG_PATTERN

POLICY_DIR = "policy"
EventKind = Literal[
    "export_control",
    "export_control_revision",
    "executive_order",
    "revocation",
    "regulation",
    "in_force",
    "milestone",
    "filing_requirement",
]
OFFICIAL_HOSTS: dict[str, tuple[str, ...]] = {
    "US": ("bis.gov", "bis.doc.gov", "federalregister.gov", "whitehouse.gov", "govinfo.gov"),
    "CN": ("cac.gov.cn", "gov.cn", "mofcom.gov.cn"),
    "EU": ("eur-lex.europa.eu", "digital-strategy.ec.europa.eu", "ec.europa.eu"),
}
"""The official publishers a jurisdiction's events may cite (a host or any of its subdomains)."""


class PolicyEvent(BaseModel):
    """One dated event of a jurisdiction's AI policy, with the official page that states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG_PATTERN, max_length=120)
    """Unique across all jurisdictions: the handle claims and other events refer to."""
    date: dt.date
    """The date the source states (signature, release, publication or application)."""
    kind: EventKind
    summary: str = Field(min_length=1, max_length=240)
    """One line: what happened and why it matters to the race."""
    source: str = Field(pattern=r"^https?://\S+$")
    """The official page (a government or EU publisher) that states the event and its date."""
    revokes: str | None = None
    """The id of an earlier event this one reverses (an executive order revoking another)."""
    amends: str | None = None
    """The id of an earlier event this one revises or continues (a rule's revision, a milestone)."""
    jurisdiction: str = ""
    """Filled from the file: US, CN, EU."""


class _PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    jurisdiction: str = Field(pattern=r"^[A-Z]{2,3}$")
    events: list[dict[str, object]] = Field(min_length=1)


def _host_ok(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def _where(i: int, raw: dict[str, object]) -> str:
    return f"events[{i}]" + (f" (id '{raw['id']}')" if isinstance(raw.get("id"), str) else "")


def _load_file(path: Path) -> list[PolicyEvent]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError("expected 'jurisdiction' and an 'events' list", file=str(path))
    try:
        spec = _PolicyFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise DataError(f"bad or missing '{field}': {err['msg']}", file=str(path),
                        field=field) from None  # fmt: skip
    if spec.jurisdiction.lower() != path.stem:
        raise DataError(
            f"jurisdiction '{spec.jurisdiction}' does not match the file name; rename the file "
            f"to {spec.jurisdiction.lower()}.yaml",
            file=str(path),
            field="jurisdiction",
        )
    hosts = OFFICIAL_HOSTS.get(spec.jurisdiction)
    if hosts is None:
        raise DataError(f"no official publishers known for '{spec.jurisdiction}'; add its hosts "
                        "to OFFICIAL_HOSTS in kb/timeline.py", file=str(path),
                        field="jurisdiction")  # fmt: skip
    events: list[PolicyEvent] = []
    for i, raw in enumerate(spec.events):
        if "jurisdiction" in raw:
            raise DataError(f"{_where(i, raw)}: remove 'jurisdiction': the file states it",
                            file=str(path), field="jurisdiction")  # fmt: skip
        try:
            event = PolicyEvent.model_validate({**raw, "jurisdiction": spec.jurisdiction})
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"])
            what = {"extra_forbidden": "unknown field", "missing": "required field is missing"}
            msg = what.get(err["type"], f"bad value: {err['msg']}")
            raise DataError(f"{_where(i, raw)}: {msg}", file=str(path), field=field) from None
        if not _host_ok(event.source, hosts):
            raise DataError(
                f"{_where(i, raw)}: source is not an official page of {spec.jurisdiction}; "
                f"use one of {', '.join(hosts)}",
                file=str(path),
                field="source",
            )
        if events and event.date < events[-1].date:
            raise DataError(f"{_where(i, raw)}: events must be in date order; move it before "
                            f"'{events[-1].id}' ({events[-1].date})", file=str(path),
                            field="date")  # fmt: skip
        events.append(event)
    return events


def _check_links(events: list[PolicyEvent], files: dict[str, Path]) -> None:
    """Ids are unique; ``revokes`` and ``amends`` name an earlier (or same-day) known event."""
    by_id: dict[str, PolicyEvent] = {}
    for e in events:
        if e.id in by_id:
            raise DataError(f"duplicate event id '{e.id}' (also in {files[by_id[e.id].id].name})",
                            file=str(files[e.id]), field="id")  # fmt: skip
        by_id[e.id] = e
    for e in events:
        for name in ("revokes", "amends"):
            target = getattr(e, name)
            if target is None:
                continue
            other = by_id.get(target)
            if other is None:
                raise DataError(f"event '{e.id}': {name} unknown event '{target}'",
                                file=str(files[e.id]), field=name)  # fmt: skip
            if other.date > e.date:
                raise DataError(f"event '{e.id}' ({e.date}) {name} the later '{target}' "
                                f"({other.date})", file=str(files[e.id]), field=name)  # fmt: skip


def load_timeline(root: Path | None = None) -> tuple[PolicyEvent, ...]:
    """Every policy event of every jurisdiction, validated, in date order (then id)."""
    return _load_cached((root or KB_ROOT).resolve())


@cache
def _load_cached(root: Path) -> tuple[PolicyEvent, ...]:
    files: dict[str, Path] = {}
    events: list[PolicyEvent] = []
    paths = sorted((root / POLICY_DIR).glob("*.yaml"))
    for path in paths:
        for e in _load_file(path):
            files.setdefault(e.id, path)
            events.append(e)
    _check_links(events, files)
    return tuple(sorted(events, key=lambda e: (e.date, e.id)))


def events_between(
    events: tuple[PolicyEvent, ...], since: dt.date | None, until: dt.date
) -> list[PolicyEvent]:
    """Events dated after ``since`` (exclusive; None: from the start) up to ``until``."""
    return [e for e in events if (since is None or e.date > since) and e.date <= until]
