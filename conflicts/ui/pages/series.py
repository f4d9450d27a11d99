"""The regional view (``/series?id=S-...``, behind the series key): every room per conflict, the
regional aggregate, where the rooms differ, who was missing, outcomes by decision level, proposals.

The live part is a fragment that polls the rooms' revisions every few seconds and re-reads the
rooms only when one changed.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from conflicts import series
from conflicts.i18n import t
from conflicts.reports.report import md_escape
from conflicts.series import export as sx
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.common import language
from conflicts.ui.live import error_text
from conflicts.ui.state import SERIES_CACHE, SERIES_GRANTS, SERIES_NOTICE, SERIES_REMOVE
from conflicts.workshops import WorkshopError

POLL_S = 3


def _series_id() -> str | None:
    value = st.query_params.get("id")
    return series.normalise_series_code(value) if value else None


def _unlock_form(sid: str, lang: str, services: Services) -> None:
    with st.form("series_unlock"):
        key = st.text_input(t("series.key", lang), type="password", key="series_key")
        if st.form_submit_button(t("series.unlock", lang), key="series_unlock_submit"):
            try:
                grant = series.unlock_series(sid, key, store=services.store)
            except (WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
                return
            st.session_state.setdefault(SERIES_GRANTS, {})[sid] = grant
            st.rerun()


def _load(grant: series.SeriesGrant, lang: str, services: Services):
    """The regional results, re-read only when a room's revisions or the weighting changed."""
    s = series.get_series(grant, store=services.store)
    polled = series.poll_rooms(s, store=services.store)
    signature = (s.code, s.workshops, polled, s.weighting, lang)
    cached = st.session_state.get(SERIES_CACHE)
    if cached and cached[0] == signature:
        return cached[1]
    loaded = series.load_series(grant, lang=lang, store=services.store)
    st.session_state[SERIES_CACHE] = (signature, loaded)
    return loaded


def _ranking_frame(results: series.SeriesResults, lang: str) -> pd.DataFrame:
    rows = []
    for c in results.conflicts:
        g = c.aggregate
        row = {
            t("series.rank", lang): g.rank if g else None,
            t("series.conflict", lang): c.title,
            t("series.aggregate", lang): None
            if g is None or g.value is None
            else round(g.value, 2),
            "k": None if g is None or g.consensus is None else round(g.consensus, 2),
            t("series.spread", lang): None if g is None or g.spread is None else round(g.spread, 2),
        }
        for x in c.rooms:
            row[x.code] = (
                "–" if x.value is None else f"{x.value:.2f} (n={x.ballots}, k={_k(x.consensus)})"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _k(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _differences(results: series.SeriesResults, lang: str) -> None:
    st.subheader(t("series.disagree", lang))
    top = results.disagreements[:5]
    if not top:
        st.caption(t("series.none", lang))
    for c in top:
        g = c.aggregate
        out = f"; {t('series.outlier', lang)}: {g.outlier}" if g.outlier else ""
        st.markdown(
            f"- {md_escape(c.title)}: {t('series.spread', lang)} {g.spread:.2f}{md_escape(out)}"
        )
    if results.departing_room:
        st.markdown(md_escape(t("series.departing", lang, room=results.departing_room)))


def _outcomes(results: series.SeriesResults, lang: str) -> None:
    st.subheader(t("series.outcomes", lang))
    if not results.outcomes_by_level:
        st.caption(t("series.none", lang))
    for level, entries in results.outcomes_by_level.items():
        st.markdown(f"**{md_escape(sx.level_label(level, lang))}**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("res.code", lang): e["room"],
                        t("series.conflict", lang): e["title"],
                        t("series.outcome", lang): sx.outcome_label(e["outcome"], lang),
                        t("res.owner", lang): e["owner"] or "",
                        t("res.next_step", lang): e["next_step"] or "",
                        t("res.due", lang): e["due_date"] or "",
                    }
                    for e in entries
                ]
            ),
            hide_index=True,
        )


def _rest(results: series.SeriesResults, lang: str) -> None:
    st.subheader(t("series.representation", lang))
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("series.conflict", lang): c.title,
                    t("series.missing", lang): sx.missing_text(c, lang),
                }
                for c in results.conflicts
            ]
        ),
        hide_index=True,
    )
    st.subheader(t("series.proposals", lang))
    if not results.proposals:
        st.caption(t("series.none", lang))
    for p in results.proposals:
        st.markdown(f"- {md_escape(p['title'])} ({md_escape(', '.join(p['rooms']))})")


