"""Every table of the database, declared once: its name, its columns with their types and docs.

Each table is a record type (a slotted dataclass) whose fields are its columns, in table order;
``Table`` names it. The DDL (``migrations``), the bulk writers and the typed readers
(``records``) derive from these declarations, and the build writes rows as these records.
Adding a column: add a field here (and a migration naming the change); a writer sets it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from wholeads.store.records import Table, column

# -- bookkeeping ---------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class MigrationRow:
    """A named schema change recorded in the database (see ``migrations.MIGRATIONS``)."""

    name: str = column("VARCHAR", "migration name, 'm001_initial' ...", key=True)
    applied_at: dt.datetime = column("TIMESTAMP", "when the database recorded it")


@dataclass(slots=True, kw_only=True)
class MetaRow:
    """One fact about the build: kb_hash, schema, built_at, version."""

    key: str = column("VARCHAR", "what the value is", key=True)
    value: str = column("VARCHAR", "the value, as text")


@dataclass(slots=True, kw_only=True)
class SourceRow:
    """One source's outcome in the update that built the database."""

    id: str = column("VARCHAR", "source id, its folder under the mirror", key=True)
    name: str = column("VARCHAR", "display name")
    url: str = column("VARCHAR", "homepage")
    license: str = column("VARCHAR", "the data's license")
    citation: str = column("VARCHAR", "how to attribute the data")
    origin: str = column("VARCHAR", "'mirror:<dir>', 'online' or 'package:<name>'")
    retrieved_at: dt.datetime | None = column("TIMESTAMP", "when its files were read (UTC)")
    content_hash: str | None = column("VARCHAR", "one hash over its raw files")
    status: str = column("VARCHAR", "'ok', 'failed' or 'failed (kept last good data)'")
    error: str | None = column("VARCHAR", "why it failed")
    models: int = column("INTEGER", "model records it gave")
    scores: int = column("INTEGER", "score records it gave")
    prices: int = column("INTEGER", "price records it gave")
    problems: int = column("INTEGER", "records it could not read or the gates rejected")
    updated_at: dt.datetime = column("TIMESTAMP", "when this row was written (UTC)")


@dataclass(slots=True, kw_only=True)
class ProblemRow:
    """A record a source could not read, or one its plausibility gates rejected."""

    source: str = column("VARCHAR", "source id")
    message: str = column("VARCHAR", "what was wrong, naming file, line and field")


# -- who is who ----------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class LabRow:
    """An organisation that builds models: curated, or provisional from a source's country."""

    id: str = column("VARCHAR", "lab id (curated: its knowledge base file name)", key=True)
    name: str = column("VARCHAR", "display name")
    country: str | None = column("VARCHAR", "headquarters, ISO 3166-1 alpha-2")
    ecosystem: str | None = column("VARCHAR", "US, CN, EU or other, from the country", default=None)
    type: str | None = column("VARCHAR", "frontier_lab, big_tech, startup, academic, government")
    homepage: str | None = column("VARCHAR", "official web site", default=None)
    curated: bool = column("BOOLEAN", "from the knowledge base (else provisional)")
    source_url: str | None = column("VARCHAR", "the page that states the lab's facts", default=None)
    as_of: dt.date | None = column("DATE", "when that page was read", default=None)


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class LabAliasRow:
    """A spelling of a lab's name, and who uses it."""

    alias: str = column("VARCHAR", "the spelling")
    lab_id: str = column("VARCHAR", "the lab it names")
    origin: str = column("VARCHAR", "'kb' or the source id that spells it so")


@dataclass(slots=True, kw_only=True)
class FamilyRow:
    """A curated model family (one knowledge base file)."""

    id: str = column("VARCHAR", "family id, its file name", key=True)
    name: str = column("VARCHAR", "display name")
    lab_id: str = column("VARCHAR", "the lab that develops it")
    kind: str = column("VARCHAR", "default kind of its versions")


