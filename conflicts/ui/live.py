"""Shared pieces of the workshop pages: identity, errors, QR code, live tallies.

Live parts are ``st.fragment(run_every=...)`` functions: each browser asks for a fragment rerun on
its timer, which reads one cheap ``poll`` row and re-reads the tally only when it changed.
"""

from __future__ import annotations

import hmac
import io
import os
from urllib.parse import urlsplit

import altair as alt
import segno
import streamlit as st

from conflicts import config
from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.tally import ItemTally
from conflicts.throttle import (
    Throttled,
    client_address,
    create_password,
    facilitator_keys,
    unknown_codes,
)
from conflicts.ui.state import GRANTS


def error_text(exc: Exception, lang: str) -> str:
    """A translated, user-facing message for a domain error (never a traceback)."""
    code = getattr(exc, "code", None)
    if isinstance(exc, DatabaseUnavailable):
        code = exc.code  # database_unavailable, or database_misconfigured
    key = f"err.{code}"
    try:
        return t(key, lang, **getattr(exc, "params", {}))
    except KeyError:
        try:
            return t(key, lang)
        except KeyError:
            return t("error.unexpected", lang)


def code_from_url() -> str | None:
    code = st.query_params.get("code")
    return ws.normalise_code(code) if code else None


def public_base_url() -> str:
    """The address participants type: ``CONFLICTS_PUBLIC_URL`` or this request's origin."""
    configured = os.environ.get("CONFLICTS_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    url = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{url.scheme}://{url.netloc}"


@st.cache_data(max_entries=256, show_spinner=False)
def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def code_entry(lang: str, key: str) -> None:
    """A form to type a join code; puts it in the URL (``?code=``)."""
    with st.form(key):
        code = st.text_input(t("ws.enter_code", lang), max_chars=12, key=f"{key}_code")
        if st.form_submit_button(t("ws.go", lang), type="primary"):
            st.query_params["code"] = ws.normalise_code(code)
            st.rerun()


def client() -> str:
    """Who is asking, for throttling (see :func:`conflicts.throttle.client_address`)."""
    return client_address(st.context.ip_address, st.context.headers)


def too_many(seconds: int, lang: str) -> None:
    st.error(t("err.too_many_attempts", lang, seconds=seconds))


def load_workshop(code: str, lang: str, *, services: Services) -> ws.Workshop | None:
    """The workshop of ``code``, or None after showing why not. A client that typed too many
    unknown codes lately is told to wait (the same count as the phone page and the API)."""
    who = client()
    wait = unknown_codes.wait(who)
    if wait is not None:
        too_many(wait, lang)
        return None
    try:
        return ws.get_workshop(code, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        if isinstance(exc, ws.WorkshopNotFound):
            unknown_codes.failed(who, code)
        st.error(error_text(exc, lang))
        return None


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def tally_chart(item: ItemTally, method: str, lang: str, *, large: bool = False) -> None:
    """Distribution of one item's ballots, with its summary numbers. ``large``: axis labels
    readable from the back of a room (the projector)."""
    if item.hidden:
        st.info(t("ws.hidden", lang))
        return
    lo, hi = (-3, 3) if method == "score" else (1, 5) if method == "rating" else (None, None)
    if lo is not None:
        values = range(lo, hi + 1)
        labels = [f"{v:+d}" if method == "score" else str(v) for v in values]
        rows = [
            {"value": label, "ballots": item.distribution.get(v, 0)}
            for v, label in zip(values, labels, strict=True)
        ]
        size = 22 if large else 13
        chart = (
            alt.Chart(alt.Data(values=rows))
            .mark_bar(color="#0072B2")
            .encode(
                x=alt.X(
                    "value:N",
                    sort=labels,
                    title=None,
                    axis=alt.Axis(labelAngle=0, labelFontSize=size, labelColor="#111111"),
                ),
                y=alt.Y(
                    "ballots:Q",
                    title=None,
                    axis=alt.Axis(labelFontSize=size, labelColor="#111111", tickMinStep=1),
                ),
            )
        )
        st.altair_chart(chart, height=220)
        st.caption(
            " · ".join(
                [
                    t("ws.mean", lang, value=fmt(item.mean)),
                    t("ws.median", lang, value=fmt(item.median)),
                    t("ws.consensus", lang, value=fmt(item.consensus, 2)),
                    t("ws.skips", lang, n=item.skips),
                ]
            )
        )
    else:
        st.caption(
            t("ws.total", lang, value=item.total if item.total is not None else "–")
            + " · "
            + t("ws.skips", lang, n=item.skips)
        )


def granted(code: str) -> ws.FacilitatorGrant:
    """The grant this browser session unlocked for ``code`` (see :func:`facilitator_grant`).

    Raises :class:`~conflicts.workshops.AccessDenied` when the session has none, so an action
    offered by mistake before unlocking fails instead of acting."""
    grant = st.session_state.get(GRANTS, {}).get(code)
    if grant is None:
        raise ws.AccessDenied("unlock the workshop first")
    return grant


def keep_grant(grant: ws.FacilitatorGrant) -> None:
    """Remember a grant for this browser session (after unlocking or creating a workshop)."""
    st.session_state.setdefault(GRANTS, {})[grant.code] = grant


def facilitator_grant(code: str, lang: str, *, services: Services) -> ws.FacilitatorGrant | None:
    """The session's grant for ``code`` once the workshop's key (or the admin password) was
    given; until then shows the key form and returns None. The key is never kept, not in the
    session and not in a URL: only the grant :func:`conflicts.workshops.unlock` returned."""
    grant = st.session_state.get(GRANTS, {}).get(code)
    if grant is not None:
        return grant
    with st.form("unlock_form"):
        key = st.text_input(
            t("fac.key", lang), type="password", help=t("fac.key_help", lang), key="unlock_key"
        )
        submitted = st.form_submit_button(
            t("fac.unlock", lang), type="primary", key="unlock_submit"
        )
        if submitted and try_unlock(code, key, lang, services=services):
            st.rerun()
    return None


def try_unlock(code: str, key: str, lang: str, *, services: Services) -> bool:
    """Check ``key`` for ``code`` through the throttles the API uses too
    (:data:`~conflicts.throttle.facilitator_keys`, :data:`~conflicts.throttle.unknown_codes`);
    keep the grant and return True, or show why not and return False."""
    who = client()
    wait = unknown_codes.wait(who)
    if wait is not None:
        too_many(wait, lang)
        return False
    try:
        grant = facilitator_keys.attempt(
            who, code, lambda: ws.unlock(code, key, store=services.store), ws.AccessDenied
        )
    except Throttled as exc:
        too_many(exc.seconds, lang)
        return False
    except ws.AccessDenied:
        st.error(t("err.access_denied", lang))
        return False
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        if isinstance(exc, ws.WorkshopNotFound):
            unknown_codes.failed(who, code)
        st.error(error_text(exc, lang))
        return False
    keep_grant(grant)
    return True


def may_create(password: str | None, lang: str) -> bool:
    """Whether this session may create a workshop: always when no create password is set
    (:func:`conflicts.config.create_password`), else only with it, throttled per client like
    the facilitator keys. Shows why not and returns False."""
    expected = config.create_password()
    if expected is None:
        return True

    def check() -> None:
        if not hmac.compare_digest((password or "").encode("utf-8"), expected.encode("utf-8")):
            raise ws.AccessDenied("wrong create password")

    try:
        create_password.attempt(client(), "create", check, ws.AccessDenied)
    except Throttled as exc:
        too_many(exc.seconds, lang)
        return False
    except ws.AccessDenied:
        st.error(t("err.create_password", lang))
        return False
    return True
