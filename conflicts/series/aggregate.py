"""The regional aggregate of a series: every room's results lined up per conflict (pure functions).

Input: one :class:`~conflicts.reports.results.WorkshopResults` per room (from its snapshot, or for
the projector from its public tally). Per conflict (interaction id):

- each room's **value** beside its ballot count and consensus: the mean for 'rating' and 'score',
  the points per participant (``priority / participants``) for 'dots' and 'ranking', so a room of
  40 and a room of 10 give comparable numbers;
- the **regional aggregate** of the rooms that voted on it: the weighted mean of their values, each
  room weighted equally (``weighting='equal'``, the default) or by its participants
  (``'participants'``); a room without ballots on a conflict is left out of that conflict;
  ``consensus`` is the same weighted mean of the rooms' consensus;
- the **spread** between rooms: the population standard deviation of the rooms' values divided by
  the width of the scale (0 = the rooms agree, 0.5 = two rooms at opposite ends);
- the room that **departs** most: the one farthest from the mean of the OTHER rooms (three rooms
  or more), in scale widths.

Rooms that vote with different methods (or scales: a dot budget of 5 vs 10) are put in separate
groups: a mean rating of 4 and 3 dots per person are not the same unit, and turning one into the
other would invent a rate of exchange nobody voted on. The groups are shown side by side; the
**primary** group (the most rooms; ties: the first room's) gives the regional ranking.

Examples
--------
>>> from conflicts.reports.results import ResultRow, WorkshopResults
>>> def room(code, n, mean):
...     row = ResultRow(1, "i1", 1, "Growth vs climate", "g1", "g2", "", "", "catalogue",
...                     "closed", n, ballots=n, mean=mean, consensus=0.5, priority=mean, rank=1)
...     return WorkshopResults(code, code, "demo", "", None, None, "open", "rating", (1, 5), n,
...                            None, "en", rows=[row])
>>> rooms = [room("A", 10, 4.0), room("B", 30, 2.0)]
>>> aggregate(rooms).conflicts[0].aggregate.value
3.0
>>> aggregate(rooms, weighting="participants").conflicts[0].aggregate.value
2.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conflicts.reports.results import ResultRow, WorkshopResults

__all__ = [
    "ConflictAggregate",
    "GroupAggregate",
    "RoomCell",
    "SeriesResults",
    "aggregate",
    "merge_proposals",
]

WEIGHTINGS = ("equal", "participants")


@dataclass(frozen=True)
class RoomCell:
    """One room's numbers on one conflict (``value`` None: no ballots there)."""

    code: str
    title: str
    method: str
    scale: tuple[int, int]
    participants: int
    ballots: int
    skips: int
    mean: float | None
    consensus: float | None
    priority: float | None
    rank: int | None
    value: float | None
    weight: float


@dataclass(frozen=True)
class GroupAggregate:
    """The aggregate of the rooms of one voting method (and scale) on one conflict."""

    method: str
    scale: tuple[int, int]
    rooms: tuple[str, ...]  # codes of the rooms in this group that voted on the conflict
    ballots: int
    value: float | None
    consensus: float | None
    spread: float | None  # population stdev of the room values / scale width
    outlier: str | None  # the room farthest from the others (three rooms or more)
    departure: float | None  # its distance from the others' mean, in scale widths
    rank: int | None = None  # regional rank within the method group

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "scale": list(self.scale),
            "rooms": list(self.rooms),
            "ballots": self.ballots,
            "value": _r(self.value),
            "consensus": _r(self.consensus),
            "spread": _r(self.spread),
            "outlier": self.outlier,
            "departure": _r(self.departure),
            "rank": self.rank,
        }


