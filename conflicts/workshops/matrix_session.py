"""The matrix scoring session: participants score ordered pairs of goals on −3..+3.

The facilitator adds a session to the agenda (:func:`add_matrix_session`: 5-40 goals or
sub-goals of the workshop's catalogue) and steps to it like any item; while its voting is open
each phone is dealt pairs one at a time (:func:`deal`) and answers "If progress is made on A, how
does that affect progress on B?" with −3..+3 and an optional short rationale, or skips
(:func:`score_pair`). The room's matrix (:func:`get_room_matrix`) is
:func:`conflicts.room_matrix.room_matrix` over the session's answers.

**Dealing** (:func:`deal`): a session of n nodes has n(n−1) ordered pairs (1560 for 40). Each
participant is dealt at most ``pairs_per_participant`` pairs (default
:data:`PAIRS_PER_PARTICIPANT`), one at a time: the next one is, among the pairs this participant
has not answered, one with the fewest answers in the room so far; ties are broken by the
voter's place in a fixed shuffled order of the session's pairs (a hash of the voter picks where
the voter starts in it), so phones that ask at the same moment get different pairs and every pair
is reached before any gets a second round. Pairs just dealt count as answered in the process's
shared read until the next read (:func:`note_dealt`). The counts come from the process's shared read (one
grouped query per workshop, see :mod:`conflicts.api.state`); per phone only its own answers are
read (an index lookup). A participant may answer any pair of the session: the deal guides, it
does not restrict.

One answer per participant and pair (a unique constraint and an upsert): sending the same score
again stores it once; a different one replaces it. Checked and written in one transaction that
has committed when :func:`score_pair` returns.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import json
import random
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Connection, func, select

from conflicts.catalogue import Catalogue
from conflicts.matrix import cross_impact_matrix
from conflicts.room_matrix import RoomMatrix
from conflicts.room_matrix import room_matrix as _room_matrix
from conflicts.store import (
    PAIR_SCORE_MAX,
    PAIR_SCORE_MIN,
    Store,
    agenda_items,
    pair_scores,
    utcnow,
)
from conflicts.workshops._db import (
    _granted_row,
    _item_row,
    _items,
    _locked,
    _open_item,
    _participant_row,
    _renumber,
    _row_catalogue,
    _to_workshop,
    _touch,
    _upsert,
    _voting_context,
    _workshop_row,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import (
    InvalidBallot,
    InvalidSetting,
    InvalidValue,
    UnknownItem,
    ValueOutOfRange,
)
from conflicts.workshops.model import AgendaItem, Workshop, WorkshopRef, _code, normalise_code
from conflicts.workshops.text import _clean_text, _is_int

MATRIX_ID_PREFIX = "matrix-"
MATRIX_MIN_NODES = 5
MATRIX_MAX_NODES = 40
#: Pairs dealt to each participant by default (the facilitator may choose 1..100).
PAIRS_PER_PARTICIPANT = 12
MAX_PAIRS_PER_PARTICIPANT = 100
#: The longest rationale a participant may give with a pair score.
RATIONALE_MAX = 280


@dataclass(frozen=True)
class PairAnswer:
    """One participant's answer on one pair (``value`` None when skipped)."""

    item_id: int
    from_node: str
    to_node: str
    value: int | None
    skipped: bool
    rationale: str | None
    answered: int = 0  # (score_pair only) the voter's answers in the session, this one included
    quota: int = 0  # (score_pair only) the session's pairs per participant
    #: (score_pair only) every pair the voter has answered in the session, for :func:`deal`
    answered_pairs: tuple[tuple[str, str], ...] = field(default=(), hash=False)


def _check_session_nodes(cat: Catalogue, nodes: object) -> list[str]:
    if not isinstance(nodes, list | tuple):
        raise InvalidSetting("give a list of goal or sub-goal ids", code="matrix_nodes")
    chosen = list(dict.fromkeys(nodes))
    for node in chosen:
        if not isinstance(node, str) or node not in cat.nodes:
            raise InvalidValue(
                f"no goal or sub-goal {node!r}", code="unknown_node", field="nodes", node=str(node)
            )
    if not MATRIX_MIN_NODES <= len(chosen) <= MATRIX_MAX_NODES:
        raise InvalidSetting(
            f"choose {MATRIX_MIN_NODES}-{MATRIX_MAX_NODES} goals or sub-goals",
            code="matrix_nodes",
            min=MATRIX_MIN_NODES,
            max=MATRIX_MAX_NODES,
            n=len(chosen),
        )
    return chosen


