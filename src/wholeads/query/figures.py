"""The AI Index's and Epoch's standard figures as library calls: top vs k-th spread, average lag
with an interval, home field, training compute by ecosystem, notable models per ecosystem per
year. Shared by the CLI, the web API and
the report.

Every figure reads its evidence through the evidence engine (``evidence.history``: valid time,
boards and coverage, one series per leaderboard), never around it, and returns plain dicts that
serialize to JSON as they are. The methods live in ``wholeads.analysis``; this module picks the
evidence and the window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import duckdb

from wholeads.analysis.catch_up import backtest, calibrate, forecast_at
from wholeads.analysis.compute_trend import fit_growth, months_behind, rolling_frontier
from wholeads.analysis.frontier import GapPoint
from wholeads.analysis.home_field import home_field
from wholeads.analysis.lag_summary import month_starts, summarize_lag
from wholeads.analysis.notable import CatalogEntry, NotableEntry, count_by_year
from wholeads.analysis.spread import spreads
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, get_domain
from wholeads.kb.ecosystems import ecosystem_ids, ecosystem_of
from wholeads.query.answers import check_by, domains_named, gap_report
from wholeads.query.evidence import Reader, history

HOME_DOMAIN = "chinese_language"
HOME_BENCHMARK = "lmarena-text-chinese"
AWAY_BENCHMARK = "lmarena-text-english"
LAG_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("US", "CN", "ecosystem"),
    ("closed", "open", "openness"),
)
"""The pairs the average lag is given for: US vs CN, and closed vs open weights."""
DEFAULT_LAG_MONTHS = 12


class GapAnswers:
    """``gap_report`` answers (whole history up to ``until``) kept for one caller asking many
    questions: a report's domain section, its gap in percent, its average lag and its forecast
    all ask a domain's US-CN gap, which is answered once. The answers are shared, so callers
    read them and never modify them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, reader: Reader) -> None:
        self.con, self.reader = con, reader
        self._memo: dict[tuple[str, str, str, str, dt.date], dict[str, Any]] = {}

    def get(self, domain: str, a: str, b: str, by: str, until: dt.date) -> dict[str, Any]:
        key = (domain, a, b, by, until)
        if key not in self._memo:
            self._memo[key] = gap_report(self.con, domain, a, b, by, None, until,
                                         reader=self.reader)  # fmt: skip
        return self._memo[key]


def _gaps(con: duckdb.DuckDBPyConnection, reader: Reader, gaps: GapAnswers | None) -> GapAnswers:
    """The caller's shared answers when they are over this reader, else new ones."""
    return gaps if gaps is not None and gaps.reader is reader else GapAnswers(con, reader)


