"""The web app's memory is bounded under any mix of requests: every cache is an LRU of bounded
size (whole answers by bytes, leaders and pages by count), a hit refreshes an entry, a failed
computation leaves nothing behind; and a replayed answer is byte for byte the computed one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi import FastAPI

from conftest import asgi_request as request
from wholeads.web import create_app, state
from wholeads.web.response_cache import ENTRY_OVERHEAD, Answer, AnswerCache
from wholeads.web.state import BoundedCache

CLAIMS = """claims:
  - id: r1-mit-license
    text: DeepSeek R1 is released under an MIT license
    as_of: 2025-03-01
    kind: fact
    entity: DeepSeek R1
    field: license
    expect: MIT
"""


@pytest.fixture(scope="module")
def app(real_db: Path) -> FastAPI:
    return create_app(real_db)


def test_bounded_cache_is_lru() -> None:
    cache = BoundedCache(2)
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)
    assert cache.get("a", lambda: -1) == 1  # a hit: "a" is now the most recent
    cache.get("c", lambda: 3)
    assert cache.keys() == ["a", "c"]  # "b", the least recently used, went
    assert cache.peek("a") == 1 and cache.keys() == ["c", "a"]  # peek is a use too


def test_a_failed_computation_leaves_nothing_behind() -> None:
    cache = BoundedCache(2)

    def fail() -> int:
        raise ValueError("no")

    for key in range(100):
        with pytest.raises(ValueError):
            cache.get(key, fail)
    assert len(cache) == 0 and not cache._computing
    assert cache.get(1, lambda: 5) == 5


def test_answer_cache_is_bounded_by_bytes_lru() -> None:
    cache = AnswerCache(max_bytes=3 * (1000 + ENTRY_OVERHEAD), max_entry=5000)
    for i in range(3):
        cache.put(("GET", f"/{i}", b"", b""), Answer(200, [], b"x" * 1000))
    assert cache.get(("GET", "/0", b"", b"")) is not None  # /0 is now the most recent
    cache.put(("GET", "/3", b"", b""), Answer(200, [], b"y" * 1000))
    assert len(cache) == 3 and cache.bytes == 3 * (1000 + ENTRY_OVERHEAD)
    assert cache.get(("GET", "/1", b"", b"")) is None  # evicted: least recently used
    assert cache.get(("GET", "/0", b"", b"")) is not None
    cache.put(("GET", "/big", b"", b""), Answer(200, [], b"z" * 6000))  # over max_entry
    assert cache.get(("GET", "/big", b"", b"")) is None and len(cache) == 3
    for i in range(1000):  # any number of distinct requests: never past the budget
        cache.put(("GET", "/q", str(i).encode(), b""), Answer(200, [], b"w" * (i % 1500)))
        assert cache.bytes <= cache.max_bytes
    assert cache.bytes == sum(a.cost for a in cache._data.values())


def test_a_replayed_answer_is_the_computed_one(app: FastAPI) -> None:
    answers = app.state.wholeads.answers
    path = "/api/model/deepseek-r1?for=replay"
    first = request(app, "GET", path)
    hits = answers.hits
    second = request(app, "GET", path)
    assert answers.hits == hits + 1
    assert second.status_code == first.status_code == 200
    assert second.content == first.content and second.json()["model"]["id"] == "deepseek-r1"
    assert second.headers == first.headers  # the security headers included
    page = request(app, "GET", "/model/deepseek-r1?for=replay")
    assert request(app, "GET", "/model/deepseek-r1?for=replay").content == page.content


def test_errors_are_never_kept(app: FastAPI) -> None:
    answers = app.state.wholeads.answers
    before = len(answers)
    for _ in range(2):
        assert request(app, "GET", "/api/model/no-such-model").status_code == 404
        assert request(app, "GET", "/api/leaders?as_of=2025-13-01").status_code == 422
    assert len(answers) == before


def test_claims_answers_are_kept_per_body(app: FastAPI) -> None:
    answers = app.state.wholeads.answers
    plain = {"content-type": "text/plain"}
    first = request(app, "POST", "/api/claims", content=CLAIMS, headers=plain)
    hits = answers.hits
    again = request(app, "POST", "/api/claims", content=CLAIMS, headers=plain)
    assert answers.hits == hits + 1 and again.content == first.content
    other = CLAIMS.replace("expect: MIT", "expect: Apache-2.0")
    refuted = request(app, "POST", "/api/claims", content=other, headers=plain)
    assert answers.hits == hits + 1  # another body is another answer
    assert [c["verdict"] for c in refuted.json()] == ["contradicted"]
    assert first.json()[0]["verdict"] == "supported"
    form = request(app, "POST", "/claims", data={"yaml": CLAIMS})
    assert form.status_code == 200 and "supported" in form.text


def test_memory_is_bounded_under_many_dates(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small bounds, more distinct dates than they hold: every cache stays within its bound and
    keeps the most recent dates; an evicted date is computed again, to the same answer."""
    monkeypatch.setattr(state, "LEADERS_CACHE", 2)
    monkeypatch.setattr(state, "CACHE_SIZE", 3)
    small = create_app(real_db)
    st = small.state.wholeads
    st.answers.max_bytes = 200_000
    dates = [dt.date(2025, 1, 1) + dt.timedelta(days=30 * i) for i in range(4)]
    bodies = {}
    for date in dates:
        r = request(small, "GET", f"/api/leaders?as_of={date}")
        assert r.status_code == 200
        bodies[date] = r.content
        assert request(small, "GET", f"/?as_of={date}").status_code == 200
        assert len(st.leaders_cache) <= 2 and len(st.page_cache) <= 3
        assert st.answers.bytes <= 200_000
    assert [k[0] for k in st.leaders_cache.keys()] == dates[-2:]  # noqa: SIM118 (a list, LRU first)
    st.answers._data.clear()
    st.answers.bytes = 0
    again = request(small, "GET", f"/api/leaders?as_of={dates[0]}")  # evicted everywhere
    assert again.content == bodies[dates[0]]


def test_conditional_and_range_requests_reach_the_app(app: FastAPI) -> None:
    """A kept answer is never replayed to a conditional or range request: StaticFiles answers
    304 for a matching ETag and 206 for a range, as it would without the cache."""
    full = request(app, "GET", "/static/style.css")
    assert request(app, "GET", "/static/style.css").content == full.content  # kept and replayed
    etag = full.headers["etag"]
    assert (
        request(app, "GET", "/static/style.css", headers={"if-none-match": etag}).status_code == 304
    )
    part = request(app, "GET", "/static/style.css", headers={"range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == full.content[:10]
