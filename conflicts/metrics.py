"""Network metrics of an interaction graph, in the spirit of SEI's SDG Synergies.

All functions take a graph from :func:`conflicts.graph.build_graph` (or a filtered copy) and are
pure. Edge ``score`` is the Nilsson/ICSU score (-3..+3). Each interaction *acts* from its ``from``
node to its ``to`` node; a mutual interaction acts both ways with the same score.

Definitions, for a node ``n``:

- ``conflicts``: number of interactions touching ``n`` with score < 0 (a mutual one counts once);
  ``conflict_strength``: sum of their ``abs(score)``.
- ``synergies`` / ``synergy_strength``: the same for score > 0.
- ``out_strength``: sum of the scores of the interactions acting *from* ``n``
  (directed edges ``n -> m`` and mutual edges touching ``n``); ``in_strength`` likewise for
  interactions acting *on* ``n``. ``influence`` equals ``out_strength`` (first-order influence,
  the row sum of the cross-impact matrix in SDG Synergies).
- ``second_order_influence``: the influence that passes through one intermediate node::

      sum over acting edges n -> k and k -> m with m != n of  score(n, k) * score(k, m) / 3

  The product of two scores is on a ±9 scale; dividing by 3 brings it back to the ±3 scale of a
  single interaction (two +3 "indivisible" steps give +3). Paths that return to ``n`` are left
  out, and parallel edges each count. E.g. ``A -(-2)-> B -(+3)-> C`` gives ``A`` -2.
- ``net``: ``synergy_strength - conflict_strength``.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("A", "B", key="i1", score=-2, mutual=False)
'i1'
>>> G.add_edge("B", "C", key="i2", score=3, mutual=False)
'i2'
>>> m = node_metrics(G)
>>> m["A"].influence, m["A"].second_order_influence, m["B"].net
(-2, -2.0, 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from conflicts.graph import Sign

__all__ = [
    "NodeMetrics",
    "acting_edges",
    "edge_summary",
    "most_contested_nodes",
    "node_metrics",
    "strongest_interactions",
]


@dataclass(frozen=True)
class NodeMetrics:
    """The metrics of one node; see the module docstring for the definitions."""

    conflicts: int = 0
    conflict_strength: int = 0
    synergies: int = 0
    synergy_strength: int = 0
    out_strength: int = 0
    in_strength: int = 0
    influence: int = 0
    second_order_influence: float = 0.0
    net: int = 0


def acting_edges(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, int]]:
    """``(source, target, score)`` for every direction in which an interaction acts.

    A mutual edge ``u -> v`` yields both ``(u, v, s)`` and ``(v, u, s)``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="i1", score=2, mutual=True)
    'i1'
    >>> list(acting_edges(G))
    [('a', 'b', 2), ('b', 'a', 2)]
    """
    for u, v, d in G.edges(data=True):
        s = d.get("score", 0)
        yield u, v, s
        if d.get("mutual"):
            yield v, u, s


def node_metrics(G: nx.MultiDiGraph) -> dict[str, NodeMetrics]:
    """The :class:`NodeMetrics` of every node, in graph node order.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        Edges carry ``score`` and ``mutual`` attributes (as from ``build_graph``).

    Returns
    -------
    dict of str to NodeMetrics

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="i1", score=-3, mutual=True)
    'i1'
    >>> m = node_metrics(G)
    >>> m["b"].conflicts, m["b"].conflict_strength, m["b"].out_strength, m["b"].in_strength
    (1, 3, -3, -3)
    """
    count: dict[str, dict[str, int]] = {n: defaultdict(int) for n in G}
    for u, v, d in G.edges(data=True):
        s = d.get("score", 0)
        if s == 0:
            continue
        number, strength = (
            ("conflicts", "conflict_strength") if s < 0 else ("synergies", "synergy_strength")
        )
        for n in {u, v}:
            count[n][number] += 1
            count[n][strength] += abs(s)

    out_edges: dict[str, list[tuple[str, int]]] = {n: [] for n in G}
    out_s: dict[str, int] = dict.fromkeys(G, 0)
    in_s: dict[str, int] = dict.fromkeys(G, 0)
    for u, v, s in acting_edges(G):
        out_edges[u].append((v, s))
        out_s[u] += s
        in_s[v] += s

    result = {}
    for n in G:
        second = sum(s1 * s2 for k, s1 in out_edges[n] for m, s2 in out_edges[k] if m != n) / 3
        c = count[n]
        result[n] = NodeMetrics(
            conflicts=c["conflicts"],
            conflict_strength=c["conflict_strength"],
            synergies=c["synergies"],
            synergy_strength=c["synergy_strength"],
            out_strength=out_s[n],
            in_strength=in_s[n],
            influence=out_s[n],
            second_order_influence=second,
            net=c["synergy_strength"] - c["conflict_strength"],
        )
    return result


def most_contested_nodes(
    G: nx.MultiDiGraph, n: int = 5, metrics: dict[str, NodeMetrics] | None = None
) -> list[tuple[str, NodeMetrics]]:
    """The ``n`` nodes with the highest ``conflict_strength`` (ties broken by node id).

    Nodes without any conflict are never listed.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    n : int, default 5
    metrics : dict, optional
        Precomputed :func:`node_metrics` of ``G``, to avoid computing them twice.

    Returns
    -------
    list of (node id, NodeMetrics)

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("b", "a", key="i1", score=-2, mutual=False)
    'i1'
    >>> G.add_edge("c", "d", key="i2", score=3, mutual=False)
    'i2'
    >>> [(node, m.conflict_strength) for node, m in most_contested_nodes(G)]
    [('a', 2), ('b', 2)]
    """
    metrics = node_metrics(G) if metrics is None else metrics
    ranked = sorted(
        ((node, m) for node, m in metrics.items() if m.conflicts > 0),
        key=lambda item: (-item[1].conflict_strength, str(item[0])),
    )
    return ranked[:n]


def strongest_interactions(
    G: nx.MultiDiGraph, sign: Sign | None = "conflict", n: int = 5
) -> list[tuple[str, str, str]]:
    """The ``n`` strongest interactions, by ``abs(score)`` descending, then interaction id.

    Parameters
    ----------
    G : networkx.MultiDiGraph
    sign : {'conflict', 'synergy'} or None, default 'conflict'
        Only conflicts (score < 0), only synergies (score > 0), or all (``None``).
    n : int, default 5

    Returns
    -------
    list of (u, v, key)
        Edges of ``G``; the key is the interaction id and ``G.edges[u, v, key]["interaction"]``
        the interaction.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for key, s in [("i1", -1), ("i2", -3), ("i3", 2), ("i0", -3)]:
    ...     _ = G.add_edge("a", "b", key=key, score=s)
    >>> strongest_interactions(G, n=2)
    [('a', 'b', 'i0'), ('a', 'b', 'i2')]
    >>> strongest_interactions(G, sign="synergy")
    [('a', 'b', 'i3')]
    """
    if sign not in (None, "conflict", "synergy"):
        raise ValueError(f"sign must be 'conflict', 'synergy' or None, not {sign!r}")
    edges = [
        (u, v, k, d.get("score", 0))
        for u, v, k, d in G.edges(keys=True, data=True)
        if sign is None
        or (sign == "conflict" and d.get("score", 0) < 0)
        or (sign == "synergy" and d.get("score", 0) > 0)
    ]
    edges.sort(key=lambda e: (-abs(e[3]), str(e[2])))
    return [(u, v, k) for u, v, k, _ in edges[:n]]


def edge_summary(G: nx.MultiDiGraph) -> dict[str, int]:
    """Counts of the interactions in ``G``.

    Returns
    -------
    dict
        ``interactions``, ``conflicts``, ``synergies``, ``consistent`` (score 0), ``mutual``,
        ``conflict_strength`` and ``synergy_strength`` (sums of ``abs(score)``).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for key, s in [("i1", -1), ("i2", -3), ("i3", 2), ("i4", 0)]:
    ...     _ = G.add_edge("a", "b", key=key, score=s, mutual=key == "i3")
    >>> edge_summary(G)["conflicts"], edge_summary(G)["conflict_strength"]
    (2, 4)
    """
    out = dict.fromkeys(
        (
            "interactions",
            "conflicts",
            "synergies",
            "consistent",
            "mutual",
            "conflict_strength",
            "synergy_strength",
        ),
        0,
    )
    for _, _, d in G.edges(data=True):
        s = d.get("score", 0)
        out["interactions"] += 1
        out["mutual"] += bool(d.get("mutual"))
        if s < 0:
            out["conflicts"] += 1
            out["conflict_strength"] -= s
        elif s > 0:
            out["synergies"] += 1
            out["synergy_strength"] += s
        else:
            out["consistent"] += 1
    return out
