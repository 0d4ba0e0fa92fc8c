"""The database's sizes a claims file is priced by (``analysis.claims_cost``): per benchmark its
rows, models, usable days and boards, and per model attribute the models that have it."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from wholeads.analysis.claims_cost import BenchmarkSize, Sizes
from wholeads.kb.domains import DomainSpec


def read_sizes(con: duckdb.DuckDBPyConnection, domains: Iterable[DomainSpec]) -> Sizes:
    """Counts per benchmark (rows, models, usable days, boards) and per model attribute the
    domains use as evidence: a few aggregate queries, no row is read."""
    (models,) = con.execute("SELECT count(*) FROM models").fetchone() or (0,)
    boards = dict(
        con.execute(
            "SELECT benchmark_id, list(as_of ORDER BY as_of) FROM boards WHERE in_series "
            "GROUP BY benchmark_id"
        ).fetchall()
    )
    benchmarks = {
        bench: BenchmarkSize(rows, n_models, tuple(days), tuple(boards.get(bench) or ()))
        for bench, rows, n_models, days in con.execute("""
            SELECT benchmark_id, count(*), count(DISTINCT model_id),
                   list(DISTINCT valid_from ORDER BY valid_from)
            FROM scores WHERE model_id IS NOT NULL AND value IS NOT NULL
              AND valid_from IS NOT NULL
            GROUP BY benchmark_id""").fetchall()
    }
    fields = {s.field for d in domains for s in d.evidence if s.kind in {"model_field", "fact"}}
    attributes = {name: _attribute(con, name) for name in sorted(f for f in fields if f)}
    return Sizes(int(models), benchmarks, attributes)


def _attribute(con: duckdb.DuckDBPyConnection, name: str) -> BenchmarkSize:
    """Models with a positive value of a models column or a chosen fact, and their days."""
    if name in {"context_window", "max_output"}:
        where = f"{name} > 0"
    else:
        where = (
            "id IN (SELECT model_id FROM model_facts WHERE field = ? AND chosen "
            "AND try_cast(value AS DOUBLE) > 0)"
        )
    params = [] if name in {"context_window", "max_output"} else [name]
    n, days = con.execute(
        f"SELECT count(*), list(DISTINCT available_from ORDER BY available_from) FROM models "
        f"WHERE available_from IS NOT NULL AND {where}",
        params,
    ).fetchone() or (0, [])
    return BenchmarkSize(0, int(n), tuple(days or ()))
