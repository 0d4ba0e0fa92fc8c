"""The evidence of a domain as of a date, read from the database: the one implementation of the
selection rules behind every answer (leaders, gaps, frontiers, prices, claims, advice).

No look-ahead: a score counts from its ``valid_from`` (the day it was observed, see
``validtime``), a model from its ``available_from``, a price from the day it was stated or
observed. Arena evidence is read from boards (``coverage``): only the boards of each
leaderboard's single series; the comparison board is the newest one up to the date that holds a
model the domain considers, and the models missing from it keep their row on their own newest
board (``Evidence.last_seen``), so an answer never depends on how deep one day's scrape went.

Speed: a benchmark's rows are read once per ``Reader`` as numpy columns; every entry, date and
history is a vectorized selection over them (no per-entry SQL).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from wholeads.analysis.frontier import State
from wholeads.analysis.pareto import Priced, blended
from wholeads.analysis.points import BoardInfo, Evidence, Point
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, EvidenceSpec

Allowed = frozenset[str] | None
"""Models a question considers (a claim's 'among open-weight models', an advisor's constraints);
None = every model. The board rules then apply to them: the comparison board is the newest one
holding one of them."""

_EPOCH = dt.date(1970, 1, 1).toordinal()
_NEVER = np.iinfo(np.int64).max // 2
"""The day number of 'not available at any date'."""


def _day(value: dt.date) -> int:
    return value.toordinal() - _EPOCH


def _date(day: int) -> dt.date:
    return dt.date.fromordinal(int(day) + _EPOCH)


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What grouping and dating need of a model."""

    lab_id: str | None
    ecosystem: str | None
    open_weights: bool | None
    params_b: float | None
    available: dt.date | None
    """First day the model may appear in an answer (``models.available_from``)."""


class ScoreFrame:
    """One benchmark's usable score rows as columns (models as codes into the reader's list);
    ``cols`` as ``_plain`` makes them (dates as day numbers, NaN for a missing interval)."""

    def __init__(
        self,
        cols: dict[str, np.ndarray],
        reader: Reader,
        boards: list[BoardInfo],
        names: dict[str, list[str | None]],
    ) -> None:
        self.reader = reader
        self.boards = boards
        self.model = np.asarray(cols["model"], dtype=np.int64)
        self.value = np.asarray(cols["value"], dtype=float)
        self.ci_low = np.asarray(cols["ci_low"], dtype=float)
        self.ci_high = np.asarray(cols["ci_high"], dtype=float)
        self.valid = np.asarray(cols["valid_from"], dtype=np.int64)
        self.data = np.asarray(cols["data_date"], dtype=np.int64)
        self.board = np.asarray(cols["board"], dtype=np.int64)
        self.settings, self.setting = names["setting"], np.asarray(cols["setting"], np.int64)
        self.sources, self.source = names["source"], np.asarray(cols["source"], np.int64)
        self.board_day = np.array([_day(b.date) for b in boards] + [_NEVER], dtype=np.int64)
        self.board_rows = np.array([b.rows for b in boards] + [0], dtype=np.int64)
        self._points: dict[int, Point] = {}

    def __len__(self) -> int:
        return len(self.model)

    def accepted(self, spec: EvidenceSpec, source: str | None, keep: np.ndarray) -> np.ndarray:
        """Rows the entry accepts: its setting rule, the source asked for, the domain's models."""
        ok_setting = np.array([spec.accepts_setting(s) for s in self.settings], dtype=bool)
        mask = ok_setting[self.setting] & keep[self.model]
        if source is not None:
            mask &= np.array([s == source for s in self.sources], dtype=bool)[self.source]
        return mask

    def point(self, i: int) -> Point:
        """Row i as a Point with its model's attributes, built once per row: domains that share
        a benchmark (general, small models, the price gate) walk the same rows."""
        found = self._points.get(i)
        if found is None:
            found = self._points[i] = self.reader.point(
                self.reader.model_ids[self.model[i]],
                float(self.value[i]),
                _date(self.data[i]),
                ci_low=_opt(self.ci_low[i]),
                ci_high=_opt(self.ci_high[i]),
                setting=self.settings[self.setting[i]],
                source=self.sources[self.source[i]],
            )
        return found


