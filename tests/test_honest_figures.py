"""Issue 12, items 8-10, in the results: points per participant and the share who gave any
(ranking, dots), the few-ballots flag beside means (rating, score), and consensus compared only
between the same method and scale. On the results, the HTML report, the Markdown summary and
the results page (AppTest). Hand-checked numbers."""

from __future__ import annotations

import pytest

from conflicts import workshops as ws
from conflicts.reports import results as res
from conflicts.reports.export import export_workshop
from tests.apptest import page
from tests.helpers import env_store, grant_for


def _ranking_room(store):
    """Ranking (N=3), 10 participants; one gives the first item its first place (3 points)."""
    created = ws.create_workshop("stockholm", store=store)
    code, g = created.workshop.code, created.grant
    ws.set_voting_method(g, "ranking", ranking_size=3, store=store)
    ws.open_workshop(g, store=store)
    first = created.workshop.items[0].id
    ws.open_voting(g, first, store=store)
    for k in range(10):
        ws.join(code, f"v{k}", store=store)
    ws.cast_ranking(code, "v0", [first], store=store)
    ws.close_voting(g, first, store=store)
    return code, g, first


def test_ranking_reports_points_per_participant_and_share(store):
    _, g, first = _ranking_room(store)
    r = res.load_results(g, lang="en", store=store)
    row = next(x for x in r.rows if x.item_id == first)
    # the old view: mean 3.0 and consensus 1.0 from the one who gave points
    assert row.mean == 3.0 and row.consensus == 1.0
    # points per participant 3/10, one of ten gave any
    assert row.points_per_participant == pytest.approx(0.3) and row.share_gave_any == 0.1
    assert res.value_note(row, r.method, "en") == "0.3 points/participant · 10 % gave points"
    html = export_workshop(g, "html", lang="en", store=store)
    assert "0.3 points/participant · 10 % gave points" in html
    assert "count every participant" in html
    md = export_workshop(g, "md", lang="sv", store=store)
    assert r"0\.3 poäng/deltagare · 10 % gav poäng" in md  # Markdown-escaped


def test_few_ballots_flag_beside_the_mean(store):
    created = ws.create_workshop("stockholm", store=store)
    code, g = created.workshop.code, created.grant
    ws.open_workshop(g, store=store)
    a, b = (i.id for i in created.workshop.items[:2])
    for item in (a, b):
        ws.open_voting(g, item, store=store)
    for k in range(6):
        ws.join(code, f"v{k}", store=store)
        ws.cast_ballot(code, f"v{k}", a, value=4, store=store)  # 6 of 6: enough
        if k < 2:
            ws.cast_ballot(code, f"v{k}", b, value=5, store=store)  # 2 ballots: few
    r = res.load_results(g, lang="en", store=store)
    rows = {x.item_id: x for x in r.rows}
    assert not rows[a].few_ballots and rows[b].few_ballots
    assert res.value_note(rows[b], "rating", "en") == "⚠ few ballots (2)"
    assert res.value_note(rows[a], "rating", "en") == ""
    md = export_workshop(g, "md", lang="en", store=store)
    assert "5.0 ⚠ few ballots (2)" in md and "| 4.0 |" in md


def test_consensus_compared_only_for_the_same_method_and_scale():
    def results(code, method, scale, consensus):
        row = res.ResultRow(1, "i1", 1, "I1", "g1", "g2", "", "", "catalogue", "closed", 4,
                            ballots=4, rank=1, mean=3.0, consensus=consensus)  # fmt: skip
        return res.WorkshopResults(code, "", "cat", "", "1", "x", "closed", method, scale, 4,
                                   None, "en", rows=[row])  # fmt: skip

    same = res.compare(results("A", "rating", (1, 5), 0.4), results("B", "rating", (1, 5), 0.9))
    assert same.rows[0].consensus_change == 0.5 and same.rows[0].view_changed
    other = res.compare(results("A", "rating", (1, 5), 0.4), results("B", "dots", (0, 10), 0.9))
    assert other.rows[0].consensus_change is None and not other.rows[0].view_changed
    budget = res.compare(results("A", "dots", (0, 5), 0.4), results("B", "dots", (0, 10), 0.9))
    assert not budget.rows[0].consensus_comparable


def test_results_page_shows_the_columns(database):
    from conflicts.ui.state import GRANTS

    code, _, _ = _ranking_room(env_store())
    at = page("results", code=code, lang="en")
    at.session_state[GRANTS] = {code: grant_for(code, env_store())}
    at.run()
    assert not at.exception, at.exception
    (table,) = [d.value for d in at.dataframe if "points_pp" in d.value.columns]
    top = table.iloc[0]  # the only ranked item comes first
    assert top["share_any"] == 10 and top["points_pp"] == pytest.approx(0.3)
    assert any("count every participant" in c.value for c in at.caption)
