"""Follow the facilitator cheaply: the phone asks a tiny HTTP endpoint, Streamlit reruns only on
a change.

A ``st.fragment(run_every="1s")`` on every phone costs one script run per phone per second on
the server (measured with ``benchmarks/load.py``: at 200 phones, vote p95 302 -> 553 ms when the
watch went from 3 s to 1 s). This ``st.components.v2`` component instead polls
``GET /api/workshops/CODE/revision`` (:func:`conflicts.ui.server.revision_endpoint`, one shared
database read per half second per process) and sends a trigger, hence one rerun, only when the
revision differs from the one the page was drawn with. It pauses while the phone's screen is off
and asks at once when it comes back. The component's code is our own fixed string.
"""

from __future__ import annotations

import streamlit as st

from conflicts.ui.server import REVISION_ROUTE

POLL_MS = 1000
RETRIGGER_MS = 5000  # ask again if a triggered rerun did not arrive (a dropped connection)

_JS = """
const states = new WeakMap();
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let s = states.get(parentElement);
  if (!s) { s = { sent: null, sentAt: 0 }; states.set(parentElement, s); }
  if (s.seen !== data.seen) { s.sent = null; }
  s.seen = data.seen;
  s.url = data.url;
  const tick = async () => {
    if (document.visibilityState === "hidden") return;
    try {
      const r = await fetch(s.url, { cache: "no-store", credentials: "same-origin" });
      if (!r.ok) return;
      const body = await r.json();
      const now = Date.now();
      if (body.revision !== s.seen &&
          (body.revision !== s.sent || now - s.sentAt > data.retrigger)) {
        s.sent = body.revision;
        s.sentAt = now;
        setTriggerValue("changed", body.revision);
      }
    } catch (e) { /* poor Wi-Fi: the next tick tries again */ }
  };
  const onVisible = () => { if (document.visibilityState === "visible") tick(); };
  const timer = setInterval(tick, data.interval);
  document.addEventListener("visibilitychange", onVisible);
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisible);
  };
}
"""

_component = st.components.v2.component("mk_revision_watch", js=_JS)


def follow_revision(code: str, seen: int, *, key: str = "revision_watch") -> None:
    """Rerun this page when workshop ``code``'s revision is no longer ``seen``.

    ``seen`` is the revision the page was drawn from. The URL is relative to the page, so it
    works behind a reverse proxy that serves the app under a path prefix.
    """
    _component(
        key=key,
        data={
            "url": REVISION_ROUTE.replace("{code}", code).lstrip("/"),
            "seen": seen,
            "interval": POLL_MS,
            "retrigger": RETRIGGER_MS,
        },
        on_changed_change=lambda: None,  # the trigger's rerun is all that is needed
        height=0,
    )
