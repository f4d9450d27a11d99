"""Tests for conflicts.metrics on the hand-checked fixture tests/fixtures/small.yaml.

The interactions, and the directions in which they act (a mutual one acts both ways):

    i1  A  -> B   -2          acting: A->B -2
    i2  B  -> C   +3                  B->C +3
    i3  a1 <-> b1 -3 mutual           a1->b1 -3, b1->a1 -3
    i4  C  -> a2  +1                  C->a2 +1
    i5  c1 -> a1  -1                  c1->a1 -1
    i6  b2 -> c2   0                  b2->c2 0
    i7  B  -> A   +2                  B->A +2

Per node (by hand):

    node  conflicts (strength)  synergies (strength)  out  in   net
    A     1 (2)  i1             1 (2)  i7             -2   +2    0
    B     1 (2)  i1             2 (5)  i2, i7         +5   -2   +3
    C     0                     2 (4)  i2, i4         +1   +3   +4
    a1    2 (4)  i3, i5         0                     -3   -4   -4   (in: i3 -3, i5 -1)
    a2    0                     1 (1)  i4              0   +1   +1
    b1    1 (3)  i3             0                     -3   -3   -3
    b2    0 (i6 is consistent)  0                      0    0    0
    c1    1 (1)  i5             0                     -1    0   -1
    c2    0                     0                      0    0    0

Second order, sum over n->k->m (m != n) of score(n,k) * score(k,m) / 3:

    A:  A->B (-2) then B->C (+3): -6/3 = -2;  B->A returns to A: left out.        => -2
    B:  B->C (+3) then C->a2 (+1): 3/3 = 1;   B->A (+2) then A->B: returns.       => +1
    C:  C->a2 (+1), a2 acts on nothing.                                           =>  0
    a1: a1->b1 (-3) then b1->a1: returns.                                         =>  0
    b1: b1->a1 (-3) then a1->b1: returns.                                         =>  0
    c1: c1->a1 (-1) then a1->b1 (-3): 3/3 = 1.                                    => +1
    b2: b2->c2 (0) => 0;  a2, c2: no out-edges => 0.
"""

from pathlib import Path

import networkx as nx
import pytest

from conflicts.catalogue import load_catalogue
from conflicts.graph import build_graph, filter_graph
from conflicts.metrics import (
    NodeMetrics,
    acting_edges,
    edge_summary,
    most_contested_nodes,
    node_metrics,
    strongest_interactions,
)

FIXTURES = Path(__file__).parent / "fixtures"

# node: (conflicts, conflict_strength, synergies, synergy_strength, out, in, second order, net)
EXPECTED = {
    "A": (1, 2, 1, 2, -2, 2, -2.0, 0),
    "B": (1, 2, 2, 5, 5, -2, 1.0, 3),
    "C": (0, 0, 2, 4, 1, 3, 0.0, 4),
    "a1": (2, 4, 0, 0, -3, -4, 0.0, -4),
    "a2": (0, 0, 1, 1, 0, 1, 0.0, 1),
    "b1": (1, 3, 0, 0, -3, -3, 0.0, -3),
    "b2": (0, 0, 0, 0, 0, 0, 0.0, 0),
    "c1": (1, 1, 0, 0, -1, 0, 1.0, -1),
    "c2": (0, 0, 0, 0, 0, 0, 0.0, 0),
}


@pytest.fixture(scope="module")
def G():
    return build_graph(load_catalogue(FIXTURES / "small.yaml"))


@pytest.fixture(scope="module")
def metrics(G):
    return node_metrics(G)


def test_every_node_has_metrics_in_graph_order(G, metrics):
    assert list(metrics) == list(G.nodes)
    assert all(isinstance(m, NodeMetrics) for m in metrics.values())


@pytest.mark.parametrize("node", list(EXPECTED))
def test_node_metrics_match_hand_computation(metrics, node):
    m = metrics[node]
    got = (
        m.conflicts,
        m.conflict_strength,
        m.synergies,
        m.synergy_strength,
        m.out_strength,
        m.in_strength,
        m.second_order_influence,
        m.net,
    )
    assert got == pytest.approx(EXPECTED[node])
    assert m.influence == m.out_strength


def test_metrics_are_frozen(metrics):
    with pytest.raises(AttributeError):
        metrics["A"].conflicts = 99


def test_acting_edges_mutual_acts_both_ways(G):
    acting = list(acting_edges(G))
    assert ("a1", "b1", -3) in acting and ("b1", "a1", -3) in acting
    assert len(acting) == 8  # 7 interactions, one of them mutual
    # in- and out-strength balance: every acting edge is counted once on each side
    m = node_metrics(G)
    assert sum(x.out_strength for x in m.values()) == sum(x.in_strength for x in m.values())


def test_second_order_with_non_unit_scores_and_parallel_paths():
    # s -(+3)-> k -(+3)-> m  and  s -(-2)-> k2 -(-3)-> m:  (9 + 6) / 3 = 5
    G = nx.MultiDiGraph()
    for u, v, key, s in [("s", "k", "e1", 3), ("k", "m", "e2", 3), ("s", "k2", "e3", -2)]:
        G.add_edge(u, v, key=key, score=s, mutual=False)
    G.add_edge("k2", "m", key="e4", score=-3, mutual=False)
    assert node_metrics(G)["s"].second_order_influence == pytest.approx(5.0)
    assert node_metrics(G)["k"].second_order_influence == 0


