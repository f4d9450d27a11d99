"""Facilitation: agenda building, stepping, the timer, outcomes, proposals, who is in the room.

Plain Python on top of :mod:`conflicts.workshop` (same conventions: every function takes the join
code or a :class:`~conflicts.workshop.Workshop` and an optional ``store=``; every write is ONE
transaction that locks the workshop row; a rejected request raises a
:class:`~conflicts.workshop.WorkshopError` subclass with a stable ``code`` and writes nothing).
Facilitator functions do not take the key: check it with :func:`conflicts.workshop.check_facilitator`
first. Schema version 2 (:mod:`conflicts.store`).

Usage::

    from conflicts import facilitation as fac
    from conflicts import workshop as ws

    # building the agenda
    fac.order_agenda(code, "strength")            # or 'catalogue' | 'priority' (the room's ranking)
    fac.move_item(code, item.id, -1)               # one step up (+1: down)
    added = fac.add_interaction(code, from_node="housing", to_node="nature", score=-2,
                                title={"sv": "Buller mot bostäder", "en": "Noise vs housing"})
    ws.get_workshop(code).catalogue().interactions_by_id[added.interaction_id]   # it is there
    warm = fac.add_warmup(code, {"sv": "Vilket mål är viktigast för din organisation?",
                                 "en": "Which goal matters most to your organisation?"})
    ws.cast_ballot(code, voter, warm.id, value=2)  # a participant: the 3rd goal (catalogue order)
    ws.get_tally(code).warmup(warm.id).distribution   # {'housing': 0, 'nature': 0, ...}

    # running it
    fac.step(code, +1)                             # next item (clamped); -1: previous
    fac.toggle_voting(code, item.id)               # open <-> closed
    fac.timer_start(code, 300)                     # 5 minutes on the current item
    fac.timer_pause(code); fac.timer_resume(code); fac.timer_extend(code, 60); fac.timer_reset(code)
    fac.timer_remaining(ws.get_workshop(code))     # seconds left (0 = time is up), None: no timer

    # notes and outcomes (autosave: does not bump revision, phones do not rerun)
    fac.save_outcome(code, item.id, summary="...", outcome="needs_analysis", owner="Region")
    fac.get_outcomes(code)[item.id].outcome

    # participants' proposals ("the elephant in the room")
    p = fac.propose(code, voter, title="Buller", text="...", from_node="transport",
                    to_node="housing")             # at most 3 per participant
    fac.list_proposals(code)                       # facilitator view, with display names
    fac.merge_proposals(code, p.id, [other.id]); fac.decline_proposal(code, other2.id)
    item = fac.accept_proposal(code, p.id, score=-2)   # on the agenda, tagged 'proposed'

    # who is in the room (pure)
    people = ws.list_participants(code)
    fac.representation(w.catalogue(), "c1", people).missing_levels
    fac.room_composition(people).by_actor_type

Errors (new codes of schema version 2; the others are in :mod:`conflicts.workshop`):

=============================  ===========================================================
``unknown_node``               :class:`~conflicts.workshop.InvalidValue`: no such goal or
                               sub-goal; params ``field``, ``node``
``self_loop``                  :class:`~conflicts.workshop.InvalidValue`: from = to
``proposal_limit``             :class:`ProposalLimit`: params ``max``
``unknown_proposal``           :class:`UnknownProposal`: no such proposal in the workshop
``proposal_not_pending``       :class:`~conflicts.workshop.InvalidSetting`: already accepted,
                               declined or merged; params ``status``
``no_timer``                   :class:`~conflicts.workshop.InvalidSetting`: pause/resume/extend
                               without a timer
``invalid_duration``           :class:`~conflicts.workshop.InvalidSetting`: seconds not an
                               integer in range; params ``min``, ``max``
=============================  ===========================================================

Reused codes: ``unknown_item``, ``item_has_ballots``, ``unknown_interaction``,
``value_out_of_range`` (score; params ``min``, ``max``), ``text_too_long`` (params ``field``,
``max``), ``invalid_text``, ``invalid_value`` (params ``field``: an undeclared language of a text,
an unknown outcome, a bad due date), ``invalid_setting`` (e.g. an unknown ``by``), and the
participant errors of :func:`conflicts.workshop.cast_ballot` for :func:`propose`.

Text: titles, owners and questions are single-line plain text (no control characters); the
summary, next step and a proposal's text may contain line breaks and tabs, nothing else below
U+0020. Multilingual texts (``title``, ``description``, ``questions``, warm-up ``question``) are
a ``str`` (the same text in every catalogue language) or ``{lang: text}`` with declared languages;
missing languages get the first given text.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from conflicts.catalogue import Catalogue, DecisionLevel, Interaction
from conflicts.store import (
    OUTCOMES,
    Store,
    agenda_items,
    as_utc,
    ballots,
    outcomes,
    participants,
    proposals,
    utcnow,
    workshop_interactions,
)
from conflicts.workshop import (
    TITLE_MAX,
    AgendaItem,
    BallotRejected,
    InvalidSetting,
    InvalidText,
    InvalidValue,
    Participant,
    TextTooLong,
    ValueOutOfRange,
    Workshop,
    WorkshopError,
    WorkshopNotOpen,
    WorkshopRef,
    WorkshopTally,
    _bump,
    _clean_text,
    _code,
    _facilitate,
    _is_int,
    _item_row,
    _items,
    _participant_row,
    _row_catalogue,
    _set,
    _store,
    _tally,
    _to_workshop,
    _voting_context,
    _workshop_row,
    normalise_code,
)

__all__ = [
    "AGENDA_ORDERS",
    "OUTCOMES",
    "Outcome",
    "Proposal",
    "ProposalLimit",
    "Representation",
    "RoomComposition",
    "TimerState",
    "UnknownProposal",
    "accept_proposal",
    "add_interaction",
    "add_warmup",
    "decline_proposal",
    "get_outcomes",
    "list_proposals",
    "merge_proposals",
    "move_item",
    "my_proposals",
    "order_agenda",
    "propose",
    "remove_item",
    "representation",
    "room_composition",
    "save_outcome",
    "step",
    "timer_extend",
    "timer_pause",
    "timer_remaining",
    "timer_reset",
    "timer_resume",
    "timer_start",
    "timer_state",
    "toggle_voting",
    "warmup_options",
]

T = TypeVar("T")

AGENDA_ORDERS = ("catalogue", "strength", "priority")
MAX_PROPOSALS_PER_PARTICIPANT = 3
PROPOSAL_TITLE_MAX = 120
PROPOSAL_TEXT_MAX = 1000
DESCRIPTION_MAX = 2000
QUESTION_MAX = 300
MAX_QUESTIONS = 4
SUMMARY_MAX = 4000
OWNER_MAX = 200
NEXT_STEP_MAX = 1000
TIMER_MAX_S = 24 * 3600
ADDED_ID_PREFIX = "ws-"
WARMUP_ID_PREFIX = "warmup-"


# --------------------------------------------------------------------------------------------
# Errors and value objects
# --------------------------------------------------------------------------------------------
class ProposalLimit(BallotRejected):
    """The participant already made the maximum number of proposals."""

    code = "proposal_limit"


class UnknownProposal(WorkshopError):
    code = "unknown_proposal"


@dataclass(frozen=True)
class Outcome:
    """Notes and the outcome of one agenda item (all fields optional)."""

    item_id: int
    summary: str | None = None
    outcome: str | None = None  # one of OUTCOMES
    owner: str | None = None
    next_step: str | None = None
    due_date: date | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Proposal:
    """A participant's proposal of a missing interaction.

    ``display_name`` is the proposer's name (facilitator views only; never exported)."""

    id: int
    participant_id: int
    title: str
    text: str | None
    from_node: str
    to_node: str
    status: str  # 'pending' | 'accepted' | 'declined' | 'merged'
    merged_into: int | None
    interaction_id: str | None
    created_at: datetime
    display_name: str | None = None


