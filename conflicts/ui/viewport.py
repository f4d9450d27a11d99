"""The size of the browser window, for a page drawn to fill a screen (the projector).

Plotly draws text at a fixed pixel size while the plot grows and shrinks with the window, so a
map drawn for 1920x1080 is crowded at 1280x720: the same labels take half again as much of the
plot. A projector shows either on the same wall, so the projector scales its labels with the
window (24 px at 1920x1080 is 16 px at 1280x720, the same size in the room). This
``st.components.v2`` component sends the window's size (on load, and after a resize) as its
state; the page reads it as :func:`screen_scale`. Our own fixed code, no user text.
"""

from __future__ import annotations

import streamlit as st

#: The screen the projector is designed for.
DESIGN = (1920, 1080)

_JS = """
export default function (component) {
  const { setStateValue } = component;
  let last = "";
  const send = () => {
    const size = [window.innerWidth, window.innerHeight];
    if (!size[0] || !size[1] || String(size) === last) return;
    last = String(size);
    setStateValue("size", size);
  };
  send();
  let timer = null;
  const onResize = () => { clearTimeout(timer); timer = setTimeout(send, 300); };
  window.addEventListener("resize", onResize);
  return () => { clearTimeout(timer); window.removeEventListener("resize", onResize); };
}
"""

_component = st.components.v2.component("mk_viewport", js=_JS)


def scale_for(size, design: tuple[int, int] = DESIGN) -> float:
    """How much of ``design`` fits in a window of ``size`` (w, h): 1.0 when unknown, within
    0.5..2, in steps of 0.05 (a few pixels of resizing redraw nothing).

    Examples
    --------
    >>> scale_for([1920, 1080]), scale_for([1280, 720]), scale_for(None), scale_for([1024, 768])
    (1.0, 0.65, 1.0, 0.5)
    """
    try:
        w, h = (float(v) for v in size)
    except (TypeError, ValueError):
        return 1.0
    if w <= 0 or h <= 0:
        return 1.0
    s = min(w / design[0], h / design[1])
    return min(2.0, max(0.5, int(s * 20) / 20))


def screen_scale(key: str = "viewport") -> float:
    """The window's size relative to 1920x1080 (see :func:`scale_for`); 1.0 until the browser
    has sent it (one more run of the page on load)."""
    result = _component(key=key, default={"size": None}, on_size_change=lambda: None, height=0)
    size = getattr(result, "size", None)
    if size is None:
        state = st.session_state.get(key)
        size = state.get("size") if state is not None else None
    return scale_for(size)
