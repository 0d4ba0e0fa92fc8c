"""Style control: Bradley-Terry ratings with battle-level covariates (arena "style control").

The win log-odds of model_a over model_b become (theta_a - theta_b) + z . beta, where z holds
feature differences of the two answers (e.g. normalised length difference). Ratings are then
what is left once style is accounted for. beta gets an L2 penalty (`l2 / 2 * |beta|^2`, natural
log-odds units) as in the arena notebooks; standardise features so one penalty fits all.

Continuous covariates have no small sufficient statistics, so this mode works on one row per
battle: a Newton step costs O(battles * features^2), still with a (k + p) square solve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from wholeads.analysis.ratings import (
    CENTER,
    CiMethod,
    PairCounts,
    Ratings,
    anchor_index,
    model_flags,
    prepare,
    rating_contrast,
)
from wholeads.analysis.ratings_ci import uncertainty_ranks
from wholeads.analysis.ratings_fit import ELO, SEPARATION_RIDGE, FloatArray, IntArray
from wholeads.errors import ConvergenceError, UserError

_SCORE = np.array([1.0, 0.0, 0.5])


@dataclass(frozen=True)
class _Battles:
    k: int
    a: IntArray
    b: IntArray
    y: FloatArray
    z: FloatArray

    def linear(self, phi: FloatArray) -> FloatArray:
        return phi[self.a] - phi[self.b] + self.z @ phi[self.k :]

    def outer(self, weight: FloatArray, ridge: float, l2: float) -> FloatArray:
        """Sum of weight * x x^T over battles, x = (e_a - e_b, z): Hessian or sandwich meat."""
        k, p = self.k, self.z.shape[1]
        out = np.zeros((k + p, k + p))
        pair = np.bincount(self.a * k + self.b, weight, k * k).reshape(k, k)
        pair = pair + pair.T
        out[:k, :k] = np.diag(pair.sum(axis=1)) - pair
        wz = weight[:, None] * self.z
        cross = np.stack(
            [np.bincount(self.a, wz[:, q], k) - np.bincount(self.b, wz[:, q], k) for q in range(p)],
            axis=1,
        )
        out[:k, k:], out[k:, :k] = cross, cross.T
        out[k:, k:] = self.z.T @ wz + l2 * np.eye(p)
        out[:k, :k] += ridge * np.eye(k)
        return out


def rate_style(
    counts_models: Sequence[str],
    a: IntArray,
    b: IntArray,
    outcome: IntArray,
    features: FloatArray,
    feature_names: Sequence[str],
    *,
    l2: float = 1.0,
    ci: CiMethod = "sandwich",
    rounds: int = 100,
    seed: int | None = None,
    level: float = 0.95,
    anchor: tuple[str, float] | None = None,
) -> Ratings:
    """Style-controlled ratings; `extra['style']` maps each feature to coef and interval.

    `a`, `b` index `counts_models`; `outcome` is 0 (a won), 1 (b won) or 2 (tie); `features` is
    (battles, p) of a-minus-b differences. Coefficients are in natural log-odds per unit.
    """
    z = np.asarray(features, dtype=np.float64).reshape(len(a), -1)
    if z.shape[1] != len(feature_names):
        raise UserError(f"{z.shape[1]} feature columns but {len(feature_names)} names")
    models = tuple(counts_models)
    k = len(models)
    key, count = np.unique((a * k + b) * 3 + outcome, return_counts=True)
    counts = PairCounts(models, key // 3 // k, key // 3 % k, key % 3, count)
    cells, big_n, big_s = prepare(counts, reweight=False)
    flags, separated = model_flags(counts, cells, big_n, big_s)
    ridge = SEPARATION_RIDGE if separated else 0.0
    data = _Battles(k, np.asarray(a), np.asarray(b), _SCORE[outcome], z)
    phi = _fit(data, np.ones(len(a)), np.zeros(k + z.shape[1]), ridge, l2)
    contrast = rating_contrast(k, anchor_index(models, anchor))
    offset = CENTER if anchor is None else anchor[1]
    rating = offset + ELO * (contrast @ phi[:k])
    coef = phi[k:]
    tail = (1.0 - level) / 2.0
    if ci == "sandwich":
        cov = _sandwich(data, phi, ridge, l2)
        z_crit = NormalDist().inv_cdf(1.0 - tail)
        se_r = ELO * np.sqrt(np.clip(np.diag(contrast @ cov[:k, :k] @ contrast.T), 0, None))
        se_c = np.sqrt(np.clip(np.diag(cov[k:, k:]), 0, None))
        low, high = rating - z_crit * se_r, rating + z_crit * se_r
        c_low, c_high = coef - z_crit * se_c, coef + z_crit * se_c
    elif ci == "bootstrap":
        rng = np.random.default_rng(seed)
        draws = np.empty((rounds, phi.size))
        for r in range(rounds):
            weight = np.bincount(rng.integers(0, len(a), len(a)), minlength=len(a))
            draws[r] = _fit(data, weight.astype(np.float64), phi, ridge, l2)
        samples = offset + ELO * (draws[:, :k] @ contrast.T)
        low, high = np.quantile(samples, [tail, 1.0 - tail], axis=0)
        c_low, c_high = np.quantile(draws[:, k:], [tail, 1.0 - tail], axis=0)
    else:
        low, high, c_low, c_high = rating.copy(), rating.copy(), coef.copy(), coef.copy()
    style = {
        name: {"coef": float(coef[q]), "ci_low": float(c_low[q]), "ci_high": float(c_high[q])}
        for q, name in enumerate(feature_names)
    }
    return Ratings(
        models=models,
        rating=rating,
        ci_low=low,
        ci_high=high,
        rank=uncertainty_ranks(low, high),
        battles=counts.battles_per_model(),
        flags=flags,
        ci=ci,
        level=level,
        iterations=0,
        extra={"style": style, "l2": l2},
    )


def _objective(
    data: _Battles, weight: FloatArray, phi: FloatArray, ridge: float, l2: float
) -> float:
    d = data.linear(phi)
    nll = float((weight * (np.logaddexp(0.0, d) - data.y * d)).sum())
    return (
        nll
        + 0.5 * ridge * float(phi[: data.k] @ phi[: data.k])
        + 0.5 * l2 * float(phi[data.k :] @ phi[data.k :])
    )


def _fit(
    data: _Battles,
    weight: FloatArray,
    start: FloatArray,
    ridge: float,
    l2: float,
    *,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> FloatArray:
    """Damped Newton on (theta, beta); theta centred when unpenalised."""
    k = data.k
    phi = start.copy()
    value = _objective(data, weight, phi, ridge, l2)
    for _ in range(max_iter):
        prob = 1.0 / (1.0 + np.exp(-data.linear(phi)))
        resid = weight * (prob - data.y)
        grad = np.concatenate(
            [
                np.bincount(data.a, resid, k) - np.bincount(data.b, resid, k) + ridge * phi[:k],
                data.z.T @ resid + l2 * phi[k:],
            ]
        )
        hess = data.outer(weight * prob * (1.0 - prob), ridge, l2)
        if ridge == 0:
            hess[:k, :k] += 1.0 / k
        step = np.linalg.solve(hess, grad)
        scale = 1.0
        while (cand_value := _objective(data, weight, phi - scale * step, ridge, l2)) > value + (
            1e-12 * (abs(value) + 1.0)
        ) and scale > 1e-12:
            scale /= 2.0
        phi = phi - scale * step
        if ridge == 0:
            phi[:k] -= phi[:k].mean()
        value = cand_value
        if np.abs(scale * step).max() < tol:
            return phi
    raise ConvergenceError(f"style-control fit did not converge after {max_iter} Newton iterations")


def _sandwich(data: _Battles, phi: FloatArray, ridge: float, l2: float) -> FloatArray:
    prob = 1.0 / (1.0 + np.exp(-data.linear(phi)))
    hess = data.outer(prob * (1.0 - prob), ridge, l2)
    if ridge == 0:
        hess[: data.k, : data.k] += 1.0 / data.k
    meat = data.outer((data.y - prob) ** 2, 0.0, 0.0)
    bread = np.linalg.inv(hess)
    return np.asarray(bread @ meat @ bread)
