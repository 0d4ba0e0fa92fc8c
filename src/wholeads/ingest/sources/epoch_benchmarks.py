"""Epoch AI benchmarking hub data: Epoch's own runs, third-party results it copied, model versions.

Files and choices:

- ``benchmarks_runs.csv``: Epoch's runs. ``task`` -> ``epoch-<task-slug>`` (FrontierMath's dated
  task names map to 'epoch-frontiermath[-tier-4][-public]'); the score is ``Best score (across
  scorers)``, a 0-1 fraction that is multiplied by 100 so every percent benchmark here is 0-100;
  ``as_of`` is the run's ``started_at`` date; ``setting`` is the effort suffix of the model id.
- ``model_versions.csv``: ModelRecords (release date; ``Hugging Face developer id`` as lab hint;
  ``Model`` as family). Its release dates also date the external results below.
- ``external_benchmark_*.csv`` (36 files; see ``EXTERNAL``): one value column per file, picked
  after reading each header, all percents already 0-100 ('42%' or '88.000'). ``as_of`` is the
  file's own date column when it has one, else the model's release date from
  ``model_versions.csv`` (the earliest date the result could exist: a lower bound, since the
  paper or leaderboard may have come later). When both exist the later one is used, because a
  result cannot predate its model ('Date added' 23/7/2024 for grok-4-0709 is a typo). Rows Epoch
  left unlinked (no ``Model version``) and rows whose model has no date are skipped and reported,
  one problem per file and cause listing the lines. A blank value cell is "not measured", not a
  problem. ``setting`` joins the effort suffix with the file's variant columns (shots, agent,
  tools, edit format); Fiction.LiveBench gives one score per context length (setting '0', '400',
  '1k', ... '192k', the column labels). Standard errors are not turned into intervals; METR's
  CI_low/CI_high are.
- ``open_model_trends_*.csv`` (Epoch's open-model-trends repo): ModelRecords with open weights
  from ``Open/Closed``, date, parameters and compute. Their benchmark columns duplicate the
  external files above (and 2024 LMSys Elo, which the lmarena sources cover), so they are not
  emitted as scores.
- ``distilled_models.csv`` and ``benchmark_optim.csv`` are metadata and are not read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wholeads.ingest.sources._epoch import billions, effort_setting, join_setting, positive, slug
from wholeads.ingest.sources._read import csv_rows, date, is_missing, num, where, whole
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec, observed_on
from wholeads.schema import (
    Benchmark,
    DatedBy,
    ModelRecord,
    Provenance,
    ScoreRecord,
    SourceBatch,
)

_STITCHING = (
    "https://raw.githubusercontent.com/epoch-research/benchmark-stitching/"
    "f87d3cc8e8a8f8471be475ebce58fb9a73b4e756/data/"
)
_TRENDS = (
    "https://raw.githubusercontent.com/epoch-research/open-model-trends/"
    "a72b3e93b358ba653a775a41f3e9e5d3984709fd/data/"
)
RUNS = "benchmarks_runs.csv"
VERSIONS = "model_versions.csv"
TRENDS_PREFIX = "open_model_trends_"
TRENDS = ("benchmarks_with_model_accessibility.csv", "gsm1k_with_model_accessibility.csv")
LENGTH_SUFFIX = " token score"


@dataclass(frozen=True)
class External:
    """How to read one external_benchmark_<stem>.csv file."""

    stem: str
    id: str
    name: str
    domain: str
    value: str
    """Column holding the headline value ('' for Fiction.LiveBench: one column per length)."""
    metric: str = "percent"
    scale: str = "0-100"
    settings: tuple[str, ...] = ()
    """Columns whose values tell variants apart (shots, agent, tools)."""
    date_column: str | None = None
    ci: tuple[str, str] | None = None
    n_column: str | None = None

    @property
    def path(self) -> str:
        return f"external_benchmark_{self.stem}.csv"

    def benchmark(self) -> Benchmark:
        return Benchmark(
            id=self.id, name=self.name, domain=self.domain, metric=self.metric, scale=self.scale
        )


_SHOTS = ("Shots",)
# fmt: off
EXTERNAL: tuple[External, ...] = (
    External("aider_polyglot", "ext-aider-polyglot", "Aider polyglot", "coding",
             "Percent correct", settings=("Edit format",)),
    External("anli", "ext-anli", "ANLI", "reasoning", "Score", settings=_SHOTS),
    External("arc_agi", "ext-arc-agi", "ARC-AGI", "reasoning", "Score"),
    External("arc_ai2", "ext-arc-ai2", "ARC (AI2), challenge set", "reasoning",
             "Challenge score", settings=_SHOTS),
    External("balrog", "ext-balrog", "BALROG", "agentic", "Average progress",
             date_column="Date added"),
    External("bbh", "ext-bbh", "BIG-Bench Hard", "reasoning", "Average", settings=_SHOTS),
    External("boolq", "ext-boolq", "BoolQ", "general", "Score", settings=_SHOTS),
    External("cadeval", "ext-cadeval", "CadEval", "coding", "Overall pass (%)"),
    External("csqa2", "ext-csqa2", "CommonsenseQA 2.0", "reasoning", "Score", settings=_SHOTS),
    External("cybench", "ext-cybench", "Cybench (unguided)", "agentic", "Unguided % Solved"),
    External("deepresearch", "ext-deepresearch-bench", "Deep Research Bench", "agentic",
             "Average score"),
    External("factorio_learning_environment", "ext-factorio-learning-environment",
             "Factorio Learning Environment (lab success)", "agentic", "Lab Success %",
             settings=("Tools",), date_column="Date added"),
    External("fictionlivebench", "ext-fictionlivebench", "Fiction.LiveBench", "long_context", ""),
    External("geobench", "ext-geobench", "GeoBench (ACW country accuracy)", "vision",
             "ACW Country %", settings=("Tools",)),
    External("gsm8k", "ext-gsm8k", "GSM8K", "math", "EM", settings=_SHOTS),
    External("gso_bench", "ext-gso-bench", "GSO (OPT@1)", "coding", "Score OPT@1",
             settings=("Scaffold",)),
    External("hellaswag", "ext-hellaswag", "HellaSwag", "reasoning", "Overall accuracy",
             settings=_SHOTS),
    External("lambada", "ext-lambada", "LAMBADA", "general", "Score", settings=_SHOTS),
    External("lech_mazur_writing", "ext-lech-mazur-writing", "Lech Mazur creative writing",
             "writing", "Mean score", metric="score", scale="1-10 (grader mean)"),
    External("livebench", "ext-livebench", "LiveBench (global average, via Epoch)", "general",
             "Global average", settings=("LiveBench Version",)),
    External("mcbench", "ext-mcbench", "MC-Bench (Minecraft builds)", "coding", "ELO",
             metric="elo", scale="Elo", n_column="Votes"),
    External("metr", "ext-metr-time-horizons", "METR 50% time horizon", "agentic",
             "Time horizon", metric="score", scale="minutes (50% success time horizon)",
             ci=("CI_low", "CI_high")),
    External("mmlu", "ext-mmlu", "MMLU", "knowledge", "EM", settings=_SHOTS),
    External("openbookqa", "ext-openbookqa", "OpenBookQA", "knowledge", "Accuracy",
             settings=_SHOTS),
    External("os_world", "ext-osworld", "OSWorld", "agentic", "Score", settings=("Agent",),
             date_column="Date added"),
    External("osuniverse", "ext-osuniverse", "OSUniverse (weighted)", "agentic",
             "Weighted Score", settings=("Agent",)),
    External("piqa", "ext-piqa", "PIQA", "reasoning", "Score", settings=_SHOTS),
    External("scienceqa", "ext-scienceqa", "ScienceQA", "knowledge", "Score", settings=_SHOTS),
    External("simple_bench", "ext-simple-bench", "SimpleBench", "reasoning", "Score (AVG@5)"),
    External("superglue", "ext-superglue", "SuperGLUE", "general", "Score"),
    External("terminal_bench", "ext-terminal-bench", "Terminal-Bench", "agentic",
             "Accuracy mean", settings=("Agent",)),
    External("the_agent_company", "ext-the-agent-company", "TheAgentCompany (resolved)",
             "agentic", "% Resolved", date_column="Date"),
    External("triviaqa", "ext-triviaqa", "TriviaQA", "knowledge", "EM", settings=_SHOTS),
    External("videomme", "ext-videomme", "Video-MME (no subtitles)", "vision",
             "Overall (no subtitles)"),
    External("vpct", "ext-vpct", "VPCT (visual physics comprehension)", "vision", "Correct"),
    External("weirdml", "ext-weirdml", "WeirdML", "coding", "Accuracy"),
    External("winogrande", "ext-winogrande", "WinoGrande", "reasoning", "Accuracy",
             settings=_SHOTS),
)

# Epoch's own tasks; an unknown task becomes 'epoch-<slug>' in domain 'other'.
TASKS: dict[str, Benchmark] = {
    task: Benchmark(id=bid, name=name, domain=domain, metric="percent", scale="0-100")
    for task, bid, name, domain in (
        ("GPQA diamond", "epoch-gpqa-diamond", "GPQA Diamond (Epoch)", "reasoning"),
        ("MATH level 5", "epoch-math-level-5", "MATH Level 5 (Epoch)", "math"),
        ("OTIS Mock AIME 2024-2025", "epoch-otis-mock-aime-2024-2025",
         "OTIS Mock AIME 2024-2025 (Epoch)", "math"),
        ("FrontierMath-2025-02-28-Private", "epoch-frontiermath", "FrontierMath Tier 1-3", "math"),
        ("FrontierMath-2025-02-28-Public", "epoch-frontiermath-public",
         "FrontierMath Tier 1-3 (public set)", "math"),
        ("FrontierMath-Tier-4-2025-07-01-Private", "epoch-frontiermath-tier-4",
         "FrontierMath Tier 4", "math"),
        ("FrontierMath-Tier-4-2025-07-01-Public", "epoch-frontiermath-tier-4-public",
         "FrontierMath Tier 4 (public set)", "math"),
        ("SWE-Bench verified", "epoch-swe-bench-verified", "SWE-bench Verified (Epoch)", "coding"),
    )
}
# fmt: on

SPEC = SourceSpec(
    id="epoch-benchmarks",
    name="Epoch AI Benchmarking Hub",
    homepage="https://epoch.ai/benchmarks",
    license="CC-BY-4.0 (Epoch AI data; repositories MIT)",
    citation="Epoch AI, 'AI Benchmarking Hub', https://epoch.ai/benchmarks",
    remote=(
        RemoteFile(path=RUNS, url=_STITCHING + RUNS),
        RemoteFile(path=VERSIONS, url=_STITCHING + VERSIONS),
        *(RemoteFile(path=e.path, url=_STITCHING + e.path) for e in EXTERNAL),
        *(RemoteFile(path=TRENDS_PREFIX + t, url=_TRENDS + t) for t in TRENDS),
    ),
    mirror_globs=(RUNS, VERSIONS, "external_benchmark_*.csv", TRENDS_PREFIX + "*.csv"),
    snapshot_date=dt.date(2025, 12, 3),
)


def load(raw: RawFiles) -> SourceBatch:
    """Model versions, Epoch's runs, the external results and the open-model-trends facts."""
    problems: list[str] = []
    models, released = _versions(raw, problems)
    observed = observed_on(SPEC, raw)
    scores = _runs(raw, observed, problems)
    for spec in EXTERNAL:
        if spec.path in raw.files:
            scores.extend(_external(raw, spec, released, observed, problems))
        else:
            problems.append(f"{where(raw, spec.path)}: file is absent; its scores are missing")
    known_files = {spec.path for spec in EXTERNAL}
    for path in sorted(raw.files):
        if path.startswith("external_benchmark_") and path not in known_files:
            problems.append(f"{where(raw, path)}: no reader for this new file; not imported")
    for name in TRENDS:
        if TRENDS_PREFIX + name in raw.files:
            models.extend(_trends(raw, TRENDS_PREFIX + name, problems))
    known = {b.id: b for b in TASKS.values()} | {e.id: e.benchmark() for e in EXTERNAL}
    used = dict.fromkeys(s.benchmark for s in scores)
    return SourceBatch(
        source=raw.source,
        observed=observed,
        models=models,
        scores=scores,
        benchmarks=[known.get(b) or _unknown_task(b) for b in used],
        problems=problems,
    )