def _days(values: Any) -> np.ndarray:
    data = np.ma.getdata(values).astype("datetime64[D]").astype(np.int64)
    missing = np.ma.getmaskarray(values)
    return np.where(missing, _NEVER, data)


def _opt(x: float) -> float | None:
    value = float(x)
    return None if value != value else value  # NaN (a missing interval) is not equal to itself


# The usable score rows of some benchmarks, strings replaced by codes in the database (cheaper
# than coding them in Python): benchmarks by their place in the sorted list asked for, models by
# their place in `models` ordered by id (the Reader's list), settings and sources by their place
# in the sorted names of _NAMES_SQL, boards by their place in _BOARDS_SQL's order. The rows come
# unordered (a string ORDER BY in DuckDB cost more than the rest of the read); ``_row_order``
# sorts the codes, which sort as the names do.
_ROWS = """
    SELECT s.* FROM scores s
    WHERE s.benchmark_id IN (SELECT unnest(?::VARCHAR[])) AND s.model_id IS NOT NULL
      AND s.value IS NOT NULL AND isfinite(s.value) AND s.valid_from IS NOT NULL"""
_NAMES_SQL = f"""
    WITH r AS ({_ROWS})
    SELECT list(DISTINCT coalesce(setting, '') ORDER BY coalesce(setting, '')),
           list(DISTINCT source ORDER BY source) FROM r"""
_FRAME_SQL = f"""
    WITH r AS ({_ROWS}),
    b AS (
        SELECT benchmark_id, setting, source, as_of,
               row_number() OVER (ORDER BY benchmark_id, as_of, source, setting) - 1 AS board
        FROM boards WHERE in_series AND benchmark_id IN (SELECT unnest(?::VARCHAR[]))),
    m AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS code FROM models),
    bc AS (SELECT unnest(?::VARCHAR[]) AS k, generate_subscripts(?::VARCHAR[], 1) - 1 AS code),
    st AS (SELECT unnest(?::VARCHAR[]) AS k, generate_subscripts(?::VARCHAR[], 1) - 1 AS code),
    so AS (SELECT unnest(?::VARCHAR[]) AS k, generate_subscripts(?::VARCHAR[], 1) - 1 AS code)
    SELECT bc.code AS bench, m.code AS model, r.value, r.ci_low, r.ci_high, r.valid_from,
           r.data_date, r.as_of, st.code AS setting, r.setting IS NULL AS no_setting,
           so.code AS source, b.board
    FROM r JOIN bc ON bc.k = r.benchmark_id JOIN m ON m.id = r.model_id
    JOIN st ON st.k = coalesce(r.setting, '') JOIN so ON so.k = r.source
    LEFT JOIN b ON b.benchmark_id = r.benchmark_id AND b.source = r.source
         AND b.as_of = r.as_of AND b.setting IS NOT DISTINCT FROM r.setting"""


def _row_order(cols: dict[str, np.ndarray]) -> np.ndarray:
    """The rows' order: benchmark, valid_from, source, model, setting (no setting last), value;
    rows equal in all of these by their board's day, data date and interval, so the order (and
    any tie an answer breaks by it) never depends on how DuckDB scanned the table. The integer
    keys are packed into one where they fit in 62 bits (one sort key instead of six)."""
    ints = [cols[k] for k in ("bench", "valid_from", "source", "model", "no_setting", "setting")]
    packed, bits = np.zeros(len(ints[0]), dtype=np.int64), 0
    for key in ints:
        low = key.min(initial=0)
        width = int(key.max(initial=0) - low).bit_length()
        bits += width
        packed = (packed << width) | (key - low)
    ties = [cols[k] for k in ("ci_high", "ci_low", "data_date", "as_of", "value")]
    return np.lexsort([*ties, packed] if bits <= 62 else [*ties, *ints[::-1]])


def _plain(cols: dict[str, Any]) -> dict[str, np.ndarray]:
    """The fetched columns as plain arrays: dates as day numbers (missing: never), intervals
    with NaN for missing, a missing board as -1."""
    out = {k: np.asarray(v) for k, v in cols.items()}
    for k in _DATES:
        out[k] = _days(cols[k])
    for k, fill in _FILL.items():
        out[k] = np.asarray(np.ma.filled(cols[k], fill))
    out["no_setting"] = out["no_setting"].astype(np.int64)
    return out


