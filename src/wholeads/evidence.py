"""The evidence rows of a domain as of a date, read from the database (the only I/O of 'leaders').

No look-ahead: a score counts only when ``as_of <= date`` and its model was released (else first
seen, else first scored) on or before the date; a price only when ``valid_from <= date <
valid_to`` (an undated price counts once its model is released); a model fact only when its model
was released by then. Arena evidence is the newest snapshot at or before the date, used whole;
when two mirrors hold a snapshot of the same day the one with more rows is used, so one snapshot
never mixes two scrapes.

Speed: model attributes are read once per ``Reader``; a leaders query fetches the candidate score
rows of all its benchmarks in one scan and answers every entry from those columns
(``evidence_batch``); single reads (histories) run each entry's SQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import duckdb

from wholeads.analysis.frontier import State, best_per_model, static_states
from wholeads.analysis.pareto import Priced, blended
from wholeads.analysis.points import Evidence, Point
from wholeads.domains import SETTING_JOINER, DomainSpec, EvidenceSpec
from wholeads.errors import UserError
from wholeads.evidence_batch import (
    CANDIDATES,
    DISTINCT,
    NAME_KINDS,
    Columns,
    Lookup,
    coded_query,
)

ModelInfo = tuple[str | None, str | None, bool | None, float | None, dt.date | None]
"""lab_id, ecosystem, open_weights, params_total_b, release (else first seen)."""

_RELEASED = "coalesce(m.release_date, m.first_seen, s.as_of)"
_TABLE = "scores s LEFT JOIN models m ON m.id = s.model_id"
_COLUMNS = "s.model_id, s.value, s.ci_low, s.ci_high, s.as_of, s.setting, s.source"
# What a batch materializes: only the columns the queries read (no raw names or file paths).
_BASE_COLUMNS = "s.benchmark_id, " + _COLUMNS


def _query(
    spec: EvidenceSpec,
    until: dt.date,
    source: str | None,
    since: dt.date | None,
    snapshot: bool,
    newest: bool = False,
) -> tuple[str, list[Any]]:
    """SQL and parameters of one evidence entry's score rows; only the needed clauses, so the
    common case is a plain indexed scan (values are always bound, never pasted)."""
    where = [
        "s.benchmark_id = ?", "s.model_id IS NOT NULL", "s.value IS NOT NULL", "s.as_of <= ?",
        f"{_RELEASED} <= ?",  # the model is released (no look-ahead)
    ]  # fmt: skip
    args: list[Any] = [spec.benchmark, until, until]
    if source is not None:
        where.append("s.source = ?")
        args.append(source)
    if since is not None:
        where.append("s.as_of >= ?")
        args.append(since)
    if spec.setting == "none":
        where.append("s.setting IS NULL")
    elif spec.setting != "any":
        where.append("s.setting = ?")
        args.append(spec.setting)
    if spec.with_part is not None:
        where.append("list_contains(string_split(s.setting, ?), ?)")
        args += [SETTING_JOINER, spec.with_part]
    if spec.without_parts:
        where.append("NOT list_has_any(string_split(coalesce(s.setting, ''), ?), ?::VARCHAR[])")
        args += [SETTING_JOINER, list(spec.without_parts)]
    rows = f"SELECT {_COLUMNS} FROM {_TABLE} WHERE {' AND '.join(where)}"
    if not snapshot:
        if newest:  # as of one date, each model's newest row per setting is all that is used
            rows += (
                " QUALIFY row_number() OVER (PARTITION BY s.model_id, s.setting"
                " ORDER BY s.as_of DESC, s.value DESC, s.source DESC) = 1"
            )
        return rows, args
    # The newest (date, source) snapshot; on a same-day tie the source with more rows.
    return (
        f"""SELECT * FROM (WITH f AS MATERIALIZED ({rows})
            SELECT f.* FROM f JOIN (
                SELECT as_of, source, count(*) AS n FROM f GROUP BY ALL
                ORDER BY as_of DESC, n DESC, source DESC LIMIT 1) snap USING (as_of, source))""",
        args,
    )


class Reader:
    """A read-only connection plus the model attributes every evidence row needs (read once)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._models: dict[str, ModelInfo] | None = None
        self._rows: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        self.histories: dict[tuple[Any, ...], list[State]] = {}
        """``history()`` results, so callers sharing a reader walk each history once."""

    def rows(self, sql: str, args: list[Any]) -> list[tuple[Any, ...]]:
        """Rows of a query, from the prefetched batch when it was part of one."""
        key = (sql, repr(args))
        if key not in self._rows:
            self._rows[key] = self.con.execute(sql, args).fetchall()
        return self._rows[key]

    def prefetch(self, asks: Sequence[tuple[str, list[Any], Lookup]]) -> None:
        """Answer many entries' queries from one scan: the candidate rows of every benchmark
        involved are fetched once as columns and each entry is a vectorized filter over its
        benchmark's slice (see ``evidence_batch``); the answers are cached under each entry's
        SQL, so ``rows()`` then finds them."""
        todo = [ask for ask in asks if (ask[0], repr(ask[1])) not in self._rows]
        if not todo:
            return
        benchmarks = sorted({look.benchmark for _, _, look in todo})
        until = max(look.until for _, _, look in todo)
        scan = CANDIDATES.format(columns=_BASE_COLUMNS, released=_RELEASED, table=_TABLE)
        found = self.con.execute(DISTINCT.format(candidates=scan), [benchmarks, until]).fetchone()
        lists = [sorted(x or []) for x in (found or ([], [], [], []))]
        names = dict(zip(NAME_KINDS, lists, strict=True))
        params: list[Any] = [benchmarks, until]
        for kind in NAME_KINDS:
            params += [names[kind], names[kind]]
        cols = self.con.execute(coded_query(scan), params).fetchnumpy()
        columns = Columns(cols, names, SETTING_JOINER)
        for sql, args, look in todo:
            self._rows[(sql, repr(args))] = columns.answer(look)

    @property
    def models(self) -> dict[str, ModelInfo]:
        if self._models is None:
            rows = self.con.execute("""SELECT m.id, m.lab_id, l.ecosystem, m.open_weights,
                       m.params_total_b, coalesce(m.release_date, m.first_seen)
                FROM models m LEFT JOIN labs l ON l.id = m.lab_id""").fetchall()
            self._models = {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}
        return self._models

    def point(self, model_id: str, value: float, date: dt.date, **extra: Any) -> Point | None:
        """A Point with the model's attributes; None for a model missing from `models`."""
        info = self.models.get(model_id)
        if info is None:
            return None
        lab, eco, open_w, params, released = info
        return Point(
            model_id=model_id, lab_id=lab, ecosystem=eco, open_weights=open_w,
            value=float(value), date=date, released=released or date, params_b=params, **extra,
        )  # fmt: skip

    def sources(self) -> list[str]:
        """Source ids that contributed scores, prices or facts."""
        rows = self.con.execute(
            "SELECT DISTINCT source FROM scores UNION SELECT DISTINCT source FROM prices "
            "UNION SELECT DISTINCT source FROM model_facts ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows if r[0]]

    def check_source(self, source: str | None) -> None:
        """An unknown --source is a user error naming the known ones."""
        if source is not None and source not in (known := self.sources()):
            raise UserError(f"unknown source '{source}'; known: {', '.join(known)}")

    def latest_date(self) -> dt.date:
        """The newest score date in the database: the default 'as of'."""
        row = self.con.execute(
            "SELECT max(as_of) FROM scores WHERE model_id IS NOT NULL"
        ).fetchone()
        return row[0] if row and row[0] else dt.date.today()


def _keep(p: Point, max_params_b: float | None) -> bool:
    return max_params_b is None or (p.params_b is not None and p.params_b <= max_params_b)


def _points(reader: Reader, rows: list[tuple[Any, ...]], max_params_b: float | None) -> list[Point]:
    out = []
    for mid, value, lo, hi, as_of, setting, source in rows:
        p = reader.point(mid, value, as_of, ci_low=lo, ci_high=hi, setting=setting, source=source)
        if p is not None and _keep(p, max_params_b):
            out.append(p)
    return out


def _ask(
    spec: EvidenceSpec,
    until: dt.date,
    source: str | None,
    since: dt.date | None,
    snapshot: bool,
    newest: bool = False,
) -> tuple[str, list[Any], Lookup]:
    """An entry's query as SQL (its cache key, and the path for single reads) and as a batch
    lookup (the same filter, answered in numpy)."""
    sql, args = _query(spec, until, source, since, snapshot, newest)
    look = Lookup(
        benchmark=spec.benchmark or "", until=until, source=source, since=since,
        setting=spec.setting, with_part=spec.with_part, without_parts=tuple(spec.without_parts),
        snapshot=snapshot, newest=newest and not snapshot,
    )  # fmt: skip
    return sql, args, look


def score_rows(
    reader: Reader,
    spec: EvidenceSpec,
    until: dt.date,
    *,
    source: str | None = None,
    since: dt.date | None = None,
    max_params_b: float | None = None,
    newest: bool = False,
) -> list[Point]:
    """Every accepted score row of a benchmark dated in [since, until] (``newest``: only each
    model's newest row per setting)."""
    rows = reader.rows(*_query(spec, until, source, since, snapshot=False, newest=newest))
    return _points(reader, rows, max_params_b)


def latest_snapshot(
    reader: Reader,
    spec: EvidenceSpec,
    as_of: dt.date,
    *,
    source: str | None = None,
    max_params_b: float | None = None,
) -> tuple[dt.date | None, tuple[Point, ...]]:
    """The newest arena snapshot at or before the date, whole (one source), models released."""
    rows = reader.rows(*_query(spec, as_of, source, None, snapshot=True))
    snaps = snapshots(_points(reader, rows, max_params_b))
    if not rows:
        return None, ()
    at = rows[0][4]
    points = snaps[-1][1] if snaps else ()
    return at, tuple(p for p in points if p.released <= as_of)


def snapshots(points: Sequence[Point]) -> list[tuple[dt.date, tuple[Point, ...]]]:
    """Arena rows grouped into whole snapshots: per date, one source (the one with more rows),
    and per model its best row (two raw names may resolve to one model)."""
    by_key: dict[tuple[dt.date, str | None], dict[str, Point]] = defaultdict(dict)
    counts: dict[tuple[dt.date, str | None], int] = defaultdict(int)
    for p in points:
        counts[(p.date, p.source)] += 1
        models = by_key[(p.date, p.source)]
        cur = models.get(p.model_id)
        if cur is None or p.value > cur.value:
            models[p.model_id] = p
    best: dict[dt.date, tuple[int, str, dict[str, Point]]] = {}
    for (date, src), models in by_key.items():
        cand = (counts[(date, src)], src or "", models)
        if date not in best or cand[:2] > best[date][:2]:
            best[date] = cand
    return [(d, tuple(best[d][2].values())) for d in sorted(best)]


def _evidence(
    spec: EvidenceSpec, domain: DomainSpec, points: Sequence[Point], at: dt.date | None = None
) -> Evidence:
    src = sorted({p.source for p in points if p.source})
    when = at or max((p.date for p in points), default=None)
    return Evidence(
        spec.label, spec.scale, spec.unit, domain.higher_is_better, when,
        ", ".join(src) or None, tuple(points),
    )  # fmt: skip


def load_one(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    as_of: dt.date,
    *,
    source: str | None = None,
) -> Evidence:
    """One evidence entry as of a date."""
    limit = domain.max_params_b
    if spec.kind == "score" and spec.combine == "snapshot":
        at, pts = latest_snapshot(reader, spec, as_of, source=source, max_params_b=limit)
        return _evidence(spec, domain, pts, at)
    if spec.kind == "score":
        rows = score_rows(reader, spec, as_of, source=source, max_params_b=limit, newest=True)
        released = [p for p in rows if p.released <= as_of]
        return _evidence(spec, domain, best_per_model(released, domain.higher_is_better))
    if spec.kind == "price":
        priced = priced_points(reader, spec, as_of, source=source)
        return _evidence(spec, domain, [
            dataclasses.replace(x.point, value=x.price, ci_low=None, ci_high=None) for x in priced
        ])  # fmt: skip
    return _evidence(spec, domain, model_values(reader, spec, as_of, source, limit))


def load_evidence(
    reader: Reader, domain: DomainSpec, as_of: dt.date, *, source: str | None = None
) -> list[Evidence]:
    """Every evidence entry of a domain as of a date, in priority order."""
    return [load_one(reader, domain, spec, as_of, source=source) for spec in domain.evidence]


def load_all(
    reader: Reader,
    domains: Sequence[DomainSpec],
    as_of: dt.date,
    *,
    source: str | None = None,
) -> dict[str, list[Evidence]]:
    """Every domain's evidence as of a date; the score queries of all domains run as one batch."""
    asks = []
    for domain in domains:
        for spec in domain.evidence:
            if spec.kind == "score":
                snap = spec.combine == "snapshot"
                asks.append(_ask(spec, as_of, source, None, snap, newest=not snap))
            elif spec.kind == "price":
                asks.append(_ask(_gate(spec), as_of, None, None, snapshot=True))
    reader.prefetch(asks)
    return {d.id: load_evidence(reader, d, as_of, source=source) for d in domains}


def _gate(spec: EvidenceSpec) -> EvidenceSpec:
    """The arena evidence that decides which models a price entry considers."""
    return spec.model_copy(update={"kind": "score", "benchmark": spec.gate or spec.benchmark})


def model_values(
    reader: Reader,
    spec: EvidenceSpec,
    as_of: dt.date,
    source: str | None,
    max_params_b: float | None,
) -> list[Point]:
    """Numeric model attributes (context window, disclosed training compute), dated by release."""
    if spec.kind == "model_field":
        if source is not None:
            return []
        column = {"context_window": "context_window", "max_output": "max_output"}[spec.field or ""]
        rows = reader.con.execute(
            f"SELECT id, {column}, NULL FROM models WHERE {column} > 0"
        ).fetchall()
    else:
        rows = reader.con.execute(
            """SELECT model_id, max(try_cast(value AS DOUBLE)), any_value(source)
               FROM model_facts WHERE field = ? AND chosen AND try_cast(value AS DOUBLE) > 0
                 AND (?::VARCHAR IS NULL OR source = ?) GROUP BY model_id""",
            [spec.field, source, source],
        ).fetchall()
    out = []
    for mid, value, src in rows:
        info = reader.models.get(mid)
        if info is None or info[4] is None or info[4] > as_of:
            continue
        p = reader.point(mid, value, info[4], source=src)
        if p is not None and _keep(p, max_params_b):
            out.append(p)
    return out


def priced_points(
    reader: Reader,
    spec: EvidenceSpec,
    as_of: dt.date,
    *,
    source: str | None = None,
    gate_all: bool = False,
) -> list[Priced]:
    """Models passing the arena gate as of the date, each with its median blended price.

    ``gate_all`` keeps every rated model with a price (the Pareto view) instead of the gate.
    ``source`` restricts the prices (kind price) or the scores (a score evidence used as gate).
    """
    is_price = spec.kind == "price"
    _, pts = latest_snapshot(reader, _gate(spec), as_of, source=None if is_price else source)
    if not pts:
        return []
    top = max(p.value for p in pts)
    keep = [p for p in pts if gate_all or p.value >= top - (spec.within or 0)]
    prices = _prices(reader, [p.model_id for p in keep], as_of, source if is_price else None)
    return [Priced(p, prices[p.model_id]) for p in keep if p.model_id in prices]


def pareto_points(
    reader: Reader, domain: DomainSpec, as_of: dt.date, *, source: str | None = None
) -> tuple[str, list[Priced]]:
    """Score and price of every priced model in the domain's first evidence that has any
    (for a price domain: every model of its gate snapshot, not only those passing the gate)."""
    for spec in domain.evidence:
        if spec.kind == "price":
            priced = priced_points(reader, spec, as_of, source=source, gate_all=True)
            label = _gate(spec).label
        elif spec.kind == "score":
            points = load_one(reader, domain, spec, as_of, source=source).points
            prices = _prices(reader, [p.model_id for p in points], as_of, None)
            priced = [Priced(p, prices[p.model_id]) for p in points if p.model_id in prices]
            label = spec.label
        else:
            continue
        if priced:
            return label, priced
    return domain.evidence[0].label, []


def _prices(reader: Reader, ids: list[str], as_of: dt.date, source: str | None) -> dict[str, float]:
    """Median blended price (3:1) over providers, positive prices valid on the date.

    An undated price (LiteLLM, OpenRouter) counts once the model is released (the callers pass
    released models only): list prices of one model rarely change, and without them most 2026
    models would have no price at all.
    """
    if not ids:
        return {}
    rows = reader.con.execute(
        """SELECT model_id, input_per_mtok, output_per_mtok FROM prices
           WHERE model_id IN (SELECT unnest(?::VARCHAR[]))
             AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to > ?)
             AND input_per_mtok > 0 AND output_per_mtok > 0
             AND (?::VARCHAR IS NULL OR source = ?)""",
        [ids, as_of, as_of, source, source],
    ).fetchall()
    by_model: dict[str, list[float]] = defaultdict(list)
    for mid, inp, out in rows:
        by_model[mid].append(blended(inp, out))
    return {m: statistics.median(v) for m, v in by_model.items()}


def history(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    *,
    until: dt.date,
    since: dt.date | None = None,
    source: str | None = None,
) -> list[State]:
    """The states of one evidence entry over time: every arena snapshot, or for static evidence
    every date at which a score or a model appeared (each state holds only what was known then).
    Price states are taken at the last gate snapshot of each month (one query set per state).
    Results are kept on the reader: a report asks for the same history several times."""
    key = (domain.id, spec.label, until, since, source)
    if key not in reader.histories:
        reader.histories[key] = _history(reader, domain, spec, until, since, source)
    return reader.histories[key]


def _history(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    until: dt.date,
    since: dt.date | None,
    source: str | None,
) -> list[State]:
    limit = domain.max_params_b
    if spec.kind == "price":
        gate = _gate(spec)
        months: dict[tuple[int, int], dt.date] = {}
        for d, _ in snapshots(score_rows(reader, gate, until)):
            months[(d.year, d.month)] = d
        dates = [d for d in sorted(months.values()) if since is None or d >= since]
        return [(d, load_one(reader, domain, spec, d, source=source).points) for d in dates]
    if spec.kind == "score":
        rows = score_rows(reader, spec, until, source=source)
    else:
        rows = model_values(reader, spec, until, source, limit)
    if spec.combine == "snapshot":
        states: list[State] = [
            (d, tuple(p for p in pts if p.released <= d and _keep(p, limit)))
            for d, pts in snapshots(rows)
        ]
    else:
        rows = [p for p in rows if _keep(p, limit)]
        dates = sorted({max(p.date, p.released) for p in rows})
        states = static_states(rows, dates, domain.higher_is_better)
    return [(d, pts) for d, pts in states if since is None or d >= since]
