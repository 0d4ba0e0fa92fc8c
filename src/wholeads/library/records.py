"""What the library returns: plain dataclasses whose fields are the answer's, with one flat row
per item for tables (``rows()``), Arrow (``to_arrow()``) and pandas (``to_pandas()``).

``to_dict()`` is the JSON the CLI prints with ``--json`` (dates as ISO strings); the CLI's
``--csv`` and ``--parquet`` write ``rows()``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from wholeads.analysis.frontier import GapPoint, Trend
from wholeads.analysis.leaders import DomainLeaders, GroupBest
from wholeads.analysis.verdicts import VERDICTS
from wholeads.convert import to_jsonable

if TYPE_CHECKING:
    import pandas
    import pyarrow

PANDAS_MISSING = (
    "to_pandas() needs pandas, which wholeads does not install: pip install pandas "
    "(to_arrow() and rows() need nothing more)"
)


class Tabular:
    """One flat row per item, and the same rows as an Arrow table or a pandas DataFrame."""

    def rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def to_dict(self) -> Any:
        """The JSON-ready answer (what `--json` prints)."""
        return to_jsonable(dataclasses.asdict(self))  # type: ignore[call-overload]

    def to_arrow(self) -> pyarrow.Table:
        """The rows as an Arrow table (dates as date32, nested values as JSON text)."""
        import pyarrow as pa

        return pa.Table.from_pylist([flat_row(r) for r in self.rows()])

    def to_pandas(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame (pandas is optional: a clear error without it)."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise ImportError(PANDAS_MISSING) from None
        return self.to_arrow().to_pandas()


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """Scalars and dates as they are; lists and dicts as JSON text, so every column has one
    Arrow type whatever the row."""
    return {
        k: json.dumps(to_jsonable(v), ensure_ascii=False) if isinstance(v, list | dict) else v
        for k, v in row.items()
    }


@dataclasses.dataclass(frozen=True)
class Leaders(Tabular):
    """Who leads each domain at one date."""

    as_of: dt.date
    by: str
    domains: list[DomainLeaders]

    def to_dict(self) -> Any:
        return to_jsonable([d.to_dict() for d in self.domains])

    def rows(self) -> list[dict[str, Any]]:
        """One row per domain and group (one row with no group when nothing is scored)."""
        out = []
        for d in self.domains:
            gap = d.gap
            common = {
                "domain": d.domain, "as_of": d.as_of, "by": d.by, "status": d.status,
                "leader": d.leader, "verdict": d.verdict,
                "gap": None if gap is None else gap.points,
                "gap_bound": None if gap is None else gap.bound,
                "runner_up": None if gap is None else gap.runner_up,
                "win_probability": None if gap is None else gap.win_probability,
                "lag_months": None if gap is None else gap.lag_months,
                "unit": d.unit, "evidence": d.primary, "evidence_date": d.evidence_date,
                "age_days": d.age_days, "stale": d.stale,
            }  # fmt: skip
            groups: list[GroupBest | None] = list(d.groups) or [None]
            for g in groups:
                out.append({
                    **common,
                    "group": None if g is None else g.group,
                    "model_id": None if g is None else g.model_id,
                    "lab_id": None if g is None else g.lab_id,
                    "score": None if g is None else g.score,
                    "ci_low": None if g is None else g.ci_low,
                    "ci_high": None if g is None else g.ci_high,
                    "on_board": None if g is None else g.on_board,
                    "below": None if g is None else g.below,
                    "source": None if g is None else g.source,
                    "date": None if g is None else g.date,
                })  # fmt: skip
        return out


@dataclasses.dataclass(frozen=True)
class GapSeries(Tabular):
    """Two groups' frontiers over time in one domain: the gap, the lag and the trend."""

    domain: str
    name: str
    a: str
    b: str
    by: str
    evidence: str
    unit: str
    series: list[GapPoint]
    trend: list[Trend]
    """The gap's direction over the last 6 and 12 months."""
    status: str
    events: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    """The policy timeline's events inside the series' dates (kb/policy), for chart markers."""
    scale: str = ""
    """The evidence's scale (elo, percent, ...): what the percent and win probability mean."""

    def rows(self) -> list[dict[str, Any]]:
        """One row per date."""
        return [{"domain": self.domain, "a": self.a, "b": self.b, **dataclasses.asdict(g)}
                for g in self.series]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Frontier(Tabular):
    """Each group's running best over time in one domain."""

    domain: str
    name: str
    by: str
    evidence: str
    frontier: list[dict[str, Any]]
    """One step per date and group: date, group, value, model_id."""
    status: str
    unit: str = ""
    """The unit of the evidence used."""

    def rows(self) -> list[dict[str, Any]]:
        return [{"domain": self.domain, "evidence": self.evidence, **r} for r in self.frontier]


