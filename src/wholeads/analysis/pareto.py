"""Price-performance: the Pareto frontier of score vs price, the cheapest model above a bar and
the best model under a price cap.

Pure. A model is on the frontier when no other model is both at least as good and at most as
expensive (and strictly better in one of the two). "Score per dollar" is a ratio, so it means
something only on a ratio scale (percent correct: twice the score is twice as much); on an Elo
scale the zero is arbitrary and the ratio would only rank by price, so it is not computed there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wholeads.analysis.points import By, Point, group_of


@dataclass(frozen=True)
class Priced:
    """A model's score and its blended price (USD per 1M tokens)."""

    point: Point
    price: float

    @property
    def per_dollar(self) -> float:
        """Score per USD per 1M tokens (capability per dollar); inf for a zero price."""
        return self.point.value / self.price if self.price > 0 else float("inf")


RATIO_SCALES = frozenset({"percent"})
"""Scales with a true zero, where score per dollar is meaningful."""


def is_ratio_scale(scale: str) -> bool:
    return scale in RATIO_SCALES


def blended(input_per_mtok: float, output_per_mtok: float, ratio: float = 3.0) -> float:
    """Blended price of ``ratio`` input tokens to one output token (3:1, as Artificial Analysis)."""
    return (ratio * input_per_mtok + output_per_mtok) / (ratio + 1)


def pareto_front(items: Iterable[Priced], higher: bool = True) -> list[Priced]:
    """Non-dominated models, cheapest first (each next one is dearer and better)."""
    sign = 1 if higher else -1
    ordered = sorted(items, key=lambda x: (x.price, -sign * x.point.value))
    front: list[Priced] = []
    for item in ordered:
        if not front or sign * item.point.value > sign * front[-1].point.value:
            if front and item.price == front[-1].price:
                continue
            front.append(item)
    return front


def fronts_by_group(items: Iterable[Priced], by: By = "ecosystem") -> dict[str, list[Priced]]:
    """The Pareto frontier of each group."""
    groups: dict[str, list[Priced]] = {}
    for item in items:
        g = group_of(item.point, by)
        if g is not None:
            groups.setdefault(g, []).append(item)
    return {g: pareto_front(v) for g, v in sorted(groups.items())}


def cheapest_above(items: Sequence[Priced], threshold: float) -> Priced | None:
    """The cheapest model scoring at least ``threshold`` (ties: the better score)."""
    ok = [x for x in items if x.point.value >= threshold]
    return min(ok, key=lambda x: (x.price, -x.point.value)) if ok else None


def best_under(items: Sequence[Priced], cap: float) -> Priced | None:
    """The best-scoring model costing at most ``cap`` (ties: the cheaper)."""
    ok = [x for x in items if x.price <= cap]
    return max(ok, key=lambda x: (x.point.value, -x.price)) if ok else None
