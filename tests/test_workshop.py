"""Workshop domain against real databases (SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from conflicts import workshops as ws
from conflicts.errors import CatalogueError
from conflicts.reports import export
from conflicts.store import Store, ballots, make_engine, participants, workshops
from tests.helpers import grant_for

VOTER = "cookie-5f0c1e9a-raw-voter-id"


@pytest.fixture
def created(store, workshop_catalogue):
    return ws.create_workshop(workshop_catalogue, title="Test", store=store)


@pytest.fixture
def running(store, created):
    """An open workshop with voting open on the first item and one joined voter."""
    code = created.workshop.code
    ws.open_workshop(grant_for(code, store), store=store)
    item = created.workshop.items[0]
    ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, VOTER, "Anna", store=store)
    return code, item


def _count(store: Store, table) -> int:
    return store.read(lambda c: c.execute(select(func.count()).select_from(table)).scalar())


def _rejected(exc_type, code, fn, *args, **kwargs):
    with pytest.raises(exc_type) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


# --- creating -------------------------------------------------------------------------------
def test_create_default_agenda_and_snapshot(store, workshop_catalogue, tmp_path):
    copy = tmp_path / "mine.yaml"
    shutil.copy(workshop_catalogue, copy)
    created = ws.create_workshop(copy, store=store)
    w = created.workshop
    assert w.status == "draft" and w.method == "rating" and w.mode == "follow"
    assert w.title == "Testverkstad"  # the catalogue's title in its first language
    assert [i.interaction_id for i in w.items] == [f"c{n}" for n in range(1, 11)]
    assert all(i.voting == "not_started" for i in w.items)
    assert len(w.code) == 6 and set(w.code) <= set(ws.JOIN_CODE_ALPHABET)
    assert created.join_path == f"/join?code={w.code}"
    assert w.catalogue_name == "mine" and w.catalogue_path == str(copy.resolve())
    copy.write_text("not: [valid", encoding="utf-8")  # the file changes: the workshop does not
    again = ws.get_workshop(w.code, store=store)
    assert again.catalogue().interactions_by_id["c4"].score == -3
    assert ws.get_tally(w.code, store=store).items[3].catalogue_score == -3


def test_create_rejects_unknown_and_invalid_catalogues(store, tmp_path):
    _rejected(ws.UnknownCatalogue, "unknown_catalogue", ws.create_workshop, "nope", store=store)
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {title: X}\ngoals: []\n", encoding="utf-8")
    with pytest.raises(CatalogueError):
        ws.create_workshop(bad, store=store)
    assert _count(store, workshops) == 0


def test_create_with_agenda_and_unknown_interaction(store, workshop_catalogue):
    w = ws.create_workshop(workshop_catalogue, agenda=["s1", "c3"], store=store).workshop
    assert [i.interaction_id for i in w.items] == ["s1", "c3"]
    _rejected(
        ws.InvalidSetting,
        "unknown_interaction",
        ws.create_workshop,
        workshop_catalogue,
        agenda=["c1", "zz"],
        store=store,
    )


def test_join_code_lookup_is_forgiving(store, created):
    code = created.workshop.code
    assert ws.get_workshop(f" {code[:3].lower()}-{code[3:]} ", store=store).code == code
    _rejected(ws.WorkshopNotFound, "unknown_code", ws.get_workshop, "AAAAAA", store=store)


# --- facilitator key ------------------------------------------------------------------------
def test_facilitator_key_is_hashed_and_checked(store, created, monkeypatch):
    monkeypatch.delenv("CONFLICTS_ADMIN_PASSWORD", raising=False)
    w, key = created.workshop, created.facilitator_key
    stored = store.read(lambda c: c.execute(select(workshops.c.facilitator_key_hash)).scalar_one())
    assert key not in stored and stored.startswith("scrypt$")
    assert ws.check_facilitator(w, key, store=store)
    assert ws.check_facilitator(w.code, key, store=store)
    assert not ws.check_facilitator(w, key + "x", store=store)
    assert not ws.check_facilitator(w, "", store=store)
    assert not ws.check_facilitator(w, "admin-secret", store=store)
    monkeypatch.setenv("CONFLICTS_ADMIN_PASSWORD", "admin-secret")
    assert ws.check_facilitator(w, "admin-secret", store=store)
    with pytest.raises(ws.AccessDenied):
        ws.unlock(w, "wrong", store=store)
    with pytest.raises(ws.WorkshopNotFound):
        ws.check_facilitator("AAAAAA", key, store=store)


# --- joining --------------------------------------------------------------------------------
def test_join_is_idempotent(store, created):
    code = created.workshop.code
    p1 = ws.join(code, VOTER, "Anna", actor_type="municipality", level="local", store=store)
    p2 = ws.join(code, VOTER, store=store)  # a reload
    assert p1.id == p2.id and p2.display_name == "Anna" and p2.actor_type == "municipality"
    p3 = ws.join(code, VOTER, "Anna B", store=store)  # a corrected name, same participant
    assert p3.id == p1.id and p3.display_name == "Anna B"
    assert _count(store, participants) == 1
    assert ws.get_participant(code, VOTER, store=store).id == p1.id
    assert ws.get_participant(code, "someone-else", store=store) is None


def test_join_display_name_is_plain_text_max_60(store, created):
    code = created.workshop.code
    name = "<script>alert(1)</script> Ågren & 'Ö'"
    assert ws.join(code, "v1", name, store=store).display_name == name
    assert ws.join(code, "v2", "x" * 60, store=store).display_name == "x" * 60
    err = _rejected(ws.TextTooLong, "text_too_long", ws.join, code, "v3", "x" * 61, store=store)
    assert err.params == {"field": "display_name", "max": 60}
    _rejected(ws.InvalidText, "invalid_text", ws.join, code, "v3", "a\x00b", store=store)
    _rejected(ws.InvalidText, "text_required", ws.join, code, "  ", store=store)
    _rejected(ws.InvalidValue, "invalid_value", ws.join, code, "v3", actor_type="king", store=store)
    _rejected(ws.InvalidValue, "invalid_value", ws.join, code, "v3", level="galactic", store=store)
    _rejected(ws.WorkshopNotFound, "unknown_code", ws.join, "AAAAAA", "v3", store=store)
    assert _count(store, participants) == 2


def test_closed_mode_participant_codes(store, created):
    code = created.workshop.code
    ws.open_workshop(grant_for(code, store), store=store)
    item = created.workshop.items[0]
    ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, "early", store=store)  # joined before closed mode: no code
    codes = ws.generate_participant_codes(grant_for(code, store), 3, store=store)
    assert len(set(codes)) == 3 and all(len(c) == 8 for c in codes)
    ws.set_participant_codes_required(grant_for(code, store), True, store=store)
    _rejected(ws.NotEntitled, "not_entitled", ws.join, code, "v1", store=store)
    _rejected(
        ws.ParticipantCodeInvalid,
        "participant_code_invalid",
        ws.join,
        code,
        "v1",
        participant_code="ZZZZZZZZ",
        store=store,
    )
    p = ws.join(code, "v1", participant_code=codes[0].lower(), store=store)
    assert p.has_participant_code
    assert ws.join(code, "v1", store=store).id == p.id  # a reload needs no code again
    _rejected(
        ws.ParticipantCodeUsed,
        "participant_code_used",
        ws.join,
        code,
        "v2",
        participant_code=codes[0],
        store=store,
    )
    # the participant without a code may not vote; the one with a code may
    _rejected(
        ws.NotEntitled, "not_entitled", ws.cast_ballot, code, "early", item.id, 3, store=store
    )
    ws.cast_ballot(code, "v1", item.id, 3, store=store)
    # the early participant reloads (same record, still no code), then enters a code
    early = ws.join(code, "early", store=store)
    assert not early.has_participant_code
    assert ws.join(code, "early", participant_code=codes[1], store=store).has_participant_code
    ws.cast_ballot(code, "early", item.id, 4, store=store)
    assert ws.list_participant_codes(grant_for(code, store), store=store) == [
        (codes[0], True),
        (codes[1], True),
        (codes[2], False),
    ]


# --- ballots --------------------------------------------------------------------------------
def test_cast_change_and_skip(store, running):
    code, item = running
    b1 = ws.cast_ballot(code, VOTER, item.id, 4, store=store)
    assert (b1.value, b1.skipped, b1.method) == (4, False, "rating")
    b2 = ws.cast_ballot(code, VOTER, item.id, 2, store=store)  # change of mind
    assert b2.id == b1.id and b2.value == 2
    b3 = ws.cast_ballot(code, VOTER, item.id, skip=True, store=store)
    assert b3.id == b1.id and b3.value is None and b3.skipped
    assert _count(store, ballots) == 1
    assert ws.my_ballots(code, VOTER, store=store)[item.id].skipped
    t = ws.get_tally(code, store=store).item(item.id)
    assert (t.ballots, t.skips) == (0, 1)


def test_rejections_write_nothing(store, created):
    code = created.workshop.code
    first, second = created.workshop.items[0], created.workshop.items[1]
    ws.open_voting(grant_for(code, store), first.id, store=store)
    ws.join(code, VOTER, store=store)
    # draft workshop
    _rejected(
        ws.WorkshopNotOpen, "workshop_not_started", ws.cast_ballot, code, VOTER, first.id, 3,
        store=store,
    )  # fmt: skip
    ws.open_workshop(grant_for(code, store), store=store)
    # item not opened yet, unknown item, not joined, out of range, bad input
    err = _rejected(ws.VotingClosed, "voting_closed", ws.cast_ballot, code, VOTER, second.id, 3, store=store)  # fmt: skip
    assert err.params["voting"] == "not_started"
    _rejected(ws.UnknownItem, "unknown_item", ws.cast_ballot, code, VOTER, 999_999, 3, store=store)
    _rejected(
        ws.NotJoined, "not_joined", ws.cast_ballot, code, "stranger", first.id, 3, store=store
    )
    for bad in (0, 6, -1):
        err = _rejected(
            ws.ValueOutOfRange, "value_out_of_range", ws.cast_ballot, code, VOTER, first.id, bad,
            store=store,
        )  # fmt: skip
        assert (err.params["min"], err.params["max"]) == (1, 5)
    _rejected(
        ws.InvalidBallot, "value_required", ws.cast_ballot, code, VOTER, first.id, store=store
    )
    _rejected(ws.InvalidBallot, "invalid_ballot", ws.cast_ballot, code, VOTER, first.id, 3, skip=True, store=store)  # fmt: skip
    _rejected(ws.InvalidBallot, "invalid_ballot", ws.cast_ballot, code, VOTER, first.id, "3", store=store)  # fmt: skip
    _rejected(ws.InvalidBallot, "invalid_ballot", ws.cast_ballot, code, VOTER, first.id, True, store=store)  # fmt: skip
    _rejected(ws.WorkshopNotFound, "unknown_code", ws.cast_ballot, "AAAAAA", VOTER, first.id, 3, store=store)  # fmt: skip
    assert _count(store, ballots) == 0
    # a closed item
    ws.cast_ballot(code, VOTER, first.id, 3, store=store)
    ws.close_voting(grant_for(code, store), first.id, store=store)
    _rejected(ws.VotingClosed, "voting_closed", ws.cast_ballot, code, VOTER, first.id, 5, store=store)  # fmt: skip
    # a closed workshop: also closes open items
    ws.open_voting(grant_for(code, store), second.id, store=store)
    w = ws.close_workshop(grant_for(code, store), store=store)
    assert w.status == "closed" and all(i.voting != "open" for i in w.items)
    _rejected(ws.WorkshopNotOpen, "workshop_closed", ws.cast_ballot, code, VOTER, second.id, 3, store=store)  # fmt: skip
    _rejected(ws.WorkshopNotOpen, "workshop_closed", ws.join, code, "latecomer", store=store)
    assert ws.join(code, VOTER, store=store)  # an existing participant still gets their record
    assert ws.my_ballots(code, VOTER, store=store)[first.id].value == 3  # unchanged


def test_score_method_range(store, running):
    code, item = running
    ws.set_voting_method(grant_for(code, store), "score", store=store)
    assert ws.cast_ballot(code, VOTER, item.id, -3, store=store).value == -3
    assert ws.cast_ballot(code, VOTER, item.id, 3, store=store).value == 3
    _rejected(ws.ValueOutOfRange, "value_out_of_range", ws.cast_ballot, code, VOTER, item.id, 4, store=store)  # fmt: skip


def test_dots_budget(store, created):
    code = created.workshop.code
    a, b, c = created.workshop.items[:3]
    ws.set_voting_method(grant_for(code, store), "dots", dot_budget=5, store=store)
    ws.open_workshop(grant_for(code, store), store=store)
    for item in (a, b, c):
        ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, VOTER, store=store)
    ws.cast_ballot(code, VOTER, a.id, 3, store=store)
    ws.cast_ballot(code, VOTER, b.id, 2, store=store)
    err = _rejected(ws.BudgetExceeded, "budget_exceeded", ws.cast_ballot, code, VOTER, c.id, 1, store=store)  # fmt: skip
    assert err.params == {"budget": 5, "used": 5, "remaining": 0}
    ws.cast_ballot(code, VOTER, a.id, 1, store=store)  # moving dots: its own old value is freed
    ws.cast_ballot(code, VOTER, c.id, 2, store=store)
    _rejected(ws.ValueOutOfRange, "value_out_of_range", ws.cast_ballot, code, VOTER, c.id, 6, store=store)  # fmt: skip
    mine = ws.my_ballots(code, VOTER, store=store)
    assert {i: b.value for i, b in mine.items()} == {a.id: 1, b.id: 2, c.id: 2}
    # the method is locked once ballots exist; the budget may grow
    _rejected(ws.InvalidSetting, "method_locked", ws.set_voting_method, grant_for(code, store), "rating", store=store)  # fmt: skip
    _rejected(ws.InvalidSetting, "method_locked", ws.set_voting_method, grant_for(code, store), "dots", dot_budget=4, store=store)  # fmt: skip
    assert (
        ws.set_voting_method(grant_for(code, store), "dots", dot_budget=8, store=store).dot_budget
        == 8
    )


def test_ranking(store, created):
    code = created.workshop.code
    items = created.workshop.items[:4]
    ws.set_voting_method(grant_for(code, store), "ranking", ranking_size=3, store=store)
    ws.open_workshop(grant_for(code, store), store=store)
    for item in items:
        ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, "a", store=store)
    ws.join(code, "b", store=store)
    ids = [i.id for i in items]
    got = ws.cast_ranking(code, "a", [ids[1], ids[0], ids[2]], store=store)
    assert [b.value for b in got] == [3, 2, 1]
    ws.cast_ranking(code, "a", [ids[1], ids[3]], store=store)  # re-rank: replaces the old one
    assert {i: b.value for i, b in ws.my_ballots(code, "a", store=store).items()} == {
        ids[1]: 3,
        ids[3]: 2,
    }
    ws.cast_ranking(code, "b", [ids[3]], store=store)
    _rejected(ws.InvalidBallot, "too_many_items", ws.cast_ranking, code, "b", ids, store=store)
    _rejected(ws.InvalidBallot, "duplicate_item", ws.cast_ranking, code, "b", [ids[0], ids[0]], store=store)  # fmt: skip
    _rejected(ws.InvalidBallot, "wrong_method", ws.cast_ballot, code, "b", ids[0], 2, store=store)
    ws.cast_ballot(code, "b", ids[0], skip=True, store=store)  # skipping is allowed
    t = ws.get_tally(code, store=store)
    assert [x.total for x in t.items[:4]] == [None, 3, None, 5]
    assert [x.rank for x in t.ranking] == [1, 2] and t.ranking[0].item_id == ids[3]
    assert t.items[0].skips == 1


# --- facilitator state ----------------------------------------------------------------------
def test_follow_mode_agenda_and_revisions(store, created):
    code = created.workshop.code
    items = created.workshop.items
    rev0, trev0 = ws.poll(code, store=store)
    w = ws.set_current_item(grant_for(code, store), items[2].id, store=store)
    assert w.current_item == items[2] and w.revision > rev0
    w = ws.set_mode(grant_for(code, store), "free", store=store)
    assert w.mode == "free"
    _rejected(
        ws.InvalidSetting,
        "invalid_setting",
        ws.set_mode,
        grant_for(code, store),
        "chaos",
        store=store,
    )
    _rejected(
        ws.UnknownItem,
        "unknown_item",
        ws.set_current_item,
        grant_for(code, store),
        999_999,
        store=store,
    )
    assert ws.set_current_item(grant_for(code, store), None, store=store).current_item is None
    # reorder
    new_order = [i.id for i in reversed(items)]
    w = ws.reorder_agenda(grant_for(code, store), new_order, store=store)
    assert [i.id for i in w.items] == new_order
    _rejected(ws.InvalidSetting, "invalid_agenda", ws.reorder_agenda, grant_for(code, store), new_order[:-1], store=store)  # fmt: skip
    # set_agenda keeps existing items, adds new, removes unused
    ws.open_workshop(grant_for(code, store), store=store)
    ws.open_voting(grant_for(code, store), items[0].id, store=store)
    ws.join(code, VOTER, store=store)
    ws.cast_ballot(code, VOTER, items[0].id, 5, store=store)
    w = ws.set_agenda(grant_for(code, store), ["s1", "c1"], store=store)
    assert [i.interaction_id for i in w.items] == ["s1", "c1"]
    assert w.items[1].id == items[0].id and w.items[1].voting == "open"
    _rejected(
        ws.InvalidSetting,
        "item_has_ballots",
        ws.set_agenda,
        grant_for(code, store),
        ["s1"],
        store=store,
    )
    _rejected(
        ws.InvalidSetting,
        "duplicate_item",
        ws.set_agenda,
        grant_for(code, store),
        ["c1", "c1"],
        store=store,
    )
    rev, trev = ws.poll(code, store=store)
    assert rev > rev0 and trev == trev0 + 2  # one join, one ballot
    assert ws.set_title(grant_for(code, store), "Renamed", store=store).title == "Renamed"


def test_hidden_results_for_participants(store, running):
    code, item = running
    ws.set_hide_results(grant_for(code, store), True, store=store)
    ws.cast_ballot(code, VOTER, item.id, 4, store=store)
    public = ws.get_tally(code, store=store).item(item.id)
    assert public.hidden and public.mean is None and public.ballots == 1
    assert ws.get_tally(grant_for(code, store), store=store).item(item.id).mean == 4.0
    ws.close_voting(grant_for(code, store), item.id, store=store)
    assert ws.get_tally(code, store=store).item(item.id).mean == 4.0


def test_tally_numbers_through_the_store(store, running):
    code, item = running
    for n, value in enumerate([1, 2, 3, 4, 5]):
        ws.join(code, f"v{n}", store=store)
        ws.cast_ballot(code, f"v{n}", item.id, value, store=store)
    ws.cast_ballot(code, VOTER, item.id, skip=True, store=store)
    t = ws.get_tally(code, store=store)
    it = t.item(item.id)
    assert (it.ballots, it.skips, it.mean, it.median) == (5, 1, 3.0, 3.0)
    assert it.distribution == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert it.consensus == pytest.approx(0.433985, abs=1e-6)
    assert t.participants == 6 and it.rank == 1


# --- concurrency ----------------------------------------------------------------------------
def test_concurrent_ballots_stored_exactly_once(store, created):
    code = created.workshop.code
    items = created.workshop.items
    assert len(items) == 10
    ws.open_workshop(grant_for(code, store), store=store)
    for item in items:
        ws.open_voting(grant_for(code, store), item.id, store=store)
    voters = [f"voter-{n}" for n in range(20)]
    for v in voters:
        ws.join(code, v, store=store)
    start = threading.Barrier(20)

    def vote(n: int) -> int:
        start.wait()
        for k, item in enumerate(items):
            ws.cast_ballot(code, voters[n], item.id, 1 + (n + k) % 5, store=store)
            ws.cast_ballot(code, voters[n], item.id, 1 + (n + k + 1) % 5, store=store)  # change
        return n

    with ThreadPoolExecutor(20) as pool:
        assert sorted(pool.map(vote, range(20))) == list(range(20))
    assert _count(store, ballots) == 200
    t = ws.get_tally(code, store=store)
    assert all(x.ballots == 20 for x in t.items)
    assert t.tally_revision == 20 + 400  # every join and ballot bumped it exactly once
    for n, v in enumerate(voters):
        mine = ws.my_ballots(code, v, store=store)
        assert {i: b.value for i, b in mine.items()} == {
            item.id: 1 + (n + k + 1) % 5 for k, item in enumerate(items)
        }


def test_concurrent_dots_never_exceed_budget(store, created):
    code = created.workshop.code
    items = created.workshop.items
    ws.set_voting_method(grant_for(code, store), "dots", dot_budget=10, store=store)
    ws.open_workshop(grant_for(code, store), store=store)
    for item in items:
        ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, VOTER, store=store)
    start = threading.Barrier(10)

    def spend(item_id: int) -> bool:
        start.wait()
        try:
            ws.cast_ballot(code, VOTER, item_id, 3, store=store)
            return True
        except ws.BudgetExceeded:
            return False

    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(spend, [i.id for i in items]))
    assert results.count(True) == 3
    assert sum(b.value for b in ws.my_ballots(code, VOTER, store=store).values()) == 9


def test_two_engines_see_each_others_ballots(db_url, store, workshop_catalogue):
    # two Stores with their own engines and pools: what two server processes would have
    a = Store(db_url, engine=make_engine(db_url))
    b = Store(db_url, engine=make_engine(db_url))
    try:
        created = ws.create_workshop(workshop_catalogue, store=a)
        code = created.workshop.code
        item = created.workshop.items[0]
        ws.open_workshop(grant_for(code, b), store=b)
        ws.open_voting(grant_for(code, a), item.id, store=a)
        ws.join(code, "va", store=a)
        ws.join(code, "vb", store=b)
        ws.cast_ballot(code, "va", item.id, 5, store=a)
        ws.cast_ballot(code, "vb", item.id, 1, store=b)
        ws.cast_ballot(code, "va", item.id, 4, store=b)  # a change arriving at the other process
        for s in (a, b):
            t = ws.get_tally(code, store=s).item(item.id)
            assert (t.ballots, t.mean) == (2, 2.5)
    finally:
        a.engine.dispose()
        b.engine.dispose()


# --- export ---------------------------------------------------------------------------------
def _exportable(store, created):
    code = created.workshop.code
    items = created.workshop.items
    ws.open_workshop(grant_for(code, store), store=store)
    ws.open_voting(grant_for(code, store), items[0].id, store=store)
    ws.open_voting(grant_for(code, store), items[1].id, store=store)
    names = {"cookie-raw-aaaa-1111": "Zlatan Unique", "cookie-raw-bbbb-2222": "Greta Nameless"}
    for voter, name in names.items():
        ws.join(code, voter, name, actor_type="region", store=store)
    ws.cast_ballot(code, "cookie-raw-aaaa-1111", items[0].id, 5, store=store)
    ws.cast_ballot(code, "cookie-raw-bbbb-2222", items[0].id, 2, store=store)
    ws.cast_ballot(code, "cookie-raw-aaaa-1111", items[1].id, skip=True, store=store)
    ws.close_voting(grant_for(code, store), items[0].id, store=store)
    return code, names


def test_export_json_is_anonymised(store, created):
    code, names = _exportable(store, created)
    text = export.export_workshop(grant_for(code, store), "json", store=store)
    for secret in [*names, *names.values(), created.facilitator_key]:
        assert secret not in text
    data = json.loads(text)
    assert set(data) == {"workshop", "items", "ballots"} | {
        "agenda",  # schema version 2: conflicts.workshops
        "warmups",
        "outcomes",
        "proposals",
        "added_interactions",
        "matrices",  # schema version 7: matrix scoring sessions (no voter, only rationales)
    }
    assert data["workshop"]["code"] == code and data["workshop"]["participants"] == 2
    assert len(data["ballots"]) == 3
    pseudos = {b["participant"] for b in data["ballots"]}
    assert len(pseudos) == 2 and all(p.startswith("p-") and len(p) == 10 for p in pseudos)
    a_rows = [b for b in data["ballots"] if b["skipped"]]
    assert a_rows[0]["value"] is None and a_rows[0]["interaction_id"] == "c2"
    first = data["items"][0]
    assert first["interaction_id"] == "c1" and first["mean"] == 3.5 and first["ballots"] == 2
    assert first["title"] == "Bostäder mot grönområden"
    # pseudonyms are stable between exports
    assert {b["participant"] for b in json.loads(export.export_workshop(grant_for(code, store), store=store))["ballots"]} == pseudos  # fmt: skip


def test_export_csv_is_anonymised(store, created):
    code, names = _exportable(store, created)
    text = export.export_workshop(grant_for(code, store), "csv", store=store)
    for secret in [*names, *names.values()]:
        assert secret not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == export.CSV_COLUMNS
    kinds = [r["record"] for r in rows]
    assert kinds == ["ballot"] * 3 + ["tally"] * 10
    tally_c1 = rows[3]
    assert tally_c1["interaction_id"] == "c1" and tally_c1["mean"] == "3.5000"
    _rejected(
        ws.InvalidSetting,
        "invalid_setting",
        export.export_workshop,
        grant_for(code, store),
        "pdf",
        store=store,
    )


# --- permission: the facilitator grant ------------------------------------------------------
def test_facilitator_actions_need_a_real_grant_for_that_workshop(
    store, created, workshop_catalogue
):
    code = created.workshop.code
    with pytest.raises(TypeError):
        ws.FacilitatorGrant(code, created.workshop.id)  # only unlock/create make one
    _rejected(ws.AccessDenied, "access_denied", ws.open_workshop, code, store=store)
    other = ws.create_workshop(workshop_catalogue, title="Other", store=store)
    forged = dataclasses.replace(other.grant, code=code)  # another workshop's grant, relabelled
    _rejected(ws.AccessDenied, "access_denied", ws.open_workshop, forged, store=store)
    _rejected(ws.AccessDenied, "access_denied", ws.snapshot, code, store=store)
    _rejected(ws.AccessDenied, "access_denied", ws.list_proposals, code, store=store)
    assert ws.get_workshop(code, store=store).status == "draft"  # nothing was written
    grant = ws.unlock(code, created.facilitator_key, store=store)
    assert grant == created.grant and "key" not in repr(grant).lower()
    assert ws.open_workshop(grant, store=store).status == "open"