@dataclasses.dataclass(frozen=True)
class Pareto(Tabular):
    """Score against blended price per group at one date."""

    domain: str
    name: str
    as_of: dt.date
    evidence: str
    scale: str
    evidence_date: dt.date | None
    per_dollar_meaningful: bool
    threshold: float | None
    price_cap: float | None
    groups: list[dict[str, Any]]
    points: list[dict[str, Any]]
    status: str

    def to_dict(self) -> Any:
        """The answer without every priced point (``rows()`` has them)."""
        out = to_jsonable(dataclasses.asdict(self))
        out.pop("points")
        return out

    def rows(self) -> list[dict[str, Any]]:
        """One row per priced model, with whether it is on its group's Pareto frontier."""
        on_front = {(g["group"], x["model_id"]) for g in self.groups for x in g["frontier"]}
        return [{"domain": self.domain, "as_of": self.as_of, **p,
                 "on_frontier": (p["group"], p["model_id"]) in on_front}
                for p in self.points]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Models(Tabular):
    """Models matching filters, newest first."""

    models: list[dict[str, Any]]
    """id, name, lab, country, ecosystem, kind, release_date, open_weights, license,
    params_total_b, params_active_b, context_window, price_input, price_output."""

    def to_dict(self) -> Any:
        return to_jsonable(self.models)

    def rows(self) -> list[dict[str, Any]]:
        return list(self.models)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """One claim's verdict with its evidence."""

    id: str
    verdict: str
    """supported, contradicted, tie, undecided or insufficient_evidence."""
    explanation: str
    evidence: Any
    text: str
    kind: str
    as_of: dt.date


@dataclasses.dataclass(frozen=True)
class Verdicts(Tabular):
    """The verdicts of a claims file, in the file's order."""

    claims: list[Verdict]

    def to_dict(self) -> Any:
        return to_jsonable([dataclasses.asdict(c) for c in self.claims])

    def counts(self) -> dict[str, int]:
        """How many claims got each verdict."""
        out = dict.fromkeys(VERDICTS, 0)
        for c in self.claims:
            out[c.verdict] = out.get(c.verdict, 0) + 1
        return out

    def rows(self) -> list[dict[str, Any]]:
        return [dataclasses.asdict(c) for c in self.claims]


@dataclasses.dataclass(frozen=True)
class Advice(Tabular):
    """A shortlist for a task under constraints, each ecosystem's best pick, the exclusions."""

    task: str
    name: str
    as_of: dt.date
    evidence: dict[str, Any] | None
    not_on_board: list[str]
    constraints: list[str]
    pool: int
    shortlist: list[dict[str, Any]]
    best_by_ecosystem: dict[str, Any]
    ecosystem_notes: dict[str, str]
    excluded: list[dict[str, Any]]
    binding_constraint: str | None
    remaining_after: list[dict[str, Any]]
    memory: dict[str, Any]
    permissive_licenses: list[str]

    def rows(self) -> list[dict[str, Any]]:
        """The shortlist, best first, with its rank."""
        return [{"rank": i, **e} for i, e in enumerate(self.shortlist, 1)]
