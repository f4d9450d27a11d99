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
from conflicts.store import OUTCOMES, DatabaseUnavailable
from conflicts.ui.autosave import autosave_text
from conflicts.ui.common import catalogue_title, current_model, language
from conflicts.ui.console import proposals
from conflicts.ui.console.actions import CLOSE_ON_MOVE, act, move, toggle_current
from conflicts.ui.console.agenda import agenda
from conflicts.ui.console.matrix import matrix_step
from conflicts.ui.console.settings import settings
from conflicts.ui.console.signin import post_pending, remember, sign_out_button, signed_in
from conflicts.ui.live import (
    code_entry,
    code_from_url,
    error_text,
    granted,
    keep_grant,
    load_workshop,
    may_create,
    public_base_url,
    tally_chart,
)
from conflicts.ui.room import item_text, representation_panel, timer_text
from conflicts.ui.series_box import series_box
from conflicts.ui.state import FAC_ERROR, FAC_NEW_KEY, FAC_NOTICE, FAC_TALLY, NOTES_ERROR
from conflicts.ui.versioned import on_live_change, versioned_key
from conflicts.ui.watch import follow_revision
from conflicts.ui.widgets import md_escape, score_badge, whole


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
            format_func=partial(catalogue_title, lang=lang),
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
                remember(created.grant, services=services)
                st.session_state[FAC_NEW_KEY] = (code, created.facilitator_key)
                st.query_params["code"] = code
                st.rerun()


# ------------------------------------------------------------------------------------------------
# Stepping: previous / next / voting / overview, with keyboard shortcuts
# ------------------------------------------------------------------------------------------------
def _jump(lang: str, code: str, key: str, drawn_at: int | None, *, services: Services) -> None:
    """The jump box's choice, if the room is still where the box was drawn (a choice made on a
    page that had not yet followed another device's step must not undo that step)."""
    try:
        now_at = ws.get_workshop(code, store=services.store).current_item_id
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state[FAC_ERROR] = error_text(exc, lang)
        return
    target = st.session_state[key]
    if now_at == drawn_at and target != now_at:
        move(lang, ws.set_current_item, code, target, services=services)


def _step_bar(w: ws.Workshop, cat: Catalogue, lang: str, *, services: Services) -> None:
    ids = [i.id for i in w.items]
    current = w.current_item
    at = ids.index(current.id) if current else None
    moving = {"on_click": move, "kwargs": {"services": services}}
    with st.container(horizontal=True, vertical_alignment="bottom", key="step_bar"):
        st.button(
            t("fac.prev", lang),
            key="step_prev",
            icon=":material/arrow_back:",
            shortcut="P",
            disabled=at is None or at == 0,
            args=(lang, ws.step, w.code, -1),
            **moving,
        )
        st.button(
            t("fac.next", lang),
            key="step_next",
            icon=":material/arrow_forward:",
            type="primary",
            shortcut="N",
            disabled=not ids or at == len(ids) - 1,
            args=(lang, ws.step, w.code, 1),
            **moving,
        )
        voting_open = current is not None and current.voting == "open"
        st.button(
            t("fac.close_voting" if voting_open else "fac.open_voting", lang),
            key="step_toggle",
            icon=":material/how_to_vote:",
            shortcut="V",
            disabled=current is None or (w.status != "open" and not voting_open),
            on_click=toggle_current,
            args=(lang, w.code, current.id if current else None, voting_open),
            kwargs={"services": services},
        )
        st.button(
            t("fac.overview", lang),
            key="step_overview",
            icon=":material/view_list:",
            shortcut="O",
            disabled=current is None,
            args=(lang, ws.set_current_item, w.code, None),
            **moving,
        )
        # The key follows the stored step: the script never writes this widget's state (a
        # browser message sent before the redraw arrived would carry the old step and its
        # on_change would move the room back), and a step taken on another device draws a new
        # select box showing it.
        key = versioned_key("step_jump", w.current_item_id, w.revision)
        labels = {i.id: f"{n}. {item_text(i, cat, lang)}" for n, i in enumerate(w.items, 1)}
        options = [None, *ids]
        with st.container(key="step_jump", width=360):
            st.selectbox(
                t("fac.jump", lang),
                options,
                index=options.index(w.current_item_id) if w.current_item_id in options else 0,
                format_func=lambda i: t("fac.overview_option", lang) if i is None else labels[i],
                key=key,
                on_change=on_live_change,
                args=(key, _jump, lang, w.code, key, w.current_item_id),
                kwargs={"services": services},
            )
        st.toggle(t("fac.close_on_move", lang), True, key=CLOSE_ON_MOVE)
    st.caption(
        (t("fac.step_of", lang, n=at + 1, total=len(ids)) + " · " if at is not None else "")
        + t("fac.shortcuts", lang)
    )
    if voting_open:
        st.caption(
            t("fac.voting_open_hint" if st.session_state[CLOSE_ON_MOVE] else "fac.stays_open", lang)
        )


