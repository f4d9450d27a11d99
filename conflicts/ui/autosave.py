"""A text field that saves while the facilitator types (notes must survive a reload).

Streamlit's own ``st.text_area`` sends its value only on blur or Ctrl+Enter, so notes typed just
before a reload, a crash or a closed laptop lid would be lost. This small ``st.components.v2``
component sends the text 700 ms after the last keystroke (and at once on blur or when the page
is hidden); the Python callback writes it to the database.

The text is put into the ``<textarea>`` with ``.value`` (never as HTML), and the component's
code is our own fixed string: no user text reaches ``html``/``js``.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

DEBOUNCE_MS = 700

_HTML = """<label class="mk-label"></label><textarea class="mk-text"></textarea>
<div class="mk-count" aria-live="polite"></div>"""

_CSS = """
:host { display: block; }
.mk-label { display: block; font-size: 0.875rem; margin-bottom: 0.25rem;
  color: var(--st-text-color, #111); font-family: var(--st-font, sans-serif); }
.mk-text { box-sizing: border-box; width: 100%; resize: vertical; padding: 0.5rem 0.75rem;
  font: inherit; font-family: var(--st-font, sans-serif); font-size: 1rem; line-height: 1.5;
  color: var(--st-text-color, #111); background: var(--st-secondary-background-color, #f0f2f6);
  border: 1px solid #8a8f98; border-radius: 0.5rem; }
.mk-text:focus { outline: 2px solid var(--st-primary-color, #005A8C); outline-offset: 1px; }
.mk-count { font-size: 0.75rem; color: #4a4f57; text-align: right; min-height: 1em; }
"""

# Re-run on every render with new data: keep the element, replace the text only while the user
# is not typing in it (a save must not move the cursor or undo keystrokes).
_JS = """
export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const area = parentElement.querySelector(".mk-text");
  const label = parentElement.querySelector(".mk-label");
  const count = parentElement.querySelector(".mk-count");
  const id = "mk-" + data.key;
  area.id = id;
  label.htmlFor = id;
  label.textContent = data.label;
  area.rows = data.rows;
  area.maxLength = data.max;
  area.placeholder = data.placeholder || "";
  area.setAttribute("data-testid", "mk-autosave-" + data.key);
  const showCount = () => { count.textContent = area.value.length + " / " + data.max; };
  if (area.dataset.sent === undefined || (document.activeElement !== area &&
      parentElement.activeElement !== area && area.dataset.sent === area.value)) {
    if (area.value !== data.value) area.value = data.value;
    area.dataset.sent = data.value;
  }
  showCount();
  const flush = () => {
    clearTimeout(area._mkTimer);
    if (area.value !== area.dataset.sent) {
      area.dataset.sent = area.value;
      setStateValue("text", area.value);
    }
  };
  area.oninput = () => {
    showCount();
    clearTimeout(area._mkTimer);
    area._mkTimer = setTimeout(flush, data.debounce);
  };
  area.onblur = flush;
  const onHide = () => { if (document.visibilityState === "hidden") flush(); };
  document.addEventListener("visibilitychange", onHide);
  window.addEventListener("pagehide", flush);
  return () => {
    document.removeEventListener("visibilitychange", onHide);
    window.removeEventListener("pagehide", flush);
  };
}
"""

_component = st.components.v2.component("mk_autosave_text", html=_HTML, css=_CSS, js=_JS)


def autosave_text(
    label: str,
    value: str | None,
    *,
    key: str,
    on_save: Callable[[str], None],
    max_chars: int,
    rows: int = 4,
    placeholder: str = "",
) -> None:
    """A labelled multi-line text field whose text ``on_save`` receives while the user types.

    ``value`` is the stored text (shown when the field is not being edited). ``on_save`` runs as
    the widget's callback, before the page reruns; it should write to the database and may
    raise nothing (report errors through session state).
    """

    def changed() -> None:
        state = st.session_state.get(key)
        text = state.get("text") if state is not None else None
        if isinstance(text, str):
            on_save(text)

    _component(
        key=key,
        data={
            "key": key,
            "label": label,
            "value": value or "",
            "max": max_chars,
            "rows": rows,
            "placeholder": placeholder,
            "debounce": DEBOUNCE_MS,
        },
        default={"text": value or ""},
        on_text_change=changed,
    )
