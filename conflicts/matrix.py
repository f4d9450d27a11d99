"""The cross-impact matrix of a catalogue: pure data for the matrix view (no plotly, no streamlit).

Rows act on columns: cell ``[i][j]`` holds the interactions in which row node ``i`` acts on
column node ``j`` (a mutual interaction acts both ways). At the ``"goal"`` level the interactions
of a goal's sub-goals count for the goal, and a cell with several interactions shows their mean.
A cell with no interaction is ``None`` ("not scored"), which is distinct from a scored 0
("consistent"). Rows and columns are in the same order: by influence (the row sum of the cells'
scores, highest first), ties in catalogue order, or in catalogue order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from conflicts.catalogue import Catalogue

__all__ = ["Cell", "Matrix", "cell_id", "cross_impact_matrix", "goal_network", "parse_cell_id"]

Level = Literal["goal", "subgoal"]


@dataclass(frozen=True)
class Cell:
    """The interactions in which the row node acts on the column node."""

    score: float  # the mean of the scores (the score itself when there is one interaction)
    interactions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len(self.interactions)


@dataclass(frozen=True)
class Matrix:
    """A square cross-impact matrix; ``cells[i][j]`` is None when not scored."""

    nodes: tuple[str, ...]
    cells: tuple[tuple[Cell | None, ...], ...]

    def influence(self, node: str) -> float:
        """Row sum of the scores: how the node acts on the others."""
        i = self.nodes.index(node)
        return sum(c.score for c in self.cells[i] if c is not None)

    def cell(self, row: str, col: str) -> Cell | None:
        """The cell where ``row`` acts on ``col`` (None when not scored)."""
        return self.cells[self.nodes.index(row)][self.nodes.index(col)]

    def influenced_by(self, node: str) -> float:
        """Column sum of the scores: how the others act on the node."""
        j = self.nodes.index(node)
        return sum(row[j].score for row in self.cells if row[j] is not None)


def cross_impact_matrix(
    cat: Catalogue,
    level: Level = "goal",
    nodes: list[str] | None = None,
    sort: Literal["influence", "catalogue"] = "influence",
) -> Matrix:
    """The cross-impact matrix of ``cat`` at ``level``, optionally restricted to ``nodes``.

    Parameters
    ----------
    cat : Catalogue
    level : {'goal', 'subgoal'}
        Goals on both axes (sub-goal interactions count for their goal), or goals and sub-goals
        as they appear in the interactions (each node by its own id).
    nodes : list of str, optional
        Only these node ids (in the level's terms), e.g. the targets of two SDGs.
    sort : {'influence', 'catalogue'}

    Examples
    --------
    >>> from conflicts.catalogue import bundled_catalogues, load_catalogue
    >>> cat = load_catalogue(bundled_catalogues()["stockholm"])
    >>> m = cross_impact_matrix(cat, "goal", sort="catalogue")
    >>> m.nodes
    ('g1', 'g2', 'g3', 'g4')
    >>> m.cells[0][0] is None or m.cells[0][0].count > 0
    True
    """
    if level == "goal":
        to_node = cat.goal_of
        order = [g.id for g in cat.goals]
    else:
        to_node = {n: n for n in cat.nodes}
        order = list(cat.nodes)
    wanted = order if nodes is None else [n for n in order if n in set(nodes)]
    index = {n: i for i, n in enumerate(wanted)}
    scores: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for x in cat.interactions:
        a, b = to_node.get(x.from_), to_node.get(x.to)
        pairs = [(a, b)] + ([(b, a)] if x.direction == "mutual" else [])
        for u, v in pairs:
            if u in index and v in index:
                scores.setdefault((index[u], index[v]), []).append((x.score, x.id))
    cells = [[None] * len(wanted) for _ in wanted]
    for (i, j), items in scores.items():
        cells[i][j] = Cell(sum(s for s, _ in items) / len(items), tuple(k for _, k in items))
    matrix = Matrix(tuple(wanted), tuple(tuple(r) for r in cells))
    if sort == "catalogue":
        return matrix
    ranked = sorted(range(len(wanted)), key=lambda i: (-matrix.influence(wanted[i]), i))
    return Matrix(
        tuple(wanted[i] for i in ranked),
        tuple(tuple(cells[i][j] for j in ranked) for i in ranked),
    )


def cell_id(level: Level, row: str, col: str) -> str:
    """A cell's id for selections: ``'goal:a>b'`` (catalogue ids never hold ``:`` or ``>``).

    Examples
    --------
    >>> cell_id("goal", "sdg1", "sdg2")
    'goal:sdg1>sdg2'
    >>> parse_cell_id("goal:sdg1>sdg2")
    ('goal', 'sdg1', 'sdg2')
    """
    return f"{level}:{row}>{col}"


def parse_cell_id(ident: str) -> tuple[Level, str, str]:
    """The ``(level, row, col)`` of a :func:`cell_id`; ValueError if it is not one."""
    level, _, pair = ident.partition(":")
    row, _, col = pair.partition(">")
    if level not in ("goal", "subgoal") or not row or not col:
        raise ValueError(f"not a matrix cell id: {ident!r}")
    return level, row, col  # type: ignore[return-value]


def goal_network(cat: Catalogue, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The goals of ``graph`` with one edge per scored goal-to-goal cell (SDG-sized maps).

    A cell of one interaction keeps that interaction's id as its key (a click opens it); a cell
    aggregating several is keyed by its :func:`cell_id` with ``select='cell'``, and its score is
    the mean rounded to the scale (the edge's title says how many and the exact mean). A goal's
    action on itself (between its own sub-goals) is left out: it is in the matrix's diagonal.

    Examples
    --------
    >>> from conflicts.catalogue import bundled_catalogues, load_catalogue
    >>> from conflicts.graph import build_graph
    >>> cat = load_catalogue(bundled_catalogues()["sdg"])
    >>> H = goal_network(cat, build_graph(cat))
    >>> H.number_of_nodes(), all(d["kind"] == "goal" for _, d in H.nodes(data=True))
    (17, True)
    """
    m = cross_impact_matrix(cat, "goal", sort="catalogue")
    H = nx.MultiDiGraph()
    H.add_nodes_from((g, graph.nodes[g]) for g in m.nodes if g in graph)
    for i, row in enumerate(m.nodes):
        for j, col in enumerate(m.nodes):
            cell = m.cells[i][j]
            if cell is None or i == j or row not in H or col not in H:
                continue
            score = max(-3, min(3, round(cell.score)))
            if cell.count == 1:
                (key,) = cell.interactions
                x = cat.interactions_by_id[key]
                H.add_edge(row, col, key=key, score=score, interaction=x, actors=x.actors)
            else:
                H.add_edge(
                    row,
                    col,
                    key=cell_id("goal", row, col),
                    score=score,
                    mean=cell.score,
                    count=cell.count,
                    select="cell",
                    actors=sorted(
                        {a for k in cell.interactions for a in cat.interactions_by_id[k].actors}
                    ),
                )
    return H
