"""Row helpers run inside a transaction: row -> dataclass mappers, the locked facilitator
transaction, the one upsert, the common lookups (private to :mod:`conflicts.workshops`)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from conflicts.catalogue import (
    Catalogue,
)
from conflicts.store import (
    Store,
    agenda_items,
    as_utc,
    ballots,
    participants,
    proposals,
    utcnow,
    workshop_interactions,
    workshops,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import (
    AccessDenied,
    NotEntitled,
    NotJoined,
    UnknownItem,
    UnknownProposal,
    VotingClosed,
    WorkshopNotFound,
    WorkshopNotOpen,
)
from conflicts.workshops.model import (
    JOIN_CODE_ALPHABET,
    AgendaItem,
    Ballot,
    Outcome,
    Participant,
    Proposal,
    Workshop,
    _catalogue,
)
from conflicts.workshops.text import _is_int


def _added_json(conn: Connection, workshop_id: int) -> str:
    """The workshop's added interactions as one JSON list (stored payloads, in adding order)."""
    payloads = conn.execute(
        select(workshop_interactions.c.payload)
        .where(workshop_interactions.c.workshop_id == workshop_id)
        .order_by(workshop_interactions.c.id)
    ).scalars()
    return _payloads_json(list(payloads))


def _payloads_json(payloads: list[str]) -> str:
    return f"[{','.join(payloads)}]" if payloads else ""


def _row_catalogue(conn: Connection, row) -> Catalogue:
    """The full catalogue (snapshot + added interactions) of a workshop row."""
    return _catalogue(row["catalogue_yaml"], row["catalogue_name"], _added_json(conn, row["id"]))


def _workshop_row(conn: Connection, code: str, *, lock: bool = False, shared: bool = False):
    """The workshop row; ``lock``: FOR UPDATE (a facilitator change, a join), ``shared``: FOR
    SHARE (a ballot: ballots run side by side, a facilitator change waits for them and they for
    it). SQLite ignores both: its writes are serial (``BEGIN IMMEDIATE``)."""
    q = select(workshops).where(workshops.c.code == code)
    if lock or shared:
        q = q.with_for_update(read=not lock)
    row = conn.execute(q).mappings().first()
    if row is None:
        raise WorkshopNotFound(f"no workshop with code {code}", code_value=code)
    return row


def _items(conn: Connection, workshop_id: int) -> tuple[AgendaItem, ...]:
    rows = conn.execute(
        select(agenda_items)
        .where(agenda_items.c.workshop_id == workshop_id)
        .order_by(agenda_items.c.position, agenda_items.c.id)
    ).mappings()
    return tuple(_to_item(r) for r in rows)


def _to_item(r) -> AgendaItem:
    return AgendaItem(
        id=r["id"],
        position=r["position"],
        interaction_id=r["interaction_id"],
        voting=r["voting"],
        opened_at=as_utc(r["opened_at"]),
        closed_at=as_utc(r["closed_at"]),
        kind=r["kind"] or "interaction",
        question=json.loads(r["question"]) if r["question"] else None,
        **_matrix_fields(r["nodes"]),
    )


def _matrix_fields(raw: str | None) -> dict[str, Any]:
    """A matrix session's ``nodes`` column (JSON ``{"nodes": [...], "per": n}``) as fields."""
    if not raw:
        return {}
    data = json.loads(raw)
    return {"nodes": tuple(data.get("nodes", ())), "pairs_per_participant": data.get("per", 0)}


def _to_workshop(conn: Connection, row, *, with_items: bool = True) -> Workshop:
    return _workshop_of(
        row,
        tally_revision=_tally_revision(conn, row["id"], row["tally_revision"]),
        items=_items(conn, row["id"]) if with_items else (),
        added_json=_added_json(conn, row["id"]),
    )


def _workshop_of(row, *, tally_revision: int, items: tuple, added_json: str) -> Workshop:
    """A workshop row and what is read beside it -> :class:`Workshop` (no query)."""
    return Workshop(
        id=row["id"],
        code=row["code"],
        title=row["title"],
        catalogue_name=row["catalogue_name"],
        catalogue_path=row["catalogue_path"],
        catalogue_sha256=row["catalogue_sha256"],
        status=row["status"],
        method=row["method"],
        dot_budget=row["dot_budget"],
        ranking_size=row["ranking_size"],
        hide_results_until_closed=bool(row["hide_results_until_closed"]),
        require_participant_code=bool(row["require_participant_code"]),
        mode=row["mode"],
        current_item_id=row["current_item_id"],
        revision=row["revision"],
        tally_revision=tally_revision,
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        items=items,
        catalogue_yaml=row["catalogue_yaml"],
        timer_item_id=row["timer_item_id"],
        timer_started_at=as_utc(row["timer_started_at"]),
        timer_duration_s=row["timer_duration_s"],
        timer_paused_remaining_s=row["timer_paused_remaining_s"],
        added_interactions_json=added_json,
    )