def _unknown_task(benchmark_id: str) -> Benchmark:
    """A task Epoch added after this module was written: named by its id until described."""
    return Benchmark(
        id=benchmark_id, name=benchmark_id, domain="other", metric="percent", scale="0-100"
    )


def _versions(raw: RawFiles, problems: list[str]) -> tuple[list[ModelRecord], dict[str, dt.date]]:
    """ModelRecords of model_versions.csv and the release date of each id."""
    models, released = [], {}
    for line, row in csv_rows(raw, VERSIONS, ("id", "Version release date")):
        name = row["id"].strip()
        if not name:
            problems.append(f"{where(raw, VERSIONS)}:{line}: no model 'id'; row skipped")
            continue
        when = date(row["Version release date"])
        if when is not None:
            released[name] = when
        models.append(
            ModelRecord(
                name=name,
                lab=row.get("Hugging Face developer id", "").strip() or None,
                family=row.get("Model", "").strip() or None,
                release_date=when,
                prov=Provenance(source=raw.source, file=VERSIONS, row=line),
            )
        )
    return models, released


def _runs(raw: RawFiles, observed: dt.date, problems: list[str]) -> list[ScoreRecord]:
    """Epoch's own runs: fractions -> percent, dated by when the run started.

    A few runs (manual ones, grok-4) have no started_at: they count from the day the export was
    captured (never from the model's release, which would use a result before it existed).
    """
    scores = []
    required = ("task", "model", "Best score (across scorers)", "started_at")
    for line, row in csv_rows(raw, RUNS, required):
        here = f"{where(raw, RUNS)}:{line}"
        name, task = row["model"].strip(), row["task"].strip()
        fraction = num(row["Best score (across scorers)"])
        started = date(row["started_at"])
        if not name or not task:
            problems.append(f"{here}: no model or task; run skipped")
        elif fraction is None:
            problems.append(f"{here}: score {row['Best score (across scorers)']!r} is not a number")
        else:
            benchmark = TASKS[task].id if task in TASKS else "epoch-" + slug(task)
            scores.append(
                ScoreRecord(
                    name=name,
                    benchmark=benchmark,
                    value=round(fraction * 100, 6),
                    as_of=started or observed,
                    dated_by="observed" if started else "snapshot",
                    setting=effort_setting(name),
                    prov=Provenance(source=raw.source, file=RUNS, row=line),
                )
            )
    return scores


