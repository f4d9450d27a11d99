"""The page router: page config, language switch, navigation.

To add a page: write ``conflicts/ui/pages/<name>.py`` with a ``render()`` function (``render(services)`` if it
reads or writes workshops) and add one
``st.Page`` line to :func:`pages`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from conflicts.i18n import t
from conflicts.services import Services
from conflicts.ui.common import app_services, language, language_switch
from conflicts.ui.pages import (
    catalogue,
    explore,
    facilitate,
    projector,
    results,
    series,
    series_projector,
)


def pages(lang: str, services: Services) -> dict[str, list[st.Page]]:
    """The app's pages; the workshop pages get ``services`` (one store for the process)."""
    return {
        "": [
            st.Page(
                explore.render,
                title=t("nav.explore", lang),
                icon=":material/hub:",
                url_path="explore",
                default=True,
            ),
            st.Page(
                catalogue.render,
                title=t("nav.catalogue", lang),
                icon=":material/description:",
                url_path="catalogue",
            ),
        ],
        t("nav.workshops", lang): [
            st.Page(
                partial(projector.render, services),
                title=t("nav.projector", lang),
                icon=":material/tv:",
                url_path="projector",
            ),
            st.Page(
                partial(facilitate.render, services),
                title=t("nav.facilitate", lang),
                icon=":material/co_present:",
                url_path="facilitate",
            ),
            st.Page(
                partial(results.render, services),
                title=t("nav.results", lang),
                icon=":material/summarize:",
                url_path="results",
            ),
            st.Page(
                partial(series.render, services),
                title=t("nav.series", lang),
                icon=":material/hub:",
                url_path="series",
            ),
            # A url_path cannot hold a "/" in Streamlit 1.67: /series/projector redirects here.
            st.Page(
                partial(series_projector.render, services),
                title=t("nav.series_projector", lang),
                icon=":material/tv:",
                url_path="series_projector",
            ),
        ],
    }


#: Pages for the room: no app navigation (the projector is full screen). The phones' page,
#: ``/join``, is not a Streamlit page at all (see conflicts.phone).
ROOM_PAGES = {"projector", "series_projector"}


def _requested_page() -> str:
    """The last path segment of the URL this session was opened with ('' for the default page)."""
    url = st.context.url
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] if isinstance(url, str) else ""


APP_ICON = Path(__file__).parent / "assets" / "icon.png"


def main() -> None:
    # A file icon, served by the app: a ":material/…:" icon is fetched as the favicon from a
    # third-party host, which would send every participant's address out of the room's network.
    st.set_page_config(page_title="Målkonflikt", page_icon=str(APP_ICON), layout="wide")
    lang = language()
    room = _requested_page() in ROOM_PAGES
    groups = pages(lang, app_services())
    # Our own sidebar links rather than st.navigation's: those drop ``?code=``, and every
    # facilitator page must carry the workshop along (console -> results -> projector).
    page = st.navigation(groups, position="hidden")
    if not room:
        with st.sidebar:
            _links(groups)
            language_switch()
    page.run()


#: Pages that take the workshop's ``?code=``.
WORKSHOP_PAGES = {"projector", "facilitate", "results"}


def _links(groups: dict[str, list[st.Page]]) -> None:
    """The navigation, with the workshop code of this URL on every workshop page's link."""
    code = st.query_params.get("code")
    for heading, group in groups.items():
        if heading:
            st.caption(heading)
        for p in group:
            carry = {"code": code} if code and p.url_path in WORKSHOP_PAGES else None
            st.page_link(p, query_params=carry)
