"""The catalogue as a NetworkX graph, and filtered views of it.

Nodes are goals and sub-goals; edges are interactions. Sub-goal membership is a node attribute
(``goal``), never an edge, so that every edge is an interaction a workshop can talk about.

The graph is a :class:`networkx.MultiDiGraph` keyed by interaction id: two interactions between the
same pair of nodes (e.g. ``A -> B`` and ``B -> A``) are two edges. A *mutual* interaction is stored
once, as ``from -> to`` with ``mutual=True``; the metrics treat it as acting both ways.

Examples
--------
>>> from conflicts.catalogue import parse_catalogue
>>> cat = parse_catalogue('''
... meta: {title: Demo, languages: [en]}
... goals:
...   - {id: g1, title: Growth, colour: "#0072B2", subgoals: [{id: s1, title: Jobs}]}
...   - {id: g2, title: Climate, colour: "#009E73"}
... interactions:
...   - {id: i1, from: s1, to: g2, score: -2, title: Jobs vs climate}
... ''')
>>> G = build_graph(cat)
>>> list(G.nodes)
['g1', 's1', 'g2']
>>> G.nodes["s1"]["goal"], G.nodes["s1"]["kind"]
('g1', 'subgoal')
>>> list(G.edges(keys=True))
[('s1', 'g2', 'i1')]
>>> G.edges["s1", "g2", "i1"]["sign"]
-1
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Literal

import networkx as nx

from conflicts.catalogue import Catalogue

__all__ = ["build_graph", "edge_class", "filter_graph", "incident_edges"]

Sign = Literal["conflict", "synergy"]


def build_graph(cat: Catalogue) -> nx.MultiDiGraph:
    """Build the interaction graph of a catalogue.

    Parameters
    ----------
    cat : Catalogue
        A validated catalogue.

    Returns
    -------
    G : networkx.MultiDiGraph
        One node per goal and sub-goal, in catalogue order (each goal followed by its sub-goals),
        with attributes

        - ``kind``: ``'goal'`` or ``'subgoal'``
        - ``goal``: id of the node's goal (a goal's is its own id)
        - ``title``: the :class:`~conflicts.catalogue.Text` title
        - ``colour``: the colour of the node's goal

        One edge per interaction, in catalogue order, with key = interaction id and attributes
        ``id``, ``score`` (-3..+3), ``weight`` (``abs(score)``), ``sign`` (-1, 0 or +1),
        ``mutual`` (bool) and ``interaction`` (the :class:`~conflicts.catalogue.Interaction`).
        ``G.graph["languages"]`` holds the catalogue's languages.

    Examples
    --------
    >>> from conflicts.catalogue import parse_catalogue
    >>> cat = parse_catalogue('''
    ... meta: {title: Demo, languages: [en]}
    ... goals:
    ...   - {id: g1, title: Growth, colour: "#0072B2"}
    ...   - {id: g2, title: Climate, colour: "#009E73"}
    ... interactions:
    ...   - {id: i1, from: g1, to: g2, score: 2, direction: mutual, title: Green jobs}
    ... ''')
    >>> G = build_graph(cat)
    >>> G.number_of_nodes(), G.number_of_edges()
    (2, 1)
    >>> d = G.edges["g1", "g2", "i1"]
    >>> d["weight"], d["sign"], d["mutual"]
    (2, 1, True)
    """
    G = nx.MultiDiGraph(languages=list(cat.meta.languages))
    for goal in cat.goals:
        G.add_node(goal.id, kind="goal", goal=goal.id, title=goal.title, colour=goal.colour)
        for sub in goal.subgoals:
            G.add_node(sub.id, kind="subgoal", goal=goal.id, title=sub.title, colour=goal.colour)
    for x in cat.interactions:
        G.add_edge(
            x.from_,
            x.to,
            key=x.id,
            id=x.id,
            score=x.score,
            weight=abs(x.score),
            sign=(x.score > 0) - (x.score < 0),
            mutual=x.direction == "mutual",
            interaction=x,
        )
    return G


def edge_class(score: int) -> Literal["conflict", "synergy", "consistent"]:
    """The class of an interaction score: ``'conflict'`` (< 0), ``'synergy'`` (> 0) or ``'consistent'``.

    Examples
    --------
    >>> [edge_class(s) for s in (-3, 0, 1)]
    ['conflict', 'consistent', 'synergy']
    """
    return "conflict" if score < 0 else "synergy" if score > 0 else "consistent"


def incident_edges(G: nx.MultiDiGraph, node: str) -> list[tuple[str, str, str]]:
    """The ``(u, v, key)`` edges that touch ``node``, in graph edge order.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="i1")
    'i1'
    >>> G.add_edge("c", "a", key="i2")
    'i2'
    >>> incident_edges(G, "a")
    [('a', 'b', 'i1'), ('c', 'a', 'i2')]
    """
    return [(u, v, k) for u, v, k in G.edges(keys=True) if node in (u, v)]


def _neighbourhood(nodes: list[str], edges: Iterable[tuple[str, str]], source: str, radius: int):
    """Nodes within ``radius`` hops of ``source``, ignoring direction (breadth first)."""
    adjacency: dict[str, set[str]] = {n: set() for n in nodes}
    for u, v in edges:
        adjacency[u].add(v)
        adjacency[v].add(u)
    seen = {source}
    frontier = [source]
    for _ in range(radius):
        nxt = []
        for n in frontier:
            for m in adjacency.get(n, ()):
                if m not in seen:
                    seen.add(m)
                    nxt.append(m)
        frontier = nxt
    return seen


def filter_graph(
    G: nx.MultiDiGraph,
    *,
    goals: Collection[str] | None = None,
    sign: Sign | None = None,
    min_strength: int = 0,
    actors: Collection[str] | None = None,
    focus: str | None = None,
    radius: int = 1,
) -> nx.MultiDiGraph:
    """A filtered copy of an interaction graph.

    The filters combine (logical and):

    1. ``goals``: keep the nodes whose goal is in ``goals`` (goals and their sub-goals).
    2. ``sign``, ``min_strength``, ``actors``: keep the edges among those nodes whose class is
       ``sign`` (``'conflict'``: score < 0, ``'synergy'``: score > 0; ``None``: any), whose
       ``abs(score) >= min_strength``, and which concern at least one of ``actors``.
       Edge filters do not remove nodes by themselves: a goal without a matching interaction
       stays visible.
    3. ``focus``: keep only the nodes within ``radius`` hops of ``focus``, following the edges
       kept in step 2 in either direction (Kumu's "focus by degrees"), and the edges among them.
       The focus node itself is always kept.

    Finally, in every case, the goal of every kept sub-goal is kept too (a cluster never loses
    its centre), and every endpoint of a kept edge is kept. Node and edge order follow ``G``, so
    the result is deterministic.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from :func:`build_graph`.
    goals : collection of str, optional
        Goal ids to keep (with their sub-goals). ``None`` keeps all.
    sign : {'conflict', 'synergy'}, optional
        Keep only conflicts or only synergies. ``None`` keeps all, including consistent (0) ones.
    min_strength : int, default 0
        Keep edges with ``abs(score) >= min_strength``.
    actors : collection of str, optional
        Keep edges whose interaction lists at least one of these actor ids. ``None`` keeps all.
    focus : str, optional
        A node id; keep only its neighbourhood.
    radius : int, default 1
        Number of hops for ``focus``.

    Returns
    -------
    H : networkx.MultiDiGraph
        A new graph (node and edge attribute dicts are shallow copies).

    Raises
    ------
    networkx.NodeNotFound
        If ``focus`` is not a node of ``G``.
    ValueError
        If ``sign`` is not one of the allowed values or ``radius`` is negative.

    Examples
    --------
    >>> from conflicts.catalogue import parse_catalogue
    >>> cat = parse_catalogue('''
    ... meta: {title: Demo, languages: [en]}
    ... goals:
    ...   - {id: g1, title: Growth, colour: "#0072B2", subgoals: [{id: s1, title: Jobs}]}
    ...   - {id: g2, title: Climate, colour: "#009E73"}
    ...   - {id: g3, title: Health, colour: "#CC79A7"}
    ... interactions:
    ...   - {id: i1, from: s1, to: g2, score: -2, title: Jobs vs climate}
    ...   - {id: i2, from: g2, to: g3, score: 3, title: Clean air}
    ... ''')
    >>> G = build_graph(cat)
    >>> H = filter_graph(G, sign="conflict")
    >>> list(H.nodes), list(H.edges(keys=True))
    (['g1', 's1', 'g2', 'g3'], [('s1', 'g2', 'i1')])
    >>> H = filter_graph(G, focus="s1")
    >>> list(H.nodes)
    ['g1', 's1', 'g2']
    """
    if sign not in (None, "conflict", "synergy"):
        raise ValueError(f"sign must be 'conflict', 'synergy' or None, not {sign!r}")
    if radius < 0:
        raise ValueError(f"radius must be >= 0, not {radius!r}")
    if focus is not None and focus not in G:
        raise nx.NodeNotFound(f"focus node {focus!r} is not in the graph")

    goal_set = None if goals is None else set(goals)
    actor_set = None if actors is None else set(actors)
    nodes = [n for n, d in G.nodes(data=True) if goal_set is None or d.get("goal") in goal_set]
    node_set = set(nodes)

    def keep_edge(u: str, v: str, d: dict) -> bool:
        if u not in node_set or v not in node_set:
            return False
        score = d.get("score", 0)
        if sign == "conflict" and score >= 0:
            return False
        if sign == "synergy" and score <= 0:
            return False
        if abs(score) < min_strength:
            return False
        if actor_set is not None:
            # An aggregated edge (matrix.goal_network) lists its interactions' actors itself.
            x = d.get("interaction")
            concerned = x.actors if x is not None else d.get("actors", ())
            if not actor_set.intersection(concerned):
                return False
        return True

    edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if keep_edge(u, v, d)]

    if focus is not None:
        if focus not in node_set:
            nodes.append(focus)
        near = _neighbourhood(nodes, ((u, v) for u, v, _, _ in edges), focus, radius)
        edges = [e for e in edges if e[0] in near and e[1] in near]
        node_set = near
    # The closure: endpoints of kept edges, and the goals of kept sub-goals.
    keep = set(node_set)
    for u, v, _, _ in edges:
        keep.update((u, v))
    keep.update(G.nodes[n].get("goal", n) for n in list(keep))
    keep.discard(None)

    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, dict(d)) for n, d in G.nodes(data=True) if n in keep)
    H.add_edges_from((u, v, k, dict(d)) for u, v, k, d in edges)
    return H
