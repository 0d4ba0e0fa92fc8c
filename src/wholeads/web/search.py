"""Search over models, labs and benchmarks: prefix first, then typo-tolerant, ranked.

Built once at startup from the database (names, ids and every alias), then pure and in memory:
a query is normalized like the keys, matched as an exact key, a key prefix or a word prefix, and
otherwise through a trigram index whose candidates are checked with a bounded Damerau-Levenshtein
distance (rapidfuzz, in C) against the key's start, so 'deepsek' and 'qwen2.5-max' typed half-way
both find their entity. Aliases lead to the entity they name; each entity appears once, at its
best match; candidates tied on trigrams are taken in key order, so an answer does not depend on
the process's string hashing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

import duckdb
from rapidfuzz.distance import OSA

from wholeads.query import catalog

Kind = Literal["model", "lab", "benchmark"]
KIND_ORDER: dict[str, int] = {"lab": 0, "model": 1, "benchmark": 2}
MAX_QUERY = 100
"""Longer queries are refused (the API answers 422)."""
FUZZY_CHECKS = 300
"""At most this many keys (those sharing the most trigrams) get an edit-distance check."""


def normalize(text: str) -> str:
    """Lower case, separators unified to single spaces: 'DeepSeek-R1_0528' -> 'deepseek r1 0528'."""
    return " ".join(re.split(r"[^0-9a-z.]+", text.lower().replace("_", " "))).strip()


def trigrams(text: str, *, end: bool = True) -> set[str]:
    """Character trigrams with two pad spaces in front (so starts weigh more); a query being typed
    has no end yet, so its trailing pad is left out."""
    padded = f"  {text} " if end else f"  {text}"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def prefix_distance(query: str, key: str, bound: int) -> int:
    """The smallest Damerau-Levenshtein (optimal string alignment) distance between the query and
    any start of the key, i.e. how many typos separate it from what the user was typing; gives up
    past `bound` (returns bound + 1). Only starts within `bound` characters of the query's length
    can be that close; each is one call of rapidfuzz's OSA distance (C, cut off at the bound)."""
    best = bound + 1
    for end in range(max(0, len(query) - bound), min(len(key), len(query) + bound) + 1):
        best = min(best, OSA.distance(query, key[:end], score_cutoff=bound))
        if best == 0:
            break
    return min(best, bound + 1)


@dataclass(frozen=True)
class Entity:
    kind: Kind
    id: str
    name: str
    detail: str
    """What the result line says under the name (lab and ecosystem, or benchmark domain)."""
    rank: int
    """0 for curated entities, 1 for those known only from a source (ties go to curated)."""


@dataclass(frozen=True)
class Hit:
    entity: Entity
    score: float
    matched: str
    """The key that matched (an alias when the name did not)."""
    how: str
    """'exact', 'prefix', 'word prefix', 'substring' or 'fuzzy'."""

    def to_dict(self) -> dict[str, object]:
        e = self.entity
        return {
            "kind": e.kind, "id": e.id, "name": e.name, "detail": e.detail,
            "url": f"/{e.kind}/{e.id}", "matched": self.matched, "how": self.how,
            "score": round(self.score, 3),
        }  # fmt: skip