def _reader_at(
    con: duckdb.DuckDBPyConnection,
    reader: Reader | None,
    date: dt.date | None,
    source: str | None = None,
) -> tuple[Reader, dt.date]:
    """The caller's shared reader (else a new one), the source checked, and the date asked
    for (default: the newest evidence)."""
    reader = reader or Reader(con)
    reader.check_source(source)
    return reader, date or reader.latest_date()


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def spread_report(
    con: duckdb.DuckDBPyConnection,
    domain: str = "general",
    k: int = 10,
    by: str = "ecosystem",
    since: dt.date | None = None,
    until: dt.date | None = None,
    source: str | None = None,
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """The best vs the k-th best at every date of the domain's first evidence with data, for
    the whole field and for each group."""
    if not 2 <= k <= 100:
        raise UserError(f"--k: {k} is out of range; use 2 to 100")
    spec, group_by = get_domain(domain), check_by(by)
    reader, until = _reader_at(con, reader, until, source)
    for entry in spec.evidence:
        if entry.kind != "score":
            continue
        states = history(reader, spec, entry, until=until, since=since, source=source)
        rows = spreads(states, k, group_by, spec.higher_is_better, entry.scale)
        if rows:
            return {
                "domain": domain,
                "name": spec.name,
                "k": k,
                "by": group_by,
                "evidence": entry.label,
                "unit": entry.unit,
                "scale": entry.scale,
                "series": [dataclasses.asdict(r) for r in rows],
                "status": "ok",
            }
    return {
        "domain": domain,
        "name": spec.name,
        "k": k,
        "by": group_by,
        "evidence": spec.evidence[0].label,
        "unit": spec.unit,
        "scale": spec.evidence[0].scale,
        "series": [],
        "status": "insufficient_evidence",
    }


def lag_report(
    con: duckdb.DuckDBPyConnection,
    domains: list[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    reader: Reader | None = None,
    gaps: GapAnswers | None = None,
) -> dict[str, Any]:
    """The average lag over a window (default: the 12 months before the newest evidence) with
    its block-bootstrap interval, per domain, for US vs CN and closed vs open weights."""
    specs: list[DomainSpec] = domains_named(domains)
    reader, until = _reader_at(con, reader, until)
    answers = _gaps(con, reader, gaps)
    since = since or _months_before(until, DEFAULT_LAG_MONTHS)
    if since >= until:
        raise UserError(f"--from: {since} is not before --to {until}")
    rows = []
    for spec in specs:
        if not spec.higher_is_better:
            continue  # the horizontal gap needs a frontier that rises (price falls instead)
        for a, b, by in LAG_PAIRS:
            # the whole history up to the window's end: a lag in force at the window's start
            # comes from a board before it
            gap = answers.get(spec.id, a, b, by, until)
            series = [GapPoint(**g) for g in gap["series"]]
            summary = summarize_lag(series, since, until)
            rows.append(
                {
                    "domain": spec.id,
                    "name": spec.name,
                    "a": a,
                    "b": b,
                    "by": by,
                    "evidence": gap["evidence"],
                    **dataclasses.asdict(summary),
                }
            )
    return {"since": since, "until": until, "rows": rows}


def home_field_report(
    con: duckdb.DuckDBPyConnection,
    a: str = "US",
    b: str = "CN",
    since: dt.date | None = None,
    until: dt.date | None = None,
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """The a-b gap on Chinese-prompt boards minus the gap on English-prompt boards of LMArena
    text, on every date where both boards exist, with the difference's 95% interval."""
    spec = get_domain(HOME_DOMAIN)
    reader, until = _reader_at(con, reader, until)
    entries = {e.benchmark: e for e in spec.evidence}
    home, away = (
        history(reader, spec, entries[name], until=until, since=since)
        for name in (HOME_BENCHMARK, AWAY_BENCHMARK)
    )
    rows = home_field(home, away, a, b)
    return {
        "a": a,
        "b": b,
        "home": HOME_BENCHMARK,
        "away": AWAY_BENCHMARK,
        "unit": "Elo",
        "series": [dataclasses.asdict(r) for r in rows],
        "status": "ok" if rows else "insufficient_evidence",
    }


COMPUTE_DOMAIN = "training_compute"
COMPUTE_SINCE = dt.date(2018, 1, 1)


def compute_report(
    con: duckdb.DuckDBPyConnection,
    k: int = 10,
    since: dt.date | None = None,
    until: dt.date | None = None,
    a: str = "US",
    b: str = "CN",
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """Training compute by ecosystem: each ecosystem's top-k rolling frontier, its log-linear
    growth per year with a 95% interval over [since, until] (default from 2018), and how many
    months b's trend is behind a's at the window's end."""
    if not 1 <= k <= 100:
        raise UserError(f"--k: {k} is out of range; use 1 to 100")
    spec = get_domain(COMPUTE_DOMAIN)
    reader, until = _reader_at(con, reader, until)
    since = since or COMPUTE_SINCE
    if since >= until:
        raise UserError(f"--from: {since} is not before --to {until}")
    states = history(reader, spec, spec.evidence[0], until=until)
    points = states[-1].points if states else ()
    # the fits end at the newest disclosed run, not at today's arena board: no extrapolation
    until = min(until, max((p.released for p in points), default=until))
    runs = rolling_frontier(points, k)
    groups = sorted({r.group for r in runs})
    fits = {g: fit_growth(runs, g, since, until) for g in groups}
    behind = months_behind(fits[a], fits[b]) if a in fits and b in fits else None
    return {
        "k": k, "since": since, "until": until, "a": a, "b": b,
        "frontier": [dataclasses.asdict(r) for r in runs],
        "fits": [dataclasses.asdict(f) for f in fits.values()],
        "months_behind": behind,
        "status": "ok" if any(f.status == "ok" for f in fits.values()) else "insufficient_evidence",
    }  # fmt: skip


BACKTEST_FROM = dt.date(2024, 1, 1)


def forecast_report(
    con: duckdb.DuckDBPyConnection,
    domains: list[str] | None = None,
    a: str = "US",
    b: str = "CN",
    until: dt.date | None = None,
    backtest_from: dt.date | None = None,
    *,
    reader: Reader | None = None,
    gaps: GapAnswers | None = None,
) -> dict[str, Any]:
    """Per domain: when the trailing ecosystem would reach today's leader at its current trend,
    and the backtest of that method from monthly origins (``backtest_from`` on) with its
    calibration. A domain whose backtest fails gets no date."""
    specs = [s for s in domains_named(domains) if s.higher_is_better]
    reader, until = _reader_at(con, reader, until)
    answers = _gaps(con, reader, gaps)
    start = backtest_from or BACKTEST_FROM
    if start >= until:
        raise UserError(f"--backtest-from: {start} is not before --to {until}")
    origins = month_starts(start, until - dt.timedelta(days=1))
    rows, pooled = [], []
    for spec in specs:
        gap = answers.get(spec.id, a, b, "ecosystem", until)
        series = [GapPoint(**g) for g in gap["series"]]
        cases = backtest(series, origins, a, b, until)
        pooled.extend(cases)
        calibration = calibrate(cases)
        now = forecast_at(series, until, a, b)
        shown = now if calibration.passed or now.status != "ok" else dataclasses.replace(
            now, date=None, low=None, high=None, status="failed_backtest")  # fmt: skip
        rows.append({
            "domain": spec.id, "name": spec.name, "evidence": gap["evidence"],
            "forecast": dataclasses.asdict(shown), "calibration": dataclasses.asdict(calibration),
            "cases": [{**dataclasses.asdict(c.forecast), "reached": c.reached,
                       "outcome": c.outcome, "error_months": c.error_months} for c in cases],
        })  # fmt: skip
    return {"a": a, "b": b, "until": until, "backtest_from": start, "rows": rows,
            "calibration": dataclasses.asdict(calibrate(pooled))}  # fmt: skip


NOTABLE_SOURCE = "epoch-notable-models"
NOTABLE_FIRST_YEAR = 2015
NOTABLE_DEFINITIONS = {
    "single_country": "a model counts for an ecosystem only when every country of its "
    "organisations maps to that ecosystem; a model made across ecosystems counts for none",
    "any_participation": "a model counts once for every ecosystem among its organisations' "
    "countries, so the ecosystems' counts add up to more than the number of models",
    "frontier": "Epoch's 'Frontier model' flag ('True' in the file; blank read as not flagged)",
    "catalogued": "catalogued by wholeads (not a notability measure): every model in wholeads' "
    "catalogue by release year and its lab's ecosystem",
}
CATALOGUED_LABEL = "catalogued by wholeads (not a notability measure)"


def notable_report(
    con: duckdb.DuckDBPyConnection,
    first_year: int | None = None,
    last_year: int | None = None,
    until: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Notable and frontier models per ecosystem per year from Epoch's notable-models list (both
    counting definitions), and every catalogued model per ecosystem per year, labelled as such.
    Only what was published (released) by ``until`` counts. Default window: 2015 to the year of
    the newest publication counted."""
    cut = until or dt.date.max
    notable = [
        NotableEntry(published, tuple(countries), tuple(unplaced), bool(frontier))
        for published, countries, unplaced, frontier in con.execute(
            "SELECT published, countries, unplaced, frontier FROM notable_models "
            "WHERE source = ? AND (published IS NULL OR published <= ?) ORDER BY file, line",
            [NOTABLE_SOURCE, cut],
        ).fetchall()
    ]
    as_of_row = con.execute(
        "SELECT max(as_of), min(published), max(published) FROM notable_models "
        "WHERE source = ? AND (published IS NULL OR published <= ?)",
        [NOTABLE_SOURCE, cut],
    ).fetchone()
    as_of, first_pub, last_pub = as_of_row if as_of_row else (None, None, None)
    catalogued = [
        CatalogEntry(released, ecosystem)
        for released, ecosystem in con.execute(
            "SELECT m.release_date, l.ecosystem FROM models m LEFT JOIN labs l ON l.id = m.lab_id "
            "WHERE m.release_date IS NULL OR m.release_date <= ?",
            [cut],
        ).fetchall()
    ]
    source = con.execute(
        "SELECT name, citation, status, retrieved_at FROM sources WHERE id = ?", [NOTABLE_SOURCE]
    ).fetchone()
    newest_year = (last_pub or until or today or dt.date.today()).year
    first = NOTABLE_FIRST_YEAR if first_year is None else first_year
    last = newest_year if last_year is None else last_year
    if not 1950 <= first <= 2100 or not 1950 <= last <= 2100:
        raise UserError(f"years {first} to {last}: use years from 1950 to 2100")
    if first > last:
        raise UserError(f"--from-year {first} is after --to-year {last}")
    known_on = min(as_of, until) if as_of and until else as_of  # a year ends complete by both
    # each distinct country mapped once (ecosystem_of reads the mapping file's path per call)
    ecosystems = {c: ecosystem_of(c) for c in {c for e in notable for c in e.countries}}
    counts = count_by_year(
        notable, catalogued, ecosystems.get, ecosystem_ids(), first, last, known_on
    )
    return {
        "first_year": first,
        "last_year": last,
        "until": until,
        "ecosystems": list(counts.ecosystems),
        "source": NOTABLE_SOURCE,
        "source_name": source[0] if source else None,
        "citation": source[1] if source else None,
        "source_status": source[2] if source else "missing",
        "as_of": as_of,
        "age_days": ((today or dt.date.today()) - as_of).days if as_of else None,
        "entries": len(notable),
        "published_from": first_pub,
        "published_to": last_pub,
        "undated": counts.undated,
        "catalogued_label": CATALOGUED_LABEL,
        "catalogued_undated": counts.catalogued_undated,
        "definitions": NOTABLE_DEFINITIONS,
        "rows": [dataclasses.asdict(r) for r in counts.rows],
        "years": [dataclasses.asdict(y) for y in counts.years],
        "status": "ok" if notable else "insufficient_evidence",
    }
