"""Bradley-Terry maximum likelihood on aggregated pair cells: the numerical core of the ratings.

Every battle between models i < j lands in one of three cells (i won, j won, tie), so a Newton
step costs O(pairs) however many battles there were. The solvers are batched: B independent fits
(the point estimate, or B bootstrap rounds) share one loop.

Only numpy is imported: sums over each model's pairs are segment sums over pairs sorted by model
(cache-friendly, one problem at a time), not sparse matrix products; the graph checks that decide
whether a fit exists are in `ratings_graph`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

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


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the dense algebra on one BLAS thread.

    The matrices are small (models x models) and the bootstrap already runs one chunk per core;
    a multithreaded BLAS on top spins its threads against the other work on a busy machine, which
    made the Newton fit 10-60x slower under load.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def half_tanh(x: FloatArray) -> FloatArray:
    """tanh(x / 2), the shared part of the logistic function and its derivative (new array)."""
    out = np.multiply(x, 0.5)
    np.tanh(out, out=out)
    return out


def sigmoid(x: FloatArray) -> FloatArray:
    """Logistic function, as (1 + tanh(x / 2)) / 2: no overflow at any x (unlike 1 / (1 + e^-x))."""
    out = half_tanh(x)
    out += 1.0
    out *= 0.5
    return out


def sigmoid_slope(x: FloatArray) -> FloatArray:
    """Derivative p (1 - p) of the logistic function, as (1 - tanh(x / 2)^2) / 4."""
    out = half_tanh(x)
    np.square(out, out=out)
    np.subtract(1.0, out, out=out)
    out *= 0.25
    return out


@dataclass(frozen=True)
class _Side:
    """Pairs grouped by one of their two models: the order, where each group starts, its model."""

    order: IntArray | None
    """Permutation that sorts the pairs by this side's model; None when they already are."""
    starts: IntArray
    models: IntArray

    @classmethod
    def of(cls, model: IntArray) -> _Side:
        if model.size == 0:
            return cls(None, np.zeros(0, np.int64), np.zeros(0, np.int64))
        ordered = bool(np.all(model[1:] >= model[:-1]))
        order = None if ordered else np.argsort(model, kind="stable")
        sorted_model = model if order is None else model[order]
        starts = np.flatnonzero(np.r_[True, sorted_model[1:] != sorted_model[:-1]])
        return cls(order, starts, sorted_model[starts])

    def sums(self, values: FloatArray) -> FloatArray:
        """Sum of `values` (one per pair) over each group, in `models` order."""
        if values.size == 0:
            return np.zeros(0)
        ordered = values if self.order is None else np.take(values, self.order)
        return np.add.reduceat(ordered, self.starts)


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
    def _first(self) -> _Side:
        return _Side.of(self.i)

    @cached_property
    def _second(self) -> _Side:
        return _Side.of(self.j)

    @cached_property
    def flat_index(self) -> tuple[IntArray, IntArray]:
        """Positions of (i, j) and (j, i) in a flattened models x models matrix."""
        return self.i * self.k + self.j, self.j * self.k + self.i

    def differences(self, theta: FloatArray) -> FloatArray:
        """theta_i - theta_j for every pair, from one vector of log-strengths (k,)."""
        out = np.take(theta, self.i)
        out -= np.take(theta, self.j)
        return out

    def net(self, values: FloatArray) -> FloatArray:
        """Per model: `values` summed over the pairs where it is i, minus those where it is j."""
        out = np.zeros(self.k)
        out[self._first.models] = self._first.sums(values)
        out[self._second.models] -= self._second.sums(values)
        return out

    def total(self, values: FloatArray) -> FloatArray:
        """Per model: `values` summed over all of its pairs."""
        out = np.zeros(self.k)
        out[self._first.models] = self._first.sums(values)
        out[self._second.models] += self._second.sums(values)
        return out


