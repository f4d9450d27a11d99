"""The regional view (``/series?id=...``) through AppTest, on a real SQLite file."""

from __future__ import annotations

import inspect

from conflicts import series
from conflicts.i18n import t
from conflicts.ui import router
from tests.apptest import page
from tests.helpers import env_store, grant_for
from tests.test_results import PEOPLE, build_round


def _series():
    store = env_store()
    a = build_round(store, title="Nordost")
    b = build_round(store, title="Sydväst", ratings={"c1": [1, 2, 1, 1], "c2": [5, 5, 4]})
    created = series.create_series(
        "Regionalt rådslag", [grant_for(a.code, store), grant_for(b.code, store)], store=store
    )
    return a, b, created


def test_registered_and_the_projector_is_a_room_page():
    source = inspect.getsource(router.pages)
    assert 'url_path="series"' in source and 'url_path="series_projector"' in source
    assert "series_projector" in router.ROOM_PAGES and "series" not in router.ROOM_PAGES


def test_locked_until_the_series_key_is_given(database):
    _, _, created = _series()
    at = page("series", id=created.series.code, lang="en").run()
    assert not at.exception
    assert "Regionalt rådslag" in at.title[0].value
    assert not at.dataframe
    at.text_input(key="series_key").input("wrong")
    at.button(key="series_unlock_submit").click().run()
    assert at.error and not at.dataframe


def test_regional_view_after_unlocking(database):
    a, b, created = _series()
    at = page("series", id=created.series.code.lower(), lang="en").run()
    at.text_input(key="series_key").input(created.key)
    at.button(key="series_unlock_submit").click().run()
    assert not at.exception
    ranking = at.dataframe[0].value
    assert a.code in ranking.columns and b.code in ranking.columns
    assert list(ranking[t("series.rank", "en")][:3]) == [1, 2, 3]
    text = "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)
    assert t("series.weighting_equal", "en") in text
    assert all(name not in text for name, _, _ in PEOPLE.values() if name)
    # the facilitator switches to weighting by participants: the view says so
    at.segmented_control(key="series_weighting").set_value("participants").run()
    assert not at.exception
    captions = "\n".join(c.value for c in at.caption)
    assert t("series.weighting_participants", "en") in captions
    assert series.get_series(created.series.code, store=env_store()).weighting == "participants"


def test_mixed_methods_are_explained(database):
    store = env_store()
    a = build_round(store)
    b = build_round(store, method="score", ratings={"c1": [-3, -2, -3, -1]})
    created = series.create_series(
        "R", [grant_for(a.code, store), grant_for(b.code, store)], store=store
    )
    at = page("series", id=created.series.code, lang="en").run()
    at.text_input(key="series_key").input(created.key)
    at.button(key="series_unlock_submit").click().run()
    assert not at.exception
    assert any(t("series.mixed_methods", "en") == i.value for i in at.info)


def test_unknown_series_and_no_id(database):
    at = page("series", id="S-NOPE", lang="en").run()
    assert not at.exception and at.error
    at = page("series", lang="en").run()
    assert not at.exception and at.info[0].value == t("series.no_id", "en")


def test_console_creates_a_series_and_adds_another_room(database):
    from tests.test_facilitate_page import console

    store = env_store()
    a, b = build_round(store), build_round(store, title="Runda 2")
    at = console(a.code)
    at.text_input(key="series_new_title").input("Regionalt rådslag")
    at.button(key="series_create").click().run()
    assert not at.exception
    (sid,) = series.series_of(grant_for(a.code, store), store=store)
    key = at.code[-1].value  # shown once
    assert series.unlock_series(sid, key, store=store).code == sid
    # the other room's facilitator adds it with the series id and key
    other = console(b.code)
    other.text_input(key="series_add_id").input(sid.lower())
    other.text_input(key="series_add_key").input("wrong")
    other.button(key="series_add").click().run()
    assert other.error and series.series_of(grant_for(b.code, store), store=store) == []
    other.text_input(key="series_add_key").input(key)
    other.button(key="series_add").click().run()
    assert not other.exception and not other.error
    assert series.get_series(sid, store=store).workshops == (a.code, b.code)


def test_remove_a_room_behind_the_key_with_a_confirmation(database):
    a, b, created = _series()
    sid = created.series.code
    at = page("series", id=sid, lang="en").run()
    assert not at.exception
    assert "series_remove" not in [x.key for x in at.button]  # locked: no remove button
    at.text_input(key="series_key").input(created.key)
    at.button(key="series_unlock_submit").click().run()
    assert at.selectbox(key="series_remove_pick").options == [a.code, b.code]
    at.selectbox(key="series_remove_pick").set_value(b.code)
    at.button(key="series_remove").click().run()
    assert not at.exception
    # asked first: nothing removed yet; cancelling removes nothing
    assert any(b.code in w.value for w in at.warning)
    assert series.get_series(sid, store=env_store()).workshops == (a.code, b.code)
    at.button(key="series_remove_no").click().run()
    assert not at.warning and "series_remove_yes" not in [x.key for x in at.button]
    assert series.get_series(sid, store=env_store()).workshops == (a.code, b.code)
    # asked again and confirmed: removed, said so, and the ranking has one room left
    at.selectbox(key="series_remove_pick").set_value(b.code)
    at.button(key="series_remove").click().run()
    at.button(key="series_remove_yes").click().run()
    assert not at.exception
    assert series.get_series(sid, store=env_store()).workshops == (a.code,)
    assert at.success[0].value == t("series.removed", "en", code=b.code, id=sid)
    ranking = at.dataframe[0].value
    assert a.code in ranking.columns and b.code not in ranking.columns
    assert at.selectbox(key="series_remove_pick").options == [a.code]
