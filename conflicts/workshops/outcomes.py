"""Notes and outcomes per agenda item (autosaved: they bump neither revision)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from conflicts.store import (
    OUTCOMES,
    Store,
    outcomes,
    utcnow,
)
from conflicts.workshops._db import _item_row, _locked, _to_outcome, _upsert, _workshop_row
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import InvalidValue
from conflicts.workshops.model import (
    NEXT_STEP_MAX,
    OWNER_MAX,
    SUMMARY_MAX,
    Outcome,
    WorkshopRef,
    _code,
)
from conflicts.workshops.text import _clean_text


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
    grant: FacilitatorGrant,
    item_id: int,
    *,
    summary: str | None = None,
    outcome: str | None = None,
    owner: str | None = None,
    next_step: str | None = None,
    due_date: date | str | None = None,
    store: Store,
) -> Outcome:
    """Create or update the notes/outcome of an agenda item; returns them after the commit.

    Only the fields given change (None = leave as is; '' clears a field). ``summary`` at most
    4000 characters, ``next_step`` 1000 (both may contain line breaks), ``owner`` 200 (one line),
    ``outcome`` one of :data:`conflicts.store.OUTCOMES`, ``due_date`` a date or 'YYYY-MM-DD'.
    Autosave-friendly: one short upsert; bumps neither ``revision`` nor ``tally_revision``.

    Raises :class:`~conflicts.workshops.UnknownItem`, :class:`~conflicts.workshops.TextTooLong`,
    :class:`~conflicts.workshops.InvalidText`, :class:`~conflicts.workshops.InvalidValue` (field
    ``outcome`` or ``due_date``)."""
    changes: dict[str, Any] = {}
    if summary is not None:
        changes["summary"] = _clean_text(summary, "summary", SUMMARY_MAX, multiline=True)
    if outcome is not None:
        if outcome != "" and outcome not in OUTCOMES:
            raise InvalidValue(f"unknown outcome {outcome!r}", field="outcome")
        changes["outcome"] = outcome or None
    if owner is not None:
        changes["owner"] = _clean_text(owner, "owner", OWNER_MAX)
    if next_step is not None:
        changes["next_step"] = _clean_text(next_step, "next_step", NEXT_STEP_MAX, multiline=True)
    if due_date is not None:
        changes["due_date"] = _due_date(due_date)

    def fn(conn: Connection, row) -> Outcome:
        _item_row(conn, row["id"], item_id)
        now = utcnow()
        values = {"workshop_id": row["id"], "item_id": item_id, "updated_at": now, **changes}
        _upsert(conn, outcomes, values, keys=["item_id"], update_={**changes, "updated_at": now})
        r = conn.execute(select(outcomes).where(outcomes.c.item_id == item_id)).mappings().one()
        return _to_outcome(r)

    return _locked(grant, store, fn, bump=False)


def get_outcomes(ref: WorkshopRef, *, store: Store) -> dict[int, Outcome]:
    """The notes/outcomes of the workshop by agenda item id (items without notes are absent)."""
    code = _code(ref)

    def tx(conn: Connection) -> dict[int, Outcome]:
        row = _workshop_row(conn, code)
        rows = conn.execute(select(outcomes).where(outcomes.c.workshop_id == row["id"])).mappings()
        return {r["item_id"]: _to_outcome(r) for r in rows}

    return store.read(tx)