def add_matrix_session(
    grant: FacilitatorGrant,
    nodes: list[str],
    *,
    pairs_per_participant: int = PAIRS_PER_PARTICIPANT,
    store: Store,
) -> AgendaItem:
    """Append a matrix scoring session over ``nodes`` (5-40 goal or sub-goal ids of the
    workshop's catalogue, duplicates dropped) to the agenda. Step to it and open its voting as
    for any item. Raises :class:`~conflicts.workshops.InvalidSetting` (codes ``matrix_nodes``,
    ``invalid_setting`` for ``pairs_per_participant`` outside 1..100),
    :class:`~conflicts.workshops.InvalidValue` (code ``unknown_node``)."""
    per = pairs_per_participant
    if not _is_int(per) or not 1 <= per <= MAX_PAIRS_PER_PARTICIPANT:
        raise InvalidSetting(
            f"pairs per participant must be 1-{MAX_PAIRS_PER_PARTICIPANT}",
            field="pairs_per_participant",
        )

    def fn(conn: Connection, row) -> AgendaItem:
        chosen = _check_session_nodes(_row_catalogue(conn, row), nodes)
        current = _items(conn, row["id"])
        taken = {i.interaction_id for i in current}
        n = sum(1 for i in current if i.is_matrix) + 1
        while f"{MATRIX_ID_PREFIX}{n}" in taken:
            n += 1
        last = max((i.position for i in current), default=0)
        new_id = conn.execute(
            agenda_items.insert().values(
                workshop_id=row["id"],
                position=last + 1,
                interaction_id=f"{MATRIX_ID_PREFIX}{n}",
                kind="matrix",
                nodes=json.dumps({"nodes": chosen, "per": per}),
            )
        ).inserted_primary_key[0]
        _renumber(conn, [*(i.id for i in current), new_id])
        return next(i for i in _items(conn, row["id"]) if i.id == new_id)

    return _locked(grant, store, fn)


def _matrix_item(conn: Connection, workshop_id: int, item_id: int, *, open_: bool):
    row = _item_row(conn, workshop_id, item_id)
    if row["kind"] != "matrix":
        raise InvalidBallot("this item is not a matrix session", code="wrong_method")
    return _open_item(conn, workshop_id, item_id) if open_ else row


def score_pair(
    workshop_code: str,
    voter_id: str,
    item_id: int,
    from_node: str,
    to_node: str,
    value: int | None = None,
    skip: bool = False,
    rationale: str | None = None,
    *,
    store: Store,
) -> PairAnswer:
    """Store the voter's answer on the pair (``from_node`` acts on ``to_node``) of a matrix
    session; returns it after the commit. ``value`` −3..+3, or ``skip=True`` without one;
    ``rationale`` at most 280 characters of one line (optional, also with a skip).

    Raises :class:`WorkshopNotFound`, :class:`WorkshopNotOpen`, :class:`UnknownItem`,
    :class:`VotingClosed`, :class:`NotJoined`, :class:`NotEntitled`, :class:`InvalidBallot`
    (codes ``wrong_method`` for an item that is not a matrix session, ``value_required``,
    ``invalid_ballot``), :class:`InvalidValue` (``unknown_node``: not a node of the session;
    ``self_loop``), :class:`ValueOutOfRange`, :class:`TextTooLong`, :class:`InvalidText`."""
    c = normalise_code(workshop_code)
    if skip and value is not None:
        raise InvalidBallot("a skipped pair has no value")
    if not skip and value is None:
        raise InvalidBallot("give a value or skip", code="value_required")
    if value is not None and not _is_int(value):
        raise InvalidBallot("the value must be an integer")
    if value is not None and not PAIR_SCORE_MIN <= value <= PAIR_SCORE_MAX:
        raise ValueOutOfRange(
            f"the value must be between {PAIR_SCORE_MIN} and {PAIR_SCORE_MAX}",
            min=PAIR_SCORE_MIN,
            max=PAIR_SCORE_MAX,
            value=value,
        )
    note = _clean_text(rationale, "rationale", RATIONALE_MAX)
    if not _is_int(item_id):
        raise UnknownItem(f"no agenda item {item_id!r}", item_id=item_id)

    def tx(conn: Connection) -> PairAnswer:
        w, p = _voting_context(conn, c, voter_id)
        item = _matrix_item(conn, w["id"], item_id, open_=True)
        nodes = _matrix_fields_of(item)
        for name, node in (("from_node", from_node), ("to_node", to_node)):
            if not isinstance(node, str) or node not in nodes:
                raise InvalidValue(
                    f"{node!r} is not in this matrix session",
                    code="unknown_node",
                    field=name,
                    node=str(node),
                )
        if from_node == to_node:
            raise InvalidValue(f"{from_node!r} cannot act on itself", code="self_loop")
        now = utcnow()
        values = {
            "workshop_id": w["id"],
            "item_id": item_id,
            "participant_id": p["id"],
            "from_node": from_node,
            "to_node": to_node,
            "value": None if skip else value,
            "skipped": bool(skip),
            "rationale": note,
            "created_at": now,
            "updated_at": now,
        }
        _upsert(
            conn,
            pair_scores,
            values,
            keys=["participant_id", "item_id", "from_node", "to_node"],
            update_={k: values[k] for k in ("value", "skipped", "rationale", "updated_at")},
        )
        _touch(conn, p["id"])
        answered = tuple(
            (a, b)
            for a, b in conn.execute(
                select(pair_scores.c.from_node, pair_scores.c.to_node).where(
                    pair_scores.c.participant_id == p["id"], pair_scores.c.item_id == item_id
                )
            )
        )
        quota = json.loads(item["nodes"]).get("per", 0) if item["nodes"] else 0
        return PairAnswer(
            item_id,
            from_node,
            to_node,
            values["value"],
            bool(skip),
            note,
            len(answered),
            quota,
            answered,
        )

    return store.write(tx)