@dataclass(slots=True, kw_only=True)
class ModelRow:
    """A model version: curated, or provisional (named only by sources), with its chosen facts."""

    id: str = column("VARCHAR", "model id", key=True)
    name: str = column("VARCHAR", "display name (provisional: the first spelling seen)")
    family_id: str | None = column("VARCHAR", "curated family", default=None)
    lab_id: str | None = column("VARCHAR", "the lab that made it", default=None)
    kind: str | None = column("VARCHAR", "llm, reasoning, vision_language, ...", default=None)
    release_date: dt.date | None = column("DATE", "first public release", default=None)
    first_seen: dt.date | None = column("DATE", "first day any source listed it", default=None)
    open_weights: bool | None = column("BOOLEAN", "weights downloadable", default=None)
    license: str | None = column("VARCHAR", "SPDX id or license name", default=None)
    params_total_b: float | None = column("DOUBLE", "total parameters, billions", default=None)
    params_active_b: float | None = column("DOUBLE", "active parameters (MoE)", default=None)
    architecture: str | None = column("VARCHAR", "dense or moe", default=None)
    context_window: int | None = column("BIGINT", "input context, tokens", default=None)
    max_output: int | None = column("BIGINT", "output limit, tokens", default=None)
    input_modalities: list[str] | None = column("VARCHAR[]", "what it accepts", default=None)
    output_modalities: list[str] | None = column("VARCHAR[]", "what it produces", default=None)
    price_input: float | None = column("DOUBLE", "list price, USD per 1M input", default=None)
    price_output: float | None = column("DOUBLE", "list price, USD per 1M output", default=None)
    curated: bool = column("BOOLEAN", "from the knowledge base")
    provisional: bool = column("BOOLEAN", "known only from sources")
    release_precision: str | None = column(
        "VARCHAR", "how much of release_date is known: day, month, year", default=None
    )
    available_from: dt.date | None = column(
        "DATE", "first day it may appear in an answer (derived)", default=None
    )


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class ModelAliasRow:
    """A spelling that names a model, and who uses it."""

    alias: str = column("VARCHAR", "the spelling")
    model_id: str = column("VARCHAR", "the model it names")
    origin: str = column("VARCHAR", "'kb' or the source id that spells it so")


@dataclass(slots=True, kw_only=True)
class RollingAliasRow:
    """An API name whose meaning changed over time ('deepseek-reasoner'), one period a row."""

    alias: str = column("VARCHAR", "the API name")
    model_id: str = column("VARCHAR", "the version it meant in the period")
    valid_from: dt.date = column("DATE", "first day of the period")
    valid_to: dt.date | None = column("DATE", "first day it meant something else")


@dataclass(slots=True, kw_only=True)
class FactRow:
    """One source's value of one model field, with its provenance; every value is kept."""

    model_id: str = column("VARCHAR", "the model")
    field: str = column("VARCHAR", "a models column, or training_compute_flop")
    value: str = column("VARCHAR", "the value as text ('2026-07' keeps a partial date)")
    source: str = column("VARCHAR", "'kb' or a source id")
    url: str | None = column("VARCHAR", "the page stating it (curated facts)")
    file: str | None = column("VARCHAR", "the source file stating it")
    row: int | None = column("INTEGER", "record number in that file")
    as_of: dt.date | None = column("DATE", "when it was stated")
    chosen: bool = column("BOOLEAN", "the value shown (precedence, see facts.py)", default=False)


@dataclass(slots=True, kw_only=True)
class ConflictRow:
    """Two chosen facts that contradicted each other, and which one was kept."""

    model_id: str = column("VARCHAR", "the model")
    field: str = column("VARCHAR", "the field whose value was dropped")
    kept: str = column("VARCHAR", "the value kept")
    kept_source: str = column("VARCHAR", "its source")
    dropped: str = column("VARCHAR", "the value dropped")
    dropped_source: str = column("VARCHAR", "its source")
    reason: str = column("VARCHAR", "the contradiction, in words")


# -- evidence ------------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class BenchmarkRow:
    """A benchmark or arena category that produces scores."""

    id: str = column("VARCHAR", "benchmark id, 'lmarena-text-full'", key=True)
    name: str = column("VARCHAR", "display name")
    domain: str | None = column("VARCHAR", "main capability domain it measures")
    metric: str = column("VARCHAR", "'elo', 'percent', 'score'")
    higher_is_better: bool = column("BOOLEAN", "direction of the metric")
    scale: str | None = column("VARCHAR", "range or unit, '0-100'")
    source: str = column("VARCHAR", "the first source that declared it")


@dataclass(slots=True, kw_only=True)
class ScoreRow:
    """One score of one model on one benchmark at one date, appended, never overwritten."""

    model_id: str | None = column("VARCHAR", "the model; NULL when the name matched nothing")
    raw_name: str = column("VARCHAR", "the model name as the source spells it")
    benchmark_id: str = column("VARCHAR", "the benchmark")
    value: float = column("DOUBLE", "the score")
    ci_low: float | None = column("DOUBLE", "lower end of its interval")
    ci_high: float | None = column("DOUBLE", "upper end of its interval")
    n: int | None = column("BIGINT", "votes or samples")
    as_of: dt.date = column("DATE", "the date the source gives it (see dated_by)")
    setting: str | None = column("VARCHAR", "reasoning effort, style control, context length")
    source: str = column("VARCHAR", "source id")
    file: str = column("VARCHAR", "the source file")
    row: int | None = column("INTEGER", "record number in that file")
    dated_by: str = column("VARCHAR", "what as_of means: observed, table or snapshot")
    valid_from: dt.date | None = column("DATE", "first day it may be used (derived)", default=None)
    data_date: dt.date | None = column("DATE", "how old the evidence is (derived)", default=None)


