"""Tallies of a workshop's agenda (one read) and who is in the room (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, func, select

from conflicts import tally
from conflicts.catalogue import (
    Catalogue,
)
from conflicts.store import (
    Store,
    ballots,
    participants,
    workshops,
)
from conflicts.workshops._db import (
    _granted_row,
    _participant_stats,
    _to_workshop,
    _to_workshops,
    _workshop_row,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import InvalidSetting, WorkshopNotFound
from conflicts.workshops.model import (
    Participant,
    Representation,
    RoomComposition,
    Workshop,
    WorkshopRef,
    WorkshopTally,
    _code,
)


def _tally(conn: Connection, store: Store, w: Workshop, facilitator: bool) -> WorkshopTally:
    rows = store.tally_rows(conn, w.id, w.method)
    warmup_rows: list[tuple] = []
    warmup_ids = [i.id for i in w.items if i.kind == "warmup"]
    if warmup_ids:
        q = (  # any method: warm-up ballots keep the method the workshop had when cast
            select(ballots.c.item_id, ballots.c.value, ballots.c.skipped, func.count())
            .where(ballots.c.workshop_id == w.id, ballots.c.item_id.in_(warmup_ids))
            .group_by(ballots.c.item_id, ballots.c.value, ballots.c.skipped)
        )
        warmup_rows = [tuple(r) for r in conn.execute(q)]
    n = conn.execute(
        select(func.count()).select_from(participants).where(participants.c.workshop_id == w.id)
    ).scalar()
    return _tally_of(w, rows, warmup_rows, n, facilitator)


def _tally_of(
    w: Workshop, rows: list[tuple], warmup_rows: list[tuple], n: int, facilitator: bool
) -> WorkshopTally:
    """The tally of ``w`` from its ``(item_id, value, skipped, count)`` ballot rows in its method,
    those of its warm-ups (any method) and its number of participants (no query)."""
    cat = w.catalogue()
    refs = [
        tally.AgendaRef(
            item_id=i.id,
            interaction_id=i.interaction_id,
            position=i.position,
            voting=i.voting,
            catalogue_score=(
                cat.interactions_by_id[i.interaction_id].score
                if i.interaction_id in cat.interactions_by_id
                else None
            ),
        )
        for i in w.items
        if i.is_interaction
    ]
    items = tally.tally_workshop(
        refs,
        rows,
        w.method,
        dot_budget=w.dot_budget,
        ranking_size=w.ranking_size,
        participants=n,
    )
    items = tally.visible(
        items,
        w.method,
        hide_until_closed=w.hide_results_until_closed,
        facilitator=facilitator,
    )
    warmups: list[tally.WarmupTally] = []
    warmup_items = [i for i in w.items if i.kind == "warmup"]
    if warmup_items:
        by_item: dict[int, list[tuple]] = {}
        for item_id, value, skipped, count in warmup_rows:
            by_item.setdefault(item_id, []).append((value, bool(skipped), count))
        options = [g.id for g in cat.goals]
        for i in warmup_items:
            t = tally.tally_warmup(i.id, i.position, i.voting, options, by_item.get(i.id, []))
            warmups.append(
                tally.visible_warmup(
                    t, hide_until_closed=w.hide_results_until_closed, facilitator=facilitator
                )
            )
    return WorkshopTally(
        code=w.code,
        method=w.method,
        status=w.status,
        participants=n,
        revision=w.revision,
        tally_revision=w.tally_revision,
        items=items,
        warmups=warmups,
    )


def get_tally(ref: WorkshopRef | FacilitatorGrant, *, store: Store) -> WorkshopTally:
    """Live tallies of every agenda item, with the priority ranking.

    ``ref`` is a join code (or :class:`Workshop`): the room's view, where with
    ``hide_results_until_closed`` only the counts of items whose voting is not closed are shown
    (see :func:`conflicts.tally.visible`); or a :class:`FacilitatorGrant`: nothing hidden.
    """
    if isinstance(ref, FacilitatorGrant):
        return store.read(
            lambda conn: _tally(conn, store, _to_workshop(conn, _granted_row(conn, ref)), True)
        )
    c = _code(ref)
    return store.read(
        lambda conn: _tally(conn, store, _to_workshop(conn, _workshop_row(conn, c)), False)
    )


def public_tallies(codes: Sequence[str], *, store: Store) -> list[tuple[Workshop, WorkshopTally]]:
    """Each workshop of ``codes`` with its room's tally (as :func:`get_workshop` and
    :func:`get_tally` by code give them), read in ONE transaction of six queries however many
    workshops there are: a regional projector reads all its rooms at once. Raises
    :class:`~conflicts.workshops.WorkshopNotFound` for an unknown code."""
    wanted = [_code(c) for c in codes]
    if not wanted:
        return []

    def tx(conn: Connection) -> list[tuple[Workshop, WorkshopTally]]:
        found = {
            r["code"]: r
            for r in conn.execute(select(workshops).where(workshops.c.code.in_(wanted))).mappings()
        }
        for c in wanted:
            if c not in found:
                raise WorkshopNotFound(f"no workshop with code {c}", code_value=c)
        rows = [found[c] for c in wanted]
        stats = _participant_stats(conn, [r["id"] for r in rows])
        ws_ = _to_workshops(conn, rows, stats)
        keys = (ballots.c.workshop_id, ballots.c.method, ballots.c.item_id, ballots.c.value)
        keys += (ballots.c.skipped,)
        counts = (
            select(*keys, func.count())
            .where(ballots.c.workshop_id.in_([w.id for w in ws_]))
            .group_by(*keys)
        )
        by_workshop: dict[int, list[tuple]] = {}
        for wid, method, *rest in conn.execute(counts):
            by_workshop.setdefault(wid, []).append((method, tuple(rest)))
        return [(w, _room_tally(w, by_workshop.get(w.id, []), stats)) for w in ws_]

    return store.read(tx)


def _room_tally(w: Workshop, counted: list[tuple], stats: dict) -> WorkshopTally:
    """A room's tally from its ``(method, (item_id, value, skipped, count))`` rows."""
    warmup_ids = {i.id for i in w.items if i.kind == "warmup"}
    rows = [r for method, r in counted if method == w.method]
    warmup_rows = [r for _, r in counted if r[0] in warmup_ids]
    return _tally_of(w, rows, warmup_rows, stats.get(w.id, (0, 0))[1], False)


def representation(
    catalogue: Catalogue, interaction_id: str, participants: Iterable[Participant]
) -> Representation:
    """Which decision levels (``interaction.levels``) and actor types (the types of
    ``interaction.actors``) an interaction needs, how many participants of each are present
    (their self-declared ``level``/``actor_type``), and which are missing.

    Raises :class:`~conflicts.workshops.InvalidSetting` (code ``unknown_interaction``: not an
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
