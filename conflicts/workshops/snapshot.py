"""One snapshot of a workshop for results, reports and every export format, read in ONE
transaction (so a report never mixes two states of a workshop that is still running).

Typed (frozen dataclasses, real datetimes): the renderers in :mod:`conflicts.reports` read it and
do their own serialisation (JSON, CSV, YAML). Anonymous by construction: ballots carry a
pseudonym and nothing else about the voter (no self-description, no timestamp); proposals carry
no voter at all. The participants' self-descriptions are kept apart (:attr:`WorkshopSnapshot.
participants`) for counts only. Facilitator-only: reading it takes the
:class:`~conflicts.workshops.FacilitatorGrant`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from conflicts.catalogue import Catalogue
from conflicts.room_matrix import RoomMatrix
from conflicts.store import (
    Store,
    as_utc,
    ballots,
    outcomes,
    participants,
    proposals,
    workshop_interactions,
)
from conflicts.tally import ItemTally, WarmupTally
from conflicts.workshops._db import (
    _granted_row,
    _origins,
    _proposal_fields,
    _to_outcome,
    _to_participant,
    _to_workshop,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.matrix_session import _room
from conflicts.workshops.model import AgendaItem, Outcome, Participant, Workshop, WorkshopTally
from conflicts.workshops.tallies import _tally


def pseudonym(anon_salt: str, voter_id: str) -> str:
    """A stable per-workshop pseudonym such as ``p-1a2b3c4d`` (HMAC-SHA256, secret salt)."""
    digest = hmac.new(anon_salt.encode(), voter_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"p-{digest[:8]}"


@dataclass(frozen=True)
class ItemRecord:
    """The tally of one interaction item with its title (the catalogue's first language), its
    nodes and where it came from (``origin``: 'catalogue', 'facilitator' or 'proposal')."""

    tally: ItemTally
    title: str
    from_node: str | None
    to_node: str | None
    origin: str


@dataclass(frozen=True)
class BallotRecord:
    """One ballot, anonymous: a per-workshop pseudonym (:func:`pseudonym`) and the vote; never
    the voter's self-description or the time of the vote (together they single a person out).
    ``goal`` is the chosen goal of a warm-up ballot (None otherwise)."""

    participant: str
    item_id: int
    position: int | None
    interaction_id: str | None
    kind: str | None
    method: str
    value: int | None
    skipped: bool
    goal: str | None = None


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item with its title (a warm-up's question) in the catalogue's first language."""

    item: AgendaItem
    title: str


@dataclass(frozen=True)
class WarmupRecord:
    """A warm-up's tally (ballots by goal id) and its question (``{lang: text}``)."""

    tally: WarmupTally
    question: dict[str, str] | None


@dataclass(frozen=True)
class OutcomeRecord:
    """An item's recorded outcome and notes, with the item's place on the agenda."""

    outcome: Outcome
    position: int | None
    interaction_id: str | None


@dataclass(frozen=True)
class ProposalRecord:
    """A participant's proposal, anonymous (no participant id, pseudonym or name)."""

    id: int
    title: str
    text: str | None
    from_node: str | None
    to_node: str | None
    status: str
    merged_into: int | None
    interaction_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class AddedInteraction:
    """An interaction added in the workshop (``interaction``: its catalogue payload)."""

    interaction_id: str
    origin: str
    proposal_id: int | None
    interaction: dict[str, Any] = field(hash=False)
    created_at: datetime | None = None


@dataclass(frozen=True)
class MatrixRecord:
    """A matrix scoring session: its agenda item (nodes, voting state) and the room's matrix
    (:class:`conflicts.room_matrix.RoomMatrix`, rationales included, anonymous)."""

    item: AgendaItem
    matrix: RoomMatrix = field(hash=False)


@dataclass(frozen=True)
class WorkshopSnapshot:
    """A workshop as of one transaction: its tallies (the facilitator's: nothing hidden), the
    anonymous ballots, agenda, warm-ups, outcomes, proposals and added interactions.

    ``participants`` are for the room's composition only (self-descriptions, shown as counts;
    renderers never print their names or ids)."""

    workshop: Workshop
    participants: tuple[Participant, ...]
    tally: WorkshopTally
    catalogue_title: str
    catalogue_version: str
    items: tuple[ItemRecord, ...] = ()
    ballots: tuple[BallotRecord, ...] = ()
    agenda: tuple[AgendaEntry, ...] = ()
    warmups: tuple[WarmupRecord, ...] = ()
    outcomes: tuple[OutcomeRecord, ...] = ()
    proposals: tuple[ProposalRecord, ...] = ()
    added: tuple[AddedInteraction, ...] = ()
    matrices: tuple[MatrixRecord, ...] = ()


def snapshot(grant: FacilitatorGrant, *, store: Store) -> WorkshopSnapshot:
    """The workshop, its participants, tallies and records, read in one transaction."""

    def tx(conn: Connection) -> WorkshopSnapshot:
        row = _granted_row(conn, grant)
        people = conn.execute(
            select(participants)
            .where(participants.c.workshop_id == row["id"])
            .order_by(participants.c.id)
        ).mappings()
        w = _to_workshop(conn, row)
        t = _tally(conn, store, w, True)
        cat = w.catalogue()
        lang = cat.languages[0]
        return WorkshopSnapshot(
            workshop=w,
            participants=tuple(_to_participant(r) for r in people),
            tally=t,
            catalogue_title=cat.text(cat.meta.title, lang),
            catalogue_version=cat.meta.version,
            items=_item_records(conn, w, cat, t),
            ballots=_ballot_records(conn, row["anon_salt"], w, cat),
            agenda=tuple(_agenda_entry(i, cat, lang) for i in w.items),
            warmups=tuple(
                WarmupRecord(wt, w.item(wt.item_id).question if w.item(wt.item_id) else None)
                for wt in t.warmups
            ),
            outcomes=_outcome_records(conn, w),
            proposals=_proposal_records(conn, w),
            added=_added_records(conn, w),
            matrices=tuple(
                MatrixRecord(i, _room(conn, w, i, hidden=False)) for i in w.items if i.is_matrix
            ),
        )

    return store.read(tx)


def public_snapshot(w: Workshop, t: WorkshopTally) -> WorkshopSnapshot:
    """What a room's own projector shows, as a snapshot: the workshop and its public tally
    (``t`` from :func:`~conflicts.workshops.get_tally` with the code, so hidden results stay
    hidden), and nothing else: no participants, ballots, outcomes or proposals. For views that
    need no key, such as a series' regional projector."""
    cat = w.catalogue()
    lang = cat.languages[0]
    return WorkshopSnapshot(
        workshop=w,
        participants=(),
        tally=t,
        catalogue_title=cat.text(cat.meta.title, lang),
        catalogue_version=cat.meta.version,
        items=_records_of(cat, t, {}),
    )


def _item_records(conn: Connection, w: Workshop, cat: Catalogue, t: WorkshopTally):
    return _records_of(cat, t, _origins(conn, w.id))


def _records_of(cat: Catalogue, t: WorkshopTally, origins: dict[str, str]):
    lang = cat.languages[0]
    records = []
    for it in t.items:
        inter = cat.interactions_by_id.get(it.interaction_id)
        records.append(
            ItemRecord(
                tally=it,
                title=cat.text(inter.title, lang) if inter else "",
                from_node=inter.from_ if inter else None,
                to_node=inter.to if inter else None,
                origin=origins.get(it.interaction_id, "catalogue"),
            )
        )
    return tuple(records)


def _ballot_records(conn: Connection, salt: str, w: Workshop, cat: Catalogue):
    by_item = {i.id: i for i in w.items}
    goal_ids = [g.id for g in cat.goals]
    q = (
        select(ballots, participants.c.voter_id)
        .join(participants, participants.c.id == ballots.c.participant_id)
        .where(ballots.c.workshop_id == w.id)
    )
    records = []
    for r in conn.execute(q).mappings():
        item = by_item.get(r["item_id"])
        value = r["value"]
        warmup = item is not None and item.kind == "warmup"
        records.append(
            BallotRecord(
                participant=pseudonym(salt, r["voter_id"]),
                item_id=r["item_id"],
                position=item.position if item else None,
                interaction_id=item.interaction_id if item else None,
                kind=item.kind if item else None,
                method=r["method"],
                value=value,
                skipped=bool(r["skipped"]),
                goal=goal_ids[value]
                if warmup and value is not None and 0 <= value < len(goal_ids)
                else None,
            )
        )
    records.sort(key=lambda b: (b.position or 0, b.participant))
    return tuple(records)


def _agenda_entry(i: AgendaItem, cat: Catalogue, lang: str) -> AgendaEntry:
    if i.is_warmup:
        return AgendaEntry(i, i.question_text(lang))
    if i.is_matrix:
        return AgendaEntry(i, f"matrix: {len(i.nodes)} nodes")
    inter = cat.interactions_by_id.get(i.interaction_id)
    return AgendaEntry(i, cat.text(inter.title if inter else None, lang))


def _outcome_records(conn: Connection, w: Workshop):
    by_item = {i.id: i for i in w.items}
    records = []
    for r in conn.execute(select(outcomes).where(outcomes.c.workshop_id == w.id)).mappings():
        o = _to_outcome(r)
        item = by_item.get(o.item_id)
        records.append(
            OutcomeRecord(o, item.position if item else None, item.interaction_id if item else None)
        )
    records.sort(key=lambda d: (d.position or 0, d.outcome.item_id))
    return tuple(records)


def _proposal_records(conn: Connection, w: Workshop):
    rows = conn.execute(
        select(proposals).where(proposals.c.workshop_id == w.id).order_by(proposals.c.id)
    ).mappings()
    return tuple(ProposalRecord(**_proposal_fields(r)) for r in rows)


def _added_records(conn: Connection, w: Workshop):
    rows = conn.execute(
        select(workshop_interactions)
        .where(workshop_interactions.c.workshop_id == w.id)
        .order_by(workshop_interactions.c.id)
    ).mappings()
    return tuple(
        AddedInteraction(
            interaction_id=r["interaction_id"],
            origin=r["origin"],
            proposal_id=r["proposal_id"],
            interaction=json.loads(r["payload"]),
            created_at=as_utc(r["created_at"]),
        )
        for r in rows
    )
