"""The advisor: memory arithmetic and constraint logic by hand, then each constraint shown to bind
on the real data (a model present without it disappears with it, with the reason)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import run_cli
from wholeads.analysis.shortlist import (
    Candidate,
    apply_constraints,
    constraints_for,
    is_permissive,
    memory_gb,
    rank,
    shortlist,
)
from wholeads.errors import UserError
from wholeads.query.advice import advise
from wholeads.store.files import open_readonly

ARTICLE_DATE = dt.date(2026, 5, 8)


def _cand(mid: str, eco: str, score: float, **kw: Any) -> Candidate:
    base: dict[str, Any] = dict(
        model_id=mid, name=mid, lab_id="lab", country={"US": "US", "CN": "CN"}.get(eco, "FR"),
        ecosystem=eco, score=score, ci_low=None, ci_high=None, evidence="e", source="s",
        date=ARTICLE_DATE, price=1.0, context_window=128_000, license="MIT", open_weights=True,
        params_total_b=8.0, params_active_b=None, architecture="dense",
    )  # fmt: skip
    return Candidate(**{**base, **kw})


def test_memory_is_total_params_times_bits_with_overhead() -> None:
    # DeepSeek-R1: 671B total, 37B active; weights at 4 bits = 335.5 GB, x1.2 = 402.6 GB
    assert memory_gb(671, 4) == 402.6
    assert memory_gb(671, 8) == 805.2
    assert memory_gb(8, 16) == 19.2
    assert memory_gb(None, 4) is None
    moe = _cand("moe", "CN", 1.0, params_total_b=80.0, params_active_b=3.0, architecture="moe")
    assert moe.memory() == {"4bit": 48.0, "8bit": 96.0, "16bit": 192.0}


def test_permissive_licenses() -> None:
    assert all(
        map(is_permissive, ["MIT", "Apache-2.0", "Apache 2.0", "apache-2.0", "BSD-3-Clause"])
    )
    others = ["Llama 3.3 Community License", "Gemma Terms of Use", "DeepSeek License",
              "CC-BY-NC-4.0", "GPL-3.0", None]  # fmt: skip
    assert not any(map(is_permissive, others))


def test_constraints_name_the_binding_one() -> None:
    cands = [
        _cand("us-a", "US", 10, open_weights=False, params_total_b=None),
        _cand("cn-a", "CN", 9, params_total_b=70.0),
        _cand("cn-b", "CN", 8, params_total_b=7.0, license="Qwen Research"),
    ]
    f = apply_constraints(cands, constraints_for(open_weights=True, license="permissive",
                                                 vram_gb=24))  # fmt: skip
    assert f.kept == [] and f.binding_constraint == "--vram 24"
    assert f.remaining_after == [("--open-weights", 2), ("--license permissive", 1),
                                 ("--vram 24", 0)]  # fmt: skip
    reasons = {x["model_id"]: x["reason"] for x in f.excluded}
    assert reasons == {
        "us-a": "closed weights",
        "cn-b": "license Qwen Research is not OSI permissive",
        "cn-a": "needs 42 GB at 4-bit (70B total params) > 24 GB",
    }
    f = apply_constraints(cands, constraints_for(max_price=2.0, min_context=1000))
    assert len(f.kept) == 3 and f.binding_constraint is None


def test_shortlist_spans_ecosystems() -> None:
    ranked = rank([_cand(f"us-{i}", "US", 100 - i) for i in range(5)]
                  + [_cand("cn-0", "CN", 50), _cand("eu-0", "EU", 40)])  # fmt: skip
    assert [c.model_id for c in shortlist(ranked, 4)] == ["us-0", "us-1", "cn-0", "eu-0"]
    assert [c.model_id for c in shortlist(ranked, 2)] == ["us-0", "cn-0"]


# --- real data -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _open(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_readonly(path)
    try:
        yield con
    finally:
        con.close()


def _advise(db: Path, **kw: Any) -> dict[str, Any]:
    with _open(db) as con:
        return advise(con, task="coding", as_of=ARTICLE_DATE, top=500, **kw)


def _ids(r: dict[str, Any]) -> set[str]:
    return {e["model_id"] for e in r["shortlist"]}


def _reason(r: dict[str, Any], model_id: str) -> str:
    return next(x["reason"] for x in r["excluded"] if x["model_id"] == model_id)


@pytest.fixture(scope="module")
def open_coding(real_db: Path) -> dict[str, Any]:
    return _advise(real_db, open_weights=True)


def test_pool_is_the_primary_evidence(open_coding: dict[str, Any]) -> None:
    ev = open_coding["evidence"]
    assert (ev["label"], ev["date"], ev["unit"]) == ("lmarena-text-coding", dt.date(2025, 12, 11),
                                                     "Elo")  # fmt: skip
    r1 = next(e for e in open_coding["shortlist"] if e["model_id"] == "deepseek-r1")
    assert (r1["params_total_b"], r1["params_active_b"], r1["license"]) == (671.0, 37.0, "MIT")
    assert r1["memory_gb"] == {"4bit": 402.6, "8bit": 805.2, "16bit": 1610.4}
    assert "all 671B total params in memory (37B active" in r1["memory_basis"]
    assert r1["ci_low"] < r1["score"] < r1["ci_high"] and r1["price"] is not None
    closed = _reason(open_coding, "claude-opus-4-5-20251101")
    assert closed == "closed weights"


def test_vram_binds(real_db: Path, open_coding: dict[str, Any]) -> None:
    assert "qwen3-235b-a22b-instruct-2507" in _ids(open_coding)
    r = _advise(real_db, open_weights=True, vram_gb=48)
    assert "qwen3-235b-a22b-instruct-2507" not in _ids(r)
    assert _reason(r, "qwen3-235b-a22b-instruct-2507") == (
        "needs 141 GB at 4-bit (235B total params) > 48 GB"
    )
    assert "qwen3-next-80b-a3b-instruct" in _ids(r)  # 80B x 0.5 x 1.2 = 48 GB: just fits
    assert all(e["memory_gb"]["4bit"] <= 48 for e in r["shortlist"])
    assert r["shortlist"][0]["model_id"] == "qwen3-next-80b-a3b-instruct"
    assert set(r["best_by_ecosystem"]) == {"US", "CN", "EU", "other"}
    assert r["best_by_ecosystem"]["US"]["model_id"] == "llama-3.3-nemotron-super-49b-v1.5"


def test_license_binds(real_db: Path, open_coding: dict[str, Any]) -> None:
    assert "gemma-3-27b-it" in _ids(open_coding)
    r = _advise(real_db, open_weights=True, license="permissive")
    assert "gemma-3-27b-it" not in _ids(r)
    assert _reason(r, "gemma-3-27b-it") == "license Gemma Terms of Use is not OSI permissive"
    assert all(e["permissive"] for e in r["shortlist"])
    assert {"gpt-oss-120b", "deepseek-r1"} <= _ids(r)


def test_price_binds(real_db: Path) -> None:
    assert "claude-opus-4-5-20251101" in _ids(_advise(real_db))
    r = _advise(real_db, max_price=1.0)
    assert "claude-opus-4-5-20251101" not in _ids(r)
    assert _reason(r, "claude-opus-4-5-20251101") == "price $10.00 > $1"
    assert all(e["price"] is not None and e["price"] <= 1.0 for e in r["shortlist"])


def test_exclude_country_binds(real_db: Path, open_coding: dict[str, Any]) -> None:
    assert "qwen3-next-80b-a3b-instruct" in _ids(open_coding)
    r = _advise(real_db, open_weights=True, exclude_countries=["cn"])
    assert "qwen3-next-80b-a3b-instruct" not in _ids(r)
    assert _reason(r, "qwen3-next-80b-a3b-instruct") == "lab alibaba is in CN (excluded)"
    assert r["best_by_ecosystem"]["CN"] is None
    assert (
        r["ecosystem_notes"]["CN"].startswith("all ")
        and "--exclude-country CN" in (r["ecosystem_notes"]["CN"])
    )
    assert all(e["country"] != "CN" for e in r["shortlist"])


def test_everything_excluded_names_the_binding_constraint(real_db: Path) -> None:
    r = _advise(real_db, open_weights=True, vram_gb=0.5)
    assert r["shortlist"] == [] and r["binding_constraint"] == "--vram 0.5"
    assert r["best_by_ecosystem"] == {"US": None, "CN": None, "EU": None, "other": None}
    assert len(r["excluded"]) == r["pool"]


def test_bad_inputs(real_db: Path) -> None:
    with _open(real_db) as con:
        with pytest.raises(UserError, match="unknown domain 'cooking'"):
            advise(con, task="cooking")
        with pytest.raises(UserError, match="--ecosystem: unknown 'Mars'"):
            advise(con, task="coding", ecosystems=["Mars"])
        with pytest.raises(UserError, match="not an ISO 3166"):
            advise(con, task="coding", exclude_countries=["China"])


def test_cli(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(real_db), "--as-of", "2026-05-08"]
    assert run_cli(monkeypatch, "advise", "--task", "coding", "--open-weights", "--vram", "48",
                 *db) == 0  # fmt: skip
    out = capsys.readouterr().out
    needles = ("qwen3-next-80b-a3b-instruct", "Best pick from each ecosystem",
               "llama-3.3-nemotron-super-49b-v1.5", "total parameters", "--vram 48")  # fmt: skip
    assert all(n in out for n in needles)
    assert run_cli(monkeypatch, "advise", "--task", "coding", "--open-weights", "--vram", "0.5",
                 "--json", *db) == 0  # fmt: skip
    r = json.loads(capsys.readouterr().out)
    assert r["shortlist"] == [] and r["binding_constraint"] == "--vram 0.5"
    assert run_cli(monkeypatch, "advise", "--task", "cooking", *db) == 2
    assert "unknown domain 'cooking'" in capsys.readouterr().err


def test_small_open_models_are_ranked_on_a_board_that_shows_them(real_db: Path) -> None:
    """As of 2026-08-22 every text board is a top-N scrape that stops above every open model of
    at most ~6 GB at 4 bits; the shortlist ranks them on the newest board that holds them: the
    2025-12-11 text board, where gemma-3-12b-it is 1333.97 [1324.59, 1343.36]
    (category_ratings_history.csv:109091), 12B x 0.5 x 1.2 = 7.2 GB <= 8 GB."""
    with _open(real_db) as con:
        r = advise(con, task="general", open_weights=True, vram_gb=8, as_of=dt.date(2026, 8, 22))
    assert r["evidence"]["date"] == dt.date(2025, 12, 11)
    assert r["evidence"]["age_days"] == 254
    top = r["shortlist"][0]
    assert (top["model_id"], top["score"], top["ci_low"]) == ("gemma-3-12b-it", 1333.97, 1324.59)
    assert all(e["memory_gb"]["4bit"] <= 8 for e in r["shortlist"])
    assert all(e["date"] == dt.date(2025, 12, 11) for e in r["shortlist"])  # one board, one scale
