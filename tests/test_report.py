"""The shareable report on the real database: every section, a valid SVG per chart, every number
linked to a source and a date, nothing fetched from the network, Markdown with chart files, the
changes between two dates checked by hand, and one-line errors from the command."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from wholeads.kb.domains import DomainSpec, EvidenceSpec, load_domains
from wholeads.query import evidence
from wholeads.query.answers import frontier_report, gap_report
from wholeads.query.evidence import Reader
from wholeads.report.build import Report, build_report
from wholeads.report.render import chart_slots, render_svgs, write_report
from wholeads.store.files import open_readonly

AS_OF = dt.date(2026, 8, 22)
SINCE = dt.date(2026, 5, 22)
SVG_NS = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[1]
CLAIMS = REPO / "examples" / "claims" / "us-china-2026.yaml"


@dataclass
class Built:
    report: Report
    html: str
    md: str
    md_dir: Path


@pytest.fixture(scope="session")
def built(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The report as of AS_OF since SINCE, built once and written as HTML and as Markdown."""
    out = tmp_path_factory.mktemp("report")
    with open_readonly(real_db) as con:
        claims = CLAIMS if CLAIMS.is_file() else None
        report = build_report(con, AS_OF, SINCE, claims)
    svgs = render_svgs(report)
    html = write_report(report, out / "html", "html", svgs).read_text(encoding="utf-8")
    md = write_report(report, out / "md", "md", svgs).read_text(encoding="utf-8")
    return Built(report, html, md, out / "md")


def _cells(html: str) -> list[str]:
    return re.findall(r'<td class="num">(.*?)</td>', html, flags=re.S)


def test_title_and_every_section(built: Built) -> None:
    html = built.html
    assert "<title>Who leads and where, as of 2026-08-22</title>" in html
    for section in ("leaders", "changes", "sources"):
        assert f'<section id="{section}">' in html
    for domain in load_domains():
        assert f'<section class="domain" id="{domain}">' in html
    rows = re.search(r'<table class="leaders">.*?<tbody>(.*?)</tbody>', html, flags=re.S)
    assert rows is not None
    assert rows.group(1).count("<tr>") == len(load_domains())


def test_leaders_table_known_answer(built: Built) -> None:
    """General capability as of 2026-08-22: US leads with claude-fable-5 at 1,508 (LMArena 2026
    scrape of that day) against kimi-k3-max at 1,489, checked with `wholeads leaders`."""
    row = next(r for r in built.report.leaders if r.domain == "general")
    assert row.leader == "US"
    us, cn = row.cells["US"], row.cells["CN"]
    assert us is not None and cn is not None
    assert (us.model_id, us.score.text, us.score.date) == ("claude-fable-5", "1,508", AS_OF)
    assert (cn.model_id, cn.score.text) == ("kimi-k3-max", "1,489")
    assert [c.url for c in us.score.cites] == ["https://github.com/hasehon/chatbot-arena-ja"]
    assert row.gap is not None and row.gap.text == "19"


def test_a_valid_svg_per_chart(built: Built) -> None:
    svgs = re.findall(r"<svg\b.*?</svg>", built.html, flags=re.S)
    figures = 9  # gap %, spread, lag, home field, compute, benchmark gaps, availability, forecast,
    # notable models
    assert len(svgs) == len(chart_slots(built.report)) == 1 + 4 * len(load_domains()) + figures
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG_NS}svg"
        assert float(root.attrib["width"]) > 0 and float(root.attrib["height"]) > 0
        classes = " ".join(e.attrib.get("class", "") for e in root.iter())
        assert "role-mark" in classes or "mark-" in classes


def test_charts_draw_the_data(built: Built) -> None:
    """The general frontier shows its leaders' names; an empty Pareto plane says why."""
    svgs = dict(zip(chart_slots(built.report), re.findall(r"<svg\b.*?</svg>", built.html, re.S),
                    strict=True))  # fmt: skip
    assert "claude-fable-5" in svgs["general-frontier"]
    assert "kimi-k3-max" in svgs["general-frontier"]
    assert "no priced model" in svgs["training_compute-pareto"]


def test_every_number_links_a_source_and_a_date(built: Built) -> None:
    cells = _cells(built.html)
    assert len(cells) > 100
    for cell in cells:
        assert re.search(r'<a href="https?://[^"]+"', cell), cell
        assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', cell), cell


