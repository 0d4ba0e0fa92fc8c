"""Plausibility gates: what an update lets into the database from one source's batch.

Two levels. A *value* no source can mean (an Elo of 1e308, a price of -5000, a score dated
after the files were fetched) is rejected: the record (or just that field) is dropped and a
problem names the file, line and field, so one bad cell cannot change an answer. A *source*
whose batch lost more than a set share of the last good data's rows, or whose problems exceed a
set share of what it read, is refused as a whole: the update keeps its last good data.

Pure: a batch, the source's declared limits (``sources/limits.py``), the snapshot date and the
last good row counts in; the accepted batch and the verdict out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from operator import attrgetter
from typing import Any

from wholeads.schema import (
    ModelRecord,
    PriceRecord,
    Provenance,
    ScoreRecord,
    SourceBatch,
)


@dataclass(frozen=True)
class Unit:
    """A unit and the closed range of values a source can plausibly give in it."""

    name: str
    low: float
    high: float

    def reject(self, value: float) -> str | None:
        """Why ``value`` is not plausible in this unit, or None when it is."""
        if not math.isfinite(value):
            return f"{value} is not a finite number"
        if not self.low <= value <= self.high:
            return f"{value:g} is outside {self.low:,g} to {self.high:,g} ({self.name})"
        return None


ELO = Unit("Elo", 0, 3_000)
PERCENT = Unit("percent or 0-100 score", 0, 100)
GRADE_0_10 = Unit("grade, 0-10", 0, 10)
ECI = Unit("Epoch Capabilities Index", 0, 500)
MINUTES = Unit("minutes", 0, 1e6)
USD_PER_RUN = Unit("USD per benchmark run", 0, 1e6)
USD_PER_MTOK = Unit("USD per million tokens", 0, 10_000)
TOKENS = Unit("tokens", 1, 1e9)
BILLION_PARAMS = Unit("billions of parameters", 1e-9, 1e5)
FLOP = Unit("FLOP", 1, 1e30)
COUNT = Unit("count", 0, 1e12)

MODEL_FIELDS: Mapping[str, Unit] = {
    "context_window": TOKENS,
    "max_output": TOKENS,
    "params_total_b": BILLION_PARAMS,
    "params_active_b": BILLION_PARAMS,
    "training_compute_flop": FLOP,
}
"""The numeric facts of a model and their units (the same for every source)."""

CI_MARGIN = 0.1
"""An interval may reach this share of its unit's span beyond the unit's range (a normal
approximation can dip below 0%)."""
DATE_SLACK = dt.timedelta(days=1)
"""A date may be one day after the snapshot date: upstream dates are often in a time zone ahead
of UTC, the zone of retrieval times."""
PRICE_START_HORIZON = dt.timedelta(days=366)
"""A price may be announced to start up to a year after the snapshot (a scheduled change)."""
PRICE_END_HORIZON = dt.timedelta(days=3653)
"""A price may be announced to end up to ten years after the snapshot, not later."""
_HORIZONS = {PRICE_START_HORIZON: "a year", PRICE_END_HORIZON: "ten years"}


@dataclass(frozen=True)
class Limits:
    """What one source's data may look like, declared with the source in ``sources/limits.py``."""

    scores: tuple[tuple[str, Unit], ...] = ()
    """(benchmark id pattern, unit) pairs, first match wins (``fnmatch``: 'lmarena-*'); a score
    whose benchmark matches none is rejected."""
    max_row_loss: float = 0.25
    """The largest share of the last good data's records of a kind (models, scores, prices,
    labs), or of the filled values of a covered field, one update may lose."""
    max_problem_share: float = 0.2
    """The largest share of problems among everything read (records plus problems)."""

    def unit_of(self, benchmark: str) -> Unit | None:
        """The unit of a benchmark's scores, or None when the source declares none for it."""
        return next(
            (unit for pattern, unit in self.scores if fnmatchcase(benchmark, pattern)), None
        )


