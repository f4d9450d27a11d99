"""Facilitation (schema version 2) against real databases (SQLite file; PostgreSQL when set)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, inspect, select, text, update

from conflicts import store as st
from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.reports import export
from conflicts.store import Store
from conflicts.workshops import model
from tests.helpers import grant_for

T0 = datetime(2025, 3, 1, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def created(store, workshop_catalogue):
    return ws.create_workshop(workshop_catalogue, title="Fac", store=store)


@pytest.fixture
def code(created):
    return created.workshop.code


def _rejected(exc_type, code, fn, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def _agenda(store, code) -> list[str]:
    return [i.interaction_id for i in ws.get_workshop(code, store=store).items]


def _count(store: Store, table) -> int:
    return store.read(lambda c: c.execute(select(func.count()).select_from(table)).scalar())


# --- schema version 2 -----------------------------------------------------------------------
def _make_v1_database(url: str, yaml_text: str) -> None:
    """A database exactly as version 1 left it (no v2 tables/columns), with some data."""
    engine = st.make_engine(url)
    try:
        with engine.begin() as conn:
            v1_tables = [t for t in st.metadata.sorted_tables if t.name not in st.V2_TABLES]
            st.metadata.create_all(conn, tables=v1_tables)
            for table, columns in st.V2_COLUMNS.items():
                for column in columns:
                    conn.execute(text(f'ALTER TABLE {table} DROP COLUMN "{column}"'))
            conn.execute(st.schema_version.insert().values(version=1, applied_at=st.utcnow()))
            now = st.utcnow()
            conn.execute(
                text(
                    "INSERT INTO workshops (id, code, title, catalogue_name, catalogue_path,"
                    " catalogue_yaml, catalogue_sha256, status, method, dot_budget, ranking_size,"
                    " hide_results_until_closed, require_participant_code, mode,"
                    " current_item_id, facilitator_key_hash, anon_salt, revision, tally_revision,"
                    " created_at, updated_at) VALUES (1, 'ACDEFH', 'Old', 'small', NULL, :y,"
                    " 'sha', 'open', 'rating', 10, 3, FALSE, FALSE, 'follow', NULL, 'x', 'salt',"
                    " 5, 2, :now, :now)"
                ),
                {"y": yaml_text, "now": now},
            )
            for iid, pos, inter, voting in ((1, 1, "c1", "open"), (2, 2, "c2", "not_started")):
                conn.execute(
                    text(
                        "INSERT INTO agenda_items (id, workshop_id, position, interaction_id,"
                        " voting) VALUES (:i, 1, :p, :x, :v)"
                    ),
                    {"i": iid, "p": pos, "x": inter, "v": voting},
                )
            conn.execute(
                text(
                    "INSERT INTO participants (id, workshop_id, voter_id, joined_at)"
                    " VALUES (1, 1, 'old-voter', :now)"
                ),
                {"now": now},
            )
            conn.execute(
                text(
                    "INSERT INTO ballots (workshop_id, item_id, participant_id, method, value,"
                    " skipped, created_at, updated_at) VALUES (1, 1, 1, 'rating', 4, FALSE,"
                    " :now, :now)"
                ),
                {"now": now},
            )
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences on
            with engine.begin() as conn:
                for table in ("workshops", "agenda_items", "participants"):
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                            f" (SELECT max(id) FROM {table}))"
                        )
                    )
    finally:
        engine.dispose()


def test_v1_database_upgrades_in_place(db_url, workshop_catalogue):
    _make_v1_database(db_url, workshop_catalogue.read_text(encoding="utf-8"))
    probe = st.make_engine(db_url)
    try:
        columns = {c["name"] for c in inspect(probe).get_columns("agenda_items")}
        assert "kind" not in columns and "proposals" not in inspect(probe).get_table_names()
    finally:
        probe.dispose()

    s = Store(db_url, engine=st.make_engine(db_url))
    try:
        assert s.init() == st.SCHEMA_VERSION and s.schema_version() == st.SCHEMA_VERSION
        versions = s.read(lambda c: list(c.execute(select(st.schema_version.c.version)).scalars()))
        assert sorted(versions) == list(range(1, st.SCHEMA_VERSION + 1))
        tables = set(inspect(s.engine).get_table_names())
        assert {"workshop_interactions", "outcomes", "proposals"} <= tables
        w = ws.get_workshop("ACDEFH", store=s)  # the old data, readable with the new columns
        assert w.title == "Old" and w.revision == 5
        assert [(i.interaction_id, i.kind, i.question) for i in w.items] == [
            ("c1", "interaction", None),
            ("c2", "interaction", None),
        ]
        assert w.timer_duration_s is None and ws.timer_remaining(w) is None
        t = ws.get_tally("ACDEFH", store=s)
        assert t.items[0].ballots == 1 and t.items[0].mean == 4.0 and t.warmups == []
        # the new features work on the upgraded database
        warm = ws.add_warmup(grant_for("ACDEFH", s), "Vilket mål är viktigast?", store=s)
        assert warm.kind == "warmup" and warm.position == 1
        ws.save_outcome(grant_for("ACDEFH", s), w.items[0].id, summary="ok", store=s)
        added = ws.add_interaction(
            grant_for("ACDEFH", s),
            from_node="housing",
            to_node="nature",
            score=-1,
            title="Ny",
            store=s,
        )
        assert added.interaction_id == "ws-1"
        assert ws.cast_ballot("ACDEFH", "old-voter", 1, value=2, store=s).value == 2
        # a second init (another process) changes nothing
        again = Store(db_url, engine=st.make_engine(db_url))
        assert again.init() == st.SCHEMA_VERSION and again.schema_version() == st.SCHEMA_VERSION
        again.engine.dispose()
    finally:
        s.engine.dispose()


def test_fresh_database_gets_v1_then_v2(store):
    versions = store.read(
        lambda c: list(
            c.execute(select(st.schema_version.c.version).order_by(st.schema_version.c.version))
        )
    )
    assert [v for (v,) in versions] == list(range(1, st.SCHEMA_VERSION + 1))
    columns = {c["name"] for c in inspect(store.engine).get_columns("workshops")}
    assert set(st.V2_COLUMNS["workshops"]) <= columns


def test_item_kind_is_checked_on_fresh_and_upgraded_databases(db_url, workshop_catalogue):
    """Version 3: the database refuses an agenda item kind other than ITEM_KINDS, also on a
    database that existed before (upgraded in place from version 1)."""
    _make_v1_database(db_url, workshop_catalogue.read_text(encoding="utf-8"))
    s = Store(db_url, engine=st.make_engine(db_url))
    try:
        assert s.init() == st.SCHEMA_VERSION
        wid = s.read(lambda c: c.execute(select(st.workshops.c.id)).scalar())

        def insert(kind: str):
            return lambda c: c.execute(
                st.agenda_items.insert().values(
                    workshop_id=wid, position=9, interaction_id=f"x-{kind}", kind=kind
                )
            )

        s.write(insert("warmup"))  # a declared kind is accepted
        with pytest.raises(sa_exc.IntegrityError, match="ck_agenda_items_kind"):
            s.write(insert("bogus"))
        with pytest.raises(sa_exc.IntegrityError, match="ck_agenda_items_kind"):
            s.write(
                lambda c: c.execute(
                    update(st.agenda_items)
                    .where(st.agenda_items.c.interaction_id == "x-warmup")
                    .values(kind="bogus")
                )
            )
        assert s.init() == st.SCHEMA_VERSION  # idempotent on a second start
    finally:
        s.engine.dispose()


# --- agenda building ------------------------------------------------------------------------
def test_order_agenda_three_ways(store, code):
    assert _agenda(store, code) == [f"c{n}" for n in range(1, 11)]
    w = ws.order_agenda(grant_for(code, store), "strength", store=store)
    # |score| descending (c4: -3; c1, c5, c7: -2), then catalogue order
    assert [i.interaction_id for i in w.items] == [
        "c4", "c1", "c5", "c7", "c2", "c3", "c6", "c8", "c9", "c10",
    ]  # fmt: skip
    assert [i.position for i in w.items] == list(range(1, 11))
    ids = {i.interaction_id: i.id for i in w.items}

    ws.open_workshop(grant_for(code, store), store=store)
    for iid in ("c3", "c5", "c1"):
        ws.open_voting(grant_for(code, store), ids[iid], store=store)
    for voter, values in {"a": (5, 3, 4), "b": (5, 3, 4)}.items():
        ws.join(code, voter, store=store)
        for iid, v in zip(("c3", "c5", "c1"), values, strict=True):
            ws.cast_ballot(code, voter, ids[iid], value=v, store=store)
    before = ws.get_tally(code, store=store)
    w = ws.order_agenda(grant_for(code, store), "priority", store=store)
    # the room's ranking (c3 5.0, c1 4.0, c5 3.0), then the rest in the current (strength) order
    assert [i.interaction_id for i in w.items] == [
        "c3", "c1", "c5", "c4", "c7", "c2", "c6", "c8", "c9", "c10",
    ]  # fmt: skip
    assert {i.interaction_id: i.id for i in w.items} == ids  # same items, only positions moved
    after = ws.get_tally(code, store=store)
    assert {t.item_id: t.mean for t in after.items} == {t.item_id: t.mean for t in before.items}
    assert w.revision > before.revision

    w = ws.order_agenda(grant_for(code, store), "catalogue", store=store)
    assert [i.interaction_id for i in w.items] == [f"c{n}" for n in range(1, 11)]
    _rejected(
        ws.InvalidSetting,
        "invalid_setting",
        ws.order_agenda,
        grant_for(code, store),
        "alpha",
        store=store,
    )


def test_order_agenda_keeps_warmups_first_and_added_last(store, code):
    ws.add_interaction(
        grant_for(code, store),
        from_node="climate",
        to_node="nature",
        score=-3,
        title="Vindkraft",
        store=store,
    )
    ws.add_warmup(grant_for(code, store), "Vad är viktigast?", store=store)
    w = ws.order_agenda(grant_for(code, store), "catalogue", store=store)
    assert w.items[0].kind == "warmup" and w.items[-1].interaction_id == "ws-1"
    w = ws.order_agenda(grant_for(code, store), "strength", store=store)
    assert [i.interaction_id for i in w.items][:3] == ["warmup-1", "c4", "ws-1"]


def test_move_item(store, code, created):
    items = created.workshop.items
    first, second, last = items[0], items[1], items[-1]
    w = ws.move_item(
        grant_for(code, store), first.id, -1, store=store
    )  # already at the top: clamped
    assert w.items[0].id == first.id
    w = ws.move_item(grant_for(code, store), first.id, +1, store=store)
    assert [i.id for i in w.items[:2]] == [second.id, first.id]
    assert [i.position for i in w.items] == list(range(1, 11))
    w = ws.move_item(grant_for(code, store), last.id, +1, store=store)
    assert w.items[-1].id == last.id
    w = ws.move_item(grant_for(code, store), last.id, -1, store=store)
    assert w.items[-2].id == last.id
    _rejected(
        ws.UnknownItem, "unknown_item", ws.move_item, grant_for(code, store), 99999, 1, store=store
    )
    _rejected(ws.InvalidSetting, "invalid_setting", ws.move_item, grant_for(code, store), first.id, "up", store=store)  # fmt: skip


def test_add_interaction_in_catalogue_tallies_and_cached(store, code, monkeypatch):
    parses = []
    real = model.parse_catalogue_bytes
    monkeypatch.setattr(
        model, "parse_catalogue_bytes", lambda raw, name: parses.append(name) or real(raw, name)
    )
    model._parse_snapshot.cache_clear()
    model._catalogue.cache_clear()

    item = ws.add_interaction(
        grant_for(code, store),
        from_node="transport",
        to_node="housing",
        score=-2,
        title={"sv": "Buller mot bostäder"},
        description="Trafikbuller begränsar var man får bygga.",
        questions=["Vem äger frågan?"],
        store=store,
    )
    assert item.interaction_id == "ws-1" and item.kind == "interaction" and item.position == 11
    w = ws.get_workshop(code, store=store)
    cat = w.catalogue()
    added = cat.interactions_by_id["ws-1"]
    assert added.from_ == "transport" and added.to == "housing" and added.score == -2
    assert added.title.root == {"sv": "Buller mot bostäder", "en": "Buller mot bostäder"}
    assert added.tags == [] and cat.text(added.questions[0], "en") == "Vem äger frågan?"
    assert len(cat.interactions) == 12 and cat.interactions[-1].id == "ws-1"
    assert w.catalogue_key != w.catalogue_sha256
    # cached: a second call, and a re-read of the same state, parse nothing
    assert w.catalogue() is cat
    assert ws.get_workshop(code, store=store).catalogue() is cat
    assert len(parses) == 1
    # adding another does not re-parse the YAML either (only the merged model is rebuilt)
    ws.add_interaction(
        grant_for(code, store),
        from_node="nature",
        to_node="climate",
        score=1,
        title="Skog och klimat",
        store=store,
    )
    cat2 = ws.get_workshop(code, store=store).catalogue()
    assert "ws-2" in cat2.interactions_by_id and len(parses) == 1

    # tallies see it
    ws.open_workshop(grant_for(code, store), store=store)
    ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, "v1", store=store)
    ws.cast_ballot(code, "v1", item.id, value=5, store=store)
    t = ws.get_tally(code, store=store).item(item.id)
    assert t.interaction_id == "ws-1" and t.catalogue_score == -2 and t.mean == 5.0
    assert t.rank == 1
    # set_agenda knows added interactions
    w = ws.set_agenda(grant_for(code, store), ["ws-1", "ws-2", "c1"], store=store)
    assert [i.interaction_id for i in w.items] == ["ws-1", "ws-2", "c1"]


def test_add_interaction_validation(store, code):
    ok = {"from_node": "housing", "to_node": "nature", "score": -1, "title": "T"}
    cases = [
        (ws.InvalidValue, "unknown_node", {"from_node": "moon"}),
        (ws.InvalidValue, "unknown_node", {"to_node": None}),
        (ws.InvalidValue, "self_loop", {"to_node": "housing"}),
        (ws.ValueOutOfRange, "value_out_of_range", {"score": 4}),
        (ws.ValueOutOfRange, "value_out_of_range", {"score": True}),
        (ws.TextTooLong, "text_too_long", {"title": "x" * 201}),
        (ws.InvalidText, "text_required", {"title": "  "}),
        (ws.InvalidText, "invalid_text", {"title": "a\x1bb"}),
        (ws.InvalidValue, "invalid_value", {"title": {"de": "Titel"}}),
        (ws.TextTooLong, "text_too_long", {"description": "d" * 2001}),
        (ws.InvalidSetting, "invalid_setting", {"questions": ["q"] * 5}),
        (ws.InvalidValue, "invalid_value", {"levels": ["galactic"]}),
        (ws.InvalidValue, "invalid_value", {"actors": ["nobody"]}),
        (ws.InvalidSetting, "invalid_setting", {"origin": "robot"}),
    ]
    for exc, err, change in cases:
        _rejected(
            exc, err, ws.add_interaction, grant_for(code, store), **{**ok, **change}, store=store
        )
    assert _count(store, st.workshop_interactions) == 0
    assert len(_agenda(store, code)) == 10
    w = ws.get_workshop(code, store=store)
    assert w.catalogue_key == w.catalogue_sha256
    item = ws.add_interaction(grant_for(code, store), **ok, origin="proposal", store=store)
    tags = ws.get_workshop(code, store=store).catalogue().interactions_by_id[item.interaction_id]
    assert tags.tags == ["proposed"]


@pytest.mark.parametrize(
    "change",
    [
        # Each of these once escaped as a raw TypeError or pydantic ValidationError.
        {"levels": 5},
        {"actors": 5},
        {"questions": 5},
        {"actors": [["a"]]},
        {"levels": [["x"]]},
        {"questions": {"sv": "x"}},
        {"actors": ["a b"]},
        {"score": 2.0},
    ],
)
def test_add_interaction_never_leaks_a_raw_error(store, code, change):
    ok = {"from_node": "housing", "to_node": "nature", "score": -1, "title": "T"}
    with pytest.raises(ws.WorkshopError) as info:
        ws.add_interaction(grant_for(code, store), **{**ok, **change}, store=store)
    err = info.value
    assert err.code in ("invalid_value", "value_out_of_range"), err
    assert err.__suppress_context__  # raised "from None": no raw error chained to it
    for lang in ("sv", "en"):
        assert t(f"err.{err.code}", lang) != f"err.{err.code}"
    assert _count(store, st.workshop_interactions) == 0


def test_interaction_error_translates_every_model_complaint():
    """A field the agenda does not know still gets a stable code and a translated message."""
    from pydantic import ValidationError

    from conflicts.catalogue import Interaction
    from conflicts.workshops.agenda import _interaction_error

    with pytest.raises(ValidationError) as info:
        Interaction.model_validate(
            {"id": "x", "from": "a", "to": "b", "score": 1, "title": "T", "direction": "sideways"}
        )
    err = _interaction_error(info.value)
    assert (type(err), err.code, err.params["field"]) == (
        ws.InvalidValue,
        "invalid_interaction",
        "direction",
    )
    assert t("err.invalid_interaction", "sv") != t("err.invalid_interaction", "en")


def test_warmup_ballots_tally_by_goal(store, code):
    warm = ws.add_warmup(
        grant_for(code, store), {"sv": "Vilket mål är viktigast för din organisation?", "en": "Which goal?"},
        store=store,
    )  # fmt: skip
    w = ws.get_workshop(code, store=store)
    assert w.items[0] == warm and warm.interaction_id == "warmup-1"
    assert warm.question_text("en") == "Which goal?" and warm.is_warmup
    assert ws.warmup_options(w.catalogue()) == ["housing", "nature", "transport", "climate"]
    ws.open_workshop(grant_for(code, store), store=store)
    ws.set_hide_results(grant_for(code, store), True, store=store)
    ws.open_voting(grant_for(code, store), warm.id, store=store)
    for n, value in enumerate([0, 2, 2, None]):
        ws.join(code, f"v{n}", store=store)
        ws.cast_ballot(code, f"v{n}", warm.id, value=value, skip=value is None, store=store)
    _rejected(ws.ValueOutOfRange, "value_out_of_range", ws.cast_ballot, code, "v0", warm.id, 4, store=store)  # fmt: skip
    _rejected(ws.ValueOutOfRange, "value_out_of_range", ws.cast_ballot, code, "v0", warm.id, -1, store=store)  # fmt: skip

    t = ws.get_tally(grant_for(code, store), store=store)
    wt = t.warmup(warm.id)
    assert wt.distribution == {"housing": 1, "nature": 0, "transport": 2, "climate": 0}
    assert wt.ballots == 3 and wt.skips == 1 and wt.leaders == ["transport"]
    assert wt.share("transport") == pytest.approx(2 / 3)
    assert warm.id not in {i.item_id for i in t.items} and t.ranking == []  # not ranked
    hidden = ws.get_tally(code, store=store).warmup(warm.id)
    assert hidden.hidden and hidden.distribution == {} and hidden.ballots == 3

    # warm-up answers neither lock the method nor use dots; ranking rejects them
    w = ws.set_voting_method(grant_for(code, store), "dots", dot_budget=2, store=store)
    assert w.method == "dots"
    item = w.items[1]
    ws.open_voting(grant_for(code, store), item.id, store=store)
    assert ws.cast_ballot(code, "v1", item.id, value=2, store=store).value == 2  # full budget
    ws.cast_ballot(code, "v1", warm.id, value=3, store=store)  # a warm-up answer still works
    assert ws.cast_ballot(code, "v1", item.id, value=2, store=store).value == 2  # not dots
    t = ws.get_tally(grant_for(code, store), store=store)
    assert t.warmup(warm.id).distribution["climate"] == 1
    assert t.item(item.id).total == 2
    _rejected(ws.InvalidSetting, "method_locked", ws.set_voting_method, grant_for(code, store), "rating", store=store)  # fmt: skip


def test_warmup_not_ranked_and_kept_by_set_agenda(store, code):
    ws.set_voting_method(grant_for(code, store), "ranking", store=store)
    warm = ws.add_warmup(grant_for(code, store), "Q?", store=store)
    ws.open_workshop(grant_for(code, store), store=store)
    ws.open_voting(grant_for(code, store), warm.id, store=store)
    ws.join(code, "v", store=store)
    ws.cast_ballot(code, "v", warm.id, value=1, store=store)  # a value even under 'ranking'
    _rejected(ws.InvalidBallot, "wrong_method", ws.cast_ranking, code, "v", [warm.id], store=store)
    w = ws.get_workshop(code, store=store)
    ws.open_voting(grant_for(code, store), w.items[1].id, store=store)
    ws.cast_ranking(code, "v", [w.items[1].id], store=store)  # does not delete the warm-up answer
    assert warm.id in ws.my_ballots(code, "v", store=store)
    w = ws.set_agenda(grant_for(code, store), ["c2", "c1"], store=store)
    assert [i.interaction_id for i in w.items] == ["warmup-1", "c2", "c1"]
    w = ws.set_agenda(grant_for(code, store), ["c2", "warmup-1", "c1"], store=store)
    assert [i.interaction_id for i in w.items] == ["c2", "warmup-1", "c1"]


def test_remove_item(store, code, created):
    warm = ws.add_warmup(grant_for(code, store), "Q?", store=store)
    w = ws.remove_item(grant_for(code, store), warm.id, store=store)
    assert [i.position for i in w.items] == list(range(1, 11)) and w.items[0].kind != "warmup"
    first = created.workshop.items[0]
    ws.open_workshop(grant_for(code, store), store=store)
    ws.open_voting(grant_for(code, store), first.id, store=store)
    ws.join(code, "v", store=store)
    ws.cast_ballot(code, "v", first.id, value=3, store=store)
    _rejected(
        ws.InvalidSetting,
        "item_has_ballots",
        ws.remove_item,
        grant_for(code, store),
        first.id,
        store=store,
    )


# --- stepping -------------------------------------------------------------------------------
def test_step_clamps(store, code, created):
    ids = [i.id for i in created.workshop.items]
    rev = ws.poll(code, store=store)[0]
    assert ws.step(grant_for(code, store), -1, store=store).current_item_id is None
    assert ws.step(grant_for(code, store), +1, store=store).current_item_id == ids[0]
    assert ws.step(grant_for(code, store), +1, store=store).current_item_id == ids[1]
    assert ws.step(grant_for(code, store), -5, store=store).current_item_id == ids[0]
    w = ws.step(grant_for(code, store), +100, store=store)
    assert w.current_item_id == ids[-1] and w.current_item == w.items[-1]
    assert ws.step(grant_for(code, store), +1, store=store).current_item_id == ids[-1]
    assert ws.poll(code, store=store)[0] == rev + 6
    ws.set_current_item(grant_for(code, store), None, store=store)
    assert ws.step(grant_for(code, store), 2, store=store).current_item_id == ids[1]


def test_toggle_voting(store, code, created):
    item = created.workshop.items[0]
    ws.open_workshop(grant_for(code, store), store=store)
    rev = ws.poll(code, store=store)[0]
    assert (
        ws.toggle_voting(grant_for(code, store), item.id, store=store).item(item.id).voting
        == "open"
    )
    w = ws.toggle_voting(grant_for(code, store), item.id, store=store)
    assert w.item(item.id).voting == "closed" and w.item(item.id).closed_at is not None
    assert (
        ws.toggle_voting(grant_for(code, store), item.id, store=store).item(item.id).voting
        == "open"
    )
    assert ws.poll(code, store=store)[0] == rev + 3
    ws.close_workshop(grant_for(code, store), store=store)  # closes voting too
    _rejected(
        ws.WorkshopNotOpen,
        "workshop_closed",
        ws.toggle_voting,
        grant_for(code, store),
        item.id,
        store=store,
    )
    _rejected(
        ws.UnknownItem,
        "unknown_item",
        ws.toggle_voting,
        grant_for(code, store),
        424242,
        store=store,
    )


# --- timer ----------------------------------------------------------------------------------
def test_timer_arithmetic(store, code, created):
    items = created.workshop.items
    ws.set_current_item(grant_for(code, store), items[0].id, store=store)
    _rejected(ws.InvalidSetting, "no_timer", ws.timer_pause, grant_for(code, store), store=store)
    _rejected(
        ws.InvalidSetting, "no_timer", ws.timer_extend, grant_for(code, store), 10, store=store
    )
    _rejected(
        ws.InvalidSetting,
        "invalid_duration",
        ws.timer_start,
        grant_for(code, store),
        0,
        store=store,
    )
    _rejected(
        ws.InvalidSetting,
        "invalid_duration",
        ws.timer_start,
        grant_for(code, store),
        1.5,
        store=store,
    )

    def at(seconds):
        return T0 + timedelta(seconds=seconds)

    rev = ws.poll(code, store=store)[0]
    w = ws.timer_start(grant_for(code, store), 60, now=T0, store=store)
    assert ws.poll(code, store=store)[0] == rev + 1
    assert w.timer_started_at == T0 and w.timer_started_at.utcoffset() == timedelta(0)
    assert w.timer_item_id == items[0].id and w.timer_duration_s == 60
    assert ws.timer_remaining(w, T0) == 60
    assert ws.timer_remaining(w, at(10)) == 50
    assert ws.timer_remaining(w, at(10.5)) == 50  # whole seconds, rounded up
    w = ws.timer_pause(grant_for(code, store), now=at(20), store=store)
    assert ws.timer_remaining(w, at(20)) == 40 and ws.timer_remaining(w, at(500)) == 40
    assert ws.timer_state(w, at(500)).paused
    w = ws.timer_pause(grant_for(code, store), now=at(30), store=store)  # paused stays paused
    assert ws.timer_remaining(w, at(30)) == 40
    w = ws.timer_resume(grant_for(code, store), now=at(100), store=store)
    assert ws.timer_remaining(w, at(100)) == 40 and ws.timer_remaining(w, at(110)) == 30
    state = ws.timer_state(w, at(110))
    assert state.running and state.duration_s == 60 and state.fraction_left == 0.5
    w = ws.timer_extend(grant_for(code, store), 30, now=at(110), store=store)
    assert ws.timer_remaining(w, at(110)) == 60 and w.timer_duration_s == 90
    assert ws.timer_remaining(w, at(500)) == 0 and ws.timer_state(w, at(500)).expired
    w = ws.timer_extend(
        grant_for(code, store), 15, now=at(500), store=store
    )  # expired: 15 s from now
    assert ws.timer_remaining(w, at(500)) == 15 and ws.timer_remaining(w, at(510)) == 5
    w = ws.timer_pause(grant_for(code, store), now=at(505), store=store)
    w = ws.timer_extend(
        grant_for(code, store), 20, now=at(600), store=store
    )  # paused: added to what is left
    assert ws.timer_remaining(w, at(900)) == 30
    # a non-UTC 'now' is stored in UTC
    from datetime import timezone

    cet = timezone(timedelta(hours=1))
    w = ws.timer_start(
        grant_for(code, store), 10, now=datetime(2025, 3, 1, 10, 0, tzinfo=cet), store=store
    )
    assert w.timer_started_at == T0 and ws.timer_remaining(w, at(4)) == 6
    # the timer belongs to its step
    w = ws.step(grant_for(code, store), +1, store=store)
    assert ws.timer_remaining(w, at(4)) is None
    w = ws.step(grant_for(code, store), -1, store=store)
    assert ws.timer_remaining(w, at(4)) == 6
    w = ws.timer_reset(grant_for(code, store), store=store)
    assert ws.timer_remaining(w, at(4)) is None and w.timer_duration_s is None
    _rejected(ws.InvalidSetting, "no_timer", ws.timer_resume, grant_for(code, store), store=store)


def test_timer_remaining_is_pure_and_default_now(created):
    w = created.workshop
    assert ws.timer_remaining(w) is None
    from dataclasses import replace

    running = replace(w, timer_started_at=datetime.now(UTC), timer_duration_s=120)
    assert 119 <= ws.timer_remaining(running) <= 120


# --- outcomes -------------------------------------------------------------------------------
def test_save_outcome_partial_upserts(store, code, created):
    item = created.workshop.items[0]
    before = ws.poll(code, store=store)
    o = ws.save_outcome(
        grant_for(code, store), item.id, summary="Vi enades\nom nästa steg.", store=store
    )
    assert o.summary == "Vi enades\nom nästa steg." and o.outcome is None and o.updated_at
    o = ws.save_outcome(grant_for(code, store), item.id, outcome="needs_analysis", store=store)
    assert o.summary == "Vi enades\nom nästa steg." and o.outcome == "needs_analysis"
    o = ws.save_outcome(
        grant_for(code, store), item.id, owner="Regionen", next_step="Utred\tbuller", due_date="2025-06-30",
        store=store,
    )  # fmt: skip
    assert (o.owner, o.next_step, o.due_date) == ("Regionen", "Utred\tbuller", date(2025, 6, 30))
    assert o.outcome == "needs_analysis" and o.summary.startswith("Vi enades")
    o = ws.save_outcome(
        grant_for(code, store), item.id, outcome="", due_date="", store=store
    )  # '' clears
    assert o.outcome is None and o.due_date is None and o.owner == "Regionen"
    o = ws.save_outcome(
        grant_for(code, store), item.id, due_date=date(2026, 1, 2), outcome="parked", store=store
    )
    assert o.due_date == date(2026, 1, 2)
    assert ws.poll(code, store=store) == before  # autosave does not make phones rerun
    other = created.workshop.items[1]
    ws.save_outcome(grant_for(code, store), other.id, outcome="escalate", store=store)
    got = ws.get_outcomes(code, store=store)
    assert set(got) == {item.id, other.id} and got[item.id] == o
    assert got[other.id].summary is None and got[other.id].outcome == "escalate"
    assert _count(store, st.outcomes) == 2


def test_save_outcome_validation(store, code, created):
    item = created.workshop.items[0]
    cases = [
        (ws.TextTooLong, "text_too_long", {"summary": "x" * 4001}),
        (ws.TextTooLong, "text_too_long", {"owner": "x" * 201}),
        (ws.TextTooLong, "text_too_long", {"next_step": "x" * 1001}),
        (ws.InvalidText, "invalid_text", {"owner": "Anna\nBerg"}),
        (ws.InvalidText, "invalid_text", {"summary": "a\x00b"}),
        (ws.InvalidValue, "invalid_value", {"outcome": "solved"}),
        (ws.InvalidValue, "invalid_value", {"due_date": "2025-13-01"}),
        (ws.InvalidValue, "invalid_value", {"due_date": datetime(2025, 1, 1)}),
    ]
    for exc, err, kwargs in cases:
        e = _rejected(exc, err, ws.save_outcome, code, item.id, **kwargs, store=store)
        assert e.params.get("field")
    _rejected(ws.UnknownItem, "unknown_item", ws.save_outcome, grant_for(code, store), 999999, summary="x", store=store)  # fmt: skip
    assert (
        ws.save_outcome(grant_for(code, store), item.id, summary="x" * 4000, store=store).summary
        == "x" * 4000
    )
    other = ws.create_workshop_from_text(
        created.workshop.catalogue_yaml, "other", store=store
    ).workshop
    _rejected(ws.UnknownItem, "unknown_item", ws.save_outcome, grant_for(other.code, store), item.id, summary="x", store=store)  # fmt: skip
    assert ws.get_outcomes(other.code, store=store) == {}


# --- proposals ------------------------------------------------------------------------------
def _proposal(store, code, voter, title="Buller", **kw):
    args = {
        "text": "Trafikbuller hindrar byggande.",
        "from_node": "transport",
        "to_node": "housing",
    }
    return ws.propose(code, voter, title=title, **{**args, **kw}, store=store)


def test_proposals_validation_and_limit(store, code):
    _rejected(ws.WorkshopNotOpen, "workshop_not_started", _proposal, store, code, "anna")
    ws.open_workshop(grant_for(code, store), store=store)
    _rejected(ws.NotJoined, "not_joined", _proposal, store, code, "anna")
    ws.join(code, "anna", "Anna", store=store)
    ws.join(code, "bo", "Bo", store=store)
    cases = [
        (ws.InvalidValue, "unknown_node", {"from_node": "moon"}),
        (ws.InvalidValue, "self_loop", {"to_node": "transport"}),
        (ws.InvalidText, "invalid_text", {"title": "a\x07b"}),
        (ws.InvalidText, "text_required", {"title": ""}),
        (ws.TextTooLong, "text_too_long", {"title": "t" * 121}),
        (ws.TextTooLong, "text_too_long", {"text": "t" * 1001}),
        (ws.InvalidText, "invalid_text", {"text": "bad\x1b[31m"}),
    ]
    for exc, err, kw in cases:
        _rejected(exc, err, _proposal, store, code, "anna", **kw)
    assert _count(store, st.proposals) == 0
    rev = ws.poll(code, store=store)
    p = _proposal(store, code, "anna", text="Två\nrader")
    assert p.status == "pending" and p.text == "Två\nrader" and p.display_name == "Anna"
    after = ws.poll(code, store=store)
    assert after[0] == rev[0] and after[1] == rev[1] + 1  # phones do not rerun
    _proposal(store, code, "anna", title="Två")
    _proposal(store, code, "anna", title="Tre")
    e = _rejected(ws.ProposalLimit, "proposal_limit", _proposal, store, code, "anna", title="Fyra")
    assert e.params == {"max": 3}
    _proposal(store, code, "bo", title="Bos")
    assert [x.title for x in ws.my_proposals(code, "anna", store=store)] == [
        "Buller",
        "Två",
        "Tre",
    ]
    assert ws.my_proposals(code, "nobody", store=store) == []
    listed = ws.list_proposals(grant_for(code, store), store=store)
    assert [(x.title, x.display_name) for x in listed] == [
        ("Buller", "Anna"), ("Två", "Anna"), ("Tre", "Anna"), ("Bos", "Bo"),
    ]  # fmt: skip


def test_proposals_merge_decline_accept(store, code):
    ws.open_workshop(grant_for(code, store), store=store)
    for v in ("anna", "bo", "cy"):
        ws.join(code, v, v.title(), store=store)
    p1 = _proposal(store, code, "anna", title="Buller", text="Trafikbuller\nhindrar byggande.")
    p2 = _proposal(store, code, "bo", title="Trafikbuller")
    p3 = _proposal(store, code, "cy", title="Buller igen")
    p4 = _proposal(store, code, "cy", title="Annat", from_node="nature", to_node="climate")

    kept, d2, d3 = ws.merge_proposals(grant_for(code, store), p1.id, [p2.id, p3.id], store=store)
    assert kept.status == "pending"
    assert (d2.status, d2.merged_into, d3.status, d3.merged_into) == (
        "merged",
        p1.id,
        "merged",
        p1.id,
    )
    _rejected(ws.InvalidSetting, "proposal_not_pending", ws.merge_proposals, grant_for(code, store), p4.id, [p2.id], store=store)  # fmt: skip
    _rejected(ws.InvalidSetting, "invalid_setting", ws.merge_proposals, grant_for(code, store), p1.id, [p1.id], store=store)  # fmt: skip
    _rejected(ws.InvalidSetting, "invalid_setting", ws.merge_proposals, grant_for(code, store), p1.id, [], store=store)  # fmt: skip
    _rejected(ws.UnknownProposal, "unknown_proposal", ws.merge_proposals, grant_for(code, store), 98765, [p4.id], store=store)  # fmt: skip

    declined = ws.decline_proposal(grant_for(code, store), p4.id, store=store)
    assert declined.status == "declined"
    _rejected(ws.InvalidSetting, "proposal_not_pending", ws.decline_proposal, grant_for(code, store), p4.id, store=store)  # fmt: skip
    _rejected(ws.ValueOutOfRange, "value_out_of_range", ws.accept_proposal, grant_for(code, store), p1.id, score=-4, store=store)  # fmt: skip

    item = ws.accept_proposal(grant_for(code, store), p1.id, score=-2, store=store)
    w = ws.get_workshop(code, store=store)
    assert w.items[-1] == item and item.interaction_id == "ws-1"
    inter = w.catalogue().interactions_by_id["ws-1"]
    assert inter.tags == ["proposed"] and inter.score == -2
    assert inter.title.root == {"sv": "Buller", "en": "Buller"}
    assert inter.description.root["en"] == "Trafikbuller\nhindrar byggande."  # lines kept
    assert (inter.from_, inter.to) == ("transport", "housing")
    got = {p.id: p for p in ws.list_proposals(grant_for(code, store), store=store)}
    assert got[p1.id].status == "accepted" and got[p1.id].interaction_id == "ws-1"
    _rejected(ws.InvalidSetting, "proposal_not_pending", ws.accept_proposal, grant_for(code, store), p1.id, store=store)  # fmt: skip
    # a kept proposal that was accepted can still absorb later duplicates
    p5 = _proposal(store, code, "bo", title="Buller 3")
    assert (
        ws.merge_proposals(grant_for(code, store), p1.id, [p5.id], store=store)[1].merged_into
        == p1.id
    )
    # another workshop's proposal is unknown here
    other = ws.create_workshop_from_text(w.catalogue_yaml, "o", store=store).workshop
    _rejected(ws.UnknownProposal, "unknown_proposal", ws.decline_proposal, grant_for(other.code, store), p5.id, store=store)  # fmt: skip


# --- representation -------------------------------------------------------------------------
def test_representation_present_and_missing(store, code):
    item = ws.add_interaction(
        grant_for(code, store), from_node="housing", to_node="climate", score=-2, title="Planering",
        levels=["local", "regional"], actors=["kommun"], store=store,
    )  # fmt: skip
    ws.open_workshop(grant_for(code, store), store=store)
    ws.join(code, "a", "A", actor_type="municipality", level="local", store=store)
    ws.join(code, "b", "B", actor_type="municipality", level="local", store=store)
    ws.join(code, "c", "C", actor_type="academia", level="national", store=store)
    ws.join(code, "d", "D", store=store)
    people = ws.list_participants(code, store=store)
    cat = ws.get_workshop(code, store=store).catalogue()
    r = ws.representation(cat, item.interaction_id, people)
    assert r.needed_levels == ("local", "regional") and r.needed_actor_types == ("municipality",)
    assert r.needed_actors == ("kommun",)
    assert r.levels_present == {"local": 2, "regional": 0}
    assert r.actor_types_present == {"municipality": 2}
    assert r.missing_levels == ("regional",) and r.missing_actor_types == () and not r.complete
    r1 = ws.representation(cat, "c1", people)  # actors [kommun], no levels
    assert r1.needed_levels == () and r1.missing_actor_types == () and r1.complete
    r0 = ws.representation(cat, "c1", [])
    assert r0.missing_actor_types == ("municipality",) and r0.actor_types_present == {
        "municipality": 0
    }
    _rejected(ws.InvalidSetting, "unknown_interaction", ws.representation, cat, "warmup-1", people)
    room = ws.room_composition(people)
    assert room.total == 4 and room.by_actor_type == {"municipality": 2, "academia": 1}
    assert room.by_level == {"local": 2, "national": 1}
    assert room.no_actor_type == 1 and room.no_level == 1


# --- export ---------------------------------------------------------------------------------
def test_export_has_new_sections_and_stays_anonymous(store, code, created):
    voters = {"voter-secret-1": "Anna Andersson", "voter-secret-2": "Bo Berg"}
    warm = ws.add_warmup(
        grant_for(code, store), {"sv": "Viktigast?", "en": "Most important?"}, store=store
    )
    ws.open_workshop(grant_for(code, store), store=store)
    first = created.workshop.items[0]
    ws.open_voting(grant_for(code, store), warm.id, store=store)
    ws.open_voting(grant_for(code, store), first.id, store=store)
    for voter, name in voters.items():
        ws.join(code, voter, name, actor_type="region", store=store)
        ws.cast_ballot(code, voter, warm.id, value=1, store=store)
        ws.cast_ballot(code, voter, first.id, value=4, store=store)
    p = ws.propose(
        code, "voter-secret-1", title="Elefanten", text="Ingen pratar om den.",
        from_node="nature", to_node="transport", store=store,
    )  # fmt: skip
    ws.propose(
        code, "voter-secret-2", title="Annan", text=None, from_node="nature", to_node="housing",
        store=store,
    )  # fmt: skip
    added = ws.accept_proposal(grant_for(code, store), p.id, store=store)
    ws.save_outcome(grant_for(code, store), first.id, summary="Sammanfattning", outcome="resolved", owner="Kommunen", due_date="2025-09-01", store=store)  # fmt: skip

    text_json = export.export_workshop(grant_for(code, store), "json", store=store)
    for secret in [*voters, *voters.values()]:
        assert secret not in text_json
    data = json.loads(text_json)
    assert {"workshop", "items", "ballots"} <= set(data)  # the old keys stay
    assert data["outcomes"] == [
        {
            "item_id": first.id,
            "position": 2,
            "interaction_id": "c1",
            "summary": "Sammanfattning",
            "outcome": "resolved",
            "owner": "Kommunen",
            "next_step": None,
            "due_date": "2025-09-01",
            "updated_at": data["outcomes"][0]["updated_at"],
        }
    ]
    props = data["proposals"]
    assert [x["status"] for x in props] == ["accepted", "pending"]
    assert props[0]["interaction_id"] == "ws-1" and props[0]["title"] == "Elefanten"
    for x in props:
        assert not {"participant", "participant_id", "voter_id", "display_name"} & set(x)
    assert data["added_interactions"][0]["origin"] == "proposal"
    assert data["added_interactions"][0]["interaction"]["tags"] == ["proposed"]
    kinds = [(a["kind"], a["interaction_id"]) for a in data["agenda"]]
    assert kinds[0] == ("warmup", "warmup-1") and kinds[-1] == ("interaction", added.interaction_id)
    assert data["agenda"][0]["question"] == {"sv": "Viktigast?", "en": "Most important?"}
    assert data["agenda"][0]["title"] == "Viktigast?"
    assert data["warmups"][0]["distribution"]["nature"] == 2
    by_id = {i["interaction_id"]: i for i in data["items"]}
    assert by_id["ws-1"]["origin"] == "proposal" and by_id["c1"]["origin"] == "catalogue"
    assert by_id["ws-1"]["title"] == "Elefanten" and "warmup-1" not in by_id
    warm_ballots = [b for b in data["ballots"] if b["kind"] == "warmup"]
    assert len(warm_ballots) == 2 and {b["goal"] for b in warm_ballots} == {"nature"}
    # the CSV still renders (ballots + interaction tallies)
    rows = list(
        csv.DictReader(
            io.StringIO(export.export_workshop(grant_for(code, store), "csv", store=store))
        )
    )
    assert sum(r["record"] == "tally" for r in rows) == 11
    for secret in [*voters, *voters.values()]:
        assert all(secret not in v for r in rows for v in r.values())
