"""Lenient readers shared by the source modules: text, CSV, JSON, YAML, dates, numbers, countries.

Upstream files have quirks (BOMs, '%' signs, 'N/A', per-token prices, long country names). These
helpers absorb them in one place; what cannot be read raises DataError naming file and line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

import yaml

from wholeads.errors import DataError
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import DatePrecision

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FIELD = 16 * 1024 * 1024
csv.field_size_limit(MAX_FIELD)

MISSING = {"", "-", "—", "n/a", "na", "nan", "none", "null", "tbd", "?", "unknown", "⏳"}


def text(raw: RawFiles, path: str) -> str:
    """The file decoded as UTF-8 (a BOM is dropped); bad bytes name the file and line."""
    data = raw.files[path]
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            file=f"{raw.source}/{path}",
            line=line,
        ) from None


def where(raw: RawFiles, path: str) -> str:
    """How a message names a file: '<source>/<path>'."""
    return f"{raw.source}/{path}"


def csv_rows(
    raw: RawFiles, path: str, required: Sequence[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as (line number, row dict); a missing required column is an error.

    The line number is the physical line where the record starts, so a message can point to it.
    """
    body = text(raw, path)
    if not body.strip():
        raise DataError("empty file", file=where(raw, path))
    reader = csv.DictReader(io.StringIO(body, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(
            f"missing column(s) {', '.join(missing)}; header is {', '.join(header)}",
            file=where(raw, path),
            line=1,
            field=missing[0],
        )
    line = reader.line_num
    try:
        for row in reader:
            yield line + 1, {k: (v or "") for k, v in row.items() if k is not None}
            line = reader.line_num
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", file=where(raw, path), line=line + 1) from None


def json_doc(raw: RawFiles, path: str) -> Any:
    """The parsed JSON document; a syntax error names the file, line and column."""
    body = text(raw, path)
    if not body.strip():
        raise DataError("empty file", file=where(raw, path))
    try:
        return json.loads(body, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise DataError(
            f"duplicate key '{exc.args[0]}' in a JSON object",
            file=where(raw, path),
            field=str(exc.args[0]),
        ) from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", file=where(raw, path), line=exc.lineno
        ) from None
    except PARSE_LIMITS as exc:
        raise DataError(f"unreadable JSON: {limit_reason(exc)}", file=where(raw, path)) from None


class _DuplicateKey(Exception):
    """A JSON object repeats a key (json.loads would silently keep the last)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def yaml_doc(raw: RawFiles, path: str) -> Any:
    """The parsed YAML document (safe loader only)."""
    body = text(raw, path)
    if not body.strip():
        raise DataError("empty file", file=where(raw, path))
    try:
        return yaml.load(body, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}",
            file=where(raw, path),
            line=mark.line + 1 if mark else None,
        ) from None
    except (*PARSE_LIMITS, TypeError) as exc:  # TypeError: a list or mapping used as a key
        raise DataError(f"unreadable YAML: {limit_reason(exc)}", file=where(raw, path)) from None


PARSE_LIMITS = (RecursionError, MemoryError, ValueError)
"""What a document parser raises beyond its own syntax errors: nesting deeper than the stack,
a document too large for memory, an integer with more digits than Python converts."""


def limit_reason(exc: BaseException) -> str:
    """How a parser's limit error reads in a message."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, MemoryError):
        return "too large to hold in memory"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def is_missing(value: Any) -> bool:
    """True for the many ways upstream files say 'no value'."""
    return value is None or (isinstance(value, str) and value.strip().casefold() in MISSING)


_NUM = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


_INFINITE = re.compile(r"\s*([-+]?)(inf|infinity)\s*", re.IGNORECASE)


def num(value: Any) -> float | None:
    """A number from '71.3%', '1,234', ' 5 ', '**42.0**'; None for missing markers (NaN among
    them). Infinity ('inf', 1e999) stays infinite, for the plausibility gates to reject by name."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value) if not isinstance(value, int) or abs(value) < 2**1023 else math.inf
        return None if math.isnan(number) else number
    if is_missing(value):
        return None
    text = str(value)
    if infinite := _INFINITE.fullmatch(text):
        return -math.inf if infinite.group(1) == "-" else math.inf
    match = _NUM.search(text.replace(",", ""))
    return float(match.group()) if match else None


OVERFLOW = 2**63 - 1
"""What ``whole`` gives for a count that is infinite or beyond 64 bits: a value every unit of the
plausibility gates rejects, so the record's problem names the field instead of a crash."""


def whole(value: Any) -> int | None:
    """A count or size (votes, tokens) as an int: None when missing, ``OVERFLOW`` when the source
    gives infinity or a number beyond 64 bits."""
    number = num(value)
    if number is None:
        return None
    if not math.isfinite(number) or abs(number) >= OVERFLOW:
        return OVERFLOW
    return int(number)


def per_token_to_mtok(value: Any) -> float | None:
    """USD per token (as number or string) -> USD per million tokens; negatives mean 'varies'."""
    price = num(value)
    if price is None or price < 0:
        return None
    return round(price * 1_000_000, 10)


_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%d %B %Y", "%B %d, %Y", "%b %d, %Y", "%d %b %Y")


def date(value: Any) -> dt.date | None:
    """See ``_date``; strings are cached, since sources repeat the same few dates."""
    if isinstance(value, str):
        return _date_text_cached(value)
    return _date(value)


@lru_cache(maxsize=8192)
def _date_text_cached(value: str) -> dt.date | None:
    return _date(value)


def _date(value: Any) -> dt.date | None:
    """A date from the forms sources use: ISO, 'YYYY-MM' (first of month), YYYYMMDD integers,
    '17 November 2025 4:28pm', unix seconds. Placeholders (1970-01-01) and blanks give None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float) and value > 10**8 and value < 10**11:
        result = dt.datetime.fromtimestamp(float(value), tz=dt.UTC).date()
    else:
        s = str(value).strip()
        if is_missing(s):
            return None
        parsed = _parse_date_text(s)
        if parsed is None:
            return None
        result = parsed
    return None if result.year < 1990 else result


def _parse_date_text(s: str) -> dt.date | None:
    s = re.sub(r"\s+\d{1,2}:\d{2}\s*(am|pm)?$", "", s, flags=re.I)
    s = s.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", s) else s
    for form in _DATE_FORMS:
        try:
            return dt.datetime.strptime(s, form).date()
        except ValueError:
            continue
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return dt.date(int(m.group(1)), int(m.group(2)), 1)
    m = re.fullmatch(r"(\d{4})", s)
    if m:
        return dt.date(int(m.group(1)), 1, 1)
    if s.isdigit() and 10**8 < int(s) < 10**11:
        return dt.datetime.fromtimestamp(int(s), tz=dt.UTC).date()
    return None


def partial_date_text(value: Any) -> str | None:
    """A date that may be partial, as text at the precision stated: '2024-12' stays a month,
    '2023/11' (LMArena's tables) reads as '2023-11', '2025-03-31' a day; blanks give None."""
    if isinstance(value, str):
        value = re.sub(r"^(\d{4})/(\d{1,2})$", r"\1-\2", value.strip())
    day = date(value)
    if day is None:
        return None
    precision = date_precision(value)
    return {"year": day.isoformat()[:4], "month": day.isoformat()[:7]}.get(
        precision, day.isoformat()
    )


def date_precision(value: Any) -> DatePrecision:
    """How much of a date a value states: 'YYYY-MM' is a month, 'YYYY' a year, anything else a
    day. Kept with the date so a partial date never reads as a precise one (look-ahead uses the
    period's last day)."""
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"\d{4}-\d{1,2}", s):
            return "month"
        if re.fullmatch(r"\d{4}", s):
            return "year"
    return "day"


def split_list(value: Any) -> list[str]:
    """A comma list ('Z.ai (Zhipu AI),Tsinghua University') as trimmed, non-empty items."""
    if is_missing(value):
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


COUNTRY_ISO = {
    "united states of america": "US",
    "united states": "US",
    "usa": "US",
    "us": "US",
    "china": "CN",
    "people's republic of china": "CN",
    "prc": "CN",
    "hong kong": "HK",
    "taiwan": "TW",
    "united kingdom": "GB",
    "uk": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "france": "FR",
    "germany": "DE",
    "canada": "CA",
    "israel": "IL",
    "japan": "JP",
    "korea (republic of)": "KR",
    "south korea": "KR",
    "republic of korea": "KR",
    "korea": "KR",
    "india": "IN",
    "singapore": "SG",
    "switzerland": "CH",
    "netherlands": "NL",
    "sweden": "SE",
    "finland": "FI",
    "spain": "ES",
    "italy": "IT",
    "russia": "RU",
    "russian federation": "RU",
    "united arab emirates": "AE",
    "uae": "AE",
    "saudi arabia": "SA",
    "australia": "AU",
    "austria": "AT",
    "belgium": "BE",
    "denmark": "DK",
    "norway": "NO",
    "poland": "PL",
    "ireland": "IE",
    "czech republic": "CZ",
    "czechia": "CZ",
    "portugal": "PT",
    "brazil": "BR",
    "vietnam": "VN",
    "viet nam": "VN",
    "turkey": "TR",
    "türkiye": "TR",
    "iran": "IR",
    "indonesia": "ID",
    "thailand": "TH",
    "malaysia": "MY",
    "luxembourg": "LU",
    "greece": "GR",
    "hungary": "HU",
    "romania": "RO",
    "ukraine": "UA",
    "estonia": "EE",
    "new zealand": "NZ",
    "mexico": "MX",
    "argentina": "AR",
    "chile": "CL",
    "egypt": "EG",
    "nigeria": "NG",
    "kenya": "KE",
    "south africa": "ZA",
    "qatar": "QA",
    "pakistan": "PK",
    "bangladesh": "BD",
    "iran (islamic republic of)": "IR",
    "lebanon": "LB",
    "macao": "MO",
    "macau": "MO",
    "croatia": "HR",
    "lithuania": "LT",
    "slovenia": "SI",
    "armenia": "AM",
    "latvia": "LV",
    "slovakia": "SK",
    "bulgaria": "BG",
    "cyprus": "CY",
    "malta": "MT",
    "iceland": "IS",
    "multinational": "",
}


def country_iso(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 from a country name as sources write it; None when unknown/multiple."""
    if is_missing(value):
        return None
    s = str(value).strip()
    if re.fullmatch(r"[A-Z]{2}", s):
        return s
    iso = COUNTRY_ISO.get(s.casefold())
    return iso or None
