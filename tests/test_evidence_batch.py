"""The batched numpy answers equal the per-entry SQL answers, for every evidence entry of every
domain, at several dates and with a source filter (the batch is an optimization, not a second
definition)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest

from wholeads.domains import load_domains
from wholeads.evidence import Reader, _ask, _gate
from wholeads.store import open_readonly


@pytest.mark.parametrize(
    ("as_of", "source"),
    [
        (dt.date(2023, 9, 1), None),
        (dt.date(2025, 3, 1), None),
        (dt.date(2026, 8, 22), None),
        (dt.date(2025, 12, 31), "lmarena-category-ratings"),
    ],
)
def test_batch_equals_sql(real_db: Path, as_of: dt.date, source: str | None) -> None:
    with contextlib.closing(open_readonly(real_db)) as con:
        asks = []
        for domain in load_domains().values():
            for spec in domain.evidence:
                if spec.kind == "score":
                    snap = spec.combine == "snapshot"
                    asks.append(_ask(spec, as_of, source, None, snap, newest=not snap))
                elif spec.kind == "price":
                    asks.append(_ask(_gate(spec), as_of, None, None, snapshot=True))
        batched = Reader(con)
        batched.prefetch(asks)
        compared = nonempty = 0
        for sql, args, _ in asks:
            fast = batched.rows(sql, args)
            slow = con.execute(sql, args).fetchall()
            assert sorted(fast, key=repr) == sorted(slow, key=repr), args[0]
            compared += 1
            nonempty += bool(slow)
    assert compared >= 30 and nonempty >= 5
