"""Seeded synthetic arena battle logs with known true ratings (no public log is reachable here).

Pairings are popularity-skewed (Zipf-like), about 25% of battles are ties (split evenly between
`tie` and `tie (bothbad)`), and columns follow the public arena battle-log format (`model_a`,
`model_b`, `winner`, `tstamp`, `language`, `anony`) plus response lengths `tokens_a`/`tokens_b`
for style control.

Outcomes follow a Bradley-Terry model *with ties*: the tie probability is t = c * 4 p (1 - p) and
the win probabilities are p - t/2 and 1 - p - t/2, where p is the Bradley-Terry probability. The
expected half-win score is then exactly p, so a Bradley-Terry fit that scores ties as half wins
recovers the true ratings (a tie rate independent of p would shrink them towards the mean).

    python bench/synth_battles.py --battles 1000000 --models 150 --seed 0 --out battles.parquet
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt

LANGUAGES = ("English", "Chinese", "Russian", "German", "Japanese", "Spanish", "French")
LANGUAGE_SHARE = (0.55, 0.15, 0.09, 0.06, 0.05, 0.05, 0.05)
WINNERS = ("model_a", "model_b", "tie", "tie (bothbad)")
TSTAMP_START = 1_700_000_000.0
TSTAMP_SPAN = 180 * 86_400.0


@dataclass(frozen=True)
class Synth:
    """A generated battle log as columns of codes, plus the truth it was drawn from."""

    models: tuple[str, ...]
    true_rating: npt.NDArray[np.float64]
    """True Elo-scale ratings, mean exactly 1000."""
    a: npt.NDArray[np.int32]
    b: npt.NDArray[np.int32]
    winner: npt.NDArray[np.int8]
    """Index into WINNERS."""
    language: npt.NDArray[np.int8]
    """Index into LANGUAGES."""
    anony: npt.NDArray[np.bool_]
    tstamp: npt.NDArray[np.float64]
    tokens_a: npt.NDArray[np.int32]
    tokens_b: npt.NDArray[np.int32]
    style_coef: float
    """True log-odds effect of `style_feature` (length difference) on winning."""

    @property
    def n(self) -> int:
        return int(self.a.size)

    def style_feature(self) -> npt.NDArray[np.float64]:
        """Normalised length difference (a - b) / (a + b), as arena style control uses."""
        ta, tb = self.tokens_a.astype(np.float64), self.tokens_b.astype(np.float64)
        return (ta - tb) / (ta + tb)

    def winner_strings(self) -> list[str]:
        return [WINNERS[w] for w in self.winner]

    def model_a_names(self) -> list[str]:
        return [self.models[m] for m in self.a]

    def model_b_names(self) -> list[str]:
        return [self.models[m] for m in self.b]


def generate(
    n_battles: int,
    n_models: int = 150,
    *,
    seed: int = 0,
    spread: float = 120.0,
    tie_rate: float = 0.25,
    zipf: float = 1.0,
    style_coef: float = 0.0,
) -> Synth:
    """Draw a battle log: ratings ~ N(1000, spread), popularity ~ 1/rank^zipf (shuffled)."""
    rng = np.random.default_rng(seed)
    rating = rng.normal(0.0, spread, n_models)
    rating = rating - rating.mean() + 1000.0
    popularity = 1.0 / np.arange(1, n_models + 1) ** zipf
    popularity = rng.permutation(popularity / popularity.sum())
    a = rng.choice(n_models, size=n_battles, p=popularity).astype(np.int32)
    b = rng.choice(n_models, size=n_battles, p=popularity).astype(np.int32)
    while (same := np.flatnonzero(a == b)).size:
        b[same] = rng.choice(n_models, size=same.size, p=popularity)
    tokens_a = rng.lognormal(6.0, 0.6, n_battles).astype(np.int32) + 1
    tokens_b = rng.lognormal(6.0, 0.6, n_battles).astype(np.int32) + 1
    feature = (tokens_a - tokens_b) / (tokens_a + tokens_b.astype(np.float64))
    logit = (rating[a] - rating[b]) * math.log(10.0) / 400.0 + style_coef * feature
    p = 1.0 / (1.0 + np.exp(-logit))
    shape = 4.0 * p * (1.0 - p)
    c = min(tie_rate / shape.mean(), 0.5)
    tie = c * shape
    u = rng.random(n_battles)
    winner = np.where(u < p - tie / 2, 0, np.where(u < 1.0 - tie, 1, 2)).astype(np.int8)
    winner[(winner == 2) & (rng.random(n_battles) < 0.5)] = 3
    return Synth(
        models=tuple(f"model-{m:03d}" for m in range(n_models)),
        true_rating=rating,
        a=a,
        b=b,
        winner=winner,
        language=rng.choice(len(LANGUAGES), size=n_battles, p=LANGUAGE_SHARE).astype(np.int8),
        anony=rng.random(n_battles) < 0.8,
        tstamp=np.sort(TSTAMP_START + rng.random(n_battles) * TSTAMP_SPAN),
        tokens_a=tokens_a,
        tokens_b=tokens_b,
        style_coef=style_coef,
    )


def write(synth: Synth, path: Path) -> Path:
    """Write the log as Parquet, CSV, JSON Lines or a JSON array (by suffix) through DuckDB."""
    suffix = path.suffix.lower()
    options = {
        ".parquet": "(FORMAT parquet)",
        ".csv": "(FORMAT csv, HEADER true)",
        ".jsonl": "(FORMAT json)",
        ".json": "(FORMAT json, ARRAY true)",
    }
    if suffix not in options:
        raise ValueError(f"unsupported output suffix {suffix!r}; use {sorted(options)}")
    con = duckdb.connect()
    columns = {  # noqa: F841 -- read by DuckDB's replacement scan below
        "ia": synth.a,
        "ib": synth.b,
        "w": synth.winner,
        "lang": synth.language,
        "anony": synth.anony,
        "tstamp": synth.tstamp,
        "tokens_a": synth.tokens_a,
        "tokens_b": synth.tokens_b,
    }
    models = list(synth.models)
    con.execute(
        f"""
        COPY (
            SELECT list_extract($models, ia + 1) AS model_a,
                   list_extract($models, ib + 1) AS model_b,
                   list_extract($winners, w + 1) AS winner,
                   tstamp,
                   list_extract($languages, lang + 1) AS language,
                   anony, tokens_a, tokens_b
            FROM columns
        ) TO '{_sql_path(path)}' {options[suffix]}
        """,
        {"models": models, "winners": list(WINNERS), "languages": list(LANGUAGES)},
    )
    con.close()
    return path


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battles", type=int, default=100_000)
    parser.add_argument("--models", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--style-coef", type=float, default=0.0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    synth = generate(args.battles, args.models, seed=args.seed, style_coef=args.style_coef)
    write(synth, args.out)
    print(f"wrote {synth.n} battles among {len(synth.models)} models to {args.out}")


if __name__ == "__main__":
    main()