_DATES = ("valid_from", "data_date", "as_of")
_FILL = {"ci_low": np.nan, "ci_high": np.nan, "board": -1}


_BOARDS_SQL = """
    SELECT benchmark_id, as_of, source, rows, coverage, top, cutoff FROM boards
    WHERE in_series AND benchmark_id IN (SELECT unnest(?::VARCHAR[]))
    ORDER BY benchmark_id, as_of, source, setting"""


class Reader:
    """A read-only connection plus what every evidence selection needs, each read once: model
    attributes, and per benchmark its score rows as columns."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._models: dict[str, ModelInfo] | None = None
        self.model_ids: list[str] = []
        self._code: dict[str, int] = {}
        self._frames: dict[str, ScoreFrame] = {}
        self._latest: dt.date | None = None
        self.histories: dict[tuple[Any, ...], list[State]] = {}
        """``history()`` results, so callers sharing a reader walk each history once."""

    # -- models --------------------------------------------------------------------------------
    @property
    def models(self) -> dict[str, ModelInfo]:
        if self._models is None:
            rows = self.con.execute("""SELECT m.id, m.lab_id, l.ecosystem, m.open_weights,
                       m.params_total_b, m.available_from
                FROM models m LEFT JOIN labs l ON l.id = m.lab_id ORDER BY m.id""").fetchall()
            self._models = {r[0]: ModelInfo(*r[1:]) for r in rows}
            self.model_ids = list(self._models)
            self._code = {m: i for i, m in enumerate(self.model_ids)}
        return self._models

    def code(self, model_id: str) -> int:
        """A model's index in ``model_ids``."""
        self.models  # noqa: B018 - loads the index
        return self._code[model_id]

    def keep(self, max_params_b: float | None, allowed: Allowed = None) -> np.ndarray:
        """Per model code: is the model considered (a size limit; a set of allowed models)?"""
        models = self.models
        mask = np.ones(len(self.model_ids), dtype=bool)
        if max_params_b is not None:
            mask &= np.array(
                [(m.params_b is not None and m.params_b <= max_params_b) for m in models.values()],
                dtype=bool,
            )
        if allowed is not None:
            mask &= np.array([m in allowed for m in self.model_ids], dtype=bool)
        return mask

    def point(self, model_id: str, value: float, date: dt.date, **extra: Any) -> Point:
        """A Point with the model's attributes (its availability is its 'released' date)."""
        info = self.models[model_id]
        return Point(
            model_id=model_id, lab_id=info.lab_id, ecosystem=info.ecosystem,
            open_weights=info.open_weights, value=float(value), date=date,
            released=info.available or date, params_b=info.params_b, **extra,
        )  # fmt: skip

    # -- score rows ------------------------------------------------------------------------------
    def frames(self, benchmarks: Iterable[str]) -> dict[str, ScoreFrame]:
        """The score rows of several benchmarks, each read once (one query for all missing)."""
        todo = sorted({b for b in benchmarks if b not in self._frames})
        if todo:
            self.models  # noqa: B018 - model codes first
            boards: dict[str, list[BoardInfo]] = defaultdict(list)
            for bench, day, src, rows, cov, top, cut in self.con.execute(
                _BOARDS_SQL, [todo]
            ).fetchall():
                info = BoardInfo(date=day, source=src, rows=rows, coverage=cov, top=top, cutoff=cut)
                boards[bench].append(info)
            cols, settings, sources = self._coded_rows(todo)
            stops = np.searchsorted(np.asarray(cols["bench"]), np.arange(1, len(todo) + 1))
            names: dict[str, list[str | None]] = {
                "setting": [s or None for s in settings], "source": list(sources),
            }  # fmt: skip
            start = base = 0
            for b, stop in zip(todo, stops.tolist(), strict=True):  # rows ordered by benchmark
                part = {k: v[start:stop] for k, v in cols.items()}
                part["board"] = np.where(part["board"] >= 0, part["board"] - base, -1)
                self._frames[b] = ScoreFrame(part, self, boards[b], names)
                start, base = stop, base + len(boards[b])
        return {b: self._frames[b] for b in benchmarks}

    def _coded_rows(self, todo: list[str]) -> tuple[dict[str, np.ndarray], list[str], list[str]]:
        """The benchmarks' rows, coded and in order, with the setting and source names: from the
        build's cache file when there is one (``frame_cache``), else read, sorted and kept."""
        from wholeads.query import frame_cache

        signature = frame_cache.build_signature(self.con)
        cached = frame_cache.load(signature, todo) if signature else None
        if cached is not None:
            return cached
        found = self.con.execute(_NAMES_SQL, [todo]).fetchone()
        settings, sources = (list(found[0] or []), list(found[1] or [])) if found else ([], [])
        cols = _plain(
            self.con.execute(
                _FRAME_SQL, [todo, todo, todo, todo, settings, settings, sources, sources]
            ).fetchnumpy()
        )
        order = _row_order(cols)
        cols = {k: v[order] for k, v in cols.items()}
        if signature:
            frame_cache.save(signature, todo, cols, settings, sources)
        return cols, settings, sources

    def frame(self, benchmark: str) -> ScoreFrame:
        return self.frames([benchmark])[benchmark]

    # -- sources and dates -----------------------------------------------------------------------
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
        """The newest day any resolved score became usable (never after today): the default
        'as of'."""
        if self._latest is None:
            row = self.con.execute(
                "SELECT max(valid_from) FROM scores WHERE model_id IS NOT NULL"
                " AND valid_from <= current_date"
            ).fetchone()
            self._latest = row[0] if row and row[0] else dt.date.today()
        return self._latest