def test_model_attribute_cites_the_fact(built: Built) -> None:
    """Context windows have no benchmark source: the cell links the chosen fact's reference."""
    section = next(d for d in built.report.domains if d.id == "long_context")
    row = next(e for e in section.evidence if e.label == "context_window")
    cn = row.cells["CN"]
    assert cn is not None and cn.model_id == "minimax-text-01"
    assert cn.score.cites[0].url == (
        "https://github.com/MiniMax-AI/MiniMax-01/blob/main/MiniMax-Text-01-Model-Card.md"
    )


def test_nothing_fetched_from_the_network(built: Built) -> None:
    html = built.html.lower()
    for pattern in (r"<script", r"<link\b", r"<img\b", r"<iframe", r"@import", r"url\(",
                    r"<image\b", r'src="http', r'xlink:href="http'):  # fmt: skip
        assert not re.search(pattern, html), pattern


def test_sources_section_cites_every_source_with_license(built: Built) -> None:
    cited = {c.source for d in built.report.leaders for cell in d.cells.values() if cell
             for c in cell.score.cites}  # fmt: skip
    listed = {s.id: s for s in built.report.sources}
    assert cited <= set(listed)
    assert "lmarena-scrape-2026" in listed and "epoch-benchmarks" in listed
    sources = built.html[built.html.index('<section id="sources">') :]
    assert 'id="src-epoch-benchmarks"' in sources
    assert "license: CC-BY-4.0" in sources
    assert "Epoch AI, &#39;AI Benchmarking Hub&#39;" in sources


def test_changes_since_known_moves(built: Built) -> None:
    """Checked by hand with `wholeads leaders --as-of 2026-05-22` and `--as-of 2026-08-22`:
    video generation went from CN (happyhorse-1.0) to US (gemini-omni-flash); the CN best in
    general went from ernie-5.0-preview-1103 to kimi-k3-max, the gap from 41 to 19 Elo; Claude
    Fable 5 was released on 2026-06-09, in between."""
    changes = {c.domain: c for c in built.report.changes.domains}
    video = changes["video_generation"]
    assert (video.leader_before, video.leader_after, video.new_leader) == ("CN", "US", True)
    general = changes["general"]
    assert not general.new_leader
    assert "CN: ernie-5.0-preview-1103 → kimi-k3-max" in general.new_best
    assert general.gap_before is not None and general.gap_before.text == "41"
    assert general.gap_after is not None and general.gap_after.text == "19"
    released = {m.id: m.released.date for m in built.report.changes.new_models}
    assert released["claude-fable-5"] == dt.date(2026, 6, 9)
    assert all(SINCE < d <= AS_OF for d in released.values() if d)
    changes_html = built.html[built.html.index('<section id="changes">') :]
    assert "<strong>Video generation</strong> (CN → US)" in changes_html


def test_markdown_writes_chart_files(built: Built) -> None:
    links = re.findall(r"\]\((charts/[^)]+\.svg)\)", built.md)
    assert len(links) == len(chart_slots(built.report))
    for link in links:
        svg = (built.md_dir / link).read_text(encoding="utf-8")
        assert ET.fromstring(svg).tag == f"{SVG_NS}svg"
    assert "# Who leads and where, as of 2026-08-22" in built.md
    assert "[1,508](https://github.com/hasehon/chatbot-arena-ja)" in built.md


def test_claims_section(built: Built) -> None:
    if not CLAIMS.is_file():
        pytest.skip("no example claims file")
    claims = built.report.claims
    assert claims is not None and len(claims) > 10
    r1 = next(c for c in claims if c.id == "r1-mit-license")
    assert r1.verdict == "supported"
    assert r1.cites[0][0].url == "https://huggingface.co/deepseek-ai/DeepSeek-R1"
    assert '<section id="claims">' in built.html


def test_shared_reader_agrees_with_fresh_readers(real_db: Path) -> None:
    """The report asks every question over one reader (histories read once); the answers are
    exactly those of a fresh reader per question."""
    with open_readonly(real_db) as con:
        shared = Reader(con)
        for name in ("math", "price"):
            for _ in range(2):  # the second round is served from the shared reader's memo
                assert frontier_report(
                    con, name, "openness", until=AS_OF, reader=shared
                ) == frontier_report(con, name, "openness", until=AS_OF)
                assert gap_report(con, name, until=AS_OF, reader=shared) == gap_report(
                    con, name, until=AS_OF
                )
        assert shared.histories  # the histories were kept


