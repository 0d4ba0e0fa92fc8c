"""Arena ratings: Bradley-Terry on the Elo scale from pairwise votes, with confidence intervals.

Same statistics as the public arena leaderboards (maximum likelihood, ties as half a win for each
side, 400 points per factor of 10 in odds, percentile bootstrap over battles, rank = 1 + models
whose interval lies entirely above), computed from sufficient statistics: battles are reduced to
counts per (model_a, model_b, outcome) once, and every fit and bootstrap round works on those.

Decisions worth knowing:
- The estimate is the exact, unpenalised MLE whenever it exists. When it does not (a model never
  wins or never loses, or more generally a group that never loses to the rest), a small ridge
  (`SEPARATION_RIDGE`) keeps every rating finite and the affected models are flagged.
- A disconnected comparison graph raises `NotFittableError` listing the components: ratings in
  different components are not comparable, and silently fitting each would invite comparing them.
  Filter to one component (`restrict`) to fit it.
- `min_battles` drops models with fewer battles once, before fitting (as the arena notebooks do).
- `reweight=True` gives each observed pair the same total weight (inverse pair frequency), so
  popular match-ups do not dominate; bootstrap rounds recompute the weights from their resample.
- Style control (feature covariates with an L2 penalty) is in `ratings_style`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any, Literal

import numpy as np

from wholeads.analysis.ratings_ci import bootstrap, sandwich, uncertainty_ranks
from wholeads.analysis.ratings_fit import (
    ELO,
    SEPARATION_RIDGE,
    FloatArray,
    IntArray,
    PairCells,
    newton,
    one_blas_thread,
    pair_cells,
    pair_weights,
    totals,
)
from wholeads.analysis.ratings_graph import (
    components,
    is_connected,
    is_strongly_connected,
    strong_components,
)
from wholeads.errors import NotFittableError, UserError

OUTCOMES = {"model_a": 0, "model_b": 1, "tie": 2, "tie (bothbad)": 2}
"""Arena `winner` values and their outcome codes: 0 = model_a won, 1 = model_b won, 2 = tie."""

CENTER = 1000.0
"""Mean rating when no anchor is given."""

CiMethod = Literal["bootstrap", "sandwich", "none"]


@dataclass(frozen=True)
class PairCounts:
    """Sufficient statistics of a battle log: how many battles per (model_a, model_b, outcome)."""

    models: tuple[str, ...]
    """Model names; `a` and `b` index into this tuple."""
    a: IntArray
    b: IntArray
    outcome: IntArray
    """0 = model_a won, 1 = model_b won, 2 = tie (either kind)."""
    count: IntArray

    def __post_init__(self) -> None:
        sizes = {self.a.size, self.b.size, self.outcome.size, self.count.size}
        if len(sizes) != 1:
            raise ValueError("PairCounts arrays must have the same length")
        if np.any(self.a == self.b):
            raise ValueError("PairCounts contains a model playing itself")

    @property
    def n_battles(self) -> int:
        return int(self.count.sum())

    def battles_per_model(self) -> IntArray:
        """Battles each model took part in, in `models` order."""
        k = len(self.models)
        per = np.bincount(self.a, self.count, k) + np.bincount(self.b, self.count, k)
        return per.astype(np.int64)


def count_battles(
    model_a: Sequence[str], model_b: Sequence[str], winner: Sequence[str]
) -> PairCounts:
    """Aggregate in-memory battles (arena `winner` strings) into counts; files go via `battles`."""
    unknown = sorted(set(winner) - set(OUTCOMES))
    if unknown:
        raise UserError(f"unknown winner value(s) {unknown}; expected one of {sorted(OUTCOMES)}")
    models, idx = np.unique(
        np.asarray(list(model_a) + list(model_b), dtype=object), return_inverse=True
    )
    n = len(model_a)
    code = np.array([OUTCOMES[w] for w in winner], dtype=np.int64)
    k = models.size
    key = (idx[:n] * k + idx[n:]) * 3 + code
    cells, counts = np.unique(key, return_counts=True)
    return PairCounts(
        models=tuple(str(m) for m in models),
        a=(cells // 3 // k).astype(np.int64),
        b=(cells // 3 % k).astype(np.int64),
        outcome=(cells % 3).astype(np.int64),
        count=counts.astype(np.int64),
    )


def restrict(counts: PairCounts, keep: Sequence[str]) -> PairCounts:
    """Counts among the `keep` models only (battles with any other model are dropped)."""
    wanted = set(keep)
    mask = np.array([m in wanted for m in counts.models], dtype=bool)
    new_index = np.cumsum(mask) - 1
    rows = mask[counts.a] & mask[counts.b]
    return PairCounts(
        models=tuple(m for m, k in zip(counts.models, mask, strict=True) if k),
        a=new_index[counts.a[rows]],
        b=new_index[counts.b[rows]],
        outcome=counts.outcome[rows],
        count=counts.count[rows],
    )


@dataclass(frozen=True)
class Ratings:
    """Ratings with confidence intervals, one entry per model (arrays in `models` order)."""

    models: tuple[str, ...]
    rating: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    rank: IntArray
    battles: IntArray
    flags: tuple[tuple[str, ...], ...]
    """Per model: 'never_wins', 'never_loses', 'separated' (rating set by the ridge, not data)."""
    ci: CiMethod
    level: float
    iterations: int
    """Newton iterations of the point fit."""
    degenerate_rounds: int = 0
    """Bootstrap rounds whose resample had no MLE and were fitted with the ridge."""
    samples: FloatArray | None = None
    """Bootstrap ratings (rounds, models), when the intervals came from the bootstrap."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Mode-specific results, e.g. style coefficients."""

    def to_records(self) -> list[dict[str, Any]]:
        """Leaderboard rows sorted by rank then rating: the shape of `wholeads arena --json`."""
        order = sorted(range(len(self.models)), key=lambda m: (self.rank[m], -self.rating[m]))
        return [
            {
                "model": self.models[m],
                "rating": round(float(self.rating[m]), 2),
                "ci_low": round(float(self.ci_low[m]), 2),
                "ci_high": round(float(self.ci_high[m]), 2),
                "rank": int(self.rank[m]),
                "battles": int(self.battles[m]),
                "flags": list(self.flags[m]),
            }
            for m in order
        ]