class SearchIndex:
    """Every searchable key (normalized) -> the entities it names, plus a trigram index."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.keys: dict[str, set[int]] = defaultdict(set)
        self.grams: dict[str, set[str]] = defaultdict(set)

    def add(self, entity: Entity, names: list[str]) -> None:
        idx = len(self.entities)
        self.entities.append(entity)
        for name in names:
            key = normalize(name)
            if not key:
                continue
            if key not in self.keys:
                for gram in trigrams(key):
                    self.grams[gram].add(key)
            self.keys[key].add(idx)

    def _tier(self, query: str, key: str) -> tuple[float, str] | None:
        """How well a key matches (higher is better), or None."""
        if key == query:
            return 100.0, "exact"
        if key.startswith(query):
            return 80.0 + 10.0 * len(query) / len(key), "prefix"
        if any(word.startswith(query) for word in key.split(" ")[1:]):
            return 60.0 + 10.0 * len(query) / len(key), "word prefix"
        if len(query) >= 3 and query in key:
            return 50.0 + 5.0 * len(query) / len(key), "substring"
        return None

    def search(self, text: str, limit: int = 10, kinds: set[str] | None = None) -> list[Hit]:
        """The best `limit` entities for a query, best first."""
        query = normalize(text)
        if not query:
            return []
        bound = 0 if len(query) < 4 else 1 if len(query) < 8 else 2
        best: dict[int, Hit] = {}
        for key, fuzzy_ok in self._candidates(query, bound):
            tier = self._tier(query, key)
            if tier is None and fuzzy_ok:
                dist = prefix_distance(query, key, bound)
                if dist <= bound:
                    tier = (
                        40.0 - 10.0 * dist + 5.0 * min(len(query), len(key)) / len(key),
                        "fuzzy",
                    )
            if tier is None:
                continue
            for idx in self.keys[key]:
                entity = self.entities[idx]
                if kinds and entity.kind not in kinds:
                    continue
                score = tier[0] - 2.0 * entity.rank
                if idx not in best or score > best[idx].score:
                    best[idx] = Hit(entity, score, key, tier[1])
        ranked = sorted(
            best.values(),
            key=lambda h: (-h.score, KIND_ORDER[h.entity.kind], len(h.entity.id), h.entity.id),
        )
        return ranked[:limit]

    def _candidates(self, query: str, bound: int) -> list[tuple[str, bool]]:
        """Keys that may match, each with whether it is worth an edit-distance check.

        One edit changes at most three trigrams, so a key within `bound` typos of the query's
        start shares at least len(grams) - 3*bound of them; only the best-sharing keys get the
        (costly) distance check. Very short queries match by prefix only.
        """
        if len(query) < 3:
            return [(k, False) for k in self.keys if k.startswith(query) or f" {query}" in k]
        grams = trigrams(query, end=False)
        counts: dict[str, int] = defaultdict(int)
        for gram in grams:
            for key in self.grams.get(gram, ()):
                counts[key] += 1
        need = max(1, len(grams) - max(2, 3 * bound))
        kept = sorted((k for k, n in counts.items() if n >= need), key=lambda k: (-counts[k], k))
        fuzzy_need = len(grams) - 3 * bound
        return [(k, i < FUZZY_CHECKS and counts[k] >= fuzzy_need) for i, k in enumerate(kept)]


def build_index(con: duckdb.DuckDBPyConnection) -> SearchIndex:
    """The index over every model (with aliases), lab (with aliases) and benchmark."""
    index = SearchIndex()
    lab_aliases: dict[str, list[str]] = defaultdict(list)
    for la in catalog.lab_aliases(con):
        lab_aliases[la.lab_id].append(la.alias)
    for lab in catalog.labs_by_id(con).values():
        eco = lab.ecosystem
        detail = " · ".join(
            x for x in ("lab", lab.country, eco if eco != lab.country else None) if x
        )
        index.add(
            Entity("lab", lab.id, lab.name or lab.id, detail, 0 if lab.curated else 1),
            [lab.id, lab.name or "", *lab_aliases[lab.id]],
        )
    aliases: dict[str, list[str]] = defaultdict(list)
    for ma in catalog.model_aliases(con):
        aliases[ma.model_id].append(ma.alias)
    for m in catalog.search_models(con):
        detail = " · ".join(x for x in ("model", m.lab_name, m.ecosystem) if x)
        index.add(
            Entity("model", m.id, m.name or m.id, detail, 0 if m.curated else 1),
            [m.id, m.name or "", *aliases[m.id]],
        )
    for b in catalog.benchmarks(con):
        detail = " · ".join(x for x in ("benchmark", b.domain) if x)
        index.add(Entity("benchmark", b.id, b.name or b.id, detail, 0), [b.id, b.name])
    return index
