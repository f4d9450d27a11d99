"""Every page through Streamlit's AppTest (no browser), against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from conflicts import workshops as ws
from conflicts.catalogue import bundled_catalogues, load_catalogue
from conflicts.i18n import t
from conflicts.matrix import cell_id, cross_impact_matrix
from tests.apptest import TIMEOUT, page, param
from tests.helpers import env_store, grant_for

ROOT = Path(__file__).resolve().parent.parent


def test_router_runs_the_default_page() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Utforska målkonflikterna"


def test_explore_pick_an_interaction_shows_details() -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    at = page("explore", lang="en").run()
    assert not at.exception
    assert any(t("explore.nothing_selected", "en") in i.value for i in at.info)
    conflict = cat.conflicts[0]
    at.selectbox(key="pick_interaction").set_value(conflict.id).run()
    assert not at.exception
    assert at.subheader[0].value == cat.text(conflict.title, "en")
    text = " ".join(m.value for m in at.markdown).replace("\\", "")  # undo Markdown escapes
    assert cat.text(conflict.questions[0], "en") in text


def test_explore_filters_change_what_is_shown() -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    at = page("explore", lang="en").run()
    shown = [c.value for c in at.caption if "Showing" in c.value]
    assert f"Showing {len(cat.interactions)} of {len(cat.interactions)}" in shown[0]
    at.segmented_control(key="f_sign").set_value("conflict").run()
    shown = [c.value for c in at.caption if "Showing" in c.value]
    assert f"Showing {len(cat.conflicts)} of {len(cat.interactions)}" in shown[0]
    at.slider(key="f_min").set_value(3).run()
    strong = sum(1 for i in cat.conflicts if abs(i.score) >= 3)
    shown = [c.value for c in at.caption if "Showing" in c.value]
    assert f"Showing {strong} of" in shown[0]
    assert not at.exception


def test_catalogue_page_lists_bundled_and_offers_downloads() -> None:
    at = page("catalogue", lang="en").run()
    assert not at.exception
    options = at.radio(key="bundled_choice").options
    assert len(options) >= 2 and not {"stockholm", "sdg", "rufs2060"} & set(options)  # titles
    at.radio(key="bundled_choice").set_value("sdg").run()
    assert not at.exception
    assert any("17 goals" in c.value for c in at.caption)


def test_projector_shows_code_and_count(database) -> None:
    created = ws.create_workshop("stockholm", store=env_store())
    code = created.workshop.code
    ws.open_workshop(grant_for(code, env_store()), store=env_store())
    at = page("projector", code=code, lang="en").run()
    assert not at.exception
    assert any(code == m.value for m in at.markdown)
    assert any('data-ballots="0"' in h.proto.body for h in at.get("html"))
    assert created.facilitator_key not in str(at)


def test_facilitator_console_needs_the_key(database) -> None:
    created = ws.create_workshop("stockholm", store=env_store())
    code = created.workshop.code
    at = page("facilitate", code=code, lang="en").run()
    assert not at.exception
    at.text_input(key="unlock_key").input("not-the-key")
    at.button(key="unlock_submit").click().run()
    assert at.error[0].value == t("err.access_denied", "en")
    assert ws.get_workshop(code, store=env_store()).status == "draft"

    at.text_input(key="unlock_key").input(created.facilitator_key)
    at.button(key="unlock_submit").click().run()
    assert not at.exception
    at.button(key="open_ws").click().run()
    assert ws.get_workshop(code, store=env_store()).status == "open"
    first = created.workshop.items[0]
    at.button(key=f"open_{first.id}").click().run()
    assert ws.get_workshop(code, store=env_store()).item(first.id).voting == "open"
    at.button(key=f"show_{first.id}").click().run()
    assert ws.get_workshop(code, store=env_store()).current_item_id == first.id


def test_facilitator_creates_a_workshop(database) -> None:
    at = page("facilitate", lang="en").run()
    assert not at.exception
    at.button(key="create_submit").click().run()
    assert not at.exception
    (created,) = ws.list_workshops(store=env_store())
    assert param(at, "code") == created.code
    # The key is shown once, and it unlocks the workshop.
    key = at.code[0].value
    assert ws.check_facilitator(created.code, key, store=env_store())


def test_explore_matrix_view_and_cell_detail() -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    at = page("explore", lang="en", catalogue="sdg").run()
    assert not at.exception
    # A large catalogue opens at the goal level; the switches are there in both languages.
    assert at.segmented_control(key="explore_level").value == "goal"
    at.segmented_control(key="explore_view").set_value("matrix").run()
    assert not at.exception
    assert any("Grey cell with · = not scored" in c.value for c in at.caption)
    # A click on a cell of several interactions is a ("cell", id) selection: it lists them.
    m = cross_impact_matrix(cat, "goal")
    row, col, cell = next(
        (m.nodes[i], m.nodes[j], c)
        for i, r in enumerate(m.cells)
        for j, c in enumerate(r)
        if c is not None and c.count > 1
    )
    at.session_state["explore_selected"] = ("cell", cell_id("goal", row, col))
    at.run()
    assert not at.exception
    title = f"{cat.text(cat.nodes[row].title, 'en')} → {cat.text(cat.nodes[col].title, 'en')}"
    assert at.subheader[0].value == title
    first = cell.interactions[0]
    at.button(key=f"pick-goal:{row}>{col}-{first}").click().run()
    assert at.subheader[0].value == cat.text(cat.interactions_by_id[first].title, "en")


def test_explore_matrix_subgoals_of_chosen_goals() -> None:
    at = page("explore", lang="sv", catalogue="sdg").run()
    at.segmented_control(key="explore_view").set_value("matrix").run()
    at.segmented_control(key="explore_level").set_value("subgoal").run()
    assert not at.exception
    # SDG's 169 targets are shown for the chosen goals only (one preselected).
    assert len(at.multiselect(key="matrix_goals").value) == 1
    at.multiselect(key="matrix_goals").set_value([]).run()
    assert any("Välj ett eller flera mål" in i.value for i in at.info)


def test_explore_search_selects_and_focuses() -> None:
    cat = load_catalogue(bundled_catalogues()["sdg"])
    at = page("explore", lang="en", catalogue="sdg").run()
    search = at.selectbox(key="explore_search")
    # Found by number or by name: every label holds the title and the id.
    target = f"Sub-goal · {cat.text(cat.nodes['t13.2'].title, 'en')} (t13.2)"
    assert target in search.options
    assert len(search.options) == len(cat.nodes) + len(cat.interactions)
    search.set_value("node:t13.2").run()
    assert not at.exception
    # A target is found by focusing the network on it at the sub-goal level.
    assert at.session_state["explore_selected"] == ("node", "t13.2")
    assert at.segmented_control(key="explore_level").value == "subgoal"
    assert at.selectbox(key="f_focus").value == "t13.2"
    assert at.subheader[0].value == cat.text(cat.nodes["t13.2"].title, "en")
    x = cat.interactions[0]
    at.selectbox(key="explore_search").set_value(f"edge:{x.id}").run()
    assert at.subheader[0].value == cat.text(x.title, "en")
    assert at.selectbox(key="f_focus").value == x.from_


def test_every_workshop_link_carries_the_code(database) -> None:
    """Issue 10.8: from the console, the sidebar's Results and Projector keep ``?code=``."""
    from conflicts import workshops as ws
    from tests.helpers import env_store

    code = ws.create_workshop("stockholm", store=env_store()).workshop.code
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["code"] = code
    at.run()
    links = {p.proto.page: p.proto.query_string for p in at.get("page_link")}
    assert links["results"] == f"code={code}" and links["projector"] == f"code={code}"
    assert set(links.values()) == {"", f"code={code}"}  # Explore and Catalogue take no code


