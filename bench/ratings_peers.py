"""Peers of `wholeads arena` on the same battle file: LMArena's `arena-rank` and `choix`.

Run by `bench_ratings.py` with the interpreter of the peers' own environment (see
`requirements-peers.txt`); this file imports neither wholeads nor anything of the development
environment. Each job prints one JSON line: its timings and its point ratings by model.

    <peers python> bench/ratings_peers.py arena-rank battles.parquet --rounds 4
    <peers python> bench/ratings_peers.py choix battles.parquet --rounds 100

Bootstraps: arena-rank's own (`compute_ratings_and_cis(ci_method="bootstrap")`, a process pool
refitting each resample with L-BFGS); choix has none, so its rounds are numpy multinomial draws
of the battle cells refitted by `ilsr_pairwise_dense` from the point estimate.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from typing import Any

COLUMNS = ["model_a", "model_b", "winner"]
ELO = 400.0 / math.log(10.0)


def arena_rank_job(path: str, rounds: int, seed: int) -> dict[str, Any]:
    """arena-rank as its README uses it: a pandas frame, a PairDataset, BradleyTerry.fit."""
    t0 = time.perf_counter()
    import multiprocessing

    import numpy as np
    import pandas as pd
    from arena_rank.models.bradley_terry import BradleyTerry
    from arena_rank.utils.data_utils import PairDataset

    t1 = time.perf_counter()
    frame = pd.read_parquet(path, columns=COLUMNS)
    t2 = time.perf_counter()
    data = PairDataset.from_pandas(frame)
    t3 = time.perf_counter()
    model = BradleyTerry(n_competitors=len(data.competitors))
    model.fit(data)
    t4 = time.perf_counter()
    if rounds:
        # JAX's threads deadlock a forked pool (Linux's default start method); spawn works.
        multiprocessing.set_start_method("spawn", force=True)
        model.compute_ratings_and_cis(
            data, ci_method="bootstrap", num_bootstrap=rounds, seed=seed, n_jobs=2
        )
    t5 = time.perf_counter()
    rating = np.asarray(model.params["ratings"]) * model.alpha + model.init_rating
    return {
        "imports": t1 - t0,
        "read": t2 - t1,
        "dataset": t3 - t2,
        "fit": t4 - t3,
        "bootstrap_timed": t5 - t4,
        "rounds_timed": rounds,
        "models": [str(m) for m in data.competitors],
        "rating": rating.tolist(),
    }


def choix_job(path: str, rounds: int, seed: int) -> dict[str, Any]:
    """choix's dense iterative Luce spectral ranking on the win matrix (a tie = half a win)."""
    t0 = time.perf_counter()
    import choix
    import numpy as np
    import pyarrow.parquet as pq

    t1 = time.perf_counter()
    table = pq.read_table(path, columns=COLUMNS, read_dictionary=COLUMNS).unify_dictionaries()
    names = [table.column(c).chunk(0).dictionary.to_pylist() for c in COLUMNS]
    codes = [
        np.concatenate([x.indices.to_numpy() for x in table.column(c).chunks]) for c in COLUMNS
    ]
    models = sorted(set(names[0]) | set(names[1]))
    position = {m: i for i, m in enumerate(models)}
    a, b = (np.array([position[m] for m in names[s]])[codes[s]] for s in (0, 1))
    outcome = np.array([{"model_a": 0, "model_b": 1}.get(w, 2) for w in names[2]])[codes[2]]
    k, n = len(models), a.size
    cells, count = np.unique((a * k + b) * 3 + outcome, return_counts=True)
    first, second, score = cells // 3 // k, cells // 3 % k, np.array([1.0, 0.0, 0.5])[cells % 3]

    def win_matrix(weight: Any) -> Any:
        wins = np.zeros((k, k))
        np.add.at(wins, (first, second), score * weight)
        np.add.at(wins, (second, first), (1.0 - score) * weight)
        return wins

    wins = win_matrix(count)
    t2 = time.perf_counter()
    params = choix.ilsr_pairwise_dense(wins)
    t3 = time.perf_counter()
    rng = np.random.default_rng(seed)
    for _ in range(rounds):
        drawn = rng.multinomial(n, count / n)
        choix.ilsr_pairwise_dense(win_matrix(drawn), initial_params=params)
    t4 = time.perf_counter()
    return {
        "imports": t1 - t0,
        "read": t2 - t1,
        "fit": t3 - t2,
        "bootstrap_timed": t4 - t3,
        "rounds_timed": rounds,
        "models": models,
        "rating": (1000.0 + ELO * (params - params.mean())).tolist(),
    }


JOBS = {"arena-rank": arena_rank_job, "choix": choix_job}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=sorted(JOBS))
    parser.add_argument("path")
    parser.add_argument("--rounds", type=int, default=0, help="bootstrap rounds to time")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(JOBS[args.job](args.path, args.rounds, args.seed)))


if __name__ == "__main__":
    main()
