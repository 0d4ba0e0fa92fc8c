"""Knowledge cutoff: read where sources give it (models.dev `knowledge`, OpenRouter
`knowledge_cutoff`, LMArena tables' `Knowledge cutoff date`), kept as a fact with its source,
shown on model pages and usable in claims."""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import httpx

from conftest import load_source
from wholeads.claims.checker import check_text
from wholeads.ingest.sources._read import partial_date_text
from wholeads.store.files import open_readonly

SONNET_FILE = Path("models-dev", "models", "anthropic", "claude-3-7-sonnet-20250219.toml")


def test_partial_dates_keep_their_precision() -> None:
    assert partial_date_text("2024-12") == "2024-12"
    assert partial_date_text("2023/11") == "2023-11"  # LMArena's tables
    assert partial_date_text("2025-03-31") == "2025-03-31"
    assert partial_date_text("2024") == "2024"
    for missing in ("-", "", None, "N/A"):
        assert partial_date_text(missing) is None


def test_sources_carry_the_field(shared_data: Path) -> None:
    """openrouter-models/models.json: '~openai/gpt-mini-latest' has knowledge_cutoff
    '2025-08-31'; lmarena-hf-space-tables/leaderboard_table_20250511.csv: the row
    'openassistant-llama-30b' gives 'Knowledge cutoff date' 2023/4, and 'deepseek-v3' gives '-'."""
    router = {m.name: m for m in load_source(shared_data, "openrouter-models").models}
    assert router["~openai/gpt-mini-latest"].knowledge_cutoff == "2025-08-31"
    arena = {m.name: m for m in load_source(shared_data, "lmarena-hf-space-tables").models}
    assert arena["openassistant-llama-30b"].knowledge_cutoff == "2023-04"
    assert arena["deepseek-v3"].knowledge_cutoff is None


def test_cutoff_is_a_fact_on_the_model_page_and_in_claims(real_db: Path, shared_data: Path) -> None:
    """models-dev/models/anthropic/claude-3-7-sonnet-20250219.toml: knowledge = "2024-10-31"
    (a lab-level models.dev file, first in precedence after the knowledge base)."""
    expected = tomllib.loads((shared_data / SONNET_FILE).read_text())["knowledge"]
    assert expected == "2024-10-31"
    from wholeads.web.app import create_app

    app = create_app(real_db)

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    data = asyncio.run(get("/api/model/claude-3-7-sonnet-20250219")).json()
    assert data["knowledge_cutoff"] == {"value": expected, "source": "models-dev"}
    page = asyncio.run(get("/model/claude-3-7-sonnet-20250219")).text
    assert "Knowledge cutoff" in page and expected in page
    claims = (
        "claims:\n  - {id: k, text: t, as_of: 2025-06-01, kind: fact, entity: "
        "claude-3-7-sonnet-20250219, field: knowledge_cutoff, expect: '%s'}\n"
    )
    with open_readonly(real_db) as con:
        (right,) = check_text(con, claims % expected, name="k.yaml")
        (wrong,) = check_text(con, claims % "2023-01", name="k.yaml")
    assert right["verdict"] == "supported", right
    assert wrong["verdict"] != "supported", wrong
