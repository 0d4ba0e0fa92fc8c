"""Claims files priced before they run: each kind's price on hand-made sizes, a history priced
once per window, the web refusing a costly file with 413 naming the limit before any evidence
is read, a check stopped when it overruns its CPU time, and the resolver and evidence rows read
once per check (the resolver once per server)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from conftest import asgi_request
from wholeads.analysis import claims_cost as cc
from wholeads.analysis.claims_cost import BenchmarkSize, Budget, Sizes, estimate
from wholeads.claims import checker
from wholeads.claims.budget import WEB_BUDGET
from wholeads.claims.checker import check_text
from wholeads.claims.format import parse_claims
from wholeads.errors import BudgetError
from wholeads.kb.domains import load_domains
from wholeads.query import evidence
from wholeads.query.claim_sizes import read_sizes
from wholeads.store.files import open_readonly
from wholeads.web import create_app, state

DOMAINS = load_domains()
D = dt.date


def _claims(*bodies: str) -> str:
    head = "  - id: c{i}\n    text: a claim\n    as_of: 2025-06-01\n"
    return "claims:\n" + "".join(head.format(i=i) + b for i, b in enumerate(bodies))


FACT = "    kind: fact\n    entity: DeepSeek R1\n    field: license\n    expect: MIT\n"
LEADER = "    kind: leader\n    domain: general\n    expect: US\n"
GROUPS = (
    "    kind: compare\n    field: {field}\n    left: {{ecosystem: CN}}\n"
    "    right: {{ecosystem: US}}\n    op: '>'\n"
)
MODEL_VS_GROUP = (
    "    kind: compare\n    field: context_window\n    left: {model: MiniMax-Text-01}\n"
    "    right: {ecosystem: US}\n    op: '>'\n"
)
TREND = (
    "    kind: trend\n    domain: general\n    a: US\n    b: CN\n    from: {since}\n"
    "    to: 2025-06-01\n    expect: narrowing\n"
)
ARENA = BenchmarkSize(
    rows=4_000, models=300, days=(D(2024, 1, 1), D(2025, 1, 1)),
    boards=(D(2024, 1, 1), D(2024, 7, 1), D(2025, 1, 1), D(2025, 7, 1)),
)  # fmt: skip
SIZES = Sizes(models=1_000, benchmarks={"lmarena-text-full": ARENA})
"""General capability reads lmarena-text-full (an arena, sized here), then epoch-eci and
livebench-global (absent here: only their entry's fixed cost). The prices below are worked out
by hand from the table in ``analysis.claims_cost`` (CLAIM 3, ENTRY 1, SCAN 0.00015, POINT
0.006, MEMBERS 0.005, PRICES 3, BOARD 0.15, DAY 0.15, READ_ROW 0.006 units)."""


def _price(text: str, sizes: Sizes = SIZES) -> cc.Estimate:
    return estimate(parse_claims(text), DOMAINS, sizes)


def test_each_kind_priced_from_what_it_reads() -> None:
    prices = dict(_price(_claims(FACT, LEADER, GROUPS.format(field="context_window"),
                                 GROUPS.format(field="price"), MODEL_VS_GROUP)).claims)  # fmt: skip
    assert prices["c0"] == pytest.approx(3.0)
    # the arena: 1 + 0.6 for 4,000 rows scanned + 1.8 for 300 points; two absent entries
    assert prices["c1"] == pytest.approx(3.0 + 3.4 + 1.0 + 1.0)
    assert prices["c2"] == pytest.approx(3.0 + 2 * 5.0)  # two groups filtered from 1,000 models
    assert prices["c3"] == pytest.approx(3.0 + 2 * (5.0 + 3.0))  # and each group's prices
    assert prices["c4"] == pytest.approx(3.0 + 5.0)  # one model, one group


def test_first_reads_counted_once_per_file() -> None:
    one, two = _price(_claims(LEADER)), _price(_claims(LEADER, LEADER))
    assert one.reads == two.reads == pytest.approx(24.0)  # 4,000 rows read once
    assert two.total - one.total == pytest.approx(dict(one.claims)["c0"])


def test_a_history_is_priced_once_per_window_and_its_points_once() -> None:
    """Boards on 2024-07-01 and 2025-01-01 fall in the window from 2024-06-01 (2 of the 4),
    three boards in the window from 2024-01-01 (up to the claims' date, 2025-06-01)."""
    absent = 1.0 + 1.0  # an entry each: epoch-eci (no day) and livebench-global (no board)
    prices = dict(_price(_claims(TREND.format(since="2024-06-01"),
                                 TREND.format(since="2024-06-01"),
                                 TREND.format(since="2024-01-01"))).claims)  # fmt: skip
    assert prices["c0"] == pytest.approx(3.0 + (1.0 + 0.3) + 24.0 + absent)  # + 4,000 points
    assert prices["c1"] == pytest.approx(3.0)  # the same window: computed once
    assert prices["c2"] == pytest.approx(3.0 + (1.0 + 0.45) + absent)  # points already built


def test_budget_names_the_limit_and_the_costliest_claims() -> None:
    price = _price(_claims(FACT, TREND.format(since="2024-06-01")))
    Budget(max_cost=price.total, max_cpu_s=1.0).check(price)  # at the limit: accepted
    with pytest.raises(BudgetError) as err:
        Budget(max_cost=price.total - 1, max_cpu_s=1.0).check(price)
    message = str(err.value)
    assert f"the limit is {price.total - 1:,.0f}" in message
    assert message.index("c1 (") < message.index("c0 (")  # the trend first: it costs more


def test_cpu_overrun_stops_the_check(real_db: Path) -> None:
    text = _claims(FACT, FACT, FACT)
    with open_readonly(real_db) as con, pytest.raises(BudgetError) as err:
        check_text(con, text, budget=Budget(max_cost=1e9, max_cpu_s=0.0))
    assert "stopped after 1 of 3 claims" in str(err.value)
    assert "the limit is 0 s per request" in str(err.value)


def test_example_fits_the_web_budget(real_db: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "claims" / "us-china-2026.yaml"
    with open_readonly(real_db) as con:
        price = estimate(parse_claims(example.read_text()), DOMAINS,
                         read_sizes(con, DOMAINS.values()))  # fmt: skip
    assert price.total < WEB_BUDGET.max_cost / 2


def _costly_file() -> str:
    """Forty trend windows (one a month from 2022-01) on each of general capability and price:
    eighty histories over the deepest arena, its prices month by month (~8,000 units)."""
    starts = [f"{2022 + m // 12}-{m % 12 + 1:02d}-01" for m in range(40)]
    trends = [TREND.format(since=s).replace("general", d) for d in ("general", "price")
              for s in starts]  # fmt: skip
    return _claims(*trends)


def _post(app: FastAPI, path: str, **kwargs: Any) -> httpx.Response:
    return asgi_request(app, "POST", path, **kwargs)


@pytest.fixture(scope="module")
def app(real_db: Path) -> FastAPI:
    return create_app(real_db)


def test_web_refuses_a_costly_file_before_reading_evidence(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    histories: list[str] = []
    real = evidence._history
    monkeypatch.setattr(evidence, "_history", lambda *a: histories.append("x") or real(*a))
    text = _costly_file()
    assert len(text.encode()) < 64 * 1024  # under the body limit: refused for its cost alone
    api = _post(app, "/api/claims", content=text, headers={"content-type": "text/plain"})
    assert api.status_code == 413
    detail = api.json()["detail"]
    assert "too costly" in detail and f"the limit is {WEB_BUDGET.max_cost:,.0f}" in detail
    form = _post(app, "/claims", data={"yaml": text})
    assert form.status_code == 413 and "too costly" in form.text
    assert histories == []  # refused before any claim was judged


def test_resolver_built_once_per_server_and_rows_read_in_one_query(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    real_resolver = checker.load_resolver

    def resolver(con: Any) -> Any:
        built.append(1)
        return real_resolver(con)

    monkeypatch.setattr(checker, "load_resolver", resolver)
    monkeypatch.setattr(state, "load_resolver", resolver)
    queries: list[list[str]] = []
    real_frames = evidence.Reader.frames

    def frames(self: evidence.Reader, benchmarks: Any) -> Any:
        todo = sorted({b for b in benchmarks if b not in self._frames})
        if todo:
            queries.append(todo)
        return real_frames(self, benchmarks)

    monkeypatch.setattr(evidence.Reader, "frames", frames)
    text = _claims(LEADER, TREND.format(since="2024-06-01"),
                   "    kind: leader\n    domain: coding\n    expect: US\n")  # fmt: skip
    with open_readonly(real_db) as con:
        check_text(con, text)
    assert len(built) == 1 and len(queries) == 1
    assert {"lmarena-text-full", "aider-polyglot"} <= set(queries[0])
    web = create_app(real_db)
    for _ in range(2):
        assert _post(web, "/api/claims", content=text).status_code == 200
    assert len(built) == 1 + 1  # the server's own, once for both requests
