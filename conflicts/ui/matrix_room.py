"""The matrix scoring session on the projector and the results page (streamlit).

While the session's voting is open the projector shows the question, the progress (answers,
pairs scored, participants; polled every second like the ballot count) and the join code; once
closed, the room's matrix (:func:`conflicts.figure_room_matrix.build_room_matrix_figure`) and the
cells to discuss first (:meth:`conflicts.room_matrix.RoomMatrix.discussion`).
"""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.figure_room_matrix import build_room_matrix_figure
from conflicts.figure_text import format_score
from conflicts.i18n import t
from conflicts.room_matrix import MIN_DISCUSS, PairCell, RoomMatrix
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.widgets import md_escape

# Our own fixed CSS (no user text): the node list in projector type.
NODES_CSS = """<style>
.st-key-matrix_nodes_list li, .st-key-matrix_nodes_list p { font-size: clamp(1rem, 1.5vw, 1.9rem); line-height: 1.4; }
.st-key-matrix_nodes_list h3 { font-size: clamp(1.3rem, 2vw, 2.4rem); }
</style>"""
ROOM_MATRIX = "_projector_room_matrix"
ROOM_REVISION = "_projector_room_revision"


def node_titles(cat: Catalogue, nodes, lang: str) -> dict[str, str]:
    return {n: cat.text(cat.nodes[n].title, lang) for n in nodes if n in cat.nodes}


def _room(code: str, item_id: int, services: Services) -> tuple[RoomMatrix, bool]:
    """The room's matrix, read again only when the ballots or the state changed; reruns the
    page when the state changed. Returns (matrix, state changed)."""
    revision, tally_revision = ws.poll(code, store=services.store)
    seen = st.session_state.get(ROOM_REVISION)
    cached = st.session_state.get(ROOM_MATRIX)
    key = (item_id, revision, tally_revision)
    if cached is None or cached[0] != key:
        cached = (key, ws.get_room_matrix(code, item_id, store=services.store))
        st.session_state[ROOM_MATRIX] = cached
    return cached[1], seen is not None and seen != revision


def progress_line(m: RoomMatrix, lang: str) -> str:
    return t(
        "matrix.progress",
        lang,
        answers=m.answers,
        people=m.participants,
        cells=m.scored_cells,
        pairs=m.pairs,
    )


@st.fragment(run_every="1s")
def _progress(code: str, item_id: int, lang: str, *, services: Services) -> None:
    try:
        m, changed = _room(code, item_id, services)
    except DatabaseUnavailable:
        return
    if changed:
        st.rerun()
    with st.container(key="ballot_count"):
        st.markdown(progress_line(m, lang))
    st.progress(min(1.0, m.scored_cells / max(1, m.pairs)))
    st.html(f'<span class="mk-ballots" data-ballots="{int(m.answers)}" hidden></span>')


def reason_text(c: PairCell, lang: str) -> str:
    if c.reason == "departure":
        return t("matrix.reason_departure", lang, catalogue=format_score(c.catalogue, lang))
    return t("matrix.reason_disagreement", lang, spread=format_score(c.spread or 0, lang)[1:])


def discussion_rows(m: RoomMatrix, titles: dict[str, str], lang: str, limit: int = 6) -> str:
    """The cells to discuss first as Markdown (titles escaped)."""
    rows = []
    for n, c in enumerate(m.discussion(limit=limit), 1):
        a = md_escape(titles.get(c.from_node, c.from_node))
        b = md_escape(titles.get(c.to_node, c.to_node))
        cat = (
            t("matrix.not_scored", lang) if c.catalogue is None else format_score(c.catalogue, lang)
        )
        rows.append(
            f"{n}\\. **{a} → {b}**: {t('matrix.median', lang).lower()} "
            f"**{format_score(c.median, lang)}**, n {c.count}, "
            f"{t('matrix.catalogue_short', lang)} {cat} · _{reason_text(c, lang)}_"
        )
    return "\n\n".join(rows) if rows else t("matrix.discussion_none", lang, n=MIN_DISCUSS)


def room_matrix_chart(
    m: RoomMatrix, cat: Catalogue, lang: str, *, key: str, font_scale: float = 1.0, height=None
) -> None:
    fig = build_room_matrix_figure(
        m, node_titles(cat, m.nodes, lang), lang=lang, font_scale=font_scale, height=height
    )
    st.plotly_chart(fig, key=key, config={"displayModeBar": False, "responsive": True})


