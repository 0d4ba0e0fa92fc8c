"""The claims checker: the article's claims on the real data, each kind on a hand-made database
with a known answer, and malformed files rejected with file, claim id and field (exit code 2)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import run_cli, store_resolver
from wholeads.claims.checker import check_file, check_text
from wholeads.claims.format import MAX_BYTES, parse_claims
from wholeads.errors import DataError
from wholeads.store.derive import derive_evidence
from wholeads.store.files import building, open_readonly

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "claims" / "us-china-2026.yaml"
D = dt.date


@contextlib.contextmanager
def _open(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_readonly(path)
    try:
        yield con
    finally:
        con.close()


# --- the reference article on the real data ------------------------------------------------------

EXPECTED = {
    "r1-released-january-2025": "supported",
    "r1-mit-license": "supported",
    "r1-downloadable": "supported",
    "deepseek-is-chinese": "supported",
    "v3-open": "supported",
    "v3-permissive-license": "contradicted",
    "qwen3-permissive-license": "supported",
    "qwen3-open-weights": "supported",
    "minimax-4m-context": "supported",
    "minimax-context-beats-us": "contradicted",
    "cn-lead-long-context-windows": "contradicted",
    "gemini-1m-context": "supported",
    "gemini-pro-leads-long-context": "contradicted",
    "o-series-leads-math": "contradicted",
    "hunyuanvideo-late-2024": "supported",
    "hunyuanvideo-vs-sora": "contradicted",
    "kling-2-early-2026": "contradicted",
    "qwen-vl-competitive-gpt4v": "supported",
    "anthropic-closed": "supported",
    "openai-closed": "contradicted",
    "google-closed": "contradicted",
    "meta-open-weights": "supported",
    "cn-lead-open-weight": "tie",  # see test_open_weight_lead_is_a_tie
    "us-lead-reasoning": "supported",
    "us-lead-coding": "supported",
    "us-lead-multimodal": "supported",
    "cn-lead-cost": "supported",
    "cn-lead-video": "supported",
    "video-gap-closed": "supported",
    "gap-narrowed-general": "supported",
    "gap-narrowed-reasoning": "supported",
    "gap-narrowed-coding": "supported",
    "gpt-4o-mini-cheaper": "supported",
    "claude-haiku-cheaper": "supported",
    "gemini-flash-cheaper": "supported",
    "openai-15-per-mtok": "supported",
    "us-reversed-biden-eo": "supported",  # kb/policy/us.yaml: us-eo-14148 (2025-01-20)
    "us-chip-export-controls": "supported",  # us-bis-advanced-computing-2022 (2022-10-07)
    "cac-registration": "supported",  # kb/policy/cn.yaml: in force 2023-08-15
}


@pytest.fixture(scope="module")
def article(real_db: Path) -> dict[str, dict[str, Any]]:
    with _open(real_db) as con:
        return {r["id"]: r for r in check_file(con, EXAMPLE)}


def test_example_has_twenty_article_claims_as_of_its_date() -> None:
    claims = parse_claims(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert len(claims) >= 20
    assert {c.as_of for c in claims} == {D(2026, 5, 8)}
    article_text = REPO.parent / "shared" / "seed" / "chinese-vs-us-ai-labs-2026.txt"
    if article_text.exists():  # every `text` is the article's own wording
        body = " ".join(article_text.read_text(encoding="utf-8").split())
        for c in claims:
            assert c.text.split(": ", 1)[-1] in body, c.id


def test_example_verdicts(article: dict[str, dict[str, Any]]) -> None:
    assert {k: v["verdict"] for k, v in article.items()} == EXPECTED


def test_example_fact_evidence(article: dict[str, dict[str, Any]]) -> None:
    r1 = article["r1-mit-license"]["evidence"]
    assert (r1["model_id"], r1["value"], r1["source"]["source"]) == ("deepseek-r1", "MIT", "kb")
    assert article["r1-released-january-2025"]["evidence"]["value"] == D(2025, 1, 20)
    kling = article["kling-2-early-2026"]
    assert kling["evidence"]["value"] == D(2025, 4, 15)
    assert "305 days apart" in kling["explanation"]
    v3 = article["v3-permissive-license"]["evidence"]
    assert v3["value"] == "DeepSeek License"
    openai = article["openai-closed"]
    assert "gpt-oss-120b" in openai["evidence"]["examples"]
    assert "gpt-oss-120b" in openai["explanation"]
    assert article["anthropic-closed"]["evidence"]["open_weight_models"] == 0


def test_example_compare_evidence(article: dict[str, dict[str, Any]]) -> None:
    ctx = article["minimax-context-beats-us"]["evidence"]
    assert ctx["left"]["value"] == 4_000_000
    assert (ctx["right"]["model_id"], ctx["right"]["value"]) == (
        "llama-4-scout-17b-16e-instruct",
        10_000_000,
    )
    price = article["gpt-4o-mini-cheaper"]["evidence"]
    assert price["left"]["value"] == pytest.approx((3 * 0.15 + 0.6) / 4)
    assert price["right"]["value"] == pytest.approx((3 * 2.5 + 10) / 4)
    video = article["hunyuanvideo-vs-sora"]["evidence"]
    assert video["evidence"] == "aa-video-t2v" and video["date"] <= D(2026, 5, 8)
    assert (video["left"]["model_id"], video["right"]["model_id"]) == ("hunyuanvideo", "sora")
    assert video["left"]["value"] < video["right"]["value"]


def test_example_leader_and_trend_evidence(article: dict[str, dict[str, Any]]) -> None:
    coding = article["us-lead-coding"]["evidence"]
    assert coding["leader"] == "US" and coding["evidence"] == "lmarena-text-coding"
    assert coding["gap"]["significant"] is True
    opened = article["cn-lead-open-weight"]["evidence"]
    us_open = next(g for g in opened["groups"] if g["group"] == "US")
    cn_open = next(g for g in opened["groups"] if g["group"] == "CN")
    assert us_open["score"] < cn_open["score"]
    math = article["o-series-leads-math"]["evidence"]
    assert math["leader"] == "google"
    trend = article["gap-narrowed-general"]["evidence"]
    assert trend["evidence"] == "lmarena-text-full" and trend["trend"]["direction"] == "narrowing"
    assert trend["first"][0]["gap"] > trend["last"][0]["gap"] > 0
    assert trend["from"] == D(2025, 5, 8) and trend["to"] == D(2026, 5, 8)


def test_open_weight_lead_is_a_tie(article: dict[str, dict[str, Any]]) -> None:
    """As of 2026-05-08 the newest text board is 2025-12-11 (lmarena-category-ratings). Its best
    open-weight CN and EU models, from category_ratings_history.csv: glm-4.6 1441.16
    [1436.43, 1445.88] (line 109005) and mistral-large-3 1431.74 [1423.44, 1440.04] (line 109007).
    The intervals overlap and the normal test gives z = 9.42 / hypot(9.45, 16.60) * 2 * 1.96 =
    1.93 < 1.96: the data cannot tell them apart, so "CN leads" is a tie, not supported."""
    r = article["cn-lead-open-weight"]
    assert r["verdict"] == "tie"
    groups = {g["group"]: g for g in r["evidence"]["groups"]}
    assert (groups["CN"]["model_id"], groups["CN"]["score"]) == ("glm-4.6", 1441.16)
    assert (groups["EU"]["model_id"], groups["EU"]["score"]) == ("mistral-large-3", 1431.74)
    z = (1441.16 - 1431.74) / (
        ((1445.88 - 1436.43) ** 2 + (1440.04 - 1423.44) ** 2) ** 0.5 / (2 * 1.959963984540054)
    )
    assert 1.9 < z < 1.96
    assert r["evidence"]["gap"]["significant"] is False


# --- each kind on a hand-made database -----------------------------------------------------------


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two labs (US, CN), four models, three coding-arena snapshots where CN closes the gap."""
    path = tmp_path_factory.mktemp("claims") / "small.duckdb"
    with building(path) as con:
        con.executemany(
            "INSERT INTO labs (id, name, country, ecosystem, type, curated, source_url)"
            " VALUES (?, ?, ?, ?, 'startup', TRUE, ?)",
            [("uslab", "US Lab", "US", "US", "https://us.example"),
             ("cnlab", "CN Lab", "CN", "CN", "https://cn.example")],
        )  # fmt: skip
        con.executemany(
            "INSERT INTO models (id, name, lab_id, kind, release_date, open_weights, license,"
            " params_total_b, context_window, price_input, price_output, curated)"
            " VALUES (?, ?, ?, 'llm', ?, ?, ?, ?, ?, ?, ?, TRUE)",
            [
                ("us-big", "US Big", "uslab", D(2025, 1, 1), False, "proprietary", None,
                 100_000, 4.0, 16.0),
                ("us-small", "US Small", "uslab", D(2025, 1, 1), True, "Apache-2.0", 8.0,
                 32_000, 0.1, 0.1),
                ("cn-open", "CN Open", "cnlab", D(2025, 2, 1), True, "MIT", 70.0, 200_000,
                 0.2, 0.8),
                ("cn-next", "CN Next", "cnlab", D(2025, 9, 1), True, "MIT", 70.0, 1_000_000,
                 0.2, 0.8),
            ],
        )  # fmt: skip
        rows = []
        for day, cn in ((D(2025, 3, 1), 1200.0), (D(2025, 4, 1), 1250.0), (D(2025, 5, 1), 1290.0)):
            for mid, value in (("us-big", 1300.0), ("us-small", 1100.0), ("cn-open", cn)):
                rows.append((mid, mid, "lmarena-text-coding", value, value - 5, value + 5, day))
        con.executemany(
            "INSERT INTO scores (model_id, raw_name, benchmark_id, value, ci_low, ci_high, as_of,"
            " source) VALUES (?, ?, ?, ?, ?, ?, ?, 'arena')",
            rows,
        )
        # Prices are dated facts: each model's list price from its release (the models table's
        # price columns have no valid time, so as-of claims never read them).
        con.execute("""INSERT INTO prices (model_id, raw_name, provider, input_per_mtok,
                           output_per_mtok, valid_from, source, dated_by)
                       SELECT id, id, lab_id, price_input, price_output, release_date, 'kb',
                           'stated' FROM models""")
        derive_evidence(con, {"arena": ("complete", 0)})
        store_resolver(con)
    return path


