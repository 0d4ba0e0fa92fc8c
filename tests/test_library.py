"""`import wholeads`: the questions as functions returning dataclasses with rows, Arrow and
pandas; known answers from a hand-made database and from the raw arena history; validation."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import wholeads
from conftest import asgi_request
from test_leaders import CN_ORGS, US_ORGS, _csv_best, make_db
from wholeads import library
from wholeads.errors import UserError

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """Three labs, four models, two arena snapshots (tests/test_leaders.py's make_db)."""
    return make_db(tmp_path / "tiny.duckdb")


def test_import_is_light_and_names_resolve_lazily() -> None:
    code = "import sys, wholeads; print(sorted(m for m in ('numpy', 'duckdb') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert wholeads.leaders is library.leaders and wholeads.check is library.check
    assert {"leaders", "gap", "frontier", "models", "check", "advise"} <= set(dir(wholeads))
    with pytest.raises(AttributeError):
        wholeads.nothing_here  # noqa: B018


def test_leaders_known_answer(tiny: Path) -> None:
    """As of 2025-03-01 the newest arena snapshot (2025-02-01) has gpt-b 1340 +-5 (US),
    ds-a 1275 +-5 (CN) and mi-a 1200 +-5 (EU): US leads by 65, intervals apart."""
    answer = wholeads.leaders(as_of="2025-03-01", domain="general", db=tiny)
    assert isinstance(answer, library.Leaders) and answer.as_of == dt.date(2025, 3, 1)
    (general,) = answer.domains
    assert general.leader == "US" and general.verdict == "lead"
    assert general.gap is not None and general.gap.points == 65
    rows = {r["group"]: r for r in answer.rows()}
    assert {g: (r["model_id"], r["score"]) for g, r in rows.items()} == {
        "US": ("gpt-b", 1340), "CN": ("ds-a", 1275), "EU": ("mi-a", 1200),
    }  # fmt: skip
    assert rows["US"]["ci_low"] == 1335 and rows["CN"]["ci_high"] == 1280
    assert all(r["leader"] == "US" and r["gap"] == 65 for r in rows.values())


def test_rows_as_arrow_and_pandas(tiny: Path) -> None:
    answer = wholeads.leaders(as_of="2025-03-01", domain=["general", "video_generation"], db=tiny)
    table = answer.to_arrow()
    # general: three groups; video generation has no evidence: one row without a group
    assert table.num_rows == 4
    assert table.schema.field("as_of").type == pa.date32()
    assert table.column("group").to_pylist() == ["US", "CN", "EU", None]
    pytest.importorskip("pandas")
    frame = answer.to_pandas()
    assert list(frame["score"].iloc[:3]) == [1340, 1275, 1200]


def test_to_pandas_without_pandas_says_how(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = wholeads.leaders(as_of="2025-03-01", domain="general", db=tiny)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"pip install pandas"):
        answer.to_pandas()
    assert answer.to_arrow().num_rows == 3  # Arrow needs nothing more


def test_gap_and_frontier_known_answers(tiny: Path) -> None:
    gap = wholeads.gap("general", a="US", b="CN", until="2025-03-01", db=tiny)
    by_date = {g.date: g for g in gap.series}
    # 2025-01-01: gpt-a 1300 vs ds-a 1280; 2025-02-01: gpt-b 1340 vs ds-a 1275
    assert by_date[dt.date(2025, 1, 1)].gap == 20
    assert by_date[dt.date(2025, 2, 1)].gap == 65
    assert [r["gap"] for r in gap.rows()] == [g.gap for g in gap.series]
    frontier = wholeads.frontier("general", until="2025-03-01", db=tiny)
    best_us = max(r["value"] for r in frontier.rows() if r["group"] == "US")
    assert best_us == 1340


def test_models_filters(tiny: Path) -> None:
    open_ids = {r["id"] for r in wholeads.models(open_weights=True, db=tiny).rows()}
    assert open_ids == {"ds-a", "mi-a"}  # make_db: the two open-weight models
    assert [r["id"] for r in wholeads.models(ecosystem="US", db=tiny).rows()] == ["gpt-b", "gpt-a"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: wholeads.leaders(as_of="2099-01-01", db=db), "in the future"),
        (lambda db: wholeads.leaders(as_of="2020-01-01", db=db), "before the evidence"),
        (lambda db: wholeads.gap("general", b="XX", db=db), "unknown group 'XX'"),
        (lambda db: wholeads.gap("general", by="openness", a="US", db=db), "unknown group"),
        (lambda db: wholeads.gap("general", since="2025-03-01", until="2025-01-01", db=db),
         "is after"),
        (lambda db: wholeads.advise("general", max_price=-1, db=db), "negative"),
        (lambda db: wholeads.advise("general", vram_gb=-8, db=db), "negative"),
        (lambda db: wholeads.advise("general", min_context=0, db=db), "at least 1"),
        (lambda db: wholeads.pareto("general", price_cap=-0.5, db=db), "negative"),
        (lambda db: wholeads.models(min_context=-5, db=db), "at least 1"),
        (lambda db: wholeads.models(kind="robot", db=db), "unknown 'robot'"),
        (lambda db: wholeads.leaders(domain="nope", db=db), "unknown domain"),
    ],
)  # fmt: skip
def test_bad_input_is_a_user_error_saying_why(tiny: Path, call: object, message: str) -> None:
    with pytest.raises(UserError, match=re.escape(message)):
        call(tiny)  # type: ignore[operator]


