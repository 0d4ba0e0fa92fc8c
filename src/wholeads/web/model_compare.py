"""Two models side by side (pure): their facts, their newest scores on the benchmarks both have,
their prices, and the head-to-head win probability on every arena board that rates both.

Head to head: on an Elo-scale benchmark (an arena category), for each source the newest board
(same date and setting) that rates both models; P(a beats b) = 1 / (1 + 10^(-(Ra - Rb)/400)),
the Bradley-Terry reading of the ratings (``analysis.leaders.win_probability``). On a date with
several settings the default board (no setting) is preferred, then the settings in name order.
Shared benchmarks compare each model's newest comparable scores (``shared_scores``); "higher"
follows the benchmark's direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wholeads.analysis.leaders import win_probability

FACTS = (
    ("lab_name", "Lab"), ("ecosystem", "Ecosystem"), ("release_date", "Released"),
    ("open_weights", "Open weights"), ("license", "License"), ("kind", "Kind"),
    ("params_total_b", "Parameters (B)"), ("params_active_b", "Active (B)"),
    ("context_window", "Context (tokens)"), ("max_output", "Max output (tokens)"),
)  # fmt: skip


def _key(s: Mapping[str, Any]) -> tuple[str, str, str]:
    return str(s["source"]), str(s["as_of"]), str(s.get("setting") or "")


def head_to_head(
    a_scores: Sequence[Mapping[str, Any]],
    b_scores: Sequence[Mapping[str, Any]],
    elo_benchmarks: set[str],
) -> list[dict[str, Any]]:
    """One row per (arena benchmark, source): the newest board rating both, and P(a beats b)."""
    rows = []
    for bench in sorted(elo_benchmarks):
        a = {_key(s): s for s in a_scores if s["benchmark_id"] == bench}
        b = {_key(s): s for s in b_scores if s["benchmark_id"] == bench}
        both = set(a) & set(b)
        for source in sorted({k[0] for k in both}):
            # newest date first; on one date the default board (setting '') first
            key = min((k for k in both if k[0] == source), key=lambda k: (_neg(k[1]), k[2]))
            ra, rb = float(a[key]["value"]), float(b[key]["value"])
            rows.append({
                "benchmark_id": bench, "source": source, "date": key[1],
                "setting": key[2] or None, "a": ra, "b": rb, "difference": ra - rb,
                "p_a_wins": win_probability(ra - rb),
            })  # fmt: skip
    return rows


def _neg(iso: str) -> tuple[int, ...]:
    return tuple(-int(x) for x in iso.split("-"))


def shared_scores(
    a_groups: Sequence[Mapping[str, Any]],
    b_groups: Sequence[Mapping[str, Any]],
    higher: Mapping[str, bool],
) -> list[dict[str, Any]]:
    """Benchmarks both have: each model's newest comparable score, and the better one.

    Comparable: the same setting, and for a leaderboard table or snapshot (``dated_by`` table
    or snapshot) the same table date, since another release is another board. Without such a
    pair each one's newest score is shown, marked not comparable, and no side is called better.
    """
    b_by = {g["benchmark_id"]: g for g in b_groups}
    rows = []
    for ga in a_groups:
        gb = b_by.get(ga["benchmark_id"])
        if gb is None:
            continue
        pair = _comparable_pair(ga, gb)
        sa, sb = pair or (ga["newest"], gb["newest"])
        better = None
        if pair is not None and sa["value"] != sb["value"]:
            a_higher = float(sa["value"]) > float(sb["value"])
            better = "a" if a_higher == higher.get(ga["benchmark_id"], True) else "b"
        rows.append({
            "benchmark_id": ga["benchmark_id"], "a": sa["value"], "a_date": sa["as_of"],
            "b": sb["value"], "b_date": sb["as_of"], "setting_a": sa.get("setting"),
            "setting_b": sb.get("setting"), "comparable": pair is not None, "better": better,
            "higher_is_better": higher.get(ga["benchmark_id"], True),
        })  # fmt: skip
    return sorted(rows, key=lambda r: r["benchmark_id"])


def _comparable_pair(
    ga: Mapping[str, Any], gb: Mapping[str, Any]
) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """The newest pair of scores on one setting (and one table date for a board), or None."""
    a_all, b_all = [ga["newest"], *ga["history"]], [gb["newest"], *gb["history"]]
    best = None
    for sa in a_all:
        for sb in b_all:
            if sa.get("setting") != sb.get("setting") or sa["source"] != sb["source"]:
                continue
            board = sa.get("dated_by") in ("table", "snapshot")
            if board and sa["as_of"] != sb["as_of"]:
                continue
            newest = max(str(sa["as_of"]), str(sb["as_of"]))
            if best is None or newest > best[0]:
                best = (newest, sa, sb)
    return None if best is None else (best[1], best[2])


def price_pairs(
    a_prices: Sequence[Mapping[str, Any]], b_prices: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Providers both list (newest price of each), and each side's cheapest newest input price
    (a free listing, $0, is not a price)."""
    a_by = {g["provider"]: g["newest"] for g in a_prices}
    b_by = {g["provider"]: g["newest"] for g in b_prices}
    common = [
        {"provider": p,
         "a_input": a_by[p]["input_per_mtok"], "a_output": a_by[p]["output_per_mtok"],
         "b_input": b_by[p]["input_per_mtok"], "b_output": b_by[p]["output_per_mtok"]}
        for p in sorted(set(a_by) & set(b_by))
    ]  # fmt: skip

    def cheapest(by: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
        priced = [
            (p["input_per_mtok"], k)
            for k, p in by.items()
            if p["input_per_mtok"]  # free: no price
        ]
        if not priced:
            return None
        value, provider = min(priced)
        return {"provider": provider, "input_per_mtok": value, "output_per_mtok":
                by[provider]["output_per_mtok"], "providers": len(by)}  # fmt: skip

    return {"common": common, "a_cheapest": cheapest(a_by), "b_cheapest": cheapest(b_by)}


def compare_models(
    a: Mapping[str, Any], b: Mapping[str, Any], benchmarks: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The compare page of two models from their model pages' data (``views.model_data``)."""
    elo = {k for k, v in benchmarks.items() if str(v.get("metric")) == "elo"}
    higher = {k: bool(v.get("higher_is_better", True)) for k, v in benchmarks.items()}
    ma, mb = a["model"], b["model"]
    facts = [{"field": label, "a": ma.get(k), "b": mb.get(k)} for k, label in FACTS]
    ranks_b = {r["domain"]: r for r in b["summary"]["ranks"]}
    ranks = [
        {"domain": r["domain"], "name": r["name"], "a": r["rank"], "a_of": r["of"],
         "b": ranks_b[r["domain"]]["rank"], "b_of": ranks_b[r["domain"]]["of"]}
        for r in a["summary"]["ranks"] if r["domain"] in ranks_b
    ]  # fmt: skip
    shared = shared_scores(a["score_groups"], b["score_groups"], higher)
    return {
        "kind": "model", "a": ma["id"], "b": mb["id"], "a_name": ma.get("name") or ma["id"],
        "b_name": mb.get("name") or mb["id"], "facts": facts, "ranks": ranks,
        "shared": shared, "wins": {"a": sum(r["better"] == "a" for r in shared),
                                   "b": sum(r["better"] == "b" for r in shared)},
        "head_to_head": head_to_head(a["scores"], b["scores"], elo),
        "prices": price_pairs(a["price_groups"], b["price_groups"]),
    }  # fmt: skip
