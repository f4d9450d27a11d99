"""The console's small "Regional series" expander: create a series with this room, or add the
room to an existing one (its id and key). Kept out of the facilitate page, which calls
:func:`series_box` once."""

from __future__ import annotations

import streamlit as st

from conflicts import series
from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.live import error_text, public_base_url
from conflicts.ui.state import SERIES_GRANTS

#: The one-time key of a series created in this session: (series id, key).
SERIES_NEW_KEY = "_series_new_key"


def _links(sid: str, lang: str) -> None:
    base = public_base_url()
    st.markdown(
        t(
            "series.links",
            lang,
            view=f"{base}/series?id={sid}",
            projector=f"{base}/series/projector?id={sid}",
        )
    )


def _create(grant: ws.FacilitatorGrant, lang: str, services: Services) -> None:
    with st.form("series_create_form"):
        title = st.text_input(t("series.title", lang), max_chars=200, key="series_new_title")
        if st.form_submit_button(t("series.create", lang), key="series_create"):
            try:
                created = series.create_series(title, [grant], store=services.store)
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
                return
            sid = created.series.code
            st.session_state.setdefault(SERIES_GRANTS, {})[sid] = created.grant
            st.session_state[SERIES_NEW_KEY] = (sid, created.key)


def _add(grant: ws.FacilitatorGrant, lang: str, services: Services) -> None:
    with st.form("series_add_form"):
        sid = st.text_input(t("series.enter_id", lang), max_chars=16, key="series_add_id")
        key = st.text_input(t("series.key", lang), type="password", key="series_add_key")
        if st.form_submit_button(t("series.add", lang), key="series_add"):
            try:
                sgrant = series.unlock_series(sid, key, store=services.store)
                s = series.add_workshop(sgrant, grant, store=services.store)
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
                return
            st.session_state.setdefault(SERIES_GRANTS, {})[s.code] = sgrant
            st.success(t("series.added", lang, id=s.code))


def series_box(grant: ws.FacilitatorGrant, lang: str, *, services: Services) -> None:
    """The expander: this room's series (with links), create one, add to one."""
    with st.expander(t("series.box", lang)):
        st.caption(t("series.box_help", lang))
        _create(grant, lang, services)
        new = st.session_state.get(SERIES_NEW_KEY)
        if new:
            st.success(t("series.created", lang, id=new[0]))
            st.code(new[1], language=None)
        _add(grant, lang, services)
        try:
            ids = series.series_of(grant, store=services.store)
        except DatabaseUnavailable as exc:
            st.warning(error_text(exc, lang))
            return
        if ids:
            st.markdown(t("series.member_of", lang, ids=", ".join(ids)))
            for sid in ids:
                _links(sid, lang)