# -- selection rules ---------------------------------------------------------------------------
def _first_of_groups(keys: np.ndarray) -> np.ndarray:
    """Mask of the first row of each run of equal keys (keys already sorted)."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _signed(frame: ScoreFrame, higher: bool) -> np.ndarray:
    return frame.value if higher else -frame.value


def static_rows(
    frame: ScoreFrame,
    spec: EvidenceSpec,
    domain: DomainSpec,
    day: int,
    source: str | None,
    allowed: Allowed = None,
) -> np.ndarray:
    """Row indexes of a static benchmark's answer on a day: per model its newest usable row of
    each setting, then the best of those settings (a reasoning effort is a configuration of the
    model, so its best configuration represents it). Ties never depend on row order."""
    keep = frame.reader.keep(domain.max_params_b, allowed)
    idx = np.flatnonzero(frame.accepted(spec, source, keep) & (frame.valid <= day))
    if not len(idx):
        return idx
    sv = _signed(frame, domain.higher_is_better)
    model, setting, src = frame.model[idx], frame.setting[idx], frame.source[idx]
    order = np.lexsort((-src, -sv[idx], -frame.data[idx], setting, model))
    idx = idx[order]
    group = frame.model[idx] * (len(frame.settings) + 1) + frame.setting[idx]
    idx = idx[_first_of_groups(group)]
    order = np.lexsort((-frame.source[idx], -frame.data[idx], -sv[idx], frame.model[idx]))
    idx = idx[order]
    return idx[_first_of_groups(frame.model[idx])]


def _board_rank(frame: ScoreFrame) -> np.ndarray:
    """Each board's place in time (date, then more rows, then order): the newest is largest.
    One extra slot (index -1) for rows on no board."""
    order = np.lexsort((np.arange(len(frame.boards)), frame.board_rows[:-1], frame.board_day[:-1]))
    rank = np.empty(len(frame.boards) + 1, dtype=np.int64)
    rank[order] = np.arange(len(frame.boards))
    rank[-1] = -1
    return rank


def _on_boards(frame: ScoreFrame, spec: EvidenceSpec, day: int, source: str | None) -> np.ndarray:
    everyone = np.ones(len(frame.reader.model_ids), dtype=bool)
    mask = frame.accepted(spec, source, everyone) & (frame.board >= 0) & (frame.valid <= day)
    return mask & (frame.board_day[frame.board] <= day)


def _best_per_model(frame: ScoreFrame, idx: np.ndarray, higher: bool) -> np.ndarray:
    """One row per model (two raw names may resolve to one model): its best."""
    sv = _signed(frame, higher)
    order = np.lexsort((-frame.source[idx], -sv[idx], frame.model[idx]))
    idx = idx[order]
    return idx[_first_of_groups(frame.model[idx])]


@dataclass(frozen=True)
class BoardView:
    """An arena entry as of a day: the comparison board's rows and the last rows of the rest."""

    board: int | None
    """The newest board up to the day holding a model the domain considers."""
    latest: int | None
    """The newest board up to the day."""
    rows: np.ndarray
    last_seen: np.ndarray


