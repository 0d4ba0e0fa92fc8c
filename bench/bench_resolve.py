"""Entity resolution quality and speed.

Quality: precision and recall on a hand-labeled set of cross-source name pairs taken from the
real data (``resolve_pairs.csv``), including hard negatives (gpt-4o vs gpt-4o-mini, dated
checkpoints, thinking vs instruct). A pair is predicted 'same' when both names resolve to the
same model id. Speed: resolving 10,000 raw names from the sources in one batch.
"""

from __future__ import annotations

import contextlib
import csv
import time
from pathlib import Path

from _common import REPO, built_db
from wholeads.catalog import resolver_from_db
from wholeads.resolve import Resolver
from wholeads.store import open_readonly

PAIRS = REPO / "bench" / "resolve_pairs.csv"


def score_pairs(resolver: Resolver) -> dict[str, float]:
    """Precision, recall and the counts behind them on the labeled pairs."""
    tp = fp = fn = tn = 0
    misses = []
    with PAIRS.open(newline="") as handle:
        for row in csv.DictReader(handle):
            a = resolver.resolve(row["name_a"]).model_id
            b = resolver.resolve(row["name_b"]).model_id
            predicted = a is not None and a == b
            actual = row["same"] == "1"
            tp += predicted and actual
            fp += predicted and not actual
            fn += actual and not predicted
            tn += not actual and not predicted
            if predicted != actual:
                misses.append(
                    f"  {'FP' if predicted else 'FN'}: {row['name_a']} -> {a} | "
                    f"{row['name_b']} -> {b}"
                )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    for line in misses:
        print(line)
    return {
        "pairs": tp + fp + fn + tn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
    }


def main() -> None:
    db = built_db()
    with contextlib.closing(open_readonly(db)) as con:
        t0 = time.perf_counter()
        resolver = resolver_from_db(con)
        build_s = time.perf_counter() - t0
        names = [
            r[0]
            for r in con.execute(
                "SELECT raw_name FROM scores GROUP BY raw_name ORDER BY raw_name"
            ).fetchall()
        ]
    quality = score_pairs(resolver)
    batch = (names * (10_000 // max(len(names), 1) + 1))[:10_000]
    t0 = time.perf_counter()
    resolved = sum(resolver.resolve(n).model_id is not None for n in batch)
    batch_s = time.perf_counter() - t0
    print(f"{'measure':<40}{'value':>14}{'target':>14}")
    print(f"{'labeled pairs':<40}{quality['pairs']:>14.0f}")
    print(f"{'precision':<40}{quality['precision']:>14.3f}{'1.000':>14}")
    print(f"{'recall':<40}{quality['recall']:>14.3f}")
    print(f"{'index build (s)':<40}{build_s:>14.3f}")
    print(f"{'resolve 10,000 raw names (s)':<40}{batch_s:>14.3f}{'< 1':>14}")
    print(f"{'  of which resolved':<40}{resolved:>14,}")
    Path(db).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
