"""The room's cross-impact matrix from a matrix scoring session (pure: no database, no plotly).

In a matrix scoring session (:mod:`conflicts.workshops.matrix_session`) each participant scores
ordered pairs of goals or sub-goals on the Nilsson/ICSU scale −3..+3, answering "If progress is
made on A, how does that affect progress on B?". Per cell (A acts on B) the room's matrix holds:

``count``
    the scores given (skips are counted apart, in ``skips``);
``median``
    the median of the scores (the middle one, or the mean of the two middle ones);
``spread``
    the **interquartile range** Q3 − Q1 of the scores, quartiles by linear interpolation between
    the sorted scores (:func:`statistics.quantiles` with ``method='inclusive'``, the same as
    numpy's default and R's type 7); 0 for a single score. The full range (max − min) is kept
    too (``low``, ``high``);
``catalogue``
    the catalogue's score of the cell (:func:`conflicts.matrix.cross_impact_matrix`: the mean when
    several interactions fall in it), or None: **not scored** (never shown as 0).

**Discussion order** (:meth:`RoomMatrix.discussion`): cells with at least
:data:`MIN_DISCUSS` scores, by the larger of the room's disagreement (the spread) and its
departure from the catalogue (|median − catalogue score|, 0 when the catalogue has no score),
both in points of the scale; ties by more scores first, then the matrix order. Each cell says
which of the two put it there (``reason``).

Examples
--------
>>> m = room_matrix(["a", "b", "c"], [("a", "b", 3, False, None), ("a", "b", -3, False, "no"),
...                                   ("b", "a", 1, False, None), ("b", "a", 1, False, None)],
...                 catalogue={("b", "a"): -2.0})
>>> ab = m.cell("a", "b"); ab.count, ab.median, ab.spread, ab.rationales
(2, 0.0, 3.0, ('no',))
>>> ba = m.cell("b", "a"); ba.median, ba.spread, ba.departure
(1.0, 0.0, 3.0)
>>> [(c.from_node, c.to_node, c.reason) for c in m.discussion()]
[('a', 'b', 'disagreement'), ('b', 'a', 'departure')]
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "MIN_DISCUSS",
    "MIN_WRITEBACK",
    "PairCell",
    "RoomMatrix",
    "proposed_score",
    "quartiles",
    "room_matrix",
]

#: A cell needs this many scores to be in the discussion list (one score shows no disagreement).
MIN_DISCUSS = 2
#: A cell needs this many scores before its median is written back to the catalogue as a
#: proposed score (:mod:`conflicts.reports.writeback`): fewer is one or two people's view.
MIN_WRITEBACK = 3


def quartiles(values: Iterable[int | float]) -> tuple[float, float, float]:
    """``(Q1, median, Q3)`` of ``values`` (linear interpolation, see the module docstring).

    Examples
    --------
    >>> quartiles([1, 2, 3, 4])
    (1.75, 2.5, 3.25)
    >>> quartiles([-3, 3])
    (-1.5, 0.0, 1.5)
    >>> quartiles([2])
    (2.0, 2.0, 2.0)
    """
    xs = sorted(float(v) for v in values)
    if not xs:
        raise ValueError("no values")
    if len(xs) == 1:
        return xs[0], xs[0], xs[0]
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return q1, q2, q3


def proposed_score(median: float) -> int:
    """The room's median as a score of the scale: rounded to the nearest integer, a half
    toward 0 (the weaker claim), clamped to −3..+3.

    >>> [proposed_score(m) for m in (-2.5, -0.5, 0.5, 1.4, 2.5, 2.6)]
    [-2, 0, 0, 1, 2, 3]
    """
    sign = -1 if median < 0 else 1
    whole, frac = divmod(abs(median), 1)
    n = int(whole) + (1 if frac > 0.5 else 0)
    return max(-3, min(3, sign * n))


@dataclass(frozen=True)
class PairCell:
    """One cell of the room's matrix: how progress on ``from_node`` affects ``to_node``."""

    from_node: str
    to_node: str
    count: int = 0
    skips: int = 0
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    low: int | None = None
    high: int | None = None
    catalogue: float | None = None
    distribution: dict[int, int] = field(default_factory=dict, hash=False)
    rationales: tuple[str, ...] = ()

    @property
    def spread(self) -> float | None:
        """The interquartile range Q3 − Q1 (None without scores)."""
        return None if self.q1 is None or self.q3 is None else self.q3 - self.q1

    @property
    def range(self) -> int | None:
        """max − min of the scores (None without scores)."""
        return None if self.low is None or self.high is None else self.high - self.low

    @property
    def departure(self) -> float | None:
        """|median − catalogue score|; None without scores or without a catalogue score."""
        if self.median is None or self.catalogue is None:
            return None
        return abs(self.median - self.catalogue)

    @property
    def discussion_weight(self) -> float:
        """max(spread, departure), in points of the scale (0 without scores)."""
        return max(self.spread or 0.0, self.departure or 0.0)

    @property
    def reason(self) -> str:
        """'disagreement' or 'departure': which of the two makes :attr:`discussion_weight`."""
        return "departure" if (self.departure or 0.0) > (self.spread or 0.0) else "disagreement"


