"""The report's speed-ups keep its answers: the US-CN gaps shared by its sections and figures
equal fresh ones, a second report of the same database build takes every chart from the cache
and writes the same file, another build (or another database) never reads that cache, and the
report counts its sections for a progress bar (nothing printed when piped)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from wholeads.charts import render
from wholeads.charts.render import SvgCache, cache_file, spec_key
from wholeads.cli.report import CHART_CACHE
from wholeads.kb.domains import load_domains
from wholeads.query.benchmark_domains import year_end_gaps
from wholeads.query.evidence import Reader
from wholeads.query.figures import GapAnswers, forecast_report, lag_report
from wholeads.report import WRITE_STEPS, chart_cache, make_report
from wholeads.report.build import build_steps, chart_count
from wholeads.report.figures import report_benchmarks
from wholeads.store.files import cache_dir, open_readonly

AS_OF = dt.date(2026, 8, 22)
SINCE = dt.date(2026, 5, 22)
SPEC = {"data": {"values": [{"a": 1}]}, "mark": "point"}


def _fake_svg(spec: dict[str, Any]) -> str:
    """A stand-in renderer: an SVG naming the spec's hash (no vl-convert start-up)."""
    return f'<svg xmlns="http://www.w3.org/2000/svg"><desc>{spec_key(spec)}</desc></svg>'


def test_shared_gap_answers_equal_fresh_ones(real_db: Path) -> None:
    """The lag, the forecast and the year-end benchmark gaps over the report's reader and its
    shared gap answers (after the other questions) equal each asked on its own."""
    domains = ["general", "math"]
    with open_readonly(real_db) as con:
        benchmarks = report_benchmarks(con)[:4]
        reader = Reader(con)
        gaps = GapAnswers(con, reader)
        for domain in domains:
            gaps.get(domain, "US", "CN", "ecosystem", AS_OF)
        shared = (
            lag_report(con, domains, until=AS_OF, reader=reader, gaps=gaps),
            forecast_report(con, domains, until=AS_OF, reader=reader, gaps=gaps),
            year_end_gaps(con, benchmarks, until=AS_OF, reader=reader),
        )
        fresh = (
            lag_report(con, domains, until=AS_OF),
            forecast_report(con, domains, until=AS_OF),
            year_end_gaps(con, benchmarks, until=AS_OF),
        )
    assert shared == fresh
    assert any(r["mean_months"] is not None for r in fresh[0]["rows"])  # not an empty answer


def test_spec_key_is_the_spec_not_its_key_order() -> None:
    same = {"mark": "point", "data": {"values": [{"a": 1}]}}
    assert spec_key(SPEC) == spec_key(same)
    assert spec_key(SPEC) != spec_key({**SPEC, "mark": "circle"})


def test_cache_is_kept_per_build(tmp_path: Path) -> None:
    """A file written for one build is read back by that build only; saving removes the files
    of the database's earlier builds."""
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"first build")
    folder = tmp_path / "cache"
    first = SvgCache(cache_file(folder, db), "build-1")
    first.put("k", "<svg/>")
    first.save()
    assert SvgCache(cache_file(folder, db), "build-1").get("k") == "<svg/>"
    assert SvgCache(cache_file(folder, db), "build-2").get("k") is None  # other build facts
    other = tmp_path / "other.duckdb"
    other.write_bytes(b"first build")
    assert SvgCache(cache_file(folder, other), "build-1").get("k") is None  # other database
    new = tmp_path / "new.duckdb"
    new.write_bytes(b"second build, a new file")
    os.replace(new, db)  # how a build replaces the database
    assert cache_file(folder, db) != first.path
    second = SvgCache(cache_file(folder, db), "build-1")
    assert second.get("k") is None
    second.put("k", "<svg>2</svg>")
    second.save()
    assert [p.name for p in folder.iterdir()] == [second.path.name]


def test_unreadable_cache_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json", encoding="utf-8")
    assert SvgCache(path, "b").svgs == {}


def test_second_report_of_a_build_renders_nothing(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """The first report renders every chart and counts its sections and charts up to the
    total; then `wholeads report` on the same build takes every chart from the user's cache
    folder (it renders none), writes the same file, and prints no progress when piped."""
    rendered: list[str] = []

    def counting(spec: dict[str, Any]) -> str:
        rendered.append(spec_key(spec))
        return _fake_svg(spec)

    monkeypatch.setattr(render, "render_one", counting)
    seen: list[tuple[int, int]] = []
    with open_readonly(real_db) as con, render.Renderer(expected=1) as renderer:  # in-process
        cache = chart_cache(con, cache_dir() / CHART_CACHE, real_db)
        _, path = make_report(con, tmp_path / "a", "html", AS_OF, SINCE, renderer=renderer,
                              cache=cache, progress=lambda *step: seen.append(step))  # fmt: skip
    first = path.read_text(encoding="utf-8")
    assert len(rendered) == first.count("<svg") > len(load_domains())
    domains = len(load_domains())
    total = build_steps(domains, False) + chart_count(domains) + WRITE_STEPS
    assert seen == [(done, total) for done in range(1, total + 1)]

    monkeypatch.setattr(render, "_pool_size", lambda count: 1)  # a worker would not see this:
    monkeypatch.setattr(render, "render_one", lambda spec: pytest.fail("rendered again"))
    code = run_cli(monkeypatch, "report", "--db", str(real_db), "--as-of", AS_OF.isoformat(),
                   "--since", SINCE.isoformat(), "--out", str(tmp_path / "b"))  # fmt: skip
    out = capsys.readouterr()
    assert code == 0 and out.err == "" and "wrote" in out.out
    assert (tmp_path / "b" / "report.html").read_text(encoding="utf-8") == first