@dataclass(frozen=True)
class TimerState:
    """The timer as the projector shows it (see :func:`timer_state`)."""

    item_id: int | None
    duration_s: int
    remaining_s: int
    paused: bool

    @property
    def running(self) -> bool:
        return not self.paused and self.remaining_s > 0

    @property
    def expired(self) -> bool:
        return self.remaining_s == 0

    @property
    def fraction_left(self) -> float:
        return self.remaining_s / self.duration_s if self.duration_s else 0.0


@dataclass(frozen=True)
class Representation:
    """Who an interaction needs and whether they are in the room.

    ``levels_present``/``actor_types_present`` count the participants per NEEDED level/type
    (0 when missing); ``missing_*`` list the needed ones nobody in the room has declared."""

    interaction_id: str
    needed_actors: tuple[str, ...]
    needed_levels: tuple[str, ...]
    needed_actor_types: tuple[str, ...]
    levels_present: dict[str, int] = field(default_factory=dict, hash=False)
    actor_types_present: dict[str, int] = field(default_factory=dict, hash=False)
    missing_levels: tuple[str, ...] = ()
    missing_actor_types: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing_levels and not self.missing_actor_types


@dataclass(frozen=True)
class RoomComposition:
    """Participants counted by self-declared actor type and decision level."""

    total: int
    by_actor_type: dict[str, int] = field(default_factory=dict, hash=False)
    by_level: dict[str, int] = field(default_factory=dict, hash=False)
    no_actor_type: int = 0
    no_level: int = 0


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _facilitate_returning(
    ref: WorkshopRef, store: Store | None, fn: Callable[[Connection, Any], T], *, bump: bool = True
) -> T:
    """Like workshop._facilitate, but return ``fn``'s result (one transaction, row locked)."""
    code = _code(ref)

    def tx(conn: Connection) -> T:
        row = _workshop_row(conn, code, lock=True)
        result = fn(conn, row)
        if bump:
            _bump(conn, row["id"], state=True)
        return result

    return _store(store).write(tx)


_MULTILINE_OK = {"\n", "\t", "\r"}


def _clean_multiline(value: str | None, field_name: str, max_len: int) -> str | None:
    """Plain text that may contain line breaks and tabs; '' or only spaces -> None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in _MULTILINE_OK for ch in value):
        raise InvalidText(f"{field_name} contains control characters", field=field_name)
    if len(value) > max_len:
        raise TextTooLong(
            f"{field_name} is longer than {max_len} characters", field=field_name, max=max_len
        )
    return value or None


def _texts(
    value: dict[str, str] | str | None,
    field_name: str,
    languages: list[str],
    max_len: int,
    *,
    required: bool,
    multiline: bool = False,
) -> dict[str, str] | None:
    """A multilingual text as ``{lang: text}`` for every catalogue language (see module doc).
    ``multiline`` allows line breaks and tabs (descriptions; titles stay one line)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None

    def clean(text: Any) -> str | None:
        if multiline:
            return _clean_multiline(text, field_name, max_len)
        return _clean_text(text, field_name, max_len)

    if isinstance(value, str):
        text = clean(value)
        return {lang: text for lang in languages}
    if not isinstance(value, dict):
        raise InvalidText(f"{field_name} must be text", field=field_name)
    given: dict[str, str] = {}
    for lang, text in value.items():
        if lang not in languages:
            raise InvalidValue(
                f"language {lang!r} is not one of the catalogue's ({', '.join(languages)})",
                field=field_name,
                language=str(lang),
            )
        cleaned = clean(text)
        if cleaned:
            given[lang] = cleaned
    if not given:
        if required:
            raise InvalidText(f"{field_name} is required", field=field_name, code="text_required")
        return None
    first = next(iter(given.values()))
    return {lang: given.get(lang, first) for lang in languages}


def _check_nodes(cat: Catalogue, from_node: Any, to_node: Any) -> tuple[str, str]:
    for name, node in (("from_node", from_node), ("to_node", to_node)):
        if not isinstance(node, str) or node not in cat.nodes:
            raise InvalidValue(
                f"no goal or sub-goal {node!r}", code="unknown_node", field=name, node=str(node)
            )
    if from_node == to_node:
        raise InvalidValue(f"{from_node!r} cannot interact with itself", code="self_loop")
    return from_node, to_node


