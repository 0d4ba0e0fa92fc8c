"""Derived evidence columns, computed once in the database after a build wrote the raw rows:
from which day each model, score and price may be used, and the leaderboards as boards.

**Valid time.** Nothing is used before it was observed:
- a model is available from its release (a partial date, '2026-07', from the last day of its
  period) or, if earlier, the first day a source observed it (an arena can rate a model before
  its launch); never from the query date;
- a score counts from its ``as_of`` when that is the day it was public (``dated_by`` 'observed'
  or 'snapshot'); a table row ('table', a LiveBench release) from the later of the table's date
  and its model's availability, since rows are added to a table after it opens;
- a score's *data date* (how old the evidence is) is that day, except for a value dated only by
  the capture of its file ('snapshot'): it describes the model as released, so it is as old as
  the model;
- a price counts from the day its source states, or else the day it was observed (the build
  fills that in), never from the model's release.

**Boards.** Each (benchmark, setting, source, date) of a leaderboard source is a board with its
rows, best and lowest score (the cut-off) and coverage. A top-N board is censored: a model
missing from it is below its cut-off, not unrated. Several sources mirror the same leaderboard
with different sets of retired models; mixing them day by day makes gaps and lags jump between
mirrors, so each (benchmark, setting) keeps ONE series: a mirror's board belongs to it unless a
better-ranked mirror (lower rank, then name) is publishing then, i.e. has boards on both sides of
the day no more than ``PUBLISHING_GAP_DAYS`` apart (or one that day). The series never alternates
day by day; a mirror takes over only while the better ones are silent.

These rules are written once, here, in SQL; every reader uses the stored results.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb

PUBLISHING_GAP_DAYS = 30
"""Two boards of a mirror at most this far apart: it was publishing in between."""

BoardSources = Mapping[str, tuple[str, int]]
"""Leaderboard sources: source id -> (coverage 'complete' | 'top_n', mirror rank)."""

_PERIOD_END = """CASE release_precision
    WHEN 'year' THEN make_date(year(release_date), 12, 31)
    WHEN 'month' THEN last_day(release_date)
    ELSE release_date END"""

_SIGHTINGS = """
    SELECT model_id, min(as_of) AS day FROM {scores}
    WHERE model_id IS NOT NULL AND coalesce(dated_by, 'observed') <> 'table' GROUP BY 1
    UNION ALL
    SELECT model_id, min(valid_from) FROM prices WHERE model_id IS NOT NULL GROUP BY 1"""


_DATED_SCORES = """
    SELECT s.* EXCLUDE (dated_by, valid_from, data_date), d.dated_by,
           CASE WHEN d.dated_by = 'table' AND m.available_from IS NOT NULL
                THEN greatest(s.as_of, m.available_from) ELSE s.as_of END AS valid_from,
           CASE WHEN d.dated_by = 'snapshot' AND m.available_from IS NOT NULL
                    THEN least(s.as_of, m.available_from)
                WHEN d.dated_by = 'table' AND m.available_from IS NOT NULL
                    THEN greatest(s.as_of, m.available_from)
                ELSE s.as_of END AS data_date
    FROM {scores} s
    CROSS JOIN LATERAL (SELECT coalesce(s.dated_by, 'observed') AS dated_by) d
    LEFT JOIN models m ON m.id = s.model_id"""


def derive_evidence(
    con: duckdb.DuckDBPyConnection, board_sources: BoardSources, staged: str | None = None
) -> None:
    """Fill ``models.available_from``, ``scores.valid_from`` / ``data_date`` and ``boards``.
    ``staged``: a temporary table (``scores``' columns) holding the build's scores, moved into
    ``scores`` with their derived columns (the file's table is then written once, not twice)."""
    sightings = _SIGHTINGS.format(scores=staged or "scores")
    con.execute(f"""
        UPDATE models SET first_seen = s.day FROM (
            SELECT model_id, min(day) AS day FROM ({sightings}) GROUP BY 1) s
        WHERE s.model_id = models.id AND (models.first_seen IS NULL OR s.day < models.first_seen)
    """)
    con.execute(f"""
        UPDATE models SET available_from = CASE
            WHEN release_date IS NULL THEN first_seen
            WHEN first_seen IS NULL THEN {_PERIOD_END}
            ELSE least({_PERIOD_END}, first_seen) END
    """)
    if staged is not None:
        con.execute(f"INSERT INTO scores BY NAME {_DATED_SCORES.format(scores=staged)}")
        con.execute(f"DROP TABLE {staged}")
    else:  # rewritten in one pass (a bulk insert is far cheaper than an UPDATE joined per row)
        con.execute(f"CREATE TEMP TABLE dated_scores AS {_DATED_SCORES.format(scores='scores')}")
        try:
            con.execute("DELETE FROM scores")
            con.execute("INSERT INTO scores BY NAME SELECT * FROM dated_scores")
        finally:
            con.execute("DROP TABLE dated_scores")
    _boards(con, board_sources)


def _boards(con: duckdb.DuckDBPyConnection, board_sources: BoardSources) -> None:
    con.execute("DELETE FROM boards")
    if not board_sources:
        return
    con.execute("CREATE TEMP TABLE board_sources (source VARCHAR, coverage VARCHAR, rnk INTEGER)")
    try:
        con.executemany(
            "INSERT INTO board_sources VALUES (?, ?, ?)",
            [(s, cov, rank) for s, (cov, rank) in board_sources.items()],
        )
        con.execute(
            """
            INSERT INTO boards (benchmark_id, setting, source, as_of, rows, top, cutoff,
                                coverage, in_series)
            WITH b AS (
                SELECT s.benchmark_id, s.setting, s.source, s.as_of, count(*) AS rows,
                       max(s.value) AS top, min(s.value) AS cutoff, bs.coverage, bs.rnk
                FROM scores s JOIN board_sources bs ON bs.source = s.source
                WHERE s.value IS NOT NULL AND isfinite(s.value) GROUP BY ALL),
            pairs AS (
                SELECT benchmark_id, setting, source, rnk, as_of AS lo,
                       lead(as_of) OVER (PARTITION BY benchmark_id, setting, source
                                         ORDER BY as_of) AS nxt
                FROM b),
            spans AS (
                SELECT benchmark_id, setting, source, rnk, lo,
                       CASE WHEN date_diff('day', lo, nxt) <= ? THEN nxt ELSE lo END AS hi
                FROM pairs)
            SELECT b.benchmark_id, b.setting, b.source, b.as_of, b.rows, b.top, b.cutoff,
                   b.coverage,
                   NOT EXISTS (
                       SELECT 1 FROM spans o
                       WHERE o.benchmark_id = b.benchmark_id
                         AND o.setting IS NOT DISTINCT FROM b.setting
                         AND (o.rnk < b.rnk OR (o.rnk = b.rnk AND o.source < b.source))
                         AND b.as_of BETWEEN o.lo AND o.hi) AS in_series
            FROM b
        """,
            [PUBLISHING_GAP_DAYS],
        )
    finally:
        con.execute("DROP TABLE board_sources")
