"""Helpers shared by the leaderboard-table sources (long-context and video benchmarks).

These sources are small tables copied from benchmark READMEs, sites and leaderboard CSVs. They share
a few quirks: markdown link markup in name cells, length labels ('128K', '1M'), parameter counts
('94B/398B' = active/total), and converted tables whose online original is a README or web page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from wholeads.errors import DataError
from wholeads.ingest.sources._read import csv_rows, is_missing, num, text, where
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import ModelRecord, Provenance

_LINK = re.compile(r"^\s*\[(?P<text>.*)\]\((?P<url>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)\s*$")
_LENGTH = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[kKmM])?\s*$")
_PARAMS = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[MBT])?\s*$", re.IGNORECASE)
_UNIT = {"k": 1024, "m": 1024 * 1024}
_PARAM_UNIT = {"m": 0.001, "b": 1.0, "t": 1000.0, "": 1.0}


def split_link(cell: str) -> tuple[str, str | None]:
    """'[Kling1.6(20250503)](https://…)' -> ('Kling1.6(20250503)', 'https://…'); text as is."""
    match = _LINK.match(cell)
    if match is None:
        return cell.strip(), None
    return match.group("text").strip(), match.group("url")


def length_tokens(label: str | None) -> int | None:
    """A context length label as tokens: '128K' -> 131072, '1M' -> 1048576, '200k' -> 200000.

    Labels that are powers of two ('128K', '1M') mean binary multiples, as model cards do; others
    ('200K', '80K') are decimal. Bounds such as '>128K' or '<4K' are not a length: None.
    """
    if label is None or is_missing(label):
        return None
    match = _LENGTH.match(label)
    if match is None:
        return None
    count, unit = float(match.group("n")), (match.group("unit") or "").lower()
    if not unit:
        return int(count) if count > 0 else None
    whole = int(count)
    if whole == count and whole > 0 and whole & (whole - 1) == 0:
        return whole * _UNIT[unit]
    return round(count * (1000 if unit == "k" else 1_000_000))


def length_setting(label: str) -> str:
    """The setting string of an evaluation length: '128K' -> '128k', ' 1M ' -> '1m'."""
    return label.strip().lower()


def params_b(value: str | None) -> tuple[float | None, float | None]:
    """(total, active) billions from '70B', '94B/398B' (active/total), '1T', '1.5'; '-' -> None."""
    if value is None or is_missing(value):
        return None, None
    parts = [_param(part) for part in value.split("/")]
    if len(parts) == 2 and parts[0] is not None and parts[1] is not None:
        return max(parts[0], parts[1]), min(parts[0], parts[1])
    return (parts[0], None) if len(parts) == 1 else (None, None)


def _param(part: str) -> float | None:
    match = _PARAMS.match(part)
    if match is None:
        return None
    return float(match.group("n")) * _PARAM_UNIT[(match.group("unit") or "").lower()]


def prov(raw: RawFiles, path: str, row: int) -> Provenance:
    """Provenance of one row of one file."""
    return Provenance(source=raw.source, file=path, row=row)


def problem(raw: RawFiles, path: str, line: int, what: str) -> str:
    """A problem message naming file and line: '<source>/<file>:<line>: <what>'."""
    return f"{where(raw, path)}:{line}: {what}"


def value(
    raw: RawFiles, path: str, line: int, cell: str, column: str, problems: list[str]
) -> float | None:
    """The number in a score cell; missing markers give None, unreadable text a problem."""
    if is_missing(cell):
        return None
    number = num(cell)
    if number is None:
        problems.append(problem(raw, path, line, f"{column} is not a number: {cell!r}"))
    return number


def converted_rows(
    raw: RawFiles, path: str, required: Sequence[str], original: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a table converted from a README or web page (the mirror form).

    The online path fetches the upstream original (``original``: a README table or an HTML page)
    into the same file name. That form is not parsed here: the converted CSV also carries
    'first listed' dates found from the file's git history, which the original cannot give. So an
    original is reported as a DataError that says to update this source from the mirror.
    """
    if path not in raw.files:
        raise DataError("file is missing", file=where(raw, path))
    head = text(raw, path).lstrip()[:200]
    first_line = head.splitlines()[0] if head else ""
    if head and (head[0] in "#<|[!" or "," not in first_line):
        raise DataError(
            f"this is the upstream {original}, not the converted table; online update of this "
            "source is not supported: update it from the mirror (shared data folder)",
            file=where(raw, path),
            line=1,
        )
    yield from csv_rows(raw, path, required)


class Models:
    """ModelRecords keyed by raw name: the first row that names a model states its facts."""

    def __init__(self) -> None:
        self._by_name: dict[str, ModelRecord] = {}

    def add(self, record: ModelRecord) -> None:
        """Keep the record unless the same raw name was already recorded."""
        self._by_name.setdefault(record.name, record)

    def records(self) -> list[ModelRecord]:
        """The records in first-seen order."""
        return list(self._by_name.values())
