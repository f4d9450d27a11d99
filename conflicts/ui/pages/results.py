"""The results page (``/results?code=CODE``), behind the workshop's facilitator key.

The room's ranking with distribution, consensus, dispersion and participation per conflict; the
room's -3..+3 score beside the catalogue's; who was represented; outcomes, owners and next steps;
accepted proposals; the network by the room's priority; every export as a download (generated on
click); and a comparison with another workshop on the same catalogue.

Every user or catalogue text is shown as text (table cells) or through ``md_escape``; never as
HTML.
"""

from __future__ import annotations

import math
from functools import partial

import streamlit as st

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.reports import export
from conflicts.reports import results as res
from conflicts.reports.report import (
    composition_lists,
    missing_text,
    priority_figure,
    proposal_counts_text,
)
from conflicts.services import Services
from conflicts.store import DatabaseUnavailable
from conflicts.ui.common import language
from conflicts.ui.console.signin import post_pending, signed_in
from conflicts.ui.live import (
    code_entry,
    code_from_url,
    error_text,
    granted,
    load_workshop,
    try_unlock,
)
from conflicts.ui.matrix_room import results_matrices
from conflicts.ui.state import COMPARE, GRANTS
from conflicts.ui.widgets import md_escape

MIME = {
    "html": "text/html",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "yaml": "application/yaml",
}


def _n(value: float | int | None) -> float:
    """A number for a table cell: NaN (an empty cell) instead of None (shown as 'None')."""
    return math.nan if value is None else float(value)


def _outcome(row: res.ResultRow, lang: str) -> str:
    if row.outcome is None or not row.outcome.outcome:
        return ""
    return t(f"outcome.{row.outcome.outcome}", lang)


def _ranking(r: res.WorkshopResults, lang: str) -> None:
    st.subheader(t("res.ranking", lang), anchor=False)
    if not r.rows:
        st.info(t("res.no_items", lang))
        return
    lo, hi = r.scale
    by_total = r.method in ("dots", "ranking")
    table = []
    for row in r.rows:
        if r.method in ("rating", "score"):
            dist = [row.distribution.get(v, 0) for v in range(lo, hi + 1)]
        else:
            dist = [n for _, n in sorted(row.distribution.items())]
        table.append(
            {
                "rank": _n(row.rank),
                "conflict": row.title,
                "between": f"{row.from_title} → {row.to_title}",
                "distribution": dist,
                "value": _n(row.total if by_total else row.mean),
                **(
                    {
                        "points_pp": _n(row.points_per_participant),
                        "share_any": _n(
                            None if row.share_gave_any is None else round(100 * row.share_gave_any)
                        ),
                    }
                    if by_total
                    else {"few": "⚠" if row.few_ballots else ""}
                ),
                "consensus": _n(row.consensus),
                "dispersion": _n(row.dispersion),
                "participation": (
                    _n(None if row.participation is None else round(100 * row.participation))
                ),
                "ballots": row.ballots,
                "skips": row.skips,
                "room_score": _n(row.room_score),
                "catalogue_score": _n(row.catalogue_score),
                "missing": missing_text(row, lang),
                "outcome": _outcome(row, lang),
            }
        )
    cc = st.column_config
    st.dataframe(
        table,
        hide_index=True,
        key="results_table",
        column_config={
            "rank": cc.NumberColumn(t("res.col_rank", lang), format="%d"),
            "conflict": cc.TextColumn(t("res.col_conflict", lang)),
            "between": cc.TextColumn(t("res.col_between", lang)),
            "distribution": cc.BarChartColumn(t("res.col_distribution", lang), y_min=0),
            "value": cc.NumberColumn(
                t("res.col_total" if by_total else "res.col_mean", lang), format="%.2f"
            ),
            "points_pp": cc.NumberColumn(t("res.col_points_pp", lang), format="%.2f"),
            "share_any": cc.ProgressColumn(
                t("res.col_share_any", lang), min_value=0, max_value=100, format="%d %%"
            ),
            "few": cc.TextColumn(t("res.col_few", lang)),
            "consensus": cc.NumberColumn(t("res.col_consensus", lang), format="%.2f"),
            "dispersion": cc.NumberColumn(t("res.col_dispersion", lang), format="%.2f"),
            "participation": cc.ProgressColumn(
                t("res.col_participation", lang), min_value=0, max_value=100, format="%d %%"
            ),
            "ballots": cc.NumberColumn(t("res.col_ballots", lang)),
            "skips": cc.NumberColumn(t("res.col_skips", lang)),
            "room_score": cc.NumberColumn(t("res.col_room_score", lang), format="%+.1f"),
            "catalogue_score": cc.NumberColumn(t("res.col_catalogue_score", lang), format="%+d"),
            "missing": cc.TextColumn(t("res.col_missing", lang)),
            "outcome": cc.TextColumn(t("res.col_outcome", lang)),
        },
    )