def test_each_history_is_computed_once(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The frontier by ecosystem, the gap and the frontier by openness of a domain read the same
    histories: each (domain, evidence entry) is computed once per report, and every domain's
    charts need at least its first entry's history."""
    calls: Counter[tuple[str, str]] = Counter()
    real = evidence._history

    def counting(reader: Reader, domain: DomainSpec, spec: EvidenceSpec, *args: Any) -> Any:
        calls[(domain.id, spec.label)] += 1
        return real(reader, domain, spec, *args)

    monkeypatch.setattr(evidence, "_history", counting)
    with open_readonly(real_db) as con:
        build_report(con, AS_OF, SINCE)
    assert {d for d, _ in calls} == set(load_domains())
    assert max(calls.values()) == 1, calls.most_common(3)


def test_bad_as_of_is_one_line(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_cli(monkeypatch, "report", "--as-of", "2026-13-40", "--db", str(real_db))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == "error: --as-of: '2026-13-40' is not a date; use YYYY-MM-DD"


def test_unwritable_out_is_one_line(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = run_cli(monkeypatch, "report", "--out", str(blocker / "sub"), "--db", str(real_db))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("error: --out: cannot create directory") and "\n" not in err


def test_bad_format_is_one_line(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_cli(monkeypatch, "report", "--format", "pdf", "--db", str(real_db))
    assert code == 2
    assert capsys.readouterr().err.strip() == "error: --format: unknown 'pdf'; use one of html, md"


def test_an_evidence_switch_is_not_a_new_leader() -> None:
    """A change counts as a new leader only on comparable evidence: when the deciding entry
    changed, what today's entry said at the earlier date is the comparison."""
    from wholeads.analysis.changes import LeaderMove

    def move(evidence_after: str, then_on_it: str) -> LeaderMove:
        return LeaderMove(
            domain="coding", name="Coding", leader_before="US", leader_after="CN",
            evidence_before="a", evidence_after=evidence_after,
            leader_before_same_evidence=then_on_it,
        )  # fmt: skip

    switched = move("b", "CN")
    assert switched.evidence_switched and not switched.new_leader  # b said CN then too
    moved = move("b", "US")
    assert moved.new_leader  # on b itself the leader went US -> CN
    same = move("a", "US")
    assert same.new_leader and not same.evidence_switched


def test_gap_charts_mark_policy_events(built: Built) -> None:
    """kb/policy/us.yaml: EO 14148 (2025-01-20) lies inside the general domain's LMArena
    series, so the report's gap chart marks it (rule and label), with its summary."""
    general = next(d for d in built.report.domains if d.id == "general")
    events = {e["id"]: e for e in general.charts["gap"]["datasets"]["events"]}
    assert events["us-eo-14148"]["date"] == "2025-01-20"
    assert "revokes Executive Order 14110" in events["us-eo-14148"]["summary"]
    assert "US: us-eo-14148" in built.html


def test_what_to_watch_and_policy_events_in_the_report(built: Built) -> None:
    """The example watch file's rules, each once, fired or quiet, and the policy events of the
    window as the curated files date them (counted from kb/policy/*.yaml here)."""
    import yaml

    from wholeads.claims.watchfile import EXAMPLE
    from wholeads.kb import KB_ROOT

    rules = yaml.safe_load(EXAMPLE.read_text())["watch"]
    watch = built.report.changes.watch
    assert [f.rule_id for f in watch] == [r["id"] for r in rules]
    fired = sum(f.fired for f in watch)
    assert f"What to watch ({fired} of {len(rules)} signals fired)" in built.md
    assert f"What to watch ({fired} of {len(rules)} signals fired)" in built.html
    events = [e for path in sorted((KB_ROOT / "policy").glob("*.yaml"))
              for e in yaml.safe_load(path.read_text())["events"]
              if SINCE < dt.date.fromisoformat(str(e["date"])) <= AS_OF]  # fmt: skip
    assert sorted(e.id for e in built.report.changes.policy) == sorted(e["id"] for e in events)
    assert f"### Policy events ({len(events)})" in built.md
    for e in events:
        assert e["source"] in built.html
