"""Building the agenda: set, reorder, order, move, remove; interactions and warm-ups added in the
workshop."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, delete, func, select, update

from conflicts.catalogue import Catalogue, Interaction, Score
from conflicts.store import (
    Store,
    agenda_items,
    ballots,
    outcomes,
    pair_scores,
    utcnow,
    workshop_interactions,
)
from conflicts.tally import SCORE_SCALE
from conflicts.workshops._db import (
    _append_item,
    _facilitate,
    _item_row,
    _items,
    _locked,
    _renumber,
    _row_catalogue,
    _set,
    _to_workshop,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import (
    InvalidSetting,
    InvalidValue,
    ValueOutOfRange,
    WorkshopError,
)
from conflicts.workshops.model import (
    ADDED_ID_PREFIX,
    AGENDA_ORDERS,
    DESCRIPTION_MAX,
    MAX_QUESTIONS,
    QUESTION_MAX,
    TITLE_MAX,
    WARMUP_ID_PREFIX,
    AgendaItem,
    Workshop,
    WorkshopTally,
)
from conflicts.workshops.tallies import _tally
from conflicts.workshops.text import _is_int, _texts


def _check_agenda(cat: Catalogue, interaction_ids: list[str]) -> list[str]:
    seen: set[str] = set()
    for iid in interaction_ids:
        if iid not in cat.interactions_by_id:
            raise InvalidSetting(
                f"unknown interaction id {iid!r}", code="unknown_interaction", interaction=iid
            )
        if iid in seen:
            raise InvalidSetting(
                f"interaction {iid!r} is twice on the agenda",
                code="duplicate_item",
                interaction=iid,
            )
        seen.add(iid)
    return list(interaction_ids)


def set_agenda(grant: FacilitatorGrant, interaction_ids: list[str], *, store: Store) -> Workshop:
    """Make the agenda exactly ``interaction_ids`` in that order.

    Items already on the agenda keep their id, voting state and ballots; new ids get new items;
    removed items must have no ballots. Ids may be those of the catalogue snapshot and of the
    interactions added in the workshop. Warm-up items stay: listed by their key (e.g.
    ``warmup-1``) they take that place, unlisted they go first (remove one with
    :func:`conflicts.workshops.remove_item`). Raises :class:`InvalidSetting` (codes
    ``unknown_interaction``, ``duplicate_item``, ``item_has_ballots``).
    """
    ids = list(interaction_ids)

    def fn(conn: Connection, row) -> None:
        cat = _row_catalogue(conn, row)
        current = _items(conn, row["id"])
        # warm-ups and matrix sessions (their keys are not interactions) stay like warm-ups
        warmups = [i.interaction_id for i in current if not i.is_interaction]
        listed_warmups = [iid for iid in ids if iid in warmups]
        if len(set(listed_warmups)) != len(listed_warmups):
            raise InvalidSetting("a warm-up is twice on the agenda", code="duplicate_item")
        _check_agenda(cat, [iid for iid in ids if iid not in warmups])
        existing = {i.interaction_id: i for i in current}
        order = [iid for iid in warmups if iid not in ids] + ids
        removed = [i for iid, i in existing.items() if iid not in order]
        for item in removed:
            n = conn.execute(
                select(func.count()).select_from(ballots).where(ballots.c.item_id == item.id)
            ).scalar()
            if n:
                raise InvalidSetting(
                    f"interaction {item.interaction_id!r} has ballots and cannot be removed",
                    code="item_has_ballots",
                    interaction=item.interaction_id,
                )
            conn.execute(delete(agenda_items).where(agenda_items.c.id == item.id))
            if row["current_item_id"] == item.id:
                _set(conn, row, current_item_id=None)
        for pos, iid in enumerate(order, start=1):
            if iid in existing:
                conn.execute(
                    update(agenda_items)
                    .where(agenda_items.c.id == existing[iid].id)
                    .values(position=pos)
                )
            else:
                conn.execute(
                    agenda_items.insert().values(
                        workshop_id=row["id"], position=pos, interaction_id=iid
                    )
                )

    return _facilitate(grant, store, fn)


def reorder_agenda(grant: FacilitatorGrant, item_ids: list[int], *, store: Store) -> Workshop:
    """Reorder the agenda: ``item_ids`` must be exactly the current item ids, in the new order.

    Raises :class:`InvalidSetting` (code ``invalid_agenda``)."""

    def fn(conn: Connection, row) -> None:
        current = {i.id for i in _items(conn, row["id"])}
        if len(item_ids) != len(current) or set(item_ids) != current:
            raise InvalidSetting(
                "the new order must list every agenda item exactly once", code="invalid_agenda"
            )
        for pos, iid in enumerate(item_ids, start=1):
            conn.execute(update(agenda_items).where(agenda_items.c.id == iid).values(position=pos))

    return _facilitate(grant, store, fn)


def _check_nodes(cat: Catalogue, from_node: Any, to_node: Any) -> tuple[str, str]:
    for name, node in (("from_node", from_node), ("to_node", to_node)):
        if not isinstance(node, str) or node not in cat.nodes:
            raise InvalidValue(
                f"no goal or sub-goal {node!r}", code="unknown_node", field=name, node=str(node)
            )
    if from_node == to_node:
        raise InvalidValue(f"{from_node!r} cannot interact with itself", code="self_loop")
    return from_node, to_node


_SCORE = TypeAdapter(Score)


def _check_score(score: Any) -> int:
    """An interaction's score as the catalogue model declares it (:data:`conflicts.catalogue.Score`,
    -3..+3 integers)."""
    try:
        return _SCORE.validate_python(score)
    except ValidationError as err:
        raise _interaction_error(err, ("score",)) from None


def _interaction_error(err: ValidationError, prefix: tuple = ()) -> WorkshopError:
    """The catalogue model's first complaint about an interaction as a :class:`WorkshopError` with
    a stable code (translated as ``err.<code>``), never the raw pydantic error."""
    first = err.errors()[0]
    loc = (*prefix, *first["loc"])
    field_name = {"from": "from_node", "to": "to_node"}.get(str(loc[0]), str(loc[0]))
    message = f"{field_name}: {first['msg']}"
    if field_name == "score":
        lo, hi = SCORE_SCALE
        value = first.get("input")
        return ValueOutOfRange(message, min=lo, max=hi, value=value if _is_int(value) else None)
    if field_name == "questions" and first["type"] == "too_long":
        return InvalidSetting(
            f"give a list of at most {MAX_QUESTIONS} questions", field="questions"
        )
    if field_name in ("levels", "actors", "questions"):
        return InvalidValue(message, field=field_name)
    return InvalidValue(message, code="invalid_interaction", field=field_name)


def _validated_interaction(payload: dict[str, Any]) -> Interaction:
    """``payload`` through the catalogue's own model (the one place its shape is checked)."""
    try:
        return Interaction.model_validate(payload)
    except ValidationError as err:
        raise _interaction_error(err) from None


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


