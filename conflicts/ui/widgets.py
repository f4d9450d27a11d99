"""UI pieces shared by several pages: the clickable graph and the detail panels.

Catalogue text is written by facilitators; it is shown through Markdown with HTML disabled
(Streamlit's default), never with ``unsafe_allow_html``.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from conflicts import escape
from conflicts.catalogue import Interaction
from conflicts.context import context_rows
from conflicts.figure import format_score, selection_from_event
from conflicts.i18n import scale_name, t
from conflicts.matrix import cross_impact_matrix, parse_cell_id
from conflicts.ui.common import Model

Selection = tuple[str, str] | None  # ("node" | "edge", id)


def whole(value: object, lo: int, hi: int, default: int) -> int:
    """A widget's number as a whole number in ``lo..hi``; ``default`` for anything else.

    The browser sends widget values, and a crafted websocket message can send NaN, infinity,
    a number out of range or no number at all: ``int(nan)`` would raise on the sender's page.

    >>> whole(5.0, 1, 10, 3), whole(float("nan"), 1, 10, 3), whole(float("inf"), 1, 10, 3)
    (5, 3, 3)
    >>> whole(99, 1, 10, 3), whole("x", 1, 10, 3), whole(None, 1, 10, 3)
    (3, 3, 3)
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    if value != value or value in (float("inf"), float("-inf")) or not lo <= value <= hi:
        return default
    return int(value)


def relabel(key: str, lang: str | None = None) -> None:
    """Call before drawing the select box (or multiselect) ``key``: the browser then shows its
    choice with this run's ``format_func`` (after a language switch, "(the whole network)"
    rather than the "(hela nätverket)" it kept). A select box keeps its identity when only its
    option texts change, and the browser keeps the text of the choice it shows unless the value
    is set. With ``lang``, only when the language changed since the box was last drawn: a box in
    a form keeps a choice not yet submitted through other reruns (live updates)."""
    if lang is not None:
        seen = f"_relabel_lang_{key}"
        changed = st.session_state.get(seen, lang) != lang
        st.session_state[seen] = lang
        if not changed:
            return
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (our own translations; no user text)."""
    return (
        '"'
        + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
        + '"'
    )


def uploader_texts(key: str, lang: str, *, mb: int, types: str) -> None:
    """Streamlit 1.67's file uploader has no parameters for its own texts ("Upload", "5MB per
    file", "Drag and drop a file here"): for the uploader ``key`` they are hidden and drawn in
    ``lang`` with CSS generated content, which is also the button's accessible name. The
    button, the dialog and the drop zone are Streamlit's, unchanged."""
    zone = f'.st-key-{key} [data-testid="stFileUploaderDropzone"]'
    button = f"{zone} button"
    hint = f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] > div'
    st.html(
        f"""<style>
{button} [data-testid="stMarkdownContainer"] {{ display: none; }}
{button} [data-has-shortcut]::after {{ content: {_css_string(t("widget.upload", lang))}; }}
{hint} > span {{ display: none; }}
{hint}::after {{ content: {_css_string(t("widget.upload_limit", lang, mb=mb, types=types))};
  font-size: 0.875rem; color: inherit; }}
{zone} > div:not([data-testid]) > span {{ font-size: 0; }}
{zone} > div:not([data-testid]) > span::after {{
  content: {_css_string(t("widget.upload_drop", lang))}; font-size: 0.875rem; }}
</style>"""
    )
    # Names a screen reader hears, which CSS cannot change: the hidden file input, the remove
    # button of a chosen file ("Remove <name>") and the "add files" button. Our own texts as
    # JSON, set as attributes (never as HTML); the observer follows Streamlit's redraws.
    texts = {
        "input": t("widget.upload_input", lang),
        "remove": t("widget.upload_remove", lang),
        "add": t("widget.upload_add", lang),
    }
    st.html(
        _UPLOADER_JS.replace("__KEY__", json.dumps(f"st-key-{key}")).replace(
            "__TEXTS__", json.dumps(texts)
        ),
        unsafe_allow_javascript=True,
    )


