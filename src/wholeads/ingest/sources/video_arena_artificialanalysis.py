"""Artificial Analysis Video Arena, daily history 2026-02-10 to 2026-08-20 (suncity2000/ai-index).

``aa_video_arena_history.csv`` flattens every committed version of the Artificial Analysis media API
output (``data/{text-to-video,image-to-video}.json``). Each row is a score on ``aa-video-t2v`` or
``aa-video-i2v``: ``elo``, ``ci95`` "-12/12" as absolute bounds, ``appearances`` (battles) as ``n``,
``as_of`` = ``snapshot_date``, the display ``name`` raw and ``creator_name`` as lab (it drifts:
"xAI" -> "SpaceXAI", "HappyHorse" -> "Alibaba-ATH"). Elo is relative within a snapshot (anchor
Mochi 1 = 1000 in early snapshots), so compare within a date.

``aa_video_models.csv`` gives ModelRecords (kind video_generation, creator, ``release_date``
'YYYY-MM' as the first of the month, input modalities from the arena), one per distinct set of
facts. The slug is not emitted: the history keys scores by display name.

``*_latest.json`` are the API files at the origin commit. They equal the history's last snapshot
(2026-08-20) and are then skipped to avoid double counting; a latest file that differs from the
last history snapshot (or comes without a history, as online) is emitted, dated by the download
time online and by the origin commit date (2026-08-22) otherwise. Online only these two files are
fetched (the current API output); the model facts then come from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wholeads.errors import DataError
from wholeads.ingest.sources._arena import ModelFacts, bulk, ci_bounds, fnum
from wholeads.ingest.sources._read import csv_rows, date, date_precision, json_doc, where, whole
from wholeads.ingest.sources.base import RawFiles, RemoteFile, SourceSpec
from wholeads.schema import Benchmark, ModelKind, ParsedBatch, Provenance, ScoreRecord

HISTORY = "aa_video_arena_history.csv"
MODELS = "aa_video_models.csv"
ORIGIN_DATE = dt.date(2026, 8, 22)
# arena -> (benchmark id, latest JSON file, input modalities)
ARENAS = {
    "text_to_video": ("aa-video-t2v", "text-to-video_latest.json", ("text",)),
    "image_to_video": ("aa-video-i2v", "image-to-video_latest.json", ("image", "text")),
}
_REPO = "https://raw.githubusercontent.com/suncity2000/ai-index/main/data/"

SPEC = SourceSpec(
    id="video-arena-artificialanalysis",
    name="Artificial Analysis Video Arena (daily history via suncity2000/ai-index)",
    homepage="https://artificialanalysis.ai/text-to-video/arena",
    license="Artificial Analysis API data; attribution required (artificialanalysis.ai)",
    citation="Artificial Analysis Video Arena (artificialanalysis.ai), via suncity2000/ai-index",
    # Online: the current API output only (no history, no models table).
    remote=(
        RemoteFile("text-to-video_latest.json", _REPO + "text-to-video.json"),
        RemoteFile("image-to-video_latest.json", _REPO + "image-to-video.json"),
    ),
    mirror_globs=(HISTORY, MODELS, "*_latest.json"),
    snapshot_date=dt.date(2026, 8, 22),
    boards="complete",
    mirror_rank=1,
)

BENCHMARKS = [
    Benchmark(
        id=bid,
        name=f"Artificial Analysis Video Arena ({label})",
        domain="video_generation",
        metric="elo",
        scale="Elo (relative within a snapshot)",
    )
    for bid, label in (("aa-video-t2v", "text-to-video"), ("aa-video-i2v", "image-to-video"))
]


@bulk()
def load(raw: RawFiles) -> ParsedBatch:
    """Video arena scores per day, model facts, and any latest snapshot not in the history."""
    batch = ParsedBatch(source=raw.source)
    facts = ModelFacts(kind=ModelKind.video_generation)
    last: dict[str, set[tuple[str, float, int | None]]] = {}
    if HISTORY in raw.files:
        last = _history(raw, batch)
    if MODELS in raw.files:
        _models(raw, batch, facts)
    for arena, (benchmark, path, modalities) in ARENAS.items():
        if path in raw.files:
            _latest(raw, path, benchmark, modalities, last.get(arena), batch, facts)
    batch.models.extend(facts.records())
    used = {s.benchmark for s in batch.scores}
    batch.benchmarks.extend(b for b in BENCHMARKS if b.id in used)
    return batch


def _score(
    where_: str,
    item: dict[str, Any],
    benchmark: str,
    as_of: dt.date,
    prov: Provenance,
    batch: ParsedBatch,
) -> ScoreRecord | None:
    """One arena entry (name, creator, elo, ci95, appearances) -> a score, or a problem."""
    name = str(item.get("name") or "").strip()
    value = fnum(item.get("elo"))
    if not name or value is None:
        batch.problems.append(f"{where_}: missing name or bad elo")
        return None
    try:
        low, high = ci_bounds(value, item.get("ci95"))
    except ValueError as exc:
        low = high = None
        batch.problems.append(f"{where_}: {exc}")
    battles = fnum(item.get("appearances"))
    creator = str(item.get("creator_name") or "").strip() or None
    return ScoreRecord(
        name=name,
        lab=creator,
        benchmark=benchmark,
        value=value,
        ci_low=low,
        ci_high=high,
        n=whole(battles),
        as_of=as_of,
        prov=prov,
    )


def _history(raw: RawFiles, batch: ParsedBatch) -> dict[str, set[tuple[str, float, int | None]]]:
    """Scores of every snapshot; returns each arena's last snapshot as (slug, elo, battles)."""
    required = ("snapshot_date", "arena", "name", "slug", "creator_name", "elo", "ci95")
    dates: dict[str, dt.date | None] = {}
    latest: dict[str, tuple[dt.date, set[tuple[str, float, int | None]]]] = {}
    for line, row in csv_rows(raw, HISTORY, required):
        where_ = f"{raw.source}/{HISTORY}:{line}"
        arena, stamp = row["arena"].strip(), row["snapshot_date"]
        as_of = dates[stamp] if stamp in dates else dates.setdefault(stamp, date(stamp))
        if arena not in ARENAS or as_of is None:
            batch.problems.append(f"{where_}: unknown arena or bad snapshot_date")
            continue
        prov = Provenance(source=raw.source, file=HISTORY, row=line)
        score = _score(where_, row, ARENAS[arena][0], as_of, prov, batch)
        if score is None:
            continue
        batch.scores.append(score)
        day, members = latest.get(arena, (as_of, set()))
        if as_of > day:
            day, members = as_of, set()
        if as_of == day:
            members.add((row["slug"].strip(), score.value, score.n))
            latest[arena] = (day, members)
    return {arena: members for arena, (_, members) in latest.items()}