@dataclass(slots=True, kw_only=True)
class PriceRow:
    """A price of a model at a provider over a period, appended, never overwritten."""

    model_id: str | None = column("VARCHAR", "the model; NULL when the name matched nothing")
    raw_name: str = column("VARCHAR", "the model name as the source spells it")
    provider: str | None = column("VARCHAR", "who charges it, as the source spells it")
    input_per_mtok: float | None = column("DOUBLE", "USD per 1M input tokens")
    output_per_mtok: float | None = column("DOUBLE", "USD per 1M output tokens")
    valid_from: dt.date | None = column("DATE", "first day it applied (stated, else observed)")
    valid_to: dt.date | None = column("DATE", "first day it no longer applied")
    source: str = column("VARCHAR", "'kb' or a source id")
    file: str | None = column("VARCHAR", "the source file, or the curated page")
    row: int | None = column("INTEGER", "record number in that file")
    dated_by: str = column("VARCHAR", "'stated' (the source gives the start) or 'snapshot'")


@dataclass(slots=True, kw_only=True)
class BoardRow:
    """One leaderboard snapshot with its coverage (derived; see ``derive``)."""

    benchmark_id: str = column("VARCHAR", "the benchmark")
    setting: str | None = column("VARCHAR", "the setting of its rows")
    source: str = column("VARCHAR", "the source that published it")
    as_of: dt.date = column("DATE", "the snapshot's date")
    rows: int = column("INTEGER", "models on it")
    top: float = column("DOUBLE", "best score")
    cutoff: float = column("DOUBLE", "lowest score: on a top-N board every absent model is below")
    coverage: str = column("VARCHAR", "'complete' or 'top_n'")
    in_series: bool = column("BOOLEAN", "part of the benchmark's one series of mirrors")


# -- what resolution did ---------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class UnmatchedRow:
    """A name no rule matched, counted over the rows that use it."""

    source: str = column("VARCHAR", "source id")
    kind: str = column("VARCHAR", "'model', 'score', 'price' or 'lab'")
    name: str = column("VARCHAR", "the name as written")
    lab: str | None = column("VARCHAR", "the organisation the source gives")
    rows: int = column("INTEGER", "rows that use the name")
    file: str | None = column("VARCHAR", "the file of the first such row")
    row: int | None = column("INTEGER", "its record number")
    reason: str | None = column("VARCHAR", "why nothing matched")
    candidates: list[str] | None = column("VARCHAR[]", "the models an ambiguous name could be")


@dataclass(slots=True, kw_only=True)
class ResolverNameRow:
    """One registration of the build's resolver: a spelling a model claims, with its keys."""

    seq: int = column("INTEGER", "registration order")
    name: str = column("VARCHAR", "the spelling")
    model_id: str = column("VARCHAR", "the model claiming it")
    rank: int = column("INTEGER", "claim strength: 0 curated, higher weaker")
    key: str = column("VARCHAR", "identity key of the parsed name ('' when it has none)")
    loose_key: str = column("VARCHAR", "the key without separators")
    modeless_key: str = column("VARCHAR", "the key without its mode")
    activeless_key: str = column("VARCHAR", "the key with the active size as '*', or ''")
    bare: str = column("VARCHAR", "the spelling without its vendor prefix")
    mode: str = column("VARCHAR", "thinking, instruct, base, ... or ''")
    ckpt_year: int | None = column("INTEGER", "checkpoint date: year")
    ckpt_month: int | None = column("INTEGER", "checkpoint date: month")
    ckpt_day: int | None = column("INTEGER", "checkpoint date: day")


@dataclass(slots=True, kw_only=True)
class ResolverModelRow:
    """A model the resolver knows, with the release date it resolves dates against."""

    id: str = column("VARCHAR", "model id")
    lab_id: str | None = column("VARCHAR", "its lab")
    family_id: str | None = column("VARCHAR", "its curated family")
    release_date: dt.date | None = column("DATE", "its release")


@dataclass(slots=True, kw_only=True)
class ResolverLabRow:
    """A lab spelling's key and the lab that claims it."""

    key: str = column("VARCHAR", "normalised spelling")
    lab_id: str | None = column("VARCHAR", "the lab; NULL when several claim the key equally")
    rank: int = column("INTEGER", "claim strength: 0 curated, 1 provisional")
    claimants: list[str] = column("VARCHAR[]", "every lab claiming the key at that rank")


