"""Arena leaderboard sources (LMArena snapshots, histories, scrapes; two video arenas).

Known answers were checked by hand in the real files under ../shared/data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import load_source
from wholeads.errors import DataError
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources._arena import ci_bounds, open_weights, split_arena_category
from wholeads.ingest.sources.base import RawFiles
from wholeads.schema import ModelKind, ScoreRecord, SourceBatch

D = dt.date
NOW = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)


def _raw(source: str, files: dict[str, bytes], origin: str = "test") -> RawFiles:
    return RawFiles(source=source, files=files, retrieved_at=NOW, origin=origin)


def _load(source: str, files: dict[str, bytes], origin: str = "test") -> SourceBatch:
    return get_source(source).load(_raw(source, files, origin))


def _one(batch: SourceBatch, **match: object) -> ScoreRecord:
    found = [s for s in batch.scores if all(getattr(s, k) == v for k, v in match.items())]
    assert len(found) == 1, found
    return found[0]


def _defined(batch: SourceBatch) -> None:
    """Every emitted benchmark id has a definition, and there are no problems."""
    assert {s.benchmark for s in batch.scores} <= {b.id for b in batch.benchmarks}
    assert batch.problems == []


# --- shared helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ci", "bounds"),
    [
        ("+5/-4", (1284.0, 1293.0)),
        ("-12/12", (1276.0, 1300.0)),
        ("0/0", (1288.0, 1288.0)),
        (7, (1281.0, 1295.0)),
        ("±7", (1281.0, 1295.0)),
        ("", (None, None)),
        ("N/A", (None, None)),
    ],
)
def test_ci_bounds_forms(ci: object, bounds: tuple[float | None, float | None]) -> None:
    assert ci_bounds(1288.0, ci) == bounds


def test_ci_bounds_unreadable() -> None:
    with pytest.raises(ValueError, match="unreadable CI"):
        ci_bounds(1.0, "+a/-b")


@pytest.mark.parametrize(
    ("license_text", "expected"),
    [
        ("Proprietary", False),
        ("Propretary", False),
        ("proprietary", False),
        ("MIT", True),
        ("Apache 2.0", True),
        ("Llama 3.1 Community", True),
        ("Qianwen LICENSE", True),
        ("DeepSeek License", True),
        ("Gemma license", True),
        ("CC-BY-NC-4.0", True),
        ("open", True),
        ("Modified MIT", True),
        ("Other", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_open_weights_from_license(license_text: object, expected: bool | None) -> None:
    assert open_weights(license_text) is expected


def test_split_arena_category() -> None:
    assert split_arena_category("text_hard_6_style_control") == ("text", "hard_6", True)
    assert split_arena_category("vision_full") == ("vision", "full", False)


# --- real files -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaderboard(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "lmarena-leaderboard-csv")


def test_leaderboard_csv_real(leaderboard: SourceBatch) -> None:
    b = leaderboard
    _defined(b)
    counts = Counter(s.benchmark for s in b.scores)
    # Yi-34B-Chat is listed twice, identically, in each of the 4 lmarena_text snapshots.
    assert counts["lmarena-text-full"] == 14964 + 1048 - 4
    assert counts["lmarena-vision-full"] == 344 and counts["lmarena-image-full"] == 79
    assert counts["open-llm-leaderboard-v2"] == 4576
    assert len(b.scores) == 48463 and len(b.models) == 4940
    # "+3/-4" -> (score-4, score+3); votes -> n; organization raw.
    g = _one(b, name="Gemini-Advanced-0514", as_of=D(2024, 6, 19))
    assert (g.value, g.ci_low, g.ci_high, g.n, g.lab) == (1267, 1263, 1270, 34382, "Google")
    o3 = _one(b, name="o3-2025-04-16", as_of=D(2025, 8, 4), benchmark="lmarena-text-full")
    assert (o3.value, o3.ci_low, o3.ci_high, o3.n) == (1428, 1424, 1432, 32033)
    gpt4o = next(m for m in b.models if m.name == "GPT-4o-2024-05-13")
    assert (gpt4o.lab, gpt4o.license, gpt4o.open_weights) == ("OpenAI", "Proprietary", False)
    qwen = next(m for m in b.models if m.name == "Qwen2.5-72B-Instruct")
    assert (qwen.license, qwen.open_weights) == ("Qwen", True)
    # Open LLM Leaderboard v2: average and per task, dated by submission, precision as setting.
    avg = _one(b, name="Qwen/Qwen2.5-72B-Instruct", benchmark="open-llm-leaderboard-v2")
    assert avg.value == pytest.approx(47.9804599121686)
    assert (avg.as_of, avg.setting) == (D(2024, 10, 16), "bfloat16")
    ifeval = _one(b, name="Qwen/Qwen2.5-72B-Instruct", benchmark="open-llm-leaderboard-v2-ifeval")
    assert ifeval.value == pytest.approx(86.3837949972739)
    hub = next(m for m in b.models if m.name == "Qwen/Qwen2.5-72B-Instruct")
    assert (hub.lab, hub.params_total_b, hub.open_weights) == ("Qwen", 72.706, True)


@pytest.fixture(scope="module")
def categories(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "lmarena-category-ratings")


def test_category_ratings_real(categories: SourceBatch) -> None:
    b = categories
    _defined(b)
    assert len(b.scores) == 130775
    assert sum(s.setting == "style_control" for s in b.scores) == 54819 + 1707
    assert len({s.as_of for s in b.scores}) == 16
    first = _one(
        b,
        name="gemini-2.0-flash-thinking-exp-01-21",
        benchmark="lmarena-text-chinese",
        as_of=D(2025, 3, 7),
        setting=None,
    )
    assert (first.value, first.ci_low, first.ci_high, first.n) == (1510.83, 1491.2, 1526.43, None)
    # The lab comes from scatterplot-data.json when the key is listed there.
    c = _one(
        b,
        name="chatgpt-4o-latest-20241120",
        benchmark="lmarena-text-chinese",
        as_of=D(2025, 3, 7),
        setting=None,
    )
    assert (c.value, c.lab) == (1445.1, "OpenAI")
    ids = {x.id for x in b.benchmarks}
    assert {"lmarena-text-hard-prompts", "lmarena-vision-ocr", "lmarena-image-full"} <= ids
    # Prices per 1M tokens; image models (per-image prices) and blank prices are skipped.
    assert len(b.models) == 141 and len(b.prices) == 130
    price = next(p for p in b.prices if p.name == "chatgpt-4o-latest-20241120")
    assert (price.provider, price.input_per_mtok, price.output_per_mtok) == ("OpenAI", 2.5, 10.0)
    assert price.valid_from == D(2025, 12, 17)
    assert not any(p.name in {"photon", "flux-1.1-pro"} for p in b.prices)
    longcat = next(m for m in b.models if m.name == "longcat-flash-chat")
    assert (longcat.lab, longcat.open_weights) == ("Meituan", True)


def test_elo_history_real(shared_data: Path) -> None:
    b = load_source(shared_data, "lmarena-elo-history")
    _defined(b)
    assert len(b.scores) == 13434 - 96  # exact upstream duplicates (yi-34b-chat) kept once
    s = _one(b, name="gpt-4o-2024-05-13", as_of=D(2024, 6, 29))
    assert s.value == pytest.approx(1287.0196469719676)
    assert (s.benchmark, s.lab, s.ci_low, s.n) == ("lmarena-text-full", "OpenAI", None, None)
    assert min(x.as_of for x in b.scores) == D(2023, 5, 8)
    # key_to_model: the key and the display name carry the same facts.
    names = {m.name: m for m in b.models}
    assert names["gpt-4"].lab == names["ChatGPT-4"].lab == "OpenAI"
    assert names["athene-70b"].open_weights is True
    assert names["koala-13b"].license == "Non-commercial"


def test_hf_space_tables_real(shared_data: Path) -> None:
    b = load_source(shared_data, "lmarena-hf-space-tables")
    _defined(b)
    mt = _one(b, name="wizardlm-30b", benchmark="mt-bench")
    assert (mt.value, mt.as_of, mt.lab) == (7.01, D(2025, 5, 11), "Microsoft")
    mmlu = _one(b, name="wizardlm-30b", benchmark="mmlu")
    assert (mmlu.value, mmlu.setting) == (58.7, "reported")
    hard = _one(b, name="gpt-4-turbo-2024-04-09", benchmark="arena-hard-auto")
    assert (hard.value, hard.ci_low, hard.ci_high, hard.as_of) == (
        82.63,
        80.75,
        84.6,
        D(2024, 7, 31),
    )
    assert sum(s.benchmark == "arena-hard-auto" for s in b.scores) == 60
    leader = _one(b, benchmark="lmarena-text-hard-prompts-english", as_of=D(2024, 6, 29))
    assert (leader.name, leader.setting) == ("gpt-4o-2024-05-13", "category_max")
    assert leader.value == pytest.approx(1280.8322184706535)
    sc = _one(
        b, benchmark="lmarena-text-full", as_of=D(2024, 8, 28), setting="style_control+category_max"
    )
    assert sc.name == "chatgpt-4o-latest"
    assert sum("category_max" in (s.setting or "") for s in b.scores) == 2050
    vicuna = next(m for m in b.models if m.name == "Vicuna-13B-16k")
    assert (vicuna.lab, vicuna.open_weights) == ("LMSYS", True)


def test_scrape_2026_real(shared_data: Path) -> None:
    b = load_source(shared_data, "lmarena-scrape-2026")
    _defined(b)
    assert Counter(s.benchmark for s in b.scores) == {
        "lmarena-code-full": 1972,
        "lmarena-image-full": 1506 - 71,  # 2026-07-07 had two versions; unchanged rows kept once
        "lmarena-text-full": 770 - 30,
        "lmarena-vision-full": 500,
    }
    # Dated by fetched_at (2026-07-06), not the later commit time (2026-07-07).
    code = _one(b, name="claude-fable-5", benchmark="lmarena-code-full", as_of=D(2026, 7, 6))
    assert (code.value, code.ci_low, code.ci_high, code.n, code.lab) == (
        1653,
        1638,
        1668,
        2100,
        "Anthropic",
    )
    text = _one(b, name="claude-fable-5", benchmark="lmarena-text-full", as_of=D(2026, 7, 6))
    assert (text.value, text.n) == (1509, 4350)
    glm = next(m for m in b.models if m.name == "glm-5.2 (max)")
    assert (glm.lab, glm.license, glm.open_weights) == ("Z.ai", None, True)
    assert "SpaceXAI" in {s.lab for s in b.scores}


def test_aa_video_real(shared_data: Path) -> None:
    b = load_source(shared_data, "video-arena-artificialanalysis")
    _defined(b)
    # The *_latest.json files equal the 2026-08-20 snapshot, so they add nothing.
    assert len(b.scores) == 28897
    assert all(s.prov.file == "aa_video_arena_history.csv" for s in b.scores)
    vidu = _one(b, name="Vidu Q3 Pro", benchmark="aa-video-t2v", as_of=D(2026, 2, 10))
    assert (vidu.value, vidu.ci_low, vidu.ci_high, vidu.n, vidu.lab) == (
        1243,
        1231,
        1255,
        3581,
        "Vidu",
    )
    mochi = _one(b, name="Mochi 1", benchmark="aa-video-t2v", as_of=D(2026, 2, 10))
    assert (mochi.value, mochi.ci_low, mochi.ci_high) == (1000, 1000, 1000)
    models = [m for m in b.models if m.name == "Vidu Q3 Pro"]
    assert {m.input_modalities for m in models} == {("text",), ("image", "text")}
    assert all(m.release_date == D(2026, 1, 1) and m.lab == "Vidu" for m in models)
    assert all(m.kind is ModelKind.video_generation for m in b.models)


def test_video_lmarena_real(shared_data: Path) -> None:
    b = load_source(shared_data, "video-arena-lmarena-2026")
    _defined(b)
    assert Counter(s.benchmark for s in b.scores) == {
        "lmarena-video-i2v": 264,
        "lmarena-video-t2v": 188,
        "lmarena-video-edit": 9,
    }
    grok = _one(
        b, name="grok-imagine-video-720p", benchmark="lmarena-video-i2v", as_of=D(2026, 3, 19)
    )
    assert (grok.value, grok.ci_low, grok.ci_high, grok.n, grok.lab) == (
        1404,
        1398,
        1410,
        66616,
        "xAI",
    )
    # Dated by the folder, not LMArena's "last updated" day: one value per model and date.
    assert len({(s.benchmark, s.name, s.as_of) for s in b.scores}) == 461
    later = _one(
        b, name="grok-imagine-video-720p", benchmark="lmarena-video-i2v", as_of=D(2026, 4, 8)
    )
    assert (later.value, later.n) == (1420, 220941)


# --- online forms ---------------------------------------------------------------------------

CATALOG = {
    "full": {
        "gpt-image-1": {"rating": 1124.9, "rating_q975": 1128.0, "rating_q025": 1121.9},
        "photon": {"rating": 1034.7, "rating_q975": 1037.5, "rating_q025": 1031.8},
    },
    "is_preset_generation": {"photon": {"rating": 1006.9}},
}
SCATTER = [
    {
        "name": "Luma Photon",
        "model_api_name": "photon",
        "input_token_price": "0.03",
        "output_token_price": "0.03",
        "organization": "Luma AI",
        "license": "Proprietary",
    },
    {
        "name": "GPT-4o",
        "model_api_name": "chatgpt-4o-latest-20241120",
        "input_token_price": "2.5",
        "output_token_price": "10",
        "organization": "OpenAI",
        "license": "Proprietary",
    },
]


def test_category_ratings_online_catalog() -> None:
    b = _load(
        "lmarena-category-ratings",
        {
            "leaderboard-image.json": json.dumps(CATALOG).encode(),
            "leaderboard-text-style-control.json": json.dumps(
                {"full": {"chatgpt-4o-latest-20241120": {"rating": 1400.5}}}
            ).encode(),
            "scatterplot-data.json": json.dumps(SCATTER).encode(),
        },
        origin="online",
    )
    _defined(b)
    photon = _one(b, name="photon", benchmark="lmarena-image-full")
    assert (photon.ci_low, photon.ci_high, photon.lab, photon.as_of) == (
        1031.8,
        1037.5,
        "Luma AI",
        NOW.date(),
    )
    text = _one(b, name="chatgpt-4o-latest-20241120")
    assert (text.setting, text.benchmark) == ("style_control", "lmarena-text-full")
    assert [p.name for p in b.prices] == ["chatgpt-4o-latest-20241120"]  # photon is per image
    assert b.prices[0].valid_from == NOW.date()


def test_scrape_online_json_forms() -> None:
    meta = {
        "meta": {"fetched_at": "2026-07-06T06:08:27+00:00", "last_updated": "Jul 1, 2026"},
        "models": [
            {
                "rank": 1,
                "model": "kimi-k2.6",
                "vendor": "Moonshot",
                "license": "open",
                "score": 1266,
                "ci": 7,
                "votes": 14251,
            }
        ],
    }
    bare = [
        {
            "rank": 1,
            "model": "claude-fable-5",
            "vendor": "Anthropic",
            "license": "proprietary",
            "score": 1318,
            "ci": 9,
            "votes": 7946,
        }
    ]
    b = _load(
        "lmarena-scrape-2026",
        {
            "vision.json": json.dumps(meta).encode(),
            "code.json": json.dumps(bare).encode(),
        },
        origin="online",
    )
    _defined(b)
    kimi = _one(b, name="kimi-k2.6")
    assert (kimi.benchmark, kimi.as_of, kimi.ci_low, kimi.ci_high) == (
        "lmarena-vision-full",
        D(2026, 7, 6),
        1259,
        1273,
    )
    assert _one(b, name="claude-fable-5").as_of == NOW.date()


def test_aa_latest_online_only() -> None:
    doc = {
        "status": 200,
        "data": [
            {
                "id": "x",
                "name": "Gemini Omni Flash",
                "slug": "gemini-omni-flash",
                "model_creator": {"id": "y", "name": "Google"},
                "elo": 1322,
                "rank": 1,
                "ci95": "-10/10",
                "appearances": 5773,
                "release_date": "2026-05",
                "categories": [],
            }
        ],
    }
    b = _load(
        "video-arena-artificialanalysis",
        {"text-to-video_latest.json": json.dumps(doc).encode()},
        origin="online",
    )
    _defined(b)
    s = _one(b, name="Gemini Omni Flash")
    assert (s.benchmark, s.lab, s.ci_low, s.ci_high, s.n, s.as_of) == (
        "aa-video-t2v",
        "Google",
        1312,
        1332,
        5773,
        NOW.date(),
    )
    assert b.models[0].release_date == D(2026, 5, 1)


def test_leaderboard_online_csv_without_snapshot_date() -> None:
    body = (
        "rank,rank_stylectrl,model,arena_score,95_pct_ci,votes,organization,license,"
        "knowledge_cutoff,url\n1,1,GLM-4.5,1434,+9/-9,4112,Z.ai,MIT,,https://z.ai\n"
    )
    b = _load(
        "lmarena-leaderboard-csv", {"lmarena_text_snapshots.csv": body.encode()}, origin="online"
    )
    s = _one(b, name="GLM-4.5")
    assert (s.as_of, s.ci_low, s.ci_high, s.lab) == (NOW.date(), 1425, 1443, "Z.ai")
    assert b.models[0].open_weights is True


# --- bad input ------------------------------------------------------------------------------

HISTORY_HEADER = (
    "snapshot_date,source_commit,arena,style_control,category,model,rating,rating_q025,"
    "rating_q975\n"
)


def test_bad_rows_become_problems_naming_file_and_line() -> None:
    body = HISTORY_HEADER + (
        "2025-03-07,b3,text,0,full,m-1,1500.5,1490,1510\n"
        "2025-03-07,b3,text,1,full,m-2,n/a,1490,1510\n"
    )
    b = _load("lmarena-category-ratings", {"category_ratings_history.csv": body.encode()})
    assert [s.name for s in b.scores] == ["m-1"]
    assert b.problems == [
        "lmarena-category-ratings/category_ratings_history.csv:3: bad rating or interval"
    ]


def test_bad_ci_is_a_problem_but_keeps_the_score() -> None:
    body = "snapshot_date,model,arena_score,95_pct_ci,votes\n2024-06-19,M,1200,+x/-y,10\n"
    b = _load("lmarena-leaderboard-csv", {"lmsys_leaderboard_snapshots.csv": body.encode()})
    assert b.scores[0].ci_low is None and b.scores[0].value == 1200
    assert b.problems == [
        "lmarena-leaderboard-csv/lmsys_leaderboard_snapshots.csv:2: unreadable CI '+x/-y'"
    ]


@pytest.mark.parametrize(
    ("source", "files", "message"),
    [
        (
            "lmarena-category-ratings",
            {"scatterplot-data.json": b'[{"model_api_name": "a",'},
            r"lmarena-category-ratings/scatterplot-data.json:1: invalid JSON",
        ),
        (
            "lmarena-category-ratings",
            {"category_ratings_history.csv": HISTORY_HEADER.encode() + b"2025-03-07,\xff\n"},
            r"lmarena-category-ratings/category_ratings_history.csv:2: not UTF-8",
        ),
        (
            "lmarena-category-ratings",
            {"category_ratings_history.csv": b"snapshot_date,arena,model\n2025-03-07,text,m\n"},
            r"category_ratings_history.csv:1, field 'style_control': missing column",
        ),
        (
            "lmarena-elo-history",
            {"alltime.csv": b"key,Model,date\nx,X,20240101\n"},
            r"lmarena-elo-history/alltime.csv:1, field 'rating': missing column",
        ),
        ("lmarena-elo-history", {"alltime.csv": b""}, r"lmarena-elo-history/alltime.csv: empty"),
        (
            "video-arena-artificialanalysis",
            {"text-to-video_latest.json": b'{"status": 200, "data": [{"name": "x"'},
            r"video-arena-artificialanalysis/text-to-video_latest.json:1: invalid JSON",
        ),
        (
            "video-arena-lmarena-2026",
            {"text-to-video.json": b'{"meta": {}}'},
            r"video-arena-lmarena-2026/text-to-video.json: expected a list of models",
        ),
        (
            "lmarena-hf-space-tables",
            {"elo_max_by_category.json": b"{}"},
            r"lmarena-hf-space-tables/elo_max_by_category.json: expected a list",
        ),
    ],
)
def test_structural_errors_name_the_file(
    source: str, files: dict[str, bytes], message: str
) -> None:
    with pytest.raises(DataError, match=message):
        _load(source, files)
