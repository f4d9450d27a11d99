"""Participants: join with a code (no account) and vote from a phone.

Phone first: big buttons, one tap per vote (at most two with a change of mind), the result of each
tap confirmed only after the database committed it. Identity is the httpOnly voter cookie, so a
reload or a locked phone never creates a second ballot.

Warm-up steps are answered with one of the catalogue's goals whatever the voting method; below the
voting card a participant can propose a conflict the catalogue lacks (at most
``MAX_PROPOSALS_PER_PARTICIPANT``). Titles may be participants' text: always escaped.
"""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import ActorType, Catalogue, DecisionLevel
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.common import language
from conflicts.ui.live import code_entry, code_from_url, error_text, load_workshop, voter_id
from conflicts.ui.server import cached_poll
from conflicts.ui.state import JOIN_FEEDBACK, JOIN_REVISION, PROPOSAL_FEEDBACK
from conflicts.ui.watch import follow_revision
from conflicts.ui.widgets import md_escape, score_badge

# Phones follow the facilitator through conflicts.ui.watch (an HTTP poll every second that
# reruns the page only on a change). This fragment is the fallback for a browser where that
# component cannot run: slow, because each tick is a script run on the server.
WATCH_EVERY = "10s"


def _revision(code: str, *, services: Services) -> int:
    """The workshop's state revision, shared by every session of this process for half a
    second (the same cache as the revision route phones poll, :func:`server.cached_poll`)."""
    return cached_poll(code, store=services.store)[0]


def _scale(w: ws.Workshop) -> range:
    """The ballot values of the workshop's method, from :meth:`Workshop.scale` (one source)."""
    lo, hi = w.scale()
    return range(lo, hi + 1)


def _join_form(w: ws.Workshop, voter: str, lang: str, *, services: Services) -> None:
    cat = w.catalogue()
    st.subheader(t("join.title", lang), anchor=False)
    st.caption(cat.text(cat.meta.title, lang))
    with st.form("join_form"):
        name = st.text_input(t("join.name", lang), max_chars=ws.DISPLAY_NAME_MAX, key="join_name")
        actor_type = st.selectbox(
            t("join.actor_type", lang),
            [None, *(a.value for a in ActorType)],
            format_func=lambda v: "–" if v is None else t(f"actor_type.{v}", lang),
            key="join_actor_type",
        )
        level = st.selectbox(
            t("join.level", lang),
            [None, *(lv.value for lv in DecisionLevel)],
            format_func=lambda v: "–" if v is None else t(f"level.{v}", lang),
            key="join_level",
        )
        participant_code = None
        if w.require_participant_code:
            participant_code = st.text_input(
                t("join.participant_code", lang), max_chars=16, key="join_participant_code"
            )
        if st.form_submit_button(
            t("join.submit", lang), type="primary", key="join_submit", width="stretch"
        ):
            try:
                ws.join(
                    w.code,
                    voter,
                    display_name=name or None,
                    actor_type=actor_type,
                    level=level,
                    participant_code=participant_code or None,
                    store=services.store,
                )
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                st.rerun()


