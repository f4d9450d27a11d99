"""Facilitator actions run from the console: the session's grant, translated errors, notices."""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.live import error_text, granted
from conflicts.ui.room import item_text
from conflicts.ui.state import FAC_ERROR, FAC_NOTICE

#: Session key of the step bar's "close voting when I move on" toggle (on by default).
CLOSE_ON_MOVE = "close_on_move"


def act(lang: str, fn, code: str, *args, services: Services, **kwargs) -> bool:
    """Run the facilitator action ``fn`` with this session's grant for ``code``; show a
    translated error instead of a traceback. True when it succeeded."""
    try:
        fn(granted(code), *args, store=services.store, **kwargs)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state[FAC_ERROR] = error_text(exc, lang)
        return False
    return True


def move(lang: str, fn, code: str, *args, services: Services) -> None:
    """Move to another step (``fn`` is ``ws.step`` or ``ws.set_current_item``), closing the
    vote that is open on the step being left unless the facilitator turned that off: phones in
    follow mode cannot reach a step that is no longer shown, so its vote would stay open unseen.
    """
    try:
        w = ws.get_workshop(code, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state[FAC_ERROR] = error_text(exc, lang)
        return
    leaving = w.current_item
    if leaving is not None and leaving.voting == "open":
        title = item_text(leaving, w.catalogue(), lang)
        if st.session_state.get(CLOSE_ON_MOVE, True):
            if not act(lang, ws.toggle_voting, code, leaving.id, services=services):
                return
            st.session_state[FAC_NOTICE] = t("fac.closed_on_move", lang, item=title)
        else:
            st.session_state[FAC_NOTICE] = t("fac.left_open", lang, item=title)
    act(lang, fn, code, *args, services=services)


def toggle_current(
    lang: str, code: str, drawn_id: int | None, drawn_open: bool, *, services: Services
) -> None:
    """V: what the button said when it was drawn (open, or close, voting on ``drawn_id``), on
    the step the room sees now. Doing what the label said makes a repeated delivery of one
    press harmless (opening twice is opening); if the room has moved on since the drawing (a V
    pressed while the page redraws after N), the press acts on the step now shown."""
    try:
        current = ws.get_workshop(code, store=services.store).current_item
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state[FAC_ERROR] = error_text(exc, lang)
        return
    if current is None:
        return
    close = drawn_open if current.id == drawn_id else current.voting == "open"
    act(lang, ws.close_voting if close else ws.open_voting, code, current.id, services=services)
