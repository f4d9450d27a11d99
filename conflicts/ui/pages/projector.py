"""The projector (``/projector?code=CODE``): what the room sees, following the facilitator.

Read-only and key-free: it never shows the facilitator key. The network and the current step
are redrawn only when the workshop's state changes (``revision``: stepping, voting, the timer,
added interactions); the ballot count, the tally and who is in the room live in a fragment that
polls one cheap row every second, and the timer in a fragment that only recomputes the time left.

Every title, description and question may be user text (a facilitator's addition, a
participant's proposal): all of it is escaped with ``md_escape``.
"""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.figure import build_figure
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.common import Model, derive_model, language
from conflicts.ui.live import (
    code_entry,
    code_from_url,
    load_workshop,
    public_base_url,
    qr_png,
    tally_chart,
)
from conflicts.ui.matrix_room import projector_matrix
from conflicts.ui.room import agenda_overview, representation_panel, timer_badge
from conflicts.ui.state import PROJECTOR_PEOPLE, PROJECTOR_REVISION, PROJECTOR_TALLY
from conflicts.ui.viewport import screen_scale
from conflicts.ui.widgets import md_escape, score_badge

# Our own fixed CSS (no user text): the projector is full screen, with large type.
PROJECTOR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.block-container { padding: 1.2rem 2rem 0.5rem 2rem !important; max-width: 100% !important; }
.st-key-projector_side p, .st-key-projector_side li { font-size: clamp(1rem, 1.35vw, 1.6rem); line-height: 1.45; }
.st-key-projector_side h2 { font-size: clamp(1.5rem, 2.3vw, 2.8rem); line-height: 1.2; }
.st-key-projector_side [data-testid="stMarkdownContainer"] span { font-size: inherit; }
.st-key-join_box p { font-size: clamp(1rem, 1.3vw, 1.5rem); }
.st-key-join_box img { width: min(220px, 13vw) !important; }
.st-key-join_code p { font-size: clamp(2rem, 3.2vw, 3.6rem); font-weight: 700; letter-spacing: 0.3rem; margin: 0; white-space: nowrap; }
.st-key-ballot_count p { font-size: clamp(1.2rem, 1.6vw, 1.8rem); font-weight: 600; }
.st-key-projector_timer p { font-size: clamp(1.4rem, 2.2vw, 2.6rem); font-weight: 700; margin: 0; white-space: nowrap; }
.st-key-projector_side .st-key-projector_timer span[role="img"] { font-size: 1.1em !important; vertical-align: -0.2em !important; }
.st-key-projector_side .st-key-agenda_overview p { font-size: clamp(1rem, 1.2vw, 1.45rem); line-height: 1.3; margin-bottom: 0.4rem; }
.st-key-projector_badges span { font-size: clamp(0.95rem, 1.15vw, 1.4rem) !important; }
.st-key-projector_badges { flex-wrap: wrap !important; row-gap: 0.3rem !important; }
.st-key-projector_badges > div:has(.st-key-projector_timer) { flex: 0 0 auto !important; width: max-content !important; }
.st-key-projector_question p { font-size: clamp(1.1rem, 1.6vw, 2rem); line-height: 1.35; margin-bottom: 0.3rem; }
.st-key-projector_voting_closed p, .st-key-projector_ended h2 { font-size: clamp(1.2rem, 1.8vw, 2.2rem); }
.st-key-projector_title p { font-size: clamp(0.9rem, 1.1vw, 1.3rem); }
.st-key-projector_room span { font-size: clamp(0.85rem, 1vw, 1.25rem) !important; }
/* A long description gives way to the questions and the room at projector heights of ~720 px. */
@media (max-height: 900px) {
  .st-key-projector_description p { display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; overflow: hidden; }
}
@media (max-height: 800px) { .st-key-projector_description p { -webkit-line-clamp: 3; } }
.st-key-join_box [data-testid="stImage"], .st-key-join_box [data-testid="stElementContainer"]:has(img) { width: min(220px, 13vw) !important; flex: 0 0 auto !important; }
.st-key-warmup_options p { font-size: clamp(1.05rem, 1.45vw, 1.75rem); line-height: 1.35; margin-bottom: 0.4rem; }
.st-key-projector_room p { font-size: clamp(0.95rem, 1.15vw, 1.4rem) !important; line-height: 1.6; }
.st-key-projector_viewport { display: none !important; }
/* The graph fills the screen height at any projector resolution (1920x1080, 1280x720). */
.st-key-projector_graph, .st-key-projector_graph .js-plotly-plot { height: 92vh !important; }
</style>
"""


@st.cache_resource(show_spinner=False, max_entries=32)
def _snapshot_model(code: str, catalogue_key: str, *, _services: Services) -> Model:
    """The workshop's catalogue snapshot with its graph and layout (once per process)."""
    # ``_services`` is not hashed by the cache (leading underscore): the key is the catalogue.
    return derive_model(
        f"workshop:{code}", ws.get_workshop(code, store=_services.store).catalogue()
    )