def _outcomes(r: res.WorkshopResults, lang: str) -> None:
    st.subheader(t("res.outcomes", lang), anchor=False)
    if not r.outcomes:
        st.caption(t("res.no_outcomes", lang))
        return
    for row in r.outcomes:
        o = row.outcome
        with st.container(border=True):
            rank = f"{row.rank}\\. " if row.rank is not None else ""
            st.markdown(f"**{rank}{md_escape(row.title)}**")
            lines = [
                (t("res.col_outcome", lang), _outcome(row, lang)),
                (t("res.owner", lang), o.owner),
                (t("res.next_step", lang), o.next_step),
                (t("res.due", lang), o.due_date.isoformat() if o.due_date else None),
            ]
            text = "  \n".join(
                f"**{md_escape(k)}:** {md_escape(v.replace(chr(10), ' '))}" for k, v in lines if v
            )
            if text:
                st.markdown(text)
            if o.summary:
                st.text(o.summary)


def _proposals(r: res.WorkshopResults, lang: str) -> None:
    st.subheader(t("res.proposals", lang), anchor=False)
    if not r.proposals:
        st.caption(t("res.no_proposals", lang))
    for p in r.proposals:
        row = r.row(p.get("interaction_id") or "")
        ends = f" ({md_escape(row.from_title)} → {md_escape(row.to_title)})" if row else ""
        st.markdown(f"- **{md_escape(p.get('title') or '')}**{ends}")
        if p.get("text"):
            st.text(p["text"])
    if r.proposal_counts:
        st.caption(proposal_counts_text(r, lang))


def _representation(r: res.WorkshopResults, lang: str) -> None:
    st.subheader(t("res.representation", lang), anchor=False)
    comp = r.composition
    if comp is None or not comp.total:
        st.caption(t("res.nobody", lang))
        return
    # The same breakdown as the reports: small groups are "fewer than 5", never a number.
    for column, (heading, pairs), key in zip(
        st.columns(2), composition_lists(r, lang), ("results_types", "results_levels"), strict=True
    ):
        with column:
            st.markdown(f"**{md_escape(heading)}**")
            st.dataframe([{"": k, "n": v} for k, v in pairs], hide_index=True, key=key)


def _downloads(grant: ws.FacilitatorGrant, lang: str, *, services: Services) -> None:
    code = grant.code
    st.subheader(t("res.downloads", lang), anchor=False)
    st.caption(t("res.download_help", lang))
    with st.container(horizontal=True):
        for name in export.EXPORT_FORMATS:
            try:
                label = t(f"res.download_{name}", lang)
            except KeyError:
                label = name.upper()
            st.download_button(
                label,
                data=partial(export.export_workshop, grant, name, lang=lang, store=services.store),
                file_name=f"workshop-{code}.{name}",
                mime=MIME.get(name, "text/plain"),
                on_click="ignore",
                key=f"download_{name}",
                icon=":material/download:",
            )


def _compare_form(code: str, lang: str, *, services: Services) -> None:
    with st.expander(t("res.compare", lang), expanded=code in st.session_state.get(COMPARE, {})):
        st.caption(t("res.compare_help", lang))
        with st.form("compare_form"):
            other = st.text_input(t("res.compare_code", lang), max_chars=12, key="compare_code")
            key = st.text_input(t("res.compare_key", lang), type="password", key="compare_key")
            submitted = st.form_submit_button(
                t("res.compare_submit", lang), type="primary", key="compare_submit"
            )
        if not submitted:
            return
        other = ws.normalise_code(other or "")
        if not other or other == code:
            st.warning(t("res.compare_same", lang))
            return
        if other not in st.session_state.get(GRANTS, {}) and not try_unlock(
            other, key or "", lang, services=services
        ):
            return
        st.session_state.setdefault(COMPARE, {})[code] = other


