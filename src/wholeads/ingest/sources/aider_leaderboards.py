"""Aider's coding leaderboards (YAML): polyglot, the older code-editing and refactoring benchmarks.

- ``aider-polyglot``: polyglot_leaderboard.yml, plus o1_polyglot_leaderboard.yml and
  qwen3_leaderboard.yml (side tables of the same benchmark). A run listed in several files (same
  ``dirname``) is counted once, from the first file in ``POLYGLOT`` order.
- ``aider-edit``: edit_leaderboard.yml (133 Python exercises); ``aider-refactor``:
  refactor_leaderboard.yml.
- The value is ``pass_rate_2``, the headline "percent correct" after the model sees test errors
  once; the refactor table has a single try and reports ``pass_rate_1``, its headline.
- ``as_of`` is the run ``date`` (not the model's release); ``n`` is ``test_cases``; ``setting``
  is ``reasoning_effort`` and ``edit_format`` when present ('high; diff'). ``name`` is the free-text
  ``model`` exactly as written ('o3 (high) + gpt-4.1', 'Qwen3 32B diff on OpenRouter, ...').
- ``total_cost`` (USD for the whole polyglot run) becomes ``aider-polyglot-cost`` (lower is
  better); 0 means Aider did not track the cost (free or experimental endpoints) and is skipped.
- Entries of the edit table with ``released`` (or ``_released``) also yield a ModelRecord with
  that release date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._read import date, is_missing, num, where, whole, yaml_doc
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelRecord, Provenance, ScoreRecord, SourceBatch

_BASE = (
    "https://raw.githubusercontent.com/Aider-AI/aider/"
    "5dc9490bb35f9729ef2c95d00a19ccd30c26339c/aider/website/_data/"
)
POLYGLOT = ("polyglot_leaderboard.yml", "o1_polyglot_leaderboard.yml", "qwen3_leaderboard.yml")
EDIT, REFACTOR = "edit_leaderboard.yml", "refactor_leaderboard.yml"

BENCHMARKS = {
    b.id: b
    for b in (
        Benchmark(id="aider-polyglot", name="Aider polyglot (225 Exercism exercises, 6 languages)",
                  domain="coding", metric="percent", scale="0-100"),
        Benchmark(id="aider-edit", name="Aider code editing (133 Python exercises)",
                  domain="coding", metric="percent", scale="0-100"),
        Benchmark(id="aider-refactor", name="Aider refactoring (89 large methods)",
                  domain="coding", metric="percent", scale="0-100"),
        Benchmark(id="aider-polyglot-cost", name="Aider polyglot, cost of the full run",
                  domain="coding", metric="usd", higher_is_better=False,
                  scale="USD per full benchmark run"),
    )
}  # fmt: skip
# file -> (benchmark id, headline pass-rate key)
FILES = {
    **{path: ("aider-polyglot", "pass_rate_2") for path in POLYGLOT},
    EDIT: ("aider-edit", "pass_rate_2"),
    REFACTOR: ("aider-refactor", "pass_rate_1"),
}

SPEC = SourceSpec(
    id="aider-leaderboards",
    name="Aider LLM leaderboards",
    homepage="https://aider.chat/docs/leaderboards/",
    license="Apache-2.0",
    citation="Aider LLM Leaderboards, https://aider.chat/docs/leaderboards/",
    remote=tuple(RemoteFile(path=path, url=_BASE + path) for path in FILES),
    mirror_globs=tuple(FILES),
    snapshot_date=dt.date(2025, 10, 4),
)


def load(raw: RawFiles) -> SourceBatch:
    """Scores (and cost) of every leaderboard file, and release dates stated in the edit table."""
    scores: list[ScoreRecord] = []
    models: list[ModelRecord] = []
    problems: list[str] = []
    seen_runs: set[str] = set()
    for path, (benchmark, key) in FILES.items():
        if path not in raw.files:
            problems.append(f"{where(raw, path)}: file is absent; its scores are missing")
            continue
        for index, entry in _entries(raw, path):
            here = f"{where(raw, path)}:{index}"
            run = str(entry.get("dirname") or "")
            if benchmark == "aider-polyglot" and run:
                if run in seen_runs:
                    continue  # the same run, already read from an earlier polyglot file
                seen_runs.add(run)
            prov = Provenance(source=raw.source, file=path, row=index)
            found = _scores(entry, benchmark, key, prov, here, problems)
            scores.extend(found)
            released = date(entry.get("released") or entry.get("_released"))
            if found and released is not None:
                models.append(ModelRecord(name=found[0].name, release_date=released, prov=prov))
    used = dict.fromkeys(s.benchmark for s in scores)
    return SourceBatch(
        source=raw.source,
        models=models,
        scores=scores,
        benchmarks=[BENCHMARKS[b] for b in used],
        problems=problems,
    )


def _entries(raw: RawFiles, path: str) -> list[tuple[int, dict[str, Any]]]:
    """(1-based entry index, entry) of a leaderboard file, which must be a YAML list of mappings."""
    doc = yaml_doc(raw, path)
    if not isinstance(doc, list):
        raise DataError("expected a YAML list of leaderboard entries", file=where(raw, path))
    return [(i, e) for i, e in enumerate(doc, start=1) if isinstance(e, dict)]


def _scores(
    entry: dict[str, Any],
    benchmark: str,
    key: str,
    prov: Provenance,
    here: str,
    problems: list[str],
) -> list[ScoreRecord]:
    """The headline score of one entry (and its cost for polyglot); problems for unreadable ones."""
    name = str(entry.get("model") or "").strip()
    value = num(entry.get(key))
    when = date(entry.get("date"))
    if not name:
        problems.append(f"{here}: entry has no 'model'; skipped")
        return []
    if value is None:
        problems.append(f"{here}: {name!r} has no number in '{key}'; skipped")
        return []
    if when is None:
        problems.append(f"{here}: {name!r} has no run 'date'; skipped")
        return []
    tests = num(entry.get("test_cases"))
    setting = "; ".join(
        str(entry[k]).strip() for k in ("reasoning_effort", "edit_format")
        if not is_missing(entry.get(k))
    ) or None  # fmt: skip
    common: dict[str, Any] = {"name": name, "as_of": when, "setting": setting, "prov": prov}
    found = [
        ScoreRecord(benchmark=benchmark, value=value, n=whole(tests) if tests else None, **common)
    ]
    cost = num(entry.get("total_cost"))
    if benchmark == "aider-polyglot" and cost:
        found.append(ScoreRecord(benchmark="aider-polyglot-cost", value=cost, **common))
    return found
