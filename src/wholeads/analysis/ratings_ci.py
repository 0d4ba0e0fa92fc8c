"""Confidence intervals for Bradley-Terry ratings: multinomial bootstrap and sandwich covariance.

Resampling N battles with replacement gives every (pair, outcome) cell a multinomial count with
the observed cell frequencies, and the fit depends on the battles only through those counts. So a
bootstrap round is one multinomial draw over at most 3 * pairs cells plus a warm-started batched
Newton fit -- the same distribution as the arena notebooks' per-battle resampling, without ever
touching the battles again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from wholeads.analysis.ratings_fit import (
    CELL_SCORE,
    SEPARATION_RIDGE,
    FloatArray,
    PairCells,
    chord,
    hessian,
    laplacian,
    newton,
    pair_weights,
    sigmoid,
    totals,
)
from wholeads.analysis.ratings_graph import is_strongly_connected

CHUNK = 25
"""Bootstrap rounds fitted together; also the granularity of progress reports."""


def bootstrap(
    cells: PairCells,
    theta_hat: FloatArray,
    *,
    rounds: int,
    seed: int | None,
    reweight: bool,
    ridge: float | None,
    progress: Callable[[int], None] | None = None,
    workers: int = 2,
) -> tuple[FloatArray, int]:
    """Log-strengths of `rounds` bootstrap refits (rounds, k) and how many rounds were degenerate.

    Rounds start at the point estimate and iterate with its inverse Hessian (`chord`); the rare
    round that does not settle is refitted by full Newton. A round is degenerate when its resample
    has no maximum-likelihood estimate (a model drew no wins, say); it is then fitted with the
    separation ridge rather than dropped, as dropping would bias the interval towards
    well-behaved resamples. Chunks have their own seeded streams, so results do not depend on
    how they are scheduled over threads.
    """
    flat = cells.n.ravel()
    total = round(float(flat.sum()))
    probs = flat / flat.sum()
    penalty = 0.0 if ridge is None else ridge
    big_n, big_s = totals(cells.n[None])
    if reweight:
        weight = pair_weights(big_n)
        big_n, big_s = big_n * weight, big_s * weight
    hess_inv = np.linalg.inv(hessian(cells, big_n, theta_hat[None], np.array([penalty]))[0])
    sizes = [min(CHUNK, rounds - start) for start in range(0, rounds, CHUNK)]
    streams = np.random.SeedSequence(seed).spawn(len(sizes))

    def run(chunk: int) -> tuple[FloatArray, int]:
        rng = np.random.default_rng(streams[chunk])
        draws = rng.multinomial(total, probs, size=sizes[chunk]).astype(np.float64)
        round_n, round_s = totals(draws.reshape(sizes[chunk], cells.n_pairs, 3))
        if reweight:
            weight = pair_weights(round_n)
            round_n, round_s = round_n * weight, round_s * weight
        start = np.repeat(theta_hat[None, :], sizes[chunk], axis=0)
        theta, ok = chord(cells, round_n, round_s, start, penalty, hess_inv)
        redo = np.flatnonzero(~ok)
        degenerate = 0
        if redo.size:
            ridges = np.full(redo.size, penalty)
            if ridge is None:
                for pos, row in enumerate(redo):
                    if not is_strongly_connected(cells, round_n[row], round_s[row]):
                        ridges[pos] = SEPARATION_RIDGE
                        degenerate += 1
            theta[redo], _ = newton(cells, round_n[redo], round_s[redo], start[redo], ridges)
        return theta, degenerate

    results: list[FloatArray] = []
    degenerate = 0
    done = 0
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for theta, bad in pool.map(run, range(len(sizes))):
            results.append(theta)
            degenerate += bad
            done += theta.shape[0]
            if progress is not None:
                progress(done)
    return np.concatenate(results, axis=0), degenerate


def sandwich(cells: PairCells, theta: FloatArray, *, ridge: float, reweight: bool) -> FloatArray:
    """Robust (sandwich) covariance of the log-strengths: H^-1 M H^-1.

    Ties scored as half wins make the Bradley-Terry likelihood a working model, not the true one:
    a tie has less variance than a coin flip. The sandwich estimates the spread from the observed
    residuals per cell, so it matches what the bootstrap sees. The covariance is of the log-
    strengths up to a common shift; use it through contrasts (centred or anchored ratings).
    """
    big_n, _ = totals(cells.n[None])
    weight = pair_weights(big_n)[0] if reweight else np.ones(cells.n_pairs)
    hess = hessian(cells, weight * big_n, theta[None], np.array([ridge]))[0]
    prob = sigmoid(cells.differences(theta))
    resid2 = (CELL_SCORE[None, :] - prob[:, None]) ** 2
    meat_w = weight**2 * (cells.n * resid2).sum(axis=1)
    meat = laplacian(cells, meat_w[None, :])[0]
    bread = np.linalg.inv(hess)
    return np.asarray(bread @ meat @ bread)


def uncertainty_ranks(low: FloatArray, high: FloatArray) -> np.ndarray:
    """Arena rank: 1 + the number of models whose lower bound is above this model's upper bound."""
    return 1 + (low[None, :] > high[:, None]).sum(axis=1)
