"""The domain types of wholeads, in one place.

Curated types (Lab, Family, ModelVersion, Benchmark) reject unknown fields so a typo in a knowledge
base file is an error, not a silently ignored fact. Records produced by importers (ModelRecord,
ScoreRecord, PriceRecord, LabRecord) carry raw upstream names plus Provenance; resolution to
canonical ids happens later, in one place (resolve.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Date = dt.date
SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=120)]


class Strict(BaseModel):
    """Base for curated types: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LabType(StrEnum):
    frontier_lab = "frontier_lab"
    big_tech = "big_tech"
    startup = "startup"
    academic = "academic"
    government = "government"


class ModelKind(StrEnum):
    llm = "llm"
    reasoning = "reasoning"
    vision_language = "vision_language"
    image_generation = "image_generation"
    video_generation = "video_generation"
    embedding = "embedding"


class Architecture(StrEnum):
    dense = "dense"
    moe = "moe"


class Modality(StrEnum):
    text = "text"
    image = "image"
    audio = "audio"
    video = "video"
    pdf = "pdf"


class SourceRef(Strict):
    """Where a curated fact comes from and when it was true."""

    url: str = Field(pattern=r"^https?://\S+$")
    """Public URL that states the fact."""
    as_of: Date
    """Date on which the source was read or the fact was stated."""


class Lab(Strict):
    """An organization that builds models."""

    id: Slug
    """Canonical id, equal to the knowledge base file name."""
    name: str
    """Display name."""
    aliases: list[str] = []
    """Other spellings seen in sources (e.g. 'DeepSeek AI', 'deepseek-ai')."""
    country: str = Field(pattern=r"^[A-Z]{2}$")
    """Headquarters country, ISO 3166-1 alpha-2."""
    type: LabType
    """Kind of organization."""
    homepage: str | None = None
    """Official web site."""
    source: SourceRef
    """Source of the lab facts."""


DatePrecision = Literal["day", "month", "year"]
"""How much of a date a source states: '2026-07' is month precision."""


class LaunchPrice(Strict):
    """A list price the lab announced, valid from a date (so the past keeps its prices)."""

    input: float = Field(ge=0, le=10_000)
    """USD per million input tokens."""
    output: float = Field(ge=0, le=10_000)
    """USD per million output tokens."""
    valid_from: Date
    """First day the price applied (usually the launch or the price-change announcement)."""
    valid_to: Date | None = None
    """First day it no longer applied, when a later price replaced it."""
    provider: str | None = None
    """Who charged it; defaults to the family's lab (first-party API)."""
    source: SourceRef
    """The announcement or pricing page that states it."""


class ModelVersion(Strict):
    """One canonical model version (a checkpoint users can name), with its facts."""

    id: Slug
    """Canonical version id, e.g. 'deepseek-r1-0528'."""
    name: str
    """Display name."""
    release_date: Date | None = None
    """First public release (announcement with access)."""
    release_precision: DatePrecision = "day"
    """'month' when only the month is known (the date is then the 1st): for look-ahead the
    model counts from the last day of that month."""
    aliases: list[str] = []
    """Other spellings that mean exactly this version."""
    kind: ModelKind | None = None
    """Overrides the family kind for this version."""
    open_weights: bool | None = None
    """Weights downloadable by the public."""
    license: str | None = None
    """SPDX id (MIT, Apache-2.0) or a named license ('Llama 3 Community', 'proprietary')."""
    params_total_b: float | None = Field(default=None, gt=0)
    """Total parameters, billions."""
    params_active_b: float | None = Field(default=None, gt=0)
    """Active parameters per token (MoE), billions."""
    architecture: Architecture | None = None
    """Dense or mixture-of-experts."""
    context_window: int | None = Field(default=None, gt=0)
    """Maximum input context, tokens."""
    max_output: int | None = Field(default=None, gt=0)
    """Maximum output, tokens."""
    input_modalities: list[Modality] = []
    """What the model accepts."""
    output_modalities: list[Modality] = []
    """What the model produces."""
    price_input: float | None = Field(default=None, ge=0)
    """First-party API price, USD per million input tokens."""
    price_output: float | None = Field(default=None, ge=0)
    """First-party API price, USD per million output tokens."""
    prices: list[LaunchPrice] = []
    """Dated list prices (launch price, later cuts), each with its own source."""
    source: SourceRef | None = None
    """Source of this version's facts; defaults to the family's source."""

    @field_validator("params_active_b")
    @classmethod
    def _active_not_above_total(cls, value: float | None, info: Any) -> float | None:
        total = info.data.get("params_total_b")
        if value is not None and total is not None and value > total:
            raise ValueError("params_active_b is larger than params_total_b; swap them")
        return value


class Family(Strict):
    """A model family (one knowledge base file), grouping versions of one lab."""

    id: Slug
    """Canonical family id, equal to the file name."""
    name: str
    """Display name of the family."""
    lab: Slug
    """Id of the lab that develops it."""
    kind: ModelKind
    """Default kind of its versions."""
    source: SourceRef
    """Default source of the versions' facts."""
    versions: list[ModelVersion] = Field(min_length=1)
    """The versions, oldest first."""


class Benchmark(Strict):
    """A benchmark or arena category that produces scores."""

    id: Slug
    """Canonical id, e.g. 'lmarena-text-full', 'aider-polyglot'."""
    name: str
    """Display name."""
    domain: str | None = None
    """Main capability domain it measures (see kb/domains.yaml)."""
    metric: str
    """What the value is: 'elo', 'percent', 'score'."""
    higher_is_better: bool = True
    """Direction of the metric."""
    scale: str | None = None
    """Range or unit, e.g. '0-100', 'Elo (400, base 10)'."""


