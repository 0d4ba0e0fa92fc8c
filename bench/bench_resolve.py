"""Entity resolution: quality on the labelled pairs, coverage of score rows and organisations,
and the resolver's speed.

Quality: ``resolve_pairs.csv`` holds cross-source pairs of raw rows from ``../shared/data``,
labelled by reading the files (sizes, dates, modes, links), at least half of them hard
negatives. A pair is predicted 'same' when the build assigned both rows to one model.
Coverage: the share of each source's score rows that resolve (Open LLM Leaderboard uploads,
community fine-tunes no lab publishes, are excluded as in the tests), and of the organisation
spellings in the data that reach a lab with a country. Speed: loading the stored resolver and
resolving 10,000 raw names.

Targets: pairwise recall >= 0.97, false merges <= 0.5%, score rows >= 97% per source, 100% of
organisation spellings with a country. ``--db`` reuses a built database; run with another
checkout's ``src`` on ``PYTHONPATH`` (and its database) to measure a baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import built_db, require_shared_data
from _pairs import Evaluation, Side, evaluate, load_pairs
from wholeads.store.files import open_readonly


def stored_resolver(con: Any) -> Any:
    """The database's resolver (the stored one; a baseline checkout rebuilds it from tables)."""
    try:
        from wholeads.query.resolver import load_resolver
    except ImportError:  # a checkout before the stored resolver
        from wholeads.query.catalog import resolver_from_db  # type: ignore[attr-defined]

        return resolver_from_db(con)
    return load_resolver(con)


def score_rows_resolved(con: Any) -> dict[str, tuple[int, int]]:
    """Per score source: (resolved rows, all rows), Open LLM Leaderboard uploads excluded."""
    rows = con.execute("""
        SELECT source, count(model_id), count(*) FROM scores
        WHERE benchmark_id NOT LIKE 'open-llm-leaderboard%' GROUP BY source ORDER BY source
    """).fetchall()
    return {source: (resolved, total) for source, resolved, total in rows}


def organisation_spellings(shared: Path) -> dict[str, set[str]]:
    """Every organisation string the sources give (score and model records), per spelling the
    sources that use it; Open LLM Leaderboard uploaders (Hugging Face accounts) excluded."""
    from wholeads.ingest.sources import SOURCE_IDS, get_source
    from wholeads.ingest.sources.fetch import read_mirror

    spellings: dict[str, set[str]] = {}
    for source_id in SOURCE_IDS:
        module = get_source(source_id)
        batch = module.load(read_mirror(module.SPEC, shared))
        for record in [*batch.scores, *batch.models]:
            if record.lab and record.lab.strip() and not record.prov.file.startswith("open_llm"):
                spellings.setdefault(record.lab.strip(), set()).add(source_id)
    return spellings


def _print_counts(title: str, rows: dict[str, Any]) -> None:
    print(f"\n{title}")
    print(f"  {'':<32}{'pairs':>7}{'precision':>11}{'recall':>9}{'false merges':>15}")
    for key, c in rows.items():
        merges = f"{c.fp}/{c.fp + c.tn}" if c.fp + c.tn else "-"
        print(f"  {key:<32}{c.pairs:>7}{c.precision:>11.3f}{c.recall:>9.3f}{merges:>15}")


def report_quality(result: Evaluation) -> None:
    o = result.overall
    print(f"labelled pairs: {o.pairs} ({o.fp + o.tn} different-model pairs)")
    merges = f"{o.fp}/{o.fp + o.tn} = {o.false_merge_rate:.2%}"
    print(f"  precision {o.precision:.3f}   recall {o.recall:.3f} (target >= 0.97)")
    print(f"  false merges {merges} (target <= 0.5%)")
    by_source = dict(sorted(result.by_source.items()))
    _print_counts("per source (a pair counts for both its sources)", by_source)
    _print_counts("per kind of pair", dict(sorted(result.by_kind.items())))
    print("\nwrongly answered pairs (FP = merged different models, FN = same model not joined)")
    for pair, a, b in result.wrong:
        tag = "FN" if pair.same else "FP"
        print(f"  {tag} #{pair.id} [{pair.kind}] {pair.a.source}:{pair.a.name!r} -> {a} | "
              f"{pair.b.source}:{pair.b.name!r} -> {b}")  # fmt: skip


def report_coverage(con: Any, resolver: Any, shared: Path) -> None:
    print("\nscore rows resolved per source (target >= 97%)")
    for source, (resolved, total) in score_rows_resolved(con).items():
        mark = "" if resolved / total >= 0.97 else "  < target"
        print(f"  {source:<32}{resolved:>9,}/{total:<9,}{resolved / total:>8.1%}{mark}")
    countries = dict(con.execute("SELECT id, country FROM labs").fetchall())
    spellings = organisation_spellings(shared)
    missing = sorted(s for s in spellings if not countries.get(resolver.resolve_lab(s) or ""))
    share = 1 - len(missing) / len(spellings)
    print(f"\norganisation spellings with a country: {len(spellings) - len(missing)}/"
          f"{len(spellings)} = {share:.1%} (target 100%); without one:")  # fmt: skip
    for spelling in missing:
        print(f"  {spelling!r} ({', '.join(sorted(spellings[spelling]))})")


def report_speed(con: Any, db: Path) -> None:
    t0 = time.perf_counter()
    resolver = stored_resolver(con)
    load_s = time.perf_counter() - t0
    query = "SELECT DISTINCT raw_name FROM scores ORDER BY 1"
    names = [r[0] for r in con.execute(query).fetchall()]
    batch = (names * (10_000 // max(len(names), 1) + 1))[:10_000]
    t0 = time.perf_counter()
    resolved = sum(resolver.resolve(n).model_id is not None for n in batch)
    batch_s = time.perf_counter() - t0
    print(f"\nresolver load from {db.name}: {load_s * 1000:.0f} ms")
    print(f"resolve 10,000 raw names: {batch_s:.3f} s ({batch_s * 100:.1f} us per name; "
          f"{resolved:,} resolved)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    shared = require_shared_data()
    db = args.db or built_db()
    with contextlib.closing(open_readonly(db)) as con:
        resolver = stored_resolver(con)
        fallback: Callable[[Side], str | None] = lambda s: resolver.resolve(s.name, s.date).model_id  # noqa: E731
        report_quality(evaluate(con, load_pairs(), fallback))
        report_coverage(con, resolver, shared)
        report_speed(con, db)


if __name__ == "__main__":
    main()
