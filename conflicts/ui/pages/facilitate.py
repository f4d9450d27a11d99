"""The facilitator console (``/facilitate?code=CODE``), behind the workshop's key.

The key (or the admin password, ``CONFLICTS_ADMIN_PASSWORD``) is checked against its hash once per
browser session and kept only in that session; it never goes into a URL or onto the projector.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from conflicts import config
from conflicts import workshops as ws
from conflicts.catalogue import Catalogue, bundled_catalogues
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import METHODS, MODES, OUTCOMES, DatabaseUnavailable
from conflicts.tally import SCORE_SCALE
from conflicts.ui.autosave import autosave_text
from conflicts.ui.common import current_model, language
from conflicts.ui.live import (
    code_entry,
    code_from_url,
    error_text,
    facilitator_grant,
    granted,
    keep_grant,
    load_workshop,
    may_create,
    public_base_url,
    tally_chart,
)
from conflicts.ui.room import item_text, item_title, representation_panel, timer_text
from conflicts.ui.series_box import series_box
from conflicts.ui.state import FAC_ERROR, FAC_NEW_KEY, FAC_REVISION, NOTES_ERROR
from conflicts.ui.widgets import md_escape, score_badge, whole

WARMUP_PREFIX = ws.WARMUP_ID_PREFIX


def _act(lang: str, fn, code: str, *args, services: Services, **kwargs) -> None:
    """Run the facilitator action ``fn`` with this session's grant for ``code``; show a
    translated error instead of a traceback."""
    try:
        fn(granted(code), *args, store=services.store, **kwargs)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state[FAC_ERROR] = error_text(exc, lang)


def _create_password_field(lang: str) -> str | None:
    """The create password field, shown only when one is configured (README: configuration)."""
    if config.create_password() is None:
        return None
    return st.text_input(
        t("fac.create_password", lang),
        type="password",
        help=t("fac.create_password_help", lang),
        key="create_password",
    )


def _create(lang: str, *, services: Services) -> None:
    st.subheader(t("fac.create", lang), anchor=False)
    names = list(bundled_catalogues())
    in_use = current_model().key
    with st.form("create_form"):
        name = st.selectbox(
            t("catalogue.choose", lang),
            names,
            index=names.index(in_use) if in_use in names else 0,
            key="create_cat",
        )
        title = st.text_input(t("fac.ws_title", lang), max_chars=ws.TITLE_MAX, key="create_title")
        password = _create_password_field(lang)
        submitted = st.form_submit_button(
            t("fac.create_submit", lang), type="primary", key="create_submit"
        )
        if submitted and may_create(password, lang):
            try:
                created = ws.create_workshop(name, title=title or None, store=services.store)
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                code = created.workshop.code
                keep_grant(created.grant)
                st.session_state[FAC_NEW_KEY] = (code, created.facilitator_key)
                st.query_params["code"] = code
                st.rerun()


def _apply(
    lang: str, new: object, old: object, fn, *args, services: Services, widget=None, **kwargs
) -> None:
    """Save a setting whose widget changed, then redraw with the stored value. ``widget``: the
    widget's key, forgotten when the change is refused (else it would ask again on every run:
    an endless loop of reruns)."""
    if new != old:
        _act(lang, fn, *args, **kwargs, services=services)
        if widget is not None and FAC_ERROR in st.session_state:
            st.session_state.pop(widget, None)
        st.rerun()


def _settings(w: ws.Workshop, lang: str, *, services: Services) -> None:
    method = st.segmented_control(
        t("fac.method", lang),
        METHODS,
        default=w.method,
        required=True,
        format_func=lambda m: t(f"fac.method_{m}", lang),
        key=f"method_{w.code}",
    )
    budget = st.number_input(
        t("fac.budget", lang),
        1,
        100,
        w.dot_budget,
        key=f"budget_{w.code}",
        disabled=method != "dots",
    )
    size = st.number_input(
        t("fac.ranking_size", lang),
        1,
        20,
        w.ranking_size,
        key=f"rsize_{w.code}",
        disabled=method != "ranking",
    )
    _apply(
        lang,
        (method, budget, size),
        (w.method, w.dot_budget, w.ranking_size),
        ws.set_voting_method,
        w.code,
        method,
        widget=f"method_{w.code}",
        dot_budget=whole(budget, 1, 100, w.dot_budget) if method == "dots" else None,
        ranking_size=whole(size, 1, 20, w.ranking_size) if method == "ranking" else None,
        services=services,
    )
    mode = st.segmented_control(
        t("fac.mode", lang),
        MODES,
        default=w.mode,
        required=True,
        format_func=lambda m: t(f"fac.mode_{m}", lang),
        key=f"mode_{w.code}",
    )
    _apply(
        lang, mode, w.mode, ws.set_mode, w.code, mode, services=services, widget=f"mode_{w.code}"
    )
    hide = st.toggle(t("fac.hide", lang), w.hide_results_until_closed, key=f"hide_{w.code}")
    _apply(
        lang,
        hide,
        w.hide_results_until_closed,
        ws.set_hide_results,
        w.code,
        hide,
        services=services,
    )
    require = st.toggle(
        t("fac.require_codes", lang), w.require_participant_code, key=f"req_{w.code}"
    )
    _apply(
        lang,
        require,
        w.require_participant_code,
        ws.set_participant_codes_required,
        w.code,
        require,
        services=services,
        widget=f"req_{w.code}",
    )
    if require:
        n = st.number_input(
            t("fac.codes_n", lang), 1, ws.MAX_PARTICIPANT_CODES, 20, key=f"ncodes_{w.code}"
        )
        if st.button(t("fac.codes_generate", lang), key=f"gen_codes_{w.code}"):
            count = whole(n, 1, ws.MAX_PARTICIPANT_CODES, 20)
            _act(lang, ws.generate_participant_codes, w.code, count, services=services)
        codes = ws.list_participant_codes(granted(w.code), store=services.store)
        if codes:
            st.download_button(
                "CSV",
                "code,used\n" + "\n".join(f"{c},{int(u)}" for c, u in codes),
                file_name=f"{w.code}-participant-codes.csv",
                key=f"codes_csv_{w.code}",
            )
            st.code("\n".join(c for c, used in codes if not used) or "–")


# ------------------------------------------------------------------------------------------------
# Stepping: previous / next / voting / overview, with keyboard shortcuts
# ------------------------------------------------------------------------------------------------
def _jump(lang: str, code: str, *, services: Services) -> None:
    _act(lang, ws.set_current_item, code, st.session_state["step_jump"], services=services)


def _step_bar(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    ids = [i.id for i in w.items]
    current = w.current_item
    at = ids.index(current.id) if current else None
    with st.container(horizontal=True, vertical_alignment="bottom", key="step_bar"):
        st.button(
            t("fac.prev", lang),
            key="step_prev",
            icon=":material/arrow_back:",
            shortcut="P",
            disabled=at is None or at == 0,
            on_click=_act,
            args=(lang, ws.step, w.code, -1),
            kwargs={"services": services},
        )
        st.button(
            t("fac.next", lang),
            key="step_next",
            icon=":material/arrow_forward:",
            type="primary",
            shortcut="N",
            disabled=not ids or at == len(ids) - 1,
            on_click=_act,
            args=(lang, ws.step, w.code, 1),
            kwargs={"services": services},
        )
        voting_open = current is not None and current.voting == "open"
        st.button(
            t("fac.close_voting" if voting_open else "fac.open_voting", lang),
            key="step_toggle",
            icon=":material/how_to_vote:",
            shortcut="V",
            disabled=current is None or (w.status != "open" and not voting_open),
            on_click=_act,
            args=(lang, ws.toggle_voting, w.code, current.id if current else None),
            kwargs={"services": services},
        )
        st.button(
            t("fac.overview", lang),
            key="step_overview",
            icon=":material/view_list:",
            shortcut="O",
            disabled=current is None,
            on_click=_act,
            args=(lang, ws.set_current_item, w.code, None),
            kwargs={"services": services},
        )
        st.session_state["step_jump"] = w.current_item_id  # follow the stored step
        labels = {i.id: f"{n}. {item_text(i, cat, lang)}" for n, i in enumerate(w.items, 1)}
        st.selectbox(
            t("fac.jump", lang),
            [None, *ids],
            format_func=lambda i: t("fac.overview_option", lang) if i is None else labels[i],
            key="step_jump",
            on_change=_jump,
            args=(lang, w.code),
            kwargs={"services": services},
        )
    st.caption(
        (t("fac.step_of", lang, n=at + 1, total=len(ids)) + " · " if at is not None else "")
        + t("fac.shortcuts", lang)
    )


# ------------------------------------------------------------------------------------------------
# The current step: what the room discusses, the timer, who is in the room, notes
# ------------------------------------------------------------------------------------------------
def _timer(w: ws.Workshop, lang: str, *, services: Services) -> None:
    state = ws.timer_state(w)
    mine = state is not None and state.item_id == w.current_item_id
    with st.container(horizontal=True, vertical_alignment="bottom", key="timer_bar"):
        if mine:
            st.markdown(f"**{t('fac.timer', lang)}: {timer_text(state, lang)}**")
            if state.paused:
                st.button(
                    t("fac.timer_resume", lang),
                    key="timer_resume",
                    icon=":material/play_arrow:",
                    on_click=_act,
                    args=(lang, ws.timer_resume, w.code),
                    kwargs={"services": services},
                )
            elif not state.expired:
                st.button(
                    t("fac.timer_pause", lang),
                    key="timer_pause",
                    icon=":material/pause:",
                    on_click=_act,
                    args=(lang, ws.timer_pause, w.code),
                    kwargs={"services": services},
                )
            st.button(
                t("fac.timer_extend", lang),
                key="timer_extend",
                on_click=_act,
                args=(lang, ws.timer_extend, w.code, 60),
                kwargs={"services": services},
            )
            st.button(
                t("fac.timer_reset", lang),
                key="timer_reset",
                type="tertiary",
                on_click=_act,
                args=(lang, ws.timer_reset, w.code),
                kwargs={"services": services},
            )
        else:
            minutes = whole(
                st.number_input(t("fac.minutes", lang), 1, 120, 5, key="timer_minutes", width=120),
                1,
                120,
                5,
            )
            st.button(
                t("fac.timer_start", lang, m=int(minutes)),
                key="timer_start",
                icon=":material/timer:",
                on_click=_act,
                args=(lang, ws.timer_start, w.code, int(minutes) * 60),
                kwargs={"services": services},
            )


def _save_note(
    lang: str, code: str, item_id: int, field_name: str, value, *, services: Services
) -> None:
    """Autosave callback: one short upsert; errors are shown above the notes."""
    try:
        ws.save_outcome(granted(code), item_id, **{field_name: value}, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state[NOTES_ERROR] = error_text(exc, lang)


def _save_widget(
    lang: str, code: str, item_id: int, field_name: str, key: str, *, services: Services
) -> None:
    value = st.session_state[key]
    if field_name == "due_date":
        value = value.isoformat() if value else ""
    _save_note(
        lang, code, item_id, field_name, value if value is not None else "", services=services
    )


def _notes(w: ws.Workshop, item: ws.AgendaItem, lang: str, *, services: Services) -> None:
    st.markdown(f"#### {t('fac.notes', lang)}")
    error = st.session_state.pop(NOTES_ERROR, None)
    if error:
        st.error(error)
    try:
        stored = ws.get_outcomes(w.code, store=services.store).get(item.id)
    except DatabaseUnavailable as exc:
        st.error(error_text(exc, lang))
        return
    o = stored or ws.Outcome(item_id=item.id)
    save = partial(_save_note, lang, w.code, item.id, services=services)

    def text_field(field_name: str, label_key: str, max_chars: int, rows: int) -> None:
        autosave_text(
            t(label_key, lang),
            getattr(o, field_name),
            key=f"{field_name}_{item.id}",
            on_save=partial(save, field_name),
            max_chars=max_chars,
            rows=rows,
        )

    text_field("summary", "fac.summary", ws.SUMMARY_MAX, 5)
    # Choice widgets save on change; their key follows the stored version so that a change made
    # on the facilitator's other device shows here after the next rerun.
    stamp = o.updated_at.timestamp() if o.updated_at else 0
    left, right = st.columns(2)
    with left:
        key = f"outcome_{item.id}_{stamp}"
        st.selectbox(
            t("fac.outcome", lang),
            [None, *OUTCOMES],
            index=([None, *OUTCOMES].index(o.outcome) if o.outcome in OUTCOMES else 0),
            format_func=lambda v: "–" if v is None else t(f"outcome.{v}", lang),
            key=key,
            on_change=_save_widget,
            args=(lang, w.code, item.id, "outcome", key),
            kwargs={"services": services},
        )
        text_field("owner", "fac.owner", ws.OWNER_MAX, 1)
    with right:
        key = f"due_{item.id}_{stamp}"
        st.date_input(
            t("fac.due", lang),
            value=o.due_date,
            format="YYYY-MM-DD",
            key=key,
            on_change=_save_widget,
            args=(lang, w.code, item.id, "due_date", key),
            kwargs={"services": services},
        )
        text_field("next_step", "fac.next_step", ws.NEXT_STEP_MAX, 1)
    if o.updated_at:
        local = o.updated_at.astimezone()
        st.caption(t("fac.saved_at", lang, time=f"{local:%H:%M:%S}"))


def _current_step(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    item = w.current_item
    if item is None:
        st.info(t("fac.no_step", lang))
        return
    with st.container(border=True, key="current_step"):
        if item.is_warmup:
            st.markdown(f"### {md_escape(item.question_text(lang))}")
            st.caption(t("fac.warmup_options", lang))
        else:
            interaction = cat.interactions_by_id.get(item.interaction_id)
            if interaction is None:
                st.warning(item.interaction_id)
                return
            st.markdown(f"### {md_escape(cat.text(interaction.title, lang))}")
            badges = score_badge(interaction.score, lang)
            if "proposed" in interaction.tags:
                badges += f" :violet-badge[{t('prop.proposed', lang)}]"
            st.markdown(badges)
            a = cat.text(cat.nodes[interaction.from_].title, lang)
            b = cat.text(cat.nodes[interaction.to].title, lang)
            st.caption(f"{md_escape(a)} → {md_escape(b)}")
            if interaction.description:
                st.markdown(md_escape(cat.text(interaction.description, lang)))
            if interaction.questions:
                st.markdown(f"**{t('fac.questions', lang)}**")
                st.markdown(
                    "\n".join(f"- {md_escape(cat.text(q, lang))}" for q in interaction.questions)
                )
        _timer(w, lang, services=services)
    if not item.is_warmup and item.interaction_id in cat.interactions_by_id:
        try:
            people = ws.list_participants(w.code, store=services.store)
        except DatabaseUnavailable as exc:
            st.warning(error_text(exc, lang))
        else:
            with st.container(border=True, key="room_panel"):
                representation_panel(cat, item.interaction_id, people, lang)
    _notes(w, item, lang, services=services)


# ------------------------------------------------------------------------------------------------
# Agenda: choose, order, move, add
# ------------------------------------------------------------------------------------------------
def _save_agenda(lang: str, w: ws.Workshop, *, services: Services) -> None:
    chosen = st.session_state["agenda_choose"]
    on_agenda = [i.interaction_id for i in w.items]
    kept = [iid for iid in on_agenda if iid in chosen or iid.startswith(WARMUP_PREFIX)]
    _act(
        lang,
        ws.set_agenda,
        w.code,
        kept + [iid for iid in chosen if iid not in on_agenda],
        services=services,
    )


def _agenda(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{t('fac.order_by', lang)}:**")
        for by in ws.AGENDA_ORDERS:
            st.button(
                t(f"fac.order_{by}", lang),
                key=f"order_{by}",
                on_click=_act,
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
                    on_click=_act,
                    args=(lang, ws.set_current_item, w.code, item.id),
                    kwargs={"services": services},
                )
                voting_open = item.voting == "open"
                st.button(
                    t("fac.close_voting" if voting_open else "fac.open_voting", lang),
                    key=f"{'close' if voting_open else 'open'}_{item.id}",
                    disabled=w.status != "open" and not voting_open,
                    on_click=_act,
                    args=(lang, ws.toggle_voting, w.code, item.id),
                    kwargs={"services": services},
                )
                st.button(
                    t("fac.up", lang),
                    key=f"up_{item.id}",
                    icon=":material/arrow_upward:",
                    disabled=n == 0,
                    on_click=_act,
                    args=(lang, ws.move_item, w.code, item.id, -1),
                    kwargs={"services": services},
                )
                st.button(
                    t("fac.down", lang),
                    key=f"down_{item.id}",
                    icon=":material/arrow_downward:",
                    disabled=n == last,
                    on_click=_act,
                    args=(lang, ws.move_item, w.code, item.id, 1),
                    kwargs={"services": services},
                )
                st.button(
                    t("fac.remove", lang),
                    key=f"remove_{item.id}",
                    type="tertiary",
                    icon=":material/delete:",
                    on_click=_act,
                    args=(lang, ws.remove_item, w.code, item.id),
                    kwargs={"services": services},
                )

    titles = {i.id: cat.text(i.title, lang) for i in cat.interactions}
    st.multiselect(
        t("fac.choose", lang),
        list(titles),
        default=[i.interaction_id for i in w.items if i.interaction_id in titles],
        format_func=lambda iid: f"{titles[iid]} ({cat.interactions_by_id[iid].score:+d})",
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


def _node_options(cat: Catalogue, lang: str) -> dict[str, str]:
    return {nid: cat.text(node.title, lang) for nid, node in cat.nodes.items()}


def _add_interaction_form(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    nodes = _node_options(cat, lang)
    with st.expander(t("fac.add_interaction", lang)), st.form("add_form", clear_on_submit=True):
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


# ------------------------------------------------------------------------------------------------
# Participants' proposals
# ------------------------------------------------------------------------------------------------
def _accept(lang: str, code: str, proposal_id: int, *, services: Services) -> None:
    _act(
        lang,
        ws.accept_proposal,
        code,
        proposal_id,
        score=st.session_state[f"accept_score_{proposal_id}"],
        services=services,
    )


def _merge(lang: str, code: str, proposal_id: int, *, services: Services) -> None:
    keep = st.session_state.get(f"merge_into_{proposal_id}")
    if keep is not None:
        _act(lang, ws.merge_proposals, code, keep, [proposal_id], services=services)


def _proposals(
    w: ws.Workshop, cat: Catalogue, found: list, lang: str, *, services: Services
) -> None:
    if not found:
        st.caption(t("prop.none", lang))
        return
    nodes = _node_options(cat, lang)
    titles = {p.id: p.title for p in found}
    for p in found:
        with st.container(border=True, key=f"proposal_{p.id}"):
            st.markdown(f"**{md_escape(p.title)}** · {t('prop.status_' + p.status, lang)}")
            st.caption(
                t(
                    "fac.prop_link",
                    lang,
                    a=md_escape(nodes.get(p.from_node, p.from_node)),
                    b=md_escape(nodes.get(p.to_node, p.to_node)),
                )
                + (
                    f" · {t('prop.by', lang, name=md_escape(p.display_name))}"
                    if p.display_name
                    else ""
                )
            )
            if p.text:
                st.text(p.text)  # participants' text: always shown as text
            if p.status != "pending":
                continue
            with st.container(horizontal=True, vertical_alignment="bottom"):
                st.select_slider(
                    t("fac.prop_score", lang),
                    list(range(SCORE_SCALE[0], SCORE_SCALE[1] + 1)),
                    value=-1,
                    key=f"accept_score_{p.id}",
                    width=220,
                )
                st.button(
                    t("prop.accept", lang),
                    key=f"accept_{p.id}",
                    type="primary",
                    on_click=_accept,
                    args=(lang, w.code, p.id),
                    kwargs={"services": services},
                )
                st.button(
                    t("prop.decline", lang),
                    key=f"decline_{p.id}",
                    on_click=_act,
                    args=(lang, ws.decline_proposal, w.code, p.id),
                    kwargs={"services": services},
                )
            others = [o.id for o in found if o.id != p.id and o.status in ("pending", "accepted")]
            if others:
                with st.container(horizontal=True, vertical_alignment="bottom"):
                    st.selectbox(
                        t("prop.merge_into", lang),
                        others,
                        index=None,
                        format_func=titles.get,
                        key=f"merge_into_{p.id}",
                    )
                    st.button(
                        t("prop.merge", lang),
                        key=f"merge_{p.id}",
                        on_click=_merge,
                        args=(lang, w.code, p.id),
                        kwargs={"services": services},
                    )


# ------------------------------------------------------------------------------------------------
# Live results (and following changes made on the facilitator's other device)
# ------------------------------------------------------------------------------------------------
@st.fragment(run_every="2s")
def _results(code: str, cat: Catalogue, lang: str, *, services: Services) -> None:
    try:
        revision, _ = ws.poll(code, store=services.store)
        if revision != st.session_state.get(FAC_REVISION):
            st.rerun()  # another device (or tab) moved on: show the same step here
        tally = ws.get_tally(granted(code), store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.warning(error_text(exc, lang))
        return
    st.subheader(t("fac.results", lang), anchor=False)
    st.caption(t("ws.participants", lang, n=tally.participants))
    titles = {
        i.interaction_id: cat.text(cat.interactions_by_id[i.interaction_id].title, lang)
        for i in tally.items
        if i.interaction_id in cat.interactions_by_id
    }
    for warm in tally.warmups:
        if warm.ballots or warm.voting == "open":
            with st.expander(
                f"{t('room.warmup', lang)} · {t('ws.ballots_in', lang, n=warm.ballots)}",
                expanded=warm.voting == "open",
            ):
                st.bar_chart(
                    {
                        cat.text(cat.nodes[g].title, lang): warm.distribution.get(g, 0)
                        for g in warm.options
                    },
                    horizontal=True,
                    height=220,
                    x_label="",
                    y_label="",
                    color="#0072B2",
                )
    if tally.ranking:
        st.markdown(f"**{t('ws.ranking', lang)}**")
        st.markdown(
            "\n".join(
                f"{r.rank}. {md_escape(titles.get(r.interaction_id, r.interaction_id))} "
                f"({t('ws.ballots_in', lang, n=r.ballots)})"
                for r in tally.ranking
            )
        )
    for item in tally.items:
        if item.ballots or item.skips or item.voting == "open":
            with st.expander(
                f"{md_escape(titles.get(item.interaction_id, item.interaction_id))} · "
                f"{t('ws.ballots_in', lang, n=item.ballots)}",
                expanded=item.voting == "open",
            ):
                tally_chart(item, tally.method, lang)


def render(services: Services) -> None:
    lang = language()
    st.title(t("fac.title", lang), anchor=False)
    code = code_from_url()
    if not code:
        left, right = st.columns(2, gap="large")
        with left:
            _create(lang, services=services)
        with right:
            st.subheader(t("fac.open_existing", lang), anchor=False)
            code_entry(lang, "fac_code_form")
        return
    w = load_workshop(code, lang, services=services)
    if w is None or facilitator_grant(w.code, lang, services=services) is None:
        return
    st.session_state[FAC_REVISION] = w.revision
    cat = w.catalogue()

    new_key = st.session_state.get(FAC_NEW_KEY)
    if new_key and new_key[0] == w.code:
        st.success(t("fac.created", lang, code=w.code))
        st.code(new_key[1], language=None)
    error = st.session_state.pop(FAC_ERROR, None)
    if error:
        st.error(error)

    base = public_base_url()
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(
            f"**{t('ws.code', lang)}: `{w.code}`** · "
            f"{t('fac.status', lang, status=t('ws.status_' + w.status, lang))}"
        )
        if w.status != "open":
            st.button(
                t("fac.open_ws", lang),
                type="primary",
                key="open_ws",
                on_click=_act,
                args=(lang, ws.open_workshop, w.code),
                kwargs={"services": services},
            )
        else:
            st.button(
                t("fac.close_ws", lang),
                key="close_ws",
                on_click=_act,
                args=(lang, ws.close_workshop, w.code),
                kwargs={"services": services},
            )
    st.markdown(f"{t('fac.links', lang)}: {base}{w.join_path} · {base}/projector?code={w.code}")
    _step_bar(w, cat, lang, services=services)
    left, right = st.columns([3, 2], gap="large")
    with left:
        _current_step(w, cat, lang, services=services)
    with right:
        _results(
            w.code, cat, lang, services=services
        )  # one catalogue read per page run, not per tick
    try:
        found = ws.list_proposals(granted(w.code), store=services.store)
    except DatabaseUnavailable as exc:
        st.warning(error_text(exc, lang))
        found = []
    pending = sum(1 for p in found if p.status == "pending")
    agenda_tab, proposals_tab, settings_tab = st.tabs(
        [
            t("fac.tab_agenda", lang),
            t("fac.tab_proposals", lang, n=pending),
            t("fac.tab_settings", lang),
        ]
    )
    with agenda_tab:
        _agenda(w, cat, lang, services=services)
    with proposals_tab:
        _proposals(w, cat, found, lang, services=services)
    with settings_tab:
        _settings(w, lang, services=services)
        series_box(granted(w.code), lang, services=services)
