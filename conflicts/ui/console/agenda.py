"""The console's agenda tab: choose, order, move, show, open/close voting, add conflicts and
warm-up questions."""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.tally import SCORE_SCALE
from conflicts.ui.console.actions import act, move
from conflicts.ui.console.matrix import matrix_form
from conflicts.ui.live import error_text, granted
from conflicts.ui.room import item_title
from conflicts.ui.widgets import relabel

WARMUP_PREFIX = ws.WARMUP_ID_PREFIX


def _save_agenda(lang: str, w: ws.Workshop, *, services: Services) -> None:
    chosen = st.session_state["agenda_choose"]
    on_agenda = [i.interaction_id for i in w.items]
    kept = [
        iid
        for iid in on_agenda
        if iid in chosen or iid.startswith((WARMUP_PREFIX, ws.MATRIX_ID_PREFIX))
    ]
    act(
        lang,
        ws.set_agenda,
        w.code,
        kept + [iid for iid in chosen if iid not in on_agenda],
        services=services,
    )


def agenda(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    """The agenda tab of workshop ``w``."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{t('fac.order_by', lang)}:**")
        for by in ws.AGENDA_ORDERS:
            st.button(
                t(f"fac.order_{by}", lang),
                key=f"order_{by}",
                on_click=act,
                args=(lang, ws.order_agenda, w.code, by),
                kwargs={"services": services},
            )
    last = len(w.items) - 1
    for n, item in enumerate(w.items):
        showing = w.current_item_id == item.id
        with st.container(border=True, key=f"agenda_{item.id}"):
            marker = "▶ " if showing else ""
            st.markdown(
                f"{marker}**{n + 1}. {item_title(item, cat, lang)}** · "
                f"{t('ws.state_' + item.voting, lang)}"
            )
            with st.container(horizontal=True):
                st.button(
                    t("fac.showing" if showing else "fac.show", lang),
                    key=f"show_{item.id}",
                    type="primary" if showing else "secondary",
                    disabled=showing,
                    on_click=move,
                    args=(lang, ws.set_current_item, w.code, item.id),
                    kwargs={"services": services},
                )
                voting_open = item.voting == "open"
                st.button(
                    t("fac.close_voting" if voting_open else "fac.open_voting", lang),
                    key=f"{'close' if voting_open else 'open'}_{item.id}",
                    disabled=w.status != "open" and not voting_open,
                    on_click=act,
                    args=(lang, ws.toggle_voting, w.code, item.id),
                    kwargs={"services": services},
                )
                st.button(
                    t("fac.up", lang),
                    key=f"up_{item.id}",
                    icon=":material/arrow_upward:",
                    disabled=n == 0,
                    on_click=act,
                    args=(lang, ws.move_item, w.code, item.id, -1),
                    kwargs={"services": services},
                )
                st.button(
                    t("fac.down", lang),
                    key=f"down_{item.id}",
                    icon=":material/arrow_downward:",
                    disabled=n == last,
                    on_click=act,
                    args=(lang, ws.move_item, w.code, item.id, 1),
                    kwargs={"services": services},
                )
                st.button(
                    t("fac.remove", lang),
                    key=f"remove_{item.id}",
                    type="tertiary",
                    icon=":material/delete:",
                    on_click=act,
                    args=(lang, ws.remove_item, w.code, item.id),
                    kwargs={"services": services},
                )

    titles = {i.id: cat.text(i.title, lang) for i in cat.interactions}
    relabel("agenda_choose", lang)
    st.multiselect(
        t("fac.choose", lang),
        list(titles),
        default=[i.interaction_id for i in w.items if i.interaction_id in titles],
        format_func=lambda iid: f"{titles[iid]} ({cat.interactions_by_id[iid].score:+d})",
        placeholder=t("widget.choose_many", lang),
        key="agenda_choose",
    )
    st.button(
        t("fac.save_agenda", lang),
        key="agenda_save",
        on_click=_save_agenda,
        args=(lang, w),
        kwargs={"services": services},
    )
    _add_interaction_form(w, cat, lang, services=services)
    _add_warmup_form(w, lang, services=services)
    matrix_form(w, cat, lang, services=services)


def node_options(cat: Catalogue, lang: str) -> dict[str, str]:
    return {nid: cat.text(node.title, lang) for nid, node in cat.nodes.items()}


def _add_interaction_form(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    nodes = node_options(cat, lang)
    with st.expander(t("fac.add_interaction", lang)), st.form("add_form", clear_on_submit=True):
        relabel("add_from", lang)
        relabel("add_to", lang)
        from_node = st.selectbox(
            t("fac.from", lang), list(nodes), format_func=nodes.get, key="add_from"
        )
        to_node = st.selectbox(
            t("fac.to", lang), list(nodes), index=1, format_func=nodes.get, key="add_to"
        )
        score = st.select_slider(
            t("fac.score", lang),
            list(range(SCORE_SCALE[0], SCORE_SCALE[1] + 1)),
            value=-2,
            key="add_score",
        )
        title = st.text_input(t("fac.new_title", lang), max_chars=200, key="add_title")
        description = st.text_area(
            t("fac.new_description", lang), max_chars=ws.DESCRIPTION_MAX, key="add_desc"
        )
        questions = st.text_area(t("fac.new_questions", lang), key="add_questions")
        if st.form_submit_button(t("fac.add", lang), type="primary", key="add_submit"):
            lines = [q.strip() for q in questions.splitlines() if q.strip()]
            try:
                ws.add_interaction(
                    granted(w.code),
                    from_node=from_node,
                    to_node=to_node,
                    score=score,
                    title=title,
                    description=description or None,
                    questions=lines or None,
                    store=services.store,
                )
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                st.rerun()


def _add_warmup_form(w: ws.Workshop, lang: str, *, services: Services) -> None:
    with st.expander(t("fac.add_warmup", lang)), st.form("warmup_form"):
        question = st.text_input(
            t("fac.warmup_question", lang),
            value=t("fac.warmup_default", lang),
            max_chars=ws.QUESTION_MAX,
            key="warmup_question",
        )
        st.caption(t("fac.warmup_options", lang))
        if st.form_submit_button(t("fac.add", lang), type="primary", key="warmup_submit"):
            try:
                ws.add_warmup(granted(w.code), question, store=services.store)
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                st.rerun()