def board_view(
    frame: ScoreFrame,
    spec: EvidenceSpec,
    domain: DomainSpec,
    day: int,
    source: str | None,
    allowed: Allowed = None,
) -> BoardView:
    """The censored-board rule: the comparison board is the newest holding a considered model;
    every considered model missing from it keeps its row on its own newest board."""
    on = _on_boards(frame, spec, day, source)
    empty = np.empty(0, dtype=np.int64)
    if not on.any():
        return BoardView(None, None, empty, empty)
    rank = _board_rank(frame)
    latest = int(frame.board[on][np.argmax(rank[frame.board[on]])])
    idx = np.flatnonzero(on & frame.reader.keep(domain.max_params_b, allowed)[frame.model])
    if not len(idx):
        return BoardView(None, latest, empty, empty)
    board = int(frame.board[idx][np.argmax(rank[frame.board[idx]])])
    rows = _best_per_model(frame, idx[frame.board[idx] == board], domain.higher_is_better)
    sv = _signed(frame, domain.higher_is_better)
    order = np.lexsort((-frame.source[idx], -sv[idx], -rank[frame.board[idx]], frame.model[idx]))
    newest = idx[order][_first_of_groups(frame.model[idx[order]])]
    on_board = np.isin(frame.model[newest], frame.model[rows])
    return BoardView(board, latest, rows, newest[~on_board])


def _evidence(
    spec: EvidenceSpec, domain: DomainSpec, points: Sequence[Point], **extra: Any
) -> Evidence:
    src = sorted({p.source for p in points if p.source})
    at = extra.pop("at", None) or max((p.date for p in points), default=None)
    return Evidence(
        label=spec.label, scale=spec.scale, unit=spec.unit,
        higher_is_better=domain.higher_is_better, at=at,
        source=", ".join(src) or None, points=tuple(points), **extra,
    )  # fmt: skip


def snapshot_evidence(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    as_of: dt.date,
    source: str | None,
    allowed: Allowed = None,
) -> Evidence:
    """An arena entry as of a date (see ``board_view``)."""
    frame = reader.frame(spec.benchmark or "")
    view = board_view(frame, spec, domain, _day(as_of), source, allowed)
    latest = frame.boards[view.latest] if view.latest is not None else None
    if view.board is None:
        return _evidence(spec, domain, [], latest=latest)
    board = frame.boards[view.board]
    last = [frame.point(int(i)) for i in view.last_seen]
    seen_boards = sorted({int(frame.board[i]) for i in view.last_seen})
    return _evidence(
        spec,
        domain,
        [frame.point(int(i)) for i in view.rows],
        at=board.date,
        board=board,
        latest=None if latest == board else latest,
        last_seen=tuple(last),
        boards=tuple(frame.boards[b] for b in seen_boards),
    )


def static_evidence(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    as_of: dt.date,
    source: str | None,
    allowed: Allowed = None,
) -> Evidence:
    """A static benchmark as of a date: each model's latest usable score (``static_rows``)."""
    frame = reader.frame(spec.benchmark or "")
    rows = static_rows(frame, spec, domain, _day(as_of), source, allowed)
    return _evidence(spec, domain, [frame.point(int(i)) for i in rows])


# -- prices ------------------------------------------------------------------------------------
def _gate(spec: EvidenceSpec) -> EvidenceSpec:
    """The arena evidence that decides which models a price entry considers."""
    return dataclasses.replace(spec, kind="score", benchmark=spec.gate or spec.benchmark)


def gate_board(
    reader: Reader, spec: EvidenceSpec, as_of: dt.date, *, window: float | None
) -> tuple[BoardInfo | None, list[Point]]:
    """The newest board of the gate arena up to the date that shows every model within
    ``window`` of its best (a complete board, or a top-N board cut below best - window), and its
    models; with no window, the newest board whatever its depth."""
    gate = _gate(spec)
    frame = reader.frame(gate.benchmark or "")
    on = _on_boards(frame, gate, _day(as_of), None)
    if not on.any():
        return None, []
    covers = np.array(
        [window is None or b.coverage == "complete" or b.cutoff < b.top - window
         for b in frame.boards] + [False],
        dtype=bool,
    )  # fmt: skip
    on &= covers[frame.board]
    if not on.any():
        return None, []
    rank = _board_rank(frame)
    board = int(frame.board[on][np.argmax(rank[frame.board[on]])])
    rows = _best_per_model(frame, np.flatnonzero(on & (frame.board == board)), True)
    return frame.boards[board], [frame.point(int(i)) for i in rows]


