"""Texts of the network figure: escaping, wrapped labels, signed scores, the figure's own words,
and the parser of plotly selection events. Re-exported by :mod:`conflicts.figure`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping
from typing import Any

_WRAP = 18

_LABELS = {
    "sv": {
        "conflict": "Konflikt",
        "synergy": "Synergi",
        "consistent": "Förenlig",
        "conflicts": "Konflikter",
        "synergies": "Synergier",
        "influence": "Påverkan",
        "second": "via ett steg",
        "score": "Poäng",
        "interactions": "interaktioner",
        "mean": "medel",
    },
    "en": {
        "conflict": "Conflict",
        "synergy": "Synergy",
        "consistent": "Consistent",
        "conflicts": "Conflicts",
        "synergies": "Synergies",
        "influence": "Influence",
        "second": "second order",
        "score": "Score",
        "interactions": "interactions",
        "mean": "mean",
    },
}


def _label(key: str, lang: str) -> str:
    return _LABELS.get(lang, _LABELS["en"])[key]


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so plotly shows user text literally.

    Examples
    --------
    >>> escape("<script>alert('x')</script> & more")
    "&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"
    """
    return html.escape(text, quote=False)


def wrap_label(text: str, width: int = _WRAP, max_lines: int = 3) -> str:
    """Escape ``text`` and wrap it with ``<br>`` about every ``width`` characters.

    Wrapping happens before escaping, so an entity such as ``&amp;`` is never split. Text beyond
    ``max_lines`` lines is cut with an ellipsis.

    Examples
    --------
    >>> wrap_label("Sustainable cities & communities")
    'Sustainable cities<br>&amp; communities'
    >>> wrap_label("one two three four five six", width=8, max_lines=2)
    'one two<br>three…'
    """
    lines = textwrap.wrap(text, width=width, break_long_words=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return "<br>".join(escape(line) for line in lines)


def format_score(score: float, lang: str = "sv") -> str:
    """A signed score with a true minus sign; a mean gets one decimal (comma in Swedish).

    Examples
    --------
    >>> format_score(-2), format_score(0), format_score(1.5, "en"), format_score(-1 / 3, "sv")
    ('−2', '0', '+1.5', '−0,3')
    """
    if score == int(score):
        text = f"{int(score):+d}" if score else "0"
    else:
        text = f"{score:+.1f}"
        if lang == "sv":
            text = text.replace(".", ",")
    return text.replace("-", "−")


def selection_from_event(event: Any) -> tuple[str, str] | None:
    """The ``('node', id)``, ``('edge', id)`` or ``('cell', id)`` a selection event points at.

    None when the event points at nothing of ours. ``'cell'`` is an aggregated matrix cell
    (:func:`conflicts.matrix.cell_id`).

    Accepts Streamlit's ``st.plotly_chart(..., on_select="rerun")`` return value (attribute or
    dict access), its ``selection``, or a list of points. The first point with our ``customdata``
    wins.

    Examples
    --------
    >>> selection_from_event({"selection": {"points": [{"customdata": ["edge", "i3"]}]}})
    ('edge', 'i3')
    >>> selection_from_event({"selection": {"points": []}}) is None
    True
    """

    def get(obj: Any, key: str) -> Any:
        if obj is None:
            return None
        if isinstance(obj, Mapping):
            return obj.get(key)
        return getattr(obj, key, None)

    points = event
    if not isinstance(event, list | tuple):
        selection = get(event, "selection")
        points = get(selection if selection is not None else event, "points")
    for point in points or ():
        data = get(point, "customdata")
        if (
            isinstance(data, list | tuple)
            and len(data) >= 2
            and data[0] in ("node", "edge", "cell")
            and isinstance(data[1], str)
        ):
            return (data[0], data[1])
    return None


# ------------------------------------------------------------------------------------------------
# The figure
# ------------------------------------------------------------------------------------------------
