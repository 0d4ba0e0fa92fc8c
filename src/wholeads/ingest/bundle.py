"""The evidence bundle shipped inside the package: what a fresh install answers from, offline.

The bundle holds, per redistributable source (``bundle_sources.BUNDLED``), the records its own
parser made from a mirror copy (models, scores, prices, labs, notable entries, benchmarks,
problems) as zstd-compressed Parquet, every row carrying its ``source_id`` and
``source_license``. It sits *before* the build: an update without a mirror or network reads a
bundled source's folder as that source's raw files (origin ``bundle:...``), and its records then
pass the same plausibility gates, resolution, fact choice, valid time and boards as a source
read from a mirror. Parsing is the only step replaced (by decoding the Parquet the parser's
output was written to).

Layout: ``evidence_bundle/bundle.json`` (when, from what, which sources and why) and
``evidence_bundle/<source-id>/{source.json, models, scores, prices, labs, notable, benchmarks,
problems}.parquet``.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib.resources
import io
import json
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from wholeads.errors import DataError
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import (
    Benchmark,
    LabRecord,
    ModelRecord,
    NotableRecord,
    PriceRecord,
    Provenance,
    ScoreRecord,
    SourceBatch,
)

BUNDLE_FOLDER = "evidence_bundle"
MANIFEST = "bundle.json"
SOURCE_META = "source.json"
ORIGIN_PREFIX = "bundle:"
FORMAT = 1
RECORD_TABLES: dict[str, type] = {
    "models": ModelRecord,
    "scores": ScoreRecord,
    "prices": PriceRecord,
    "labs": LabRecord,
    "notable": NotableRecord,
}
"""Record lists of a ``SourceBatch`` stored column by column (benchmarks and problems as text)."""
SOURCE_COLUMN = "source_id"
LICENSE_COLUMN = "source_license"
"""On every row: which source it is from and under which licence it is redistributed."""


def bundle_root() -> Path:
    """The bundle folder inside the installed package (a real folder: package data)."""
    return Path(str(importlib.resources.files("wholeads.ingest") / BUNDLE_FOLDER))


@dataclass(frozen=True)
class BundleInfo:
    """What ``bundle.json`` says: when the bundle was made, what its newest evidence is, and
    which sources it holds or leaves out (each with the reason)."""

    generated: dt.date
    evidence_until: dt.date | None
    version: str
    sources: dict[str, str]
    excluded: dict[str, str]

    def age_days(self, today: dt.date | None = None) -> int | None:
        """How old the newest evidence in the bundle is, in days."""
        if self.evidence_until is None:
            return None
        return ((today or dt.date.today()) - self.evidence_until).days


def read_info(root: Path | None = None) -> BundleInfo | None:
    """The bundle's manifest, or None when the package ships no bundle."""
    path = (root or bundle_root()) / MANIFEST
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        until = doc.get("evidence_until")
        return BundleInfo(
            generated=dt.date.fromisoformat(doc["generated"]),
            evidence_until=dt.date.fromisoformat(until) if until else None,
            version=str(doc["wholeads_version"]),
            sources={str(k): str(v) for k, v in doc["sources"].items()},
            excluded={str(k): str(v) for k, v in doc["excluded"].items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"not a readable bundle manifest ({exc})", file=str(path)) from None


def bundled_sources(root: Path | None = None) -> list[str]:
    """The source ids the shipped bundle holds (empty when there is no bundle)."""
    info = read_info(root)
    return list(info.sources) if info else []


def read_source(source_id: str, root: Path | None = None) -> RawFiles:
    """A bundled source's folder as its raw files (what an update without mirror reads)."""
    folder = (root or bundle_root()) / source_id
    meta_path = folder / SOURCE_META
    if not meta_path.is_file():
        raise DataError("the evidence bundle has no such source", file=str(folder))
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    meta = _json(files[SOURCE_META], f"{source_id}/{SOURCE_META}")
    retrieved = dt.datetime.fromisoformat(str(meta["retrieved_at"]))
    return RawFiles(
        source=source_id,
        files=files,
        retrieved_at=retrieved,
        origin=f"{ORIGIN_PREFIX}{meta['origin']}",
    )


def is_bundled(raw: RawFiles) -> bool:
    """True for raw files that come from the bundle (or a last good copy of them)."""
    return raw.origin.startswith(ORIGIN_PREFIX)


def load_batch(raw: RawFiles) -> SourceBatch:
    """A bundled source's records, as its parser produced them from the mirror copy."""
    import pyarrow.parquet as pq

    where = f"bundle {raw.source}"
    meta = _json(raw.files[SOURCE_META], f"{where}/{SOURCE_META}")
    observed = meta.get("observed")
    batch = SourceBatch(
        source=raw.source, observed=dt.date.fromisoformat(observed) if observed else None
    )
    for table, cls in RECORD_TABLES.items():
        name = f"{table}.parquet"
        if name in raw.files:
            rows = pq.read_table(io.BytesIO(raw.files[name])).to_pylist()
            records = getattr(batch, table)
            records.extend(_decode(cls, rows, raw.source, f"{where}/{name}"))
    if "benchmarks.parquet" in raw.files:
        rows = pq.read_table(io.BytesIO(raw.files["benchmarks.parquet"])).to_pylist()
        batch.benchmarks = [Benchmark.model_validate_json(r["benchmark"]) for r in rows]
    if "problems.parquet" in raw.files:
        rows = pq.read_table(io.BytesIO(raw.files["problems.parquet"])).to_pylist()
        batch.problems = [str(r["problem"]) for r in rows]
    return batch


def encode_batch(batch: SourceBatch, license_text: str) -> dict[str, bytes]:
    """The Parquet files of one source's batch (the inverse of ``load_batch``)."""
    import pyarrow as pa

    out: dict[str, bytes] = {}
    tag = {SOURCE_COLUMN: batch.source, LICENSE_COLUMN: license_text}
    for table, cls in RECORD_TABLES.items():
        records = getattr(batch, table)
        if records:
            out[f"{table}.parquet"] = _parquet(_encode(cls, records, tag))
    if batch.benchmarks:
        texts = [b.model_dump_json() for b in batch.benchmarks]
        out["benchmarks.parquet"] = _parquet(_tagged({"benchmark": pa.array(texts)}, tag))
    if batch.problems:
        out["problems.parquet"] = _parquet(_tagged({"problem": pa.array(batch.problems)}, tag))
    return out


# -- one converter per annotation: dataclass fields <-> Arrow columns -------------------------


@dataclass(frozen=True)
class _Column:
    """How one record field is stored: its Arrow type and how a stored value reads back."""

    name: str
    arrow: Any
    decode: Callable[[Any], Any]


def _columns(cls: type) -> list[_Column]:
    hints = get_type_hints(cls)
    return [_column(f.name, hints[f.name]) for f in fields(cls) if f.name != "prov"]


def _column(name: str, hint: Any) -> _Column:
    import pyarrow as pa

    base = _non_optional(hint)
    keep: Callable[[Any], Any] = _same
    if get_origin(base) is tuple:
        return _Column(name, pa.list_(pa.string()), lambda v: tuple(v) if v is not None else ())
    if get_origin(base) is typing.Literal:
        return _Column(name, pa.string(), keep)
    if isinstance(base, type) and issubclass(base, enum.Enum):
        member: Callable[[Any], Any] = base
        return _Column(name, pa.string(), member)
    arrow = {str: pa.string(), float: pa.float64(), int: pa.int64(), bool: pa.bool_()}.get(base)
    if base is dt.date:
        arrow = pa.date32()
    if arrow is None:
        raise TypeError(f"no Parquet column for field '{name}' of type {hint!r}")
    return _Column(name, arrow, keep)


def _same(value: Any) -> Any:
    return value


def _non_optional(hint: Any) -> Any:
    if get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def _encode(cls: type, records: list[Any], tag: Mapping[str, str]) -> Any:
    import pyarrow as pa

    columns = {
        c.name: pa.array(
            [
                v.value if isinstance(v, enum.Enum) else v
                for v in (getattr(r, c.name) for r in records)
            ],
            type=c.arrow,
        )
        for c in _columns(cls)
    }
    columns["prov_source"] = pa.array([r.prov.source for r in records], type=pa.string())
    columns["prov_file"] = pa.array([r.prov.file for r in records], type=pa.string())
    columns["prov_row"] = pa.array([r.prov.row for r in records], type=pa.int64())
    return _tagged(columns, tag, len(records))


def _decode(cls: type, rows: list[dict[str, Any]], source: str, where: str) -> Iterator[Any]:
    columns = _columns(cls)
    for i, row in enumerate(rows, start=1):
        try:
            if row.get(SOURCE_COLUMN) != source:
                raise ValueError(f"row of source {row.get(SOURCE_COLUMN)!r} in {source}'s folder")
            values = {c.name: c.decode(row[c.name]) for c in columns if row.get(c.name) is not None}
            prov = Provenance(
                source=row["prov_source"], file=row["prov_file"], row=row.get("prov_row")
            )
            yield cls(**values, prov=prov)
        except (KeyError, ValueError, TypeError) as exc:
            raise DataError(f"not a readable bundle row ({exc})", file=where, line=i) from None


def _tagged(columns: dict[str, Any], tag: Mapping[str, str], n: int | None = None) -> Any:
    """The columns plus the source's id and licence on every row (dictionary-encoded: free)."""
    import pyarrow as pa

    rows = n if n is not None else len(next(iter(columns.values())))
    tags = {k: pa.array([v] * rows, type=pa.string()).dictionary_encode() for k, v in tag.items()}
    return pa.table({**tags, **columns})


def _parquet(table: Any) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", compression_level=9)
    return sink.getvalue()


def _json(body: bytes, where: str) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise DataError(f"not readable JSON ({exc})", file=where) from None
    if not isinstance(doc, dict):
        raise DataError("not a JSON object", file=where)
    return doc
