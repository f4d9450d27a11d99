"""Participants' proposals of missing interactions ("the elephant in the room") and the
facilitator's handling of them (accept, merge, decline)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select, update

from conflicts.store import (
    Store,
    proposals,
    utcnow,
)
from conflicts.workshops._db import (
    _granted_row,
    _locked,
    _participant_row,
    _proposal_query,
    _proposal_row,
    _row_catalogue,
    _to_proposal,
    _touch,
    _voting_context,
    _workshop_row,
)
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.agenda import _check_nodes, _check_score, _insert_interaction
from conflicts.workshops.errors import InvalidSetting, ProposalLimit
from conflicts.workshops.model import (
    MAX_PROPOSALS_PER_PARTICIPANT,
    PROPOSAL_TEXT_MAX,
    PROPOSAL_TITLE_MAX,
    AgendaItem,
    Proposal,
    normalise_code,
)
from conflicts.workshops.text import _clean_text


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
    store: Store,
) -> Proposal:
    """A participant proposes a missing interaction ("the elephant in the room").

    The workshop must be open and the voter joined (and entitled in closed mode); ``title`` at
    most 120 characters (required), ``text`` at most 1000 (line breaks allowed, no other control
    characters); the nodes must be goals/sub-goals of the catalogue and differ. At most 3
    proposals per participant. Bumps ``tally_revision`` (the facilitator's view re-reads).

    Raises :class:`ProposalLimit`, :class:`~conflicts.workshops.InvalidValue` (``unknown_node``,
    ``self_loop``), :class:`~conflicts.workshops.TextTooLong`,
    :class:`~conflicts.workshops.InvalidText` and the errors of a ballot
    (:class:`~conflicts.workshops.WorkshopNotOpen`, :class:`~conflicts.workshops.NotJoined`,
    :class:`~conflicts.workshops.NotEntitled`)."""
    c = normalise_code(code)
    clean_title = _clean_text(title, "title", PROPOSAL_TITLE_MAX, required=True)
    clean_text = _clean_text(text, "text", PROPOSAL_TEXT_MAX, multiline=True)

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
        _touch(conn, p["id"])
        return _to_proposal(_proposal_row(conn, w["id"], pid))

    return store.write(tx)


def list_proposals(grant: FacilitatorGrant, *, store: Store) -> list[Proposal]:
    """Every proposal of the workshop, oldest first, with the proposers' display names
    (facilitator view)."""

    def tx(conn: Connection) -> list[Proposal]:
        row = _granted_row(conn, grant)
        return [_to_proposal(r) for r in conn.execute(_proposal_query(row["id"])).mappings()]

    return store.read(tx)


def my_proposals(code: str, voter_id: str, *, store: Store) -> list[Proposal]:
    """The voter's own proposals, oldest first (empty if they have not joined)."""
    c = normalise_code(code)

    def tx(conn: Connection) -> list[Proposal]:
        w = _workshop_row(conn, c)
        p = _participant_row(conn, w["id"], voter_id)
        if p is None:
            return []
        q = _proposal_query(w["id"]).where(proposals.c.participant_id == p["id"])
        return [_to_proposal(r) for r in conn.execute(q).mappings()]

    return store.read(tx)


def decline_proposal(grant: FacilitatorGrant, proposal_id: int, *, store: Store) -> Proposal:
    """Decline a pending proposal. Raises :class:`UnknownProposal`, code
    ``proposal_not_pending``."""

    def fn(conn: Connection, row) -> Proposal:
        r = _proposal_row(conn, row["id"], proposal_id)
        _require_pending(r)
        conn.execute(
            update(proposals).where(proposals.c.id == proposal_id).values(status="declined")
        )
        return _to_proposal(_proposal_row(conn, row["id"], proposal_id))

    return _locked(grant, store, fn)


def merge_proposals(
    grant: FacilitatorGrant, keep_id: int, duplicate_ids: Iterable[int], *, store: Store
) -> list[Proposal]:
    """Mark ``duplicate_ids`` (pending) as duplicates of ``keep_id`` (pending or accepted):
    status 'merged', ``merged_into=keep_id``. Returns the kept proposal then the duplicates.

    Raises :class:`UnknownProposal`, :class:`~conflicts.workshops.InvalidSetting` (codes
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

    return _locked(grant, store, fn)


def accept_proposal(
    grant: FacilitatorGrant, proposal_id: int, *, score: int = -1, store: Store
) -> AgendaItem:
    """Accept a pending proposal: it becomes a workshop interaction (origin 'proposal', tag
    ``proposed``, the title in every catalogue language, its text as description, ``score``
    -3..3) appended to the agenda; the proposal gets status 'accepted' and the interaction id.

    Raises :class:`UnknownProposal`, code ``proposal_not_pending``,
    :class:`~conflicts.workshops.ValueOutOfRange` (score)."""
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

    return _locked(grant, store, fn)
