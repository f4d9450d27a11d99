"""The console's proposals tab: participants' proposals, live (a fragment re-reads them when
the tally revision moves: a proposal bumps it), to accept, decline or merge."""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.catalogue import Catalogue
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.tally import SCORE_SCALE
from conflicts.ui.console.actions import act
from conflicts.ui.console.agenda import node_options
from conflicts.ui.live import error_text, granted
from conflicts.ui.state import FAC_PROPOSALS
from conflicts.ui.widgets import md_escape, relabel


def _accept(lang: str, code: str, proposal_id: int, *, services: Services) -> None:
    st.session_state.pop(FAC_PROPOSALS, None)  # read them again after this change
    act(
        lang,
        ws.accept_proposal,
        code,
        proposal_id,
        score=st.session_state[f"accept_score_{proposal_id}"],
        services=services,
    )
    st.rerun()  # the agenda (outside this fragment) has the accepted conflict now


def _decline(lang: str, code: str, proposal_id: int, *, services: Services) -> None:
    st.session_state.pop(FAC_PROPOSALS, None)
    act(lang, ws.decline_proposal, code, proposal_id, services=services)


def _merge(lang: str, code: str, proposal_id: int, *, services: Services) -> None:
    st.session_state.pop(FAC_PROPOSALS, None)
    keep = st.session_state.get(f"merge_into_{proposal_id}")
    if keep is not None:
        act(lang, ws.merge_proposals, code, keep, [proposal_id], services=services)
        st.rerun()  # a merge may touch the agenda (outside this fragment)


def _proposals(
    w: ws.Workshop, cat: Catalogue, found: list, lang: str, *, services: Services
) -> None:
    if not found:
        st.caption(t("prop.none", lang))
        return
    nodes = node_options(cat, lang)
    titles = {p.id: p.title for p in found}
    for p in found:
        with st.container(border=True, key=f"proposal_{p.id}"):
            st.markdown(f"**{md_escape(p.title)}** · {t('prop.status_' + p.status, lang)}")
            st.caption(
                t(
                    "fac.prop_link",
                    lang,
                    a=md_escape(nodes.get(p.from_node, p.from_node)),
                    b=md_escape(nodes.get(p.to_node, p.to_node)),
                )
                + (
                    f" · {t('prop.by', lang, name=md_escape(p.display_name))}"
                    if p.display_name
                    else ""
                )
            )
            if p.text:
                st.text(p.text)  # participants' text: always shown as text
            if p.status != "pending":
                continue
            with st.container(horizontal=True, vertical_alignment="bottom"):
                st.select_slider(
                    t("fac.prop_score", lang),
                    list(range(SCORE_SCALE[0], SCORE_SCALE[1] + 1)),
                    value=-1,
                    key=f"accept_score_{p.id}",
                    width=220,
                )
                st.button(
                    t("prop.accept", lang),
                    key=f"accept_{p.id}",
                    type="primary",
                    on_click=_accept,
                    args=(lang, w.code, p.id),
                    kwargs={"services": services},
                )
                st.button(
                    t("prop.decline", lang),
                    key=f"decline_{p.id}",
                    on_click=_decline,
                    args=(lang, w.code, p.id),
                    kwargs={"services": services},
                )
            others = [o.id for o in found if o.id != p.id and o.status in ("pending", "accepted")]
            if others:
                with st.container(horizontal=True, vertical_alignment="bottom"):
                    relabel(f"merge_into_{p.id}", lang)
                    st.selectbox(
                        t("prop.merge_into", lang),
                        others,
                        index=None,
                        placeholder=t("widget.choose", lang),
                        format_func=titles.get,
                        key=f"merge_into_{p.id}",
                    )
                    st.button(
                        t("prop.merge", lang),
                        key=f"merge_{p.id}",
                        on_click=_merge,
                        args=(lang, w.code, p.id),
                        kwargs={"services": services},
                    )


def pending(found: list) -> int:
    """How many of ``found`` wait for the facilitator."""
    return sum(1 for p in found if p.status == "pending")


def load(code: str, *, services: Services) -> list:
    """This workshop's proposals, read again only when its tally revision moved (a new proposal
    bumps it) or the state; cached in the session with both revisions."""
    revisions = ws.poll(code, store=services.store)
    cached = st.session_state.get(FAC_PROPOSALS)
    if cached is None or cached[0] != (code, revisions):
        cached = ((code, revisions), ws.list_proposals(granted(code), store=services.store))
        st.session_state[FAC_PROPOSALS] = cached
    return cached[1]


@st.fragment(run_every="2s")
def proposals_live(
    w: ws.Workshop, cat: Catalogue, lang: str, shown: int, *, services: Services
) -> None:
    """The proposals tab, following new proposals every two seconds. ``shown``: the pending
    count in the tab's label; when it no longer holds, the page reruns so the label follows."""
    try:
        found = load(w.code, services=services)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.warning(error_text(exc, lang))
        return
    if pending(found) != shown:
        st.rerun()  # rare (a proposal came in): the tab label lives outside this fragment
    _proposals(w, cat, found, lang, services=services)
