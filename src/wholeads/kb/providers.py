"""Which price-listing spellings name one provider (``providers.yaml``): a company's regions,
plans, API modes and product lines fold into it, and a routed listing ('huggingface_groq')
counts as the company it routes to. Validated on load; errors name the file and the entry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from wholeads.errors import DataError
from wholeads.kb import KB_ROOT, read_yaml

PROVIDERS_FILE = KB_ROOT / "providers.yaml"
_COMPANY_FIELDS = {"provider", "spellings", "prefixes", "why", "source"}
_ROUTED_FIELDS = {"prefix", "why", "source"}


def letters(name: str) -> str:
    """A spelling's letters and digits, lower case: how spellings are compared."""
    return re.sub(r"[^0-9a-z]+", "", name.strip().casefold())


@dataclass(frozen=True, slots=True)
class ProviderFolds:
    """Spellings (as ``letters``) -> provider id; prefixes likewise; routed prefixes."""

    spellings: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    routed: tuple[str, ...]

    def fold(self, name: str) -> str | None:
        """The provider a spelling folds into, or None when the file does not name it."""
        key = letters(name)
        if key in self.spellings:
            return self.spellings[key]
        return next((p for prefix, p in self.prefixes if key.startswith(prefix)), None)

    def routed_to(self, name: str) -> str | None:
        """The company a routed listing names ('huggingface_groq' -> 'groq'), else None."""
        folded = name.strip().casefold()
        for prefix in self.routed:
            if folded.startswith(prefix) and len(folded) > len(prefix):
                return name.strip()[len(prefix) :]
        return None


def _text_list(value: Any, where: str, path: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(f"{where}: give a list of spellings", file=str(path))
    return value


def _checked(entry: Any, fields: set[str], required: set[str], where: str, path: Path) -> None:
    if not isinstance(entry, dict):
        raise DataError(f"{where}: each entry is a mapping", file=str(path))
    if unknown := set(entry) - fields:
        raise DataError(f"{where}: unknown field(s) {sorted(unknown)}", file=str(path))
    if missing := required - set(entry):
        raise DataError(f"{where}: missing {sorted(missing)}", file=str(path))
    if not str(entry["source"]).startswith("https://"):
        raise DataError(f"{where}: source must be an https:// URL", file=str(path))


def parse_folds(data: Any, path: Path) -> ProviderFolds:
    """Validate the file's content: unknown or missing fields, a spelling claimed twice."""
    if not isinstance(data, dict) or set(data) - {"as_of", "companies", "routed"}:
        raise DataError("expected the keys as_of, companies and routed", file=str(path))
    if not isinstance(data.get("as_of"), dt.date):
        raise DataError("as_of: the date the entries were checked (YYYY-MM-DD)", file=str(path))
    spellings: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for i, entry in enumerate(data.get("companies") or []):
        where = f"companies[{i}]"
        _checked(entry, _COMPANY_FIELDS, {"provider", "spellings", "why", "source"}, where, path)
        provider = str(entry["provider"])
        where = f"{where} ({provider})"
        for spelling in _text_list(entry["spellings"], f"{where}.spellings", path):
            key = letters(spelling)
            if key in spellings:
                owner = spellings[key]
                raise DataError(f"{where}: '{spelling}' is already {owner}'s", file=str(path))
            spellings[key] = provider
        for prefix in _text_list(entry.get("prefixes", []), f"{where}.prefixes", path):
            prefixes.append((letters(prefix), provider))
    routed = []
    for i, entry in enumerate(data.get("routed") or []):
        _checked(entry, _ROUTED_FIELDS, _ROUTED_FIELDS, f"routed[{i}]", path)
        routed.append(str(entry["prefix"]).casefold())
    return ProviderFolds(spellings, tuple(prefixes), tuple(routed))


@cache
def provider_folds(path: Path = PROVIDERS_FILE) -> ProviderFolds:
    """The shipped folds (read once per process)."""
    return parse_folds(read_yaml(path), path)
