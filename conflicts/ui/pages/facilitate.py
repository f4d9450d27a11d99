"""The facilitator console (``/facilitate?code=CODE``), behind the workshop's key.

The key (or the admin password, ``CONFLICTS_ADMIN_PASSWORD``) is checked against its hash once per
browser session and kept only in that session; it never goes into a URL or onto the projector.
"""

from __future__ import annotations

import streamlit as st

from conflicts import workshop as ws
from conflicts.catalogue import Catalogue, bundled_catalogues
from conflicts.i18n import t
from conflicts.store import METHODS, MODES, DatabaseUnavailable
from conflicts.ui.common import current_model, language
from conflicts.ui.live import (
    KEYS,
    code_entry,
    code_from_url,
    error_text,
    facilitator_unlocked,
    load_workshop,
    public_base_url,
    tally_chart,
)
from conflicts.ui.widgets import md_escape


def _act(lang: str, fn, *args, **kwargs) -> None:
    """Run a facilitator action; show a translated error instead of a traceback."""
    try:
        fn(*args, **kwargs)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.session_state["_fac_error"] = error_text(exc, lang)


def _create(lang: str) -> None:
    st.subheader(t("fac.create", lang), anchor=False)
    names = list(bundled_catalogues())
    in_use = current_model().key
    with st.form("create_form"):
        name = st.selectbox(
            t("catalogue.choose", lang),
            names,
            index=names.index(in_use) if in_use in names else 0,
            key="create_cat",
        )
        title = st.text_input(t("fac.ws_title", lang), max_chars=ws.TITLE_MAX, key="create_title")
        if st.form_submit_button(t("fac.create_submit", lang), type="primary", key="create_submit"):
            try:
                created = ws.create_workshop(name, title=title or None)
            except (ws.WorkshopError, DatabaseUnavailable) as exc:
                st.error(error_text(exc, lang))
            else:
                code = created.workshop.code
                st.session_state.setdefault(KEYS, set()).add(code)
                st.session_state["_fac_new_key"] = (code, created.facilitator_key)
                st.query_params["code"] = code
                st.rerun()


def _apply(lang: str, new: object, old: object, fn, *args, **kwargs) -> None:
    """Save a setting whose widget changed, then redraw with the stored value."""
    if new != old:
        _act(lang, fn, *args, **kwargs)
        st.rerun()


def _settings(w: ws.Workshop, lang: str) -> None:
    with st.expander(t("fac.settings", lang), expanded=w.status == "draft"):
        method = st.segmented_control(
            t("fac.method", lang),
            METHODS,
            default=w.method,
            required=True,
            format_func=lambda m: t(f"fac.method_{m}", lang),
            key=f"method_{w.code}",
        )
        budget = st.number_input(
            t("fac.budget", lang),
            1,
            100,
            w.dot_budget,
            key=f"budget_{w.code}",
            disabled=method != "dots",
        )
        size = st.number_input(
            t("fac.ranking_size", lang),
            1,
            20,
            w.ranking_size,
            key=f"rsize_{w.code}",
            disabled=method != "ranking",
        )
        _apply(
            lang,
            (method, budget, size),
            (w.method, w.dot_budget, w.ranking_size),
            ws.set_voting_method,
            w.code,
            method,
            dot_budget=int(budget) if method == "dots" else None,
            ranking_size=int(size) if method == "ranking" else None,
        )
        mode = st.segmented_control(
            t("fac.mode", lang),
            MODES,
            default=w.mode,
            required=True,
            format_func=lambda m: t(f"fac.mode_{m}", lang),
            key=f"mode_{w.code}",
        )
        _apply(lang, mode, w.mode, ws.set_mode, w.code, mode)
        hide = st.toggle(t("fac.hide", lang), w.hide_results_until_closed, key=f"hide_{w.code}")
        _apply(lang, hide, w.hide_results_until_closed, ws.set_hide_results, w.code, hide)
        require = st.toggle(
            t("fac.require_codes", lang), w.require_participant_code, key=f"req_{w.code}"
        )
        _apply(
            lang,
            require,
            w.require_participant_code,
            ws.set_participant_codes_required,
            w.code,
            require,
        )
        if require:
            n = st.number_input(
                t("fac.codes_n", lang), 1, ws.MAX_PARTICIPANT_CODES, 20, key=f"ncodes_{w.code}"
            )
            if st.button(t("fac.codes_generate", lang), key=f"gen_codes_{w.code}"):
                _act(lang, ws.generate_participant_codes, w.code, int(n))
            codes = ws.list_participant_codes(w.code)
            if codes:
                st.download_button(
                    "CSV",
                    "code,used\n" + "\n".join(f"{c},{int(u)}" for c, u in codes),
                    file_name=f"{w.code}-participant-codes.csv",
                    key=f"codes_csv_{w.code}",
                )
                st.code("\n".join(c for c, used in codes if not used) or "–")