def test_future_date_names_today_and_the_newest_evidence(tiny: Path) -> None:
    with pytest.raises(UserError) as caught:
        wholeads.leaders(as_of="2099-01-01", db=tiny)
    # make_db's newest score is of 2025-02-01
    assert f"today is {dt.date.today()}" in str(caught.value) and "2025-02-01" in str(caught.value)


@pytest.mark.parametrize("date", ["20250128", "20250227"])
def test_leaders_agree_with_the_raw_arena_history(
    real_db: Path, shared_data: Path, date: str
) -> None:
    """Each ecosystem's best is the best rating of its organisations in alltime.csv."""
    as_of = dt.datetime.strptime(date, "%Y%m%d").date()
    answer = wholeads.leaders(as_of, "general", source="lmarena-elo-history", db=real_db)
    best = {r["group"]: r["score"] for r in answer.rows()}
    assert best["US"] == pytest.approx(_csv_best(shared_data, date, US_ORGS))
    assert best["CN"] == pytest.approx(_csv_best(shared_data, date, CN_ORGS))


def test_check_counts_match_the_verdicts(real_db: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "claims" / "us-china-2026.yaml"
    verdicts = wholeads.check(example, db=real_db)
    claim_ids = re.findall(r"^\s*- id: (\S+)", example.read_text(encoding="utf-8"), re.M)
    assert [c.id for c in verdicts.claims] == claim_ids
    assert sum(verdicts.counts().values()) == len(claim_ids)
    assert verdicts.to_arrow().num_rows == len(claim_ids)


def _readme_python() -> tuple[str, str]:
    """The README's library example and the output it shows."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## The Python library", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    return code, shown


def test_readme_example_runs_and_prints_what_the_readme_shows(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression pin on the README's excerpt (paired with the known answers above)."""
    pytest.importorskip("pandas")
    monkeypatch.setenv("WHOLEADS_DB", str(real_db))
    code, shown = _readme_python()
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == shown


@pytest.fixture(scope="module")
def web_app(real_db: Path) -> Any:
    from wholeads.web import create_app

    return create_app(real_db)


@pytest.mark.parametrize("as_of", ["2024-01-01", "2025-01-01", "2025-06-01", "2026-05-08"])
def test_the_web_api_gives_the_librarys_answer(real_db: Path, web_app: Any, as_of: str) -> None:
    """One implementation: /api/leaders and ``wholeads.leaders`` (which the CLI prints) agree on
    every domain's status, leader, verdict, gap and each group's model and score. An agreement
    check, not a known answer (those are above and in test_leaders.py)."""
    response = asgi_request(web_app, "GET", f"/api/leaders?as_of={as_of}")
    assert response.status_code == 200
    web = {d["domain"]: d for d in response.json()}
    answer = wholeads.leaders(as_of=as_of, db=real_db)
    assert set(web) == {d.domain for d in answer.domains}
    for d in answer.domains:
        w = web[d.domain]
        assert (w["status"], w["leader"], w["verdict"]) == (d.status, d.leader, d.verdict)
        mine = [(g.group, g.model_id, g.score) for g in d.groups]
        theirs = [(g["group"], g["model_id"], g["score"]) for g in w["groups"]]  # type: ignore[index]
        assert theirs == mine, d.domain
        # the web spells "no gap" as a gap with every figure empty; the library as None
        gap = (None, None, None) if d.gap is None else (d.gap.leader, d.gap.runner_up, d.gap.points)
        their: dict[str, object] = w["gap"]  # type: ignore[assignment]
        assert tuple(their.get(k) for k in ("leader", "runner_up", "points")) == gap