COVERED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "models": ("lab", "release_date", "open_weights", "license", "params_total_b",
               "context_window", "max_output", "kind", "training_compute_flop"),
    "scores": ("lab", "ci_low", "n", "setting"),
    "prices": ("input_per_mtok", "output_per_mtok", "valid_from"),
    "labs": ("country", "type"),
}  # fmt: skip
"""Fields whose filled values are counted: a key gone upstream empties one field everywhere
while the record counts stay the same (end dates are left out: they come and go)."""
MIN_FIELD_COUNT = 20
"""Fields filled fewer times than this in the last good data are not compared."""


_FILE_OF = attrgetter("prov.file")


def _filled(records: list[Any], name: str) -> int:
    """How many of ``records`` have a value for ``name`` (not None, not empty)."""
    values = list(map(attrgetter(name), records))
    return len(values) - values.count(None) - values.count("")


@dataclass(frozen=True)
class Counts:
    """How much a source holds: records of each kind, and filled values of the covered fields
    ('prices.output_per_mtok': 361). The last good data's counts are what a new batch is
    compared with."""

    models: int = 0
    scores: int = 0
    prices: int = 0
    labs: int = 0
    fields: Mapping[str, int] = field(default_factory=dict)
    files: Mapping[str, int] = field(default_factory=dict)
    """Records per file (``source/path``), to say where rows went missing."""

    @classmethod
    def of(cls, batch: SourceBatch) -> Counts:
        filled = {
            f"{kind}.{name}": _filled(getattr(batch, kind), name)
            for kind, names in COVERED_FIELDS.items()
            for name in names
        }
        files: Counter[str] = Counter()
        for kind in COVERED_FIELDS:
            files.update(map(_FILE_OF, getattr(batch, kind)))
        return cls(
            len(batch.models),
            len(batch.scores),
            len(batch.prices),
            len(batch.labs),
            filled,
            {f"{batch.source}/{file}": n for file, n in files.items()},
        )

    def to_json(self) -> dict[str, Any]:
        return {"models": self.models, "scores": self.scores, "prices": self.prices,
                "labs": self.labs, "fields": dict(self.fields),
                "files": dict(self.files)}  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> Counts | None:
        """Counts saved by ``to_json``; None when ``data`` is not such an object."""
        try:
            fields, files = ({str(k): int(v) for k, v in dict(data.get(part, {})).items()}
                             for part in ("fields", "files"))  # fmt: skip
            models, scores, prices, labs = (
                int(data[k]) for k in ("models", "scores", "prices", "labs")
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        return cls(models, scores, prices, labs, fields, files)


@dataclass
class Verdict:
    """The accepted part of a batch and, when the source as a whole is refused, why."""

    batch: SourceBatch
    counts: Counts
    """What the accepted batch holds (saved with it as last good data)."""
    rejected: int = 0
    """Records or fields dropped as implausible (each also listed in ``batch.problems``)."""
    failure: str | None = None


def gate(
    batch: SourceBatch,
    limits: Limits,
    snapshot: dt.date,
    previous: Counts | None = None,
    *,
    allow_shrink: bool = False,
) -> Verdict:
    """Drop the implausible values of ``batch`` (each becomes a problem), then judge the source:
    refused when its problems exceed ``limits.max_problem_share`` of what it read, or (unless
    ``allow_shrink``) when it lost more than ``limits.max_row_loss`` of ``previous``."""
    checker = _Checker(limits, snapshot)
    accepted = SourceBatch(
        source=batch.source,
        models=[m for m in map(checker.model, batch.models) if m is not None],
        scores=[s for s in map(checker.score, batch.scores) if s is not None],
        prices=[p for p in map(checker.price, batch.prices) if p is not None],
        labs=batch.labs,
        benchmarks=batch.benchmarks,
        notable=batch.notable,
        problems=[*batch.problems, *checker.problems],
        observed=batch.observed,  # undated prices count from it: the gate must not lose it
    )
    verdict = Verdict(accepted, Counts.of(accepted), rejected=len(checker.problems))
    reasons = [_problem_share(accepted, limits)]
    if previous is not None and not allow_shrink:
        reasons += _row_loss(verdict.counts, previous, limits.max_row_loss)
    found = [r for r in reasons if r]
    if found:
        verdict.failure = "; ".join(found) + problem_files(accepted.problems)
    return verdict


def problem_files(problems: list[str], top: int = 3) -> str:
    """The files with the most problems, each with its count and first problem, as a sentence
    to append to a failure ('' without problems)."""
    by_file: dict[str, list[str]] = {}
    for problem in problems:
        by_file.setdefault(problem.split(":", 1)[0], []).append(problem)
    ranked = sorted(by_file.items(), key=lambda item: -len(item[1]))[:top]
    if not ranked:
        return ""
    return ". Most problems in " + "; ".join(
        f"{file} ({len(found):,}, e.g. {found[0]})" for file, found in ranked
    )


def _problem_share(batch: SourceBatch, limits: Limits) -> str | None:
    records = len(batch.models) + len(batch.scores) + len(batch.prices) + len(batch.labs)
    problems = len(batch.problems)
    if not problems:
        return None
    share = problems / (problems + records)
    if share <= limits.max_problem_share:
        return None
    return (
        f"{problems:,} problems for {records:,} records read ({share:.0%} of the rows, more "
        f"than the {limits.max_problem_share:.0%} allowed)"
    )


def _row_loss(now: Counts, before: Counts, max_loss: float) -> list[str]:
    """What shrank by more than ``max_loss``: records of a kind, or filled values of a field."""
    compared = [(kind, getattr(now, kind), getattr(before, kind), 1) for kind in COVERED_FIELDS]
    compared += [
        (f"{name.split('.')[0]} with a value for {name.split('.')[1]}", now.fields.get(name, 0),
         old, MIN_FIELD_COUNT)
        for name, old in before.fields.items()
    ]  # fmt: skip
    lost = [
        f"{new:,} {what} where the last good data had {old:,} ({(old - new) / old:.0%} fewer)"
        for what, new, old, least in compared
        if old >= least and new < old * (1 - max_loss)
    ]
    if lost:
        lost[-1] += (
            f", more than the {max_loss:.0%} allowed (if upstream really shrank, rerun with "
            "--accept-shrink SOURCE)" + _files_that_shrank(now, before)
        )
    return lost


def _files_that_shrank(now: Counts, before: Counts, top: int = 3) -> str:
    """The files that lost the most records, as a sentence ('' when none is known)."""
    drops = sorted(
        ((old - now.files.get(f, 0), f, old) for f, old in before.files.items()), reverse=True
    )
    named = [
        f"{f} ({old:,} -> {now.files.get(f, 0):,})" for lost, f, old in drops[:top] if lost > 0
    ]
    return f". Most records were lost from {', '.join(named)}" if named else ""


def _interval(value: float, low: float | None, high: float | None, wide: Unit) -> str | None:
    """Why an interval around ``value`` is implausible: a bound outside ``wide`` or on the wrong
    side of the value; None when it is plausible (or absent)."""
    for bound in (low, high):
        if bound is not None and (why := wide.reject(bound)):
            return why
    if (low is not None and low > value) or (high is not None and high < value):
        return f"[{low}, {high}] does not contain the value {value:g}"
    return None


@dataclass
class _Checker:
    limits: Limits
    snapshot: dt.date
    problems: list[str] = field(default_factory=list)
    _units: dict[str, tuple[Unit, Unit] | None] = field(default_factory=dict)

    def _unit(self, benchmark: str) -> tuple[Unit, Unit] | None:
        """The benchmark's unit and the slightly wider range its intervals may reach (cached: a
        source has a few dozen benchmarks and up to ~100,000 scores)."""
        if benchmark not in self._units:
            unit = self.limits.unit_of(benchmark)
            margin = CI_MARGIN * (unit.high - unit.low) if unit else 0.0
            self._units[benchmark] = (
                (unit, Unit(unit.name, unit.low - margin, unit.high + margin)) if unit else None
            )
        return self._units[benchmark]

    def _reject(self, prov: Provenance, name: str, why: str, what: str) -> None:
        line = f":{prov.row}" if prov.row is not None else ""
        self.problems.append(f"{prov.source}/{prov.file}{line}: field '{name}': {why}; {what}")

    def _after(self, day: dt.date | None, slack: dt.timedelta) -> str | None:
        """Why ``day`` is too late, or None: later than the snapshot date plus ``slack``."""
        if day is None or day <= self.snapshot + slack:
            return None
        beyond = f"more than {_HORIZONS[slack]} " if slack in _HORIZONS else ""
        return f"{day} is {beyond}after the snapshot date {self.snapshot}"

    def score(self, s: ScoreRecord) -> ScoreRecord | None:
        units = self._unit(s.benchmark)
        if units is None:
            undeclared = f"no unit is declared for benchmark '{s.benchmark}' in sources/limits.py"
            self._reject(s.prov, "benchmark", undeclared, "score rejected")
            return None
        unit, wide = units
        if not unit.low <= s.value <= unit.high:  # the fast path first: NaN fails it too
            bad_value = unit.reject(s.value)
            self._reject(s.prov, "value", f"{bad_value} for {s.benchmark}", "score rejected")
            return None
        if late := self._after(s.as_of, DATE_SLACK):
            self._reject(s.prov, "as_of", late, "score rejected")
            return None
        low, high, n = s.ci_low, s.ci_high, s.n
        if (
            (low is None or wide.low <= low <= s.value)
            and (high is None or s.value <= high <= wide.high)
            and (n is None or COUNT.low <= n <= COUNT.high)
        ):
            return s
        changes: dict[str, Any] = {}
        if bad_ci := _interval(s.value, low, high, wide):
            self._reject(s.prov, "ci", bad_ci, "interval dropped")
            changes.update(ci_low=None, ci_high=None)
        if s.n is not None and (bad_n := COUNT.reject(s.n)):
            self._reject(s.prov, "n", bad_n, "count dropped")
            changes["n"] = None
        return dataclasses.replace(s, **changes) if changes else s

    def price(self, p: PriceRecord) -> PriceRecord | None:
        if late := self._after(p.valid_from, PRICE_START_HORIZON):
            self._reject(p.prov, "valid_from", late, "price rejected")
            return None
        if late := self._after(p.valid_to, PRICE_END_HORIZON):
            self._reject(p.prov, "valid_to", late, "price rejected")
            return None
        changes: dict[str, Any] = {}
        for name in ("input_per_mtok", "output_per_mtok"):
            value = getattr(p, name)
            if value is not None and (bad := USD_PER_MTOK.reject(value)):
                self._reject(p.prov, name, bad, "value dropped")
                changes[name] = None
        if not changes:
            return p
        kept = dataclasses.replace(p, **changes)
        return kept if kept.input_per_mtok is not None or kept.output_per_mtok is not None else None

    def model(self, m: ModelRecord) -> ModelRecord:
        changes: dict[str, Any] = {}
        if late := self._after(m.release_date, DATE_SLACK):
            self._reject(m.prov, "release_date", late, "release date dropped")
            changes["release_date"] = None
        for name, unit in MODEL_FIELDS.items():
            value = getattr(m, name)
            if value is not None and (bad := unit.reject(value)):
                self._reject(m.prov, name, bad, "fact dropped")
                changes[name] = None
        return dataclasses.replace(m, **changes) if changes else m