def order_agenda(grant: FacilitatorGrant, by: str, *, store: Store) -> Workshop:
    """Reorder the agenda ``by`` 'catalogue' (catalogue order, added interactions last),
    'strength' (|catalogue score| descending, then catalogue order) or 'priority' (the room's
    tally ranking first, unranked items after in their current order). Warm-ups stay first.
    Only positions change (ballots, voting states and ids stay), so it works after voting.

    Raises :class:`~conflicts.workshops.InvalidSetting` (unknown ``by``)."""
    if by not in AGENDA_ORDERS:
        raise InvalidSetting(
            f"unknown order {by!r} (choose {', '.join(AGENDA_ORDERS)})", field="by", value=str(by)
        )

    def fn(conn: Connection, row) -> None:
        w = _to_workshop(conn, row)
        t = _tally(conn, store, w, True) if by == "priority" else None
        _renumber(conn, _agenda_order(w, by, t))

    return _facilitate(grant, store, fn)


def move_item(grant: FacilitatorGrant, item_id: int, delta: int, *, store: Store) -> Workshop:
    """Move an agenda item ``delta`` places (-1: up, +1: down), clamped at the ends.

    Raises :class:`~conflicts.workshops.UnknownItem`, :class:`~conflicts.workshops.InvalidSetting`
    (``delta`` not an integer)."""
    if not _is_int(delta):
        raise InvalidSetting("delta must be an integer", field="delta")

    def fn(conn: Connection, row) -> None:
        _item_row(conn, row["id"], item_id)
        ids = [i.id for i in _items(conn, row["id"])]
        old = ids.index(item_id)
        ids.insert(max(0, min(len(ids) - 1, old + delta)), ids.pop(old))
        _renumber(conn, ids)

    return _facilitate(grant, store, fn)