def test_swedish_pickers_have_swedish_placeholders_and_plurals() -> None:
    """Issue 10.13: no "Choose options" in the Swedish UI; "1 röst inne", not "1 röster"."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert at.multiselect(key="f_goals").proto.placeholder == "Välj en eller flera"
    assert t("ws.ballots_in", "sv", n=1) == "1 röst inne"
    assert t("ws.participants", "en", n=1) == "1 participant"


def test_explore_focus_follows_the_language() -> None:
    """Issue 10.13: "Focus on" kept "(hela nätverket)" after a switch to English. The browser
    keeps the text of the choice it shows unless the page sets the value, so after the switch
    the box must carry the choice's text in English (``set_value``/``raw_value``); a focused
    node shows its English title the same way, and the search box too."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    focus = at.selectbox(key="f_focus")
    assert focus.proto.placeholder == "Välj"  # not "Choose an option"
    assert focus.options[0] == "(hela nätverket)"
    at.session_state["lang"] = "en"  # the switch, as a click sets it
    at.run()
    focus = at.selectbox(key="f_focus")
    assert focus.proto.set_value and focus.proto.raw_value == "(the whole network)"
    assert focus.value in ("", None) and not focus.proto.raw_value.startswith("(hela")
    # A focused goal, then back to Swedish: its Swedish title.
    at.selectbox(key="f_focus").set_value("g1").run()
    at.session_state["lang"] = "sv"
    at.run()
    focus = at.selectbox(key="f_focus")
    assert focus.value == "g1" and focus.proto.set_value
    assert focus.proto.raw_value == "En tillgänglig region med god livsmiljö"


def test_explore_multiselect_choices_follow_the_language() -> None:
    """Issue 10.13: the goal and actor filters kept their chosen chips in the old language."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    at.multiselect(key="f_goals").set_value(["g1"]).run()
    at.session_state["lang"] = "en"
    at.run()
    goals = at.multiselect(key="f_goals")
    assert goals.proto.set_value
    assert list(goals.proto.raw_values) == [cat.text(cat.goals_by_id["g1"].title, "en")]
