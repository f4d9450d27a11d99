"""Escaping user text for Markdown: the one rule for the exported minutes and the app's pages.

User and catalogue text is shown inside our own Markdown (the Markdown summary, Streamlit's
``st.markdown``); it must read literally, never as emphasis, a link, a list, a heading or inline
HTML. The pages and the exports differ only in what a line break becomes (see :func:`md_escape`).
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["md_escape"]

# Inline Markdown (emphasis, code, links, tables, strike-through, headings) and inline HTML
# (tags, entities): escaped wherever they stand.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")
# Punctuation that only matters at the start of a line (lists, quotes, setext underlines, "1."):
# escaped there only, so the minutes stay readable as plain text.
_MD_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)])|)([-+=>.)])", re.MULTILINE)


def md_escape(text: str, *, line_breaks: Literal["space", "keep"] = "space") -> str:
    """Escape Markdown (and inline HTML) so ``text`` is shown literally.

    Parameters
    ----------
    text : str
        User or catalogue text (anything; ``str()`` is applied).
    line_breaks : {"space", "keep"}
        ``"space"`` (table cells, list items, headings of the exported minutes) turns line breaks
        into spaces; ``"keep"`` (a paragraph on a page) keeps them and escapes the start of every
        line.

    Examples
    --------
    >>> print(md_escape("*bold* | <b>x</b> & co.\\nnext"))
    \\*bold\\* \\| \\<b\\>x\\</b\\> \\& co. next
    >>> print(md_escape("- not a list"), md_escape("1. not a list either"))
    \\- not a list 1\\. not a list either
    >>> print(md_escape("one\\n- two\\n===", line_breaks="keep"))
    one
    \\- two
    \\===
    """
    if line_breaks == "space":
        text = " ".join(str(text).replace("\r", "").split("\n"))
        return _MD_LINE_START.sub(r"\1\2\\\3", _MD_SPECIAL.sub(r"\\\1", text), count=1)
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _MD_LINE_START.sub(r"\1\2\\\3", _MD_SPECIAL.sub(r"\\\1", text))
