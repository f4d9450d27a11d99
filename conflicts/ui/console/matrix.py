"""The console's matrix scoring session: add one to the agenda (a multiselect of the catalogue's
goals and sub-goals), and the current step's panel (progress; the room's matrix and the cells
to discuss first once voting is closed)."""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.live import error_text, granted
from conflicts.ui.matrix_room import discussion_rows, node_titles, progress_line, room_matrix_chart
from conflicts.ui.widgets import md_escape, relabel


def node_labels(cat: Catalogue, lang: str) -> dict[str, str]:
    """Every goal followed by its sub-goals, labelled '2 Goal' and '2.1 Sub-goal'."""
    labels = {}
    for n, goal in enumerate(cat.goals, 1):
        labels[goal.id] = f"{n} {cat.text(goal.title, lang)}"
        for m, sub in enumerate(goal.subgoals, 1):
            labels[sub.id] = f"{n}.{m} {cat.text(sub.title, lang)}"
    return labels


def matrix_form(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    """The expander that adds a matrix scoring session to the end of the agenda."""
    labels = node_labels(cat, lang)
    with st.expander(t("matrix.add", lang)), st.form("matrix_form"):
        relabel("matrix_nodes", lang)
        chosen = st.multiselect(
            t("matrix.nodes", lang),
            list(labels),
            format_func=labels.get,
            max_selections=ws.MATRIX_MAX_NODES,
            placeholder=t("widget.choose_many", lang),
            key="matrix_nodes",
        )
        per = st.number_input(
            t("matrix.per_participant", lang),
            min_value=1,
            max_value=ws.MAX_PAIRS_PER_PARTICIPANT,
            value=ws.PAIRS_PER_PARTICIPANT,
            step=1,
            key="matrix_per",
        )
        n = len(chosen)
        st.caption(t("matrix.add_help", lang, n=n, pairs=n * (n - 1)))
        if st.form_submit_button(t("fac.add", lang), type="primary", key="matrix_submit"):
            try:
                ws.add_matrix_session(
                    granted(w.code), chosen, pairs_per_participant=int(per), store=services.store
                )
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                st.rerun()


def matrix_step(
    w: ws.Workshop, cat: Catalogue, item: ws.AgendaItem, lang: str, *, services: Services
) -> None:
    """The current step's panel for a matrix session."""
    titles = node_titles(cat, item.nodes, lang)
    st.markdown(f"### {md_escape(t('matrix.title', lang, n=len(item.nodes)))}")
    st.caption(t("matrix.question_generic", lang))
    st.markdown(", ".join(md_escape(x) for x in titles.values()))
    try:
        m = ws.get_room_matrix(granted(w.code), item.id, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.warning(error_text(exc, lang))
        return
    with st.container(key="matrix_progress"):
        st.markdown(progress_line(m, lang))
    if item.voting == "closed" and m.answers:
        room_matrix_chart(m, cat, lang, key="console_room_matrix")
        st.caption(t("matrix.legend", lang))
        st.markdown(f"**{t('matrix.discussion', lang)}**")
        st.markdown(discussion_rows(m, titles, lang, limit=10))