def _provider_key(provider: str | None) -> str:
    return re.sub(r"[^0-9a-z]+", "", (provider or "").casefold())


def price_quotes(
    reader: Reader, ids: Sequence[str], as_of: dt.date, source: str | None = None
) -> dict[str, list[list[tuple[float, float]]]]:
    """Per model, per provider, the (input, output) prices in force on a date: the newest stated
    or observed by then (a later observation replaces an earlier one). Zero prices (free tiers)
    are ignored."""
    if not ids:
        return {}
    rows = reader.con.execute(
        """SELECT model_id, provider, valid_from, input_per_mtok, output_per_mtok FROM prices
           WHERE model_id IN (SELECT unnest(?::VARCHAR[])) AND valid_from <= ?
             AND (valid_to IS NULL OR valid_to > ?)
             AND input_per_mtok > 0 AND output_per_mtok > 0
             AND isfinite(input_per_mtok) AND isfinite(output_per_mtok)
             AND (?::VARCHAR IS NULL OR source = ?)""",
        [list(ids), as_of, as_of, source, source],
    ).fetchall()
    newest: dict[tuple[str, str], tuple[dt.date, list[tuple[float, float]]]] = {}
    for mid, provider, start, inp, out in rows:
        key = (mid, _provider_key(provider))
        cur = newest.get(key)
        if cur is None or start > cur[0]:
            newest[key] = (start, [(inp, out)])
        elif start == cur[0]:
            cur[1].append((inp, out))
    by_model: dict[str, list[list[tuple[float, float]]]] = defaultdict(list)
    for (mid, _), (_, quotes) in newest.items():
        by_model[mid].append(quotes)
    return dict(by_model)


def prices_at(
    reader: Reader, ids: Sequence[str], as_of: dt.date, source: str | None = None
) -> dict[str, float]:
    """Each model's blended price (3 input : 1 output) on a date: the median over providers of
    each provider's price in force (``price_quotes``)."""
    return {
        mid: statistics.median(
            statistics.median(blended(i, o) for i, o in quotes) for quotes in providers
        )
        for mid, providers in price_quotes(reader, ids, as_of, source).items()
    }


def price_parts(
    reader: Reader, ids: Sequence[str], as_of: dt.date
) -> dict[str, tuple[float, float]]:
    """Each model's median input and output price over providers on a date (same rule)."""
    out = {}
    for mid, providers in price_quotes(reader, ids, as_of).items():
        ins = [statistics.median(i for i, _ in quotes) for quotes in providers]
        outs = [statistics.median(o for _, o in quotes) for quotes in providers]
        out[mid] = (statistics.median(ins), statistics.median(outs))
    return out


def priced_points(
    reader: Reader,
    spec: EvidenceSpec,
    as_of: dt.date,
    *,
    source: str | None = None,
    gate_all: bool = False,
) -> tuple[BoardInfo | None, list[Priced]]:
    """Models of the gate board within ``within`` of its best, each with its price as of the
    date. ``gate_all`` keeps every rated model with a price (the Pareto view) instead.
    ``source`` restricts the prices (kind price) or the scores (a score evidence used as gate)."""
    board, pts = gate_board(reader, spec, as_of, window=None if gate_all else spec.within)
    if board is None:
        return None, []
    keep = [p for p in pts if gate_all or p.value >= board.top - (spec.within or 0)]
    prices = prices_at(reader, [p.model_id for p in keep], as_of, source)
    return board, [Priced(p, prices[p.model_id]) for p in keep if p.model_id in prices]


def price_evidence(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    as_of: dt.date,
    source: str | None,
    allowed: Allowed = None,
) -> Evidence:
    """The prices of the frontier-class models (the gate) as of a date."""
    board, priced = priced_points(reader, spec, as_of, source=source)
    if allowed is not None:
        priced = [x for x in priced if x.point.model_id in allowed]
    points = [
        dataclasses.replace(x.point, value=x.price, ci_low=None, ci_high=None) for x in priced
    ]
    return _evidence(spec, domain, points, at=board.date if board else None, board=board)