def _matrix_fields_of(item_row) -> tuple[str, ...]:
    raw = item_row["nodes"]
    return tuple(json.loads(raw).get("nodes", ())) if raw else ()


def my_pair_answers(
    code: str, voter_id: str | None, item_id: int, *, store: Store
) -> dict[tuple[str, str], PairAnswer]:
    """The voter's answers in one session by pair (empty if they have not joined)."""
    c = normalise_code(code)

    def tx(conn: Connection) -> dict[tuple[str, str], PairAnswer]:
        w = _workshop_row(conn, c)
        p = _participant_row(conn, w["id"], voter_id) if voter_id else None
        if p is None:
            return {}
        rows = conn.execute(
            select(pair_scores).where(
                pair_scores.c.participant_id == p["id"], pair_scores.c.item_id == item_id
            )
        ).mappings()
        return {
            (r["from_node"], r["to_node"]): PairAnswer(
                r["item_id"], r["from_node"], r["to_node"], r["value"], r["skipped"], r["rationale"]
            )
            for r in rows
        }

    return store.read(tx)


def pair_counts(ref: WorkshopRef, item_id: int, *, store: Store) -> dict[tuple[str, str], int]:
    """Answers (scores and skips) per pair of one session: one grouped query on the session's
    index. What :func:`deal` balances on; the API reads it once per workshop per process."""
    c = _code(ref)

    def tx(conn: Connection) -> dict[tuple[str, str], int]:
        w = _workshop_row(conn, c)
        return _counts(conn, w["id"], item_id)

    return store.read(tx)


def _counts(conn: Connection, workshop_id: int, item_id: int) -> dict[tuple[str, str], int]:
    q = (
        select(pair_scores.c.from_node, pair_scores.c.to_node, func.count())
        .where(pair_scores.c.item_id == item_id, pair_scores.c.workshop_id == workshop_id)
        .group_by(pair_scores.c.from_node, pair_scores.c.to_node)
    )
    return {(a, b): n for a, b, n in conn.execute(q)}