def _cached(key: str, revisions: tuple[int, int], load):
    """``load()`` once per ``(revision, tally_revision)`` in this session: joins and ballots
    bump the second, settings such as hiding results until closed the first."""
    cached = st.session_state.get(key)
    if cached is None or cached[0] != revisions:
        cached = (revisions, load())
        st.session_state[key] = cached
    return cached[1]


def _outcome_signature(outcomes: dict[int, ws.Outcome]) -> tuple:
    """What the overview shows of the outcomes (their autosave does not bump ``revision``)."""
    return tuple(sorted((i, o.outcome or "", o.owner or "") for i, o in outcomes.items()))


def _text_block(text: str) -> str:
    """User text as Markdown that shows literally, line breaks kept."""
    return "  \n".join(md_escape(line) for line in text.splitlines())


def _warmup_options(cat: Catalogue, wt, lang: str) -> None:
    """The goals a warm-up offers, with the count per goal once ballots are in and visible."""
    show = wt is not None and not wt.hidden and wt.ballots > 0
    leaders = set(wt.leaders) if show else set()
    rows = []
    for n, goal_id in enumerate(ws.warmup_options(cat), 1):
        title = md_escape(cat.text(cat.goals_by_id[goal_id].title, lang))
        row = f"**{n}\\.** {title}"
        if show:
            count = wt.distribution.get(goal_id, 0)
            share = wt.share(goal_id) or 0.0
            row += f" — **{count}** ({share:.0%})"
            if goal_id in leaders:
                row = f"★ {row}"
        rows.append(row)
    with st.container(key="warmup_options"):
        st.markdown("\n\n".join(rows))
    if wt is not None and wt.hidden:
        st.info(t("ws.hidden", lang))


@st.fragment(run_every="1s")
def _clock(w: ws.Workshop, lang: str) -> None:
    """The step timer, recomputed every second from the workshop row the page read (every
    timer change bumps ``revision``, and :func:`_live` reruns the page on that)."""
    timer_badge(w, lang, key="projector_timer")


@st.fragment(run_every="1s")
def _live(
    code: str,
    lang: str,
    item_id: int | None,
    *,
    warmup: bool = False,
    cat: Catalogue | None = None,
    room_for: str | None = None,
    outcomes_seen: tuple | None = None,
    services: Services,
) -> None:
    """Ballots in and the tally of the current step (and who is in the room for ``room_for``);
    reruns the page when the state (or, on the overview, an outcome) changes."""
    try:
        tally, people = _poll(
            code, room_for=room_for, cat=cat, outcomes_seen=outcomes_seen, services=services
        )
    except DatabaseUnavailable:
        return
    overview = outcomes_seen is not None
    total = sum(i.ballots + i.skips for i in tally.items) + sum(
        w.ballots + w.skips for w in tally.warmups
    )
    if warmup and item_id is not None and cat is not None:
        wt = tally.warmup(item_id)
        _warmup_options(cat, wt, lang)
        count = wt.ballots + wt.skips if wt else 0
        item = None
    else:
        item = tally.item(item_id) if item_id is not None else None
        count = item.ballots + item.skips if item else total
    before_voting = item is not None and item.voting == "not_started" and not count
    _ballot_line(tally, lang, count, total, overview=overview, before_voting=before_voting)
    # No empty chart before the first ballot (a hidden tally says so while voting is open).
    if item is not None and (
        item.ballots + item.skips > 0 or (item.hidden and item.voting == "open")
    ):
        tally_chart(item, tally.method, lang, large=True)
    if people is not None and room_for is not None and cat is not None:
        with st.container(key="projector_room"):
            representation_panel(cat, room_for, people, lang, compact=True)