def rate(
    counts: PairCounts,
    *,
    ci: CiMethod = "bootstrap",
    rounds: int = 100,
    seed: int | None = None,
    level: float = 0.95,
    anchor: tuple[str, float] | None = None,
    min_battles: int = 0,
    reweight: bool = False,
    ridge: float | None = None,
    progress: Callable[[int], None] | None = None,
) -> Ratings:
    """Fit Bradley-Terry ratings and their intervals from battle counts.

    `ridge=None` means: exact MLE when it exists, else `SEPARATION_RIDGE`; a number forces that
    L2 penalty (natural log-odds units) on every fit. `progress` receives bootstrap rounds done.
    """
    if not 0 < level < 1:
        raise UserError(f"confidence level must be between 0 and 1, got {level}")
    if ci not in ("bootstrap", "sandwich", "none"):
        raise UserError(f"unknown interval method {ci!r}; use bootstrap, sandwich or none")
    if ci == "bootstrap" and rounds < 2:
        raise UserError("the bootstrap needs at least 2 rounds")
    counts = _apply_min_battles(counts, min_battles)
    cells, big_n, big_s = prepare(counts, reweight)
    anchor_at = anchor_index(counts.models, anchor)
    flags, separated = model_flags(counts, cells, big_n, big_s)
    penalty = (SEPARATION_RIDGE if separated else 0.0) if ridge is None else ridge
    with one_blas_thread():
        theta, iterations = newton(cells, big_n, big_s, np.zeros((1, cells.k)), np.array([penalty]))
        contrast = rating_contrast(cells.k, anchor_at)
        offset = CENTER if anchor is None else anchor[1]
        rating = offset + ELO * (contrast @ theta[0])
        samples = None
        degenerate = 0
        if ci == "bootstrap":
            draws, degenerate = bootstrap(
                cells,
                theta[0],
                rounds=rounds,
                seed=seed,
                reweight=reweight,
                ridge=None if ridge is None and not separated else penalty,
                progress=progress,
            )
            samples = offset + ELO * (draws @ contrast.T)
            tail = (1.0 - level) / 2.0
            low, high = np.quantile(samples, [tail, 1.0 - tail], axis=0)
        elif ci == "sandwich":
            cov = sandwich(cells, theta[0], ridge=penalty, reweight=reweight)
            se = ELO * np.sqrt(np.clip(np.diag(contrast @ cov @ contrast.T), 0.0, None))
            z = NormalDist().inv_cdf(0.5 + level / 2.0)
            low, high = rating - z * se, rating + z * se
        else:
            low, high = rating.copy(), rating.copy()
    return Ratings(
        models=counts.models,
        rating=rating,
        ci_low=low,
        ci_high=high,
        rank=uncertainty_ranks(low, high),
        battles=counts.battles_per_model(),
        flags=flags,
        ci=ci,
        level=level,
        iterations=iterations,
        degenerate_rounds=degenerate,
        samples=samples,
    )