def totals(n: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-pair battle totals N and scores S of the first model, from cells (..., pairs, 3)."""
    return n.sum(axis=-1), n[..., 0] + 0.5 * n[..., 2]


def pair_cells(k: int, a: IntArray, b: IntArray, outcome: IntArray, count: IntArray) -> PairCells:
    """Collapse (model_a, model_b, outcome) counts to unordered pairs and their three cells.

    Pairs come out sorted by (i, j), so the sums over a model's pairs as first model need no
    reordering.
    """
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    cell = np.where(outcome == 2, 2, np.where((outcome == 0) == (a == lo), 0, 1))
    keep = count > 0
    keys, where = np.unique(((lo * k + hi) * 3 + cell)[keep], return_inverse=True)
    summed = np.bincount(where, count[keep].astype(np.float64), keys.size)
    pair = keys // 3
    new_pair = np.r_[True, pair[1:] != pair[:-1]] if pair.size else np.zeros(0, bool)
    n = np.zeros((int(new_pair.sum()), 3))
    n[np.cumsum(new_pair) - 1, keys % 3] = summed
    pairs = pair[new_pair]
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


def laplacian(cells: PairCells, weight: FloatArray) -> FloatArray:
    """Batched weighted graph Laplacians (B, k, k): the Hessian of the Bradley-Terry likelihood."""
    k = cells.k
    out = np.zeros((weight.shape[0], k * k))
    ij, ji = cells.flat_index
    out[:, ij] = -weight
    out[:, ji] = -weight
    square = out.reshape(weight.shape[0], k, k)
    diag = np.arange(k)
    for row in range(weight.shape[0]):
        square[row, diag, diag] = cells.total(weight[row])
    return square


def hessian(
    cells: PairCells, big_n: FloatArray, theta: FloatArray, ridge: FloatArray
) -> FloatArray:
    """Hessians (B, k, k) of the penalised negative log-likelihood, made regular along 1 when
    unpenalised (the only direction the data cannot fix; steps stay centred)."""
    slope = np.stack([sigmoid_slope(cells.differences(t)) for t in theta])
    hess = laplacian(cells, big_n * slope)
    diag = np.arange(cells.k)
    hess[:, diag, diag] += ridge[:, None]
    hess[ridge == 0] += 1.0 / cells.k
    return hess


def gradient(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray, theta: FloatArray, ridge: FloatArray
) -> FloatArray:
    """Gradients (B, k) of the penalised negative log-likelihood, one problem at a time (each
    problem's pair arrays stay in cache, which a (B, pairs) array at 1,000 models does not)."""
    out = np.empty_like(theta)
    for row in range(theta.shape[0]):
        resid = sigmoid(cells.differences(theta[row]))
        resid *= big_n[row]
        resid -= big_s[row]
        out[row] = cells.net(resid)
    out += ridge[:, None] * theta
    return out


def objective(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray, theta: FloatArray, ridge: FloatArray
) -> FloatArray:
    """Penalised negative log-likelihoods (B,)."""
    out = np.empty(theta.shape[0])
    for row in range(theta.shape[0]):
        d = cells.differences(theta[row])
        out[row] = big_n[row] @ np.logaddexp(0.0, d) - big_s[row] @ d
    return np.asarray(out + 0.5 * ridge * (theta**2).sum(axis=1))


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
    depth: int = 3,
) -> tuple[FloatArray, BoolArray]:
    """Newton iterations with one fixed inverse Hessian shared by all B problems, accelerated.

    For bootstrap rounds warm-started at the point estimate, the point estimate's Hessian is
    within a few percent of each round's own, so these cheap steps (no factorisation per round)
    contract quickly. Anderson mixing over the last `depth` steps extrapolates where they are
    heading (on this nearly linear problem it acts like GMRES), which saves about a third of the
    gradient evaluations at 1,000 models, where the rare models' resampled counts make the plain
    steps contract slowly. The default tolerance (1e-6 log-odds, about 2e-4 rating points per
    step) is far below what percentile intervals resolve. Rows whose steps stop shrinking are
    reported as not converged; the caller refits them with `newton`.
    """
    theta = theta0.astype(np.float64, copy=True)
    ridges = np.full(theta.shape[0], ridge)
    ok = np.zeros(theta.shape[0], dtype=bool)
    failed = np.zeros(theta.shape[0], dtype=bool)
    last = np.full(theta.shape[0], np.inf)
    previous = np.zeros((2, *theta.shape))
    history = np.zeros((2, theta.shape[0], depth, theta.shape[1]))
    for iteration in range(max_iter):
        rows = np.flatnonzero(~ok & ~failed)
        if rows.size == 0:
            break
        current = theta[rows]
        step = gradient(cells, big_n[rows], big_s[rows], current, ridges[rows]) @ hess_inv
        update = current - step
        if iteration and depth:
            slot = (iteration - 1) % depth
            history[0, rows, slot] = current - previous[0, rows]
            history[1, rows, slot] = previous[1, rows] - step
            used = min(iteration, depth)
            update -= anderson_correction(history[0, rows, :used], history[1, rows, :used], step)
        previous[0, rows], previous[1, rows] = current, step
        if ridge == 0:
            update -= update.mean(axis=1, keepdims=True)
        theta[rows] = update
        size = np.abs(step).max(axis=1)
        ok[rows[size < tol]] = True
        failed[rows[(size >= tol) & (size > last[rows])]] = True
        last[rows] = size
    return theta, ok


def anderson_correction(moves: FloatArray, changes: FloatArray, step: FloatArray) -> FloatArray:
    """Anderson (type II) correction to subtract from `current - step`, per row.

    `moves` (B, m, k) are the last differences of the iterates, `changes` those of the fixed-point
    residuals -step; the weights make the residual's linear model as small as possible (least
    squares, with a tiny ridge for when the last steps are nearly parallel).
    """
    gram = np.einsum("bmk,bnk->bmn", changes, changes)
    scale = np.einsum("bmm->b", gram)[:, None, None] + 1e-300
    gram += 1e-10 * scale * np.eye(gram.shape[1])
    weight = np.linalg.solve(gram, np.einsum("bmk,bk->bm", changes, -step)[..., None])[..., 0]
    return np.asarray(np.einsum("bm,bmk->bk", weight, moves + changes))
