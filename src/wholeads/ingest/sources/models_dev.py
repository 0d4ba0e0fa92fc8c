"""models.dev: the open catalog of models (lab entries, provider-served entries, benchmarks).

Two forms are read. The mirror is the TOML tree: ``models/<lab>/<id>.toml`` are the canonical
lab-level entries (they carry ``[[benchmarks]]``), ``providers/<provider>/models/<id>.toml`` are
provider-served entries that often inherit from a lab entry with ``base_model = "<lab>/<id>"``
(provider fields override, ``base_model_omit`` drops inherited fields). Online, the public
``api.json`` is the same catalog already merged, shaped like the PyPI package's data.json.

One TOML file is one record: a file that cannot be read is a problem naming it, not a reason to
drop the 5,000 others.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._catalog import (
    MODELS_DEV_FIRST_PARTY,
    Collector,
    catalog_entry,
    catalog_scores,
    load_catalog_json,
)
from wholeads.ingest.sources._read import PARSE_LIMITS, limit_reason, text, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec, observed_on
from wholeads.schema import Provenance, SourceBatch

SPEC = SourceSpec(
    id="models-dev",
    name="models.dev model catalog",
    homepage="https://models.dev",
    license="MIT",
    remote=(RemoteFile(path="api.json", url="https://models.dev/api.json"),),
    mirror_globs=("models/**/*.toml", "providers/*/models/**/*.toml"),
    citation="models.dev (anomalyco/models.dev), MIT License",
    snapshot_date=dt.date(2026, 7, 2),
)

_TOML_LINE = re.compile(r"at line (\d+)")


def load(raw: RawFiles) -> SourceBatch:
    """The TOML tree (mirror) or the merged api.json (online)."""
    # The commit date of the mirrored tree (SOURCES.md), or the download day: it dates the prices
    # and the benchmark scores that carry no date of their own.
    observed = observed_on(SPEC, raw)
    json_files = sorted(p for p in raw.files if p.endswith(".json"))
    batch = (
        load_catalog_json(raw, json_files[0], observed) if json_files else _load_tree(raw, observed)
    )
    batch.observed = observed
    return batch


def _load_tree(raw: RawFiles, fallback: dt.date) -> SourceBatch:
    out = Collector()
    docs = {path: doc for path in sorted(raw.files) if (doc := _read_toml(raw, path, out))}
    if not docs and not out.problems:
        raise DataError("no models/**.toml or providers/*/models/**.toml files", file=raw.source)
    bases = {_lab_key(path): doc for path, doc in docs.items() if path.startswith("models/")}
    for path, doc in docs.items():
        parts = path.removesuffix(".toml").split("/")
        prov = Provenance(source=raw.source, file=path, row=1)
        if parts[0] == "models" and len(parts) >= 3:
            lab, name = parts[1], "/".join(parts[2:])
            catalog_entry(out, doc, name=name, lab=lab, provider=lab, prov=prov)
            catalog_scores(
                out, doc, name=name, lab=lab, file=path, source=raw.source, fallback=fallback
            )
        elif parts[0] == "providers" and len(parts) >= 4 and parts[2] == "models":
            provider, name = parts[1], "/".join(parts[3:])
            entry, base_lab = _resolve_base(raw, path, doc, bases, out)
            catalog_entry(
                out,
                entry,
                name=name,
                provider=provider,
                prov=prov,
                lab=base_lab or MODELS_DEV_FIRST_PARTY.get(provider),
            )
    return out.batch(raw.source)


def _read_toml(raw: RawFiles, path: str, out: Collector) -> dict[str, Any] | None:
    if not path.endswith(".toml") or path.rsplit("/", 1)[-1] == "provider.toml":
        return None
    try:
        body = text(raw, path)
        doc = tomllib.loads(body)
    except DataError as exc:
        out.problems.append(str(exc))
        return None
    except tomllib.TOMLDecodeError as exc:
        line = _TOML_LINE.search(str(exc))
        out.problems.append(
            f"{where(raw, path)}:{line.group(1) if line else 1}: invalid TOML: {exc}"
        )
        return None
    except PARSE_LIMITS as exc:
        out.problems.append(f"{where(raw, path)}:1: unreadable TOML: {limit_reason(exc)}")
        return None
    if not doc:
        out.problems.append(f"{where(raw, path)}:1: empty model file")
        return None
    return doc


def _lab_key(path: str) -> str:
    """'models/deepseek/deepseek-r1.toml' -> 'deepseek/deepseek-r1' (how base_model names it)."""
    return path.removeprefix("models/").removesuffix(".toml")


def _resolve_base(
    raw: RawFiles,
    path: str,
    doc: dict[str, Any],
    bases: dict[str, dict[str, Any]],
    out: Collector,
) -> tuple[dict[str, Any], str | None]:
    """The provider entry merged over its base model, and the base model's lab."""
    ref = doc.get("base_model")
    if not isinstance(ref, str) or "/" not in ref:
        return doc, None
    base = bases.get(ref)
    if base is None:
        out.problems.append(f"{where(raw, path)}:1: base_model '{ref}' is not in models/")
        return doc, ref.split("/")[0]
    omit = doc.get("base_model_omit")
    for dotted in omit if isinstance(omit, list) else []:
        base = _without(base, str(dotted).split("."))
    # Benchmarks belong to the lab entry; scores are emitted there only, not per reseller.
    base = {k: v for k, v in base.items() if k != "benchmarks"}
    return _merge(base, doc), ref.split("/")[0]


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """Deep merge: tables merge key by key, any other value of ``top`` replaces the base's."""
    merged = dict(base)
    for key, value in top.items():
        old = merged.get(key)
        merged[key] = (
            _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return merged


def _without(doc: dict[str, Any], path: list[str]) -> dict[str, Any]:
    """A copy of ``doc`` without the dotted ``path`` (e.g. cost.tiers)."""
    head = path[0]
    if head not in doc:
        return doc
    copy = dict(doc)
    if len(path) == 1:
        del copy[head]
    elif isinstance(copy[head], dict):
        copy[head] = _without(copy[head], path[1:])
    return copy