def test_most_contested_nodes(G, metrics):
    # by conflict strength: a1 4, b1 3, then A and B tie at 2 (id order: 'A' < 'B'), c1 1
    ranked = most_contested_nodes(G)
    assert [(n, m.conflict_strength) for n, m in ranked] == [
        ("a1", 4),
        ("b1", 3),
        ("A", 2),
        ("B", 2),
        ("c1", 1),
    ]
    assert [n for n, _ in most_contested_nodes(G, n=2, metrics=metrics)] == ["a1", "b1"]
    # nodes without conflicts are never listed
    assert [n for n, _ in most_contested_nodes(G, n=100)] == ["a1", "b1", "A", "B", "c1"]


def test_strongest_interactions(G):
    assert strongest_interactions(G) == [("a1", "b1", "i3"), ("A", "B", "i1"), ("c1", "a1", "i5")]
    assert strongest_interactions(G, sign="synergy", n=2) == [("B", "C", "i2"), ("B", "A", "i7")]
    # all: |3| i2, i3 (by id), |2| i1, i7, |1| i4, i5, |0| i6
    assert [k for _, _, k in strongest_interactions(G, sign=None, n=10)] == [
        "i2",
        "i3",
        "i1",
        "i7",
        "i4",
        "i5",
        "i6",
    ]
    with pytest.raises(ValueError):
        strongest_interactions(G, sign="conflicts")


def test_edge_summary(G):
    assert edge_summary(G) == {
        "interactions": 7,
        "conflicts": 3,  # i1, i3, i5
        "synergies": 3,  # i2, i4, i7
        "consistent": 1,  # i6
        "mutual": 1,  # i3
        "conflict_strength": 6,  # 2 + 3 + 1
        "synergy_strength": 6,  # 3 + 1 + 2
    }


def test_metrics_of_a_filtered_graph(G):
    # conflicts only: B keeps i1 (in -2) and loses i2, i7; its second order drops to 0
    m = node_metrics(filter_graph(G, sign="conflict"))
    assert (m["B"].conflicts, m["B"].synergies, m["B"].out_strength, m["B"].in_strength) == (
        1,
        0,
        0,
        -2,
    )
    assert m["A"].second_order_influence == 0  # A->B, but B acts on nothing
    assert m["c1"].second_order_influence == pytest.approx(1.0)  # c1->a1->b1 is all conflicts
    assert edge_summary(filter_graph(G, sign="synergy"))["conflicts"] == 0


def test_empty_graph():
    assert node_metrics(nx.MultiDiGraph()) == {}
    assert most_contested_nodes(nx.MultiDiGraph()) == []
    assert edge_summary(nx.MultiDiGraph())["interactions"] == 0


def test_two_step_influence_influenced_by_and_our_variant_reverses_the_order():
    # Four nodes, directed edges: A -1-> B, B -3-> A, C -2-> D, D -1-> A.
    # Cross-impact matrix A (row acts on column); out_strength: A 1, B 3, C 2, D 1.
    # Row sums of A² = sum_k A[n,k] * out_strength(k):
    #   A: A[A,B]*out(B) = 1*3 = 3      B: A[B,A]*out(A) = 3*1 = 3
    #   C: A[C,D]*out(D) = 2*1 = 2      D: A[D,A]*out(A) = 1*1 = 1
    # Our variant drops paths back to n and divides by 3:
    #   A: A->B->A returns -> 0          B: B->A->B returns -> 0
    #   C: C->D->A = 2*1/3 = 0.667       D: D->A->B = 1*1/3 = 0.333
    # Influenced by (column sums): A: 3 (from B) + 1 (from D) = 4; B: 1; C: 0; D: 2.
    import networkx as nx

    from conflicts.metrics import node_metrics

    G = nx.MultiDiGraph()
    for u, v, s in [("A", "B", 1), ("B", "A", 3), ("C", "D", 2), ("D", "A", 1)]:
        G.add_edge(u, v, key=f"{u}{v}", score=s, mutual=False)
    m = node_metrics(G)
    assert {n: m[n].two_step_influence for n in "ABCD"} == {"A": 3, "B": 3, "C": 2, "D": 1}
    assert {n: round(m[n].second_order_influence, 3) for n in "ABCD"} == {
        "A": 0.0,
        "B": 0.0,
        "C": 0.667,
        "D": 0.333,
    }
    assert {n: m[n].influenced_by for n in "ABCD"} == {"A": 4, "B": 1, "C": 0, "D": 2}
    # The order reverses: the plain sum puts A above C, our variant C above A.
    assert m["A"].two_step_influence > m["C"].two_step_influence
    assert m["C"].second_order_influence > m["A"].second_order_influence


def test_two_step_counts_mutual_edges_both_ways():
    # a <-(+2, mutual)-> b: A[a,b] = A[b,a] = 2; out_strength a = b = 2.
    # Row sum of A² for a: A[a,b]*out(b) = 4; our variant: the only path a->b->a returns -> 0.
    import networkx as nx

    from conflicts.metrics import node_metrics

    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="i1", score=2, mutual=True)
    m = node_metrics(G)["a"]
    assert (m.two_step_influence, m.second_order_influence, m.influenced_by) == (4, 0.0, 2)
