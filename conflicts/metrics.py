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
  the row sum of the cross-impact matrix ``A``, where ``A[i, j]`` is the score of ``i`` acting
  on ``j``). ``influenced_by`` equals ``in_strength``: the column sum of ``A``, how much the rest
  of the system acts on ``n`` (SEI's work for Sweden reports both the most influencing and the
  most influenced targets, Weitz et al. 2018).
- ``two_step_influence``: the plain two-step sum, the row sum of ``A²``::

      sum over acting edges n -> k and k -> m of  score(n, k) * score(k, m)

  every path of two steps, including those that come back to ``n``.
- ``second_order_influence``: OUR OWN VARIANT of the two-step sum, not a published measure::

      sum over acting edges n -> k and k -> m with m != n of  score(n, k) * score(k, m) / 3

  The product of two scores is on a ±9 scale; dividing by 3 brings it back to the ±3 scale of a
  single interaction (two +3 "indivisible" steps give +3). Paths that return to ``n`` are left
  out (the effect of ``n`` on itself is not influence on the system), and parallel edges each
  count. E.g. ``A -(-2)-> B -(+3)-> C`` gives ``A`` -2. Leaving out the paths back can reverse
  the order of the plain sum: with ``A -(1)-> B -(3)-> A`` and ``C -(2)-> D -(1)-> A`` the row
  sums of ``A²`` rank ``A`` (3) above ``C`` (2), this variant ranks ``C`` (0.67) above ``A``
  (0). Show both, and name which one a ranking uses.
- ``net``: ``synergy_strength - conflict_strength``.

References
----------
.. [1] Nilsson, M., Griggs, D. & Visbeck, M. (2016). Map the interactions between Sustainable
   Development Goals. Nature 534, 320-322. https://doi.org/10.1038/534320a (the 7-point scale).
.. [2] Weitz, N., Carlsen, H., Nilsson, M. & Skånberg, K. (2018). Towards systemic and
   contextual priority setting for implementing the 2030 Agenda. Sustainability Science 13
   (the Swedish case: 1,122 scored interactions among 34 targets; it reports both the most
   influencing and the most influenced targets, and effects through second-order interactions).
   Our ``second_order_influence`` is not their formula; ``two_step_influence`` is the plain sum.

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
    influenced_by: int = 0
    two_step_influence: int = 0
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
        back = sum(s1 * s2 for k, s1 in out_edges[n] for m, s2 in out_edges[k] if m == n)
        # The row sum of A² is sum_k A[n, k] * out_strength(k); our variant drops the paths back.
        two_step = sum(s1 * out_s[k] for k, s1 in out_edges[n])
        c = count[n]
        result[n] = NodeMetrics(
            conflicts=c["conflicts"],
            conflict_strength=c["conflict_strength"],
            synergies=c["synergies"],
            synergy_strength=c["synergy_strength"],
            out_strength=out_s[n],
            in_strength=in_s[n],
            influence=out_s[n],
            influenced_by=in_s[n],
            two_step_influence=two_step,
            second_order_influence=(two_step - back) / 3,
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
