"""Explore: the catalogue as an interactive network with filters and a detail panel."""

from __future__ import annotations

import streamlit as st

from conflicts.figure import build_figure
from conflicts.graph import filter_graph
from conflicts.i18n import t
from conflicts.metrics import most_contested_nodes, strongest_interactions
from conflicts.ui.common import Model, current_model, language
from conflicts.ui.widgets import interaction_panel, md_escape, node_panel

SELECTED = "explore_selected"  # ("node" | "edge", id) or None
SIGNS = ("all", "conflict", "synergy")


def _filters(model: Model, lang: str) -> dict:
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731
    with st.sidebar:
        st.subheader(t("explore.filters", lang), anchor=False)
        sign = st.segmented_control(
            t("explore.filter_sign", lang),
            SIGNS,
            default="all",
            required=True,
            format_func=lambda s: t(f"explore.sign_{s}", lang),
            key="f_sign",
        )
        min_strength = st.slider(t("explore.min_strength", lang), 0, 3, 0, key="f_min")
        goals = st.multiselect(
            t("explore.filter_goals", lang),
            [g.id for g in cat.goals],
            format_func=lambda g: text(cat.goals_by_id[g].title),
            key="f_goals",
        )
        actors = st.multiselect(
            t("explore.filter_actors", lang),
            [a.id for a in cat.actors],
            format_func=lambda a: text(cat.actors_by_id[a].name),
            key="f_actors",
        )
        focus = st.selectbox(
            t("explore.focus", lang),
            [None, *cat.nodes],
            format_func=lambda n: (
                t("explore.focus_none", lang) if n is None else text(cat.nodes[n].title)
            ),
            key="f_focus",
        )
        # Shown only with a focus: a disabled slider's faded label fails contrast checks.
        radius = st.slider(t("explore.focus_radius", lang), 1, 3, 1, key="f_radius") if focus else 1
    return {
        "goals": set(goals) or None,
        "sign": None if sign == "all" else sign,
        "min_strength": min_strength,
        "actors": set(actors) or None,
        "focus": focus,
        "radius": radius,
    }


def _pick_list(model: Model, edge_ids: list[str], lang: str) -> None:
    """A keyboard-friendly alternative to clicking: every shown interaction in a list."""
    cat = model.catalogue
    selected = st.session_state.get(SELECTED)
    current = selected[1] if selected and selected[0] == "edge" else None
    options = [None, *edge_ids]

    def changed() -> None:
        value = st.session_state["pick_interaction"]
        st.session_state[SELECTED] = ("edge", value) if value else None

    st.session_state["pick_interaction"] = current if current in edge_ids else None
    st.selectbox(
        t("explore.pick", lang),
        options,
        format_func=lambda i: (
            t("explore.pick_none", lang)
            if i is None
            else f"{cat.interactions_by_id[i].score:+d} · {cat.text(cat.interactions_by_id[i].title, lang)}"
        ),
        key="pick_interaction",
        on_change=changed,
    )


def render() -> None:
    from conflicts.ui.widgets import graph_with_selection

    lang = language()
    model = current_model()
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731

    st.title(t("explore.title", lang), anchor=False)
    st.caption(" · ".join(x for x in (text(cat.meta.title), text(cat.meta.plan)) if x))

    view = filter_graph(model.graph, **_filters(model, lang))
    shown = {k for _, _, k in view.edges(keys=True)}
    edge_ids = [i.id for i in cat.interactions if i.id in shown]  # catalogue order
    selected = st.session_state.get(SELECTED)
    # A selection hidden by the filters is kept, but not drawn.
    if selected and (
        (selected[0] == "edge" and selected[1] not in cat.interactions_by_id)
        or (selected[0] == "node" and selected[1] not in cat.nodes)
    ):
        selected = st.session_state[SELECTED] = None

    graph_col, detail_col = st.columns([3, 2], gap="large")
    with graph_col:
        st.caption(
            t("explore.hint", lang)
            + " "
            + t("explore.shown", lang, edges=len(edge_ids), total=len(cat.interactions))
        )
        if not edge_ids:
            st.info(t("explore.empty", lang))
        fig = build_figure(cat, view, model.positions, lang=lang, selected=selected)
        graph_with_selection(fig, key="explore_graph", state_key=SELECTED, height=680)
        _pick_list(model, edge_ids, lang)
    with detail_col, st.container(key="detail_panel", border=True):
        if selected is None:
            st.info(t("explore.nothing_selected", lang))
        elif selected[0] == "edge":
            interaction_panel(model, cat.interactions_by_id[selected[1]], lang)
        else:
            picked = node_panel(model, selected[1], lang)
            if picked:
                st.session_state[SELECTED] = picked
                st.rerun()
        if selected is not None and st.button(t("explore.clear", lang), key="clear_selection"):
            st.session_state[SELECTED] = None
            st.rerun()

    left, right = st.columns(2)
    with left:
        st.subheader(t("explore.contested", lang), anchor=False)
        rows = [
            f"- **{md_escape(text(cat.nodes[node].title))}** — "
            f"{m.conflicts} × {t('detail.conflict', lang).lower()}, "
            f"{t('detail.strength', lang).lower()} {m.conflict_strength}"
            for node, m in most_contested_nodes(model.graph, n=5, metrics=model.metrics)
        ]
        st.markdown("\n".join(rows) or t("detail.none", lang))
    with right:
        st.subheader(t("explore.strongest", lang), anchor=False)
        rows = [
            f"- **{cat.interactions_by_id[i].score:+d}** "
            f"{md_escape(text(cat.interactions_by_id[i].title))}"
            for _, _, i in strongest_interactions(model.graph, sign="conflict", n=5)
        ]
        st.markdown("\n".join(rows) or t("detail.none", lang))