def remove_item(grant: FacilitatorGrant, item_id: int, *, store: Store) -> Workshop:
    """Remove an agenda item that has no ballots (any kind; an added interaction stays in the
    catalogue). Raises :class:`~conflicts.workshops.UnknownItem`,
    :class:`~conflicts.workshops.InvalidSetting` (code ``item_has_ballots``)."""

    def fn(conn: Connection, row) -> None:
        item = _item_row(conn, row["id"], item_id)
        n = (
            conn.execute(
                select(func.count()).select_from(ballots).where(ballots.c.item_id == item_id)
            ).scalar()
            + conn.execute(
                select(func.count())
                .select_from(pair_scores)
                .where(pair_scores.c.item_id == item_id)
            ).scalar()
        )
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

    return _facilitate(grant, store, fn)


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
    title_t = _texts(title, "title", langs, TITLE_MAX, required=True)
    desc_t = _texts(
        description, "description", langs, DESCRIPTION_MAX, required=False, multiline=True
    )
    # Text cleaning (lengths, control characters) is ours; list shapes, the score and the levels
    # are the catalogue model's (below). Anything not a list goes to the model as is.
    if isinstance(questions, list | tuple):
        questions = [
            q
            for q in (
                _texts(q, "questions", langs, QUESTION_MAX, required=False) for q in questions
            )
            if q
        ]
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
    optional = {"description": desc_t, "questions": questions, "levels": levels, "actors": actors}
    payload.update((k, v) for k, v in optional.items() if v)
    inter = _validated_interaction(payload)
    for a in inter.actors:
        if a not in cat.actors_by_id:
            raise InvalidValue(f"unknown actor {a!r}", field="actors")
    if inter.levels:
        payload["levels"] = [str(lv) for lv in inter.levels]
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
    grant: FacilitatorGrant,
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
    store: Store,
) -> AgendaItem:
    """Add an interaction that is not in the catalogue and append it to the agenda.

    Stored per workshop (id ``ws-1``, ``ws-2``, ...) and part of
    :meth:`Workshop.catalogue() <conflicts.workshops.Workshop.catalogue>` from now on (graph,
    tallies, exports, projector). ``origin='proposal'`` tags it ``proposed``. Validated against
    the catalogue: nodes exist and differ, score -3..3, title at most 200 characters per
    language, description 2000, at most 4 questions of 300; ``levels``/``actors`` optional.

    Raises :class:`~conflicts.workshops.InvalidValue` (``unknown_node``, ``self_loop``,
    ``invalid_value``), :class:`~conflicts.workshops.ValueOutOfRange`,
    :class:`~conflicts.workshops.TextTooLong`, :class:`~conflicts.workshops.InvalidText`,
    :class:`~conflicts.workshops.InvalidSetting`."""
    return _locked(
        grant,
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
    grant: FacilitatorGrant, question: dict[str, str] | str, *, store: Store
) -> AgendaItem:
    """Add a warm-up step FIRST on the agenda: ``question`` (at most 300 characters per
    language) answered with one of the catalogue's goals (:func:`warmup_options`).

    Participants answer with ``cast_ballot(code, voter, item.id, value=<goal index>)`` once its
    voting is open; its tally (``get_tally(code).warmup(item.id)``) counts ballots per goal. It
    takes no part in the priority ranking nor in the dot budget, and does not lock the method.
    Raises :class:`~conflicts.workshops.InvalidText`, :class:`~conflicts.workshops.TextTooLong`,
    :class:`~conflicts.workshops.InvalidValue`."""

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

    return _locked(grant, store, fn)
