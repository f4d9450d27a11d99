"""The ICSU context of an interaction as labelled rows, for the detail panel and the report.

Pure (no streamlit): the report and the results page can show the same rows.
"""

from __future__ import annotations

from conflicts.catalogue import Catalogue, Interaction
from conflicts.i18n import t

__all__ = ["context_rows"]


def context_rows(cat: Catalogue, interaction: Interaction, lang: str) -> list[tuple[str, str]]:
    """``(label, value)`` for each context field the interaction has, in a fixed order.

    Parameters
    ----------
    cat : Catalogue
        The catalogue the interaction belongs to (for its language fallbacks).
    interaction : Interaction
    lang : str
        ``"sv"`` or ``"en"``.

    Returns
    -------
    list of (str, str)
        Empty when the interaction has no context. Values are plain text, not Markdown.

    Examples
    --------
    >>> from conflicts.catalogue import bundled_catalogues, load_catalogue
    >>> cat = load_catalogue(bundled_catalogues()["stockholm"])
    >>> rows = context_rows(cat, cat.interactions_by_id["road-vs-induced"], "en")
    >>> rows[0], rows[-1]
    (('Time horizon', 'Long term (decades)'), ('Confidence', 'Low'))
    """
    ctx = interaction.context
    if ctx is None:
        return []
    rows: list[tuple[str, str]] = []
    if ctx.time_horizon is not None:
        rows.append((t("context.time_horizon", lang), t(f"horizon.{ctx.time_horizon}", lang)))
    if ctx.geography is not None:
        rows.append((t("context.geography", lang), cat.text(ctx.geography, lang)))
    if ctx.governance is not None:
        rows.append((t("context.governance", lang), cat.text(ctx.governance, lang)))
    if ctx.confidence is not None:
        rows.append((t("context.confidence", lang), t(f"confidence.{ctx.confidence}", lang)))
    return rows