def _check_score(score: Any) -> int:
    if not _is_int(score):
        raise ValueOutOfRange("the score must be an integer -3..3", min=-3, max=3, value=score)
    if not -3 <= score <= 3:
        raise ValueOutOfRange("the score must be -3..3", min=-3, max=3, value=score)
    return score


def _append_item(conn: Connection, workshop_id: int, **values: Any) -> AgendaItem:
    last = conn.execute(
        select(func.coalesce(func.max(agenda_items.c.position), 0)).where(
            agenda_items.c.workshop_id == workshop_id
        )
    ).scalar()
    new_id = conn.execute(
        agenda_items.insert().values(workshop_id=workshop_id, position=last + 1, **values)
    ).inserted_primary_key[0]
    return next(i for i in _items(conn, workshop_id) if i.id == new_id)


def _renumber(conn: Connection, ordered_ids: list[int]) -> None:
    for pos, iid in enumerate(ordered_ids, start=1):
        conn.execute(update(agenda_items).where(agenda_items.c.id == iid).values(position=pos))


def _origins(conn: Connection, workshop_id: int) -> dict[str, str]:
    """interaction id -> origin ('facilitator' | 'proposal') of the workshop's added ones."""
    rows = conn.execute(
        select(workshop_interactions.c.interaction_id, workshop_interactions.c.origin).where(
            workshop_interactions.c.workshop_id == workshop_id
        )
    )
    return {iid: origin for iid, origin in rows}


# --------------------------------------------------------------------------------------------
# Agenda building
# --------------------------------------------------------------------------------------------
def _agenda_order(w: Workshop, by: str, t: WorkshopTally | None) -> list[int]:
    """The item ids in the new order. Warm-ups stay first (in their order)."""
    cat = w.catalogue()
    index = {i.id: n for n, i in enumerate(cat.interactions)}
    warm = [i for i in w.items if i.kind == "warmup"]
    rest = [i for i in w.items if i.kind != "warmup"]
    last = len(index)
    if by == "catalogue":
        rest.sort(key=lambda i: (index.get(i.interaction_id, last), i.position))
    elif by == "strength":
        inter = cat.interactions_by_id

        def strength(i: AgendaItem) -> tuple:
            x = inter.get(i.interaction_id)
            return (-abs(x.score) if x else 1, index.get(i.interaction_id, last), i.position)

        rest.sort(key=strength)
    else:  # priority: the room's ranking first, unranked after in the current order
        assert t is not None
        rank = {r.item_id: n for n, r in enumerate(t.ranking)}
        rest.sort(key=lambda i: (0, rank[i.id]) if i.id in rank else (1, i.position))
    return [i.id for i in (*warm, *rest)]


def order_agenda(ref: WorkshopRef, by: str, *, store: Store | None = None) -> Workshop:
    """Reorder the agenda ``by`` 'catalogue' (catalogue order, added interactions last),
    'strength' (|catalogue score| descending, then catalogue order) or 'priority' (the room's
    tally ranking first, unranked items after in their current order). Warm-ups stay first.
    Only positions change (ballots, voting states and ids stay), so it works after voting.

    Raises :class:`~conflicts.workshop.InvalidSetting` (unknown ``by``)."""
    if by not in AGENDA_ORDERS:
        raise InvalidSetting(
            f"unknown order {by!r} (choose {', '.join(AGENDA_ORDERS)})", field="by", value=str(by)
        )
    s = _store(store)

    def fn(conn: Connection, row) -> None:
        w = _to_workshop(conn, row)
        t = _tally(conn, s, w, facilitator=True) if by == "priority" else None
        _renumber(conn, _agenda_order(w, by, t))

    return _facilitate(ref, s, fn)


def move_item(
    ref: WorkshopRef, item_id: int, delta: int, *, store: Store | None = None
) -> Workshop:
    """Move an agenda item ``delta`` places (-1: up, +1: down), clamped at the ends.

    Raises :class:`~conflicts.workshop.UnknownItem`, :class:`~conflicts.workshop.InvalidSetting`
    (``delta`` not an integer)."""
    if not _is_int(delta):
        raise InvalidSetting("delta must be an integer", field="delta")

    def fn(conn: Connection, row) -> None:
        _item_row(conn, row["id"], item_id)
        ids = [i.id for i in _items(conn, row["id"])]
        old = ids.index(item_id)
        ids.insert(max(0, min(len(ids) - 1, old + delta)), ids.pop(old))
        _renumber(conn, ids)

    return _facilitate(ref, store, fn)


def remove_item(ref: WorkshopRef, item_id: int, *, store: Store | None = None) -> Workshop:
    """Remove an agenda item that has no ballots (any kind; an added interaction stays in the
    catalogue). Raises :class:`~conflicts.workshop.UnknownItem`,
    :class:`~conflicts.workshop.InvalidSetting` (code ``item_has_ballots``)."""

    def fn(conn: Connection, row) -> None:
        item = _item_row(conn, row["id"], item_id)
        n = conn.execute(
            select(func.count()).select_from(ballots).where(ballots.c.item_id == item_id)
        ).scalar()
        if n:
            raise InvalidSetting(
                f"item {item['interaction_id']!r} has ballots and cannot be removed",
                code="item_has_ballots",
                interaction=item["interaction_id"],
            )
        conn.execute(delete(outcomes).where(outcomes.c.item_id == item_id))
        conn.execute(delete(agenda_items).where(agenda_items.c.id == item_id))
        if row["current_item_id"] == item_id:
            _set(conn, row, current_item_id=None)
        _renumber(conn, [i.id for i in _items(conn, row["id"])])

    return _facilitate(ref, store, fn)


