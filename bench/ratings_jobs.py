"""The jobs that `bench_ratings.py` times, each run alone in a fresh interpreter.

- `wholeads`: the library as `wholeads arena` calls it (read_counts + rate), timed in-process.
- `floor`: only the work that this job cannot skip, with the fastest pieces at hand: start an
  interpreter, import numpy and pyarrow, read the three columns as dictionary codes and count
  them with `np.bincount`, one point fit, the multinomial draws and the warm-started refits
  (wholeads' own solver kernels and chunked two-thread bootstrap, one BLAS thread). No
  validation, no graph checks, no flags, no intervals or ranks, no CLI, no output beyond JSON.
- `reference`: the public arena method, one scikit-learn logistic regression per battle set,
  on a sparse design matrix; `reference-dense` on the notebooks' dense one (one float per battle
  and model: 1.5 GB at 150 models, so the benchmark runs it up to 300 models only).

Each prints one JSON line with its timings and point ratings (Elo scale, mean 1000) by model.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

COLUMNS = ("model_a", "model_b", "winner")

REFERENCE_TOL = 1e-10
"""lbfgs tolerance the reference needs to agree with the exact MLE within 0.01 points on this
design; at scikit-learn's default (1e-4) or the notebooks' 1e-6 it stops tens of points early."""


def job_wholeads(path: str, rounds: int, seed: int) -> dict[str, Any]:
    """What `wholeads arena FILE --json` runs, timed in-process: read, point fit, bootstrap."""
    t0 = time.perf_counter()
    from wholeads.analysis.ratings import rate
    from wholeads.query.battles import read_counts

    t1 = time.perf_counter()
    counts = read_counts(path)
    t2 = time.perf_counter()
    result = rate(counts, ci="bootstrap", rounds=rounds, seed=seed)
    t3 = time.perf_counter()
    rate(counts, ci="none")
    t4 = time.perf_counter()
    return {
        "imports": t1 - t0,
        "read": t2 - t1,
        "fit": t4 - t3,
        "bootstrap": (t3 - t2) - (t4 - t3),
        "job": t3 - t1,
        "cells": int(counts.a.size),
        "models": list(result.models),
        "rating": result.rating.tolist(),
        "ci_low": result.ci_low.tolist(),
        "ci_high": result.ci_high.tolist(),
    }


def job_floor(path: str, rounds: int, seed: int) -> dict[str, Any]:
    """The unavoidable work of the same job (see the module docstring)."""
    t0 = time.perf_counter()
    import numpy as np
    import pyarrow.parquet as pq

    from wholeads.analysis.ratings_ci import bootstrap
    from wholeads.analysis.ratings_fit import ELO, newton, one_blas_thread, pair_cells, totals

    t1 = time.perf_counter()
    table = pq.read_table(path, columns=list(COLUMNS), read_dictionary=COLUMNS)
    table = table.unify_dictionaries()
    dictionaries = [table.column(c).chunk(0).dictionary.to_pylist() for c in COLUMNS]
    codes = [
        np.concatenate([chunk.indices.to_numpy() for chunk in table.column(c).chunks])
        for c in COLUMNS
    ]
    models = sorted(set(dictionaries[0]) | set(dictionaries[1]))
    position = {m: i for i, m in enumerate(models)}
    a, b = (np.array([position[m] for m in dictionaries[s]])[codes[s]] for s in (0, 1))
    outcome = np.array([{"model_a": 0, "model_b": 1}.get(w, 2) for w in dictionaries[2]])
    k = len(models)
    count = np.bincount((a * k + b) * 3 + outcome[codes[2]], minlength=k * k * 3)
    cell = np.flatnonzero(count)
    cells = pair_cells(k, cell // 3 // k, cell // 3 % k, cell % 3, count[cell])
    t2 = time.perf_counter()
    with one_blas_thread():
        big_n, big_s = totals(cells.n[None])
        theta, _ = newton(cells, big_n, big_s, np.zeros((1, k)), np.zeros(1))
        t3 = time.perf_counter()
        bootstrap(cells, theta[0], rounds=rounds, seed=seed, reweight=False, ridge=None)
    t4 = time.perf_counter()
    return {
        "imports": t1 - t0,
        "read": t2 - t1,
        "fit": t3 - t2,
        "bootstrap": t4 - t3,
        "job": t4 - t1,
        "models": models,
        "rating": (1000.0 + ELO * (theta[0] - theta[0].mean())).tolist(),
    }


def job_reference(path: str, rounds: int, seed: int, *, dense: bool = False) -> dict[str, Any]:
    """The arena method: read battles, one sklearn fit, `rounds` timed bootstrap refits."""
    import duckdb
    import numpy as np

    import reference_bt

    t0 = time.perf_counter()
    con = duckdb.connect()
    source = f"read_parquet('{path}')"
    models = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT m FROM (SELECT model_a m FROM {source} "
            f"UNION SELECT model_b FROM {source}) ORDER BY m"
        ).fetchall()
    ]
    data = con.execute(
        f"WITH m AS (SELECT unnest($models) AS name, generate_subscripts($models, 1) - 1 AS idx) "
        f"SELECT ma.idx AS a, mb.idx AS b, CASE winner WHEN 'model_a' THEN 0 WHEN 'model_b' "
        f"THEN 1 ELSE 2 END AS o FROM {source} t JOIN m ma ON t.model_a = ma.name "
        f"JOIN m mb ON t.model_b = mb.name",
        {"models": models},
    ).fetchnumpy()
    a, b, o = (np.asarray(data[c], dtype=np.int64) for c in ("a", "b", "o"))
    k = len(models)
    t1 = time.perf_counter()
    rating = reference_bt.fit(a, b, o, k, tol=REFERENCE_TOL, dense=dense)
    t2 = time.perf_counter()
    if rounds:
        reference_bt.bootstrap(a, b, o, k, rounds=rounds, seed=seed, tol=REFERENCE_TOL, dense=dense)
    t3 = time.perf_counter()
    return {
        "read": t1 - t0,
        "fit": t2 - t1,
        "bootstrap_timed": t3 - t2,
        "rounds_timed": rounds,
        "models": models,
        "rating": rating.tolist(),
        "rss_mb": peak_rss_mb(),
    }


def job_reference_dense(path: str, rounds: int, seed: int) -> dict[str, Any]:
    """The same reference on the notebooks' dense design matrix."""
    return job_reference(path, rounds, seed, dense=True)


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM, reset by exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


JOBS = {
    "wholeads": job_wholeads,
    "floor": job_floor,
    "reference": job_reference,
    "reference-dense": job_reference_dense,
}


def main() -> None:
    job, path, rounds, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(JOBS[job](path, rounds, seed)))


if __name__ == "__main__":
    main()
