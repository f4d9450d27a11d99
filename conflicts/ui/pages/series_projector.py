"""The regional projector (``/series_projector?id=S-...``; ``/series/projector?id=...`` redirects
here): the regional ranking and the map of rooms, full screen, no key and nothing secret.

Streamlit 1.67's ``st.Page`` refuses a ``url_path`` with a ``/`` (StreamlitAPIException "cannot
include /"), so the page lives at ``/series_projector`` and :func:`conflicts.series.http.routes`
answers ``/series/projector`` with a redirect to it (query string kept).

It shows what every room shows on its own projector (a room that hides results until closed
gives only its counts), aggregated. A fragment asks every second; the rooms are read in one batch
(a few queries however many rooms) at most every ``CACHE_S`` (0.5 s) per process, shared by every
projector open on the series, so a ballot is on the wall within about 1-2 s.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
import streamlit as st

from conflicts import series
from conflicts.i18n import t
from conflicts.reports.report import md_escape
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.common import language
from conflicts.ui.live import error_text
from conflicts.workshops import WorkshopError

POLL_S = 1
TOP = 8


def _load(sid: str, lang: str, services: Services):
    """The series and its public regional results: one batched read of every room, shared by
    the projectors of this process for ``CACHE_S`` (see :func:`conflicts.series.public_series`)."""
    return series.public_series(sid, lang=lang, store=services.store, shared=True)


def _share(value: float | None, method: str, scale: tuple[int, int]) -> float | None:
    """A room's value as 0..1 of its scale, 1 = the highest priority ('score': most negative)."""
    if value is None:
        return None
    lo, hi = (0, scale[1]) if method in ("dots", "ranking") else scale
    share = (value - lo) / (hi - lo) if hi > lo else 0.0
    return 1.0 - share if method == "score" else share


def room_map(results: series.SeriesResults, lang: str, top: int = TOP) -> go.Figure:
    """Rooms (columns) x the region's first conflicts (rows), coloured by each room's priority."""
    conflicts = list(results.conflicts[:top])
    rooms = list(results.rooms)
    z, text = [], []
    for c in conflicts:
        z.append([_share(x.value, x.method, x.scale) for x in c.rooms])
        text.append(
            ["–" if x.value is None else f"{x.value:.1f}<br>n={x.ballots}" for x in c.rooms]
        )
    labels = [c.title if len(c.title) <= 48 else c.title[:47] + "…" for c in conflicts]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            # Room titles are facilitator text: escaped, plotly reads a few HTML tags in labels.
            x=[f"{escape(r.title[:24])}<br>{r.code}" for r in rooms],
            y=labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 16},
            colorscale=[[0, "#fde8d6"], [1, "#d55e00"]],
            zmin=0,
            zmax=1,
            showscale=False,
            hoverinfo="skip",
            xgap=3,
            ygap=3,
        )
    )
    fig.update_layout(
        height=90 + 64 * max(len(conflicts), 1),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"autorange": "reversed", "tickfont": {"size": 16}},
        xaxis={"side": "top", "tickfont": {"size": 18}},
        plot_bgcolor="white",
    )
    return fig


@st.fragment(run_every=f"{POLL_S}s")
def _live(sid: str, lang: str, services: Services) -> None:
    try:
        _, results = _load(sid, lang, services)
    except (WorkshopError, DatabaseUnavailable) as exc:
        st.error(error_text(exc, lang))
        return
    ballots = sum(x.ballots for c in results.conflicts for x in c.rooms)
    st.markdown(
        f"#### {md_escape(t('series.ballots_total', lang, n=ballots, rooms=len(results.rooms)))}"
        f" · {md_escape(t(f'series.weighting_{results.weighting}', lang))}"
    )
    if not results.rooms:
        st.info(t("series.no_rooms", lang))
        return
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.subheader(t("series.ranking", lang))
        for c in results.conflicts[:TOP]:
            g = c.aggregate
            if g is None or g.rank is None:
                continue
            st.markdown(
                f"### {g.rank}. {md_escape(c.title)}  \n"
                f"{t('series.aggregate', lang)} **{g.value:.2f}** · "
                f"{t('series.spread', lang)} {g.spread if g.spread is not None else 0:.2f} · "
                f"{len(g.rooms)} {t('series.rooms', lang).lower()}"
            )
        if results.mixed_methods:
            st.caption(t("series.mixed_methods", lang))
    with right:
        st.subheader(t("series.map", lang))
        st.plotly_chart(
            room_map(results, lang),
            config={"displayModeBar": False, "staticPlot": True},
            key="series_room_map",
        )


def render(services: Services) -> None:
    lang = language()
    value = st.query_params.get("id")
    if not value:
        st.info(t("series.no_id", lang))
        return
    sid = series.normalise_series_code(value)
    try:
        s = series.get_series(sid, store=services.store)
    except (WorkshopError, DatabaseUnavailable) as exc:
        st.error(error_text(exc, lang))
        return
    st.title(f"{t('series.report_title', lang)}: {md_escape(s.title)}")
    _live(sid, lang, services)