def _release(name: str, released: dict[str, dt.date]) -> dt.date | None:
    """Release date of an Epoch model id, trying the id without its effort suffix too."""
    when = released.get(name)
    if when is None and (effort := effort_setting(name)):
        when = released.get(name[: -len(effort) - 1])
    return when


def _external(
    raw: RawFiles,
    spec: External,
    released: dict[str, dt.date],
    observed: dt.date,
    problems: list[str],
) -> list[ScoreRecord]:
    """The scores of one external_benchmark file."""
    rows = csv_rows(raw, spec.path, _required(spec))
    scores: list[ScoreRecord] = []
    unlinked: list[int] = []
    for line, row in rows:
        values = _values(spec, row)
        if not values:
            continue  # nothing measured in this row
        name = row["Model version"].strip()
        if not name:
            unlinked.append(line)
            continue
        as_of, dated_by = _as_of(spec, row, name, released, observed)
        # A context length alone is the setting: '16k' of a thinking budget would read as one.
        effort = None if spec.value == "" else effort_setting(name)
        base = [effort, *(_variant(c, row.get(c, "")) for c in spec.settings)]
        ci = [num(row[c]) for c in spec.ci] if spec.ci else [None, None]
        n = num(row[spec.n_column]) if spec.n_column else None
        for column, length in values:
            value = num(row[column])
            if value is None:
                problems.append(
                    f"{where(raw, spec.path)}:{line}: {column} {row[column]!r} is not a number"
                )
                continue
            scores.append(
                ScoreRecord(
                    name=name,
                    benchmark=spec.id,
                    value=value,
                    ci_low=ci[0],
                    ci_high=ci[1],
                    n=whole(n),
                    as_of=as_of,
                    dated_by=dated_by,
                    setting=join_setting(*base, length),
                    prov=Provenance(source=raw.source, file=spec.path, row=line),
                )
            )
    if unlinked:
        problems.append(
            f"{where(raw, spec.path)}: {len(unlinked)} row(s) without 'Model version' (not linked "
            f"to a model by Epoch) skipped, lines {', '.join(map(str, unlinked))}"
        )
    return scores


