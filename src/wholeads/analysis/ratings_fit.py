"""Bradley-Terry maximum likelihood on aggregated pair cells: the numerical core of the ratings.

Every battle between models i < j lands in one of three cells (i won, j won, tie), so a Newton
step costs O(pairs) however many battles there were. The solvers are batched: B independent fits
(the point estimate, or B bootstrap rounds) share one vectorised loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.special import expit

from wholeads.errors import ConvergenceError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

ELO = 400.0 / math.log(10.0)
"""Rating points per unit of natural log-odds (Elo scale: 400 points = 10:1 odds)."""

SEPARATION_RIDGE = 1e-3
"""L2 penalty (natural log-odds units), used only when the maximum-likelihood estimate is infinite.

It keeps a model that never wins (or never loses) finite; with data this weak its rating is set by
the penalty, not the battles, which is why such models are flagged.
"""

CELL_SCORE = np.array([1.0, 0.0, 0.5])
"""Score of a pair's first model in its three cells: it won, it lost, tie."""


@dataclass(frozen=True)
class PairCells:
    """Battles reduced to unordered pairs (i < j) with three outcome cells each."""

    k: int
    i: IntArray
    """First (lower-index) model of each pair."""
    j: IntArray
    """Second model of each pair."""
    n: FloatArray
    """Battles per pair and cell, shape (pairs, 3): i won, j won, tie."""

    @property
    def n_pairs(self) -> int:
        return int(self.i.size)

    @cached_property
    def signed(self) -> sparse.csr_matrix:
        """Incidence (k, pairs): +1 for the pair's model i, -1 for its model j."""
        p = self.n_pairs
        cols = np.arange(p)
        return sparse.csr_matrix(
            (np.r_[np.ones(p), -np.ones(p)], (np.r_[self.i, self.j], np.r_[cols, cols])),
            shape=(self.k, p),
        )

    @cached_property
    def unsigned(self) -> sparse.csr_matrix:
        return abs(self.signed)


