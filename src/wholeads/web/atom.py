"""The change set as an Atom 1.0 feed (RFC 4287): one entry per change, its evidence in the
summary. Pure: data in, XML text out (ElementTree escapes every value)."""

from __future__ import annotations

import datetime as dt
import hashlib
import xml.etree.ElementTree as ET

from wholeads.analysis.changes import KIND_TITLES, ChangeItem
from wholeads.query.changes import ChangeSet

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:wholeads,2026:changes"
AUTHOR = "wholeads"


def _stamp(day: dt.date) -> str:
    """An RFC 3339 date-time for a day (midnight UTC): Atom's required form."""
    return f"{day.isoformat()}T00:00:00Z"


def entry_id(c: ChangeItem) -> str:
    """A stable id: the same change gets the same id in every feed that lists it."""
    key = "|".join([c.kind, c.date.isoformat(), c.domain or "", c.model_id or "", c.title])
    return f"{FEED_ID}:{c.kind}:{hashlib.sha256(key.encode()).hexdigest()[:24]}"


def _evidence_text(c: ChangeItem) -> str:
    parts = []
    for e in c.evidence:
        where = e.url or e.file
        row = f":{e.row}" if e.row is not None else ""
        parts.append(f"{e.source} {e.date or ''}".strip() + (f" ({where}{row})" if where else ""))
    return "Evidence: " + "; ".join(parts) if parts else "Evidence: none recorded"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(cs: ChangeSet, self_url: str, alternate_url: str) -> str:
    """The feed: id, title, updated, author and links at the top, then an entry per change."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", FEED_ID)
    _sub(feed, "title", f"wholeads: what changed between {cs.since} and {cs.until}")
    newest = max((c.date for c in cs.items), default=cs.until)
    _sub(feed, "updated", _stamp(max(newest, cs.until)))
    author = _sub(feed, "author")
    _sub(author, "name", AUTHOR)
    _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=alternate_url, type="text/html")
    _sub(feed, "subtitle", "Who leads in AI, and where: changes told only on comparable evidence.")
    for c in cs.items:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(c))
        _sub(entry, "title", c.title)
        _sub(entry, "updated", _stamp(c.date))
        _sub(entry, "link", rel="alternate", href=alternate_url, type="text/html")
        _sub(entry, "category", term=c.kind, label=KIND_TITLES[c.kind])
        _sub(entry, "summary", _evidence_text(c), type="text")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
