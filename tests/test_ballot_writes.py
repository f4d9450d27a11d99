"""The ballot write path: ballots bump their voter's row, not the workshop's (schema version 6).

On PostgreSQL every ballot of a room used to queue on the workshop row; these tests hold the
promises that change must keep: ``tally_revision`` still grows with every join, ballot and
proposal, a facilitator's close still excludes a late ballot, one voter's ballots still respect
the dots budget when sent at the same time, and an older database upgrades in place.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect, select, text

from conflicts import store as st
from conflicts import workshops as ws
from conflicts.store import Store, workshops
from tests.helpers import grant_for


@pytest.fixture
def room(store, workshop_catalogue):
    """An open workshop, voting open on its first two items, two joined voters."""
    created = ws.create_workshop(workshop_catalogue, title="Writes", store=store)
    code = created.workshop.code
    ws.open_workshop(grant_for(code, store), store=store)
    items = created.workshop.items[:2]
    for item in items:
        ws.open_voting(grant_for(code, store), item.id, store=store)
    for voter in ("voter-a", "voter-b"):
        ws.join(code, voter, store=store)
    return code, items


def _workshop_row(store: Store, code: str):
    return store.read(
        lambda c: c.execute(select(workshops).where(workshops.c.code == code)).mappings().one()
    )


def test_ballot_leaves_the_workshop_row_alone_and_moves_the_tally_revision(store, room):
    code, items = room
    before_row = _workshop_row(store, code)
    rev, trev = ws.poll(code, store=store)
    ws.cast_ballot(code, "voter-a", items[0].id, 3, store=store)
    ws.cast_ballot(code, "voter-a", items[0].id, 4, store=store)  # a change counts too
    ws.cast_ballot(code, "voter-b", items[1].id, skip=True, store=store)
    assert _workshop_row(store, code) == before_row  # not written: no lock queue on it
    assert ws.poll(code, store=store) == (rev, trev + 3)
    assert ws.get_workshop(code, store=store).tally_revision == trev + 3
    assert ws.get_tally(code, store=store).tally_revision == trev + 3
    ws.join(code, "voter-c", store=store)
    goals = ws.get_workshop(code, store=store).catalogue().goals
    ws.propose(
        code, "voter-c", title="Missing", text=None,
        from_node=goals[0].id, to_node=goals[1].id, store=store,
    )  # fmt: skip
    assert ws.poll(code, store=store) == (rev, trev + 5)


def test_closing_waits_for_ballots_and_refuses_later_ones(store, room):
    code, items = room
    ws.cast_ballot(code, "voter-a", items[0].id, 2, store=store)
    ws.close_voting(grant_for(code, store), items[0].id, store=store)
    with pytest.raises(ws.VotingClosed):
        ws.cast_ballot(code, "voter-b", items[0].id, 2, store=store)
    assert ws.get_tally(code, store=store).item(items[0].id).ballots == 1


def test_one_voters_simultaneous_dots_stay_within_the_budget(store, workshop_catalogue):
    created = ws.create_workshop(workshop_catalogue, title="Dots", store=store)
    code = created.workshop.code
    ws.set_voting_method(grant_for(code, store), "dots", dot_budget=5, store=store)
    ws.open_workshop(grant_for(code, store), store=store)
    items = [i for i in created.workshop.items if i.kind != "warmup"][:6]
    for item in items:
        ws.open_voting(grant_for(code, store), item.id, store=store)
    ws.join(code, "spender", store=store)
    start = threading.Barrier(len(items))

    def spend(item_id: int) -> bool:
        start.wait()
        try:
            ws.cast_ballot(code, "spender", item_id, 2, store=store)
        except ws.BudgetExceeded:
            return False
        return True

    with ThreadPoolExecutor(len(items)) as pool:
        stored = sum(pool.map(spend, [i.id for i in items]))
    assert stored == 2  # 2 + 2 of 5: the third sees the first two whatever the timing
    mine = ws.my_ballots(code, "spender", store=store)
    assert sum(b.value for b in mine.values()) == 4


def test_older_database_gets_the_counter_and_keeps_its_tally_revision(db_url, workshop_catalogue):
    s = Store(db_url)
    s.init()
    created = ws.create_workshop(workshop_catalogue, title="Old", store=s)
    code = created.workshop.code
    ws.open_workshop(grant_for(code, s), store=s)
    ws.open_voting(grant_for(code, s), created.workshop.items[0].id, store=s)
    ws.join(code, "old-voter", store=s)
    version = st.MIGRATIONS.index(st._migration_6) + 1  # the migration that adds the counter
    engine = st.make_engine(db_url)
    try:  # as the version before it left it: no participants.changes, the old bumps on the workshop row
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_participants_workshop_changes"))
            conn.execute(text('ALTER TABLE participants DROP COLUMN "changes"'))
            conn.execute(text("UPDATE workshops SET tally_revision = 7"))
            conn.execute(text("DELETE FROM schema_version WHERE version >= :v"), {"v": version})
    finally:
        engine.dispose()
    again = Store(db_url, engine=st.make_engine(db_url))
    assert again.init() == st.SCHEMA_VERSION
    columns = {c["name"] for c in inspect(again.engine).get_columns("participants")}
    assert "changes" in columns
    assert ws.poll(code, store=again)[1] == 7  # never goes back
    ws.cast_ballot(code, "old-voter", created.workshop.items[0].id, 5, store=again)
    assert ws.poll(code, store=again)[1] == 8