# -- model attributes --------------------------------------------------------------------------
def model_values(
    reader: Reader,
    spec: EvidenceSpec,
    as_of: dt.date,
    source: str | None,
    max_params_b: float | None,
    allowed: Allowed = None,
) -> list[Point]:
    """Numeric model attributes (context window, disclosed training compute), each dated by the
    model's availability."""
    if spec.kind == "model_field":
        if source is not None:
            return []
        column = {"context_window": "context_window", "max_output": "max_output"}[spec.field or ""]
        rows = reader.con.execute(
            f"SELECT id, {column}, NULL FROM models WHERE {column} > 0"
        ).fetchall()
    else:
        rows = reader.con.execute(
            """SELECT model_id, max(try_cast(value AS DOUBLE)), min(source)
               FROM model_facts WHERE field = ? AND chosen AND try_cast(value AS DOUBLE) > 0
                 AND isfinite(try_cast(value AS DOUBLE))
                 AND (?::VARCHAR IS NULL OR source = ?) GROUP BY model_id""",
            [spec.field, source, source],
        ).fetchall()
    out = []
    for mid, value, src in rows:
        info = reader.models.get(mid)
        if info is None or info.available is None or info.available > as_of:
            continue
        if max_params_b is not None and (info.params_b is None or info.params_b > max_params_b):
            continue
        if allowed is not None and mid not in allowed:
            continue
        out.append(reader.point(mid, value, info.available, source=src))
    return out


# -- entries, domains, histories ----------------------------------------------------------------
def load_one(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    as_of: dt.date,
    *,
    source: str | None = None,
    allowed: Allowed = None,
) -> Evidence:
    """One evidence entry as of a date (``allowed``: only these models are considered)."""
    if spec.kind == "score" and spec.combine == "snapshot":
        return snapshot_evidence(reader, domain, spec, as_of, source, allowed)
    if spec.kind == "score":
        return static_evidence(reader, domain, spec, as_of, source, allowed)
    if spec.kind == "price":
        return price_evidence(reader, domain, spec, as_of, source, allowed)
    points = model_values(reader, spec, as_of, source, domain.max_params_b, allowed)
    return _evidence(spec, domain, points, measured=False)


def benchmarks_of(domains: Iterable[DomainSpec]) -> set[str]:
    """Every benchmark the domains' entries read (scores and price gates)."""
    out = set()
    for domain in domains:
        for spec in domain.evidence:
            if spec.kind == "score" and spec.benchmark:
                out.add(spec.benchmark)
            elif spec.kind == "price" and spec.gate:
                out.add(spec.gate)
    return out


def load_evidence(
    reader: Reader,
    domain: DomainSpec,
    as_of: dt.date,
    *,
    source: str | None = None,
    allowed: Allowed = None,
) -> list[Evidence]:
    """Every evidence entry of a domain as of a date, in priority order."""
    reader.frames(benchmarks_of([domain]))
    return [
        load_one(reader, domain, spec, as_of, source=source, allowed=allowed)
        for spec in domain.evidence
    ]


def load_all(
    reader: Reader,
    domains: Sequence[DomainSpec],
    as_of: dt.date,
    *,
    source: str | None = None,
) -> dict[str, list[Evidence]]:
    """Every domain's evidence as of a date (the benchmarks of all domains read in one query)."""
    reader.frames(benchmarks_of(domains))
    return {d.id: load_evidence(reader, d, as_of, source=source) for d in domains}


def pareto_points(
    reader: Reader, domain: DomainSpec, as_of: dt.date, *, source: str | None = None
) -> tuple[str, list[Priced]]:
    """Score and price of every priced model in the domain's first evidence that has any
    (for a price domain: every model of its gate board, not only those passing the gate). An
    arena is read on its widest recent board (``widest_board``): a frontier of many models
    needs a deep board, not a top-20 scrape."""
    for spec in domain.evidence:
        if spec.kind == "price":
            _, priced = priced_points(reader, spec, as_of, source=source, gate_all=True)
            label = _gate(spec).label
        elif spec.kind == "score":
            reader.frames([spec.benchmark or ""])
            wide = widest_board(reader, domain, spec, as_of, None, domain.freshness_days)
            points = load_one(reader, domain, spec, wide or as_of, source=source).points
            prices = prices_at(reader, [p.model_id for p in points], as_of)
            priced = [Priced(p, prices[p.model_id]) for p in points if p.model_id in prices]
            label = spec.label
        else:
            continue
        if priced:
            return label, priced
    return domain.evidence[0].label, []


