"""Where a database's evidence came from (read side): how much of it is the evidence bundle
shipped in the package, and how old that is, so an answer can say so.

Bundled sources are recorded with an origin ``bundle:...`` (see ``ingest/bundle.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

BUNDLE_ORIGIN_PATTERN = "bundle:%"


@dataclass(frozen=True, slots=True)
class EvidenceOrigin:
    """How many sources with scores the database holds, how many are from the bundle, and the
    newest score date of the bundled ones."""

    score_sources: int
    bundled_score_sources: int
    bundle_evidence_until: dt.date | None

    @property
    def bundle_only(self) -> bool:
        """Every score comes from the shipped bundle (no update has run yet)."""
        return self.bundled_score_sources > 0 and self.bundled_score_sources == self.score_sources


def evidence_origin(con: duckdb.DuckDBPyConnection) -> EvidenceOrigin:
    """The database's score sources by origin, and the bundle's newest score date."""
    row = con.execute(
        "SELECT count(*) FILTER (WHERE scores > 0),"
        " count(*) FILTER (WHERE scores > 0 AND origin LIKE ?) FROM sources",
        [BUNDLE_ORIGIN_PATTERN],
    ).fetchone()
    newest = con.execute(
        "SELECT max(s.as_of) FROM scores s JOIN sources src ON s.source = src.id"
        " WHERE src.origin LIKE ?",
        [BUNDLE_ORIGIN_PATTERN],
    ).fetchone()
    total, bundled = (int(row[0]), int(row[1])) if row else (0, 0)
    return EvidenceOrigin(total, bundled, newest[0] if newest else None)