@dataclass(frozen=True)
class ConflictAggregate:
    """One conflict across the rooms: each room's cell, the aggregate per method group (the
    primary group's as ``aggregate``), and who was there compared with who it needs."""

    interaction_id: str
    title: str
    from_node: str | None
    to_node: str | None
    rooms: tuple[RoomCell, ...]
    groups: tuple[GroupAggregate, ...]
    aggregate: GroupAggregate | None
    needed_levels: tuple[str, ...] = ()
    needed_actor_types: tuple[str, ...] = ()
    levels_present: dict[str, int] = field(default_factory=dict, hash=False)
    actor_types_present: dict[str, int] = field(default_factory=dict, hash=False)

    @property
    def missing_levels(self) -> tuple[str, ...]:
        """Needed decision levels that no room had."""
        return tuple(lv for lv in self.needed_levels if not self.levels_present.get(lv))

    @property
    def missing_actor_types(self) -> tuple[str, ...]:
        """Needed actor types that no room had."""
        return tuple(t for t in self.needed_actor_types if not self.actor_types_present.get(t))


@dataclass(frozen=True)
class SeriesResults:
    """The regional results: conflicts by the primary group's ranking (unranked last)."""

    weighting: str
    rooms: tuple[WorkshopResults, ...]
    primary_method: tuple[str, tuple[int, int]] | None
    conflicts: tuple[ConflictAggregate, ...]
    departing_room: str | None  # the room that departs most from the rest, over all conflicts
    departing_score: float | None
    outcomes_by_level: dict[str, list[dict]] = field(default_factory=dict, hash=False)
    proposals: list[dict] = field(default_factory=list, hash=False)

    @property
    def mixed_methods(self) -> bool:
        """True when the rooms vote with more than one method or scale (not averaged)."""
        return len({(r.method, r.scale) for r in self.rooms}) > 1

    @property
    def disagreements(self) -> list[ConflictAggregate]:
        """Conflicts with a spread, the rooms most apart first."""
        spread = [c for c in self.conflicts if c.aggregate and c.aggregate.spread is not None]
        return sorted(spread, key=lambda c: -(c.aggregate.spread or 0.0))


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _width(method: str, scale: tuple[int, int]) -> float:
    """The width of the values' range: points per participant run from 0 to the scale's top."""
    lo, hi = scale
    width = hi if method in ("dots", "ranking") else hi - lo
    return float(width) if width > 0 else 1.0


def _value(room: WorkshopResults, row: ResultRow) -> float | None:
    if not row.ballots:
        return None
    if room.method in ("dots", "ranking"):
        if row.priority is None or not room.participants:
            return None
        return row.priority / room.participants
    return row.mean


def _cell(room: WorkshopResults, row: ResultRow | None, weighting: str) -> RoomCell:
    value = _value(room, row) if row is not None else None
    weight = 0.0
    if value is not None:
        weight = 1.0 if weighting == "equal" else float(room.participants)
    return RoomCell(
        code=room.code,
        title=room.title,
        method=room.method,
        scale=room.scale,
        participants=room.participants,
        ballots=row.ballots if row else 0,
        skips=row.skips if row else 0,
        mean=row.mean if row else None,
        consensus=row.consensus if row else None,
        priority=row.priority if row else None,
        rank=row.rank if row else None,
        value=value,
        weight=weight,
    )


