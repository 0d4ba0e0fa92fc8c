"""The curated knowledge base: it loads, covers the reference article, and rejects bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wholeads.errors import DataError
from wholeads.ingest.resolve import ModelEntry, Resolver
from wholeads.kb import KB_ROOT, load_kb

# Every lab and model the reference article (shared/seed) names: (lab id, country, model spellings).
ARTICLE = {
    "openai": ("US", ["o3", "o4-mini", "GPT-4o", "GPT-4o mini", "Sora"]),
    "anthropic": (
        "US",
        ["Claude 3.7 Sonnet", "Claude Sonnet 4", "Claude Opus 4", "Claude 3.5 Haiku"],
    ),
    "google": ("US", ["Gemini 2.0 Flash", "Gemini 2.5 Pro", "Gemini 2.5 Flash"]),
    "meta": ("US", ["Llama 3 70B Instruct"]),
    "deepseek": ("CN", ["DeepSeek-R1", "DeepSeek-V3"]),
    "alibaba": ("CN", ["Qwen2.5-72B-Instruct", "Qwen3-235B-A22B"]),
    "tencent": ("CN", ["HunyuanVideo"]),
    "minimax": ("CN", ["MiniMax-Text-01"]),
    "kuaishou": ("CN", ["Kling 2.0"]),
    "bytedance": ("CN", []),
    "shengshu": ("CN", []),
    "runway": ("US", ["Gen-3 Alpha"]),
    "luma": ("US", []),
    "pika": ("US", []),
    "xai": ("US", []),
    "mistral": ("FR", []),
    "moonshot": ("CN", []),
    "zhipu": ("CN", []),
    "stepfun": ("CN", []),
    "baidu": ("CN", []),
    "01-ai": ("CN", []),
    "xiaomi": ("CN", []),
}


@pytest.fixture(scope="module")
def kb_resolver() -> Resolver:
    kb = load_kb()
    resolver = Resolver()
    for family in kb.families.values():
        for v in family.versions:
            release = v.release_date.isoformat() if v.release_date else None
            resolver.add_model(
                ModelEntry(v.id, family.lab, family.id, release), [v.name, *v.aliases]
            )
    for alias, model_id, start, end in kb.rolling_periods():
        resolver.add_rolling(alias, model_id, start, end)
    return resolver


def test_whole_kb_loads_with_sources_on_every_fact() -> None:
    kb = load_kb()
    assert len(kb.labs) >= 30
    assert len(kb.versions) >= 150
    for family in kb.families.values():
        assert family.source.url.startswith("http")
        assert family.lab in kb.labs


@pytest.mark.parametrize("lab_id", sorted(ARTICLE))
def test_article_labs_and_models_present(lab_id: str, kb_resolver: Resolver) -> None:
    kb = load_kb()
    country, models = ARTICLE[lab_id]
    assert lab_id in kb.labs, f"lab {lab_id} missing"
    assert kb.labs[lab_id].country == country
    assert any(f.lab == lab_id for f in kb.families.values()), f"{lab_id} has no model family"
    for name in models:
        match = kb_resolver.resolve(name)
        assert match.model_id, f"{name} not in the knowledge base"
        family, version = kb.versions[match.model_id]
        assert family.lab == lab_id
        assert version.release_date is not None, f"{name} has no release date"


def test_known_facts() -> None:
    kb = load_kb()
    _, r1 = kb.versions["deepseek-r1"]
    assert r1.license == "MIT" and r1.open_weights and r1.release_date.isoformat() == "2025-01-20"
    minimax = [
        v
        for f in kb.families.values()
        if f.lab == "minimax"
        for v in f.versions
        if v.name.casefold().startswith("minimax-text-01")
    ]
    assert minimax and minimax[0].context_window and minimax[0].context_window >= 4_000_000


def _copy_kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(KB_ROOT, root)
    return root


def test_unknown_field_names_file_and_field(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    path = root / "labs" / "deepseek.yaml"
    path.write_text(path.read_text() + "founded: 2023\n")
    with pytest.raises(DataError) as err:
        load_kb(root)
    assert "deepseek.yaml" in str(err.value) and "founded" in str(err.value)
    assert "remove it" in str(err.value)


def test_bad_value_names_field(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    path = root / "models" / "deepseek-r1.yaml"
    path.write_text(path.read_text().replace("context_window: 128000", "context_window: lots", 1))
    with pytest.raises(DataError) as err:
        load_kb(root)
    assert "deepseek-r1.yaml" in str(err.value) and "context_window" in str(err.value)


def test_duplicate_version_rejected(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    src = root / "models" / "deepseek-r1.yaml"
    (root / "models" / "deepseek-r1-copy.yaml").write_text(src.read_text())
    with pytest.raises(DataError, match="also defined"):
        load_kb(root)


def test_duplicate_key_rejected_with_line(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    path = root / "labs" / "deepseek.yaml"
    path.write_text(path.read_text() + "country: US\n")
    with pytest.raises(DataError, match=r"deepseek.yaml:\d+.*duplicate key 'country'"):
        load_kb(root)


def test_unknown_lab_rejected(tmp_path: Path) -> None:
    root = _copy_kb(tmp_path)
    path = root / "models" / "deepseek-r1.yaml"
    path.write_text(path.read_text().replace("lab: deepseek", "lab: deepseak"))
    with pytest.raises(DataError, match="unknown lab 'deepseak'"):
        load_kb(root)