def _weighting(grant: series.SeriesGrant, current: str, lang: str, services: Services) -> None:
    choice = st.segmented_control(
        t("series.weighting", lang),
        ["equal", "participants"],
        default=current,
        format_func=lambda w: t(f"series.weighting_{w}", lang),
        key="series_weighting",
    )
    if choice and choice != current:
        series.set_weighting(grant, choice, store=services.store)
        st.rerun()


def _downloads(grant: series.SeriesGrant, s: series.Series, lang: str, services: Services) -> None:
    cols = st.columns(4)
    kinds = {
        "html": "text/html",
        "md": "text/markdown",
        "json": "application/json",
        "yaml": "application/yaml",
    }
    for col, (fmt, mime) in zip(cols, kinds.items(), strict=True):
        col.download_button(
            f"{t('series.download', lang)} {fmt.upper()}",
            data=partial(sx.export_series, grant, fmt, lang=lang, store=services.store),
            file_name=f"{s.code}.{fmt}",
            mime=mime,
            key=f"series_download_{fmt}",
            on_click="ignore",
        )


def _remove_room(grant: series.SeriesGrant, s: series.Series, lang: str, services: Services):
    """Take a room out of the series, after a confirmation (its workshop and results stay)."""
    with st.expander(t("series.remove", lang)):
        pick = st.selectbox(t("series.remove_pick", lang), s.workshops, key="series_remove_pick")
        if st.button(t("series.remove_button", lang), key="series_remove", disabled=not pick):
            st.session_state[SERIES_REMOVE] = (s.code, pick)
        pending = st.session_state.get(SERIES_REMOVE)
        if not pending or pending[0] != s.code or pending[1] not in s.workshops:
            return
        code = pending[1]
        st.warning(t("series.remove_confirm", lang, code=code, id=s.code))
        yes, no, _ = st.columns([1, 1, 4])
        if yes.button(t("series.remove_yes", lang), key="series_remove_yes", type="primary"):
            st.session_state.pop(SERIES_REMOVE, None)
            try:
                series.remove_workshop(grant, code, store=services.store)
            except (WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
                return
            st.session_state[SERIES_NOTICE] = t("series.removed", lang, code=code, id=s.code)
            st.rerun()
        if no.button(t("series.remove_no", lang), key="series_remove_no"):
            st.session_state.pop(SERIES_REMOVE, None)
            st.rerun()


@st.fragment(run_every=f"{POLL_S}s")
def _live(grant: series.SeriesGrant, lang: str, services: Services) -> None:
    try:
        _, results, _ = _load(grant, lang, services)
    except (WorkshopError, DatabaseUnavailable) as exc:
        st.error(error_text(exc, lang))
        return
    ballots = sum(x.ballots for c in results.conflicts for x in c.rooms)
    st.caption(
        f"{t('series.ballots_total', lang, n=ballots, rooms=len(results.rooms))} · "
        f"{t(f'series.weighting_{results.weighting}', lang)}"
    )
    if not results.rooms:
        st.info(t("series.no_rooms", lang))
        return
    if (note := sx.methods_text(results, lang)) is not None:
        st.info(note)
    st.subheader(t("series.ranking", lang))
    st.dataframe(_ranking_frame(results, lang), hide_index=True, key="series_ranking")
    st.caption(t("series.cell_help", lang))
    _differences(results, lang)
    _outcomes(results, lang)
    _rest(results, lang)


def render(services: Services) -> None:
    lang = language()
    sid = _series_id()
    if sid is None:
        st.title(t("series.report_title", lang))
        st.info(t("series.no_id", lang))
        return
    try:
        public = series.get_series(sid, store=services.store)
    except (WorkshopError, DatabaseUnavailable) as exc:
        st.title(t("series.report_title", lang))
        st.error(error_text(exc, lang))
        return
    st.title(f"{t('series.report_title', lang)}: {md_escape(public.title)}")
    grant = st.session_state.get(SERIES_GRANTS, {}).get(sid)
    if grant is None:
        _unlock_form(sid, lang, services)
        return
    st.caption(f"{t('series.id', lang)}: {sid} · {', '.join(public.workshops)}")
    if notice := st.session_state.pop(SERIES_NOTICE, None):
        st.success(notice)
    _weighting(grant, public.weighting, lang, services)
    _downloads(grant, public, lang, services)
    _live(grant, lang, services)
    if public.workshops:
        _remove_room(grant, public, lang, services)