def _participant_stats(conn: Connection, ids: list[int]) -> dict[int, tuple[int, int]]:
    """Workshop id -> (the sum of its participants' ``changes``, how many): one query."""
    q = (
        select(
            participants.c.workshop_id,
            func.coalesce(func.sum(participants.c.changes), 0),
            func.count(),
        )
        .where(participants.c.workshop_id.in_(ids))
        .group_by(participants.c.workshop_id)
    )
    return {wid: (int(changes), int(n)) for wid, changes, n in conn.execute(q)}


def _to_workshops(
    conn: Connection, rows: list, stats: dict[int, tuple[int, int]]
) -> list[Workshop]:
    """Several workshop rows -> workshops with their agendas in two queries, however many rows
    (``stats``: :func:`_participant_stats` of the same rows). The same as :func:`_to_workshop`
    row by row."""
    ids = [r["id"] for r in rows]
    items: dict[int, list[AgendaItem]] = {}
    q = (
        select(agenda_items)
        .where(agenda_items.c.workshop_id.in_(ids))
        .order_by(agenda_items.c.position, agenda_items.c.id)
    )
    for r in conn.execute(q).mappings():
        items.setdefault(r["workshop_id"], []).append(_to_item(r))
    added: dict[int, list[str]] = {}
    q = (
        select(workshop_interactions.c.workshop_id, workshop_interactions.c.payload)
        .where(workshop_interactions.c.workshop_id.in_(ids))
        .order_by(workshop_interactions.c.id)
    )
    for wid, payload in conn.execute(q):
        added.setdefault(wid, []).append(payload)
    return [
        _workshop_of(
            r,
            tally_revision=r["tally_revision"] + stats.get(r["id"], (0, 0))[0],
            items=tuple(items.get(r["id"], ())),
            added_json=_payloads_json(added.get(r["id"], [])),
        )
        for r in rows
    ]


def _to_participant(row) -> Participant:
    return Participant(
        id=row["id"],
        workshop_id=row["workshop_id"],
        voter_id=row["voter_id"],
        display_name=row["display_name"],
        actor_type=row["actor_type"],
        level=row["level"],
        has_participant_code=row["participant_code_id"] is not None,
        joined_at=as_utc(row["joined_at"]),
    )


