"""Graph checks of the ratings: is the comparison graph connected, does the MLE exist.

Both are breadth-first searches in numpy, which is all a fit of connected data needs; scipy loads
only to label the components of a graph that is split (for the error message or the flags).
"""

from __future__ import annotations

import numpy as np

from wholeads.analysis.ratings_fit import FloatArray, IntArray, PairCells


def reaches_all(k: int, source: IntArray, target: IntArray) -> bool:
    """Whether every model can be reached from model 0 along the edges source -> target."""
    seen = np.zeros(k, dtype=bool)
    seen[0] = True
    frontier = seen.copy()
    while True:
        step = np.zeros(k, dtype=bool)
        step[target[frontier[source]]] = True
        step &= ~seen
        if not step.any():
            return bool(seen.all())
        seen |= step
        frontier = step


def is_connected(cells: PairCells, big_n: FloatArray) -> bool:
    """Whether the comparison graph (who played whom) is connected."""
    played = big_n > 0
    i, j = cells.i[played], cells.j[played]
    return reaches_all(cells.k, np.r_[i, j], np.r_[j, i])


def _scored_edges(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray
) -> tuple[IntArray, IntArray]:
    """Edges winner -> loser of the "scored against" graph (a tie scores for both sides)."""
    fwd = big_s > 0
    back = big_n - big_s > 0
    return np.r_[cells.i[fwd], cells.j[back]], np.r_[cells.j[fwd], cells.i[back]]


def is_strongly_connected(cells: PairCells, big_n: FloatArray, big_s: FloatArray) -> bool:
    """Whether the maximum-likelihood estimate exists (Hunter 2004, condition A).

    It does if and only if the "scored against" graph is strongly connected: every split of the
    models into two groups has a win (or tie) from each side over the other.
    """
    source, target = _scored_edges(cells, big_n, big_s)
    return reaches_all(cells.k, source, target) and reaches_all(cells.k, target, source)


def components(cells: PairCells, big_n: FloatArray) -> tuple[int, IntArray]:
    """Connected components of the comparison graph (who played whom), labelled."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    played = big_n > 0
    graph = sparse.coo_matrix(
        (np.ones(int(played.sum())), (cells.i[played], cells.j[played])), shape=(cells.k, cells.k)
    )
    n_comp, labels = connected_components(graph, directed=False)
    return int(n_comp), labels.astype(np.int64)


def strong_components(
    cells: PairCells, big_n: FloatArray, big_s: FloatArray
) -> tuple[int, IntArray]:
    """Strongly connected components of the "scored against" graph, labelled."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    rows, cols = _scored_edges(cells, big_n, big_s)
    graph = sparse.coo_matrix((np.ones(rows.size), (rows, cols)), shape=(cells.k, cells.k))
    n_comp, labels = connected_components(graph, directed=True, connection="strong")
    return int(n_comp), labels.astype(np.int64)
