"""The policy timeline: every event loads with its official source, and a malformed file fails
naming the file, the event and the field."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import asgi_request
from wholeads.errors import DataError
from wholeads.kb import KB_ROOT
from wholeads.kb.timeline import OFFICIAL_HOSTS, POLICY_DIR, events_between, load_timeline


def test_every_event_loads_with_an_official_source() -> None:
    events = load_timeline()
    by_j: dict[str, int] = {}
    for e in events:
        by_j[e.jurisdiction] = by_j.get(e.jurisdiction, 0) + 1
        assert e.source.startswith(("https://", "http://")) and e.summary
        assert any(h in e.source for h in OFFICIAL_HOSTS[e.jurisdiction]), e.id
    assert {"US", "CN", "EU"} <= by_j.keys()
    raw = {
        p.stem.upper(): yaml.safe_load(p.read_text())["events"]
        for p in sorted((KB_ROOT / POLICY_DIR).glob("*.yaml"))
    }
    assert by_j == {j: len(v) for j, v in raw.items()}  # nothing dropped on load
    assert list(events) == sorted(events, key=lambda e: (e.date, e.id))


def test_known_events_as_their_sources_date_them() -> None:
    """EO 14110 is 'Executive Order 14110 of October 30, 2023' (Federal Register doc 2023-24283);
    EO 14148 of January 20, 2025 revokes it; the AI Act is Regulation (EU) 2024/1689 of the
    Official Journal of 12 July 2024, in force on the twentieth day after (1 August 2024)."""
    by_id = {e.id: e for e in load_timeline()}
    assert by_id["us-eo-14110"].date == dt.date(2023, 10, 30)
    assert "2023-24283" in by_id["us-eo-14110"].source
    assert (by_id["us-eo-14148"].revokes, by_id["us-eo-14148"].date) == (
        "us-eo-14110", dt.date(2025, 1, 20))  # fmt: skip
    published = by_id["eu-ai-act-published"].date
    assert by_id["eu-ai-act-in-force"].date == published + dt.timedelta(days=20)
    assert by_id["cn-genai-interim-measures-in-force"].date == dt.date(2023, 8, 15)


def test_events_between_is_half_open() -> None:
    events = load_timeline()
    got = events_between(events, dt.date(2025, 1, 20), dt.date(2025, 1, 23))
    assert [e.id for e in got] == ["us-eo-14179"]


def _event(data: dict[str, Any], event_id: str) -> dict[str, Any]:
    return next(e for e in data["events"] if e["id"] == event_id)


def _kb_copy(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(KB_ROOT / POLICY_DIR, root / POLICY_DIR)
    return root


@pytest.mark.parametrize(
    ("edit", "where", "field"),
    [
        (lambda d: d["events"][1].update(date="2023-13-01"), "events[1]", "date"),
        (lambda d: d["events"][0].update(color="red"), "events[0]", "color"),
        (lambda d: d["events"][0].pop("source"), "events[0]", "source"),
        (lambda d: d["events"][0].update(source="https://example.com/eo"), "events[0]", "source"),
        (lambda d: d["events"][0].update(kind="rumour"), "events[0]", "kind"),
        (lambda d: d["events"].reverse(), "events[1]", "date"),
        (lambda d: _event(d, "us-eo-14148").update(revokes="us-eo-9999"), "us-eo-14148", "revokes"),
        (lambda d: d.update(jurisdiction="EU"), "us.yaml", "jurisdiction"),
    ],
)
def test_malformed_policy_file_names_file_event_and_field(
    tmp_path: Path, edit: object, where: str, field: str
) -> None:
    root = _kb_copy(tmp_path)
    path = root / POLICY_DIR / "us.yaml"
    data = yaml.safe_load(path.read_text())
    for e in data["events"]:  # dates back to text so a bad one can be written
        e["date"] = str(e["date"])
    edit(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(DataError) as exc:
        load_timeline(root)
    msg = str(exc.value)
    assert "us.yaml" in msg and where in msg and f"field '{field}" in msg


POLICY_CLAIMS = """
claims:
  - id: us-reversed-eo
    text: the US reversed the 2023 AI executive order
    as_of: {as_of}
    kind: policy
    jurisdiction: US
    event: revocation
    revokes: us-eo-14110
  - id: eu-act-not-yet
    text: the EU has no AI Act milestone yet
    as_of: {as_of}
    kind: policy
    jurisdiction: EU
    event: milestone
    expect: false