def _to_ballot(row) -> Ballot:
    return Ballot(
        id=row["id"],
        item_id=row["item_id"],
        participant_id=row["participant_id"],
        method=row["method"],
        value=row["value"],
        skipped=bool(row["skipped"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _bump(conn: Connection, workshop_id: int) -> None:
    """A facilitator change: ``revision`` + 1 (phones and the projector re-read the state)."""
    conn.execute(
        update(workshops)
        .where(workshops.c.id == workshop_id)
        .values({workshops.c.revision: workshops.c.revision + 1, workshops.c.updated_at: utcnow()})
    )


def _participant_changes(workshop_id):
    """A scalar subquery: the sum of the workshop's participants' ``changes`` (0 if none)."""
    return (
        select(func.coalesce(func.sum(participants.c.changes), 0))
        .where(participants.c.workshop_id == workshop_id)
        .scalar_subquery()
    )


def _tally_revision(conn: Connection, workshop_id: int, base: int) -> int:
    """The workshop's tally revision: its row's base plus every participant's ``changes``."""
    return base + conn.execute(select(_participant_changes(workshop_id))).scalar()


def _touch(conn: Connection, participant_id: int) -> None:
    """A join's, ballot's or proposal's share of ``tally_revision``: + 1 on the voter's own row.

    Not on the workshop row: under PostgreSQL every ballot of a room waited for that one row's
    lock (measured with benchmarks/writes.py, see CHANGELOG)."""
    conn.execute(
        update(participants)
        .where(participants.c.id == participant_id)
        .values(changes=participants.c.changes + 1)
    )


def _participant_row(conn: Connection, workshop_id: int, voter_id: str, *, lock: bool = False):
    q = select(participants).where(
        participants.c.workshop_id == workshop_id, participants.c.voter_id == voter_id
    )
    if lock:
        q = q.with_for_update()
    return conn.execute(q).mappings().first()


def _random_code(length: int) -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def _granted_row(conn: Connection, grant: FacilitatorGrant, *, lock: bool = False):
    """The workshop row of ``grant`` (locked with ``lock``); refuses anything but a real grant
    for that very workshop. Every facilitator read and write goes through here."""
    if not isinstance(grant, FacilitatorGrant):
        raise AccessDenied("a facilitator action needs the grant of conflicts.workshops.unlock()")
    row = _workshop_row(conn, grant.code, lock=lock)
    if row["id"] != grant.workshop_id:
        raise AccessDenied("this grant belongs to another workshop")
    return row


def _locked(
    grant: FacilitatorGrant,
    store: Store,
    fn: Callable[[Connection, Any], T],
    *,
    bump: bool = True,
) -> T:
    """THE facilitator transaction: check the grant, lock the workshop row (``FOR UPDATE`` /
    ``BEGIN IMMEDIATE``), run ``fn(conn, row)``, bump ``revision`` (unless ``bump=False``, e.g.
    autosaved notes that phones need not see) and return ``fn``'s result."""

    def tx(conn: Connection) -> T:
        row = _granted_row(conn, grant, lock=True)
        result = fn(conn, row)
        if bump:
            _bump(conn, row["id"])
        return result

    return store.write(tx)


def _facilitate(
    grant: FacilitatorGrant, store: Store, fn: Callable[[Connection, Any], None]
) -> Workshop:
    """:func:`_locked`, returning the workshop as it is after the change."""

    def apply(conn: Connection, row) -> Workshop:
        fn(conn, row)
        _bump(conn, row["id"])
        return _to_workshop(conn, _workshop_row(conn, grant.code))

    return _locked(grant, store, apply, bump=False)


def _set(conn: Connection, row, **values: Any) -> None:
    conn.execute(update(workshops).where(workshops.c.id == row["id"]).values(**values))


def _item_row(conn: Connection, workshop_id: int, item_id: int):
    if not _is_int(item_id):
        raise UnknownItem(f"no agenda item {item_id!r}", item_id=item_id)
    row = (
        conn.execute(
            select(agenda_items).where(
                agenda_items.c.id == item_id, agenda_items.c.workshop_id == workshop_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise UnknownItem(f"no agenda item {item_id!r} in this workshop", item_id=item_id)
    return row


def _voting_context(conn: Connection, code: str, voter_id: str):
    """Check that the workshop is open and the voter may vote; return (workshop, voter).

    Locks the workshop row shared (voting cannot close under a ballot; other voters' ballots go
    on at the same time) and the voter's row for update (one voter's ballots, e.g. a dots
    budget, are checked one after the other)."""
    w = _workshop_row(conn, code, shared=True)
    if w["status"] != "open":
        if w["status"] == "draft":
            raise WorkshopNotOpen("the workshop has not started", code="workshop_not_started")
        raise WorkshopNotOpen("the workshop is closed", code="workshop_closed")
    p = _participant_row(conn, w["id"], voter_id, lock=True)
    if p is None:
        raise NotJoined("join the workshop before voting")
    if w["require_participant_code"] and p["participant_code_id"] is None:
        raise NotEntitled("this workshop needs a participant code")
    return w, p


def _open_item(conn: Connection, workshop_id: int, item_id: int):
    item = _item_row(conn, workshop_id, item_id)
    if item["voting"] != "open":
        raise VotingClosed(
            "voting on this item is not open", item_id=item_id, voting=item["voting"]
        )
    return item


def _warmup_ids(workshop_id: int):
    """A subquery: the ids of the workshop's warm-up items (their ballots are not votes)."""
    return select(agenda_items.c.id).where(
        agenda_items.c.workshop_id == workshop_id, agenda_items.c.kind == "warmup"
    )


def _upsert(conn: Connection, table, values: dict, *, keys: list[str], update_: dict) -> None:
    """THE upsert: insert ``values`` into ``table``, or on a conflict on the unique ``keys`` set
    ``update_``. Native ``ON CONFLICT`` on PostgreSQL and SQLite; elsewhere update-then-insert,
    which the voter's row lock (every caller holds it, see ``_voting_context``) serialises."""
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        mod = pg_dialect if dialect == "postgresql" else sqlite_dialect
        stmt = mod.insert(table).values(**values)
        conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update_))
        return
    match = [table.c[k] == values[k] for k in keys]  # pragma: no cover - other databases
    if not conn.execute(update(table).where(*match).values(**update_)).rowcount:
        conn.execute(table.insert().values(**values))


def _upsert_ballot(conn: Connection, values: dict) -> None:
    """One ballot per (participant, item): casting again replaces it."""
    changes = {k: values[k] for k in ("method", "value", "skipped", "updated_at")}
    _upsert(conn, ballots, values, keys=["participant_id", "item_id"], update_=changes)


def _ballot_row(conn: Connection, participant_id: int, item_id: int):
    return (
        conn.execute(
            select(ballots).where(
                ballots.c.participant_id == participant_id, ballots.c.item_id == item_id
            )
        )
        .mappings()
        .one()
    )


T = TypeVar("T")


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


def _proposal_query(workshop_id: int):
    return (
        select(proposals, participants.c.display_name)
        .join(participants, participants.c.id == proposals.c.participant_id)
        .where(proposals.c.workshop_id == workshop_id)
        .order_by(proposals.c.id)
    )


def _proposal_fields(r) -> dict[str, Any]:
    """What a proposal row says about the proposal itself (not who made it): the fields of
    :class:`~conflicts.workshops.snapshot.ProposalRecord`, the anonymous export's."""
    return {
        "id": r["id"],
        "title": r["title"],
        "text": r["text"],
        "from_node": r["from_node"],
        "to_node": r["to_node"],
        "status": r["status"],
        "merged_into": r["merged_into"],
        "interaction_id": r["interaction_id"],
        "created_at": as_utc(r["created_at"]),
    }


def _to_proposal(r) -> Proposal:
    """A row of :func:`_proposal_query` (with the proposer's name: facilitator views only)."""
    return Proposal(
        participant_id=r["participant_id"], display_name=r["display_name"], **_proposal_fields(r)
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