def projector_matrix(
    w: ws.Workshop,
    cat: Catalogue,
    item: ws.AgendaItem,
    lang: str,
    *,
    join_box,
    clock,
    services: Services,
) -> None:
    """The projector's two columns for a matrix session (``join_box(w, lang)`` and
    ``clock(w, lang)`` are the projector's own)."""
    st.session_state[ROOM_REVISION] = w.revision
    try:
        m, _ = _room(w.code, item.id, services)
    except DatabaseUnavailable:
        st.error(t("err.database_unavailable", lang))
        return
    titles = node_titles(cat, item.nodes, lang)
    closed = item.voting == "closed"
    hidden = closed is False and w.hide_results_until_closed
    graph_col, side_col = st.columns([5, 2], gap="large")
    with graph_col, st.container(key="projector_matrix"):
        if m.answers and not hidden:
            room_matrix_chart(
                m, cat, lang, key="projector_room_matrix", font_scale=1.25, height=980
            )
            st.caption(t("matrix.legend", lang))
        else:  # while open (or hidden): the nodes being scored, large enough for the room
            st.html(NODES_CSS)
            with st.container(key="matrix_nodes_list"):
                st.markdown(f"### {t('matrix.nodes_heading', lang, n=len(titles))}")
                st.markdown(
                    "\n".join(f"{n}. {md_escape(x)}" for n, x in enumerate(titles.values(), 1))
                )
    with side_col, st.container(key="projector_side"):
        if w.title:
            with st.container(key="projector_title"):
                st.caption(md_escape(w.title))
        st.caption(f":material/grid_on: {t('matrix.kind', lang)}")
        st.markdown(f"## {md_escape(t('matrix.title', lang, n=len(item.nodes)))}")
        if ws.timer_state(w) is not None:
            clock(w, lang)
        with st.container(key="projector_question"):
            st.markdown(f"**{t('matrix.question_generic', lang)}**")
            st.markdown(t("matrix.scale_hint", lang))
        if item.voting == "open":
            _progress(w.code, item.id, lang, services=services)
            join_box(w, lang)
        elif closed:
            with st.container(key="projector_voting_closed"):
                st.markdown(f"**:material/lock: {t('projector.voting_closed', lang)}**")
            st.markdown(progress_line(m, lang))
            st.markdown(f"### {t('matrix.discussion', lang)}")
            with st.container(key="matrix_discussion"):
                st.markdown(discussion_rows(m, titles, lang))
        else:
            st.markdown(progress_line(m, lang))


def results_matrices(grant, r, cat: Catalogue, lang: str, *, services: Services) -> None:
    """The results page's matrix scoring sessions: the room's matrix and every scored cell
    (``r``: :class:`conflicts.reports.results.WorkshopResults`)."""
    if not r.matrices:
        return
    st.subheader(t("matrix.results", lang), anchor=False)
    for n, s in enumerate(r.matrices):
        st.markdown(f"**{md_escape(t('matrix.title', lang, n=len(s['nodes'])))}**")
        st.caption(
            t(
                "matrix.progress",
                lang,
                answers=s["answers"],
                people=s["participants"],
                cells=s["scored_cells"],
                pairs=s["pairs"],
            )
        )
        try:
            m = ws.get_room_matrix(grant, s["item_id"], store=services.store)
        except (ws.WorkshopError, DatabaseUnavailable):
            m = None
        if m is not None and m.answers:
            room_matrix_chart(m, cat, lang, key=f"results_room_matrix_{n}")
            st.caption(t("matrix.legend", lang))
        cc = st.column_config
        st.dataframe(
            [
                {
                    "pair": f"{c['from_title']} → {c['to_title']}",
                    "median": c["median"],
                    "spread": c["spread"],
                    "count": c["count"],
                    "catalogue": c["catalogue_score"],
                    "why": t(
                        f"matrix.reason_{c['discussion_reason']}",
                        lang,
                        spread=c["spread"],
                        catalogue=c["catalogue_score"],
                    )
                    if c["discussion_reason"]
                    else "",
                    "rationales": " · ".join(c["rationales"]),
                }
                for c in s["cells"]
                if c["count"]
            ],
            hide_index=True,
            key=f"results_matrix_table_{n}",
            column_config={
                "pair": cc.TextColumn(t("matrix.col_pair", lang)),
                "median": cc.NumberColumn(t("matrix.median", lang), format="%+.1f"),
                "spread": cc.NumberColumn(t("matrix.col_spread", lang), format="%.1f"),
                "count": cc.NumberColumn(t("matrix.col_count", lang)),
                "catalogue": cc.NumberColumn(t("matrix.col_catalogue", lang), format="%+.1f"),
                "why": cc.TextColumn(t("matrix.col_reason", lang)),
                "rationales": cc.TextColumn(t("matrix.rationales", lang)),
            },
        )
