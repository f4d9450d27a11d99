"""Running the session: the current step, voting per item, and the facilitator's timer."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, update

from conflicts.store import (
    Store,
    agenda_items,
    as_utc,
    utcnow,
)
from conflicts.workshops._db import _facilitate, _item_row, _items, _set
from conflicts.workshops.access import FacilitatorGrant
from conflicts.workshops.errors import InvalidSetting, WorkshopNotOpen
from conflicts.workshops.model import TIMER_MAX_S, TimerState, Workshop
from conflicts.workshops.text import _is_int


def open_voting(grant: FacilitatorGrant, item_id: int, *, store: Store) -> Workshop:
    """Open voting on one agenda item (also re-opens a closed item).

    Raises :class:`UnknownItem`, :class:`WorkshopNotOpen` (code ``workshop_closed``)."""

    def fn(conn: Connection, row) -> None:
        if row["status"] == "closed":
            raise WorkshopNotOpen("the workshop is closed", code="workshop_closed")
        _item_row(conn, row["id"], item_id)
        conn.execute(
            update(agenda_items)
            .where(agenda_items.c.id == item_id)
            .values(voting="open", opened_at=utcnow(), closed_at=None)
        )

    return _facilitate(grant, store, fn)


def close_voting(grant: FacilitatorGrant, item_id: int, *, store: Store) -> Workshop:
    """Close voting on one agenda item. Raises :class:`UnknownItem`."""

    def fn(conn: Connection, row) -> None:
        _item_row(conn, row["id"], item_id)
        conn.execute(
            update(agenda_items)
            .where(agenda_items.c.id == item_id)
            .values(voting="closed", closed_at=utcnow())
        )

    return _facilitate(grant, store, fn)


def set_current_item(grant: FacilitatorGrant, item_id: int | None, *, store: Store) -> Workshop:
    """Show ``item_id`` now (None: no item, e.g. the welcome screen). Raises :class:`UnknownItem`."""

    def fn(conn: Connection, row) -> None:
        if item_id is not None:
            _item_row(conn, row["id"], item_id)
        _set(conn, row, current_item_id=item_id)

    return _facilitate(grant, store, fn)


def step(grant: FacilitatorGrant, delta: int, *, store: Store) -> Workshop:
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

    return _facilitate(grant, store, fn)


def toggle_voting(grant: FacilitatorGrant, item_id: int, *, store: Store) -> Workshop:
    """Open voting on the item if it is not open, else close it (one transaction).

    Raises :class:`~conflicts.workshops.UnknownItem`, :class:`~conflicts.workshops.WorkshopNotOpen`
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

    return _facilitate(grant, store, fn)


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
    grant: FacilitatorGrant, seconds: int, *, now: datetime | None = None, store: Store
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

    return _facilitate(grant, store, fn)


def _no_timer() -> InvalidSetting:
    return InvalidSetting("no timer is set", code="no_timer")


def timer_pause(grant: FacilitatorGrant, *, now: datetime | None = None, store: Store) -> Workshop:
    """Freeze the countdown (a paused timer stays paused). Raises code ``no_timer``."""

    def fn(conn: Connection, row) -> None:
        if not _has_timer(row):
            raise _no_timer()
        if row["timer_paused_remaining_s"] is not None:
            return
        left = _remaining_exact(row["timer_started_at"], row["timer_duration_s"], None, _utc(now))
        _set(conn, row, timer_paused_remaining_s=math.ceil(left))

    return _facilitate(grant, store, fn)


def timer_resume(grant: FacilitatorGrant, *, now: datetime | None = None, store: Store) -> Workshop:
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

    return _facilitate(grant, store, fn)


def timer_extend(
    grant: FacilitatorGrant, seconds: int, *, now: datetime | None = None, store: Store
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

    return _facilitate(grant, store, fn)


def timer_reset(grant: FacilitatorGrant, *, store: Store) -> Workshop:
    """Remove the timer (the projector shows none)."""
    return _facilitate(
        grant,
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
    """The timer of the CURRENT step, or None (no timer, it belongs to another step, or the
    workshop has ended: an ended workshop's timer no longer counts)."""
    w = workshop
    if w.status == "closed" or w.timer_duration_s is None or w.timer_item_id != w.current_item_id:
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