def _insert_interaction(
    conn: Connection,
    row,
    *,
    from_node: Any,
    to_node: Any,
    score: Any,
    title: Any,
    description: Any = None,
    questions: Any = None,
    levels: Any = None,
    actors: Any = None,
    origin: str = "facilitator",
    proposal_id: int | None = None,
) -> AgendaItem:
    """Validate an interaction against the workshop's catalogue, store it, append it."""
    if origin not in ("facilitator", "proposal"):
        raise InvalidSetting(f"unknown origin {origin!r}", field="origin", value=str(origin))
    cat = _row_catalogue(conn, row)
    langs = cat.languages
    from_node, to_node = _check_nodes(cat, from_node, to_node)
    score = _check_score(score)
    title_t = _texts(title, "title", langs, TITLE_MAX, required=True)
    desc_t = _texts(
        description, "description", langs, DESCRIPTION_MAX, required=False, multiline=True
    )
    qs = list(questions or [])
    if isinstance(questions, str | dict) or len(qs) > MAX_QUESTIONS:
        raise InvalidSetting(f"give a list of at most {MAX_QUESTIONS} questions", field="questions")
    question_ts = [
        q for q in (_texts(q, "questions", langs, QUESTION_MAX, required=False) for q in qs) if q
    ]
    level_list = list(levels or [])
    for lv in level_list:
        if lv not in DecisionLevel.__members__.values():
            raise InvalidValue(f"unknown decision level {lv!r}", field="levels")
    actor_list = list(actors or [])
    for a in actor_list:
        if a not in cat.actors_by_id:
            raise InvalidValue(f"unknown actor {a!r}", field="actors")
    n = conn.execute(
        select(func.count())
        .select_from(workshop_interactions)
        .where(workshop_interactions.c.workshop_id == row["id"])
    ).scalar()
    taken = set(cat.interactions_by_id)
    while True:
        n += 1
        interaction_id = f"{ADDED_ID_PREFIX}{n}"
        if interaction_id not in taken:
            break
    payload: dict[str, Any] = {
        "id": interaction_id,
        "from": from_node,
        "to": to_node,
        "score": score,
        "title": title_t,
        "tags": ["proposed"] if origin == "proposal" else [],
    }
    if desc_t:
        payload["description"] = desc_t
    if question_ts:
        payload["questions"] = question_ts
    if level_list:
        payload["levels"] = [str(lv) for lv in level_list]
    if actor_list:
        payload["actors"] = actor_list
    Interaction.model_validate(payload)  # the catalogue model accepts it (raises on a bug)
    conn.execute(
        workshop_interactions.insert().values(
            workshop_id=row["id"],
            interaction_id=interaction_id,
            origin=origin,
            proposal_id=proposal_id,
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            created_at=utcnow(),
        )
    )
    return _append_item(conn, row["id"], interaction_id=interaction_id)


def add_interaction(
    ref: WorkshopRef,
    *,
    from_node: str,
    to_node: str,
    score: int,
    title: dict[str, str] | str,
    description: dict[str, str] | str | None = None,
    questions: list[dict[str, str] | str] | None = None,
    origin: str = "facilitator",
    levels: list[str] | None = None,
    actors: list[str] | None = None,
    store: Store | None = None,
) -> AgendaItem:
    """Add an interaction that is not in the catalogue and append it to the agenda.

    Stored per workshop (id ``ws-1``, ``ws-2``, ...) and part of
    :meth:`Workshop.catalogue() <conflicts.workshop.Workshop.catalogue>` from now on (graph,
    tallies, exports, projector). ``origin='proposal'`` tags it ``proposed``. Validated against
    the catalogue: nodes exist and differ, score -3..3, title at most 200 characters per
    language, description 2000, at most 4 questions of 300; ``levels``/``actors`` optional.

    Raises :class:`~conflicts.workshop.InvalidValue` (``unknown_node``, ``self_loop``,
    ``invalid_value``), :class:`~conflicts.workshop.ValueOutOfRange`,
    :class:`~conflicts.workshop.TextTooLong`, :class:`~conflicts.workshop.InvalidText`,
    :class:`~conflicts.workshop.InvalidSetting`."""
    return _facilitate_returning(
        ref,
        store,
        lambda conn, row: _insert_interaction(
            conn,
            row,
            from_node=from_node,
            to_node=to_node,
            score=score,
            title=title,
            description=description,
            questions=questions,
            levels=levels,
            actors=actors,
            origin=origin,
        ),
    )


def warmup_options(catalogue: Catalogue) -> list[str]:
    """The goal ids a warm-up offers; a warm-up ballot's value is an index into this list."""
    return [g.id for g in catalogue.goals]


def add_warmup(
    ref: WorkshopRef, question: dict[str, str] | str, *, store: Store | None = None
) -> AgendaItem:
    """Add a warm-up step FIRST on the agenda: ``question`` (at most 300 characters per
    language) answered with one of the catalogue's goals (:func:`warmup_options`).

    Participants answer with ``cast_ballot(code, voter, item.id, value=<goal index>)`` once its
    voting is open; its tally (``get_tally(code).warmup(item.id)``) counts ballots per goal. It
    takes no part in the priority ranking nor in the dot budget, and does not lock the method.
    Raises :class:`~conflicts.workshop.InvalidText`, :class:`~conflicts.workshop.TextTooLong`,
    :class:`~conflicts.workshop.InvalidValue`."""

    def fn(conn: Connection, row) -> AgendaItem:
        cat = _row_catalogue(conn, row)
        q = _texts(question, "question", cat.languages, QUESTION_MAX, required=True)
        current = _items(conn, row["id"])
        taken = {i.interaction_id for i in current}
        n = sum(1 for i in current if i.kind == "warmup")
        while f"{WARMUP_ID_PREFIX}{n + 1}" in taken:
            n += 1
        new_id = conn.execute(
            agenda_items.insert().values(
                workshop_id=row["id"],
                position=0,
                interaction_id=f"{WARMUP_ID_PREFIX}{n + 1}",
                kind="warmup",
                question=json.dumps(q, ensure_ascii=False, sort_keys=True),
            )
        ).inserted_primary_key[0]
        _renumber(conn, [new_id, *(i.id for i in current)])
        return next(i for i in _items(conn, row["id"]) if i.id == new_id)

    return _facilitate_returning(ref, store, fn)


