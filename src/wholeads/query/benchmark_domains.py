"""Any benchmark asked like a domain: `wholeads leaders --benchmark ext-mmlu`, and the US-CN gap
of every benchmark at the end of each year (as the AI Index tables them).

A benchmark becomes a one-entry domain, so it is answered by the same evidence engine as the
curated domains (valid time, boards and coverage, one series per leaderboard, freshness,
verdicts). An arena (a benchmark with boards) is compared board by board with plain ratings (no
style control); a static benchmark with each model's newest score, its best across settings
(reasoning efforts are configurations of one model; pass a setting to pin one).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

import duckdb

from wholeads.analysis.frontier import gap_percent
from wholeads.analysis.leaders import DomainLeaders, GroupBest
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, EvidenceSpec
from wholeads.query.answers import check_by, compute_leaders
from wholeads.query.evidence import Reader

SCALES = {"elo": "elo", "percent": "percent", "usd": "usd"}
"""The benchmarks table's metric -> an evidence scale (other metrics read as an index)."""
UNITS = {"elo": "Elo", "percent": "percent", "usd": "USD"}
STYLE_PARTS = ("style_control", "style_control+category_max")
"""Arena settings that are style-controlled ratings, never mixed with plain ones."""


@dataclass(frozen=True)
class BenchmarkRow:
    id: str
    name: str | None
    metric: str | None
    higher_is_better: bool


def benchmark_rows(con: duckdb.DuckDBPyConnection) -> dict[str, BenchmarkRow]:
    """Every benchmark that has at least one resolved score, by id."""
    rows = con.execute(
        """SELECT id, name, metric, coalesce(higher_is_better, true) FROM benchmarks
           WHERE id IN (SELECT DISTINCT benchmark_id FROM scores WHERE model_id IS NOT NULL)
           ORDER BY id"""
    ).fetchall()
    return {r[0]: BenchmarkRow(r[0], r[1], r[2], bool(r[3])) for r in rows}


def _domain_id(benchmark: str) -> str:
    return "benchmark_" + re.sub(r"[^a-z0-9]+", "_", benchmark.lower()).strip("_")


def _entry(row: BenchmarkRow, combine: str, setting: str, without: tuple[str, ...] = ()) -> Any:
    scale = SCALES.get(row.metric or "", "index")
    return EvidenceSpec(
        benchmark=row.id, combine=combine, setting=setting, without_parts=without,  # type: ignore[arg-type]
        scale=scale, unit=UNITS.get(row.metric or "", row.metric or "score"),  # type: ignore[arg-type]
        why="Asked for by name (--benchmark).",
    )  # fmt: skip


def benchmark_spec(reader: Reader, row: BenchmarkRow, setting: str | None = None) -> DomainSpec:
    """The one-entry domain that asks one benchmark: an arena by its plain ratings (else, when
    it has none, its rows other than style control), a static benchmark by each model's best
    across settings; ``setting`` pins one."""
    frame = reader.frame(row.id)
    combine = "snapshot" if frame.boards else "latest"
    if setting is not None:
        entry = _entry(row, combine, setting)
    elif combine == "latest":
        entry = _entry(row, combine, "any")
    else:
        entry = _entry(row, combine, "none")
        if not frame.accepted(entry, None, reader.keep(None)).any():
            entry = _entry(row, combine, "any", STYLE_PARTS)
    return DomainSpec(
        id=_domain_id(row.id), name=row.name or row.id, unit=entry.unit,
        description=f"The benchmark {row.id} on its own.",
        higher_is_better=row.higher_is_better, evidence=(entry,),
    )  # fmt: skip


def find_benchmark(con: duckdb.DuckDBPyConnection, benchmark: str) -> BenchmarkRow:
    """One benchmark by id; an unknown one is a user error naming close ids."""
    rows = benchmark_rows(con)
    if benchmark in rows:
        return rows[benchmark]
    word = benchmark.lower()
    close = [b for b in rows if word in b or b.split("-")[-1] in word.split("-")]
    close = list(dict.fromkeys([*close, *difflib.get_close_matches(word, rows, n=5)]))[:8]
    hint = (
        f"; did you mean: {', '.join(close)}" if close else "; `wholeads benchmark-gaps` lists them"
    )
    raise UserError(f"--benchmark: unknown benchmark '{benchmark}'{hint}")