_UPLOADER_JS = """
<script>
(() => {
  const all = window.__mkUploaderTexts = window.__mkUploaderTexts || {};
  all[__KEY__] = __TEXTS__;
  const apply = () => {
    for (const [cls, tx] of Object.entries(all)) {
      for (const root of document.getElementsByClassName(cls)) {
        const set = (el, v) => { if (el.getAttribute('aria-label') !== v) el.setAttribute('aria-label', v); };
        root.querySelectorAll('input[type=file]').forEach(el => set(el, tx.input));
        root.querySelectorAll('[data-testid=stFileChip]').forEach(chip => {
          // The chip is named "name, size".
          const a = chip.getAttribute('aria-label') || '', i = a.lastIndexOf(', ');
          const name = i >= 0 ? a.slice(0, i) : a;
          const btn = chip.parentElement && chip.parentElement.querySelector('button');
          if (btn) set(btn, tx.remove + ' ' + name);
        });
        root.querySelectorAll('[data-testid=stBaseButton-borderlessIcon]').forEach(el => set(el, tx.add));
      }
    }
  };
  apply();
  if (!window.__mkUploaderObserver) {
    window.__mkUploaderObserver = new MutationObserver(apply);
    window.__mkUploaderObserver.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label']});
  }
})();
</script>
"""


def md_escape(text: str) -> str:
    r"""Escape Markdown so user text is shown literally inside a page's Markdown; line breaks are
    kept (the one rule: :func:`conflicts.escape.md_escape`).

    >>> print(md_escape("- a\n*b*"))
    \- a
    \*b\*
    """
    return escape.md_escape(text, line_breaks="keep")


# On a touch screen plotly's first tap only hovers: a click needs the hover data that a mouse
# pointer computes on its way to the point, and a finger has no way. This feeds plotly that
# mousemove at the touch point just before it sees the touch, so the first tap selects.
# Installed once per page (the flag), our own constant code (no user text).
_FIRST_TAP_JS = """
<script>
if (!window.__mkFirstTap) {
  window.__mkFirstTap = true;
  document.addEventListener('touchstart', (ev) => {
    const target = ev.target;
    if (!(target instanceof Element) || !target.closest('.js-plotly-plot')) return;
    const touch = ev.touches[0];
    target.dispatchEvent(new MouseEvent('mousemove', {
      bubbles: true, clientX: touch.clientX, clientY: touch.clientY, view: window,
    }));
  }, {capture: true, passive: true});
}
</script>
"""


def graph_with_selection(fig: go.Figure, *, key: str, state_key: str, height: int = 640) -> None:
    """Draw ``fig``; a click on a node or an edge midpoint is stored in ``state_key``.

    The click is handled in a callback, so it is known before the page draws the detail panel
    and the highlighted figure in the same run.
    """

    def on_select() -> None:
        st.session_state[state_key] = selection_from_event(st.session_state.get(key))

    st.html(_FIRST_TAP_JS, unsafe_allow_javascript=True)
    st.plotly_chart(
        fig,
        key=key,
        on_select=on_select,
        selection_mode="points",
        height=height,
        config={"displaylogo": False, "scrollZoom": True},
    )


def sign_label(score: int, lang: str) -> str:
    if score < 0:
        return t("detail.conflict", lang)
    if score > 0:
        return t("detail.synergy", lang)
    return t("detail.neutral", lang)


def score_badge(score: int, lang: str) -> str:
    """A Markdown badge: colour plus a sign word and icon, never colour alone."""
    colour = "orange" if score < 0 else ("blue" if score > 0 else "gray")
    icon = ":material/bolt:" if score < 0 else (":material/handshake:" if score > 0 else "")
    label = t("detail.score", lang, score=score, name=scale_name(score, lang))
    return f":{colour}-badge[{icon} {sign_label(score, lang)}] :{colour}-badge[{label}]"


def interaction_panel(model: Model, interaction: Interaction, lang: str) -> None:
    """Everything a facilitator needs about one interaction."""
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731
    st.subheader(text(interaction.title), anchor=False)
    st.markdown(score_badge(interaction.score, lang))
    a = text(cat.nodes[interaction.from_].title)
    b = text(cat.nodes[interaction.to].title)
    key = (
        "detail.direction_mutual"
        if interaction.direction == "mutual"
        else "detail.direction_directed"
    )
    st.caption(t(key, lang, a=a, b=b))
    if interaction.illustrative:
        st.caption(":material/info: " + t("detail.illustrative", lang))
    if interaction.description:
        st.markdown(text(interaction.description))

    if interaction.questions:
        st.markdown(f"**{t('detail.questions', lang)}**")
        st.markdown(
            "\n".join(f"{n}. {md_escape(text(q))}" for n, q in enumerate(interaction.questions, 1))
        )

    cols = st.columns(2)
    with cols[0]:
        st.markdown(f"**{t('detail.actors', lang)}**")
        actors = [cat.actors_by_id[a] for a in interaction.actors if a in cat.actors_by_id]
        if actors:
            st.markdown(
                "\n".join(
                    f"- {md_escape(text(x.name))} · {t('actor_type.' + x.type.value, lang)}"
                    for x in actors
                )
            )
        else:
            st.caption(t("detail.none", lang))
    with cols[1]:
        st.markdown(f"**{t('detail.levels', lang)}**")
        if interaction.levels:
            st.markdown(
                " ".join(
                    f":violet-badge[{t('level.' + lv.value, lang)}]" for lv in interaction.levels
                )
            )
        else:
            st.caption(t("detail.none", lang))

    context = context_rows(cat, interaction, lang)
    if context:
        st.markdown(f"**{t('context.title', lang)}**")
        st.markdown("\n".join(f"- {label}: {md_escape(value)}" for label, value in context))

    if interaction.evidence:
        st.markdown(f"**{t('detail.evidence', lang)}**")
        lines = []
        for ev in interaction.evidence:
            line = f"- {md_escape(text(ev.text))}"
            if ev.url:
                label = md_escape(ev.source or ev.url)
                line += f" — [{label}](<{ev.url}>)"
            elif ev.source:
                line += f" — {md_escape(ev.source)}"
            lines.append(line)
        st.markdown("\n".join(lines))
    if interaction.tags:
        st.caption(
            t("detail.tags", lang) + ": " + ", ".join(md_escape(x) for x in interaction.tags)
        )


