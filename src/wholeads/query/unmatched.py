"""What resolution left unnamed, grouped by source, most frequent first (read side).

The build records every name (model, score, price) and organisation no rule matched, with the
rows that use it, the first row that does, why nothing matched and the candidates of an
ambiguous name. Sources come in order of unmatched rows, so the biggest gap is on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from wholeads.store.records import record_from, select
from wholeads.store.tables import UNMATCHED


@dataclass(frozen=True, slots=True)
class UnmatchedName:
    """One unmatched name of one source."""

    kind: str
    """'model', 'score', 'price' or 'lab'."""
    name: str
    lab: str | None
    rows: int
    file: str | None
    row: int | None
    reason: str | None
    candidates: tuple[str, ...]


@dataclass(slots=True)
class SourceUnmatched:
    """A source's unmatched names, most frequent first, with their share of its score rows."""

    source: str
    rows: int = 0
    """Rows using any unmatched name of the source (all of them, not only those listed)."""
    unmatched_score_rows: int = 0
    score_rows: int = 0
    """All score rows of the source (matched or not), for the share."""
    names: list[UnmatchedName] = field(default_factory=list)

    @property
    def unmatched_score_share(self) -> float | None:
        return self.unmatched_score_rows / self.score_rows if self.score_rows else None


def unmatched_by_source(
    con: duckdb.DuckDBPyConnection,
    source: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[SourceUnmatched]:
    """Unmatched names grouped by source: sources by unmatched rows, names by rows (both
    descending, then by name); at most ``limit`` names per source."""
    rows = select(
        con,
        UNMATCHED,
        "(? IS NULL OR source = ?) AND (? IS NULL OR kind = ?)",
        [source, source, kind, kind],
        "source, rows DESC, name",
    )
    score_rows = dict(con.execute("SELECT source, count(*) FROM scores GROUP BY source").fetchall())
    groups: dict[str, SourceUnmatched] = {}
    for u in rows:
        group = groups.setdefault(
            u.source, SourceUnmatched(u.source, score_rows=score_rows.get(u.source, 0))
        )
        group.rows += u.rows
        if u.kind == "score":
            group.unmatched_score_rows += u.rows
        if limit is None or len(group.names) < limit:
            name = record_from(UnmatchedName, u, candidates=tuple(u.candidates or ()))
            group.names.append(name)
    return sorted(groups.values(), key=lambda g: (-g.rows, g.source))
