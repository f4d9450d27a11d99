"""One snapshot of a workshop for results, reports and every export format, read in ONE
transaction (so a report never mixes two states of a workshop that is still running).

Facilitator-only: reading it takes the :class:`~conflicts.workshops.FacilitatorGrant`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from conflicts.catalogue import (
    Catalogue,
)
from conflicts.store import (
    Store,
    as_utc,
    ballots,
    outcomes,
    participants,
    proposals,
    workshop_interactions,
)
from conflicts.workshops._db import (
    _granted_row,
    _origins,
    _to_outcome,
    _to_participant,
    _to_workshop,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.model import Participant, Workshop, WorkshopTally
from conflicts.workshops.tallies import _tally


def pseudonym(anon_salt: str, voter_id: str) -> str:
    """A stable per-workshop pseudonym such as ``p-1a2b3c4d`` (HMAC-SHA256, secret salt)."""
    digest = hmac.new(anon_salt.encode(), voter_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"p-{digest[:8]}"


@dataclass(frozen=True)
class WorkshopSnapshot:
    """A workshop, its participants and its anonymised export data, as of one transaction.

    ``participants`` are for the room's composition only (renderers never print their names);
    ``data`` is :func:`export_data`'s dict."""

    workshop: Workshop
    participants: tuple[Participant, ...]
    data: dict = field(hash=False)


def snapshot(grant: FacilitatorGrant, *, store: Store) -> WorkshopSnapshot:
    """The workshop, its participants and its export data, read in one transaction."""

    def tx(conn: Connection) -> WorkshopSnapshot:
        row = _granted_row(conn, grant)
        people = conn.execute(
            select(participants)
            .where(participants.c.workshop_id == row["id"])
            .order_by(participants.c.id)
        ).mappings()
        w = _to_workshop(conn, row)
        return WorkshopSnapshot(
            workshop=w,
            participants=tuple(_to_participant(r) for r in people),
            data=_export_dict(conn, store, row, w),
        )

    return store.read(tx)


def export_data(grant: FacilitatorGrant, *, store: Store) -> dict:
    """The anonymised export as plain data: ``{"workshop", "items", "ballots"}`` plus (schema
    version 2) ``"agenda"`` (every item with ``kind``/``question``), ``"warmups"`` (warm-up
    tallies by goal), ``"outcomes"``, ``"proposals"`` and ``"added_interactions"``.

    Ballots carry a pseudonym instead of the voter id and no display names; tallies are the
    facilitator's (nothing hidden). Proposals carry neither voter ids, pseudonyms nor names.
    ``items`` are the tallies of the interaction items (each with ``kind`` and ``origin``:
    'catalogue', 'facilitator' or 'proposal'). Every format in :data:`EXPORT_FORMATS` renders
    this dict (the CSV only the ballots and the interaction tallies).
    """
    return snapshot(grant, store=store).data


def _export_dict(conn: Connection, store: Store, row, w: Workshop) -> dict:
    t = _tally(conn, store, w, True)
    cat = w.catalogue()
    lang = cat.languages[0]
    by_item = {i.id: i for i in w.items}
    origins = _origins(conn, w.id)
    goal_ids = [g.id for g in cat.goals]
    item_dicts = []
    for it in t.items:
        inter = cat.interactions_by_id.get(it.interaction_id)
        d = it.as_dict()
        d["title"] = cat.text(inter.title, lang) if inter else ""
        d["from"] = inter.from_ if inter else None
        d["to"] = inter.to if inter else None
        d["kind"] = "interaction"
        d["origin"] = origins.get(it.interaction_id, "catalogue")
        item_dicts.append(d)
    q = (
        select(
            ballots,
            participants.c.voter_id,
            participants.c.actor_type,
            participants.c.level,
        )
        .join(participants, participants.c.id == ballots.c.participant_id)
        .where(ballots.c.workshop_id == w.id)
    )
    ballot_dicts = []
    for r in conn.execute(q).mappings():
        item = by_item.get(r["item_id"])
        warmup = item is not None and item.kind == "warmup"
        value = r["value"]
        ballot_dicts.append(
            {
                "participant": pseudonym(row["anon_salt"], r["voter_id"]),
                "item_id": r["item_id"],
                "position": item.position if item else None,
                "interaction_id": item.interaction_id if item else None,
                "kind": item.kind if item else None,
                "method": r["method"],
                "value": value,
                "skipped": bool(r["skipped"]),
                "actor_type": r["actor_type"],
                "level": r["level"],
                "updated_at": as_utc(r["updated_at"]).isoformat(),
                **(
                    {
                        "goal": goal_ids[value]
                        if value is not None and 0 <= value < len(goal_ids)
                        else None
                    }
                    if warmup
                    else {}
                ),
            }
        )
    ballot_dicts.sort(key=lambda b: (b["position"] or 0, b["participant"]))
    return {
        "workshop": {
            "code": w.code,
            "title": w.title,
            "catalogue_name": w.catalogue_name,
            "catalogue_title": cat.text(cat.meta.title, lang),
            "catalogue_version": cat.meta.version,
            "catalogue_sha256": w.catalogue_sha256,
            "status": w.status,
            "method": w.method,
            "dot_budget": w.dot_budget,
            "ranking_size": w.ranking_size,
            "participants": t.participants,
            "created_at": w.created_at.isoformat(),
        },
        "items": item_dicts,
        "ballots": ballot_dicts,
        **_export_sections(conn, w, cat, t),
    }


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
