"""Widgets that show a stored value and are redrawn under a new key when it changes.

A select box that shows the current step (or an item's outcome) must follow changes made on
another device, yet the script must never write its state: a browser message sent before the
redraw arrived would carry the old value and its ``on_change`` would move the room back. So
the key carries the stored version (``step_jump_<item>_<revision>``) and each change draws a
new widget.

That leaves one trap (issue 10, item 16). Streamlit forgets a widget's state once a run no
longer draws it, but keeps its callback; a browser that has not yet received the redraw still
holds the old widget and sends its value with its next rerun (a key press, the revision
watcher, the timer fragment). Streamlit sees a value it no longer knows, calls it a change and
runs the old callback, which then either raised ``KeyError`` (its key is gone), and so lost the
key press that came in the same message, or acted on a step the room had left. Each family of
such widgets therefore records the key it drew last, and a callback of any other key of the
family is ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from conflicts.ui.state import LIVE_KEYS


def versioned_key(family: str, *version: object) -> str:
    """The key of the widget of ``family`` drawn for ``version``, recorded as the live one.

    Examples
    --------
    >>> key = versioned_key("step_jump", w.current_item_id, w.revision)  # doctest: +SKIP
    >>> st.selectbox(..., key=key, on_change=on_live_change, args=(key, _jump))  # doctest: +SKIP
    """
    key = "_".join([family, *(str(v) for v in version)])
    st.session_state.setdefault(LIVE_KEYS, {})[family] = key
    return key


def is_live(key: str) -> bool:
    """True if ``key`` is the key its family was drawn with last."""
    return key in st.session_state.get(LIVE_KEYS, {}).values()


def on_live_change(key: str, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """An ``on_change`` that runs ``callback(*args, **kwargs)`` only for the live widget: a
    change reported for a widget of an older version is a stale message (see above)."""
    if is_live(key):
        callback(*args, **kwargs)