def _check(db: Path, body: str, as_of: D | None = None) -> dict[str, Any]:
    text = "claims:\n" + body
    with _open(db) as con:
        (result,) = check_text(con, text, as_of=as_of, name="t.yaml")
    return result


def test_fact(small_db: Path) -> None:
    base = "  - {id: f, text: t, as_of: 2025-06-01, kind: fact, "
    assert _check(small_db, base + "entity: CN Open, field: license, expect: mit}")["verdict"] == (
        "supported"
    )
    r = _check(small_db, base + "entity: CN Open, field: release_date, expect: 2025-01-20, "
               "tolerance: 10}")  # fmt: skip
    assert r["verdict"] == "contradicted" and "12 days apart" in r["explanation"]
    r = _check(small_db, base + "entity: cn-open, field: parameters, expect: 70B}")
    assert r["verdict"] == "supported"
    r = _check(small_db, base + "entity: cn-open, field: ecosystem, expect: cn}")
    assert r["verdict"] == "supported" and r["evidence"]["lab_id"] == "cnlab"
    r = _check(small_db, base + "entity: US Lab, field: open_weights, expect: true}")
    assert r["verdict"] == "supported" and r["evidence"]["examples"] == ["us-small"]
    r = _check(small_db, base + "entity: CN Next, field: license, expect: MIT}")
    assert r["verdict"] == "insufficient_evidence"
    assert "not released as of 2025-06-01 (released 2025-09-01)" in r["explanation"]
    # --as-of overrides the claim's date: by 2025-10-01 it is released
    later = _check(small_db, base + "entity: CN Next, field: license, expect: MIT}", D(2025, 10, 1))
    assert later["verdict"] == "supported" and later["as_of"] == D(2025, 10, 1)