# ------------------------------------------------------------------------------------------------
# The current step: what the room discusses, the timer, who is in the room, notes
# ------------------------------------------------------------------------------------------------
@st.fragment(run_every="1s")
def _clock(w: ws.Workshop, lang: str) -> None:
    """The time left, recomputed every second from the row the page read (no database read:
    every timer change bumps ``revision`` and the page is redrawn through the watcher)."""
    with st.container(key="console_timer", width="content"):
        st.markdown(f"**{t('fac.timer', lang)}: {timer_text(ws.timer_state(w), lang)}**")


def _timer(w: ws.Workshop, lang: str, *, services: Services) -> None:
    state = ws.timer_state(w)
    mine = state is not None and state.item_id == w.current_item_id
    with st.container(horizontal=True, vertical_alignment="bottom", key="timer_bar"):
        if mine:
            _clock(w, lang)
            if state.paused:
                st.button(
                    t("fac.timer_resume", lang),
                    key="timer_resume",
                    icon=":material/play_arrow:",
                    on_click=act,
                    args=(lang, ws.timer_resume, w.code),
                    kwargs={"services": services},
                )
            elif not state.expired:
                st.button(
                    t("fac.timer_pause", lang),
                    key="timer_pause",
                    icon=":material/pause:",
                    on_click=act,
                    args=(lang, ws.timer_pause, w.code),
                    kwargs={"services": services},
                )
            st.button(
                t("fac.timer_extend", lang),
                key="timer_extend",
                on_click=act,
                args=(lang, ws.timer_extend, w.code, 60),
                kwargs={"services": services},
            )
            st.button(
                t("fac.timer_reset", lang),
                key="timer_reset",
                type="tertiary",
                on_click=act,
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
                on_click=act,
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
        key = versioned_key(f"outcome_{item.id}", stamp)
        st.selectbox(
            t("fac.outcome", lang),
            [None, *OUTCOMES],
            index=([None, *OUTCOMES].index(o.outcome) if o.outcome in OUTCOMES else 0),
            format_func=lambda v: "–" if v is None else t(f"outcome.{v}", lang),
            key=key,
            on_change=on_live_change,
            args=(key, _save_widget, lang, w.code, item.id, "outcome", key),
            kwargs={"services": services},
        )
        text_field("owner", "fac.owner", ws.OWNER_MAX, 1)
    with right:
        key = versioned_key(f"due_{item.id}", stamp)
        st.date_input(
            t("fac.due", lang),
            value=o.due_date,
            format="YYYY-MM-DD",
            key=key,
            on_change=on_live_change,
            args=(key, _save_widget, lang, w.code, item.id, "due_date", key),
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
        elif item.is_matrix:
            matrix_step(w, cat, item, lang, services=services)
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
# ------------------------------------------------------------------------------------------------
# Live results (and following changes made on the facilitator's other device)
# ------------------------------------------------------------------------------------------------
def _tally(code: str, *, services: Services):
    """The facilitator's tally, read again only when the ballots or the state moved."""
    revisions = ws.poll(code, store=services.store)
    cached = st.session_state.get(FAC_TALLY)
    if cached is None or cached[0] != (code, revisions):
        cached = ((code, revisions), ws.get_tally(granted(code), store=services.store))
        st.session_state[FAC_TALLY] = cached
    return cached[1]


@st.fragment(run_every="2s")
def _results(code: str, cat: Catalogue, lang: str, *, services: Services) -> None:
    try:
        tally = _tally(code, services=services)
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


def _new_key(w: ws.Workshop, lang: str) -> None:
    """The key of a workshop just created, shown once (copy and download); the next action
    hides it: it is not kept, and only its hash is stored."""
    new_key = st.session_state.pop(FAC_NEW_KEY, None)
    if not new_key or new_key[0] != w.code:
        return
    with st.container(border=True, key="new_key"):
        st.success(t("fac.created", lang, code=w.code))
        st.code(new_key[1], language=None)  # with Streamlit's copy button
        st.download_button(
            t("fac.key_download", lang),
            f"{t('ws.code', lang)}: {w.code}\n{t('fac.key', lang)}: {new_key[1]}\n",
            file_name=f"{w.code}-facilitator-key.txt",
            key="key_download",
            icon=":material/download:",
            on_click="ignore",
        )
        st.caption(t("fac.key_once", lang))


def _header(w: ws.Workshop, lang: str, *, services: Services) -> None:
    """Code, status, open/close (closing asks first), sign out, the links for the room."""
    base = public_base_url()
    with st.container(horizontal=True, vertical_alignment="center", key="console_header"):
        st.markdown(
            f"**{t('ws.code', lang)}: `{w.code}`** · "
            f"{t('fac.status', lang, status=t('ws.status_' + w.status, lang))}"
        )
        if w.status != "open":
            st.button(
                t("fac.open_ws", lang),
                type="primary",
                key="open_ws",
                on_click=act,
                args=(lang, ws.open_workshop, w.code),
                kwargs={"services": services},
            )
        else:
            with st.popover(t("fac.close_ws", lang), key="close_ws"):
                st.markdown(t("fac.close_ws_confirm", lang))
                st.button(
                    t("fac.close_ws_yes", lang),
                    type="primary",
                    key="close_ws_confirm",
                    on_click=act,
                    args=(lang, ws.close_workshop, w.code),
                    kwargs={"services": services},
                )
        sign_out_button(w.code, lang)
    st.markdown(f"{t('fac.links', lang)}: {base}{w.join_path} · {base}/projector?code={w.code}")


def _messages() -> None:
    notice = st.session_state.pop(FAC_NOTICE, None)
    if notice:
        st.info(notice, icon=":material/how_to_vote:")
    error = st.session_state.pop(FAC_ERROR, None)
    if error:
        st.error(error)


def render(services: Services) -> None:
    lang = language()
    st.title(t("fac.title", lang), anchor=False)
    post_pending()  # a sign-in or sign-out cookie to set
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
    if w is None or signed_in(w.code, lang, services=services) is None:
        return
    post_pending()  # the cookie for a grant given just now
    # Follow the facilitator's other devices: a browser-side watcher reruns the page when the
    # stored revision moves (see conflicts/ui/watch.py for why not a timed fragment).
    follow_revision(w.code, w.revision)
    cat = w.catalogue()
    if w.title:
        st.subheader(w.title, anchor=False)  # text, not Markdown: a title is user text
    _new_key(w, lang)
    _messages()
    _header(w, lang, services=services)
    _step_bar(w, cat, lang, services=services)
    left, right = st.columns([3, 2], gap="large")
    with left:
        _current_step(w, cat, lang, services=services)
    with right:
        _results(w.code, cat, lang, services=services)  # one catalogue read per page run
    try:
        shown = proposals.pending(proposals.load(w.code, services=services))
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.warning(error_text(exc, lang))
        shown = 0
    agenda_tab, proposals_tab, settings_tab = st.tabs(
        [
            t("fac.tab_agenda", lang),
            t("fac.tab_proposals", lang, n=shown),
            t("fac.tab_settings", lang),
        ]
    )
    with agenda_tab:
        agenda(w, cat, lang, services=services)
    with proposals_tab:
        proposals.proposals_live(w, cat, lang, shown, services=services)
    with settings_tab:
        settings(w, lang, services=services)
        series_box(granted(w.code), lang, services=services)
