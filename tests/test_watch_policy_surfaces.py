"""The watch list and the policy timeline from the API and in the report, with expected values
read from the raw files (physics_iq_leaderboard.csv) and the curated policy files themselves."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import asgi_request
from wholeads.kb import KB_ROOT

VIDEO_RULE = """
watch:
  - id: video-leader
    text: the leader of video generation changes
    kind: leader_change
    domain: video_generation
"""


@pytest.fixture(scope="module")
def app(real_db: Path) -> Any:
    from wholeads.web.app import create_app

    return create_app(real_db)


def _policy_files() -> list[dict[str, Any]]:
    """Every event of kb/policy/*.yaml as written, with its jurisdiction from the file."""
    out = []
    for path in sorted((KB_ROOT / "policy").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        events = data["events"] if isinstance(data, dict) else data
        jurisdiction = data.get("jurisdiction", path.stem.upper()) if isinstance(data, dict) else ""
        out += [{**e, "jurisdiction": jurisdiction} for e in events]
    return out


def test_policy_api_lists_the_curated_events(app: Any) -> None:
    files = _policy_files()
    every = asgi_request(app, "GET", "/api/policy").json()["events"]
    assert sorted(e["id"] for e in every) == sorted(e["id"] for e in files)
    cn = asgi_request(app, "GET", "/api/policy", params={"jurisdiction": "cn"}).json()["events"]
    assert sorted(e["id"] for e in cn) == sorted(e["id"] for e in files
                                                 if e["jurisdiction"] == "CN")  # fmt: skip
    until = dt.date(2025, 1, 31)
    early = asgi_request(app, "GET", "/api/policy", params={"until": until.isoformat()}).json()
    want = sorted(e["id"] for e in files if dt.date.fromisoformat(str(e["date"])) <= until)
    assert sorted(e["id"] for e in early["events"]) == want and 0 < len(want) < len(files)
    bad = asgi_request(app, "GET", "/api/policy", params={"jurisdiction": "XX"})
    assert bad.status_code == 422 and "jurisdiction" in bad.json()["detail"]


def _physics_iq_best(shared_data: Path, day: dt.date) -> dict[str, str]:
    with (shared_data / "physics-iq-leaderboard" / "physics_iq_leaderboard.csv").open() as f:
        rows = [r for r in csv.DictReader(f) if r["input_type"] == "i2v"
                and dt.date.fromisoformat(r["date_added"]) <= day]  # fmt: skip
    return max(rows, key=lambda r: float(r["physics_iq_score_pct"]))


def test_watch_api_fires_when_the_raw_file_says(app: Any, shared_data: Path) -> None:
    """physics_iq_leaderboard.csv (i2v): the best row changes between 2025-03-31 and 2025-04-30
    (Magi-1 added 2025-04-21) and not between 2025-04-30 and 2025-05-31."""
    windows = [("2025-03-31", "2025-04-30"), ("2025-04-30", "2025-05-31")]
    for since, as_of in windows:
        a, b = (_physics_iq_best(shared_data, dt.date.fromisoformat(d)) for d in (since, as_of))
        answer = asgi_request(app, "POST", "/api/watch", params={"since": since, "as_of": as_of},
                          content=VIDEO_RULE, headers={"content-type": "text/plain"})  # fmt: skip
        assert answer.status_code == 200, answer.text
        (rule,) = answer.json()["rules"]
        assert rule["fired"] is (a["model"] != b["model"]), rule["detail"]
    example = asgi_request(app, "GET", "/api/watch/example",
                       params={"since": "2025-03-31", "as_of": "2025-04-30"}).json()  # fmt: skip
    fired = {r["id"] for r in example["rules"] if r["fired"]}
    assert "video-leader-changes" in fired and example["fired"] == len(fired)


@pytest.mark.parametrize(
    ("body", "field"),
    [("watch:\n  - {[1]: 2}\n", "key"), ("watch:\n  - id: x\n    kind: nope\n", "kind"), ("", "")],
)
def test_watch_api_refuses_bad_files_in_the_error_shape(app: Any, body: str, field: str) -> None:
    answer = asgi_request(app, "POST", "/api/watch", content=body,
                      headers={"content-type": "text/plain"})  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert set(answer.json()) >= {"status", "detail"} and field in answer.json()["detail"]