def _agenda(w: ws.Workshop, lang: str) -> None:
    cat = w.catalogue()
    st.subheader(t("fac.agenda", lang), anchor=False)
    for n, item in enumerate(w.items, 1):
        interaction = cat.interactions_by_id.get(item.interaction_id)
        title = cat.text(interaction.title, lang) if interaction else item.interaction_id
        showing = w.current_item_id == item.id
        with st.container(border=True, key=f"agenda_{item.id}"):
            st.markdown(f"**{n}. {md_escape(title)}** · {t('ws.state_' + item.voting, lang)}")
            with st.container(horizontal=True):
                st.button(
                    t("fac.showing" if showing else "fac.show", lang),
                    key=f"show_{item.id}",
                    type="primary" if showing else "secondary",
                    disabled=showing,
                    on_click=_act,
                    args=(lang, ws.set_current_item, w.code, item.id),
                )
                if item.voting == "open":
                    st.button(
                        t("fac.close_voting", lang),
                        key=f"close_{item.id}",
                        on_click=_act,
                        args=(lang, ws.close_voting, w.code, item.id),
                    )
                else:
                    st.button(
                        t("fac.open_voting", lang),
                        key=f"open_{item.id}",
                        disabled=w.status != "open",
                        on_click=_act,
                        args=(lang, ws.open_voting, w.code, item.id),
                    )


@st.fragment(run_every="2s")
def _results(code: str, cat: Catalogue, lang: str) -> None:
    try:
        tally = ws.get_tally(code, facilitator=True)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.warning(error_text(exc, lang))
        return
    st.subheader(t("fac.results", lang), anchor=False)
    st.caption(t("ws.participants", lang, n=tally.participants))
    titles = {
        i.interaction_id: cat.text(cat.interactions_by_id[i.interaction_id].title, lang)
        for i in tally.items
        if i.interaction_id in cat.interactions_by_id
    }
    if tally.ranking:
        st.markdown(f"**{t('ws.ranking', lang)}**")
        st.markdown(
            "\n".join(
                f"{r.rank}. {md_escape(titles.get(r.interaction_id, r.interaction_id))} "
                f"({t('ws.ballots_in', lang, n=r.ballots)})"
                for r in tally.ranking
            )
        )
    for item in tally.items:
        if item.ballots or item.skips or item.voting == "open":
            with st.expander(
                f"{titles.get(item.interaction_id, item.interaction_id)} · "
                f"{t('ws.ballots_in', lang, n=item.ballots)}",
                expanded=item.voting == "open",
            ):
                tally_chart(item, tally.method, lang)


def render() -> None:
    lang = language()
    st.title(t("fac.title", lang), anchor=False)
    code = code_from_url()
    if not code:
        left, right = st.columns(2, gap="large")
        with left:
            _create(lang)
        with right:
            st.subheader(t("fac.open_existing", lang), anchor=False)
            code_entry(lang, "fac_code_form")
        return
    w = load_workshop(code, lang)
    if w is None or not facilitator_unlocked(w.code, lang):
        return

    new_key = st.session_state.get("_fac_new_key")
    if new_key and new_key[0] == w.code:
        st.success(t("fac.created", lang, code=w.code))
        st.code(new_key[1], language=None)
    error = st.session_state.pop("_fac_error", None)
    if error:
        st.error(error)

    base = public_base_url()
    st.markdown(
        f"**{t('ws.code', lang)}: `{w.code}`** · "
        f"{t('fac.status', lang, status=t('ws.status_' + w.status, lang))}"
    )
    st.caption(f"{t('fac.links', lang)}: {base}{w.join_path} · {base}/projector?code={w.code}")
    with st.container(horizontal=True):
        if w.status != "open":
            st.button(
                t("fac.open_ws", lang),
                type="primary",
                key="open_ws",
                on_click=_act,
                args=(lang, ws.open_workshop, w.code),
            )
        if w.status == "open":
            st.button(
                t("fac.close_ws", lang),
                key="close_ws",
                on_click=_act,
                args=(lang, ws.close_workshop, w.code),
            )
    _settings(w, lang)
    left, right = st.columns([3, 2], gap="large")
    with left:
        _agenda(w, lang)
    with right:
        _results(w.code, w.catalogue(), lang)  # one read per page run, not per tick
