"""Notes and outcomes per agenda item (autosaved: they bump neither revision)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from conflicts.store import (
    OUTCOMES,
    Store,
    outcomes,
    utcnow,
)
from conflicts.workshops._db import _code, _item_row, _store, _to_outcome, _workshop_row
from conflicts.workshops.errors import InvalidValue
from conflicts.workshops.model import NEXT_STEP_MAX, OWNER_MAX, SUMMARY_MAX, Outcome, WorkshopRef
from conflicts.workshops.text import _clean_multiline, _clean_text


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

    Raises :class:`~conflicts.workshops.UnknownItem`, :class:`~conflicts.workshops.TextTooLong`,
    :class:`~conflicts.workshops.InvalidText`, :class:`~conflicts.workshops.InvalidValue` (field
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