# --------------------------------------------------------------------------------------------
# Stepping and voting
# --------------------------------------------------------------------------------------------
def step(ref: WorkshopRef, delta: int, *, store: Store | None = None) -> Workshop:
    """Move the current item ``delta`` places along the agenda, clamped to the first/last item.

    From no current item (or one that was removed) a positive delta goes to the first item
    (+2 to the second ...), a negative one stays on none. Bumps ``revision``."""
    if not _is_int(delta):
        raise InvalidSetting("delta must be an integer", field="delta")

    def fn(conn: Connection, row) -> None:
        ids = [i.id for i in _items(conn, row["id"])]
        if not ids:
            return
        current = row["current_item_id"]
        if current in ids:
            target = ids[max(0, min(len(ids) - 1, ids.index(current) + delta))]
        elif delta > 0:
            target = ids[min(len(ids), delta) - 1]
        else:
            target = None
        _set(conn, row, current_item_id=target)

    return _facilitate(ref, store, fn)


def toggle_voting(ref: WorkshopRef, item_id: int, *, store: Store | None = None) -> Workshop:
    """Open voting on the item if it is not open, else close it (one transaction).

    Raises :class:`~conflicts.workshop.UnknownItem`, :class:`~conflicts.workshop.WorkshopNotOpen`
    (opening in a closed workshop, code ``workshop_closed``)."""

    def fn(conn: Connection, row) -> None:
        item = _item_row(conn, row["id"], item_id)
        if item["voting"] == "open":
            values = {"voting": "closed", "closed_at": utcnow()}
        else:
            if row["status"] == "closed":
                raise WorkshopNotOpen("the workshop is closed", code="workshop_closed")
            values = {"voting": "open", "opened_at": utcnow(), "closed_at": None}
        conn.execute(update(agenda_items).where(agenda_items.c.id == item_id).values(**values))

    return _facilitate(ref, store, fn)


# --------------------------------------------------------------------------------------------
# Timer
# --------------------------------------------------------------------------------------------
def _seconds(value: Any, *, field_name: str = "seconds") -> int:
    if not _is_int(value) or not 1 <= value <= TIMER_MAX_S:
        raise InvalidSetting(
            f"{field_name} must be an integer 1-{TIMER_MAX_S}",
            code="invalid_duration",
            field=field_name,
            min=1,
            max=TIMER_MAX_S,
        )
    return value


def _remaining_exact(started_at, duration_s, paused_remaining_s, now: datetime) -> float:
    if paused_remaining_s is not None:
        return float(paused_remaining_s)
    elapsed = (now - as_utc(started_at)).total_seconds()
    return max(0.0, duration_s - elapsed)


def _utc(now: datetime | None) -> datetime:
    """``now`` in UTC (a naive datetime is taken as UTC); the current time without one."""
    if now is None:
        return utcnow()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _has_timer(row) -> bool:
    return row["timer_duration_s"] is not None


def timer_start(
    ref: WorkshopRef, seconds: int, *, now: datetime | None = None, store: Store | None = None
) -> Workshop:
    """Start (or restart) a countdown of ``seconds`` (1..86400) on the current item."""
    secs = _seconds(seconds)

    def fn(conn: Connection, row) -> None:
        _set(
            conn,
            row,
            timer_item_id=row["current_item_id"],
            timer_started_at=_utc(now),
            timer_duration_s=secs,
            timer_paused_remaining_s=None,
        )

    return _facilitate(ref, store, fn)


def _no_timer() -> InvalidSetting:
    return InvalidSetting("no timer is set", code="no_timer")


def timer_pause(
    ref: WorkshopRef, *, now: datetime | None = None, store: Store | None = None
) -> Workshop:
    """Freeze the countdown (a paused timer stays paused). Raises code ``no_timer``."""

    def fn(conn: Connection, row) -> None:
        if not _has_timer(row):
            raise _no_timer()
        if row["timer_paused_remaining_s"] is not None:
            return
        left = _remaining_exact(row["timer_started_at"], row["timer_duration_s"], None, _utc(now))
        _set(conn, row, timer_paused_remaining_s=math.ceil(left))

    return _facilitate(ref, store, fn)


def timer_resume(
    ref: WorkshopRef, *, now: datetime | None = None, store: Store | None = None
) -> Workshop:
    """Continue a paused countdown from where it stopped (a running one is left alone).
    Raises code ``no_timer``."""

    def fn(conn: Connection, row) -> None:
        if not _has_timer(row):
            raise _no_timer()
        left = row["timer_paused_remaining_s"]
        if left is None:
            return
        duration = row["timer_duration_s"]
        started = _utc(now) - timedelta(seconds=duration - left)
        _set(conn, row, timer_started_at=started, timer_paused_remaining_s=None)

    return _facilitate(ref, store, fn)


def timer_extend(
    ref: WorkshopRef, seconds: int, *, now: datetime | None = None, store: Store | None = None
) -> Workshop:
    """Add ``seconds`` (1..86400) to the time left, running or paused (an expired timer starts
    again with ``seconds`` left). Raises codes ``no_timer``, ``invalid_duration``."""
    secs = _seconds(seconds)

    def fn(conn: Connection, row) -> None:
        if not _has_timer(row):
            raise _no_timer()
        paused = row["timer_paused_remaining_s"]
        if paused is not None:
            _set(
                conn,
                row,
                timer_paused_remaining_s=paused + secs,
                timer_duration_s=row["timer_duration_s"] + secs,
            )
            return
        at = _utc(now)
        elapsed = (at - as_utc(row["timer_started_at"])).total_seconds()
        left = max(0.0, row["timer_duration_s"] - elapsed)
        _set(conn, row, timer_duration_s=math.ceil(elapsed + left) + secs)

    return _facilitate(ref, store, fn)


def timer_reset(ref: WorkshopRef, *, store: Store | None = None) -> Workshop:
    """Remove the timer (the projector shows none)."""
    return _facilitate(
        ref,
        store,
        lambda conn, row: _set(
            conn,
            row,
            timer_item_id=None,
            timer_started_at=None,
            timer_duration_s=None,
            timer_paused_remaining_s=None,
        ),
    )