def totals(n: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-pair battle totals N and scores S of the first model, from cells (..., pairs, 3)."""
    return n.sum(axis=-1), n[..., 0] + 0.5 * n[..., 2]


def pair_cells(k: int, a: IntArray, b: IntArray, outcome: IntArray, count: IntArray) -> PairCells:
    """Collapse (model_a, model_b, outcome) counts to unordered pairs and their three cells."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    cell = np.where(outcome == 2, 2, np.where((outcome == 0) == (a == lo), 0, 1))
    keep = count > 0
    pairs, pair_index = np.unique((lo * k + hi)[keep], return_inverse=True)
    n = np.zeros((pairs.size, 3))
    np.add.at(n, (pair_index, cell[keep]), count[keep].astype(np.float64))
    return PairCells(k=k, i=(pairs // k).astype(np.int64), j=(pairs % k).astype(np.int64), n=n)


def pair_weights(big_n: FloatArray) -> FloatArray:
    """Inverse pair frequency: every observed pair carries the same total weight.

    Weights are scaled so that the total weight equals the number of battles, which keeps the
    penalty and tolerances on the same footing as an unweighted fit.
    """
    observed = big_n > 0
    per_pair = big_n.sum(axis=-1, keepdims=True) / np.maximum(
        observed.sum(axis=-1, keepdims=True), 1
    )
    return np.where(observed, per_pair / np.where(observed, big_n, 1.0), 0.0)


def components(cells: PairCells, big_n: FloatArray) -> tuple[int, IntArray]:
    """Connected components of the comparison graph (who played whom)."""
    played = big_n > 0
    graph = sparse.coo_matrix(
        (np.ones(int(played.sum())), (cells.i[played], cells.j[played])), shape=(cells.k, cells.k)
    )
    n_comp, labels = connected_components(graph, directed=False)
    return int(n_comp), labels.astype(np.int64)


def strong_components(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray
) -> tuple[int, IntArray]:
    """Strongly connected components of the "scored against" graph (Hunter 2004, condition A).

    The maximum-likelihood estimate exists if and only if this graph is strongly connected: every
    split of the models into two groups has a win (or tie) from each side over the other.
    """
    fwd = big_s > 0
    back = big_n - big_s > 0
    rows = np.concatenate([cells.i[fwd], cells.j[back]])
    cols = np.concatenate([cells.j[fwd], cells.i[back]])
    graph = sparse.coo_matrix((np.ones(rows.size), (rows, cols)), shape=(cells.k, cells.k))
    n_comp, labels = connected_components(graph, directed=True, connection="strong")
    return int(n_comp), labels.astype(np.int64)


def laplacian(cells: PairCells, weight: FloatArray) -> FloatArray:
    """Batched weighted graph Laplacians (B, k, k): the Hessian of the Bradley-Terry likelihood."""
    out = np.zeros((weight.shape[0], cells.k, cells.k))
    out[:, cells.i, cells.j] = -weight
    out[:, cells.j, cells.i] = -weight
    diag = np.arange(cells.k)
    out[:, diag, diag] = np.asarray((cells.unsigned @ weight.T).T)
    return out


def hessian(
    cells: PairCells, big_n: FloatArray, theta: FloatArray, ridge: FloatArray
) -> FloatArray:
    """Hessians (B, k, k) of the penalised negative log-likelihood, made regular along 1 when
    unpenalised (the only direction the data cannot fix; steps stay centred)."""
    prob = expit(theta[:, cells.i] - theta[:, cells.j])
    hess = laplacian(cells, big_n * prob * (1.0 - prob))
    diag = np.arange(cells.k)
    hess[:, diag, diag] += ridge[:, None]
    hess[ridge == 0] += 1.0 / cells.k
    return hess


def gradient(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray, theta: FloatArray, ridge: FloatArray
) -> FloatArray:
    """Gradients (B, k) of the penalised negative log-likelihood."""
    resid = big_n * expit(theta[:, cells.i] - theta[:, cells.j]) - big_s
    return np.asarray((cells.signed @ resid.T).T) + ridge[:, None] * theta


def objective(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray, theta: FloatArray, ridge: FloatArray
) -> FloatArray:
    """Penalised negative log-likelihoods (B,)."""
    d = theta[:, cells.i] - theta[:, cells.j]
    nll = (big_n * np.logaddexp(0.0, d) - big_s * d).sum(axis=1)
    return np.asarray(nll + 0.5 * ridge * (theta**2).sum(axis=1))


def newton(
    cells: PairCells,
    big_n: FloatArray,
    big_s: FloatArray,
    theta0: FloatArray,
    ridge: FloatArray,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> tuple[FloatArray, int]:
    """Fit B Bradley-Terry problems by damped Newton; returns log-strengths and iterations.

    The likelihood is convex, so Newton with step halving converges from any start. Unpenalised
    rows are kept centred (sum of log-strengths zero).
    """
    theta = theta0.astype(np.float64, copy=True)
    value = objective(cells, big_n, big_s, theta, ridge)
    active = np.ones(theta.shape[0], dtype=bool)
    for iteration in range(1, max_iter + 1):
        rows = np.flatnonzero(active)
        n_r, s_r, ridge_r, current = big_n[rows], big_s[rows], ridge[rows], theta[rows]
        grad = gradient(cells, n_r, s_r, current, ridge_r)
        hess = hessian(cells, n_r, current, ridge_r)
        step = np.linalg.solve(hess, grad[..., None])[..., 0]
        scale = np.ones(rows.size)
        cand = current - step
        cand_value = objective(cells, n_r, s_r, cand, ridge_r)
        slack = 1e-12 * (np.abs(value[rows]) + 1.0)
        for _ in range(60):
            worse = cand_value > value[rows] + slack
            if not worse.any():
                break
            scale[worse] /= 2.0
            cand[worse] = current[worse] - scale[worse, None] * step[worse]
            cand_value[worse] = objective(
                cells, n_r[worse], s_r[worse], cand[worse], ridge_r[worse]
            )
        free = ridge_r == 0
        cand[free] -= cand[free].mean(axis=1, keepdims=True)
        theta[rows], value[rows] = cand, cand_value
        moved = np.abs(scale[:, None] * step).max(axis=1)
        active[rows[moved < tol]] = False
        if not active.any():
            return theta, iteration
    raise ConvergenceError(
        f"Bradley-Terry fit did not converge after {max_iter} Newton iterations "
        f"({int(active.sum())} of {theta.shape[0]} problems still moving)"
    )


def chord(
    cells: PairCells,
    big_n: FloatArray,
    big_s: FloatArray,
    theta0: FloatArray,
    ridge: float,
    hess_inv: FloatArray,
    *,
    tol: float = 1e-6,
    max_iter: int = 40,
) -> tuple[FloatArray, BoolArray]:
    """Newton iterations with one fixed inverse Hessian shared by all B problems.

    For bootstrap rounds warm-started at the point estimate, the point estimate's Hessian is
    within a few percent of each round's own, so these cheap steps (no factorisation per round)
    contract quickly (by ~10x per step on the benchmark). The default tolerance (1e-6 log-odds,
    about 2e-4 rating points per step, leaving ~2e-5 points of error) is far below what percentile
    intervals resolve. Rows that stop contracting are reported as not converged; the caller
    refits them with `newton`.
    """
    theta = theta0.astype(np.float64, copy=True)
    ridges = np.full(theta.shape[0], ridge)
    ok = np.zeros(theta.shape[0], dtype=bool)
    failed = np.zeros(theta.shape[0], dtype=bool)
    last = np.full(theta.shape[0], np.inf)
    for _ in range(max_iter):
        rows = np.flatnonzero(~ok & ~failed)
        if rows.size == 0:
            break
        step = gradient(cells, big_n[rows], big_s[rows], theta[rows], ridges[rows]) @ hess_inv
        theta[rows] -= step
        if ridge == 0:
            theta[rows] -= theta[rows].mean(axis=1, keepdims=True)
        size = np.abs(step).max(axis=1)
        ok[rows[size < tol]] = True
        failed[rows[(size >= tol) & (size > 0.5 * last[rows])]] = True
        last[rows] = size
    return theta, ok
