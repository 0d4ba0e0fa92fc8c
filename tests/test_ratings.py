"""Known-answer and cross-method tests for the Bradley-Terry ratings engine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import reference_bt
import synth_battles
from wholeads.analysis.ratings import ELO, PairCounts, count_battles, rate, restrict
from wholeads.analysis.ratings_fit import chord, hessian, newton, pair_cells, totals
from wholeads.analysis.ratings_graph import (
    components,
    is_connected,
    is_strongly_connected,
    strong_components,
)
from wholeads.analysis.ratings_style import rate_style
from wholeads.errors import ConvergenceError, NotFittableError, UserError

# Agresti, Categorical Data Analysis (2nd ed., 2002), Table 10.10: American League East 1987,
# wins of the row team over the column team (13 games per pair).
TEAMS = ("Milwaukee", "Detroit", "Toronto", "New York", "Boston", "Cleveland", "Baltimore")
WINS = [
    [0, 7, 9, 7, 7, 9, 11],
    [6, 0, 7, 5, 11, 9, 9],
    [4, 6, 0, 7, 7, 8, 12],
    [6, 8, 6, 0, 6, 7, 10],
    [6, 2, 6, 7, 0, 7, 12],
    [4, 4, 5, 6, 6, 0, 6],
    [2, 4, 1, 3, 1, 7, 0],
]
# Agresti's published Bradley-Terry estimates (Table 10.11), Baltimore = 0.
AGRESTI_BETA = [1.58, 1.44, 1.29, 1.25, 1.11, 0.68, 0.00]


def baseball() -> PairCounts:
    a, b = np.nonzero(np.array(WINS))
    count = np.array(WINS)[a, b]
    return PairCounts(
        TEAMS,
        a.astype(np.int64),
        b.astype(np.int64),
        np.zeros(a.size, np.int64),
        count.astype(np.int64),
    )


def synth_counts(n: int, models: int, seed: int, **kw: float) -> tuple[PairCounts, np.ndarray]:
    s = synth_battles.generate(n, models, seed=seed, **kw)
    counts = count_battles(s.model_a_names(), s.model_b_names(), s.winner_strings())
    return counts, s.true_rating


def codes(counts: PairCounts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expand counts back to one entry per battle (for the per-battle reference)."""
    rep = counts.count
    return np.repeat(counts.a, rep), np.repeat(counts.b, rep), np.repeat(counts.outcome, rep)


def mm_bradley_terry(wins: np.ndarray, iters: int = 5000) -> np.ndarray:
    """Hunter's (2004) MM algorithm: an independent way to the same MLE."""
    games = wins + wins.T
    gamma = np.ones(len(wins))
    for _ in range(iters):
        gamma = wins.sum(axis=1) / (games / (gamma[:, None] + gamma[None, :])).sum(axis=1)
        gamma /= gamma[-1]
    return np.log(gamma)


def test_agresti_baseball_published_estimates() -> None:
    result = rate(baseball(), ci="sandwich", anchor=("Baltimore", 0.0))
    beta = result.rating / ELO
    np.testing.assert_allclose(beta, AGRESTI_BETA, atol=0.005)
    np.testing.assert_allclose(beta, mm_bradley_terry(np.array(WINS, float)), atol=1e-8)
    assert all(flags == () for flags in result.flags)


def test_agrees_with_per_battle_sklearn_reference() -> None:
    counts, _ = synth_counts(20_000, 20, seed=5)
    a, b, outcome = codes(counts)
    expected = reference_bt.fit(a, b, outcome, len(counts.models), tol=1e-10)
    got = rate(counts, ci="none").rating
    assert np.abs(got - expected).max() < 0.01


def test_recovers_true_ratings_within_intervals() -> None:
    counts, truth = synth_counts(60_000, 30, seed=11)
    for ci in ("bootstrap", "sandwich"):
        result = rate(counts, ci=ci, rounds=200, seed=3)
        order = [counts.models.index(f"model-{m:03d}") for m in range(30)]
        low, high = result.ci_low[order], result.ci_high[order]
        covered = np.mean((low <= truth) & (truth <= high))
        assert covered >= 0.85, (ci, covered)
        assert abs(result.rating.mean() - 1000.0) < 1e-6


def test_bootstrap_and_sandwich_widths_agree() -> None:
    counts, _ = synth_counts(400_000, 40, seed=2)
    boot = rate(counts, ci="bootstrap", rounds=500, seed=1)
    sand = rate(counts, ci="sandwich")
    ratio = (boot.ci_high - boot.ci_low) / (sand.ci_high - sand.ci_low)
    assert np.all(np.abs(ratio - 1.0) < 0.15), ratio
    np.testing.assert_allclose(boot.rating, sand.rating)