def _weighted(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    pairs = [(v, w) for v, w in pairs if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None


def _departure(cells: Sequence[RoomCell], width: float) -> tuple[str | None, float | None]:
    """The room farthest from the unweighted mean of the others (None below three rooms)."""
    if len(cells) < 3:
        return None, None
    best: tuple[str | None, float] = (None, -1.0)
    for c in cells:
        others = [o.value for o in cells if o is not c]
        d = abs(c.value - sum(others) / len(others)) / width
        if d > best[1] + 1e-12:
            best = (c.code, d)
    return best[0], best[1]


def _group(method: str, scale: tuple[int, int], cells: Sequence[RoomCell]) -> GroupAggregate:
    voted = [c for c in cells if c.value is not None and c.weight > 0]
    width = _width(method, scale)
    spread = None
    if len(voted) >= 2:
        mu = sum(c.value for c in voted) / len(voted)
        spread = math.sqrt(sum((c.value - mu) ** 2 for c in voted) / len(voted)) / width
    outlier, departure = _departure(voted, width)
    return GroupAggregate(
        method=method,
        scale=scale,
        rooms=tuple(c.code for c in voted),
        ballots=sum(c.ballots for c in cells),
        value=_weighted((c.value, c.weight) for c in voted),
        consensus=_weighted((c.consensus, c.weight) for c in voted),
        spread=spread,
        outlier=outlier,
        departure=departure,
    )


def _ranked(groups: list[list[GroupAggregate]]) -> list[list[GroupAggregate]]:
    """Give each conflict's group aggregate its regional rank within its method group (higher
    value first; 'score': the most negative first, as the rooms rank it)."""
    keyed: dict[tuple, list[tuple[int, int, GroupAggregate]]] = {}
    for ci, gs in enumerate(groups):
        for gi, g in enumerate(gs):
            if g.value is not None:
                keyed.setdefault((g.method, g.scale), []).append((ci, gi, g))
    out = [list(gs) for gs in groups]
    for (method, _), entries in keyed.items():
        sign = 1.0 if method == "score" else -1.0
        entries.sort(key=lambda e: (sign * e[2].value, e[0]))
        for rank, (ci, gi, g) in enumerate(entries, start=1):
            out[ci][gi] = GroupAggregate(**{**g.__dict__, "rank": rank})
    return out


def _representation(rows: Sequence[ResultRow]) -> dict[str, Any]:
    levels: dict[str, int] = {}
    types: dict[str, int] = {}
    needed_levels: tuple[str, ...] = ()
    needed_types: tuple[str, ...] = ()
    for row in rows:
        rep = row.representation
        if rep is None:
            continue
        needed_levels = needed_levels or rep.needed_levels
        needed_types = needed_types or rep.needed_actor_types
        for k, n in rep.levels_present.items():
            levels[k] = levels.get(k, 0) + n
        for k, n in rep.actor_types_present.items():
            types[k] = types.get(k, 0) + n
    return {
        "needed_levels": needed_levels,
        "needed_actor_types": needed_types,
        "levels_present": levels,
        "actor_types_present": types,
    }


def _conflict(
    iid: str, rooms: Sequence[WorkshopResults], weighting: str, order: list[tuple[str, tuple]]
) -> tuple[ConflictAggregate, list[GroupAggregate]]:
    rows = [next((r for r in room.rows if r.interaction_id == iid), None) for room in rooms]
    cells = tuple(_cell(room, row, weighting) for room, row in zip(rooms, rows, strict=True))
    groups = [_group(m, s, [c for c in cells if (c.method, c.scale) == (m, s)]) for m, s in order]
    first = next(r for r in rows if r is not None)
    conflict = ConflictAggregate(
        interaction_id=iid,
        title=first.title,
        from_node=first.from_node,
        to_node=first.to_node,
        rooms=cells,
        groups=(),
        aggregate=None,
        **_representation([r for r in rows if r is not None]),
    )
    return conflict, groups


def _method_order(rooms: Sequence[WorkshopResults]) -> list[tuple[str, tuple[int, int]]]:
    """The rooms' (method, scale) groups, the primary (most rooms; ties: first room's) first."""
    keys = list(dict.fromkeys((r.method, r.scale) for r in rooms))
    counts = {k: sum(1 for r in rooms if (r.method, r.scale) == k) for k in keys}
    return sorted(keys, key=lambda k: (-counts[k], keys.index(k)))


def _departing(conflicts: Sequence[ConflictAggregate]) -> tuple[str | None, float | None]:
    """The room whose values depart most from the other rooms', on average over the conflicts
    where it has a value beside at least two others (primary group only)."""
    totals: dict[str, list[float]] = {}
    for c in conflicts:
        g = c.aggregate
        if g is None or len(g.rooms) < 3:
            continue
        cells = [x for x in c.rooms if x.code in g.rooms]
        width = _width(g.method, g.scale)
        for x in cells:
            others = [o.value for o in cells if o is not x]
            totals.setdefault(x.code, []).append(abs(x.value - sum(others) / len(others)) / width)
    if not totals:
        return None, None
    means = {code: sum(v) / len(v) for code, v in totals.items()}
    code = max(means, key=lambda k: (means[k], -list(means).index(k)))
    return code, means[code]


def _outcomes_by_level(rooms: Sequence[WorkshopResults]) -> dict[str, list[dict]]:
    """Every room's outcomes, owners and next steps, under each decision level the conflict
    names (``''``: the catalogue names none): who in the region must act."""
    out: dict[str, list[dict]] = {}
    for room in rooms:
        for row in room.rows:
            o = row.outcome
            if o is None or not (o.outcome or o.owner or o.next_step or o.summary):
                continue
            entry = {
                "room": room.code,
                "interaction_id": row.interaction_id,
                "title": row.title,
                "outcome": o.outcome,
                "owner": o.owner,
                "next_step": o.next_step,
                "due_date": o.due_date.isoformat() if o.due_date else None,
            }
            levels = row.representation.needed_levels if row.representation else ()
            for level in levels or ("",):
                out.setdefault(level, []).append(entry)
    return out


def _proposal_key(p: Mapping[str, Any]) -> tuple:
    if p.get("from") and p.get("to"):
        return ("edge", p["from"], p["to"])
    return ("title", " ".join(str(p.get("title") or "").casefold().split()))


def merge_proposals(by_room: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[dict]:
    """Proposals of every room, duplicates merged: the same pair of goals (``from``/``to``), or
    without a pair the same title (case and spacing ignored). Declined and merged-away proposals
    are left out. Most rooms first.

    >>> merge_proposals({"A": [{"title": "Noise", "from": "g1", "to": "g2", "status": "pending"}],
    ...                  "B": [{"title": "noise ", "from": "g1", "to": "g2", "status": "accepted"},
    ...                        {"title": "Water", "status": "declined"}]})
    [{'title': 'Noise', 'from': 'g1', 'to': 'g2', 'rooms': ['A', 'B'], 'count': 2, 'texts': []}]
    """
    merged: dict[tuple, dict] = {}
    for code, proposals in by_room.items():
        for p in proposals:
            if p.get("status") in ("declined", "merged"):
                continue
            entry = merged.setdefault(
                _proposal_key(p),
                {
                    "title": p.get("title") or "",
                    "from": p.get("from"),
                    "to": p.get("to"),
                    "rooms": [],
                    "count": 0,
                    "texts": [],
                },
            )
            entry["count"] += 1
            if code not in entry["rooms"]:
                entry["rooms"].append(code)
            text = (p.get("text") or "").strip()
            if text and text not in entry["texts"]:
                entry["texts"].append(text)
    return sorted(merged.values(), key=lambda e: (-len(e["rooms"]), -e["count"]))


def _rank(c: ConflictAggregate) -> int:
    return (c.aggregate.rank if c.aggregate else None) or 0


def aggregate(
    rooms: Sequence[WorkshopResults],
    *,
    weighting: str = "equal",
    proposals: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
) -> SeriesResults:
    """The regional results of ``rooms`` (see the module docstring).

    Parameters
    ----------
    rooms : sequence of WorkshopResults
        One per room, in the series' order.
    weighting : {'equal', 'participants'}
        How rooms weigh in the aggregate.
    proposals : mapping, optional
        Room code -> its proposals (the export's ``proposals``); default each room's accepted
        proposals (``WorkshopResults.proposals``).

    Returns
    -------
    SeriesResults
    """
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}")
    order = _method_order(rooms)
    ids = list(dict.fromkeys(r.interaction_id for room in rooms for r in room.rows))
    built = [_conflict(iid, rooms, weighting, order) for iid in ids]
    groups = _ranked([g for _, g in built])
    conflicts = [
        ConflictAggregate(**{**c.__dict__, "groups": tuple(gs), "aggregate": gs[0] if gs else None})
        for (c, _), gs in zip(built, groups, strict=True)
    ]
    conflicts.sort(key=lambda c: (c.aggregate is None or c.aggregate.rank is None, _rank(c)))
    departing, score = _departing(conflicts)
    if proposals is None:
        proposals = {room.code: room.proposals for room in rooms}
    return SeriesResults(
        weighting=weighting,
        rooms=tuple(rooms),
        primary_method=order[0] if order else None,
        conflicts=tuple(conflicts),
        departing_room=departing,
        departing_score=score,
        outcomes_by_level=_outcomes_by_level(rooms),
        proposals=merge_proposals(proposals),
    )
