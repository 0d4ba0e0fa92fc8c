"""Maintainer command: regenerate the evidence bundle from a mirror folder.

    python -m wholeads.ingest.bundle_make --mirror ../shared/data

Each source of ``bundle_sources.BUNDLED`` is read from the mirror and parsed by its own module;
the parser's batch (before the gates: the build that reads the bundle gates it, as any source)
is written as Parquet with the source's licence on every row. The new bundle replaces the old
folder only when it is complete.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from wholeads import __version__
from wholeads.ingest import bundle
from wholeads.ingest.bundle_sources import BUNDLED, EXCLUDED
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources.base import observed_on
from wholeads.ingest.sources.fetch import read_mirror
from wholeads.schema import SourceBatch


def make_bundle(mirror: Path, out: Path, today: dt.date | None = None) -> bundle.BundleInfo:
    """Write the bundle of every ``BUNDLED`` source read from ``mirror`` into ``out``."""
    generated = today or dt.date.today()
    tmp = out.with_name(out.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    newest: dt.date | None = None
    for source_id in BUNDLED:
        batch = _write_source(source_id, mirror, tmp / source_id, generated)
        dates = [s.as_of for s in batch.scores]
        if dates and (newest is None or max(dates) > newest):
            newest = max(dates)
    manifest = {
        "format": bundle.FORMAT,
        "generated": generated.isoformat(),
        "evidence_until": newest.isoformat() if newest else None,
        "wholeads_version": __version__,
        "sources": BUNDLED,
        "excluded": EXCLUDED,
    }
    (tmp / bundle.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    info = bundle.read_info(out)
    assert info is not None
    return info


def _write_source(source_id: str, mirror: Path, folder: Path, generated: dt.date) -> SourceBatch:
    module = get_source(source_id)
    spec = module.SPEC
    raw = read_mirror(spec, mirror)
    batch = module.load(raw)
    batch.observed = batch.observed or observed_on(spec, raw)
    folder.mkdir()
    for name, body in bundle.encode_batch(batch, spec.license).items():
        (folder / name).write_bytes(body)
    snapshot = spec.snapshot_date.isoformat() if spec.snapshot_date else "undated"
    meta = {
        "source": source_id,
        "name": spec.name,
        "license": spec.license,
        "citation": spec.citation,
        "homepage": spec.homepage,
        "boards": spec.boards,
        "mirror_rank": spec.mirror_rank,
        "observed": batch.observed.isoformat(),
        "retrieved_at": raw.retrieved_at.isoformat(),
        "mirror_content_hash": raw.content_hash(),
        "origin": f"wholeads {__version__} bundle of {generated}, mirror copy of {snapshot}",
        "rows": {
            "models": len(batch.models),
            "scores": len(batch.scores),
            "prices": len(batch.prices),
            "labs": len(batch.labs),
            "problems": len(batch.problems),
        },
    }
    (folder / bundle.SOURCE_META).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return batch


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=Path, required=True, help="a folder like shared/data")
    parser.add_argument("--out", type=Path, default=None, help="default: the package's bundle")
    args = parser.parse_args(argv)
    out = args.out or bundle.bundle_root()
    info = make_bundle(args.mirror, out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"{out}: {len(info.sources)} sources, {size / 2**20:.1f} MiB, "
        f"evidence until {info.evidence_until}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