def _comparison(code: str, this: res.WorkshopResults, lang: str, *, services: Services) -> None:
    other_code = st.session_state.get(COMPARE, {}).get(code)
    if not other_code or other_code not in st.session_state.get(GRANTS, {}):
        return
    try:
        other = res.load_results(granted(other_code), lang=lang, store=services.store)
        a, b = sorted((other, this), key=lambda r: (r.created_at is None, r.created_at))
        c = res.compare(a, b)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.error(error_text(exc, lang))
        return
    st.subheader(
        t("res.compare_heading", lang, a=md_escape(a.title), b=md_escape(b.title)), anchor=False
    )
    st.caption(f"{a.code} → {b.code}")
    if not c.same_version:
        st.warning(t("res.other_version", lang))
    if not c.same_method:
        st.warning(t("res.other_method", lang))
    if any(not row.consensus_comparable for row in c.rows):
        st.caption(t("res.consensus_not_comparable", lang))

    def names(rows) -> str:
        return ", ".join(md_escape(r.title) for r in rows)

    if c.moved_up:
        st.markdown(t("res.moved_up", lang, items=names(c.moved_up)))
    if c.moved_down:
        st.markdown(t("res.moved_down", lang, items=names(c.moved_down)))
    if not c.moved_up and not c.moved_down:
        st.caption(t("res.nothing_moved", lang))
    if c.changed_view:
        st.markdown(t("res.changed_view", lang, items=names(c.changed_view)))
    for side, rows in ((a, c.only_in_a), (b, c.only_in_b)):
        if rows:
            st.caption(t("res.only_in", lang, code=side.code, items=names(rows)))
    st.dataframe(
        [
            {
                "conflict": r.title,
                "rank_a": _n(r.rank_a),
                "rank_b": _n(r.rank_b),
                "moved": _n(r.rank_change),
                "mean_a": _n(r.mean_a),
                "mean_b": _n(r.mean_b),
                "mean_change": _n(r.mean_change),
                "consensus_change": _n(r.consensus_change),
                "view_changed": r.view_changed,
            }
            for r in c.rows
        ],
        hide_index=True,
        key="compare_table",
        column_config={
            "conflict": st.column_config.TextColumn(t("res.col_conflict", lang)),
            "rank_a": st.column_config.NumberColumn(t("res.col_rank_in", lang, code=a.code)),
            "rank_b": st.column_config.NumberColumn(t("res.col_rank_in", lang, code=b.code)),
            "moved": st.column_config.NumberColumn(t("res.col_rank_change", lang), format="%+d"),
            "mean_a": st.column_config.NumberColumn(
                t("res.col_mean_in", lang, code=a.code), format="%.2f"
            ),
            "mean_b": st.column_config.NumberColumn(
                t("res.col_mean_in", lang, code=b.code), format="%.2f"
            ),
            "mean_change": st.column_config.NumberColumn(
                t("res.col_mean_change", lang), format="%+.2f"
            ),
            "consensus_change": st.column_config.NumberColumn(
                t("res.col_consensus_change", lang), format="%+.2f"
            ),
            "view_changed": st.column_config.CheckboxColumn(t("res.col_view_changed", lang)),
        },
    )


def render(services: Services) -> None:
    lang = language()
    code = code_from_url()
    if not code:
        st.title(t("nav.results", lang), anchor=False)
        code_entry(lang, "results_code_form")
        return
    w = load_workshop(code, lang, services=services)
    if w is None:
        return
    grant = signed_in(code, lang, services=services)  # the console's cookie counts here too
    post_pending()
    if grant is None:
        # Not even the title before the key: it can name the organisation or the topic.
        st.title(t("nav.results", lang), anchor=False)
        return
    st.title(t("res.title", lang, title=md_escape(w.title)), anchor=False)
    try:
        r = res.load_results(grant, lang=lang, store=services.store)
    except (ws.WorkshopError, DatabaseUnavailable) as exc:
        st.error(error_text(exc, lang))
        return
    cat = w.catalogue()
    status = t(f"ws.status_{r.status}", lang)
    st.caption(
        " · ".join(
            [
                f"{t('res.catalogue', lang)}: {md_escape(r.catalogue_title)}",
                f"{t('res.code', lang)}: {r.code}",
                f"{t('res.date', lang)}: {r.created_at.date().isoformat() if r.created_at else '–'}",
                f"{t('res.status', lang)}: {status}",
                f"{t('res.method', lang)}: {t(f'fac.method_{r.method}', lang)}",
                f"{t('res.participants', lang)}: {r.participants}",
            ]
        )
    )
    st.subheader(t("res.graph", lang), anchor=False)
    st.caption(t("res.graph_help", lang))
    st.plotly_chart(
        priority_figure(r, cat, lang=lang, height=560),
        key="results_graph",
        config={"displaylogo": False},
    )
    _ranking(r, lang)
    st.caption(res.value_help(r, lang))
    if r.method == "score":
        st.caption(t("res.method_score", lang))
    st.caption(t("res.method_measures", lang))
    _outcomes(r, lang)
    _proposals(r, lang)
    _representation(r, lang)
    results_matrices(grant, r, cat, lang, services=services)
    _downloads(grant, lang, services=services)
    _compare_form(code, lang, services=services)
    _comparison(code, r, lang, services=services)
    st.caption(t("res.method_anonymity", lang))