def _poll(code: str, *, room_for, cat, outcomes_seen, services: Services):
    """The tally (and the people in the room when ``room_for``), read again only when the
    ballots or the state changed; reruns the whole page when the state (or, on the overview, an
    outcome) changed."""
    revision, tally_revision = ws.poll(code, store=services.store)
    if revision != st.session_state.get(PROJECTOR_REVISION):
        st.session_state[PROJECTOR_REVISION] = revision
        st.rerun()
    if outcomes_seen is not None and (
        _outcome_signature(ws.get_outcomes(code, store=services.store)) != outcomes_seen
    ):
        st.rerun()
    tally = _cached(
        PROJECTOR_TALLY,
        (revision, tally_revision),
        lambda: ws.get_tally(code, store=services.store),
    )
    people = (
        _cached(
            PROJECTOR_PEOPLE,
            (revision, tally_revision),
            lambda: ws.list_participants(code, store=services.store),
        )
        if room_for and cat is not None
        else None
    )
    return tally, people


def _ballot_line(tally, lang: str, count: int, total: int, *, overview, before_voting) -> None:
    """The big count (ballots in; on the overview, who is here) and the small one beside it."""
    people_text = t("ws.participants", lang, n=tally.participants)
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        if not before_voting:  # no "0 ballots in" while the room discusses
            with st.container(key="ballot_count", width="content"):  # overview: who is here
                st.markdown(people_text if overview else t("ws.ballots_in", lang, n=count))
        small = t("ws.ballots_in", lang, n=total) if overview else people_text
        st.caption(small, width="content")
    # For tests and load tools, not for the room: the whole workshop's ballots as a data
    # attribute (our own integer, no user text).
    st.html(f'<span class="mk-ballots" data-ballots="{int(total)}" hidden></span>')


def _voting_question(w: ws.Workshop, lang: str) -> None:
    """While voting is open: what the phones ask (the same words), and the rating scale."""
    values = {"budget": w.dot_budget} if w.method == "dots" else {"n": w.ranking_size}
    question = (
        t(f"ws.question_{w.method}", lang, **values)
        if w.method
        in (
            "dots",
            "ranking",
        )
        else t(f"ws.question_{w.method}", lang)
    )
    with st.container(key="projector_question"):
        st.markdown(f"**{question}**")
        if w.method == "rating":
            st.markdown(f"{t('ws.rating_low', lang)} · {t('ws.rating_high', lang)}")


def _join_box(w: ws.Workshop, lang: str) -> None:
    join_url = f"{public_base_url()}{w.join_path}"
    with st.container(key="join_box", horizontal=True, vertical_alignment="center"):
        st.image(qr_png(join_url), width=220, alt=t("ws.scan", lang, url=join_url))
        with st.container():
            st.markdown(
                t(
                    "projector.join_here",
                    lang,
                    url=public_base_url().split("://", 1)[-1] + "/join",
                )
            )
            with st.container(key="join_code"):
                st.markdown(w.code)


def render(services: Services) -> None:
    st.html(PROJECTOR_CSS)
    lang = language()
    code = code_from_url()
    if not code:
        code_entry(lang, "projector_code_form")
        return
    w = load_workshop(code, lang, services=services)
    if w is None:
        return
    st.session_state[PROJECTOR_REVISION] = w.revision
    # changes when interactions are added
    model = _snapshot_model(w.code, w.catalogue_key, _services=services)
    cat = model.catalogue
    current = w.current_item
    if current is not None and current.is_matrix:
        projector_matrix(w, cat, current, lang, join_box=_join_box, clock=_clock, services=services)
        return
    warmup = current is not None and current.is_warmup
    interaction = (
        cat.interactions_by_id.get(current.interaction_id)
        if current is not None and not warmup
        else None
    )

    scale = screen_scale("projector_viewport")  # labels as large in the room at any resolution
    graph_col, side_col = st.columns([3, 2], gap="large")
    with graph_col:
        _graph(model, interaction, lang, scale)
    voting_open = current is not None and current.voting == "open"
    show_join = voting_open or (current is None and w.status == "open")
    timer = ws.timer_state(w) is not None
    with side_col, st.container(key="projector_side"):
        if w.title:
            with st.container(key="projector_title"):
                st.caption(md_escape(w.title))
        if w.status == "closed":
            with st.container(key="projector_ended"):
                st.markdown(f"## {t('projector.ended', lang)}")
        if current is None or (interaction is None and not warmup):
            _overview_side(w, cat, lang, show_join=show_join, timer=timer, services=services)
        elif warmup:
            _warmup_side(w, cat, current, lang, show_join=show_join, timer=timer, services=services)
        else:
            _interaction_side(
                w,
                cat,
                current,
                interaction,
                lang,
                show_join=show_join,
                timer=timer,
                services=services,
            )