def benchmark_leaders(
    con: duckdb.DuckDBPyConnection,
    benchmarks: list[str],
    as_of: dt.date | None = None,
    by: str = "ecosystem",
    setting: str | None = None,
) -> tuple[dt.date, list[DomainLeaders]]:
    """Leaders on the named benchmarks as of a date, like `leaders` on domains."""
    group_by = check_by(by)
    reader = Reader(con)
    specs = [benchmark_spec(reader, find_benchmark(con, b), setting) for b in benchmarks]
    date = as_of or reader.latest_date()
    return date, compute_leaders(reader, specs, date, group_by)


def year_ends(first: int, until: dt.date) -> list[dt.date]:
    """31 December of every year from ``first`` up to ``until``, then ``until`` itself."""
    days = [dt.date(y, 12, 31) for y in range(first, until.year + 1) if dt.date(y, 12, 31) < until]
    return [*days, until]


def year_end_gaps(
    con: duckdb.DuckDBPyConnection,
    benchmarks: list[str] | None = None,
    first_year: int = 2023,
    until: dt.date | None = None,
    a: str = "US",
    b: str = "CN",
    *,
    reader: Reader | None = None,
) -> dict[str, Any]:
    """Every benchmark's a-b gap at the end of each year (and at ``until``): both bests, the
    gap in points and percent, the verdict; a year where either group has no score is listed
    with no gap. A caller asking several questions passes its ``reader`` (frames read once)."""
    reader = reader or Reader(con)
    until = until or reader.latest_date()
    rows = benchmark_rows(con)
    chosen = ([rows[x] if x in rows else find_benchmark(con, x) for x in benchmarks]
              if benchmarks else list(rows.values()))  # fmt: skip
    specs = [benchmark_spec(reader, r) for r in chosen]
    out = []
    for day in year_ends(first_year, until):
        results = compute_leaders(reader, specs, day, "ecosystem")
        for spec, result in zip(specs, results, strict=True):
            best = {g.group: g for g in result.groups}
            out.append(_gap_row(spec, result, day, best.get(a), best.get(b)))
    return {"a": a, "b": b, "dates": year_ends(first_year, until), "rows": out}


def _gap_row(
    spec: DomainSpec, result: DomainLeaders, day: dt.date, pa: GroupBest | None,
    pb: GroupBest | None,
) -> dict[str, Any]:  # fmt: skip
    """One benchmark at one date: both bests, a minus b (in the direction of better) in points
    and in percent of the trailing best."""
    gap = percent = None
    if pa is not None and pb is not None:
        gap = (pa.score - pb.score) if spec.higher_is_better else (pb.score - pa.score)
        trailing = pb.score if gap >= 0 else pa.score
        share = gap_percent(spec.evidence[0].scale, abs(gap), trailing)
        percent = None if share is None else (share if gap >= 0 else -share)
    return {
        "benchmark": spec.evidence[0].benchmark, "date": day, "scale": spec.evidence[0].scale,
        "a_model": pa.model_id if pa else None, "a_best": pa.score if pa else None,
        "a_date": pa.date if pa else None,
        "b_model": pb.model_id if pb else None, "b_best": pb.score if pb else None,
        "b_date": pb.date if pb else None,
        "gap": gap, "percent": percent, "leader": result.leader, "verdict": result.verdict,
    }  # fmt: skip


def domain_or_benchmark(
    con: duckdb.DuckDBPyConnection, domain: str | None, benchmark: str | None
) -> str | DomainSpec:
    """What `gap` and `frontier` ask: a domain id, or a benchmark as a one-entry domain."""
    if (domain is None) == (benchmark is None):
        raise UserError("give one of --domain and --benchmark")
    if benchmark is None:
        assert domain is not None
        return domain
    return benchmark_spec(Reader(con), find_benchmark(con, benchmark))
