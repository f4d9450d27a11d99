"""Every page through Streamlit's AppTest (no browser), against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from conflicts import workshop as ws
from conflicts.catalogue import bundled_catalogues, load_catalogue
from tests.apptest import TIMEOUT, page, param

ROOT = Path(__file__).resolve().parent.parent


def test_router_runs_the_default_page() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Utforska målkonflikterna"


def test_explore_pick_an_interaction_shows_details() -> None:
    cat = load_catalogue(bundled_catalogues()["stockholm"])
    at = page("explore", lang="en").run()
    assert not at.exception
    assert any("Nothing selected yet" in i.value for i in at.info)
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
    assert set(at.radio(key="bundled_choice").options) >= {"stockholm", "sdg"}
    at.radio(key="bundled_choice").set_value("sdg").run()
    assert not at.exception
    assert any("17 goals" in c.value for c in at.caption)


def test_projector_shows_code_and_count(database) -> None:
    created = ws.create_workshop("stockholm")
    code = created.workshop.code
    ws.open_workshop(code)
    at = page("projector", code=code, lang="en").run()
    assert not at.exception
    assert any(code == m.value for m in at.markdown)
    assert any("[ballots=0]" in c.value for c in at.caption)
    assert created.facilitator_key not in str(at)


def test_facilitator_console_needs_the_key(database) -> None:
    created = ws.create_workshop("stockholm")
    code = created.workshop.code
    at = page("facilitate", code=code, lang="en").run()
    assert not at.exception
    at.text_input(key="unlock_key").input("not-the-key")
    at.button(key="unlock_submit").click().run()
    assert at.error[0].value == "Wrong key."
    assert ws.get_workshop(code).status == "draft"

    at.text_input(key="unlock_key").input(created.facilitator_key)
    at.button(key="unlock_submit").click().run()
    assert not at.exception
    at.button(key="open_ws").click().run()
    assert ws.get_workshop(code).status == "open"
    first = created.workshop.items[0]
    at.button(key=f"open_{first.id}").click().run()
    assert ws.get_workshop(code).item(first.id).voting == "open"
    at.button(key=f"show_{first.id}").click().run()
    assert ws.get_workshop(code).current_item_id == first.id


def test_facilitator_creates_a_workshop(database) -> None:
    at = page("facilitate", lang="en").run()
    assert not at.exception
    at.button(key="create_submit").click().run()
    assert not at.exception
    (created,) = ws.list_workshops()
    assert param(at, "code") == created.code
    # The key is shown once, and it unlocks the workshop.
    key = at.code[0].value
    assert ws.check_facilitator(created.code, key)
