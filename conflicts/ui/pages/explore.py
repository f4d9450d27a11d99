"""Explore: the catalogue as an interactive network or cross-impact matrix, with a detail panel.

A large catalogue (SDG: 186 nodes) opens at the goal level: the network shows one line per pair
of goals and the matrix is 17x17; the sub-goal level shows every interaction (the matrix for
chosen goals). A search box finds a goal, sub-goal or interaction by name or number.
"""

from __future__ import annotations

import streamlit as st

from conflicts.figure import build_figure, format_score
from conflicts.figure_matrix import build_matrix_figure
from conflicts.graph import filter_graph
from conflicts.i18n import t
from conflicts.matrix import cross_impact_matrix, goal_network, parse_cell_id
from conflicts.metrics import most_contested_nodes, strongest_interactions
from conflicts.ui.common import Model, current_model, language
from conflicts.ui.widgets import cell_panel, interaction_panel, md_escape, node_panel, relabel

SELECTED = "explore_selected"  # ("node" | "edge" | "cell", id) or None
SIGNS = ("all", "conflict", "synergy")
VIEWS = ("network", "matrix")
LEVELS = ("goal", "subgoal")
#: Catalogues with more nodes than this open at the goal level (readable at a glance).
LARGE = 60
#: The network's height (px): the figure places its labels for it.
HEIGHT = 680


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
        # A choice keeps the text it was shown with unless set again (see relabel).
        relabel("f_goals")
        relabel("f_actors")
        goals = st.multiselect(
            t("explore.filter_goals", lang),
            [g.id for g in cat.goals],
            format_func=lambda g: text(cat.goals_by_id[g].title),
            placeholder=t("widget.choose_many", lang),
            key="f_goals",
        )
        actors = st.multiselect(
            t("explore.filter_actors", lang),
            [a.id for a in cat.actors],
            format_func=lambda a: text(cat.actors_by_id[a].name),
            placeholder=t("widget.choose_many", lang),
            key="f_actors",
        )
        # The whole network is "" rather than None: None would be "no choice" when relabel()
        # sets the value, and the box would show its placeholder.
        relabel("f_focus")
        focus = (
            st.selectbox(
                t("explore.focus", lang),
                ["", *cat.nodes],
                format_func=lambda n: (
                    text(cat.nodes[n].title) if n else t("explore.focus_none", lang)
                ),
                placeholder=t("widget.choose", lang),
                key="f_focus",
            )
            or None
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


def _search(model: Model, lang: str, view: str) -> None:
    """A searchable list of every goal, sub-goal and interaction; a pick selects and focuses it."""
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731
    options = [f"node:{n}" for n in cat.nodes] + [f"edge:{x.id}" for x in cat.interactions]

    def label(option: str) -> str:
        kind, ident = option.split(":", 1)
        if kind == "edge":
            x = cat.interactions_by_id[ident]
            return (
                f"{t('explore.kind_interaction', lang)} · {format_score(x.score)} · {text(x.title)}"
            )
        what = "explore.kind_goal" if ident in cat.goals_by_id else "explore.kind_subgoal"
        return f"{t(what, lang)} · {text(cat.nodes[ident].title)} ({ident})"

    def searched() -> None:
        value = st.session_state.get("explore_search")
        if not value:
            return
        kind, ident = value.split(":", 1)
        st.session_state[SELECTED] = (kind, ident)
        subgoal = kind == "node" and ident not in cat.goals_by_id
        if view == "network" and (kind == "edge" or subgoal):
            # One interaction or sub-goal among 186 nodes is found by focusing on it.
            st.session_state["explore_level"] = "subgoal"
            st.session_state["f_focus"] = (
                cat.interactions_by_id[ident].from_ if kind == "edge" else ident
            )
        elif view == "matrix" and subgoal:
            st.session_state["explore_level"] = "subgoal"
            chosen = st.session_state.get("matrix_goals") or []
            st.session_state["matrix_goals"] = [*chosen, cat.goal_of[ident]]

    relabel("explore_search")
    st.selectbox(
        t("explore.search", lang),
        options,
        index=None,
        format_func=label,
        placeholder=t("explore.search_placeholder", lang),
        key="explore_search",
        on_change=searched,
    )


def _valid(cat, selected) -> bool:
    kind, ident = selected
    if kind == "edge":
        return ident in cat.interactions_by_id
    if kind == "node":
        return ident in cat.nodes
    try:
        _, row, col = parse_cell_id(ident)
    except ValueError:
        return False
    return row in cat.nodes and col in cat.nodes


def _network(model: Model, filters: dict, level: str, selected, lang: str) -> list[str]:
    """Draw the network; return the ids of the interactions it shows."""
    cat = model.catalogue
    if level == "goal":
        graph = goal_network(cat, model.graph)
        focus = filters["focus"]
        filters = dict(filters, focus=None if focus is None else cat.goal_of[focus])
        # Scaled up, so that the goals fill the frame their sub-goals filled.
        xs, ys = zip(*(model.positions[g] for g in graph), strict=True)
        k = 10 / max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        positions = {g: (k * model.positions[g][0], k * model.positions[g][1]) for g in graph}
        st.caption(t("explore.goal_network_hint", lang))
    else:
        graph, positions = model.graph, model.positions
    view = filter_graph(graph, **filters)
    shown = set()
    goals = cross_impact_matrix(cat, "goal", sort="catalogue")
    for u, v, k in view.edges(keys=True):
        shown.update([k] if k in cat.interactions_by_id else goals.cell(u, v).interactions)
    edge_ids = [i.id for i in cat.interactions if i.id in shown]  # catalogue order
    st.caption(
        t("explore.hint", lang)
        + " "
        + t("explore.shown", lang, edges=len(edge_ids), total=len(cat.interactions))
    )
    if not edge_ids:
        st.info(t("explore.empty", lang))
    # On a big map, what is selected stands out only if the rest steps back.
    big = view.number_of_nodes() > 40
    fig = build_figure(
        cat,
        view,
        positions,
        lang=lang,
        selected=selected,
        dim_others=big,
        # Goal labels outside the ring of goals, clear of the lines inside it.
        subgoal_labels=None if level == "subgoal" else False,
        height=HEIGHT,
    )
    from conflicts.ui.widgets import graph_with_selection

    graph_with_selection(fig, key="explore_graph", state_key=SELECTED, height=HEIGHT)
    return edge_ids


def _matrix_nodes(model: Model, filters: dict, level: str, lang: str) -> list[str] | None:
    """The nodes of the matrix, or None when the user must first pick goals."""
    cat = model.catalogue
    goals = filters["goals"]
    if level == "goal":
        return [g.id for g in cat.goals if goals is None or g.id in goals]
    if len(cat.nodes) > LARGE:
        order = cross_impact_matrix(cat, "goal").nodes
        st.session_state.setdefault("matrix_goals", list(order[:1]))
        relabel("matrix_goals")
        goals = st.multiselect(
            t("explore.matrix_goals", lang),
            [g.id for g in cat.goals],
            format_func=lambda g: cat.text(cat.goals_by_id[g].title, lang),
            placeholder=t("widget.choose_many", lang),
            key="matrix_goals",
        )
        if not goals:
            st.info(t("explore.matrix_pick_goals", lang))
            return None
    nodes = [n for n in cat.nodes if goals is None or cat.goal_of[n] in goals]
    # Sub-goals that act on none of the others and are acted on by none are left out.
    full = cross_impact_matrix(cat, "subgoal", nodes=nodes, sort="catalogue")
    return [
        n
        for i, n in enumerate(full.nodes)
        if any(full.cells[i]) or any(row[i] for row in full.cells)
    ]


def _matrix(model: Model, filters: dict, level: str, selected, lang: str) -> None:
    cat = model.catalogue
    st.caption(t("explore.matrix_hint", lang) + " " + t("explore.matrix_filters", lang))
    nodes = _matrix_nodes(model, filters, level, lang)
    if nodes is None:
        return
    matrix = cross_impact_matrix(cat, level, nodes=nodes)
    if not any(any(row) for row in matrix.cells):
        st.info(t("explore.matrix_empty", lang))
        return
    fig = build_matrix_figure(cat, matrix, level=level, lang=lang, selected=selected)
    from conflicts.ui.widgets import graph_with_selection

    graph_with_selection(fig, key="explore_matrix", state_key=SELECTED, height=fig.layout.height)


def _detail(model: Model, selected, lang: str) -> None:
    cat = model.catalogue
    with st.container(key="detail_panel", border=True):
        picked = None
        if selected is None:
            st.info(t("explore.nothing_selected", lang))
        elif selected[0] == "edge":
            interaction_panel(model, cat.interactions_by_id[selected[1]], lang)
        elif selected[0] == "cell":
            picked = cell_panel(model, selected[1], lang)
        else:
            picked = node_panel(model, selected[1], lang)
        if picked:
            st.session_state[SELECTED] = picked
            st.rerun()
        if selected is not None and st.button(t("explore.clear", lang), key="clear_selection"):
            st.session_state[SELECTED] = None
            st.rerun()


def render() -> None:
    lang = language()
    model = current_model()
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731

    st.title(t("explore.title", lang), anchor=False)
    st.caption(" · ".join(x for x in (text(cat.meta.title), text(cat.meta.plan)) if x))

    filters = _filters(model, lang)
    switches = st.columns([1, 1, 3], vertical_alignment="bottom")
    with switches[0]:
        view = st.segmented_control(
            t("explore.view", lang),
            VIEWS,
            default="network",
            required=True,
            format_func=lambda v: t(f"explore.view_{v}", lang),
            key="explore_view",
        )
    with switches[1]:
        level = st.segmented_control(
            t("explore.level", lang),
            LEVELS,
            default="goal" if len(cat.nodes) > LARGE else "subgoal",
            required=True,
            format_func=lambda v: t(f"explore.level_{v}", lang),
            key="explore_level",
        )
    with switches[2]:
        _search(model, lang, view)

    selected = st.session_state.get(SELECTED)
    # A selection hidden by the filters is kept, but not drawn; one from another catalogue goes.
    if selected and not _valid(cat, selected):
        selected = st.session_state[SELECTED] = None

    graph_col, detail_col = st.columns([3, 2], gap="large")
    with graph_col:
        if view == "matrix":
            _matrix(model, filters, level, selected, lang)
        else:
            edge_ids = _network(model, filters, level, selected, lang)
            _pick_list(model, edge_ids, lang)
    with detail_col:
        _detail(model, selected, lang)

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