def _models(raw: RawFiles, batch: ParsedBatch, facts: ModelFacts) -> None:
    rows = csv_rows(raw, MODELS, ("arena", "name", "creator_name", "release_date"))
    for line, row in rows:
        name = row["name"].strip()
        if not name:
            batch.problems.append(f"{raw.source}/{MODELS}:{line}: missing name")
            continue
        modalities = ARENAS.get(row["arena"].strip(), ("", "", ()))[2]
        facts.add(
            name,
            row["creator_name"],
            None,
            Provenance(source=raw.source, file=MODELS, row=line),
            release_date=date(row["release_date"]),
            release_precision=date_precision(row["release_date"]),
            input_modalities=modalities,
            output_modalities=("video",),
        )


def _latest(
    raw: RawFiles,
    path: str,
    benchmark: str,
    modalities: tuple[str, ...],
    history_last: set[tuple[str, float, int | None]] | None,
    batch: ParsedBatch,
    facts: ModelFacts,
) -> None:
    """The API file ({"status", "data": [...]}) unless it repeats the history's last snapshot."""
    doc = json_doc(raw, path)
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, list):
        raise DataError("expected an object with a 'data' list", file=where(raw, path))
    items = [
        {**item, "creator_name": (item.get("model_creator") or {}).get("name")}
        if isinstance(item, dict)
        else {}
        for item in data
    ]
    members = {(str(i.get("slug") or "").strip(), fnum(i.get("elo")), _int(i)) for i in items}
    if history_last is not None and members == history_last:
        return  # already in the history (its last snapshot)
    as_of = raw.retrieved_at.date() if raw.origin == "online" else ORIGIN_DATE
    for entry, item in enumerate(items, start=1):
        prov = Provenance(source=raw.source, file=path, row=entry)
        score = _score(f"{where(raw, path)}:{entry}", item, benchmark, as_of, prov, batch)
        if score is None:
            continue
        batch.scores.append(score)
        if MODELS not in raw.files:
            facts.add(
                score.name,
                score.lab,
                None,
                prov,
                release_date=date(item.get("release_date")),
                release_precision=date_precision(item.get("release_date")),
                input_modalities=modalities,
                output_modalities=("video",),
            )


def _int(item: dict[str, Any]) -> int | None:
    battles = fnum(item.get("appearances"))
    return whole(battles)