def timer_state(workshop: Workshop, now: datetime | None = None) -> TimerState | None:
    """The timer of the CURRENT step, or None (no timer, or it belongs to another step)."""
    w = workshop
    if w.timer_duration_s is None or w.timer_item_id != w.current_item_id:
        return None
    if w.timer_paused_remaining_s is None and w.timer_started_at is None:
        return None
    left = _remaining_exact(
        w.timer_started_at, w.timer_duration_s, w.timer_paused_remaining_s, _utc(now)
    )
    return TimerState(
        item_id=w.timer_item_id,
        duration_s=w.timer_duration_s,
        remaining_s=math.ceil(left),
        paused=w.timer_paused_remaining_s is not None,
    )


def timer_remaining(workshop: Workshop, now: datetime | None = None) -> int | None:
    """Whole seconds left on the current step's timer (rounded up; 0 once time is up), or None
    without a timer (or when the timer belongs to another step). Pure: pass ``now`` (UTC) or
    the current time is used."""
    state = timer_state(workshop, now)
    return None if state is None else state.remaining_s


# --------------------------------------------------------------------------------------------
# Notes and outcomes
# --------------------------------------------------------------------------------------------
def _to_outcome(r) -> Outcome:
    due = r["due_date"]
    if isinstance(due, str):  # pragma: no cover - drivers return date
        due = date.fromisoformat(due)
    return Outcome(
        item_id=r["item_id"],
        summary=r["summary"],
        outcome=r["outcome"],
        owner=r["owner"],
        next_step=r["next_step"],
        due_date=due,
        updated_at=as_utc(r["updated_at"]),
    )


def _due_date(value: Any) -> date | None:
    if value == "":
        return None
    if isinstance(value, datetime):
        raise InvalidValue("give a date, not a date and time", field="due_date")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidValue(f"not a date: {value!r} (YYYY-MM-DD)", field="due_date")


def save_outcome(
    ref: WorkshopRef,
    item_id: int,
    *,
    summary: str | None = None,
    outcome: str | None = None,
    owner: str | None = None,
    next_step: str | None = None,
    due_date: date | str | None = None,
    store: Store | None = None,
) -> Outcome:
    """Create or update the notes/outcome of an agenda item; returns them after the commit.

    Only the fields given change (None = leave as is; '' clears a field). ``summary`` at most
    4000 characters, ``next_step`` 1000 (both may contain line breaks), ``owner`` 200 (one line),
    ``outcome`` one of :data:`conflicts.store.OUTCOMES`, ``due_date`` a date or 'YYYY-MM-DD'.
    Autosave-friendly: one short upsert; bumps neither ``revision`` nor ``tally_revision``.

    Raises :class:`~conflicts.workshop.UnknownItem`, :class:`~conflicts.workshop.TextTooLong`,
    :class:`~conflicts.workshop.InvalidText`, :class:`~conflicts.workshop.InvalidValue` (field
    ``outcome`` or ``due_date``)."""
    changes: dict[str, Any] = {}
    if summary is not None:
        changes["summary"] = _clean_multiline(summary, "summary", SUMMARY_MAX)
    if outcome is not None:
        if outcome != "" and outcome not in OUTCOMES:
            raise InvalidValue(f"unknown outcome {outcome!r}", field="outcome")
        changes["outcome"] = outcome or None
    if owner is not None:
        changes["owner"] = _clean_text(owner, "owner", OWNER_MAX)
    if next_step is not None:
        changes["next_step"] = _clean_multiline(next_step, "next_step", NEXT_STEP_MAX)
    if due_date is not None:
        changes["due_date"] = _due_date(due_date)
    code = _code(ref)

    def tx(conn: Connection) -> Outcome:
        row = _workshop_row(conn, code, lock=True)
        _item_row(conn, row["id"], item_id)
        now = utcnow()
        values = {"workshop_id": row["id"], "item_id": item_id, "updated_at": now, **changes}
        set_ = {**changes, "updated_at": now}
        dialect = conn.dialect.name
        if dialect in ("postgresql", "sqlite"):
            mod = pg_dialect if dialect == "postgresql" else sqlite_dialect
            stmt = mod.insert(outcomes).values(**values)
            conn.execute(stmt.on_conflict_do_update(index_elements=["item_id"], set_=set_))
        else:  # pragma: no cover - other databases: the workshop row lock serialises this
            done = conn.execute(
                update(outcomes).where(outcomes.c.item_id == item_id).values(**set_)
            ).rowcount
            if not done:
                conn.execute(outcomes.insert().values(**values))
        r = conn.execute(select(outcomes).where(outcomes.c.item_id == item_id)).mappings().one()
        return _to_outcome(r)

    return _store(store).write(tx)


def get_outcomes(ref: WorkshopRef, *, store: Store | None = None) -> dict[int, Outcome]:
    """The notes/outcomes of the workshop by agenda item id (items without notes are absent)."""
    code = _code(ref)

    def tx(conn: Connection) -> dict[int, Outcome]:
        row = _workshop_row(conn, code)
        rows = conn.execute(select(outcomes).where(outcomes.c.workshop_id == row["id"])).mappings()
        return {r["item_id"]: _to_outcome(r) for r in rows}

    return _store(store).read(tx)


# --------------------------------------------------------------------------------------------
# Proposals
# --------------------------------------------------------------------------------------------
def _proposal_query(workshop_id: int):
    return (
        select(proposals, participants.c.display_name)
        .join(participants, participants.c.id == proposals.c.participant_id)
        .where(proposals.c.workshop_id == workshop_id)
        .order_by(proposals.c.id)
    )


def _to_proposal(r, *, with_name: bool = True) -> Proposal:
    return Proposal(
        id=r["id"],
        participant_id=r["participant_id"],
        title=r["title"],
        text=r["text"],
        from_node=r["from_node"],
        to_node=r["to_node"],
        status=r["status"],
        merged_into=r["merged_into"],
        interaction_id=r["interaction_id"],
        created_at=as_utc(r["created_at"]),
        display_name=r["display_name"] if with_name else None,
    )