def history(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    *,
    until: dt.date,
    since: dt.date | None = None,
    source: str | None = None,
) -> list[State]:
    """The states of one evidence entry over time, each holding only what was usable then:
    every board of an arena's series, or for static evidence every day a score or a model
    became usable; price states at the last gate board of each month. Results are kept on the
    reader: a report asks for the same history several times."""
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
    lo = _day(since) if since is not None else -_NEVER
    if spec.kind == "price":
        frame = reader.frame(_gate(spec).benchmark or "")
        months: dict[tuple[int, int], dt.date] = {}
        for b in frame.boards:
            if b.date <= until:
                months[(b.date.year, b.date.month)] = b.date
        dates = [d for d in sorted(months.values()) if since is None or d >= since]
        states = []
        for d in dates:
            ev = price_evidence(reader, domain, spec, d, source)
            states.append(State(ev.at or d, ev.points, ev.board))
        return states
    if spec.kind != "score":
        points = model_values(reader, spec, until, source, domain.max_params_b)
        released = sorted({p.released for p in points})
        return [
            State(d, tuple(p for p in points if p.released <= d))
            for d in released
            if since is None or d >= since
        ]
    frame = reader.frame(spec.benchmark or "")
    if spec.combine == "snapshot":
        return _board_states(frame, spec, domain, _day(until), lo, source)
    keep = frame.reader.keep(domain.max_params_b)
    mask = frame.accepted(spec, source, keep) & (frame.valid <= _day(until))
    days = np.unique(frame.valid[mask])
    out = []
    for day in days[days >= lo]:
        rows = static_rows(frame, spec, domain, int(day), source)
        out.append(State(_date(int(day)), tuple(frame.point(int(i)) for i in rows)))
    return out


def _board_states(
    frame: ScoreFrame,
    spec: EvidenceSpec,
    domain: DomainSpec,
    until: int,
    since: int,
    source: str | None,
) -> list[State]:
    """One state per board of the series: its considered models (best row per model)."""
    on = (
        _on_boards(frame, spec, until, source) & frame.reader.keep(domain.max_params_b)[frame.model]
    )
    idx = np.flatnonzero(on & (frame.board_day[frame.board] >= since))
    if not len(idx):
        return []
    rank = _board_rank(frame)
    idx = idx[np.argsort(rank[frame.board[idx]], kind="stable")]
    states = []
    for board in dict.fromkeys(int(b) for b in frame.board[idx]):
        rows = _best_per_model(frame, idx[frame.board[idx] == board], domain.higher_is_better)
        info = frame.boards[board]
        states.append(State(info.date, tuple(frame.point(int(i)) for i in rows), info))
    return states


def widest_board(
    reader: Reader,
    domain: DomainSpec,
    spec: EvidenceSpec,
    as_of: dt.date,
    allowed: Allowed,
    window_days: int,
) -> dt.date | None:
    """For a shortlist: among the boards of an arena entry within ``window_days`` of the newest
    one holding an allowed model, the one that holds the most allowed models (then the newest).
    A shortlist ranks many models on one board, so a deep board of last week serves it better
    than a top-20 scrape of today; None for static evidence (each model's latest score)."""
    if spec.kind != "score" or spec.combine != "snapshot":
        return None
    frame = reader.frame(spec.benchmark or "")
    on = _on_boards(frame, spec, _day(as_of), None)
    on &= reader.keep(domain.max_params_b, allowed)[frame.model]
    if not on.any():
        return None
    boards = frame.board[on]
    newest = int(frame.board_day[boards].max())
    recent = boards[frame.board_day[boards] >= newest - window_days]
    counts = np.bincount(recent, minlength=len(frame.boards))
    rank = _board_rank(frame)
    best = max(np.flatnonzero(counts), key=lambda b: (counts[b], rank[b]))
    return frame.boards[int(best)].date
