"""The report's content: every section assembled from the answers, with each number tied to its
source and date. Reads the database only through the connection passed in; writes nothing.

One ``Reader`` serves the whole report, so evidence shared by several domains (the LMArena text
snapshots feed general, small models and the price gate) is read once, and each domain's history
is read once and turned into the ecosystem frontier, the openness frontier and the gap alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from wholeads.analysis.changes import KIND_TITLES, ChangeItem, LeaderMove
from wholeads.analysis.leaders import VERDICT_WORDS, DomainLeaders, GroupBest
from wholeads.analysis.watch import Firing
from wholeads.charts import specs
from wholeads.charts.render import Renderer
from wholeads.claims.watchfile import EXAMPLE, NewOpenWeightsRule, read_watch
from wholeads.errors import UserError
from wholeads.kb.domains import DomainSpec, EvidenceSpec, load_domains
from wholeads.kb.ecosystems import ecosystem_ids
from wholeads.kb.timeline import PolicyEvent, events_between, load_timeline
from wholeads.query.answers import (
    compute_leaders,
    frontier_report,
    gap_report,
    group_order,
    pareto_report,
)
from wholeads.query.catalog import chosen_fact
from wholeads.query.changes import ChangeSet, changes_between
from wholeads.query.evidence import Reader
from wholeads.query.figures import GapAnswers
from wholeads.query.sources import source_rows
from wholeads.query.watch import fire_rules
from wholeads.report.figures import FIGURES, FigureSection, figure_sections
from wholeads.units import age_text, fmt

KB_SOURCE = "kb"
RELEASE_KINDS = ("new_model", "open_weights")
DEFAULT_SINCE_MONTHS = 3
GAP_A, GAP_B = "US", "CN"


@dataclass(frozen=True)
class Cite:
    """Where a number comes from: a source id, its name and its homepage (or the fact's URL)."""

    source: str
    name: str
    url: str | None


@dataclass(frozen=True)
class Num:
    """A number as the report prints it, with its sources and the date it is valid for."""

    text: str
    cites: tuple[Cite, ...]
    date: dt.date | None
    note: str = ""
    """A short qualifier printed after the number (a confidence interval, a win probability)."""


@dataclass(frozen=True)
class Cell:
    """One group's best model in a table: the model and its score."""

    model_id: str
    score: Num


@dataclass(frozen=True)
class LeaderRow:
    domain: str
    name: str
    status: str
    leader: str | None
    cells: dict[str, Cell | None]
    gap: Num | None
    runner_up: str | None
    significant: str
    """The verdict in words: significant lead, statistical tie, not tested."""
    lag: Num | None
    evidence: str | None
    agree: str
    evidence_age: str = ""
    """'8 months old' (at the report's date)."""
    stale: bool = False
    bound: bool = False
    """The runner-up is below a top-N board's cut-off: the gap is at least the number shown."""


@dataclass(frozen=True)
class EvidenceRow:
    """One evidence entry of a domain: its own leader and each group's best."""

    label: str
    why: str
    status: str
    leader: str | None
    stale: bool
    primary: bool
    cells: dict[str, Cell | None]
    gap: Num | None


@dataclass
class DomainSection:
    id: str
    name: str
    description: str
    unit: str
    higher_is_better: bool
    row: LeaderRow
    evidence: list[EvidenceRow]
    trends: list[str]
    charts: dict[str, specs.Spec]
    """Chart slot -> Vega-Lite spec: frontier, gap, pareto, openness (in reading order)."""
    captions: dict[str, str]


@dataclass(frozen=True)
class Change:
    """How one domain's answer moved between two dates (the leader rule is
    ``analysis.changes.LeaderMove``'s: one implementation for the report, CLI, API and feed)."""

    move: LeaderMove
    gap_before: Num | None
    gap_after: Num | None
    new_best: list[str]
    """'CN: ernie-5.0 -> kimi-k3-max' per group whose best model changed."""

    domain = property(lambda self: self.move.domain)
    name = property(lambda self: self.move.name)
    leader_before = property(lambda self: self.move.leader_before)
    leader_after = property(lambda self: self.move.leader_after)
    evidence_before = property(lambda self: self.move.evidence_before)
    evidence_after = property(lambda self: self.move.evidence_after)
    leader_before_same_evidence = property(lambda self: self.move.leader_before_same_evidence)
    evidence_switched = property(lambda self: self.move.evidence_switched)
    new_leader = property(lambda self: self.move.new_leader)


@dataclass(frozen=True)
class NewModel:
    id: str
    name: str
    lab: str
    ecosystem: str
    released: Num


@dataclass
class Changes:
    since: dt.date
    domains: list[Change]
    new_models: list[NewModel]
    items: list[ChangeItem] = field(default_factory=list)
    """Leader changes, gaps beyond noise, lags, price cuts and refreshed evidence (the change
    set of ``wholeads changes``, less the new models listed above)."""
    watch: list[Firing] = field(default_factory=list)
    """The shipped watch file's rules (the article's "what to watch") over the same window."""
    policy: list[PolicyEvent] = field(default_factory=list)
    """The policy timeline's events inside the window (kb/policy)."""

    @property
    def by_kind(self) -> list[tuple[str, list[ChangeItem]]]:
        """(heading, changes) per kind that has any, in reading order."""
        return [(title, [c for c in self.items if c.kind == kind])
                for kind, title in KIND_TITLES.items()
                if any(c.kind == kind for c in self.items)]  # fmt: skip


@dataclass(frozen=True)
class ClaimRow:
    """One claim's verdict, with the sources its evidence cites (each with its date)."""

    id: str
    text: str
    as_of: dt.date | None
    verdict: str
    explanation: str
    cites: tuple[tuple[Cite, dt.date | None], ...]


@dataclass(frozen=True)
class SourceEntry:
    id: str
    name: str
    url: str | None
    license: str
    citation: str
    retrieved: dt.date | None


@dataclass
class Report:
    as_of: dt.date
    since: dt.date
    groups: list[str]
    leaders: list[LeaderRow]
    summary_chart: specs.Spec
    domains: list[DomainSection]
    changes: Changes
    claims: list[ClaimRow] | None
    sources: list[SourceEntry] = field(default_factory=list)
    figures: list[FigureSection] = field(default_factory=list)
    """The standard figures (AI Index, Epoch): report/figures.py."""

    @property
    def title(self) -> str:
        return f"Who leads and where, as of {self.as_of.isoformat()}"


class Citer:
    """Turns the source strings of results ('a, b', or None for a model attribute) into links,
    and remembers every source it cited for the Sources section."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.known = {
            s.id: SourceEntry(
                id=s.id,
                name=s.name or s.id,
                url=s.url or _homepage(s.id),
                license=s.license or "unknown",
                citation=s.citation or "",
                retrieved=s.retrieved_at.date() if s.retrieved_at else None,
            )
            for s in source_rows(con).values()
        }
        self.used: set[str] = set()

    def cite(self, source: str | None) -> tuple[Cite, ...]:
        ids = [s.strip() for s in (source or "").split(",") if s.strip()]
        out = []
        for sid in ids:
            self.used.add(sid)
            entry = self.known.get(sid)
            out.append(Cite(sid, entry.name if entry else sid, entry.url if entry else None))
        return tuple(out)

    def fact(self, model_id: str, name: str) -> tuple[Cite, ...]:
        """The source of a model attribute (the fact chosen for ``models``)."""
        fact = chosen_fact(self.con, model_id, name)
        if fact is None:
            return ()
        if fact.source == KB_SOURCE:
            self.used.add(KB_SOURCE)
            return (Cite(KB_SOURCE, "wholeads knowledge base", fact.url),)
        return self.cite(fact.source)

    def entries(self) -> list[SourceEntry]:
        out = [self.known[s] for s in sorted(self.used) if s in self.known]
        if KB_SOURCE in self.used:
            kb = SourceEntry(
                id=KB_SOURCE,
                name="wholeads knowledge base (curated)",
                url=None,
                license="see each fact's reference",
                citation="labs and model facts curated with a reference per fact; the report "
                "links each fact's own reference",
                retrieved=None,
            )
            out.append(kb)
        return out


def _homepage(source_id: str) -> str | None:
    """A source's homepage from its module, for a database written before URLs were stored."""
    from wholeads.ingest.sources import get_source

    try:
        return get_source(source_id).SPEC.homepage
    except UserError:  # an unknown id simply has no link
        return None


def _num(value: float | None, unit: str, cites: tuple[Cite, ...], date: dt.date | None,
         note: str = "") -> Num | None:  # fmt: skip
    return None if value is None else Num(fmt(value, unit), cites, date, note)


def _cell(g: GroupBest, unit: str, citer: Citer, spec: EvidenceSpec | None) -> Cell:
    ci = ""
    if g.ci_low is not None and g.ci_high is not None:
        ci = f"[{fmt(g.ci_low, unit)}–{fmt(g.ci_high, unit)}]"
    if g.source is None and spec is not None and spec.field:
        cites = citer.fact(g.model_id, spec.field)
    else:
        cites = citer.cite(g.source)
    return Cell(g.model_id, Num(fmt(g.score, unit), cites, g.date, ci))


def _cells(groups: Sequence[GroupBest], columns: Sequence[str], unit: str, citer: Citer,
           spec: EvidenceSpec | None) -> dict[str, Cell | None]:  # fmt: skip
    by_group = {g.group: g for g in groups}
    return {c: _cell(by_group[c], unit, citer, spec) if c in by_group else None for c in columns}


def _entry(domain: DomainSpec, label: str | None) -> EvidenceSpec | None:
    return next((e for e in domain.evidence if e.label == label), None)


def leader_row(
    r: DomainLeaders, domain: DomainSpec, columns: Sequence[str], citer: Citer
) -> LeaderRow:
    """One row of the leaders table; the gap and lag are cited like the primary evidence."""
    primary = next((s for s in r.sources if s.label == r.primary), None)
    spec = _entry(domain, r.primary)
    unit = primary.unit if primary else r.unit
    cites = _primary_cites(r, primary, spec, citer)
    date = primary.date if primary else None
    gap = lag = None
    significant, runner_up = "—", None
    if r.gap is not None:
        win = "" if r.gap.win_probability is None else f"win {r.gap.win_probability:.0%}"
        gap = _num(r.gap.points, unit, cites, date, win)
        lag = None if r.gap.lag_months is None else Num(f"{r.gap.lag_months:g} mo", cites, date)
        runner_up = r.gap.runner_up
        significant = VERDICT_WORDS.get(r.verdict or "", "—")
    disagree = [f"{s.label}: {s.leader}" for s in r.sources if s.leader not in (None, r.leader)]
    agree = f"{r.agreeing}/{r.compared}" if r.compared else "—"
    if disagree:
        agree += " (" + "; ".join(disagree) + ")"
    return LeaderRow(
        domain=r.domain,
        name=r.name,
        status=r.status,
        leader=r.leader,
        cells=_cells(r.groups, columns, unit, citer, spec),
        gap=gap,
        runner_up=runner_up,
        significant=significant,
        lag=lag,
        evidence=r.primary,
        agree=agree,
        evidence_age=f"{age_text(r.age_days)} old" if r.age_days is not None else "",
        stale=r.stale,
        bound=r.gap is not None and r.gap.bound == "at_least",
    )


def _primary_cites(r: DomainLeaders, primary: Any, spec: EvidenceSpec | None,
                   citer: Citer) -> tuple[Cite, ...]:  # fmt: skip
    """The gap's sources: the primary evidence's source, or (model attributes) both models'."""
    if primary is not None and primary.source:
        return citer.cite(primary.source)
    cites: list[Cite] = []
    for g in r.groups:
        if r.gap is not None and g.group in (r.gap.leader, r.gap.runner_up):
            cites.extend(_cell(g, r.unit, citer, spec).score.cites)
    return tuple(dict.fromkeys(cites))


def _evidence_rows(r: DomainLeaders, domain: DomainSpec, columns: Sequence[str],
                   citer: Citer) -> list[EvidenceRow]:  # fmt: skip
    out = []
    for s in r.sources:
        spec = _entry(domain, s.label)
        cites = citer.cite(s.source) if s.source else ()
        gap = None if s.gap is None else _num(s.gap.points, s.unit, cites, s.date)
        if gap is not None and not cites:
            gap = None  # a gap between model attributes is shown in the leaders table only
        out.append(
            EvidenceRow(
                label=s.label,
                why=spec.why if spec else "",
                status=s.status,
                leader=s.leader,
                stale=s.stale,
                primary=s.label == r.primary,
                cells=_cells(s.groups, columns, s.unit, citer, spec),
                gap=gap,
            )
        )
    return out


def _trend_lines(gap: dict[str, Any]) -> list[str]:
    out = []
    for t in gap["trend"]:
        if t["direction"] == "insufficient_evidence":
            out.append(f"Last {t['months']} months: not enough {GAP_A}-vs-{GAP_B} points.")
            continue
        slope = t["slope_per_month"]
        out.append(
            f"Last {t['months']} months: the {GAP_A}–{GAP_B} gap is {t['direction']} "
            f"({fmt(t['gap_start'], gap['unit'])} → {fmt(t['gap_end'], gap['unit'])}, "
            f"{slope:+.3g} {gap['unit']}/month, {t['points']} dates)."
        )
    return out


def domain_section(
    con: duckdb.DuckDBPyConnection,
    reader: Reader,
    domain: DomainSpec,
    result: DomainLeaders,
    row: LeaderRow,
    columns: Sequence[str],
    citer: Citer,
    gaps: GapAnswers | None = None,
) -> DomainSection:
    """One domain: its evidence table, the gap's trend and its four charts (the gap from the
    report's shared ``gaps``, which the standard figures ask again)."""
    as_of = result.as_of
    eco = frontier_report(con, domain.id, "ecosystem", until=as_of, reader=reader)
    if gaps is not None and gaps.reader is reader:
        gap = gaps.get(domain.id, GAP_A, GAP_B, "ecosystem", as_of)
    else:
        gap = gap_report(con, domain.id, GAP_A, GAP_B, until=as_of, reader=reader)
    openness = frontier_report(con, domain.id, "openness", until=as_of, reader=reader)
    pareto = pareto_report(con, domain.id, as_of, reader=reader)
    return DomainSection(
        id=domain.id, name=domain.name, description=domain.description, unit=domain.unit,
        higher_is_better=domain.higher_is_better, row=row,
        evidence=_evidence_rows(result, domain, columns, citer), trends=_trend_lines(gap),
        charts={
            "frontier": specs.frontier_chart(eco), "gap": specs.gap_chart(gap),
            "pareto": specs.pareto_chart(pareto), "openness": specs.frontier_chart(openness),
        },
        captions={
            "frontier": f"Each ecosystem's best model at every date of {eco['evidence']}.",
            "gap": f"{GAP_A} minus {GAP_B} on {gap['evidence']} and how many months {GAP_B} "
                   f"trails (Epoch's horizontal gap).",
            "pareto": f"Score on {pareto['evidence']} against blended API price (3 input : 1 "
                      "output), with each ecosystem's Pareto frontier.",
            "openness": f"Best open-weights vs best closed model on {openness['evidence']}.",
        },
    )  # fmt: skip


def _changes(
    con: duckdb.DuckDBPyConnection,
    reader: Reader,
    after: list[DomainLeaders],
    since: dt.date,
    as_of: dt.date,
    domains: dict[str, DomainSpec],
    citer: Citer,
) -> Changes:
    """The change set of ``wholeads changes`` (one implementation), with the report's gaps and
    new best models per domain and citations for the models released in between."""
    cs = changes_between(con, since, as_of, reader=reader, domains=list(domains.values()),
                         after=after)  # fmt: skip
    out = []
    for b, a, move in zip(cs.before, cs.after, cs.moves, strict=True):
        spec = domains[a.domain]
        gaps = []
        for r in (b, a):
            primary = next((s for s in r.sources if s.label == r.primary), None)
            unit = primary.unit if primary else r.unit
            cites = _primary_cites(r, primary, _entry(spec, r.primary), citer)
            gaps.append(
                None
                if r.gap is None
                else _num(
                    r.gap.points,
                    unit,
                    cites,
                    primary.date if primary else None,
                    f"{r.gap.leader} over {r.gap.runner_up}",
                )
            )
        old = {g.group: g.model_id for g in b.groups}
        new_best = [
            f"{g.group}: {old.get(g.group, 'none')} → {g.model_id}"
            for g in a.groups
            if old.get(g.group) != g.model_id
        ]
        out.append(Change(move=move, gap_before=gaps[0], gap_after=gaps[1], new_best=new_best))
    released = [c for c in cs.items if c.kind in RELEASE_KINDS]
    new = [
        NewModel(
            id=c.model_id or "",
            name=c.name or c.model_id or "",
            lab=c.lab or "",
            ecosystem=c.ecosystem or "other",
            released=Num(
                text=c.date.isoformat(),
                cites=citer.fact(c.model_id or "", "release_date"),
                date=c.date,
            ),
        )
        for c in sorted(released, key=lambda c: (c.date, c.model_id or ""))
    ]
    rest = [c for c in cs.items if c.kind not in RELEASE_KINDS]
    for e in (e for c in rest for e in c.evidence):  # listed in the Sources section
        if e.source == KB_SOURCE:
            citer.used.add(KB_SOURCE)
        else:
            citer.cite(e.source)
    return Changes(since, out, new, rest, _watch(con, cs, domains),
                   events_between(load_timeline(), since, as_of))  # fmt: skip


def _watch(con: duckdb.DuckDBPyConnection, cs: ChangeSet, domains: dict[str, DomainSpec]
           ) -> list[Firing]:  # fmt: skip
    """The example watch file's rules on the report's change set (rules about domains the report
    leaves out are left out too)."""
    wf = read_watch(EXAMPLE)
    rules = [r for r in wf.rules if isinstance(r, NewOpenWeightsRule) or r.domain in domains]
    return fire_rules(con, dataclasses.replace(wf, rules=rules), cs)


def _evidence_cites(value: Any, citer: Citer) -> list[tuple[Cite, dt.date | None]]:
    """Every source a claim's evidence names, with the date next to it, in order, once each."""
    found: list[tuple[Cite, dt.date | None]] = []
    if isinstance(value, dict):
        src, date = value.get("source"), value.get("as_of") or value.get("date")
        date = date if isinstance(date, dt.date) else None
        if isinstance(src, dict) and src.get("source"):
            sid = str(src["source"])
            when = src.get("as_of") if isinstance(src.get("as_of"), dt.date) else date
            if sid == KB_SOURCE:
                citer.used.add(KB_SOURCE)
                found.append((Cite(KB_SOURCE, "wholeads knowledge base", src.get("url")), when))
            else:
                found.extend((c, when) for c in citer.cite(sid))
        elif isinstance(src, str) and src.startswith(("http://", "https://")):
            citer.used.add(KB_SOURCE)  # a curated lab's own reference
            found.append((Cite(KB_SOURCE, "wholeads knowledge base", src), date))
        elif isinstance(src, str):
            found.extend((c, date) for c in citer.cite(src))
        for key, item in value.items():
            if key != "source":
                found.extend(_evidence_cites(item, citer))
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(_evidence_cites(item, citer))
    return list(dict.fromkeys(found))


def _claims(
    con: duckdb.DuckDBPyConnection, path: Path, as_of: dt.date | None, citer: Citer
) -> list[ClaimRow]:
    """Verdicts on a claims file (the checker is imported only when a file is given). With
    ``as_of`` every claim is judged at that date, otherwise each at its own date."""
    try:
        from wholeads.claims.checker import check_file
    except ImportError:
        raise UserError("--claims: the claims checker is not available in this build") from None
    return [
        ClaimRow(
            id=str(c["id"]),
            text=str(c.get("text") or ""),
            as_of=c.get("as_of"),
            verdict=str(c["verdict"]),
            explanation=str(c.get("explanation") or ""),
            cites=tuple(_evidence_cites(c.get("evidence"), citer)),
        )
        for c in check_file(con, path, as_of)
    ]


def default_since(as_of: dt.date) -> dt.date:
    """Three months before the as-of date (same day of month, clamped)."""
    month = as_of.month - DEFAULT_SINCE_MONTHS
    year = as_of.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (as_of.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


Progress = Callable[[int, int], None]
"""(done, total): called after each section of the report (a progress bar)."""


class Steps:
    """A report's sections counted for a progress bar: ``done()`` after each one."""

    def __init__(self, total: int, progress: Progress | None = None) -> None:
        self.total, self.count, self.progress = total, 0, progress

    def done(self) -> None:
        self.count += 1
        if self.progress is not None:
            self.progress(self.count, self.total)


def build_steps(domains: int, claims: bool) -> int:
    """How many steps ``build_report`` counts: the leaders table, each domain, each standard
    figure, what changed and the claims (when a file is given)."""
    return 1 + domains + FIGURES + 1 + int(claims)


DOMAIN_CHARTS = ("frontier", "gap", "pareto", "openness")
"""Each domain section's chart slots, in reading order."""


def chart_count(domains: int) -> int:
    """How many charts a report draws: the leaders summary, each domain's, each figure's."""
    return 1 + len(DOMAIN_CHARTS) * domains + FIGURES


def build_report(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    claims: Path | None = None,
    renderer: Renderer | None = None,
    steps: Steps | None = None,
) -> Report:
    """Every section of the report as of a date (default: the newest evidence). With a
    ``renderer``, each chart starts rendering as soon as its section is built; ``steps`` counts
    the sections as they are built."""
    reader = Reader(con)
    claims_date = as_of  # claims keep their own dates unless the report's date was given
    as_of = as_of or reader.latest_date()
    since = since or default_since(as_of)
    if since >= as_of:
        raise UserError(f"--since: {since} is not before the report's date {as_of}")
    if claims is not None and not claims.is_file():
        raise UserError(f"--claims: no such file: {claims}")
    domains = load_domains()
    steps = steps or Steps(build_steps(len(domains), claims is not None))
    citer = Citer(con)
    gaps = GapAnswers(con, reader)  # the US-CN gaps the sections and the figures share
    columns = group_order("ecosystem") or ecosystem_ids()
    results = compute_leaders(reader, list(domains.values()), as_of)
    rows = [leader_row(r, domains[r.domain], columns, citer) for r in results]
    summary = specs.leaders_chart([r.to_dict() for r in results])
    if renderer is not None:
        renderer.submit("leaders", summary)
    steps.done()
    sections = []
    for r, row in zip(results, rows, strict=True):
        section = domain_section(con, reader, domains[r.domain], r, row, columns, citer, gaps)
        if renderer is not None:
            for slot, chart in section.charts.items():
                renderer.submit(f"{section.id}-{slot}", chart)
        sections.append(section)
        steps.done()

    def figure_done(figure: FigureSection) -> None:
        if renderer is not None:  # each figure's chart renders while the next is computed
            renderer.submit(f"figure-{figure.id}", figure.chart)
        steps.done()

    figures = figure_sections(con, reader, as_of, gaps, figure_done)
    changes = _changes(con, reader, results, since, as_of, domains, citer)  # after the charts
    steps.done()
    checked = None if claims is None else _claims(con, claims, claims_date, citer)
    if checked is not None:
        steps.done()
    report = Report(
        as_of=as_of,
        since=since,
        groups=list(columns),
        leaders=rows,
        summary_chart=summary,
        domains=sections,
        changes=changes,
        claims=checked,
        figures=figures,
    )
    report.sources = citer.entries()
    return report