def test_compare(small_db: Path) -> None:
    base = "  - {id: c, text: t, as_of: 2025-06-01, kind: compare, "
    r = _check(small_db, base + "field: context_window, left: {ecosystem: CN}, "
               "right: {ecosystem: US}, op: '>'}")  # fmt: skip
    assert r["verdict"] == "supported"  # cn-next's 1M is not released by 2025-06-01
    assert r["evidence"]["left"]["model_id"] == "cn-open"
    assert r["evidence"]["right"]["model_id"] == "us-big"
    r = _check(small_db, base + "field: price, left: {lab: US Lab}, right: 0.5, op: '<'}")
    assert r["verdict"] == "supported" and r["evidence"]["left"]["model_id"] == "us-small"
    r = _check(small_db, base + "field: coding, left: {model: US Big}, right: {model: CN Open},"
               " op: '>'}")  # fmt: skip
    assert r["verdict"] == "supported"
    ev = r["evidence"]
    assert (ev["evidence"], ev["date"], ev["significant"]) == ("lmarena-text-coding",
                                                               D(2025, 5, 1), True)  # fmt: skip
    assert (ev["left"]["value"], ev["right"]["value"]) == (1300.0, 1290.0)
    r = _check(small_db, base + "field: coding, left: {model: US Big}, right: {model: CN Open},"
               " op: '~', tolerance: 5}")  # fmt: skip
    assert r["verdict"] == "contradicted"
    r = _check(small_db, base + "field: coding, left: {ecosystem: US, open_weights: true}, "
               "right: {ecosystem: CN, open_weights: true}, op: '<'}")  # fmt: skip
    assert r["verdict"] == "supported" and r["evidence"]["left"]["model_id"] == "us-small"
    r = _check(small_db, base + "field: vision, left: {model: US Big}, right: 1000, op: '>'}")
    assert r["verdict"] == "insufficient_evidence" and "no evidence of vision" in r["explanation"]


