"""Tests for conflicts.graph: building the interaction graph and filtering it."""

from pathlib import Path

import networkx as nx
import pytest

from conflicts.catalogue import Text, load_catalogue, parse_catalogue
from conflicts.graph import build_graph, edge_class, filter_graph, incident_edges

FIXTURES = Path(__file__).parent / "fixtures"

# tests/fixtures/small.yaml, in short (goals A, B, C with sub-goals a1 a2, b1 b2, c1 c2):
#   i1 A -> B -2 [kommun]        i5 c1 -> a1 -1
#   i2 B -> C +3 [region]        i6 b2 -> c2  0
#   i3 a1 <-> b1 -3 mutual [region]
#   i4 C -> a2 +1 [kommun]       i7 B -> A +2 [kommun, region]
ALL_NODES = ["A", "a1", "a2", "B", "b1", "b2", "C", "c1", "c2"]


@pytest.fixture(scope="module")
def cat():
    return load_catalogue(FIXTURES / "small.yaml")


@pytest.fixture(scope="module")
def G(cat):
    return build_graph(cat)


def keys(H):
    """The interaction ids of H's edges, sorted (NetworkX iterates edges by source node)."""
    return sorted(k for _, _, k in H.edges(keys=True))


def test_nodes_are_goals_and_subgoals_in_catalogue_order(G):
    assert isinstance(G, nx.MultiDiGraph)
    assert list(G.nodes) == ALL_NODES
    assert G.nodes["A"]["kind"] == "goal"
    assert G.nodes["a1"]["kind"] == "subgoal"
    assert G.nodes["a1"]["goal"] == "A"
    assert G.nodes["C"]["goal"] == "C"
    assert G.nodes["b2"]["colour"] == "#56B4E9"  # the colour of its goal B
    assert isinstance(G.nodes["c1"]["title"], Text)
    assert G.nodes["c1"]["title"].get("en") == "Lower emissions"
    assert G.graph["languages"] == ["sv", "en"]


def test_one_edge_per_interaction_keyed_by_id(G, cat):
    assert G.number_of_edges() == 7
    assert keys(G) == ["i1", "i2", "i3", "i4", "i5", "i6", "i7"]
    d = G.edges["A", "B", "i1"]
    assert (d["id"], d["score"], d["weight"], d["sign"], d["mutual"]) == ("i1", -2, 2, -1, False)
    assert d["interaction"] is cat.interactions_by_id["i1"]
    assert G.edges["b2", "c2", "i6"]["sign"] == 0
    assert G.edges["B", "C", "i2"]["sign"] == 1


def test_mutual_interaction_is_one_edge(G):
    assert G.edges["a1", "b1", "i3"]["mutual"] is True
    assert not G.has_edge("b1", "a1")
    assert G.number_of_edges("a1", "b1") == 1


def test_goal_to_subgoal_interaction_and_no_membership_edges(G):
    assert G.has_edge("C", "a2", "i4")
    # membership is an attribute, never an edge
    assert not G.has_edge("A", "a1") and not G.has_edge("a1", "A")
    assert not G.has_edge("C", "c1")


def test_opposite_interactions_are_two_edges(G):
    assert G.has_edge("A", "B", "i1") and G.has_edge("B", "A", "i7")


def test_edge_class_and_incident_edges(G):
    assert [edge_class(s) for s in (-1, 0, 3)] == ["conflict", "consistent", "synergy"]
    assert incident_edges(G, "a1") == [("a1", "b1", "i3"), ("c1", "a1", "i5")]


def test_filter_by_goals_keeps_their_nodes_and_edges_among_them(G):
    H = filter_graph(G, goals={"A", "B"})
    assert list(H.nodes) == ["A", "a1", "a2", "B", "b1", "b2"]
    assert keys(H) == ["i1", "i3", "i7"]


def test_filter_by_sign_keeps_all_nodes(G):
    H = filter_graph(G, sign="conflict")
    assert list(H.nodes) == ALL_NODES
    assert keys(H) == ["i1", "i3", "i5"]
    assert keys(filter_graph(G, sign="synergy")) == ["i2", "i4", "i7"]