def test_multinomial_bootstrap_matches_per_battle_resampling() -> None:
    counts, _ = synth_counts(3_000, 6, seed=4)
    a, b, outcome = codes(counts)
    per_battle = reference_bt.bootstrap(a, b, outcome, 6, rounds=150, seed=9, tol=1e-8)
    ours = rate(counts, ci="bootstrap", rounds=600, seed=9).samples
    assert ours is not None
    np.testing.assert_allclose(ours.std(axis=0), per_battle.std(axis=0), rtol=0.25)


def test_same_seed_same_intervals() -> None:
    counts, _ = synth_counts(5_000, 10, seed=7)
    first = rate(counts, rounds=60, seed=42)
    second = rate(counts, rounds=60, seed=42)
    other = rate(counts, rounds=60, seed=43)
    np.testing.assert_array_equal(first.ci_low, second.ci_low)
    np.testing.assert_array_equal(first.ci_high, second.ci_high)
    assert not np.array_equal(first.ci_low, other.ci_low)


def test_model_that_never_wins_is_finite_and_flagged() -> None:
    counts = count_battles(
        ["a", "b", "c", "a", "b", "c", "loser", "loser", "a", "champ", "champ"],
        ["b", "c", "a", "c", "a", "b", "a", "b", "loser", "a", "c"],
        [
            "model_a",
            "model_a",
            "model_a",
            "tie",
            "model_b",
            "model_b",
            "model_b",
            "model_b",
            "model_a",
            "model_a",
            "model_a",
        ],
    )
    for ci in ("bootstrap", "sandwich"):
        result = rate(counts, ci=ci, rounds=50, seed=0)
        assert np.isfinite(result.rating).all()
        assert np.isfinite(result.ci_low).all() and np.isfinite(result.ci_high).all()
        flags = dict(zip(result.models, result.flags, strict=True))
        assert "never_wins" in flags["loser"] and "separated" in flags["loser"]
        assert "never_loses" in flags["champ"]
        assert flags["a"] == ()
        by_rating = sorted(result.models, key=lambda m: result.rating[result.models.index(m)])
        assert by_rating[0] == "loser" and by_rating[-1] == "champ"


def test_disconnected_graph_lists_components() -> None:
    counts = count_battles(
        ["a", "b", "x", "y"], ["b", "a", "y", "x"], ["model_a", "model_a", "tie", "model_a"]
    )
    with pytest.raises(NotFittableError, match="2 disconnected components") as exc:
        rate(counts, ci="none")
    assert "{a, b}" in str(exc.value) and "{x, y}" in str(exc.value)
    result = rate(restrict(counts, ["a", "b"]), ci="none")
    assert result.models == ("a", "b")


def test_anchor_shifts_and_pins_the_anchor() -> None:
    counts, _ = synth_counts(5_000, 8, seed=8)
    free = rate(counts, rounds=40, seed=1)
    pinned = rate(counts, rounds=40, seed=1, anchor=("model-003", 1200.0))
    m = counts.models.index("model-003")
    assert pinned.rating[m] == pytest.approx(1200.0)
    np.testing.assert_allclose(pinned.rating - pinned.rating[m], free.rating - free.rating[m])
    assert pinned.ci_high[m] - pinned.ci_low[m] == pytest.approx(0.0, abs=1e-9)
    sand = rate(counts, ci="sandwich", anchor=("model-003", 1200.0))
    assert sand.ci_high[m] - sand.ci_low[m] == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(UserError, match="anchor"):
        rate(counts, anchor=("nope", 1.0))


def test_min_battles_drops_rare_models() -> None:
    counts, _ = synth_counts(4_000, 12, seed=6, zipf=1.5)
    per = dict(zip(counts.models, counts.battles_per_model(), strict=True))
    threshold = sorted(per.values())[3] + 1
    result = rate(counts, ci="none", min_battles=threshold)
    assert set(result.models) == {m for m, n in per.items() if n >= threshold}
    with pytest.raises(NotFittableError, match="min-battles"):
        rate(counts, ci="none", min_battles=10**9)


def test_reweighting_is_neutral_on_balanced_pairs_and_finite_otherwise() -> None:
    balanced = baseball()
    np.testing.assert_allclose(
        rate(balanced, ci="none", reweight=True).rating, rate(balanced, ci="none").rating
    )
    counts, _ = synth_counts(6_000, 10, seed=12, zipf=1.5)
    weighted = rate(counts, ci="bootstrap", rounds=40, seed=1, reweight=True)
    plain = rate(counts, ci="none")
    assert np.isfinite(weighted.ci_low).all()
    assert not np.allclose(weighted.rating, plain.rating)
    sand = rate(counts, ci="sandwich", reweight=True)
    assert np.all(sand.ci_high > sand.ci_low)