class Source(Strict):
    """A public data source that wholeads imports."""

    id: Slug
    """Folder name under the mirror, e.g. 'epoch-eci'."""
    name: str
    url: str
    """Public URL the online update fetches from."""
    license: str
    retrieved_at: dt.datetime | None = None
    content_hash: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Where an imported record came from, down to file and row.

    Importer records are slotted dataclasses, not pydantic models: an update builds about half
    a million of them, and their fields are set by our own translate code, not by users.
    """

    source: str
    file: str
    row: int | None = None
    """1-based record number (data row for CSV, entry for JSON/YAML)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LabRecord:
    """An organization as a source names it, with the country it gives (if any)."""

    name: str
    country: str | None = None
    """ISO 3166-1 alpha-2 when the source gives one."""
    type: LabType | None = None
    prov: Provenance


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelRecord:
    """Facts about a model as one source states them (raw name; resolved later)."""

    name: str
    """The model string exactly as the source spells it."""
    lab: str | None = None
    """Organization string as the source gives it (or the lab folder/vendor prefix)."""
    family: str | None = None
    release_date: Date | None = None
    release_precision: DatePrecision = "day"
    """How much of ``release_date`` the source states ('2026-07' -> 'month', date = the 1st)."""
    open_weights: bool | None = None
    license: str | None = None
    params_total_b: float | None = None
    params_active_b: float | None = None
    context_window: int | None = None
    max_output: int | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    kind: ModelKind | None = None
    training_compute_flop: float | None = None
    knowledge_cutoff: str | None = None
    """The training data's cutoff as the source states it: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'."""
    prov: Provenance


DatedBy = Literal["observed", "table", "snapshot"]
"""How a score's date was obtained:

- ``observed``: the row was public on that date (an arena snapshot, a dated run, a 'first listed'
  or 'date added' column): it counts from that date;
- ``table``: the date of the table or edition the row belongs to (LiveBench question sets); rows
  may be added to a table later, so the row counts from the later of that date and the model's
  availability;
- ``snapshot``: the source gives no date; the date is the day the file was captured: the row
  counts from then, and its data is dated by the model's availability (for freshness).
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreRecord:
    """One score of one model on one benchmark at one date."""

    name: str
    """Raw model string."""
    lab: str | None = None
    """Raw organization string, when the source gives one."""
    benchmark: str
    """Benchmark id (see Benchmark)."""
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    """Votes or samples."""
    as_of: Date
    """The date the source gives the value (see ``dated_by``)."""
    dated_by: DatedBy = "observed"
    """What ``as_of`` means, which decides from when the value may be used (no look-ahead)."""
    setting: str | None = None
    """E.g. reasoning effort 'high', 'style_control', '128k'."""
    prov: Provenance


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceRecord:
    """A price of a model at a provider, valid over a period."""

    name: str
    provider: str
    input_per_mtok: float | None = None
    output_per_mtok: float | None = None
    valid_from: Date | None = None
    """Start of validity as the source states it; None = undated: the build then dates it by
    the day it was observed (the batch's ``observed`` date), never by the model's release."""
    valid_to: Date | None = None
    prov: Provenance


@dataclass(frozen=True, slots=True, kw_only=True)
class NotableRecord:
    """One entry of a notable-models list as the source states it (Epoch's "Notable AI Models"):
    who made it, where, when, and the source's own flags. Counted per ecosystem, never resolved."""

    name: str
    """The model as the source names it."""
    organization: str | None = None
    """Organization string as the source gives it (a comma list for several)."""
    published: Date | None = None
    """Publication date (None when the source gives none); kept however old."""
    countries: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2 code of each distinct country named, in the source's order."""
    unplaced: tuple[str, ...] = ()
    """Country names that name no country ('Multinational'), as written."""
    frontier: bool = False
    """The source's frontier flag ('True' in Epoch's 'Frontier model' column)."""
    criteria: tuple[str, ...] = ()
    """Why the source lists it ('SOTA improvement', 'Highly cited', ...)."""
    prov: Provenance


@dataclass(kw_only=True)
class SourceBatch:
    """Everything one source produced in one run."""

    source: str
    models: list[ModelRecord] = field(default_factory=list)
    scores: Sequence[ScoreRecord] = field(default_factory=list)
    """As records, or as columns (``ingest.score_columns``) once they crossed from the parse
    worker: read them as a sequence."""
    prices: list[PriceRecord] = field(default_factory=list)
    labs: list[LabRecord] = field(default_factory=list)
    benchmarks: list[Benchmark] = field(default_factory=list)
    notable: list[NotableRecord] = field(default_factory=list)
    """Entries of a notable-models list (Epoch's), kept whole for the per-ecosystem counts."""
    problems: list[str] = field(default_factory=list)
    """Unreadable records, each naming file and line: reported, never dropped silently."""
    observed: Date | None = None
    """The day these files were captured (the mirror copy's date, or the download day): undated
    prices count from it, and a model listed here existed by then."""


@dataclass(kw_only=True)
class ParsedBatch(SourceBatch):
    """A batch as a parser builds it, its scores a list to append to (the gate's accepted batch
    may hold them as columns)."""

    scores: list[ScoreRecord] = field(default_factory=list)