@dataclass(frozen=True, slots=True, kw_only=True)
class PartsRow:
    """One model's identity parts, from its canonical spelling (for reading and for checks)."""

    model_id: str = column("VARCHAR", "the model")
    name: str = column("VARCHAR", "the spelling parsed (curated: its id)")
    family: str = column("VARCHAR", "family word(s)")
    version: str = column("VARCHAR", "version number")
    stem: str = column("VARCHAR", "family and version")
    tiers: str | None = column("VARCHAR", "tier words, '+'-joined (mini, pro, ...)")
    size: str | None = column("VARCHAR", "total size, '70b'")
    active: str | None = column("VARCHAR", "active size, 'a3b'")
    mode: str | None = column("VARCHAR", "thinking, instruct, base, ...")
    context: str | None = column("VARCHAR", "context variant, '128k'")
    checkpoint: str | None = column("VARCHAR", "checkpoint date as written")
    key: str = column("VARCHAR", "identity key")
    lab_origin: str | None = column(
        "VARCHAR", "curated: 'kb'; provisional: how its lab was found (source, vendor, line)"
    )


@dataclass(slots=True, kw_only=True)
class ProviderAliasRow:
    """A price provider spelling and the one provider id it means."""

    alias: str = column("VARCHAR", "the spelling")
    provider_id: str = column("VARCHAR", "the provider (a lab id when it is a lab)")


@dataclass(slots=True, kw_only=True)
class NotableRow:
    """One entry of a notable-models list (Epoch's), as the source states it, with provenance."""

    source: str = column("VARCHAR", "source id ('epoch-notable-models')")
    file: str = column("VARCHAR", "the file it is read from")
    line: int | None = column("INTEGER", "the line the entry starts on")
    as_of: dt.date | None = column("DATE", "the day the source's file was captured")
    name: str = column("VARCHAR", "the model as the source names it")
    organization: str | None = column("VARCHAR", "organization(s) as written (a comma list)")
    published: dt.date | None = column("DATE", "publication date (NULL: none given)")
    countries: list[str] = column("VARCHAR[]", "ISO code of each distinct country named")
    unplaced: list[str] = column("VARCHAR[]", "country names naming no country ('Multinational')")
    frontier: bool = column("BOOLEAN", "the source's frontier flag (Epoch: 'Frontier model')")
    criteria: list[str] = column("VARCHAR[]", "why the source lists it ('SOTA improvement', ...)")


MIGRATIONS_TABLE = Table("migrations", MigrationRow)
META = Table("meta", MetaRow)
SOURCES = Table("sources", SourceRow)
LABS = Table("labs", LabRow)
LAB_ALIASES = Table("lab_aliases", LabAliasRow)
FAMILIES = Table("families", FamilyRow)
MODELS = Table("models", ModelRow)
MODEL_ALIASES = Table("model_aliases", ModelAliasRow)
FACTS = Table("model_facts", FactRow, indexes=(("facts_model", ("model_id",)),))
BENCHMARKS = Table("benchmarks", BenchmarkRow)
SCORES = Table("scores", ScoreRow)
PRICES = Table("prices", PriceRow, indexes=(("prices_model", ("model_id",)),))
UNMATCHED = Table("unmatched", UnmatchedRow)
PROBLEMS = Table("problems", ProblemRow)
ROLLING_ALIASES = Table("rolling_aliases", RollingAliasRow)
BOARDS = Table("boards", BoardRow)
CONFLICTS = Table("fact_conflicts", ConflictRow)
RESOLVER_NAMES = Table("resolver_names", ResolverNameRow)
RESOLVER_MODELS = Table("resolver_models", ResolverModelRow)
RESOLVER_LABS = Table("resolver_labs", ResolverLabRow)
MODEL_PARTS = Table("model_parts", PartsRow)
PROVIDER_ALIASES = Table("provider_aliases", ProviderAliasRow)
NOTABLE = Table("notable_models", NotableRow)

ALL: tuple[Table[Any], ...] = (
    META,
    SOURCES,
    LABS,
    LAB_ALIASES,
    FAMILIES,
    MODELS,
    MODEL_ALIASES,
    FACTS,
    BENCHMARKS,
    SCORES,
    PRICES,
    UNMATCHED,
    PROBLEMS,
    ROLLING_ALIASES,
    BOARDS,
    CONFLICTS,
    RESOLVER_NAMES,
    RESOLVER_MODELS,
    RESOLVER_LABS,
    MODEL_PARTS,
    PROVIDER_ALIASES,
    NOTABLE,
)
"""Every table of a wholeads database (the migrations table aside), in creation order."""