def test_filter_by_strength_and_sign(G):
    assert keys(filter_graph(G, sign="synergy", min_strength=2)) == ["i2", "i7"]
    assert keys(filter_graph(G, min_strength=3)) == ["i2", "i3"]
    # min_strength=0 keeps the consistent (0) interaction
    assert "i6" in keys(filter_graph(G, min_strength=0))


def test_filter_by_actors(G):
    assert keys(filter_graph(G, actors={"kommun"})) == ["i1", "i4", "i7"]
    assert keys(filter_graph(G, actors={"region"}, sign="conflict")) == ["i3"]
    assert keys(filter_graph(G, actors=["nobody"])) == []


def test_focus_radius_one(G):
    # a1 touches i3 (b1) and i5 (c1); the goals A, B, C come along as cluster centres, but the
    # goal-to-goal interactions i1, i7 do not (A and B are not within one hop of a1).
    H = filter_graph(G, focus="a1")
    assert list(H.nodes) == ["A", "a1", "B", "b1", "C", "c1"]
    assert keys(H) == ["i3", "i5"]


def test_focus_grows_with_radius_ignoring_direction(G):
    assert keys(filter_graph(G, focus="A", radius=1)) == ["i1", "i7"]
    # B -> C is followed at two hops, C -> a2 at three
    assert keys(filter_graph(G, focus="A", radius=2)) == ["i1", "i2", "i7"]
    H = filter_graph(G, focus="A", radius=3)
    assert keys(H) == ["i1", "i2", "i4", "i7"]
    assert list(H.nodes) == ["A", "a2", "B", "C"]
    # incoming edges count: a2 reaches C against the direction of i4
    assert set(filter_graph(G, focus="a2").nodes) == {"A", "a2", "C"}


def test_focus_follows_only_the_kept_edges(G):
    # with conflicts only, A's neighbourhood is B (via i1); i7 and i2 are synergies
    H = filter_graph(G, focus="A", sign="conflict", radius=2)
    assert keys(H) == ["i1"]
    assert list(H.nodes) == ["A", "B"]


def test_focus_radius_zero_and_goal_closure(G):
    H = filter_graph(G, focus="c2", radius=0)
    assert list(H.nodes) == ["C", "c2"]
    assert keys(H) == []


def test_focus_errors(G):
    with pytest.raises(nx.NodeNotFound):
        filter_graph(G, focus="nope")
    with pytest.raises(ValueError):
        filter_graph(G, sign="conflicts")
    with pytest.raises(ValueError):
        filter_graph(G, focus="A", radius=-1)


def test_filter_is_a_deterministic_copy(G):
    H1 = filter_graph(G, sign="conflict", goals=["C", "A", "B"])
    H2 = filter_graph(G, goals=["B", "A", "C"], sign="conflict")
    assert list(H1.nodes(data=True)) == list(H2.nodes(data=True))
    assert list(H1.edges(keys=True, data=True)) == list(H2.edges(keys=True, data=True))
    H1.nodes["A"]["colour"] = "#000000"
    H1.remove_edge("A", "B", "i1")
    assert G.nodes["A"]["colour"] == "#E69F00"
    assert G.has_edge("A", "B", "i1")
    assert filter_graph(G).graph == G.graph
    assert list(filter_graph(G).edges(keys=True)) == list(G.edges(keys=True))


def test_interaction_between_subgoals_of_one_goal():
    cat = parse_catalogue(
        """
meta: {title: T, languages: [en]}
goals:
  - {id: g, title: G, colour: "#000000", subgoals: [{id: s1, title: S1}, {id: s2, title: S2}]}
interactions:
  - {id: x, from: s1, to: s2, score: 1, title: X}
""",
        "t.yaml",
    )
    G = build_graph(cat)
    assert list(G.edges(keys=True)) == [("s1", "s2", "x")]
    assert list(filter_graph(G, focus="s2").nodes) == ["g", "s1", "s2"]
