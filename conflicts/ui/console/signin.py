"""Keep the facilitator signed in per workshop, and sign out.

After the key is given, the console draws a tiny component that posts a short-lived ticket to
``/facilitator/signin`` (:mod:`conflicts.signin_http`), which sets the signed httpOnly cookie; a
reload, a second tab or a laptop that slept reads it back through ``st.context.cookies``. The key
itself is never in the ticket, the cookie, the session or a URL. "Sign out" drops the session's
grant and posts to ``/facilitator/signout``, which clears the cookie.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.services import Services
from conflicts.signin_http import SIGNIN_ROUTE, SIGNOUT_ROUTE, facilitator_secret
from conflicts.store import DatabaseUnavailable
from conflicts.ui.live import facilitator_grant, keep_grant
from conflicts.ui.state import GRANTS, REMEMBERED, SIGNED_OUT, SIGNIN_POST

_JS = """
const posted = new WeakMap();
export default function (component) {
  const { data, parentElement } = component;
  if (posted.get(parentElement) === data.body) return;
  posted.set(parentElement, data.body);
  fetch(data.url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: data.body,
  }).catch(() => {});
}
"""

_post = st.components.v2.component("mk_signin_post", js=_JS)


def _restore(code: str, *, services: Services) -> None:
    """Take the grant from this browser's session cookie, if it holds a valid one."""
    if code in st.session_state.get(GRANTS, {}) or code in st.session_state.get(SIGNED_OUT, ()):
        return
    token = st.context.cookies.get(ws.session_cookie_name(code))
    if not token:
        return
    try:
        secret = facilitator_secret(services.store)
        keep_grant(ws.unlock_session(code, token, secret=secret, store=services.store))
        st.session_state.setdefault(REMEMBERED, set()).add(code)  # the cookie is there
    except (ws.WorkshopError, DatabaseUnavailable):
        return  # expired, forged or from an older key: the key form asks again


def signed_in(code: str, lang: str, *, services: Services) -> ws.FacilitatorGrant | None:
    """The session's grant for ``code``: from this session, else from the cookie, else the key
    form (None until the key is given). A new grant gets a cookie (see module docstring)."""
    _restore(code, services=services)
    grant = facilitator_grant(code, lang, services=services)
    if grant is not None and code not in st.session_state.get(REMEMBERED, set()):
        remember(grant, services=services)
    return grant


def remember(grant: ws.FacilitatorGrant, *, services: Services) -> None:
    """Ask the browser to store a session cookie for ``grant`` (on the next page run)."""
    st.session_state.get(SIGNED_OUT, set()).discard(grant.code)
    st.session_state.setdefault(REMEMBERED, set()).add(grant.code)
    try:
        secret = facilitator_secret(services.store)
        ticket = ws.session_ticket(grant, secret=secret, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable):
        return  # the session keeps its grant; only the cookie is missing
    st.session_state[SIGNIN_POST] = (SIGNIN_ROUTE, {"ticket": ticket})


def _sign_out(code: str) -> None:
    st.session_state.get(GRANTS, {}).pop(code, None)
    st.session_state.setdefault(SIGNED_OUT, set()).add(code)
    st.session_state.get(REMEMBERED, set()).discard(code)
    st.session_state[SIGNIN_POST] = (SIGNOUT_ROUTE, {"code": code})


def sign_out_button(code: str, lang: str) -> None:
    st.button(
        t("fac.sign_out", lang),
        key="sign_out",
        icon=":material/logout:",
        type="tertiary",
        on_click=_sign_out,
        args=(code,),
    )


def post_pending() -> None:
    """Send a pending sign-in or sign-out to its route (once; the component posts on mount)."""
    pending = st.session_state.pop(SIGNIN_POST, None)
    if pending is None:
        return
    route, fields = pending
    _post(key="signin_post", data={"url": route.lstrip("/"), "body": urlencode(fields)}, height=0)
