"""What changed between two dates: the one implementation behind `wholeads changes`,
``/api/changes``, the Atom feed, the report's "what changed" section and the watch rules.

Reads what the rules in ``wholeads.analysis.changes`` need (each domain's answer at both dates,
models released in the window, dated price statements, evidence dated in the window) and hands
it to them; the SQL lives here, the rules there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import duckdb

from wholeads.analysis.changes import (
    KIND_TITLES,
    ChangeItem,
    Cited,
    LeaderMove,
    PriceEntry,
    Refresh,
    ReleasedModel,
    domain_changes,
    evidence_changes,
    leader_move,
    price_cuts,
    release_changes,
    releases_by_ecosystem,
    sort_changes,
)
from wholeads.analysis.leaders import DomainLeaders
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, load_domains
from wholeads.query.answers import compute_leaders
from wholeads.query.evidence import Reader


@dataclass
class ChangeSet:
    """Everything that moved between ``since`` (exclusive) and ``until`` (inclusive)."""

    since: dt.date
    until: dt.date
    items: list[ChangeItem]
    moves: list[LeaderMove] = field(default_factory=list)
    """Every domain's leader then and now (changed or not), for tables."""
    before: list[DomainLeaders] = field(default_factory=list)
    after: list[DomainLeaders] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ChangeItem]:
        return [c for c in self.items if c.kind == kind]

    def counts(self) -> dict[str, int]:
        return {k: len(self.of_kind(k)) for k in KIND_TITLES}


