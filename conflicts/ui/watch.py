"""Follow other devices without rerunning the page on a timer.

The console used a ``st.fragment(run_every="2s")`` that called ``st.rerun()`` when the stored
revision moved. A rerun started by the server carries the widget values the server last saw, not
the browser's, and each timed fragment run is one more script run that can meet a key press. This
``st.components.v2`` component polls ``GET /api/workshops/CODE/revision`` from the browser (one
cached read per process) and sends a trigger, hence one rerun built by the browser with its own
widget values, only when the revision differs from the one the page was drawn with. It pauses
while the tab is hidden and asks at once when it comes back. The component's code is our own
fixed string (no user text).
"""

from __future__ import annotations

import streamlit as st

from conflicts.api import REVISION_ROUTE

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

    Examples
    --------
    >>> follow_revision(w.code, w.revision)  # doctest: +SKIP
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
