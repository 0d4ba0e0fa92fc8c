"""Loading the curated knowledge base: every lab and model family file validated (pydantic, the
schema of ``wholeads.schema``), cross-checked (labs exist, ids and aliases unique) and cached."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wholeads.errors import DataError
from wholeads.kb import KB_ROOT, read_yaml
from wholeads.schema import Family, Lab, ModelVersion, SourceRef

_Entity = TypeVar("_Entity", Lab, Family)


class RollingPeriod(BaseModel):
    """One period during which a rolling API name pointed to one version."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    model: str
    valid_from: dt.date = Field(alias="from")
    until: dt.date | None = None


class RollingAlias(BaseModel):
    """An API name ('deepseek-reasoner') whose meaning changed over time, with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: SourceRef
    periods: list[RollingPeriod] = Field(min_length=1)


@dataclass(frozen=True)
class KnowledgeBase:
    """All curated labs and model families, indexed by id."""

    labs: dict[str, Lab]
    families: dict[str, Family]
    versions: dict[str, tuple[Family, ModelVersion]] = field(default_factory=dict)
    rolling: dict[str, RollingAlias] = field(default_factory=dict)

    def rolling_periods(self) -> list[tuple[str, str, dt.date, dt.date | None]]:
        """(alias, model id, valid from, valid to) for every rolling alias period."""
        rows = []
        for alias, spec in self.rolling.items():
            periods = sorted(spec.periods, key=lambda p: p.valid_from)
            for i, period in enumerate(periods):
                nxt = periods[i + 1].valid_from if i + 1 < len(periods) else None
                rows.append((alias, period.model, period.valid_from, period.until or nxt))
        return rows


def _explain(exc: ValidationError, path: Path) -> DataError:
    """Turn the first pydantic error into a message naming the file, the field and the fix."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        fix = "remove it or check its spelling against schema.py"
        msg = f"unknown field '{loc}'; {fix}"
    elif kind == "missing":
        msg = f"required field '{loc}' is missing; add it"
    else:
        msg = f"bad value for '{loc}': {err['msg']} (got {err.get('input')!r})"
    more = len(exc.errors()) - 1
    if more:
        msg += f" (and {more} more error{'s' if more > 1 else ''})"
    return DataError(msg, file=str(path), field=loc)


def _load_entity(path: Path, cls: type[_Entity]) -> _Entity:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataError("expected a mapping of fields at the top level", file=str(path))
    if "id" in data:
        raise DataError(
            "remove the 'id' field: the id is the file name", file=str(path), field="id"
        )
    try:
        return cls.model_validate({"id": path.stem, **data})
    except ValidationError as exc:
        raise _explain(exc, path) from None


def _check_sorted_unique(items: Iterable[str], what: str, path: Path) -> None:
    seen: set[str] = set()
    for item in items:
        key = item.casefold()
        if key in seen:
            raise DataError(f"duplicate {what} '{item}'; remove one", file=str(path))
        seen.add(key)


def load_kb(root: Path | None = None) -> KnowledgeBase:
    """Load and cross-check the whole knowledge base (labs exist, ids and aliases unique)."""
    root = root or KB_ROOT
    return _load_kb_cached(root.resolve())


@cache
def _load_kb_cached(root: Path) -> KnowledgeBase:
    labs = {p.stem: _load_entity(p, Lab) for p in sorted((root / "labs").glob("*.yaml"))}
    families: dict[str, Family] = {}
    versions: dict[str, tuple[Family, ModelVersion]] = {}
    alias_owner: dict[str, tuple[str, Path]] = {}
    for lab in labs.values():
        _check_sorted_unique([lab.name, *lab.aliases], "alias", root / "labs" / f"{lab.id}.yaml")
    for path in sorted((root / "models").glob("*.yaml")):
        family = _load_entity(path, Family)
        if family.lab not in labs:
            raise DataError(
                f"unknown lab '{family.lab}'; add kb/labs/{family.lab}.yaml or fix the id",
                file=str(path),
                field="lab",
            )
        for version in family.versions:
            if version.id in versions:
                other = versions[version.id][0].id
                raise DataError(
                    f"version id '{version.id}' is also defined in kb/models/{other}.yaml",
                    file=str(path),
                    field="versions.id",
                )
            versions[version.id] = (family, version)
            for alias in {version.id, version.name, *version.aliases}:
                key = alias.casefold()
                owner = alias_owner.get(key)
                if owner and owner[0] != version.id:
                    raise DataError(
                        f"alias '{alias}' of '{version.id}' already names '{owner[0]}' "
                        f"in {owner[1].name}; keep it on one version only",
                        file=str(path),
                        field="versions.aliases",
                    )
                alias_owner[key] = (version.id, path)
        families[family.id] = family
    rolling = _load_rolling(root / "rolling_aliases.yaml", versions, alias_owner)
    return KnowledgeBase(labs=labs, families=families, versions=versions, rolling=rolling)


def _load_rolling(
    path: Path,
    versions: dict[str, tuple[Family, ModelVersion]],
    alias_owner: dict[str, tuple[str, Path]],
) -> dict[str, RollingAlias]:
    if not path.exists():
        return {}
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise DataError("expected a mapping alias -> {source, periods}", file=str(path))
    rolling: dict[str, RollingAlias] = {}
    for alias, spec in data.items():
        try:
            rolling[str(alias)] = RollingAlias.model_validate(spec)
        except ValidationError as exc:
            raise _explain(exc, path) from None
        if str(alias).casefold() in alias_owner:
            owner = alias_owner[str(alias).casefold()]
            raise DataError(
                f"'{alias}' is also a fixed alias of '{owner[0]}' in "
                f"{owner[1].name}; keep it in one place",
                file=str(path),
            )
        for period in rolling[str(alias)].periods:
            if period.model not in versions:
                raise DataError(
                    f"unknown model version '{period.model}' for '{alias}'",
                    file=str(path),
                    field=f"{alias}.periods.model",
                )
    return rolling