def _named_rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Rows by column name (every SELECT here names its columns as the record's fields)."""
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def released_between(
    con: duckdb.DuckDBPyConnection, since: dt.date, until: dt.date
) -> list[ReleasedModel]:
    """Curated models released in (since, until], each with the source of its release date."""
    rows = _named_rows(
        con.execute(
            """
        SELECT m.id, coalesce(m.name, m.id) AS name, m.lab_id AS lab,
               coalesce(l.ecosystem, 'other') AS ecosystem, m.release_date AS released,
               m.open_weights, m.license, f.source, f.file, f.row, f.url
        FROM models m JOIN labs l ON l.id = m.lab_id
        LEFT JOIN (SELECT * FROM model_facts WHERE field = 'release_date' AND chosen
                   QUALIFY row_number() OVER (PARTITION BY model_id ORDER BY source) = 1) f
               ON f.model_id = m.id
        WHERE m.curated AND m.release_date > ? AND m.release_date <= ?
        ORDER BY m.release_date, m.id""",
            [since, until],
        )
    )
    cite = ("source", "file", "row", "url")
    return [
        ReleasedModel(
            **{k: v for k, v in r.items() if k not in cite},
            cite=Cited(source=r["source"] or "kb", date=r["released"], file=r["file"],
                       row=r["row"], url=r["url"]),
        )
        for r in rows
    ]  # fmt: skip


def price_history(
    con: duckdb.DuckDBPyConnection, since: dt.date, until: dt.date
) -> list[PriceEntry]:
    """Every dated price statement of the (model, provider, source) series with an entry
    starting in (since, until], up to ``until``."""
    rows = _named_rows(
        con.execute(
            """
        WITH touched AS (
            SELECT DISTINCT model_id, provider, source FROM prices
            WHERE valid_from > ? AND valid_from <= ?
              AND input_per_mtok IS NOT NULL AND output_per_mtok IS NOT NULL)
        SELECT p.model_id, p.provider, p.source, p.valid_from, p.input_per_mtok AS input,
               p.output_per_mtok AS output, p.file, p.row, m.lab_id AS lab, l.ecosystem
        FROM prices p JOIN touched USING (model_id, provider, source)
        LEFT JOIN models m ON m.id = p.model_id LEFT JOIN labs l ON l.id = m.lab_id
        WHERE p.valid_from <= ? AND p.input_per_mtok IS NOT NULL
          AND p.output_per_mtok IS NOT NULL
        ORDER BY p.model_id, p.provider, p.source, p.valid_from""",
            [since, until, until],
        )
    )
    return [PriceEntry(**r) for r in rows]


def refreshed_evidence(
    con: duckdb.DuckDBPyConnection, since: dt.date, until: dt.date
) -> list[Refresh]:
    """Per source: the scores that became usable in (since, until], and whether it had any
    usable before (refreshed) or not (new)."""
    rows = _named_rows(
        con.execute(
            """
        WITH win AS (
            SELECT source, benchmark_id, valid_from, file, row FROM scores
            WHERE valid_from > ? AND valid_from <= ?),
        newest AS (
            SELECT source, file, row FROM win
            QUALIFY row_number() OVER (PARTITION BY source ORDER BY valid_from DESC, file, row)
                    = 1)
        SELECT w.source, list(DISTINCT w.benchmark_id ORDER BY w.benchmark_id) AS benchmarks,
               count(*) AS rows, max(w.valid_from) AS newest,
               NOT EXISTS (SELECT 1 FROM scores s WHERE s.source = w.source
                           AND s.valid_from <= ?) AS new,
               any_value(n.file) AS file, any_value(n.row) AS row
        FROM win w JOIN newest n USING (source)
        GROUP BY w.source ORDER BY w.source""",
            [since, until, since],
        )
    )
    return [Refresh(**{**r, "benchmarks": tuple(r["benchmarks"])}) for r in rows]


def check_window(since: dt.date, until: dt.date) -> None:
    if since >= until:
        raise UserError(f"since: {since} is not before until {until}")


def changes_between(
    con: duckdb.DuckDBPyConnection,
    since: dt.date,
    until: dt.date | None = None,
    *,
    reader: Reader | None = None,
    domains: list[DomainSpec] | None = None,
    after: list[DomainLeaders] | None = None,
) -> ChangeSet:
    """Everything that moved in (since, until] (default until: the newest evidence). Callers
    that already hold today's answers (the report) pass them as ``after``."""
    reader = reader or Reader(con)
    until = until or reader.latest_date()
    check_window(since, until)
    specs = domains or list(load_domains().values())
    after = after if after is not None else compute_leaders(reader, specs, until)
    before = compute_leaders(reader, specs, since)
    items = [
        *domain_changes(before, after),
        *release_changes(released_between(con, since, until)),
        *price_cuts(price_history(con, since, until), since, until),
        *evidence_changes(refreshed_evidence(con, since, until)),
    ]
    moves = [leader_move(b, a) for b, a in zip(before, after, strict=True)]
    return ChangeSet(since=since, until=until, items=sort_changes(items), moves=moves,
                     before=before, after=after)  # fmt: skip


def change_dict(c: ChangeItem) -> dict[str, Any]:
    """One change as JSON-ready data (dates stay dates; the boundary serialises them)."""
    return {
        "kind": c.kind, "date": c.date, "title": c.title, "domain": c.domain,
        "ecosystem": c.ecosystem, "lab": c.lab, "model_id": c.model_id, "before": c.before,
        "after": c.after,
        "evidence": [
            {"source": e.source, "date": e.date, "file": e.file, "row": e.row, "url": e.url}
            for e in c.evidence
        ],
    }  # fmt: skip


def changes_dict(cs: ChangeSet) -> dict[str, Any]:
    """The change set as the API and ``--json`` return it."""
    return {
        "since": cs.since, "until": cs.until, "counts": cs.counts(),
        "new_models_by_ecosystem": releases_by_ecosystem(cs.items),
        "changes": [change_dict(c) for c in cs.items],
        "leaders": [
            {"domain": m.domain, "name": m.name, "before": m.leader_before,
             "after": m.leader_after, "evidence_before": m.evidence_before,
             "evidence_after": m.evidence_after,
             "before_on_same_evidence": m.leader_before_same_evidence,
             "new_leader": m.new_leader}
            for m in cs.moves
        ],
    }  # fmt: skip
