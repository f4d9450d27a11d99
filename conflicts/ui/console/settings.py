"""The console's settings tab: voting method, mode, hidden results, participant codes.

Each control saves in its ``on_change`` callback. A refused change (e.g. ``method_locked`` once
ballots exist) shows its reason and puts the control back to the stored value: the script never
retries it, so a refusal cannot turn into a rerun loop.
"""

from __future__ import annotations

import streamlit as st

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import METHODS, MODES
from conflicts.ui.console.actions import act
from conflicts.ui.live import granted
from conflicts.ui.widgets import whole


def _key(name: str, w: ws.Workshop, stored) -> str:
    """A widget key that follows the stored value: a change saved here or on another device
    draws a new widget showing it, and a browser message still carrying the old widget's value
    (sent before the redraw arrived) cannot fire a callback that would undo the change. The
    script never writes a widget's state while the facilitator may be using it."""
    return f"{name}_{w.code}_{stored}"


def _save(lang: str, key: str, stored, fn, code: str, *, services: Services) -> None:
    """Save the value of widget ``key`` through ``fn``; on refusal show ``stored`` again."""
    if not act(lang, fn, code, st.session_state[key], services=services):
        st.session_state[key] = stored


def _save_method(lang: str, w: ws.Workshop, keys: tuple[str, str, str], *, services) -> None:
    """Method, dot budget and ranking size are one setting (one domain call)."""
    method, budget, size = (st.session_state[k] for k in keys)
    ok = act(
        lang,
        ws.set_voting_method,
        w.code,
        method,
        dot_budget=whole(budget, 1, 100, w.dot_budget) if method == "dots" else None,
        ranking_size=whole(size, 1, 20, w.ranking_size) if method == "ranking" else None,
        services=services,
    )
    if not ok:  # e.g. method_locked: say why (FAC_ERROR) and show the stored setting
        for k, stored in zip(keys, (w.method, w.dot_budget, w.ranking_size), strict=True):
            st.session_state[k] = stored


def settings(w: ws.Workshop, lang: str, *, services: Services) -> None:
    """The settings tab of workshop ``w`` (the row this page run read)."""
    stamp = (w.method, w.dot_budget, w.ranking_size)
    keys = tuple(_key(name, w, "_".join(map(str, stamp))) for name in ("method", "budget", "rsize"))
    method_cb = {
        "on_change": _save_method,
        "args": (lang, w, keys),
        "kwargs": {"services": services},
    }
    with st.container(key="settings_method"):
        st.segmented_control(
            t("fac.method", lang),
            METHODS,
            default=w.method,
            required=True,
            format_func=lambda m: t(f"fac.method_{m}", lang),
            key=keys[0],
            **method_cb,
        )
        st.number_input(
            t("fac.budget", lang),
            1,
            100,
            w.dot_budget,
            key=keys[1],
            disabled=w.method != "dots",
            **method_cb,
        )
        st.number_input(
            t("fac.ranking_size", lang),
            1,
            20,
            w.ranking_size,
            key=keys[2],
            disabled=w.method != "ranking",
            **method_cb,
        )
    key = _key("mode", w, w.mode)
    st.segmented_control(
        t("fac.mode", lang),
        MODES,
        default=w.mode,
        required=True,
        format_func=lambda m: t(f"fac.mode_{m}", lang),
        key=key,
        on_change=_save,
        args=(lang, key, w.mode, ws.set_mode, w.code),
        kwargs={"services": services},
    )
    key = _key("hide", w, w.hide_results_until_closed)
    st.toggle(
        t("fac.hide", lang),
        w.hide_results_until_closed,
        key=key,
        on_change=_save,
        args=(lang, key, w.hide_results_until_closed, ws.set_hide_results, w.code),
        kwargs={"services": services},
    )
    key = _key("req", w, w.require_participant_code)
    st.toggle(
        t("fac.require_codes", lang),
        w.require_participant_code,
        key=key,
        on_change=_save,
        args=(lang, key, w.require_participant_code, ws.set_participant_codes_required, w.code),
        kwargs={"services": services},
    )
    if w.require_participant_code:
        _participant_codes(w, lang, services=services)


def _participant_codes(w: ws.Workshop, lang: str, *, services: Services) -> None:
    n = st.number_input(
        t("fac.codes_n", lang), 1, ws.MAX_PARTICIPANT_CODES, 20, key=f"ncodes_{w.code}"
    )
    if st.button(t("fac.codes_generate", lang), key=f"gen_codes_{w.code}"):
        count = whole(n, 1, ws.MAX_PARTICIPANT_CODES, 20)
        act(lang, ws.generate_participant_codes, w.code, count, services=services)
    codes = ws.list_participant_codes(granted(w.code), store=services.store)
    if codes:
        st.download_button(
            "CSV",
            "code,used\n" + "\n".join(f"{c},{int(u)}" for c, u in codes),
            file_name=f"{w.code}-participant-codes.csv",
            key=f"codes_csv_{w.code}",
            on_click="ignore",
        )
        st.code("\n".join(c for c, used in codes if not used) or "–")