def test_leader(small_db: Path) -> None:
    base = "  - {id: l, text: t, as_of: 2025-06-01, kind: leader, domain: coding, "
    r = _check(small_db, base + "expect: US}")
    assert r["verdict"] == "supported" and r["evidence"]["evidence"] == "lmarena-text-coding"
    r = _check(small_db, base + "among: {open_weights: true}, expect: US}")
    assert r["verdict"] == "contradicted" and "CN leads (cn-open)" in r["explanation"]
    r = _check(small_db, base + "by: lab, expect: US Lab}")
    assert r["verdict"] == "supported"
    r = _check(small_db, base + "by: openness, expect: closed}")
    assert r["verdict"] == "supported"
    r = _check(small_db, base + "among: {ecosystem: CN}, expect: CN}")
    assert (
        r["verdict"] == "insufficient_evidence"
        and "needs scores for at least two groups" in (r["explanation"])
    )


def test_trend(small_db: Path) -> None:
    base = ("  - {id: t, text: t, as_of: 2025-06-01, kind: trend, domain: coding, a: US, b: CN, "
            "from: 2025-02-01, to: 2025-06-01, ")  # fmt: skip
    r = _check(small_db, base + "expect: narrowing}")
    assert r["verdict"] == "supported"
    assert "100 -> 10" in r["explanation"]
    assert r["evidence"]["points"] == 3
    assert _check(small_db, base + "expect: widening}")["verdict"] == "contradicted"
    r = _check(small_db, base + "expect: narrowing}", as_of=D(2025, 3, 15))
    assert r["verdict"] == "insufficient_evidence"  # one snapshot by then


