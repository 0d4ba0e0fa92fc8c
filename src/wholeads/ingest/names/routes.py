"""Route and vendor prefixes: what stands around a model name without being part of it.

A gateway path (``fireworks_ai/accounts/fireworks/models/ernie-4p5-300b-a47b-pt``), a Bedrock id
(``us.anthropic.claude-3-7-sonnet-20250219-v1:0``), a Hugging Face repo id
(``baidu/ERNIE-4.5-300B-A47B-PT``) or a display prefix (``OpenAI: GPT-4o (2024-05-13)``) is split
into the route (who serves it), the vendor (who made it, when the text says) and the model text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wholeads.ingest.names import vocab

_DISPLAY_VENDOR_RE = re.compile(r"^([^/:()]{1,40}?):\s+(?=\S)")
_BEDROCK_RE = re.compile(r"^(?:(us-gov|us|eu|apac|jp|au|ca|global)\.)?([a-z0-9]+)\.(?=[a-z])(.+)$")
_BEDROCK_VERSION_RE = re.compile(r"(?:-v?\d+)?:\d+$")
_DATED_BEDROCK_VERSION_RE = re.compile(r"(?<=\d{8})-v\d+$")
_SCHEME_RE = re.compile(r"^(hf):(?=[^\s])", re.I)
_REGION_SEGMENT_RE = re.compile(
    r"^[a-z]{2}(?:-gov)?-[a-z]+-\d+$|^global-standard$|\d+-x-\d+|^\d+-steps$|^max-steps$"
)
_VERTEX_PIN_RE = re.compile(r"@(?=\d)")


@dataclass(frozen=True, slots=True)
class Routed:
    """A name split into route, vendor and the model text (plus task words of a gateway)."""

    route: str | None
    vendor: str | None
    text: str
    tasks: tuple[str, ...] = ()


def _segment_key(segment: str) -> str:
    return segment.casefold().strip()


def _is_vendor(segment: str) -> bool:
    return _segment_key(segment) in vocab.VENDORS


def _could_be_vendor(segment: str) -> bool:
    """A path segment that may name the model's maker (an org), not a gateway or a region."""
    key = _segment_key(segment)
    return not (
        key in vocab.ROUTE_WORDS
        or key in vocab.REGIONS
        or _REGION_SEGMENT_RE.search(key)
        or not re.search(r"[a-z]", key)
    )


def _split_path(text: str) -> tuple[list[str], str, tuple[str, ...]]:
    """Path segments before the model, the model text, and trailing task words.

    The model is the last segment, except in gateway paths whose tail is an endpoint
    ('.../bytedance/seedream/v3/text-to-image'): there the model is what follows the vendor.
    """
    segments = [s for s in text.split("/") if s.strip()]
    tasks: list[str] = []
    while len(segments) > 1 and _segment_key(segments[-1]) in vocab.TASKS:
        tasks.insert(0, _segment_key(segments.pop()))
    if tasks:
        vendor_at = max((i for i, s in enumerate(segments[:-1]) if _is_vendor(s)), default=None)
        if vendor_at is not None and vendor_at + 1 < len(segments):
            return segments[: vendor_at + 1], "-".join(segments[vendor_at + 1 :]), tuple(tasks)
    return segments[:-1], segments[-1] if segments else "", tuple(tasks)


def split_route(text: str) -> Routed:
    """Route, vendor and model text of a raw name (see the module docstring)."""
    vendor: str | None = None
    route_parts: list[str] = []
    text = text.strip()
    m = _DISPLAY_VENDOR_RE.match(text)
    if m and "/" not in m.group(1):
        vendor, text = m.group(1).strip(), text[m.end() :]
    while m := _SCHEME_RE.match(text):
        route_parts.append(m.group(1).casefold())
        text = text[m.end() :]
    tasks: tuple[str, ...] = ()
    if "/" in text.rstrip("/"):
        before, text, tasks = _split_path(text.rstrip("/"))
        before = [s for s in before if not s.startswith("@") or s == "@cf"]
        if before and vendor is None and _could_be_vendor(before[-1]):
            vendor = before.pop()
        elif before and vendor is None:
            vendors = [s for s in before if _is_vendor(s)]
            if vendors:
                vendor = vendors[-1]
                before.remove(vendor)
        route_parts.extend(before)
    text = _VERTEX_PIN_RE.sub("-", text)
    low = text.casefold()
    m = _BEDROCK_RE.match(low)
    if m and m.group(2) in vocab.BEDROCK_VENDORS and not re.match(r"^\d", m.group(3)):
        region, bedrock_vendor, rest = m.groups()
        if region:
            route_parts.append(region)
        if "bedrock" not in route_parts:
            route_parts.append("bedrock")
        if vendor is None or not _is_vendor(vendor):
            vendor = bedrock_vendor
        rest = _BEDROCK_VERSION_RE.sub("", rest)
        rest = _DATED_BEDROCK_VERSION_RE.sub("", rest)
        family = vocab.BEDROCK_FAMILY.get(bedrock_vendor)
        if family and not rest.startswith(family):
            rest = f"{family}-{rest}"
        text = rest
    if vendor:
        vendor = vendor.lstrip("~").strip() or None  # OpenRouter's '~vendor/…-latest' aliases
    return Routed("/".join(route_parts) or None, vendor, text.strip(), tasks)