"""


@pytest.mark.parametrize(
    ("as_of", "reversed_", "eu_none"),
    [
        # us.yaml: EO 14148 of 2025-01-20 revokes us-eo-14110; eu.yaml: first milestone 2025-02-02
        ("2024-12-31", "contradicted", "supported"),
        ("2025-01-20", "supported", "supported"),
        ("2025-06-01", "supported", "contradicted"),
    ],
)
def test_policy_claims_as_of_a_date(
    real_db: Path, as_of: str, reversed_: str, eu_none: str
) -> None:
    from wholeads.claims.checker import check_text
    from wholeads.store.files import open_readonly

    with open_readonly(real_db) as con:
        got = {r["id"]: r for r in check_text(con, POLICY_CLAIMS.format(as_of=as_of))}
    assert got["us-reversed-eo"]["verdict"] == reversed_
    assert got["eu-act-not-yet"]["verdict"] == eu_none
    if reversed_ == "supported":
        (event,) = got["us-reversed-eo"]["evidence"]["events"]
        assert event["id"] == "us-eo-14148"
        assert event["source"]["url"].startswith("https://www.federalregister.gov/")


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (("revokes: us-eo-14110", "revokes: us-eo-1"), "revokes"),
        (("jurisdiction: US", "jurisdiction: UK"), "jurisdiction"),
        (("event: revocation", "event: coup"), "event"),
        (("    event: revocation\n    revokes: us-eo-14110\n", ""), None),
    ],
)
def test_malformed_policy_claim_names_file_claim_and_field(
    edit: tuple[str, str], field: str | None
) -> None:
    from wholeads.claims.format import parse_claims

    text = POLICY_CLAIMS.format(as_of="2025-06-01").replace(*edit, 1)
    with pytest.raises(DataError) as exc:
        parse_claims(text, "policy.yaml")
    msg = str(exc.value)
    assert msg.startswith("policy.yaml") and "id 'us-reversed-eo'" in msg
    assert field is None or f"field '{field}'" in msg


def test_gap_chart_marks_the_events_inside_its_dates() -> None:
    """A gap series from 2024-06-01 to 2025-03-01 shows exactly the timeline's events in that
    span (from the raw files: us.yaml's 2024-12-02, 2025-01-15, -20, -23; eu.yaml's 2024-07-12,
    2024-08-01, 2025-02-02), each as a rule and a label."""
    from wholeads.charts import specs
    from wholeads.query.answers import policy_events

    start, end = dt.date(2024, 6, 1), dt.date(2025, 3, 1)
    raw = []
    for p in sorted((KB_ROOT / POLICY_DIR).glob("*.yaml")):
        raw += [e["id"] for e in yaml.safe_load(p.read_text())["events"]
                if start <= e["date"] <= end]  # fmt: skip
    report = {
        "a": "US", "b": "CN", "unit": "Elo", "name": "General", "evidence": "x",
        "series": [{"date": start, "gap": 10.0, "lag_months": None},
                   {"date": end, "gap": 5.0, "lag_months": None}],
        "events": policy_events(start, end),
    }  # fmt: skip
    spec = specs.gap_chart(report)
    marked = sorted(e["id"] for e in spec["datasets"]["events"])
    assert marked == sorted(raw) and len(marked) == 7
    marks = [
        layer["mark"]["type"] for layer in spec["layer"] if layer.get("data") == {"name": "events"}
    ]
    assert marks == ["rule", "text"]


def test_report_and_dashboard_show_the_markers(real_db: Path) -> None:
    """The dashboard's general-capability gap chart (SVG) and its JSON twin carry the events;
    EO 14148 (2025-01-20) falls inside the LMArena series."""

    from wholeads.web.app import create_app

    app = create_app(real_db)

    page = asgi_request(app, "GET", "/domain/general")
    api = asgi_request(app, "GET", "/api/domain/general")
    assert page.status_code == 200 and "US: us-eo-14148" in page.text
    ids = {e["id"] for e in api.json()["gap"]["events"]}
    assert {"us-eo-14110", "us-eo-14148", "eu-ai-act-in-force"} <= ids