# --- malformed files -----------------------------------------------------------------------------

GOOD = "  - {id: ok, text: t, as_of: 2025-06-01, kind: fact, entity: CN Open, field: license, expect: MIT}\n"  # noqa: E501


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ("claims: [", ["t.yaml", "invalid YAML"]),
        ("- a\n", ["t.yaml", "top-level key 'claims'"]),
        ("claims:\n" + GOOD + "  - {id: x, text: t, as_of: 2025-06-01, kind: rumour}\n",
         ["t.yaml", "claims[1] (id 'x')", "unknown kind 'rumour'", "field 'kind'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: CN Open, "
         "field: license, expect: MIT, colour: red}\n",
         ["claims[0] (id 'x')", "unknown field 'colour'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: CN Open, "
         "field: flavour, expect: MIT}\n",
         ["claims[0] (id 'x')", "unknown field 'flavour'", "field 'field'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: CN Open, "
         "expect: MIT}\n",
         ["claims[0] (id 'x')", "required field 'field' is missing"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: compare, field: coding, "
         "left: {model: a, lab: b}, right: 1, op: '>'}\n",
         ["claims[0] (id 'x')", "exactly one of 'model', 'lab', 'ecosystem'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: leader, domain: cooking, "
         "expect: US}\n", ["unknown domain 'cooking'", "field 'domain'"]),
        ("claims:\n" + GOOD + GOOD, ["claims[1] (id 'ok')", "duplicate id"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: Zorblax 9, "
         "field: license, expect: MIT}\n",
         ["t.yaml", "claims[0] (id 'x')", "unknown model or lab 'Zorblax 9'", "field 'entity'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: compare, field: coding, "
         "left: {model: Zorblax 9}, right: 1, op: '>'}\n",
         ["claims[0] (id 'x')", "unknown model 'Zorblax 9'", "field 'left.model'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: leader, domain: coding, "
         "expect: Atlantis}\n", ["unknown ecosystem 'Atlantis'", "field 'expect'"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: US Lab, "
         "field: license, expect: MIT}\n", ["'license' is a model field; 'US Lab' is a lab"]),
        ("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: CN Open, "
         "field: license, expect: MIT, tolerance: -1}\n",
         ["bad value for 'tolerance'"]),
        ("claims:\n  - !!python/object/apply:os.system ['echo pwned']\n", ["invalid YAML"]),
        ("#" * (MAX_BYTES + 1), ["t.yaml", "limit is 1,000,000"]),
    ],
)  # fmt: skip
def test_malformed_files(small_db: Path, body: str, needles: list[str]) -> None:
    with _open(small_db) as con, pytest.raises(DataError) as err:
        check_text(con, body, name="t.yaml")
    for needle in needles:
        assert needle in str(err.value)


def test_cli_exit_codes(
    small_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims:\n  - {id: x, text: t, as_of: 2025-06-01, kind: fact, entity: CN Open,"
                   " field: flavour, expect: 1}\n")  # fmt: skip
    assert run_cli(monkeypatch, "check", str(bad), "--db", str(small_db)) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "id 'x'" in err and "unknown field 'flavour'" in err
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    assert run_cli(monkeypatch, "check", str(big), "--db", str(small_db)) == 2
    assert "limit is" in capsys.readouterr().err
    good = tmp_path / "good.yaml"
    good.write_text("claims:\n" + GOOD + GOOD.replace("id: ok", "id: gpl").replace("MIT", "GPL"))
    assert run_cli(monkeypatch, "check", str(good), "--db", str(small_db), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["verdict"]) for r in out] == [("ok", "supported"), ("gpl", "contradicted")]
    assert {"id", "verdict", "explanation", "evidence"} <= set(out[0])
    assert run_cli(monkeypatch, "check", str(good), "--db", str(small_db)) == 0
    table = capsys.readouterr().out
    assert "1 supported, 1 contradicted, 0 tie, 0 undecided, 0 insufficient evidence" in table