@lru_cache(maxsize=64)
def _pair_order(item_id: int, nodes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The session's ordered pairs in a fixed shuffled order (the same in every process)."""
    pairs = [(a, b) for a in nodes for b in nodes if a != b]
    random.Random(f"matrix-{item_id}").shuffle(pairs)
    return tuple(pairs)


def _start(voter_id: str, size: int) -> int:
    """Where ``voter_id`` starts in the session's pair order (a hash: stable, spread)."""
    digest = hashlib.blake2b(voter_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % size


def deal(
    item: AgendaItem,
    voter_id: str,
    mine: Iterable[tuple[str, str]],
    counts: Mapping[tuple[str, str], int],
    *,
    n: int = 1,
) -> list[tuple[str, str]]:
    """The next ``n`` pairs for this voter (pure; see the module docstring): none once they
    have answered ``item.pairs_per_participant`` pairs or every pair.

    >>> item = AgendaItem(1, 1, "matrix-1", "open", kind="matrix", nodes=("a", "b", "c"),
    ...                   pairs_per_participant=2)
    >>> deal(item, "v", [], {("a", "b"): 0, ("a", "c"): 1, ("b", "a"): 1, ("b", "c"): 1,
    ...                      ("c", "a"): 1, ("c", "b"): 1})
    [('a', 'b')]
    >>> deal(item, "v", [("a", "b"), ("c", "a")], {})
    []
    """
    answered = set(mine)
    left = max(0, item.pairs_per_participant - len(answered))
    order = _pair_order(item.id, tuple(item.nodes))
    if not order or not left:
        return []
    at = _start(voter_id, len(order))
    # One pass, no sort: a phone asks for its next pair on every answer (1,560 pairs of 40 nodes).
    rotated = (p for p in itertools.chain(order[at:], order[:at]) if p not in answered)
    return heapq.nsmallest(min(n, left), rotated, key=lambda pair: counts.get(pair, 0))


def note_dealt(
    counts: MutableMapping[tuple[str, str], int], pairs: Iterable[tuple[str, str]]
) -> None:
    """Count ``pairs``, just dealt, as answered in ``counts``: a process's shared read of the
    answers per pair, until the next read replaces it.

    Every phone dealt from one read sees the same least-answered pair; without this, the phones
    served within one read all got it (measured: 1,000 phones, one pair answered 339 times while
    the mean was 8). Several processes each count their own deals.

    >>> counts = {("a", "b"): 0, ("b", "a"): 0}
    >>> note_dealt(counts, [("a", "b")]); counts[("a", "b")]
    1
    """
    for pair in pairs:
        counts[pair] = counts.get(pair, 0) + 1


def catalogue_cells(cat: Catalogue, nodes: tuple[str, ...]) -> dict[tuple[str, str], float]:
    """The catalogue's score per pair of ``nodes``: goals only -> the goal level (sub-goal
    interactions count for their goal); otherwise each node by its own id. Cells with no
    interaction are left out ("not scored")."""
    level = "goal" if all(nd in cat.goals_by_id for nd in nodes) else "subgoal"
    m = cross_impact_matrix(cat, level, nodes=list(nodes), sort="catalogue")
    out: dict[tuple[str, str], float] = {}
    for i, a in enumerate(m.nodes):
        for j, b in enumerate(m.nodes):
            cell = m.cells[i][j]
            if cell is not None and a != b:
                out[(a, b)] = cell.score
    return out


def _room(conn: Connection, w: Workshop, item: AgendaItem, *, hidden: bool) -> RoomMatrix:
    rows = conn.execute(
        select(
            pair_scores.c.from_node,
            pair_scores.c.to_node,
            pair_scores.c.value,
            pair_scores.c.skipped,
            pair_scores.c.rationale,
            pair_scores.c.participant_id,
        ).where(pair_scores.c.item_id == item.id, pair_scores.c.workshop_id == w.id)
    ).all()
    people = len({r[5] for r in rows})
    answers = [
        (a, b, None if hidden else v, bool(s) or hidden, None if hidden else note)
        for a, b, v, s, note, _ in rows
    ]
    cat = w.catalogue()
    return _room_matrix(
        item.nodes, answers, catalogue=catalogue_cells(cat, item.nodes), participants=people
    )


def get_room_matrix(ref: WorkshopRef | FacilitatorGrant, item_id: int, *, store: Store):
    """The room's matrix of one session, read in one transaction.

    With a join code (the room's view) and ``hide_results_until_closed``, while the session's
    voting is not closed, only the number of answers per cell is shown (every answer counts as
    a skip, no medians, no rationales). With a :class:`FacilitatorGrant` nothing is hidden.
    Raises :class:`UnknownItem`, :class:`InvalidBallot` (``wrong_method``: not a session)."""

    def tx(conn: Connection) -> RoomMatrix:
        if isinstance(ref, FacilitatorGrant):
            row, facilitator = _granted_row(conn, ref), True
        else:
            row, facilitator = _workshop_row(conn, _code(ref)), False
        _matrix_item(conn, row["id"], item_id, open_=False)
        w = _to_workshop(conn, row)
        item = w.item(item_id)
        hidden = not facilitator and w.hide_results_until_closed and item.voting != "closed"
        return _room(conn, w, item, hidden=hidden)

    return store.read(tx)