def _apply_min_battles(counts: PairCounts, min_battles: int) -> PairCounts:
    """Drop models under the threshold, counted once before dropping (as the arena notebooks do).

    A single pass cannot orphan a kept model: its opponents played it at least as often.
    """
    if min_battles > 0:
        per = counts.battles_per_model()
        counts = restrict(
            counts, [m for m, n in zip(counts.models, per, strict=True) if n >= min_battles]
        )
    if counts.n_battles == 0 or len(counts.models) < 2:
        raise NotFittableError(
            "fewer than two models with battles left"
            + (f" after min-battles {min_battles}" if min_battles > 0 else "")
        )
    return counts


def prepare(counts: PairCounts, reweight: bool) -> tuple[PairCells, FloatArray, FloatArray]:
    """Pair cells and the (weighted) pair totals; raises when the comparison graph splits."""
    cells = pair_cells(len(counts.models), counts.a, counts.b, counts.outcome, counts.count)
    big_n, big_s = totals(cells.n[None])
    if not is_connected(cells, big_n[0]):
        n_comp, labels = components(cells, big_n[0])
        groups = sorted(
            ([counts.models[m] for m in np.flatnonzero(labels == c)] for c in range(n_comp)),
            key=len,
            reverse=True,
        )
        listing = "; ".join(_short(group) for group in groups)
        raise NotFittableError(
            f"the comparison graph has {n_comp} disconnected components, whose ratings are not "
            f"comparable: {listing}. Filter the battles to one component."
        )
    if reweight:
        weight = pair_weights(big_n)
        big_n, big_s = big_n * weight, big_s * weight
    return cells, big_n, big_s


def _short(group: list[str], limit: int = 6) -> str:
    shown = ", ".join(group[:limit]) + (
        f", ... ({len(group)} models)" if len(group) > limit else ""
    )
    return "{" + shown + "}"


def model_flags(
    counts: PairCounts, cells: PairCells, big_n: FloatArray, big_s: FloatArray
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Per-model flags, and whether the MLE fails to exist (win graph not strongly connected)."""
    k = cells.k
    score = np.bincount(cells.i, big_s[0], k) + np.bincount(cells.j, big_n[0] - big_s[0], k)
    total = np.bincount(cells.i, big_n[0], k) + np.bincount(cells.j, big_n[0], k)
    separated = not is_strongly_connected(cells, big_n[0], big_s[0])
    outside = np.zeros(k, dtype=bool)
    if separated:
        labels = strong_components(cells, big_n[0], big_s[0])[1]
        outside = labels != np.bincount(labels).argmax()
    flags = []
    for m in range(k):
        found = []
        if score[m] <= 0:
            found.append("never_wins")
        if score[m] >= total[m]:
            found.append("never_loses")
        if outside[m]:
            found.append("separated")
        flags.append(tuple(found))
    return tuple(flags), separated


def anchor_index(models: tuple[str, ...], anchor: tuple[str, float] | None) -> int | None:
    if anchor is None:
        return None
    if anchor[0] not in models:
        raise UserError(f"anchor model {anchor[0]!r} is not among the rated models")
    return models.index(anchor[0])


def rating_contrast(k: int, anchor_at: int | None) -> FloatArray:
    """Linear map from log-strengths to rating offsets: centred, or relative to the anchor."""
    if anchor_at is None:
        return np.eye(k) - 1.0 / k
    out = np.eye(k)
    out[:, anchor_at] -= 1.0
    return out
