"""The page router: page config, language switch, navigation.

To add a page: write ``conflicts/ui/pages/<name>.py`` with a ``render()`` function and add one
``st.Page`` line to :func:`pages`.
"""

from __future__ import annotations

import streamlit as st

from conflicts.i18n import t
from conflicts.ui.common import language, language_switch
from conflicts.ui.pages import catalogue, explore, facilitate, join, projector


def pages(lang: str) -> dict[str, list[st.Page]]:
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
                join.render,
                title=t("nav.join", lang),
                icon=":material/how_to_vote:",
                url_path="join",
            ),
            st.Page(
                projector.render,
                title=t("nav.projector", lang),
                icon=":material/tv:",
                url_path="projector",
            ),
            st.Page(
                facilitate.render,
                title=t("nav.facilitate", lang),
                icon=":material/co_present:",
                url_path="facilitate",
            ),
        ],
    }


def main() -> None:
    st.set_page_config(page_title="Målkonflikt", page_icon=":material/hub:", layout="wide")
    lang = language()
    page = st.navigation(pages(lang), position="sidebar")
    with st.sidebar:
        language_switch()
    page.run()