def _graph(model: Model, interaction, lang: str, scale: float = 1.0) -> None:
    """The map, the current interaction emphasised and the rest dimmed; its labels are 25 px at
    1920x1080 and ``scale`` times that on other screens (:mod:`conflicts.ui.viewport`)."""
    fig = build_figure(
        model.catalogue,
        model.graph,
        model.positions,
        lang=lang,
        highlight=interaction.id if interaction else None,
        dim_others=interaction is not None,
        text_scale=1.9 * scale,  # goal labels of 25 px at 1920x1080, read from the back
        subgoal_labels=False,
        room=True,
    )
    st.plotly_chart(
        fig,
        key="projector_graph",
        height="stretch",
        config={"displayModeBar": False, "responsive": True},
    )


def _overview_side(
    w: ws.Workshop, cat: Catalogue, lang: str, *, show_join, timer, services: Services
) -> None:
    """No step (or a step whose interaction is gone): the agenda with its outcomes."""
    if timer:
        _clock(w, lang)
    try:
        outcomes = ws.get_outcomes(w.code, store=services.store)
    except DatabaseUnavailable:
        outcomes = {}
    if show_join:  # the code first: people arrive while the agenda is up
        _join_box(w, lang)
    agenda_overview(w, cat, outcomes, lang)
    _live(w.code, lang, None, outcomes_seen=_outcome_signature(outcomes), services=services)


def _warmup_side(
    w: ws.Workshop, cat: Catalogue, current, lang: str, *, show_join, timer, services: Services
) -> None:
    """A warm-up question: the goals to pick from, with the count once ballots are in."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(f":material/quiz: {t('room.warmup', lang)}", width="content")
        if timer:
            _clock(w, lang)
    st.markdown(f"## {md_escape(current.question_text(lang))}")
    st.caption(t("ws.warmup_pick", lang))
    _live(w.code, lang, current.id, warmup=True, cat=cat, services=services)
    if show_join:
        _join_box(w, lang)


def _interaction_side(
    w: ws.Workshop,
    cat: Catalogue,
    current,
    interaction,
    lang: str,
    *,
    show_join,
    timer,
    services: Services,
) -> None:
    """An interaction step: title, score, and what fits the phase (see below)."""
    st.markdown(f"## {md_escape(cat.text(interaction.title, lang))}")
    badges = score_badge(interaction.score, lang)
    if "proposed" in interaction.tags:
        badges += f" :violet-badge[:material/lightbulb: {t('prop.proposed', lang)}]"
    with st.container(
        horizontal=True, vertical_alignment="center", gap="medium", key="projector_badges"
    ):
        st.markdown(badges, width="content")
        if timer:
            _clock(w, lang)
    # What fits at 1280x720 in each phase: before voting the description, the questions and
    # who is in the room; while voting the join code and the live tally; after voting the
    # result and the questions for dialogue.
    if interaction.description and current.voting == "not_started":
        with st.container(key="projector_description"):
            st.markdown(_text_block(cat.text(interaction.description, lang)))
    if interaction.questions and current.voting != "open":  # the dialogue, before and after
        st.markdown("\n".join(f"- {md_escape(cat.text(q, lang))}" for q in interaction.questions))
    if current.voting == "open":
        _voting_question(w, lang)
    elif current.voting == "closed":
        with st.container(key="projector_voting_closed"):
            st.markdown(f"**:material/lock: {t('projector.voting_closed', lang)}**")
    if show_join:
        _join_box(w, lang)
    _live(
        w.code,
        lang,
        current.id,
        cat=cat,
        room_for=interaction.id if current.voting == "not_started" else None,
        services=services,
    )
