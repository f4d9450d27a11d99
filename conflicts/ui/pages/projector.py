"""The projector (``/projector?code=CODE``): what the room sees, following the facilitator.

Read-only and key-free: it never shows the facilitator key. The network and the conflict are
redrawn only when the workshop's state changes; the ballot count and tally live in a fragment that
polls one cheap row every second.
"""

from __future__ import annotations

import streamlit as st

from conflicts import workshop as ws
from conflicts.figure import build_figure
from conflicts.i18n import t
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
.st-key-ballot_count p { font-size: 1.8rem; font-weight: 600; }
/* The graph fills the screen height at any projector resolution (1920x1080, 1280x720). */
.st-key-projector_graph, .st-key-projector_graph .js-plotly-plot { height: 92vh !important; }
</style>
"""


@st.cache_resource(show_spinner=False, max_entries=32)
def _snapshot_model(code: str, catalogue_key: str) -> Model:
    """The workshop's catalogue snapshot with its graph and layout (once per process)."""
    return derive_model(f"workshop:{code}", ws.get_workshop(code).catalogue())


@st.fragment(run_every="1s")
def _live(code: str, lang: str, item_id: int | None) -> None:
    """Ballots in and the tally of the current item; reruns the page when the state changes."""
    try:
        revision, tally_revision = ws.poll(code)
    except DatabaseUnavailable:
        return
    if revision != st.session_state.get("_projector_revision"):
        st.session_state["_projector_revision"] = revision
        st.rerun()
    cached = st.session_state.get("_projector_tally")
    if cached is None or cached[0] != tally_revision:
        cached = (tally_revision, ws.get_tally(code))
        st.session_state["_projector_tally"] = cached
    tally = cached[1]
    total = sum(i.ballots + i.skips for i in tally.items)
    item = tally.item(item_id) if item_id is not None else None
    count = item.ballots + item.skips if item else total
    with st.container(key="ballot_count"):
        st.markdown(t("ws.ballots_in", lang, n=count))
    st.caption(f"{t('ws.participants', lang, n=tally.participants)} [ballots={total}]")
    if item is not None:
        tally_chart(item, tally.method, lang)


def _agenda_overview(w: ws.Workshop, model: Model, lang: str) -> None:
    cat = model.catalogue
    st.markdown(f"## {t('projector.overview', lang)}")
    rows = []
    for n, item in enumerate(w.items, 1):
        interaction = cat.interactions_by_id.get(item.interaction_id)
        title = md_escape(cat.text(interaction.title, lang)) if interaction else item.interaction_id
        rows.append(f"{n}. {title} — *{t('ws.state_' + item.voting, lang)}*")
    st.markdown("\n".join(rows))


def render() -> None:
    st.html(PROJECTOR_CSS)
    lang = language()
    code = code_from_url()
    if not code:
        code_entry(lang, "projector_code_form")
        return
    w = load_workshop(code, lang)
    if w is None:
        return
    st.session_state["_projector_revision"] = w.revision
    model = _snapshot_model(w.code, w.catalogue_key)  # changes when interactions are added
    cat = model.catalogue
    current = w.current_item
    interaction = cat.interactions_by_id.get(current.interaction_id) if current else None

    graph_col, side_col = st.columns([3, 2], gap="large")
    with graph_col:
        fig = build_figure(
            cat,
            model.graph,
            model.positions,
            lang=lang,
            highlight=interaction.id if interaction else None,
            dim_others=interaction is not None,
            text_scale=1.6,
            subgoal_labels=False,
        )
        st.plotly_chart(
            fig,
            key="projector_graph",
            height="stretch",
            config={"displayModeBar": False, "responsive": True},
        )
    voting_open = current is not None and current.voting == "open"
    with side_col, st.container(key="projector_side"):
        if interaction is None:
            _agenda_overview(w, model, lang)
        else:
            st.markdown(f"## {md_escape(cat.text(interaction.title, lang))}")
            st.markdown(score_badge(interaction.score, lang))
            # While the room votes the join code and tally need the space (even at 1280x720).
            if interaction.description and not voting_open:
                st.markdown(cat.text(interaction.description, lang))
            if interaction.questions:
                st.markdown(
                    "\n".join(f"- {md_escape(cat.text(q, lang))}" for q in interaction.questions)
                )
        if voting_open or (current is None and w.status == "open"):
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
        _live(w.code, lang, current.id if current else None)
