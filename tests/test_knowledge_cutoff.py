"""Knowledge cutoff: read where sources give it (models.dev `knowledge`, OpenRouter
`knowledge_cutoff`, LMArena tables' `Knowledge cutoff date`), kept as a fact with its source,
shown on model pages and usable in claims."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from conftest import asgi_request, load_source
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

    data = asgi_request(app, "GET", "/api/model/claude-3-7-sonnet-20250219").json()
    assert data["knowledge_cutoff"] == {"value": expected, "source": "models-dev"}
    page = asgi_request(app, "GET", "/model/claude-3-7-sonnet-20250219").text
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


# --- ordered comparisons at the stated precision ---------------------------------------------

MODELS_DEV = Path("models-dev", "models")
CUTOFF_FILES = {
    "claude-3-7-sonnet-20250219": ("anthropic", "claude-3-7-sonnet-20250219.toml"),
    "claude-3-5-haiku-20241022": ("anthropic", "claude-3-5-haiku-20241022.toml"),
    "deepseek-r1": ("deepseek", "deepseek-r1.toml"),
}


def raw_cutoff(shared: Path, model: str) -> str:
    lab, name = CUTOFF_FILES[model]
    value = tomllib.loads((shared / MODELS_DEV / lab / name).read_text())["knowledge"]
    return str(value)


def _compare(con: Any, left: str, op: str, right: str) -> dict[str, Any]:
    text = (
        "claims:\n  - {id: c, text: t, as_of: 2025-06-01, kind: compare, field: knowledge_cutoff,"
        f" left: {left}, op: '{op}', right: {right}}}\n"
    )
    (verdict,) = check_text(con, text, name="c.yaml")
    return verdict


def test_cutoffs_compare_at_their_common_precision(real_db: Path, shared_data: Path) -> None:
    """models-dev: claude-3-7-sonnet knowledge '2024-10-31' (a day), claude-3-5-haiku
    '2024-07-31' (a day), deepseek-r1 '2024-07' (a month)."""
    sonnet, haiku, r1 = (raw_cutoff(shared_data, m) for m in CUTOFF_FILES)
    assert (sonnet, haiku, r1) == ("2024-10-31", "2024-07-31", "2024-07")
    m = {"s": "{model: claude-3-7-sonnet-20250219}", "h": "{model: claude-3-5-haiku-20241022}",
         "r": "{model: deepseek-r1}"}  # fmt: skip
    with open_readonly(real_db) as con:
        later = _compare(con, m["s"], ">", m["r"])  # October 31 is after every day of July
        earlier = _compare(con, m["r"], ">", m["s"])
        same_month = _compare(con, m["h"], ">", m["r"])  # July 31 vs some day of July
        not_before = _compare(con, m["h"], ">=", m["r"])  # July 31 is on or after all of July
        literal = _compare(con, m["r"], "<", "'2024-08'")
        year = _compare(con, m["r"], "~", "'2024'")
    assert later["verdict"] == "supported", later
    assert earlier["verdict"] == "contradicted", earlier
    assert same_month["verdict"] == "undecided", same_month
    assert "cannot be decided" in same_month["explanation"]
    assert same_month["evidence"]["difference_days"] == [0, 30]
    assert not_before["verdict"] == "supported", not_before
    assert literal["verdict"] == "supported", literal
    assert year["verdict"] == "undecided", year  # July is within 2024, but '~' asks same day


def test_partial_date_spans_and_decisions() -> None:
    from wholeads.analysis.verdicts import decide_partial, partial_span

    assert partial_span("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month")
    assert partial_span("2024-12")[1] == dt.date(2024, 12, 31)
    assert partial_span("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "year")
    assert decide_partial(">", 1, 30, None) is True
    assert decide_partial(">", -5, 30, None) is None
    assert decide_partial("<=", 0, 0, None) is True
    assert decide_partial("~", -3, 3, 3) is True and decide_partial("~", 4, 9, 3) is False


BAD_SIDES = (
    ("{ecosystem: US}", "{model: deepseek-r1}"),  # a group: which cutoff would it be?
    ("{model: deepseek-r1}", "5"),  # a number
    ("{model: deepseek-r1}", "'July'"),  # text that is no date
)


def test_bad_cutoff_comparisons_name_the_side(real_db: Path) -> None:
    import pytest

    from wholeads.errors import DataError

    with open_readonly(real_db) as con:
        for left, right in BAD_SIDES:
            with pytest.raises(DataError) as err:
                _compare(con, left, ">", right)
            assert "left" in str(err.value) or "right" in str(err.value)