def _pick_buttons(model: Model, interaction_ids, key: str, lang: str) -> Selection:
    """One button per interaction (score and title); the one pressed, as a selection."""
    cat = model.catalogue
    picked: Selection = None
    for ident in interaction_ids:
        x = cat.interactions_by_id[ident]
        label = f"{format_score(x.score)} · {cat.text(x.title, lang)}"
        if st.button(label, key=f"pick-{key}-{ident}", type="tertiary"):
            picked = ("edge", ident)
    return picked


def cell_panel(model: Model, ident: str, lang: str) -> Selection:
    """A matrix cell (or goal-to-goal line) of several interactions: list them to pick one."""
    cat = model.catalogue
    level, row, col = parse_cell_id(ident)
    cell = cross_impact_matrix(cat, level, nodes=[row, col], sort="catalogue").cell(row, col)
    title = lambda n: cat.text(cat.nodes[n].title, lang)  # noqa: E731
    st.subheader(f"{title(row)} → {title(col)}", anchor=False)
    if cell is None:
        st.caption(t("detail.none", lang))
        return None
    st.markdown(t("explore.cell_summary", lang, n=cell.count, mean=format_score(cell.score, lang)))
    return _pick_buttons(model, cell.interactions, ident, lang)


def node_panel(model: Model, node_id: str, lang: str) -> Selection:
    """Details and metrics of a goal or sub-goal; returns an interaction the user picked."""
    cat = model.catalogue
    text = lambda value: cat.text(value, lang)  # noqa: E731
    node = cat.nodes[node_id]
    goal = cat.goals_by_id[cat.goal_of[node_id]]
    st.subheader(text(node.title), anchor=False)
    if node_id != goal.id:
        st.caption(t("detail.subgoal_of", lang, goal=text(goal.title)))
    if getattr(node, "paraphrase", False):
        st.caption(":material/info: " + t("detail.paraphrase", lang))
    if node.description:
        st.markdown(text(node.description))
    for field in ("target", "indicator"):
        value = getattr(node, field, None)
        if value:
            st.markdown(f"**{t('detail.' + field, lang)}:** {md_escape(text(value))}")

    m = model.metrics[node_id]
    st.markdown(f"**{t('detail.metrics', lang)}**")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        t("detail.m_conflicts", lang),
        m.conflicts,
        help=t("detail.m_conflict_strength", lang) + f": {m.conflict_strength}",
    )
    c2.metric(
        t("detail.m_synergies", lang),
        m.synergies,
        help=t("detail.m_synergy_strength", lang) + f": {m.synergy_strength}",
    )
    c3.metric(
        t("detail.m_influence", lang), f"{m.influence:+g}", help=t("detail.m_influence_help", lang)
    )
    c4.metric(
        t("detail.m_influenced_by", lang),
        f"{m.influenced_by:+g}",
        help=t("detail.m_influenced_by_help", lang),
    )
    c5, c6 = st.columns(2)
    c5.metric(
        t("detail.m_two_step", lang),
        f"{m.two_step_influence:+g}",
        help=t("detail.m_two_step_help", lang),
    )
    c6.metric(
        t("detail.m_second_order", lang),
        f"{m.second_order_influence:+.1f}",
        help=t("detail.m_second_order_help", lang),
    )
    st.caption(t("detail.m_second_order_note", lang))

    st.markdown(f"**{t('detail.interactions', lang)}**")
    involved = [i.id for i in cat.interactions if node_id in (i.from_, i.to)]
    if not involved:
        st.caption(t("detail.none", lang))
    return _pick_buttons(model, involved, node_id, lang)