def _required(spec: External) -> tuple[str, ...]:
    columns = ["Model version", *spec.settings]
    columns += [c for c in (spec.value, spec.date_column, spec.n_column) if c]
    return (*columns, *(spec.ci or ()))


def _values(spec: External, row: dict[str, str]) -> list[tuple[str, str | None]]:
    """(column, length setting) of each non-blank value cell of the row."""
    if spec.value:
        return [] if is_missing(row[spec.value]) else [(spec.value, None)]
    return [
        (column, column.removesuffix(LENGTH_SUFFIX).strip().lower())
        for column in row
        if column.endswith(LENGTH_SUFFIX) and not is_missing(row[column])
    ]


def _variant(column: str, cell: str) -> str | None:
    """A setting part from a variant column: '5' shots -> '5-shot'; 'None' tools -> nothing."""
    value = " ".join(cell.split())
    if is_missing(value) or value.casefold() == "none":
        return None
    if column == "Shots" and not value.endswith("-shot"):
        return f"{value}-shot"
    return value


def _as_of(
    spec: External, row: dict[str, str], name: str, released: dict[str, dt.date], observed: dt.date
) -> tuple[dt.date, DatedBy]:
    """The row's 'Date added' (never before the model's release), or, for files without dates,
    the day the export was captured: a value is never used before it was published."""
    stated = _day_first(row[spec.date_column]) if spec.date_column else None
    if stated is None:
        return observed, "snapshot"
    model_date = _release(name, released)
    return max(stated, model_date or stated), "observed"


def _day_first(value: str) -> dt.date | None:
    """Epoch's 'Date added' cells are day/month/year ('23/7/2024'); ISO also accepted."""
    try:
        return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        return date(value)


def _trends(raw: RawFiles, path: str, problems: list[str]) -> list[ModelRecord]:
    """ModelRecords (open weights, date, size, compute) from an open-model-trends table."""
    models = []
    for line, row in csv_rows(raw, path, ("System", "Date", "Open/Closed")):
        name = row["System"].strip()
        if not name:
            problems.append(f"{where(raw, path)}:{line}: no 'System' name; row skipped")
            continue
        access = row["Open/Closed"].strip().casefold()
        models.append(
            ModelRecord(
                name=name,
                release_date=date(row["Date"]),
                open_weights={"open": True, "closed": False}.get(access),
                params_total_b=billions(row.get("Model size (parameters)", "")),
                params_active_b=billions(row.get("Active Parameters", "")),
                training_compute_flop=positive(row.get("Training compute (FLOP)", "")),
                prov=Provenance(source=raw.source, file=path, row=line),
            )
        )
    return models
