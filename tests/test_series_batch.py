"""The regional projector's batched, shared read and removing a room from a series.

* ``ws.public_tallies`` / ``ws.poll_many`` give what ``get_workshop`` + ``get_tally`` / ``poll``
  give room by room (hidden results, warm-ups, added interactions, another method);
* the number of SQL statements of one regional read does not grow with the rooms (an event
  listener on a real SQLite file, 2 rooms vs 10);
* the read is shared by a process's callers for ``CACHE_S`` (one load for many threads);
* ``series.remove_workshop`` and ``python -m conflicts series remove`` (in process).
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from sqlalchemy import event

from conflicts import series
from conflicts import workshops as ws
from conflicts.cli import main
from conflicts.reports.results import build_results
from conflicts.series import load as series_load
from conflicts.shared_reads import SharedReads
from conflicts.store import Store
from tests.helpers import grant_for
from tests.test_results import FIXTURE, build_round


def _rooms(store: Store) -> list[str]:
    """Three rooms unlike each other: hidden results, dots, one without ballots."""
    a = build_round(store, title="Nordost")
    b = build_round(store, title="Sydväst", ratings={"c1": [1, 2, 1, 1], "c2": [5, 5, 4]})
    ws.set_hide_results(grant_for(b.code, store), True, store=store)
    c = ws.create_workshop(FIXTURE, title="Tomt", method="dots", store=store).workshop.code
    d = build_round(store, title="Öppet")
    item = ws.get_workshop(d.code, store=store).items[1]
    ws.open_voting(grant_for(d.code, store), item.id, store=store)  # hidden while open
    ws.set_hide_results(grant_for(d.code, store), True, store=store)
    return [a.code, b.code, c, d.code]


def _one_by_one(code: str, store: Store):
    """The projector's read before the batch: every room on its own."""
    s = series.get_series(code, store=store)
    rooms = [(ws.get_workshop(c, store=store), ws.get_tally(c, store=store)) for c in s.workshops]
    results = [build_results(ws.public_snapshot(w, t), lang="en") for w, t in rooms]
    return s, series.aggregate(results, weighting=s.weighting, proposals={}), rooms


def test_batched_read_equals_the_room_by_room_read(store):
    codes = _rooms(store)
    assert ws.public_tallies(codes, store=store) == [
        (ws.get_workshop(c, store=store), ws.get_tally(c, store=store)) for c in codes
    ]
    assert ws.public_tallies(list(reversed(codes)), store=store)[0][0].code == codes[-1]
    assert ws.public_tallies([], store=store) == []
    assert ws.poll_many(codes, store=store) == [ws.poll(c, store=store) for c in codes]
    with pytest.raises(ws.WorkshopNotFound):
        ws.public_tallies([codes[0], "NOSUCH"], store=store)
    with pytest.raises(ws.WorkshopNotFound):
        ws.poll_many(["NOSUCH"], store=store)

    a_only = series.create_series("R", [grant_for(codes[0], store)], store=store)
    created = series.create_series("R", [grant_for(c, store) for c in codes[:2]], store=store)
    # the dots room joins a series of rating rooms? Only on one catalogue: same fixture, so yes
    for c in codes[2:]:
        series.add_workshop(created.grant, grant_for(c, store), store=store)
    for sid in (created.series.code, a_only.series.code):
        s_old, old, _ = _one_by_one(sid, store)
        s_new, new = series.public_series(sid, lang="en", store=store)
        assert (s_new, new) == (s_old, old)
    assert series.poll_rooms(s_new, store=store) == tuple(
        ws.poll(c, store=store) for c in s_new.workshops
    )


def _count_statements(store: Store, fn) -> int:
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])


def test_a_regional_read_does_not_grow_with_the_rooms(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'region.db'}")  # a real file, as the app's
    store.init()
    first = build_round(store, title="Rum 1")
    rooms = [first.code]
    for n in range(2, 11):
        w = ws.create_workshop(FIXTURE, title=f"Rum {n}", store=store).workshop
        ws.open_workshop(grant_for(w.code, store), store=store)
        item = w.items[0]
        ws.open_voting(grant_for(w.code, store), item.id, store=store)
        for v in range(n):
            ws.join(w.code, f"voter-{n}-{v}", None, None, None, store=store)
            ws.cast_ballot(w.code, f"voter-{n}-{v}", item.id, value=1 + v % 5, store=store)
        rooms.append(w.code)
    two = series.create_series("Två", [grant_for(c, store) for c in rooms[:2]], store=store)
    ten = series.create_series("Tio", [grant_for(c, store) for c in rooms], store=store)

    def read(sid):
        return lambda: series.public_series(sid, lang="en", store=store)

    n_two = _count_statements(store, read(two.series.code))
    n_ten = _count_statements(store, read(ten.series.code))
    assert n_ten == n_two <= 10, (n_two, n_ten)
    # the room by room read it replaces: some 10 statements a room
    n_old = _count_statements(store, lambda: _one_by_one(ten.series.code, store))
    assert n_old >= 10 * len(rooms)
    _, results = read(ten.series.code)()
    assert len(results.rooms) == 10 and results.conflicts[0].aggregate.ballots > 0
    # the regional view's change detection: one statement for the ten rooms
    s = series.get_series(ten.series.code, store=store)
    assert _count_statements(store, lambda: series.poll_rooms(s, store=store)) == 1