@dataclass(frozen=True)
class RoomMatrix:
    """The room's matrix over ``nodes`` (rows act on columns; the diagonal is not scored)."""

    nodes: tuple[str, ...]
    cells: dict[tuple[str, str], PairCell] = field(hash=False)
    participants: int = 0  # distinct participants who answered at least one pair

    @property
    def pairs(self) -> int:
        """The number of ordered pairs: n × (n − 1)."""
        return len(self.nodes) * (len(self.nodes) - 1)

    @property
    def answers(self) -> int:
        """Scores and skips given, over every cell."""
        return sum(c.count + c.skips for c in self.cells.values())

    @property
    def scored_cells(self) -> int:
        """Cells with at least one score."""
        return sum(1 for c in self.cells.values() if c.count)

    def cell(self, from_node: str, to_node: str) -> PairCell:
        return self.cells.get((from_node, to_node)) or PairCell(from_node, to_node)

    def ordered(self) -> list[PairCell]:
        """Every off-diagonal cell in matrix order (row by row)."""
        return [self.cell(a, b) for a in self.nodes for b in self.nodes if a != b]

    def discussion(self, limit: int | None = None) -> list[PairCell]:
        """The cells to discuss first (see the module docstring)."""
        order = {pair: n for n, pair in enumerate((c.from_node, c.to_node) for c in self.ordered())}
        cells = [c for c in self.ordered() if c.count >= MIN_DISCUSS]
        cells.sort(key=lambda c: (-c.discussion_weight, -c.count, order[(c.from_node, c.to_node)]))
        return cells if limit is None else cells[:limit]


def room_matrix(
    nodes: Iterable[str],
    answers: Iterable[tuple[str, str, int | None, bool, str | None]],
    *,
    catalogue: Mapping[tuple[str, str], float | None] | None = None,
    participants: int = 0,
) -> RoomMatrix:
    """The room's matrix from ``answers``: ``(from, to, value, skipped, rationale)`` per
    participant and pair. ``catalogue`` maps a pair to the catalogue's score (absent or None:
    not scored). Answers about pairs outside ``nodes`` are ignored."""
    node_list = tuple(nodes)
    known = set(node_list)
    catalogue = catalogue or {}
    values: dict[tuple[str, str], list[int]] = {}
    skips: dict[tuple[str, str], int] = {}
    notes: dict[tuple[str, str], list[str]] = {}
    for a, b, value, skipped, rationale in answers:
        if a not in known or b not in known or a == b:
            continue
        if skipped or value is None:
            skips[(a, b)] = skips.get((a, b), 0) + 1
        else:
            values.setdefault((a, b), []).append(int(value))
        if rationale and rationale.strip():
            notes.setdefault((a, b), []).append(rationale.strip())
    cells: dict[tuple[str, str], PairCell] = {}
    for a in node_list:
        for b in node_list:
            if a == b:
                continue
            xs = values.get((a, b), [])
            stats: dict = {}
            if xs:
                q1, q2, q3 = quartiles(xs)
                dist: dict[int, int] = {}
                for x in xs:
                    dist[x] = dist.get(x, 0) + 1
                stats = dict(median=q2, q1=q1, q3=q3, low=min(xs), high=max(xs), distribution=dist)
            cells[(a, b)] = PairCell(
                a,
                b,
                count=len(xs),
                skips=skips.get((a, b), 0),
                catalogue=catalogue.get((a, b)),
                rationales=tuple(notes.get((a, b), ())),
                **stats,
            )
    return RoomMatrix(node_list, cells, participants)
