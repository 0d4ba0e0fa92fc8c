"""The shared readers on input their parsers choke on: deep nesting, overflowing numbers,
infinity, non-scalar keys. Each gives an error (or a problem) naming the file, never a traceback."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from wholeads.errors import DataError
from wholeads.ingest.sources import get_source
from wholeads.ingest.sources._catalog import as_int
from wholeads.ingest.sources._read import OVERFLOW, json_doc, num, whole, yaml_doc
from wholeads.ingest.sources.base import RawFiles

DEEP = "[" * 100_000 + "]" * 100_000


def _raw(source: str, files: dict[str, str]) -> RawFiles:
    return RawFiles(
        source=source,
        files={k: v.encode() for k, v in files.items()},
        retrieved_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        origin="test",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"data": ' + DEEP + "}", "nested too deeply"),
        ('{"n": ' + "9" * 5000 + "}", "ValueError"),
    ],
    ids=["deep nesting", "5,000-digit integer"],
)
def test_json_beyond_the_parser_limits_names_the_file(body: str, message: str) -> None:
    raw = _raw("openrouter-models", {"models.json": body})
    with pytest.raises(DataError, match=message) as err:
        json_doc(raw, "models.json")
    assert str(err.value).startswith("openrouter-models/models.json: unreadable JSON")


@pytest.mark.parametrize(
    ("body", "message"),
    [("key: " + DEEP, "nesting depth"), ("- {[1]: 2}", "unhashable key")],
    ids=["deep nesting", "list as a mapping key"],
)
def test_yaml_beyond_the_parser_limits_names_the_file(body: str, message: str) -> None:
    raw = _raw("aider-leaderboards", {"x.yml": body})
    with pytest.raises(DataError, match=message) as err:
        yaml_doc(raw, "x.yml")
    assert str(err.value).startswith("aider-leaderboards/x.yml")


def test_deeply_nested_toml_is_one_problem_and_the_other_files_still_load() -> None:
    good = 'name = "M"\nrelease_date = 2025-01-01\n[limit]\ncontext = 128000\n'
    raw = _raw(
        "models-dev",
        {"models/acme/good.toml": good, "models/acme/deep.toml": f"name = {DEEP}\n"},
    )
    batch = get_source("models-dev").load(raw)
    assert [m.name for m in batch.models] == ["good"]
    assert batch.problems == [
        "models-dev/models/acme/deep.toml:1: unreadable TOML: nested too deeply"
    ]


def test_numbers_keep_infinity_for_the_gates_and_treat_nan_as_missing() -> None:
    assert num("inf") == math.inf and num("-Infinity") == -math.inf
    assert num(float("inf")) == math.inf and num(10**400) == math.inf
    assert num(float("nan")) is None and num("nan") is None
    assert num("71.3%") == pytest.approx(71.3)


def test_counts_never_overflow() -> None:
    # int(float('inf')) raises OverflowError: an 'inf' token count once crashed the update.
    assert whole(float("inf")) == OVERFLOW and whole("1e999") == OVERFLOW
    assert whole(10**30) == OVERFLOW
    assert whole("12,345") == 12345 and whole(None) is None
    assert as_int(math.inf) == OVERFLOW and as_int(0) is None and as_int(-5) == -5
