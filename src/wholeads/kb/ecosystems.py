"""Ecosystems (US, CN, EU, other) derived from a lab's HQ country: defined once, overridable.

The mapping is data (``kb/ecosystems.yaml``); ``WHOLEADS_ECOSYSTEMS`` names a replacement file.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from wholeads.errors import DataError
from wholeads.kb import KB_ROOT, read_yaml

OTHER = "other"
ECOSYSTEMS_ENV = "WHOLEADS_ECOSYSTEMS"


@cache
def _country_map(path: Path) -> dict[str, str]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError("expected a mapping ecosystem -> list of countries", file=str(path))
    mapping: dict[str, str] = {}
    for ecosystem, countries in data.items():
        if not isinstance(countries, list):
            raise DataError(
                "expected a list of ISO country codes", file=str(path), field=str(ecosystem)
            )
        for country in countries:
            code = str(country).upper()
            if code in mapping:
                raise DataError(
                    f"country {code} is in both {mapping[code]} and {ecosystem}",
                    file=str(path),
                    field=str(ecosystem),
                )
            mapping[code] = str(ecosystem)
    return mapping


def ecosystem_file() -> Path:
    """The ecosystems file in force (the override if set)."""
    override = os.environ.get(ECOSYSTEMS_ENV)
    return Path(override) if override else KB_ROOT / "ecosystems.yaml"


def country_map() -> dict[str, str]:
    """Country code -> ecosystem id, for every listed country."""
    return _country_map(ecosystem_file())


def ecosystem_of(country: str | None) -> str | None:
    """The ecosystem of a country code; None when the country is unknown."""
    if not country:
        return None
    return country_map().get(country.upper(), OTHER)


def ecosystem_ids() -> list[str]:
    """All ecosystem ids, in file order, with `other` last."""
    ids = list(dict.fromkeys(country_map().values()))
    return [*ids, OTHER] if OTHER not in ids else ids
