"""Widgets the room pages share: who is in the room, the step timer, the agenda overview.

Used by the projector (``/projector``) and the facilitator console (``/facilitate``). Every text
that comes from a catalogue, a facilitator or a participant is escaped with
:func:`~conflicts.ui.widgets.md_escape` (never ``unsafe_allow_html``); state is never shown by
colour alone (icons and words: ✓ present, ✗ missing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.i18n import t
from conflicts.ui.widgets import md_escape
from conflicts.workshops import Outcome, TimerState

__all__ = [
    "agenda_overview",
    "agenda_rows",
    "item_title",
    "representation_lines",
    "representation_panel",
    "timer_badge",
    "timer_text",
]

PRESENT = "✓"
MISSING = "✗"
STATE_ICONS = {"not_started": "○", "open": "●", "closed": "✓"}


# --------------------------------------------------------------------------------------------
# Who is in the room
# --------------------------------------------------------------------------------------------
def _mark(label: str, count: int, lang: str) -> str:
    """One needed level/actor type: icon + name + word (never colour alone)."""
    if count:
        return f":blue-badge[{PRESENT} {label} · {t('room.present', lang, n=count)}]"
    return f":orange-badge[{MISSING} {label} · {t('room.missing', lang)}]"


def representation_lines(rep: ws.Representation, lang: str) -> list[tuple[str, str]]:
    """``[(heading, markdown), ...]`` for the needed decision levels and actor types."""
    levels = [
        _mark(t(f"level.{lv}", lang), rep.levels_present.get(lv, 0), lang)
        for lv in rep.needed_levels
    ]
    types = [
        _mark(t(f"actor_type.{a}", lang), rep.actor_types_present.get(a, 0), lang)
        for a in rep.needed_actor_types
    ]
    none = t("room.none_needed", lang)
    return [
        (t("room.levels", lang), " ".join(levels) if levels else none),
        (t("room.actors", lang), " ".join(types) if types else none),
    ]


def representation_panel(
    cat: Catalogue,
    interaction_id: str,
    participants: Iterable[ws.Participant],
    lang: str,
    *,
    compact: bool = False,
) -> None:
    """ "Who is in the room?" for one interaction: each decision level and actor type it needs,
    marked ✓ present (with the number of participants) or ✗ missing, from the participants'
    self-descriptions. ``compact``: one line per group, no actor names (the projector).

    Draws nothing for an id that is not an interaction (e.g. a warm-up key)."""
    people = list(participants)
    try:
        rep = ws.representation(cat, interaction_id, people)
    except ws.WorkshopError:
        return
    lines = representation_lines(rep, lang)
    missing = len(rep.missing_levels) + len(rep.missing_actor_types)
    title = f"**:material/groups: {t('room.title', lang)}**"
    if compact:  # one block: the projector's space is short
        st.markdown("  \n".join([title, *(f"{head}: {body}" for head, body in lines)]))
        return
    st.markdown(title)
    for head, body in lines:
        st.markdown(f"{head}  \n{body}")
    names = [
        md_escape(cat.text(cat.actors_by_id[a].name, lang))
        for a in rep.needed_actors
        if a in cat.actors_by_id
    ]
    if names:
        st.caption(t("room.needed_actors", lang, names=", ".join(names)))
    if rep.needed_levels or rep.needed_actor_types:
        st.caption(
            t("room.summary", lang, n=len(people), missing=missing)
            if missing
            else t("room.all_present", lang, n=len(people))
        )


# --------------------------------------------------------------------------------------------
# The timer
# --------------------------------------------------------------------------------------------
def timer_text(state: TimerState | None, lang: str) -> str | None:
    """Plain text for the step timer: ``'4:05 left'``, ``'4:05 left · paused'``,
    ``'Time is up'``; None without a timer. No Markdown (callers may wrap it)."""
    if state is None:
        return None
    if state.expired:
        return t("ws.timer_up", lang)
    m, s = divmod(state.remaining_s, 60)
    text = t("ws.timer_left", lang, m=m, s=s)
    if state.paused:
        text += f" · {t('room.timer_paused', lang)}"
    return text


def timer_badge(workshop: ws.Workshop, lang: str, *, key: str = "timer") -> None:
    """The current step's timer as a large line (element key ``key``); nothing without one.
    Computes the time left now: call it from a fragment that reruns every second."""
    state = ws.timer_state(workshop)
    text = timer_text(state, lang)
    if state is None or text is None:
        return
    if state.expired:
        icon = ":material/alarm:"
    elif state.paused:
        icon = ":material/pause_circle:"
    else:
        icon = ":material/timer:"
    with st.container(key=key):
        st.markdown(f"{icon} **{text}**")


# --------------------------------------------------------------------------------------------
# The agenda overview
# --------------------------------------------------------------------------------------------
def item_text(item: ws.AgendaItem, cat: Catalogue, lang: str) -> str:
    """Plain-text title of an agenda item (a warm-up by its question), e.g. for select boxes."""
    if item.is_warmup:
        return f"{t('room.warmup', lang)}: {item.question_text(lang)}"
    if item.is_matrix:
        return t("matrix.title", lang, n=len(item.nodes))
    interaction = cat.interactions_by_id.get(item.interaction_id)
    return cat.text(interaction.title, lang) if interaction else item.interaction_id


def item_title(item: ws.AgendaItem, cat: Catalogue, lang: str) -> str:
    """:func:`item_text` escaped for Markdown."""
    return md_escape(item_text(item, cat, lang))


def agenda_rows(
    w: ws.Workshop, cat: Catalogue, outcomes: Mapping[int, Outcome], lang: str
) -> list[str]:
    """One Markdown line per agenda step: number, title, voting state and the recorded
    outcome/owner."""
    rows = []
    for n, item in enumerate(w.items, 1):
        state = f"{STATE_ICONS.get(item.voting, '')} *{t('ws.state_' + item.voting, lang)}*"
        row = f"{n}\\. {item_title(item, cat, lang)} — {state}"
        if item.id == w.current_item_id:
            row = f"▶ **{row}**"
        o = outcomes.get(item.id)
        extra = []
        if o is not None and o.outcome:
            extra.append(f"**{t('outcome.' + o.outcome, lang)}**")
        if o is not None and o.owner:
            extra.append(t("room.owner", lang, owner=md_escape(o.owner)))
        if extra:
            row += f"  \n    {t('room.outcome', lang)}: " + " · ".join(extra)
        rows.append(row)
    return rows


def agenda_overview(
    w: ws.Workshop,
    cat: Catalogue,
    outcomes: Mapping[int, Outcome],
    lang: str,
    *,
    heading: bool = True,
) -> None:
    """Every agenda step with its state (not started / voting open / closed) and, for the
    discussed ones, the recorded outcome and owner; warm-ups shown by their question."""
    if heading:
        st.markdown(f"## {t('projector.overview', lang)}")
    if not w.items:
        st.caption(t("room.agenda_empty", lang))
        return
    with st.container(key="agenda_overview"):
        st.markdown("\n\n".join(agenda_rows(w, cat, outcomes, lang)))