def _proposal_row(conn: Connection, workshop_id: int, proposal_id: Any):
    if not _is_int(proposal_id):
        raise UnknownProposal(f"no proposal {proposal_id!r}", proposal_id=proposal_id)
    r = (
        conn.execute(_proposal_query(workshop_id).where(proposals.c.id == proposal_id))
        .mappings()
        .first()
    )
    if r is None:
        raise UnknownProposal(
            f"no proposal {proposal_id!r} in this workshop", proposal_id=proposal_id
        )
    return r


def _require_pending(r) -> None:
    if r["status"] != "pending":
        raise InvalidSetting(
            f"proposal {r['id']} is {r['status']}",
            code="proposal_not_pending",
            proposal_id=r["id"],
            status=r["status"],
        )


def propose(
    code: str,
    voter_id: str,
    *,
    title: str,
    text: str | None,
    from_node: str,
    to_node: str,
    store: Store | None = None,
) -> Proposal:
    """A participant proposes a missing interaction ("the elephant in the room").

    The workshop must be open and the voter joined (and entitled in closed mode); ``title`` at
    most 120 characters (required), ``text`` at most 1000 (line breaks allowed, no other control
    characters); the nodes must be goals/sub-goals of the catalogue and differ. At most 3
    proposals per participant. Bumps ``tally_revision`` (the facilitator's view re-reads).

    Raises :class:`ProposalLimit`, :class:`~conflicts.workshop.InvalidValue` (``unknown_node``,
    ``self_loop``), :class:`~conflicts.workshop.TextTooLong`,
    :class:`~conflicts.workshop.InvalidText` and the errors of a ballot
    (:class:`~conflicts.workshop.WorkshopNotOpen`, :class:`~conflicts.workshop.NotJoined`,
    :class:`~conflicts.workshop.NotEntitled`)."""
    c = normalise_code(code)
    clean_title = _clean_text(title, "title", PROPOSAL_TITLE_MAX, required=True)
    clean_text = _clean_multiline(text, "text", PROPOSAL_TEXT_MAX)

    def tx(conn: Connection) -> Proposal:
        w, p = _voting_context(conn, c, voter_id)
        _check_nodes(_row_catalogue(conn, w), from_node, to_node)
        n = conn.execute(
            select(func.count()).select_from(proposals).where(proposals.c.participant_id == p["id"])
        ).scalar()
        if n >= MAX_PROPOSALS_PER_PARTICIPANT:
            raise ProposalLimit(
                f"at most {MAX_PROPOSALS_PER_PARTICIPANT} proposals per participant",
                max=MAX_PROPOSALS_PER_PARTICIPANT,
            )
        pid = conn.execute(
            proposals.insert().values(
                workshop_id=w["id"],
                participant_id=p["id"],
                title=clean_title,
                text=clean_text,
                from_node=from_node,
                to_node=to_node,
                status="pending",
                created_at=utcnow(),
            )
        ).inserted_primary_key[0]
        _bump(conn, w["id"], state=False)
        return _to_proposal(_proposal_row(conn, w["id"], pid))

    return _store(store).write(tx)


def list_proposals(ref: WorkshopRef, *, store: Store | None = None) -> list[Proposal]:
    """Every proposal of the workshop, oldest first, with the proposers' display names
    (facilitator view)."""
    code = _code(ref)

    def tx(conn: Connection) -> list[Proposal]:
        row = _workshop_row(conn, code)
        return [_to_proposal(r) for r in conn.execute(_proposal_query(row["id"])).mappings()]

    return _store(store).read(tx)


def my_proposals(code: str, voter_id: str, *, store: Store | None = None) -> list[Proposal]:
    """The voter's own proposals, oldest first (empty if they have not joined)."""
    c = normalise_code(code)

    def tx(conn: Connection) -> list[Proposal]:
        w = _workshop_row(conn, c)
        p = _participant_row(conn, w["id"], voter_id)
        if p is None:
            return []
        q = _proposal_query(w["id"]).where(proposals.c.participant_id == p["id"])
        return [_to_proposal(r) for r in conn.execute(q).mappings()]

    return _store(store).read(tx)


def decline_proposal(ref: WorkshopRef, proposal_id: int, *, store: Store | None = None) -> Proposal:
    """Decline a pending proposal. Raises :class:`UnknownProposal`, code
    ``proposal_not_pending``."""

    def fn(conn: Connection, row) -> Proposal:
        r = _proposal_row(conn, row["id"], proposal_id)
        _require_pending(r)
        conn.execute(
            update(proposals).where(proposals.c.id == proposal_id).values(status="declined")
        )
        return _to_proposal(_proposal_row(conn, row["id"], proposal_id))

    return _facilitate_returning(ref, store, fn)


def merge_proposals(
    ref: WorkshopRef, keep_id: int, duplicate_ids: Iterable[int], *, store: Store | None = None
) -> list[Proposal]:
    """Mark ``duplicate_ids`` (pending) as duplicates of ``keep_id`` (pending or accepted):
    status 'merged', ``merged_into=keep_id``. Returns the kept proposal then the duplicates.

    Raises :class:`UnknownProposal`, :class:`~conflicts.workshop.InvalidSetting` (codes
    ``proposal_not_pending``, ``invalid_setting``: no duplicates or the kept one among them)."""
    dups = list(duplicate_ids)
    if not dups or keep_id in dups or len(set(dups)) != len(dups):
        raise InvalidSetting(
            "give other proposals (each once) to merge into the kept one", field="duplicate_ids"
        )

    def fn(conn: Connection, row) -> list[Proposal]:
        keep = _proposal_row(conn, row["id"], keep_id)
        if keep["status"] not in ("pending", "accepted"):
            _require_pending(keep)
        for d in dups:
            _require_pending(_proposal_row(conn, row["id"], d))
        conn.execute(
            update(proposals)
            .where(proposals.c.id.in_(dups))
            .values(status="merged", merged_into=keep_id)
        )
        return [_to_proposal(_proposal_row(conn, row["id"], i)) for i in (keep_id, *dups)]

    return _facilitate_returning(ref, store, fn)


