"""The results page (``/results?code=CODE``) through Streamlit's AppTest, on a real SQLite file."""

from __future__ import annotations

import inspect

import pytest
from streamlit.testing.v1 import AppTest

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.reports import export
from conflicts.ui import router
from tests.apptest import PAGE_SCRIPT, TIMEOUT
from tests.helpers import env_store
from tests.test_results import FIXTURE, PEOPLE, build_round


def results_page(**query: str) -> AppTest:
    at = AppTest.from_string(PAGE_SCRIPT.format(name="results"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def unlock(at: AppTest, key: str) -> AppTest:
    at.text_input(key="unlock_key").input(key)
    at.button(key="unlock_submit").click().run()
    assert not at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.subheader] + [t.value for t in at.title]
    parts += [x.value for x in at.text]
    return "\n".join(parts).replace("\\", "")


def test_registered_in_the_workshop_section_not_a_room_page():
    source = inspect.getsource(router.pages)
    workshops = source[source.index('t("nav.workshops", lang)') :]
    assert 'url_path="results"' in workshops and "results.render" in workshops
    assert "results" not in router.ROOM_PAGES


def test_locked_until_the_key_is_given(database):
    rnd = build_round(env_store())
    at = results_page(code=rnd.code, lang="en").run()
    assert not at.exception
    # Not even the title before the key (issue 11, item 9): it can name the organisation.
    assert at.title[0].value == t("nav.results", "en")
    assert "Runda 1" not in texts(at)
    assert not at.dataframe and not at.get("download_button")
    at.text_input(key="unlock_key").input("wrong key")
    at.button(key="unlock_submit").click().run()
    assert at.error[0].value and not at.dataframe


def test_results_after_unlocking(database):
    rnd = build_round(env_store())
    at = unlock(results_page(code=rnd.code, lang="en").run(), rnd.key)
    frames = at.dataframe
    assert frames, "no ranking table"
    table = frames[0].value
    assert list(table["conflict"][:3]) == [
        "Housing versus green space",
        "Construction versus climate",
        "Roads versus climate",
    ]
    assert list(table["rank"][:3]) == [1, 2, 3]
    assert list(table["ballots"][:3]) == [3, 4, 2]
    assert list(table["participation"][:3]) == [75, 100, 50]
    assert list(table["distribution"][0]) == [0, 0, 0, 1, 2]
    assert table["dispersion"][1] == pytest.approx(0.0)
    assert table["outcome"][0] == t("outcome.needs_analysis", "en")
    shown = texts(at)
    assert "Regionens planeringsenhet" in shown and "Ta fram underlag" in shown
    assert "Buller vid skolor" in shown  # the accepted proposal
    assert "1 accepted, 1 declined" in shown
    # every export format can be downloaded; names and voter ids are nowhere on the page
    downloads = at.get("download_button")
    assert len(downloads) == len(export.EXPORT_FORMATS) == 5
    for vid, (name, _, _) in PEOPLE.items():
        assert vid not in shown and (name is None or name not in shown)
    assert len(at.get("plotly_chart")) == 1


def test_compare_with_another_round(database):
    rnd1 = build_round(env_store())
    rnd2 = build_round(env_store(), title="Runda 2", ratings={"c1": [1, 1], "c2": [5, 5, 5, 5]})
    at = unlock(results_page(code=rnd2.code, lang="en").run(), rnd2.key)
    at.text_input(key="compare_code").input(rnd1.code.lower())
    at.text_input(key="compare_key").input("wrong")
    at.button(key="compare_submit").click().run()
    assert not at.exception
    assert any("key" in e.value.lower() for e in at.error)
    at.text_input(key="compare_key").input(rnd1.key)
    at.button(key="compare_submit").click().run()
    assert not at.exception
    [table] = [f.value for f in at.dataframe if "moved" in f.value.columns]
    moved = dict(zip(table["conflict"], table["moved"], strict=True))
    assert moved["Roads versus climate"] == 2  # 3rd -> 1st
    assert moved["Housing versus green space"] == -1  # 1st -> 2nd (c3 had no votes in round 2)
    shown = texts(at)
    assert t("res.compare_heading", "en", a="Runda 1", b="Runda 2") in shown
    assert t("res.moved_up", "en", items="Roads versus climate") in shown


def test_compare_refuses_another_catalogue(database, tmp_path):
    rnd = build_round(env_store())
    other_file = tmp_path / "another.yaml"
    other_file.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    other = ws.create_workshop(other_file, store=env_store())
    at = unlock(results_page(code=rnd.code, lang="en").run(), rnd.key)
    at.text_input(key="compare_code").input(other.workshop.code)
    at.text_input(key="compare_key").input(other.facilitator_key)
    at.button(key="compare_submit").click().run()
    assert not at.exception
    assert any("different catalogues" in e.value for e in at.error)


def test_unknown_code_and_no_code(database):
    at = results_page(code="ZZZZZZ", lang="en").run()
    assert not at.exception and at.error[0].value == t("err.unknown_code", "en")
    at = results_page(lang="en").run()
    assert not at.exception and at.title[0].value == t("nav.results", "en")
