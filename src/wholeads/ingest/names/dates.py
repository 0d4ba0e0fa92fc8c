"""Checkpoint dates in model names, with their year when the name gives one.

Sources write one checkpoint many ways: ``-2024-08-06``, ``20240806``, ``(2024-08-06)``, ``-0806``
(no year), ``-2407`` (Mistral's year-month), ``250414`` (year-month-day without the century),
``-08-2024`` (Cohere's month-year), ``(May 2024)``, ``24.11`` (Mistral Large 24.11). Every form is
read into a :class:`PartialDate`; a form with two possible readings (``08-24``: 24 August or
August 2024) keeps both, and matching decides. A date without a year never gets a guessed one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
FIRST_YEAR, LAST_YEAR = 2019, 2030
"""Checkpoint years accepted in a name (two-digit years: 19..30)."""
MONTH_YEAR_FROM = 2023
"""'MM-YY' (Cohere's '08-24') is read as month-year only from this year: '05-20' is 20 May."""


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date with possibly unknown parts: (2024, 8, 6), (None, 8, 6) or (2024, 8, None)."""

    year: int | None
    month: int | None
    day: int | None

    def text(self) -> str:
        """ISO-like text with '-' for unknown parts: '2024-08-06', '--08-06', '2024-08'."""
        year = f"{self.year:04d}" if self.year else "-"
        month = f"-{self.month:02d}" if self.month else ""
        day = f"-{self.day:02d}" if self.day else ""
        return year + month + day

    def known(self) -> int:
        """How many of year, month, day are given."""
        return sum(part is not None for part in (self.year, self.month, self.day))

    def agrees(self, other: PartialDate) -> bool:
        """No given part contradicts the other's, and month plus one more part are shared."""
        pairs = ((self.year, other.year), (self.month, other.month), (self.day, other.day))
        if any(a is not None and b is not None and a != b for a, b in pairs):
            return False
        shared = sum(a is not None and b is not None for a, b in pairs)
        return self.month is not None and other.month is not None and shared >= 2

    def earliest(self) -> dt.date | None:
        """The first day this date can be (None without a year)."""
        if self.year is None:
            return None
        return dt.date(self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A checkpoint date as written, with every reading the spelling allows (first = usual)."""

    readings: tuple[PartialDate, ...]
    written: str
    """The name's own spelling of it, e.g. '0528' or '2024-08-06'."""

    def text(self) -> str:
        """Key text: the readings joined by '|' (one spelling of a date, one text)."""
        return "|".join(r.text() for r in self.readings)

    def agrees(self, other: PartialDate) -> bool:
        """Some reading of this checkpoint agrees with ``other``."""
        return any(r.agrees(other) for r in self.readings)

    def completed(self, release: dt.date | None) -> Checkpoint:
        """This checkpoint with the year of ``release`` where a reading without one agrees with it
        ('deepseek-r1-0528', released 2025-05-28, is 2025-05-28): the year a name omits."""
        if release is None:
            return self
        full = PartialDate(release.year, release.month, release.day)
        for reading in self.readings:
            if reading.year is None and reading.agrees(full):
                return Checkpoint(
                    (PartialDate(release.year, reading.month, reading.day),), self.written
                )
            if reading.year is not None and reading.agrees(full):
                return Checkpoint((reading,), self.written)
        return self


def _valid(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if year is not None and month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def _two_digit_year(text: str) -> int | None:
    year = 2000 + int(text)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def _one(text: str) -> tuple[PartialDate, ...]:
    """Readings of one all-digit token."""
    n = len(text)
    if n == 8 and text.startswith("20"):
        found = _valid(int(text[:4]), int(text[4:6]), int(text[6:]))
        return (found,) if found else ()
    if n == 6:
        year = _two_digit_year(text[:2])
        found = _valid(year, int(text[2:4]), int(text[4:])) if year else None
        if found:
            return (found,)
        found = _valid(int(text[:4]), int(text[4:]), None) if text.startswith("20") else None
        return (found,) if found else ()
    if n == 4:
        month_day = _valid(None, int(text[:2]), int(text[2:]))
        if month_day:
            return (month_day,)
        year = _two_digit_year(text[:2])
        year_month = _valid(year, int(text[2:]), None) if year and int(text[:2]) > 12 else None
        if year_month:
            return (year_month,)
    return ()


def _pair(a: str, b: str) -> tuple[PartialDate, ...]:
    """Readings of two adjacent all-digit tokens ('05-20', '08-2024', '2025-09')."""
    if len(a) == 4 and len(b) == 2:
        found = _valid(int(a), int(b), None)
        return (found,) if found else ()
    if len(a) == 2 and len(b) == 4:
        found = _valid(int(b), int(a), None)
        return (found,) if found else ()
    if len(a) == 2 and len(b) == 2:
        readings = []
        month_day = _valid(None, int(a), int(b))
        if month_day:
            readings.append(month_day)
        year = _two_digit_year(b)
        month_year = _valid(year, int(a), None) if year and year >= MONTH_YEAR_FROM else None
        if month_year:
            readings.append(month_year)
        return tuple(readings)
    return ()


def _triple(a: str, b: str, c: str) -> tuple[PartialDate, ...]:
    """Readings of three adjacent all-digit tokens (YYYY-MM-DD, MM-DD-YYYY, YY-MM-DD)."""
    shapes = (len(a), len(b), len(c))
    found: PartialDate | None = None
    if shapes == (4, 2, 2):
        found = _valid(int(a), int(b), int(c))
    elif shapes == (2, 2, 4):
        found = _valid(int(c), int(a), int(b))
    elif shapes == (2, 2, 2) and (year := _two_digit_year(a)):
        found = _valid(year, int(b), int(c))
    return (found,) if found else ()


def read_digits(tokens: Sequence[str], start: int) -> tuple[tuple[PartialDate, ...], int]:
    """The readings of the date that starts at ``tokens[start]`` and how many tokens it spans
    (0 when there is none). Longest form first, so '2024-08-06' is one date, not three."""
    digits = [t for t in tokens[start : start + 3]]
    run = 0
    while run < len(digits) and digits[run].isdigit():
        run += 1
    if run >= 3 and (readings := _triple(*digits[:3])):
        return readings, 3
    if run >= 2 and (readings := _pair(digits[0], digits[1])):
        return readings, 2
    if run >= 1 and (readings := _one(digits[0])):
        return readings, 1
    return (), 0


def read_month_words(words: Sequence[str]) -> tuple[PartialDate, ...]:
    """'May 2024', 'Jan 2025', 'December' (a checkpoint named by its month)."""
    if not words or words[0][:3] not in MONTHS or not words[0].isalpha():
        return ()
    month = MONTHS[words[0][:3]]
    if len(words) >= 2 and words[1].isdigit() and len(words[1]) == 4:
        found = _valid(int(words[1]), month, None)
        return (found,) if found else ()
    if len(words) == 1:
        return (PartialDate(None, month, None),)
    return ()


def read_year_month_decimal(token: str) -> tuple[PartialDate, ...]:
    """Mistral's 'YY.MM' version ('24.11' = November 2024)."""
    head, _, tail = token.partition(".")
    if len(head) != 2 or len(tail) != 2 or not (head + tail).isdigit():
        return ()
    year = _two_digit_year(head)
    found = _valid(year, int(tail), None) if year else None
    return (found,) if found else ()


def full_date(text: str) -> dt.date | None:
    """A complete date written in ``text`` (2025-03-29, 20250329), if any: the day a rolling
    name such as Aider's 'chatgpt-4o-latest (2025-03-29)' was used."""
    import re

    m = re.search(r"(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?([0-2]\d|3[01])", text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
