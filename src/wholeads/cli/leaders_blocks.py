"""The who-leads-where answer for a narrow terminal: one block per domain (its verdict in a
sentence, one line per group, the evidence underneath) instead of an eleven-column table.

The wide table needs about 160 columns; at 80 its cells fold into unreadable slivers.
"""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Console
from rich.table import Table

from wholeads.analysis.leaders import VERDICT_WORDS, DomainLeaders, GroupBest
from wholeads.units import age_text, fmt

WIDE_TABLE_COLUMNS = 140
"""Below this terminal width the answer is printed as blocks."""


def headline(r: DomainLeaders) -> str:
    """The domain's answer in one sentence."""
    if r.leader is None or r.gap is None:
        return f"[bold]{r.name}[/bold]: [yellow]insufficient evidence[/yellow]"
    g = r.gap
    at_least = "at least " if g.bound == "at_least" else ""
    ahead = f"{at_least}{fmt(g.points, r.unit)} {r.unit if r.unit == 'Elo' else ''}".rstrip()
    win = f", wins {g.win_probability:.0%} head to head" if g.win_probability is not None else ""
    lag = "" if g.lag_months is None else f"; lag {g.lag_months:g} months"
    if r.verdict == "tie":
        lead = f"tie: {r.leader} ahead of {g.runner_up} within noise ({ahead}{win})"
    else:
        lead = f"{r.leader} leads {g.runner_up} by {ahead}{win}"
    verdict = VERDICT_WORDS.get(r.verdict or "", "")
    return f"[bold]{r.name}[/bold]: {lead}; {verdict}{lag}"


def _score(g: GroupBest, unit: str, board: dt.date | None) -> str:
    ci = ""
    if g.ci_low is not None and g.ci_high is not None:
        ci = f" [{fmt(g.ci_low, unit)}–{fmt(g.ci_high, unit)}]"
    text = f"{fmt(g.score, unit)}{ci}"
    if g.on_board:
        return text
    bound = f"below {fmt(g.below, unit)} on the {board} board; " if g.below is not None else ""
    return f"{bound}{text} on {g.date}"


def evidence_line(r: DomainLeaders) -> str:
    """Which evidence decides, from where, of when, how old; how many sources agree."""
    primary = next((s for s in r.sources if s.label == r.primary), None)
    if primary is None:
        return f"needs: {r.needed}" if r.needed else ""
    parts = [r.primary or "", f"{primary.source} {primary.date}"]
    if primary.board is not None and primary.board.censored:
        parts.append(f"top {primary.board.rows:,}")
    age = f"{age_text(r.age_days)} old"
    parts.append(f"[yellow]{age}[/yellow]" if r.stale else age)
    if r.compared:
        agree = f"sources agree {r.agreeing}/{r.compared}"
        disagree = [f"{s.label}: {s.leader}" for s in r.sources if s.leader not in (None, r.leader)]
        parts.append(agree + (f" ({', '.join(disagree)})" if disagree else ""))
    return "evidence: " + " · ".join(parts)


def print_leader_blocks(
    results: list[DomainLeaders], by: str, as_of: dt.date, groups: list[str], console: Console
) -> None:
    """One block per domain; groups in the fixed order of the grouping (labs as ranked)."""
    console.print(f"[bold]Who leads where, as of {as_of} (by {by})[/bold]\n")
    for r in results:
        console.print(headline(r))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, expand=False)
        table.add_column(by, no_wrap=True)
        table.add_column("best model", overflow="fold")
        table.add_column(f"{r.unit} [95% CI]", overflow="fold")
        by_group = {g.group: g for g in r.groups}
        order = groups or [g.group for g in r.groups]
        for name in order:
            g = by_group.get(name)
            if g is None:
                table.add_row(name, "—", "—")
            else:
                table.add_row(name, g.model_id, _score(g, r.unit, r.evidence_date))
        console.print(table)
        console.print(evidence_line(r) + "\n", style="dim", highlight=False)