def test_style_control_recovers_known_coefficient() -> None:
    s = synth_battles.generate(40_000, 15, seed=13, style_coef=0.8)
    outcome = np.minimum(s.winner, 2).astype(np.int64)
    result = rate_style(
        s.models,
        s.a.astype(np.int64),
        s.b.astype(np.int64),
        outcome,
        s.style_feature()[:, None],
        ["length"],
        l2=0.0,
    )
    style = result.extra["style"]["length"]
    assert style["ci_low"] <= 0.8 <= style["ci_high"]
    assert abs(style["coef"] - 0.8) < 0.1
    covered = np.mean((result.ci_low <= s.true_rating) & (s.true_rating <= result.ci_high))
    assert covered >= 0.8
    plain = rate(count_battles(s.model_a_names(), s.model_b_names(), s.winner_strings()))
    assert plain.models == result.models


def test_pair_cells_collapse_order_and_tie_kinds() -> None:
    counts = count_battles(
        ["a", "b", "a", "b"], ["b", "a", "b", "a"], ["model_a", "model_a", "tie", "tie (bothbad)"]
    )
    cells = pair_cells(2, counts.a, counts.b, counts.outcome, counts.count)
    big_n, big_s = totals(cells.n)
    assert big_n.tolist() == [4.0] and big_s.tolist() == [2.0]


def test_non_convergence_raises_with_iteration_count() -> None:
    cells = pair_cells(2, np.array([0]), np.array([1]), np.array([0]), np.array([5]))
    big_n, big_s = totals(cells.n[None])
    with pytest.raises(ConvergenceError, match="after 3 Newton iterations"):
        newton(cells, big_n, big_s, np.zeros((1, 2)), np.zeros(1), max_iter=3)


def test_records_are_sorted_and_ranked_by_interval_overlap() -> None:
    result = rate(baseball(), ci="sandwich")
    records = result.to_records()
    assert records[0]["model"] == "Milwaukee"
    assert records[0]["rank"] == 1
    for r in records:
        above = sum(o["ci_low"] > r["ci_high"] for o in records)
        assert r["rank"] == 1 + above


def test_accelerated_refits_reach_the_full_newton_refits() -> None:
    """The bootstrap's shared-Hessian steps with Anderson mixing land where Newton does."""
    counts, _ = synth_counts(40_000, 80, seed=14, zipf=1.4)
    cells = pair_cells(len(counts.models), counts.a, counts.b, counts.outcome, counts.count)
    big_n, big_s = totals(cells.n[None])
    theta, _ = newton(cells, big_n, big_s, np.zeros((1, cells.k)), np.zeros(1))
    hess_inv = np.linalg.inv(hessian(cells, big_n, theta, np.zeros(1))[0])
    flat = cells.n.ravel()
    draws = np.random.default_rng(2).multinomial(int(flat.sum()), flat / flat.sum(), size=12)
    round_n, round_s = totals(draws.reshape(12, cells.n_pairs, 3).astype(np.float64))
    start = np.repeat(theta, 12, axis=0)
    exact, _ = newton(cells, round_n, round_s, start, np.zeros(12))
    for depth in (0, 3):
        fast, ok = chord(cells, round_n, round_s, start, 0.0, hess_inv, depth=depth)
        assert ok.all()
        assert np.abs(fast - exact).max() * ELO < 1e-3


def test_graph_checks_agree_with_scipy_labels() -> None:
    """Breadth-first connectivity and MLE-existence checks against scipy's component labels."""
    rng = np.random.default_rng(5)
    for trial in range(40):
        k = int(rng.integers(2, 12))
        n = int(rng.integers(1, 3 * k))
        a = rng.integers(0, k, n)
        b = (a + rng.integers(1, k, n)) % k
        outcome = rng.integers(0, 3 if trial % 2 else 2, n)
        cells = pair_cells(k, a, b, outcome, np.ones(n, dtype=np.int64))
        big_n, big_s = totals(cells.n)
        assert is_connected(cells, big_n) == (components(cells, big_n)[0] == 1)
        strong = strong_components(cells, big_n, big_s)[0] == 1
        assert is_strongly_connected(cells, big_n, big_s) == strong


def test_rating_a_parquet_log_loads_neither_scipy_nor_duckdb(tmp_path: Path) -> None:
    """Start-up cost: the engine and the Parquet path need numpy and pyarrow only."""
    path = synth_battles.write(synth_battles.generate(2_000, 6, seed=1), tmp_path / "b.parquet")
    code = (
        "import sys\n"
        "from wholeads.analysis.ratings import rate\n"
        "from wholeads.query.battles import read_counts\n"
        f"rate(read_counts({str(path)!r}), rounds=10, seed=0)\n"
        "print(sorted(m for m in ('scipy', 'duckdb') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