def _cast(
    code: str, voter: str, item_id: int, value: int | None, lang: str, *, services: Services
) -> None:
    """Button callback: write the ballot; report success only after the commit."""
    feedback = st.session_state.setdefault(JOIN_FEEDBACK, {})
    try:
        ws.cast_ballot(code, voter, item_id, value=value, skip=value is None, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        feedback[item_id] = ("error", error_text(exc, lang))
    else:
        feedback[item_id] = ("ok", None)


def _cast_points(
    code: str, voter: str, item_id: int, key: str, lang: str, *, services: Services
) -> None:
    _cast(code, voter, item_id, int(st.session_state[key]), lang, services=services)


def _vote_buttons(
    w: ws.Workshop,
    voter: str,
    item: ws.AgendaItem,
    options: list[tuple[int, str]],
    lang: str,
    mine: ws.Ballot | None,
    *,
    horizontal: bool = True,
    services: Services,
) -> None:
    """One button per ``(value, label)`` (the stored choice highlighted), then skip."""
    with st.container(horizontal=horizontal, gap="small", key=f"votes_{item.id}"):
        for value, label in options:
            chosen = mine is not None and not mine.skipped and mine.value == value
            st.button(
                label,
                key=f"vote_{item.id}_{value}",
                type="primary" if chosen else "secondary",
                on_click=_cast,
                args=(w.code, voter, item.id, value, lang),
                width="stretch",
                kwargs={"services": services},
            )
    st.button(
        t("ws.skip", lang),
        key=f"skip_{item.id}",
        type="primary" if mine is not None and mine.skipped else "tertiary",
        on_click=_cast,
        args=(w.code, voter, item.id, None, lang),
        kwargs={"services": services},
    )


@st.fragment
def _button_card(
    w: ws.Workshop, voter: str, item: ws.AgendaItem, lang: str, *, services: Services
) -> None:
    """One conflict's vote buttons as a fragment: a tap reruns this card, not the whole page.

    Measured with benchmarks/load.py (500 phones): whole-page reruns per vote gave p95 9.8 s,
    card fragments 2.9 s. The card re-reads only this voter's ballots after the tap.
    """
    try:
        mine = ws.my_ballots(w.code, voter, store=services.store).get(item.id)
    except DatabaseUnavailable as exc:
        st.error(error_text(exc, lang))
        return
    _item_card(w, voter, item, lang, mine, services=services)


def _item_card(
    w: ws.Workshop,
    voter: str,
    item: ws.AgendaItem,
    lang: str,
    mine: ws.Ballot | None,
    *,
    services: Services,
) -> None:
    cat = w.catalogue()
    interaction = cat.interactions_by_id.get(item.interaction_id)
    with st.container(border=True, key=f"item_{item.id}"):
        if interaction is not None:
            st.markdown(f"#### {md_escape(cat.text(interaction.title, lang))}")
            st.markdown(score_badge(interaction.score, lang))
        if w.method == "rating":
            st.markdown(f"**{t('ws.question_rating', lang)}**")
            st.caption(f"{t('ws.rating_low', lang)} · {t('ws.rating_high', lang)}")
            _vote_buttons(
                w, voter, item, [(v, str(v)) for v in _scale(w)], lang, mine, services=services
            )
        elif w.method == "score":
            st.markdown(f"**{t('ws.question_score', lang)}**")
            _vote_buttons(
                w,
                voter,
                item,
                [(v, f"{v:+d}") for v in _scale(w)],
                lang,
                mine,
                services=services,
            )
        elif w.method == "dots":
            current = 0 if mine is None or mine.value is None else mine.value
            key = f"dots_{item.id}"
            refused = st.session_state.get(JOIN_FEEDBACK, {}).get(item.id, ("",))[0] == "error"
            if refused or key not in st.session_state:
                st.session_state[key] = current  # show what is stored
            st.number_input(
                t("ws.points", lang),
                min_value=0,
                max_value=w.dot_budget,
                step=1,
                key=key,
                on_change=_cast_points,
                args=(w.code, voter, item.id, key, lang),
                kwargs={"services": services},
            )
        _feedback(item, mine, lang)


def _feedback(
    item: ws.AgendaItem, mine: ws.Ballot | None, lang: str, label: str | None = None
) -> None:
    """The error of the last tap, or the stored ballot (``label``: how to show its value)."""
    kind, message = st.session_state.get(JOIN_FEEDBACK, {}).pop(item.id, (None, None))
    if kind == "error":
        st.error(message)
    if mine is not None:
        value = label if label is not None else mine.value
        st.success(t("ws.saved_skip", lang) if mine.skipped else t("ws.saved", lang, value=value))
        st.caption(t("ws.change_hint", lang))


def _goal_title(cat: Catalogue, index: int | None, lang: str) -> str | None:
    """The escaped title of the goal a warm-up value (index into ``warmup_options``) names."""
    options = ws.warmup_options(cat)
    if index is None or not 0 <= index < len(options):
        return None
    return md_escape(cat.text(cat.goals_by_id[options[index]].title, lang))


@st.fragment
def _warmup_card(
    w: ws.Workshop, voter: str, item: ws.AgendaItem, lang: str, *, services: Services
) -> None:
    """A warm-up question: one big button per goal (whatever the voting method), or skip."""
    try:
        mine = ws.my_ballots(w.code, voter, store=services.store).get(item.id)
    except DatabaseUnavailable as exc:
        st.error(error_text(exc, lang))
        return
    cat = w.catalogue()
    with st.container(border=True, key=f"item_{item.id}"):
        st.caption(f":material/quiz: {t('room.warmup', lang)}")
        st.markdown(f"#### {md_escape(item.question_text(lang))}")
        st.markdown(f"**{t('ws.warmup_pick', lang)}**")
        goals = [
            (index, _goal_title(cat, index, lang) or str(index))
            for index in range(len(ws.warmup_options(cat)))
        ]
        _vote_buttons(w, voter, item, goals, lang, mine, horizontal=False, services=services)
        _feedback(item, mine, lang, _goal_title(cat, mine.value if mine else None, lang))


def _ranking(
    w: ws.Workshop,
    voter: str,
    items: list[ws.AgendaItem],
    lang: str,
    mine: dict[int, ws.Ballot],
    *,
    services: Services,
) -> None:
    cat = w.catalogue()
    titles = {
        i.id: cat.text(cat.interactions_by_id[i.interaction_id].title, lang)
        for i in items
        if i.interaction_id in cat.interactions_by_id
    }
    st.markdown(f"**{t('ws.question_ranking', lang, n=w.ranking_size)}**")
    current = sorted(
        (i for i in mine if mine[i].value and i in titles), key=lambda i: -(mine[i].value or 0)
    )
    with st.form("ranking_form"):
        picked = st.multiselect(
            t("ws.ranking", lang),
            list(titles),
            default=current,
            max_selections=w.ranking_size,
            format_func=titles.get,
            key="ranking_pick",
        )
        if st.form_submit_button(t("ws.submit", lang), type="primary", key="ranking_submit"):
            try:
                ws.cast_ranking(w.code, voter, picked, store=services.store)
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                st.rerun()
    if current:
        saved = ", ".join(md_escape(titles[i]) for i in current)
        st.success(t("ws.saved", lang, value=saved))


@st.fragment(run_every=WATCH_EVERY)
def _watch(code: str, *, services: Services) -> None:
    """Fallback: rerun the page when the facilitator changed something (see WATCH_EVERY)."""
    try:
        revision = _revision(code, services=services)
    except DatabaseUnavailable:
        return  # flaky network or database: keep what is on screen, try again next tick
    seen = st.session_state.get(JOIN_REVISION)
    st.session_state[JOIN_REVISION] = revision
    if seen is not None and seen != revision:
        st.rerun()


def _voting(
    w: ws.Workshop,
    voter: str,
    items: list[ws.AgendaItem],
    lang: str,
    mine: dict[int, ws.Ballot],
    *,
    services: Services,
) -> None:
    """The open items' cards: warm-ups first (any method), then the method's card(s)."""
    for item in items:
        if item.is_warmup:
            _warmup_card(w, voter, item, lang, services=services)
    votes = [i for i in items if not i.is_warmup]
    if not votes:
        return
    if w.method == "ranking":
        _ranking(w, voter, votes, lang, mine, services=services)
        return
    if w.method == "dots":
        warmups = {i.id for i in w.items if i.is_warmup}
        used = sum(b.value or 0 for i, b in mine.items() if i not in warmups and not b.skipped)
        st.info(
            t("ws.question_dots", lang, budget=w.dot_budget)
            + " "
            + t("ws.points_left", lang, n=w.dot_budget - used, budget=w.dot_budget)
        )
    for item in votes:
        if w.method == "dots":  # the points left above the cards must follow every change
            _item_card(w, voter, item, lang, mine.get(item.id), services=services)
        else:
            _button_card(w, voter, item, lang, services=services)


# --------------------------------------------------------------------------------------------
# Proposals: "the elephant in the room"
# --------------------------------------------------------------------------------------------
def _node_labels(cat: Catalogue, lang: str) -> dict[str, str]:
    """Every goal and sub-goal, goals each followed by their sub-goals, labelled '2 Goal' and
    '2.1 Sub-goal' (plain text: selectbox options are not Markdown)."""
    labels: dict[str, str] = {}
    for n, goal in enumerate(cat.goals, 1):
        labels[goal.id] = f"{n} {cat.text(goal.title, lang)}"
        for m, sub in enumerate(goal.subgoals, 1):
            labels[sub.id] = f"{n}.{m} {cat.text(sub.title, lang)}"
    return labels


def _propose(code: str, voter: str, lang: str, *, services: Services) -> None:
    """Form callback: store the proposal; clear the form only after the commit."""
    state = st.session_state
    title = (state.get("prop_title") or "").strip()
    a, b = state.get("prop_from"), state.get("prop_to")
    if not title:
        state[PROPOSAL_FEEDBACK] = ("error", t("prop.title_required", lang))
        return
    if a is None or b is None:
        state[PROPOSAL_FEEDBACK] = ("error", t("prop.choose_nodes", lang))
        return
    try:
        ws.propose(
            code,
            voter,
            title=title,
            text=state.get("prop_text") or None,
            from_node=a,
            to_node=b,
            store=services.store,
        )
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        state[PROPOSAL_FEEDBACK] = ("error", error_text(exc, lang))
        return
    state[PROPOSAL_FEEDBACK] = ("ok", t("prop.sent", lang))
    state["prop_title"] = ""
    state["prop_text"] = ""
    state["prop_from"] = None
    state["prop_to"] = None


@st.fragment
def _proposals(w: ws.Workshop, voter: str, lang: str, *, services: Services) -> None:
    """Propose a missing conflict (title, text, the two goals it links) and see one's own
    proposals with their status. A fragment: sending one reruns only this section."""
    try:
        sent = ws.my_proposals(w.code, voter, store=services.store)
    except DatabaseUnavailable as exc:
        st.error(error_text(exc, lang))
        return
    cat = w.catalogue()
    labels = _node_labels(cat, lang)
    feedback = st.session_state.pop(PROPOSAL_FEEDBACK, None)
    # Open/closed is the browser's state (constant arguments keep the element across reruns).
    with st.expander(t("prop.title", lang), icon=":material/lightbulb:", key="prop_box"):
        limit = ws.MAX_PROPOSALS_PER_PARTICIPANT
        st.caption(t("prop.left", lang, n=max(0, limit - len(sent)), max=limit))
        with st.form("prop_form", border=False):
            st.text_input(t("prop.name", lang), max_chars=ws.PROPOSAL_TITLE_MAX, key="prop_title")
            st.text_area(
                t("prop.text", lang), max_chars=ws.PROPOSAL_TEXT_MAX, height=110, key="prop_text"
            )
            for key, label in (("prop_from", "prop.from"), ("prop_to", "prop.to")):
                st.selectbox(
                    t(label, lang),
                    list(labels),
                    index=None,
                    format_func=labels.get,
                    placeholder=t("prop.pick_node", lang),
                    key=key,
                )
            st.form_submit_button(
                t("prop.submit", lang),
                type="primary",
                key="prop_submit",
                width="stretch",
                on_click=_propose,
                args=(w.code, voter, lang),
                kwargs={"services": services},
            )
        if feedback is not None:
            kind, message = feedback
            (st.success if kind == "ok" else st.error)(message)
        if sent:
            st.markdown(f"**{t('prop.mine', lang)}**")
            with st.container(key="prop_mine"):
                for p in sent:
                    a = md_escape(labels.get(p.from_node, p.from_node))
                    b = md_escape(labels.get(p.to_node, p.to_node))
                    st.markdown(f"{md_escape(p.title)} · *{t('prop.status_' + p.status, lang)}*")
                    st.caption(f"{a} ↔ {b}")


def render(services: Services) -> None:
    lang = language()
    code = code_from_url()
    if not code:
        st.title(t("join.title", lang), anchor=False)
        code_entry(lang, "join_code_form")
        return
    w = load_workshop(code, lang, services=services)
    if w is None:
        code_entry(lang, "join_code_form")
        return
    voter, from_cookie = voter_id()
    if not from_cookie:
        st.caption(t("join.no_cookie", lang))
    try:
        participant = ws.get_participant(w.code, voter, store=services.store)
        mine = ws.my_ballots(w.code, voter, store=services.store) if participant else {}
    except DatabaseUnavailable as exc:
        st.error(error_text(exc, lang))
        return
    if participant is None:
        if w.status == "closed":
            st.info(t("ws.closed_workshop", lang))
        else:
            _join_form(w, voter, lang, services=services)
        return

    st.session_state[JOIN_REVISION] = w.revision  # what this page is drawn from
    follow_revision(w.code, w.revision)
    _watch(w.code, services=services)
    name = participant.display_name
    st.caption(
        t("join.welcome", lang, name=md_escape(name)) if name else t("join.welcome_anon", lang)
    )
    if w.status == "closed":
        st.info(t("ws.closed_workshop", lang))
        return
    if w.status != "open":
        st.info(t("err.workshop_not_started", lang))
        return
    if w.mode == "follow":
        current = w.current_item
        items = [current] if current is not None and current.voting == "open" else []
    else:
        items = [i for i in w.items if i.voting == "open"]
    if items:
        _voting(w, voter, items, lang, mine, services=services)
    else:
        st.info(
            t("ws.nothing_open", lang)
            if w.mode == "free" or w.current_item
            else t("ws.no_current", lang)
        )
    _proposals(w, voter, lang, services=services)