def accept_proposal(
    ref: WorkshopRef, proposal_id: int, *, score: int = -1, store: Store | None = None
) -> AgendaItem:
    """Accept a pending proposal: it becomes a workshop interaction (origin 'proposal', tag
    ``proposed``, the title in every catalogue language, its text as description, ``score``
    -3..3) appended to the agenda; the proposal gets status 'accepted' and the interaction id.

    Raises :class:`UnknownProposal`, code ``proposal_not_pending``,
    :class:`~conflicts.workshop.ValueOutOfRange` (score)."""
    _check_score(score)

    def fn(conn: Connection, row) -> AgendaItem:
        r = _proposal_row(conn, row["id"], proposal_id)
        _require_pending(r)
        item = _insert_interaction(
            conn,
            row,
            from_node=r["from_node"],
            to_node=r["to_node"],
            score=score,
            title=r["title"],
            description=r["text"],
            origin="proposal",
            proposal_id=r["id"],
        )
        conn.execute(
            update(proposals)
            .where(proposals.c.id == proposal_id)
            .values(status="accepted", interaction_id=item.interaction_id)
        )
        return item

    return _facilitate_returning(ref, store, fn)


# --------------------------------------------------------------------------------------------
# Who is in the room (pure)
# --------------------------------------------------------------------------------------------
def representation(
    catalogue: Catalogue, interaction_id: str, participants: Iterable[Participant]
) -> Representation:
    """Which decision levels (``interaction.levels``) and actor types (the types of
    ``interaction.actors``) an interaction needs, how many participants of each are present
    (their self-declared ``level``/``actor_type``), and which are missing.

    Raises :class:`~conflicts.workshop.InvalidSetting` (code ``unknown_interaction``: not an
    interaction of the catalogue, e.g. a warm-up key)."""
    inter = catalogue.interactions_by_id.get(interaction_id)
    if inter is None:
        raise InvalidSetting(
            f"unknown interaction id {interaction_id!r}",
            code="unknown_interaction",
            interaction=interaction_id,
        )
    levels = tuple(dict.fromkeys(str(lv) for lv in inter.levels))
    actors = tuple(a for a in inter.actors if a in catalogue.actors_by_id)
    types = tuple(dict.fromkeys(str(catalogue.actors_by_id[a].type) for a in actors))
    people = list(participants)
    level_counts = Counter(p.level for p in people if p.level)
    type_counts = Counter(p.actor_type for p in people if p.actor_type)
    return Representation(
        interaction_id=interaction_id,
        needed_actors=actors,
        needed_levels=levels,
        needed_actor_types=types,
        levels_present={lv: level_counts.get(lv, 0) for lv in levels},
        actor_types_present={t: type_counts.get(t, 0) for t in types},
        missing_levels=tuple(lv for lv in levels if not level_counts.get(lv)),
        missing_actor_types=tuple(t for t in types if not type_counts.get(t)),
    )


def room_composition(participants: Iterable[Participant]) -> RoomComposition:
    """Participants counted by actor type and by level (most frequent first)."""
    people = list(participants)
    types = Counter(p.actor_type for p in people if p.actor_type)
    levels = Counter(p.level for p in people if p.level)
    return RoomComposition(
        total=len(people),
        by_actor_type=dict(types.most_common()),
        by_level=dict(levels.most_common()),
        no_actor_type=sum(1 for p in people if not p.actor_type),
        no_level=sum(1 for p in people if not p.level),
    )


# --------------------------------------------------------------------------------------------
# Export sections (called by conflicts.workshop.export_data inside its read transaction)
# --------------------------------------------------------------------------------------------
def _export_sections(conn: Connection, w: Workshop, cat: Catalogue, t: WorkshopTally) -> dict:
    lang = cat.languages[0]
    by_item = {i.id: i for i in w.items}
    agenda = []
    for i in w.items:
        inter = cat.interactions_by_id.get(i.interaction_id)
        agenda.append(
            {
                "item_id": i.id,
                "position": i.position,
                "kind": i.kind,
                "interaction_id": i.interaction_id,
                "question": i.question,
                "title": i.question_text(lang)
                if i.is_warmup
                else cat.text(inter.title if inter else None, lang),
                "voting": i.voting,
            }
        )
    warmups = []
    for wt in t.warmups:
        d = wt.as_dict()
        item = by_item.get(wt.item_id)
        d["question"] = item.question if item else None
        warmups.append(d)
    outcome_dicts = []
    for r in conn.execute(select(outcomes).where(outcomes.c.workshop_id == w.id)).mappings():
        o = _to_outcome(r)
        item = by_item.get(o.item_id)
        outcome_dicts.append(
            {
                "item_id": o.item_id,
                "position": item.position if item else None,
                "interaction_id": item.interaction_id if item else None,
                "summary": o.summary,
                "outcome": o.outcome,
                "owner": o.owner,
                "next_step": o.next_step,
                "due_date": o.due_date.isoformat() if o.due_date else None,
                "updated_at": o.updated_at.isoformat() if o.updated_at else None,
            }
        )
    outcome_dicts.sort(key=lambda d: (d["position"] or 0, d["item_id"]))
    proposal_dicts = [
        {  # anonymous: no participant id, pseudonym or name
            "id": r["id"],
            "title": r["title"],
            "text": r["text"],
            "from": r["from_node"],
            "to": r["to_node"],
            "status": r["status"],
            "merged_into": r["merged_into"],
            "interaction_id": r["interaction_id"],
            "created_at": as_utc(r["created_at"]).isoformat(),
        }
        for r in conn.execute(
            select(proposals).where(proposals.c.workshop_id == w.id).order_by(proposals.c.id)
        ).mappings()
    ]
    added = [
        {
            "interaction_id": r["interaction_id"],
            "origin": r["origin"],
            "proposal_id": r["proposal_id"],
            "interaction": json.loads(r["payload"]),
            "created_at": as_utc(r["created_at"]).isoformat(),
        }
        for r in conn.execute(
            select(workshop_interactions)
            .where(workshop_interactions.c.workshop_id == w.id)
            .order_by(workshop_interactions.c.id)
        ).mappings()
    ]
    return {
        "agenda": agenda,
        "warmups": warmups,
        "outcomes": outcome_dicts,
        "proposals": proposal_dicts,
        "added_interactions": added,
    }