def test_the_projectors_of_a_process_share_one_read(store, monkeypatch):
    codes = _rooms(store)[:2]
    sid = series.create_series("R", [grant_for(c, store) for c in codes], store=store).series.code
    monkeypatch.setattr(series_load, "_shared", SharedReads(60.0))  # no expiry during the test
    calls = []
    real = series_load.public_rooms

    def counted(*args, **kwargs):
        calls.append(1)
        time.sleep(0.05)  # slow enough that the threads overlap
        return real(*args, **kwargs)

    monkeypatch.setattr(series_load, "public_rooms", counted)
    got = []
    threads = [
        threading.Thread(
            target=lambda: got.append(series.public_series(sid, store=store, shared=True))
        )
        for _ in range(8)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1 and len(got) == 8 and all(g is got[0] or g == got[0] for g in got)
    # a ballot cast now is not seen until the read expires; unshared reads see it at once
    ballots_before = sum(x.ballots for c in got[0][1].conflicts for x in c.rooms)
    w = ws.get_workshop(codes[0], store=store)
    ws.open_voting(grant_for(codes[0], store), w.items[1].id, store=store)
    ws.join(codes[0], "late-voter", None, None, None, store=store)
    ws.cast_ballot(codes[0], "late-voter", w.items[1].id, value=3, store=store)

    def total(res):
        return sum(x.ballots for c in res[1].conflicts for x in c.rooms)

    assert total(series.public_series(sid, store=store, shared=True)) == ballots_before
    assert total(series.public_series(sid, store=store)) == ballots_before + 1
    monkeypatch.setattr(series_load, "_shared", SharedReads(0.0))  # expired
    assert total(series.public_series(sid, store=store, shared=True)) == ballots_before + 1


def test_shared_reads_keep_nothing_on_an_error_and_stay_bounded():
    reads: SharedReads[int] = SharedReads(60.0, max_entries=2)

    def fail():
        raise RuntimeError("outage")

    with pytest.raises(RuntimeError):
        reads.get("a", fail)
    assert reads.get("a", lambda: 1) == 1
    reads.put("b", 2)
    reads.put("c", 3)  # a third key: the two kept are forgotten
    assert reads.fresh("a") is None and reads.fresh("c") == 3
    assert reads.fresh("c", accept=lambda v: v > 3) is None


# --------------------------------------------------------------------------------------------
# Removing a room
# --------------------------------------------------------------------------------------------
def test_remove_a_room(store):
    a, b = build_round(store), build_round(store, title="Runda 2")
    created = series.create_series("R", [grant_for(a.code, store), grant_for(b.code, store)],
                                   store=store)  # fmt: skip
    s = series.remove_workshop(created.grant, b.code.lower(), store=store)
    assert s.workshops == (a.code,)
    assert series.get_series(created.series.code, store=store).workshops == (a.code,)
    assert ws.get_workshop(b.code, store=store).code == b.code  # the workshop stays
    assert series.series_of(grant_for(b.code, store), store=store) == []
    _, res = series.public_series(created.series.code, store=store)
    assert [r.code for r in res.rooms] == [a.code]
    with pytest.raises(series.SeriesRoomNotFound) as err:
        series.remove_workshop(created.grant, b.code, store=store)
    assert err.value.code == "not_in_series"
    assert err.value.params == {"series": created.series.code, "code_value": b.code}
    with pytest.raises(ws.WorkshopNotFound):
        series.remove_workshop(created.grant, "NOSUCH", store=store)
    assert series.add_workshop(created.grant, grant_for(b.code, store), store=store).workshops == (
        a.code,
        b.code,
    )  # and back again


def test_cli_remove(db_env, capsys):
    store = Store(db_env)
    store.init()
    a, b = build_round(store), build_round(store, title="Runda 2")
    assert main(["series", "create", "--title", "R", a.code, b.code, "--json"]) == 0
    sid = json.loads(capsys.readouterr().out)["series"]
    assert main(["series", "remove", sid.lower(), b.code.lower()]) == 0
    assert capsys.readouterr().out.strip() == f"{sid}: {a.code}"
    assert series.get_series(sid, store=store).workshops == (a.code,)
    assert main(["series", "remove", sid, b.code]) == 1
    assert "error [not_in_series]" in capsys.readouterr().err
    assert main(["series", "remove", "S-NOPE", a.code]) == 1
    assert "error [unknown_series]" in capsys.readouterr().err
    assert main(["series", "remove", sid, "NOSUCH"]) == 1
    assert "error [unknown_code]" in capsys.readouterr().err
    assert main(["series", "remove", sid, a.code]) == 0
    assert capsys.readouterr().out.strip() == f"{sid}:"
