"""LiveBench release tables: per-task scores -> category averages and the global average.

Averages follow the LiveBench site (``src/Table/Averaging.js`` in LiveBench/livebench.github.io):
a category average is the mean of the category's tasks that have a value for the model, and the
global average is the mean of the category averages. A category with no value at all has no
average, and then the model gets no global average either (the site would show NaN). In the
stored tables only one cell is blank (phi-3-small-8k-instruct, connections, 2024-11-25), so its
Language average is the mean of the two other language tasks, as on the site. Values are kept
unrounded (the site shows two decimals).

Emitted benchmarks: ``livebench-global`` and ``livebench-<category>`` (reasoning, coding,
agentic-coding, mathematics, data-analysis, language, if). ``as_of`` is the release date in the
file name: the date the question set was released, a lower bound on when a model was evaluated
on it. Task sets change between releases, so values are comparable within a release. ``name`` is
the raw model id.

A row whose field count differs from the header (one in table_2026_01_08.csv) cannot be aligned
with the task columns; it is reported as a problem and skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from statistics import fmean

from wholeads.errors import DataError
from wholeads.ingest.plausibility import PERCENT
from wholeads.ingest.sources._read import csv_rows, is_missing, json_doc, num, text, where
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, Provenance, ScoreRecord, SourceBatch

_BASE = (
    "https://raw.githubusercontent.com/LiveBench/livebench.github.io/"
    "4bf96c8d9dc9b06c17d82dc76a54429975c2b2c2/public/"
)
RELEASES = (
    "2024_06_24", "2024_07_26", "2024_08_31", "2024_11_25", "2025_04_02",
    "2025_04_25", "2025_05_30", "2025_11_25", "2025_12_23", "2026_01_08",
)  # fmt: skip
TABLE = re.compile(r"table_(\d{4})_(\d{2})_(\d{2})\.csv")
GLOBAL = "livebench-global"
_DOMAINS = {
    "reasoning": "reasoning",
    "coding": "coding",
    "agentic-coding": "agentic",
    "mathematics": "math",
    "data-analysis": "reasoning",
    "language": "general",
    "if": "instruction_following",
}

SPEC = SourceSpec(
    id="livebench",
    name="LiveBench",
    homepage="https://livebench.ai/",
    license="Apache-2.0 (LiveBench code; the site repository has no licence file)",
    citation="White et al., 'LiveBench: A Challenging, Contamination-Free LLM Benchmark', "
    "ICLR 2025, https://livebench.ai/",
    # The online path reads the releases known here; a new release needs a new entry.
    remote=tuple(
        RemoteFile(path=f"{kind}_{day}.{ext}", url=f"{_BASE}{kind}_{day}.{ext}")
        for day in RELEASES
        for kind, ext in (("table", "csv"), ("categories", "json"))
    ),
    mirror_globs=("table_*.csv", "categories_*.json"),
    snapshot_date=dt.date(2026, 7, 1),
    # Each release table lists every model evaluated on that question set: a complete board
    # (scores of two releases are not comparable, so models are compared within one table).
    boards="complete",
)


def load(raw: RawFiles) -> SourceBatch:
    """Category and global averages of every release table that has its categories file."""
    scores: list[ScoreRecord] = []
    problems: list[str] = []
    for path in sorted(raw.files):
        match = TABLE.fullmatch(path)
        if not match:
            continue
        released = dt.date(*map(int, match.groups()))
        categories = _categories(
            raw, path.replace("table_", "categories_").replace(".csv", ".json")
        )
        scores.extend(_release(raw, path, released, categories, problems))
    used = dict.fromkeys(s.benchmark for s in scores)
    return SourceBatch(
        source=raw.source,
        scores=scores,
        benchmarks=[_benchmark(b) for b in used],
        problems=problems,
    )


def _categories(raw: RawFiles, path: str) -> dict[str, list[str]]:
    """Category name -> task columns, from the release's categories JSON."""
    if path not in raw.files:
        raise DataError("categories file of this release is absent", file=where(raw, path))
    doc = json_doc(raw, path)
    if not isinstance(doc, dict) or not all(
        isinstance(tasks, list) and all(isinstance(t, str) for t in tasks) for tasks in doc.values()
    ):
        raise DataError(
            "expected an object of category -> list of task names", file=where(raw, path)
        )
    return {str(name): list(tasks) for name, tasks in doc.items()}


def _release(
    raw: RawFiles,
    path: str,
    released: dt.date,
    categories: dict[str, list[str]],
    problems: list[str],
) -> list[ScoreRecord]:
    """Averages of one release table."""
    widths = _field_counts(text(raw, path))
    width = widths.get(1, 0)
    tasks = [t for ts in categories.values() for t in ts]
    scores = []
    for line, row in csv_rows(raw, path, ("model", *tasks)):
        here = f"{where(raw, path)}:{line}"
        name = row["model"].strip()
        fields = widths.get(line, width)
        if fields != width:
            problems.append(f"{here}: {fields} fields for {width} columns; row skipped")
            continue
        if not name:
            problems.append(f"{here}: no model name; row skipped")
            continue
        averages: dict[str, float] = {}
        for category, columns in categories.items():
            values = []
            for column in columns:
                if is_missing(row[column]):
                    continue
                value = num(row[column])
                if value is None:
                    problems.append(f"{here}: {column} {row[column]!r} is not a number")
                    continue
                if bad := PERCENT.reject(value):
                    problems.append(f"{here}: field '{column}': {bad}; task skipped")
                    continue
                values.append(value)
            if values:
                averages[_slug(category)] = fmean(values)
        if len(averages) == len(categories):
            averages = {"global": fmean(averages.values()), **averages}
        prov = Provenance(source=raw.source, file=path, row=line)
        scores += [
            ScoreRecord(name=name, benchmark=f"livebench-{key}", value=value, as_of=released,
                        dated_by="table", prov=prov)
            for key, value in averages.items()
        ]  # fmt: skip
    return scores


def _field_counts(body: str) -> dict[int, int]:
    """Number of fields of each CSV record, keyed by the line where it starts.

    csv_rows pads short rows and drops extra fields, so a misaligned row is found here.
    """
    reader = csv.reader(io.StringIO(body, newline=""))
    counts, start = {}, 1
    for fields in reader:
        counts[start] = len(fields)
        start = reader.line_num + 1
    return counts


def _slug(category: str) -> str:
    """'Data Analysis' -> 'data-analysis', 'IF' -> 'if'."""
    return re.sub(r"[^a-z0-9]+", "-", category.casefold()).strip("-")


def _benchmark(benchmark_id: str) -> Benchmark:
    """Definition of livebench-global or livebench-<category>."""
    key = benchmark_id.removeprefix("livebench-")
    label = "global average" if key == "global" else f"{key.replace('-', ' ')} average"
    return Benchmark(
        id=benchmark_id,
        name=f"LiveBench {label}",
        domain="general" if key == "global" else _DOMAINS.get(key, "other"),
        metric="score",
        scale="0-100",
    )
