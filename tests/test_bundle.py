"""The evidence bundle shipped in the package: licence decisions, lossless and current contents,
the same build as a mirror, and a first run that answers offline from it."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import load_source, run_cli
from wholeads.ingest import bundle
from wholeads.ingest.bundle_sources import BUNDLED, EXCLUDED
from wholeads.ingest.sources import SOURCE_IDS, get_source
from wholeads.ingest.update import run_update
from wholeads.store.files import open_readonly


def test_every_source_has_one_licence_decision() -> None:
    assert not set(BUNDLED) & set(EXCLUDED)
    assert set(BUNDLED) | set(EXCLUDED) == set(SOURCE_IDS)
    assert set(bundle.bundled_sources()) == set(BUNDLED)  # the shipped bundle follows the table


def test_licence_decisions_match_the_mirror_folders(shared_data: Path) -> None:
    """A decision that cites a LICENSE.txt has one; 'no licence file' means there is none; the
    Adobe licence left out is the non-commercial one (shared/data/nolima-results/LICENSE.txt)."""
    for source_id, reason in {**BUNDLED, **EXCLUDED}.items():
        licence = shared_data / source_id / "LICENSE.txt"
        if "(LICENSE.txt)" in reason:
            assert licence.is_file(), source_id
        if reason.startswith("no licence file"):
            assert not licence.exists(), source_id
    adobe = (shared_data / "nolima-results" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "ADOBE RESEARCH LICENSE" in adobe and "noncommercial research purposes only" in adobe


@pytest.mark.parametrize("source_id", sorted(BUNDLED))
def test_bundled_records_are_what_the_parser_reads_from_the_mirror(
    shared_data: Path, source_id: str
) -> None:
    """Lossless and current: decoding the shipped Parquet gives exactly the records the source's
    parser makes from the mirror today (a stale bundle fails here: regenerate it with
    ``python -m wholeads.ingest.bundle_make --mirror ../shared/data``)."""
    shipped = bundle.load_batch(bundle.read_source(source_id))
    parsed = load_source(shared_data, source_id)
    assert shipped.models == parsed.models
    assert shipped.scores == parsed.scores
    assert shipped.prices == parsed.prices
    assert shipped.labs == parsed.labs
    assert shipped.notable == parsed.notable
    assert shipped.benchmarks == parsed.benchmarks
    assert shipped.problems == parsed.problems
    spec = get_source(source_id).SPEC
    assert shipped.observed == (parsed.observed or spec.snapshot_date)


def test_every_bundle_row_names_its_source_and_licence() -> None:
    rows = 0
    for source_id in BUNDLED:
        for path in (bundle.bundle_root() / source_id).glob("*.parquet"):
            table = pq.read_table(path)
            assert set(table.column("source_id").to_pylist()) == {source_id}, path
            licence = set(table.column("source_license").to_pylist())
            assert licence == {get_source(source_id).SPEC.license}, path
            rows += table.num_rows
    size = sum(p.stat().st_size for p in bundle.bundle_root().rglob("*") if p.is_file())
    assert rows > 50_000 and size < 8 * 2**20  # compact: a few MB


def test_a_damaged_bundle_row_is_an_error_naming_it(tmp_path: Path) -> None:
    raw = bundle.read_source("physics-iq-leaderboard")
    table = pq.read_table(io.BytesIO(raw.files["scores.parquet"]))
    values = table.column("value").to_pylist()
    values[2] = None  # a score without its value
    import pyarrow as pa

    broken = table.set_column(table.schema.get_field_index("value"), "value", pa.array(values))
    sink = io.BytesIO()
    pq.write_table(broken, sink)
    files = {**raw.files, "scores.parquet": sink.getvalue()}
    damaged = type(raw)(raw.source, files, raw.retrieved_at, raw.origin)
    with pytest.raises(Exception, match=r"physics-iq-leaderboard/scores.parquet:3"):
        bundle.load_batch(damaged)


FEW = ["aider-leaderboards", "video-arena-lmarena-2026", "physics-iq-leaderboard", "genai-prices"]


def _rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with contextlib.closing(open_readonly(db)) as con:
        return sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def test_a_build_from_the_bundle_equals_a_build_from_the_mirror(
    shared_data: Path, tmp_path: Path
) -> None:
    """Two ways to the same database: the bundle's rows pass the same gates, resolution, valid
    time and boards as the mirror's."""
    from_bundle, from_mirror = tmp_path / "b.duckdb", tmp_path / "m.duckdb"
    runs = run_update(from_bundle, only=FEW).runs
    assert {r.origin.split(":")[0] for r in runs} == {"bundle"}
    run_update(from_mirror, mirror=shared_data, only=FEW)
    for table in ("scores", "prices", "models", "model_facts", "boards", "problems"):
        assert _rows(from_bundle, table) == _rows(from_mirror, table), table


def _video_t2v_best(shared: Path) -> dict[str, tuple[str, float]]:
    """The newest LMArena text-to-video board's best US and CN entries, from the raw CSV."""
    vendors = {"Google": "US", "OpenAI": "US", "xAI": "US", "Luma AI": "US", "Runway": "US"}
    vendors |= {"Bytedance": "CN", "Alibaba-ATH": "CN", "KlingAI": "CN", "MiniMax": "CN"}
    path = shared / "video-arena-lmarena-2026" / "arena_video_snapshots.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["arena"] == "text-to-video"]
    newest = max(r["snapshot_date"] for r in rows)
    best: dict[str, tuple[str, float]] = {}
    for row in rows:
        group = vendors.get(row["vendor"])
        if row["snapshot_date"] == newest and group:
            score = float(row["score"])
            if group not in best or score > best[group][1]:
                best[group] = (newest, score)
    return best


def test_first_run_answers_offline_from_the_bundle(
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No database, no mirror, no network: the first query builds from the bundle and answers
    video generation as the raw CSV says (2026-04-17: Seedance 2.0 1,460 vs Veo 3.1 1,375), then
    says how old the bundled evidence is."""
    db = tmp_path / "first.duckdb"
    assert run_cli(monkeypatch, "leaders", "--db", str(db), "--json") == 0
    out = capsys.readouterr()
    answers = {a["domain"]: a for a in json.loads(out.out)}
    video = answers["video_generation"]
    best = _video_t2v_best(shared_data)
    scores = {g["group"]: (g["date"], g["score"]) for g in video["groups"]}
    assert scores["CN"] == best["CN"] and scores["US"] == best["US"]
    assert video["leader"] == "CN" and video["gap"]["points"] == best["CN"][1] - best["US"][1]
    info = bundle.read_info()
    assert info is not None and info.evidence_until is not None
    note = " ".join(out.err.split())  # the console wraps long lines
    assert "the evidence bundled with wholeads" in note
    assert info.evidence_until.isoformat() in note and "days old" in note
