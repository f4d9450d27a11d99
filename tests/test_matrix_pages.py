"""The matrix scoring session on the Streamlit pages through AppTest: the console adds a session
from its multiselect (refusing fewer than 5 nodes with the translated message) and steps to it;
the projector shows the progress while open and the room's matrix with the discussion list once
closed; the results page lists the cells. Checked in the database (a real SQLite file)."""

from __future__ import annotations

from conflicts import workshops as ws
from conflicts.i18n import t
from tests.apptest import page
from tests.helpers import env_store, grant_for
from tests.test_facilitate_page import console, current

NODES = ["g1", "g2", "g3", "g4", "g1.housing"]


def _workshop() -> str:
    created = ws.create_workshop("stockholm", store=env_store())
    ws.open_workshop(created.grant, store=env_store())
    return created.workshop.code


def test_console_adds_a_session_and_steps_to_it(database) -> None:
    code = _workshop()
    at = console(code)
    before = len(ws.get_workshop(code, store=env_store()).items)
    at.multiselect(key="matrix_nodes").set_value(NODES[:4])
    at.button(key="matrix_submit").click().run()
    assert any(t("err.matrix_nodes", "en") in e.value for e in at.error)
    assert len(ws.get_workshop(code, store=env_store()).items) == before
    at.multiselect(key="matrix_nodes").set_value(NODES)
    at.number_input(key="matrix_per").set_value(6)
    at.button(key="matrix_submit").click().run()
    assert not at.exception, at.exception
    item = ws.get_workshop(code, store=env_store()).items[-1]
    assert item.is_matrix and item.nodes == tuple(NODES) and item.pairs_per_participant == 6
    at.button(key=f"show_{item.id}").click().run()
    assert current(code) == item.id
    at.button(key=f"open_{item.id}").click().run()
    assert ws.get_workshop(code, store=env_store()).item(item.id).voting == "open"
    assert not at.exception, at.exception
    assert any(t("matrix.title", "en", n=5) in m.value for m in at.markdown)
    # the agenda's save keeps the session (its key is not an interaction)
    at.button(key="agenda_save").click().run()
    assert item.id in {i.id for i in ws.get_workshop(code, store=env_store()).items}


def _scored() -> tuple[str, ws.AgendaItem]:
    code = _workshop()
    g = grant_for(code, env_store())
    item = ws.add_matrix_session(g, NODES, store=env_store())
    ws.set_current_item(g, item.id, store=env_store())
    ws.open_voting(g, item.id, store=env_store())
    for k, values in enumerate(([-3, 1], [3, 1], [0, 1])):
        voter = f"v{k}"
        ws.join(code, voter, store=env_store())
        ws.score_pair(code, voter, item.id, "g1", "g2", value=values[0], store=env_store())
        ws.score_pair(code, voter, item.id, "g3", "g4", value=values[1], store=env_store())
    return code, item


def test_projector_progress_then_room_matrix_and_discussion(database) -> None:
    code, item = _scored()
    at = page("projector", code=code, lang="en").run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert t("matrix.question_generic", "en") in shown
    assert "6 answers from 3 participants · 2 of 20 pairs scored" in shown
    assert code in [m.value for m in at.markdown]  # the join code while open
    ws.close_voting(grant_for(code, env_store()), item.id, store=env_store())
    at.run()
    assert not at.exception, at.exception
    charts = [c for c in at.get("plotly_chart")]
    assert charts, "the room's matrix is drawn once closed"
    shown = " ".join(m.value for m in at.markdown)
    # g1 -> g2: -3 0 3 (IQR 3, first); g3 -> g4: 1 1 1 vs the catalogue's -2 (departure 3)
    assert "disagreement (IQR 3)" in shown and "departs from the catalogue (−2)" in shown
    assert shown.index("disagreement (IQR 3)") < shown.index("departs from the catalogue")


def test_results_page_lists_the_room_matrix(database) -> None:
    from conflicts.ui.state import GRANTS

    code, item = _scored()
    ws.close_voting(grant_for(code, env_store()), item.id, store=env_store())
    at = page("results", code=code, lang="en")
    at.session_state[GRANTS] = {code: grant_for(code, env_store())}
    at.run()
    assert not at.exception, at.exception
    assert any(t("matrix.results", "en") in s.value for s in at.subheader)
    (table,) = [d.value for d in at.dataframe if "pair" in d.value.columns]
    assert list(table["count"]) == [3, 3] and list(table["median"]) == [0.0, 1.0]
