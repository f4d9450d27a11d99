"""The matrix scoring session (issue 12, item 13): statistics on hand-checked examples, the
domain on a real database (SQLite file; PostgreSQL with CONFLICTS_TEST_POSTGRES_URL), the
upgrade of a version-6 database, and the JSON API through Starlette's TestClient."""

from __future__ import annotations

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, inspect, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from conflicts import api
from conflicts import store as st
from conflicts import workshops as ws
from conflicts.room_matrix import (
    MIN_DISCUSS,
    proposed_score,
    quartiles,
    room_matrix,
)
from conflicts.store import Store
from tests.helpers import env_store, grant_for

NODES = ["g1", "g2", "g3", "g4", "g1.housing"]


# --- statistics (hand-checked) ---------------------------------------------------------------
def test_quartiles_by_hand():
    # sorted 1 2 3 4: positions (n-1)p = 0.75, 1.5, 2.25 -> 1.75, 2.5, 3.25
    assert quartiles([4, 1, 3, 2]) == (1.75, 2.5, 3.25)
    # -3 -1 0 2 3: positions 1, 2, 3 -> -1, 0, 2 (IQR 3)
    assert quartiles([3, -3, 0, 2, -1]) == (-1.0, 0.0, 2.0)
    assert quartiles([-2]) == (-2.0, -2.0, -2.0)
    with pytest.raises(ValueError):
        quartiles([])


def test_cell_median_spread_count_and_not_scored():
    answers = [
        ("a", "b", 2, False, "  more homes, more traffic "),
        ("a", "b", 2, False, None),
        ("a", "b", -1, False, ""),
        ("a", "b", None, True, "do not know"),
        ("b", "a", 0, False, None),
        ("a", "a", 3, False, None),  # the diagonal is ignored
        ("a", "x", 3, False, None),  # not a node of the session
    ]
    m = room_matrix(["a", "b", "c"], answers, catalogue={("a", "b"): -2.0, ("b", "a"): None})
    ab = m.cell("a", "b")
    # -1 2 2: median 2, Q1 = 0.5 (between -1 and 2), Q3 = 2 -> IQR 1.5, range 3
    assert (ab.count, ab.skips, ab.median, ab.q1, ab.q3) == (3, 1, 2.0, 0.5, 2.0)
    assert ab.spread == 1.5 and ab.range == 3 and ab.distribution == {2: 2, -1: 1}
    assert ab.departure == 4.0 and ab.reason == "departure"
    assert ab.rationales == ("more homes, more traffic", "do not know")
    ba = m.cell("b", "a")
    assert ba.median == 0.0 and ba.catalogue is None and ba.departure is None  # not scored != 0
    empty = m.cell("c", "a")
    assert empty.count == 0 and empty.median is None and empty.spread is None
    assert m.pairs == 6 and m.answers == 5 and m.scored_cells == 2


def test_discussion_order_disagreement_then_departure_then_count():
    answers = []
    for v in (-3, 3, -3, 3):  # a>b: IQR 6 (the most disagreement)
        answers.append(("a", "b", v, False, None))
    for v in (1, 1, 1):  # b>a: median 1 vs catalogue -3: departure 4, IQR 0
        answers.append(("b", "a", v, False, None))
    for v in (2, 2):  # a>c: median 2 = catalogue 2, IQR 0: weight 0
        answers.append(("a", "c", v, False, None))
    answers.append(("c", "a", -3, False, None))  # one score: not discussed yet
    m = room_matrix(
        ["a", "b", "c"], answers, catalogue={("b", "a"): -3.0, ("a", "c"): 2.0, ("c", "a"): 3}
    )
    order = [(c.from_node, c.to_node) for c in m.discussion()]
    assert order == [("a", "b"), ("b", "a"), ("a", "c")]
    assert [c.reason for c in m.discussion()] == ["disagreement", "departure", "disagreement"]
    assert m.cell("a", "b").spread == 6.0  # -3 -3 3 3: Q1 -3, Q3 3
    assert all(c.count >= MIN_DISCUSS for c in m.discussion())
    assert m.discussion(limit=1)[0].to_node == "b"


def test_proposed_score_rounds_halves_toward_zero():
    assert [proposed_score(x) for x in (-3, -2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 2.51)] == [
        -3, -2, -1, 0, 0, 0, 1, 2, 3,
    ]  # fmt: skip


# --- the domain on a real database -----------------------------------------------------------
@pytest.fixture
def session(store):
    created = ws.create_workshop("stockholm", store=store)
    g = created.grant
    item = ws.add_matrix_session(g, NODES, pairs_per_participant=4, store=store)
    ws.open_workshop(g, store=store)
    ws.set_current_item(g, item.id, store=store)
    ws.open_voting(g, item.id, store=store)
    return created.workshop.code, item


def _rejected(code, fn, *args, **kwargs):
    with pytest.raises(ws.WorkshopError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, info.value
    return info.value


def test_add_matrix_session_validates_nodes(store):
    created = ws.create_workshop("stockholm", store=store)
    g = created.grant
    _rejected("matrix_nodes", ws.add_matrix_session, g, NODES[:4], store=store)
    _rejected("matrix_nodes", ws.add_matrix_session, g, [*NODES[:4], "g1"], store=store)
    _rejected("unknown_node", ws.add_matrix_session, g, [*NODES[:4], "nope"], store=store)
    _rejected("matrix_nodes", ws.add_matrix_session, g, "g1,g2", store=store)
    many = list(created.workshop.catalogue().nodes)
    assert len(many) < 41
    _rejected(
        "invalid_setting", ws.add_matrix_session, g, NODES, pairs_per_participant=0, store=store
    )
    item = ws.add_matrix_session(g, NODES, store=store)
    assert item.kind == "matrix" and item.interaction_id == "matrix-1"
    assert item.nodes == tuple(NODES) and item.pairs_per_participant == ws.PAIRS_PER_PARTICIPANT
    w = ws.get_workshop(created.workshop.code, store=store)
    assert w.items[-1].id == item.id
    # not a ballot item: the priority tally and set_agenda leave it alone
    assert all(t.item_id != item.id for t in ws.get_tally(g, store=store).items)
    w = ws.set_agenda(g, [w.items[0].interaction_id], store=store)
    assert [i.kind for i in w.items] == ["matrix", "interaction"]


def test_score_pair_once_per_voter_replaced_and_validated(store, session):
    code, item = session
    ws.join(code, "v1", store=store)
    a = ws.score_pair(code, "v1", item.id, "g1", "g2", value=-2, rationale="land", store=store)
    assert (a.value, a.skipped, a.rationale, a.answered, a.quota) == (-2, False, "land", 1, 4)
    again = ws.score_pair(code, "v1", item.id, "g1", "g2", value=-2, rationale="land", store=store)
    assert again.answered == 1  # the same score again: stored once
    ws.score_pair(code, "v1", item.id, "g1", "g2", value=1, store=store)  # replaced
    ws.score_pair(code, "v1", item.id, "g2", "g1", skip=True, store=store)
    mine = ws.my_pair_answers(code, "v1", item.id, store=store)
    assert {k: (v.value, v.skipped, v.rationale) for k, v in mine.items()} == {
        ("g1", "g2"): (1, False, None),
        ("g2", "g1"): (None, True, None),
    }
    rows = store.read(
        lambda c: c.execute(select(func.count()).select_from(st.pair_scores)).scalar()
    )
    assert rows == 2
    _rejected("value_out_of_range", ws.score_pair, code, "v1", item.id, "g1", "g2", value=4,
              store=store)  # fmt: skip
    _rejected("invalid_ballot", ws.score_pair, code, "v1", item.id, "g1", "g2", value=True,
              store=store)  # fmt: skip
    _rejected("value_required", ws.score_pair, code, "v1", item.id, "g1", "g2", store=store)
    _rejected("unknown_node", ws.score_pair, code, "v1", item.id, "g1", "g1.transit", value=0,
              store=store)  # fmt: skip
    _rejected("self_loop", ws.score_pair, code, "v1", item.id, "g1", "g1", value=0, store=store)
    _rejected("text_too_long", ws.score_pair, code, "v1", item.id, "g1", "g2", value=0,
              rationale="x" * 281, store=store)  # fmt: skip
    _rejected("invalid_text", ws.score_pair, code, "v1", item.id, "g1", "g2", value=0,
              rationale="a\x00b", store=store)  # fmt: skip
    _rejected("not_joined", ws.score_pair, code, "nobody", item.id, "g1", "g2", value=0,
              store=store)  # fmt: skip
    first = ws.get_workshop(code, store=store).items[0]
    _rejected("wrong_method", ws.score_pair, code, "v1", first.id, "g1", "g2", value=0,
              store=store)  # fmt: skip
    _rejected("wrong_method", ws.cast_ballot, code, "v1", item.id, value=3, store=store)
    ws.close_voting(grant_for(code, store), item.id, store=store)
    _rejected("voting_closed", ws.score_pair, code, "v1", item.id, "g1", "g2", value=0,
              store=store)  # fmt: skip
    # an item with answers is not removed
    _rejected("item_has_ballots", ws.remove_item, grant_for(code, store), item.id, store=store)


def test_the_database_refuses_what_the_domain_would(store, session):
    code, item = session
    p = ws.join(code, "v1", store=store)
    w = ws.get_workshop(code, store=store)

    def insert(**values):
        row = dict(workshop_id=w.id, item_id=item.id, participant_id=p.id, from_node="g1",
                   to_node="g2", value=0, skipped=False, created_at=st.utcnow(),
                   updated_at=st.utcnow())  # fmt: skip
        row.update(values)
        return lambda c: c.execute(st.pair_scores.insert().values(**row))

    for bad in ({"value": 4}, {"value": None}, {"to_node": "g1"}):
        with pytest.raises(sa_exc.IntegrityError):
            store.write(insert(**bad))


def test_deal_is_balanced_and_stops_at_the_quota(store, session):
    code, item = session
    voters = [f"v{n}" for n in range(10)]
    for v in voters:
        ws.join(code, v, store=store)
    for _ in range(item.pairs_per_participant):
        for v in voters:
            mine = ws.my_pair_answers(code, v, item.id, store=store)
            counts = ws.pair_counts(code, item.id, store=store)
            (pair,) = ws.deal(item, v, mine, counts)
            assert pair not in mine
            ws.score_pair(code, v, item.id, *pair, value=1, store=store)
    counts = ws.pair_counts(code, item.id, store=store)
    # 10 voters x 4 pairs = 40 answers over 20 pairs: every pair exactly twice
    assert len(counts) == 20 and set(counts.values()) == {2}
    for v in voters:
        mine = ws.my_pair_answers(code, v, item.id, store=store)
        assert ws.deal(item, v, mine, counts) == []


def test_room_matrix_hidden_from_the_room_until_closed(store, session):
    code, item = session
    g = grant_for(code, store)
    for v, value in (("a", -3), ("b", 3), ("c", 0)):
        ws.join(code, v, store=store)
        ws.score_pair(code, v, item.id, "g1", "g2", value=value, rationale=f"r{v}", store=store)
    m = ws.get_room_matrix(code, item.id, store=store)
    cell = m.cell("g1", "g2")
    assert (cell.count, cell.median, cell.spread, m.participants) == (3, 0.0, 3.0, 3)
    cat_cells = ws.catalogue_cells(ws.get_workshop(code, store=store).catalogue(), item.nodes)
    assert cell.catalogue == cat_cells.get(("g1", "g2"))
    ws.set_hide_results(g, True, store=store)
    hidden = ws.get_room_matrix(code, item.id, store=store).cell("g1", "g2")
    assert (hidden.count, hidden.skips, hidden.median, hidden.rationales) == (0, 3, None, ())
    assert ws.get_room_matrix(g, item.id, store=store).cell("g1", "g2").median == 0.0
    ws.close_voting(g, item.id, store=store)
    assert ws.get_room_matrix(code, item.id, store=store).cell("g1", "g2").count == 3


# --- upgrading a version-6 database ------------------------------------------------------------
def _downgrade_to_v6(url: str) -> str:
    """A database as version 6 left it, with a workshop in it (returned: its code): no
    pair_scores, no agenda_items.nodes, the kind check of two kinds, six schema_version rows."""
    s = Store(url, engine=st.make_engine(url))
    s.init()
    created = ws.create_workshop("stockholm", store=s)
    ws.add_warmup(created.grant, "Vilket mål?", store=s)
    old = "kind IN ('interaction', 'warmup')"

    def tx(conn):
        conn.exec_driver_sql("DROP TABLE pair_scores")
        conn.exec_driver_sql("ALTER TABLE agenda_items DROP COLUMN nodes")
        if conn.dialect.name == "sqlite":
            for event in ("INSERT", "UPDATE OF kind"):
                name = "ck_agenda_items_kind_" + event.split()[0].lower()
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} BEFORE {event} ON agenda_items WHEN NOT (NEW.{old}) "
                    "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ck_agenda_items_kind'); "
                    "END"
                )
        else:
            conn.exec_driver_sql("ALTER TABLE agenda_items DROP CONSTRAINT ck_agenda_items_kind")
            conn.exec_driver_sql(
                f"ALTER TABLE agenda_items ADD CONSTRAINT ck_agenda_items_kind CHECK ({old})"
            )
        conn.execute(st.schema_version.delete().where(st.schema_version.c.version == 7))

    s.write(tx)
    s.engine.dispose()
    return created.workshop.code


def test_v6_database_upgrades_to_v7(db_url):
    code = _downgrade_to_v6(db_url)
    probe = st.make_engine(db_url)  # not a Store: its first read would migrate
    try:
        with probe.connect() as conn:
            assert conn.execute(select(func.max(st.schema_version.c.version))).scalar() == 6
        assert "pair_scores" not in inspect(probe).get_table_names()
    finally:
        probe.dispose()
    s = Store(db_url, engine=st.make_engine(db_url))
    try:
        assert s.init() == st.SCHEMA_VERSION == 7
        assert "pair_scores" in inspect(s.engine).get_table_names()
        assert "nodes" in {c["name"] for c in inspect(s.engine).get_columns("agenda_items")}
        w = ws.get_workshop(code, store=s)  # the old rows read with the new column
        assert w.items[0].is_warmup and all(i.nodes == () for i in w.items)
        g = grant_for(code, s)
        item = ws.add_matrix_session(g, NODES, store=s)  # the new kind passes the new check
        ws.open_workshop(g, store=s)
        ws.open_voting(g, item.id, store=s)
        ws.join(code, "v", store=s)
        assert ws.score_pair(code, "v", item.id, "g2", "g3", value=2, store=s).value == 2
        with pytest.raises(sa_exc.IntegrityError, match="ck_agenda_items_kind"):
            s.write(
                lambda c: c.execute(
                    st.agenda_items.insert().values(
                        workshop_id=w.id,
                        position=99,
                        interaction_id="x",
                        kind="bogus",
                    )
                )
            )
        assert s.init() == 7  # idempotent
    finally:
        s.engine.dispose()


# --- the JSON API ----------------------------------------------------------------------------
@pytest.fixture
def client(database, monkeypatch) -> TestClient:
    from conflicts.api.state import hub

    monkeypatch.setattr(hub, "cache_s", 0.0)  # every request reads afresh (no 0.5 s staleness)
    return TestClient(Starlette(routes=api.routes()))


def test_api_deals_scores_and_errors(client):
    s = env_store()
    s.init()
    created = ws.create_workshop("stockholm", store=s)
    code, g = created.workshop.code, created.grant
    item = ws.add_matrix_session(g, NODES, pairs_per_participant=2, store=s)
    ws.open_workshop(g, store=s)
    ws.set_current_item(g, item.id, store=s)
    state = client.get(f"/api/workshops/{code}/state?lang=en").json()
    assert state["current"]["kind"] == "matrix" and state["current"]["voting"] == "not_started"
    assert state["current"]["nodes"] == NODES
    assert [o["value"] for o in state["current"]["options"]] == list(range(-3, 4))
    ws.open_voting(g, item.id, store=s)
    assert client.post(f"/api/workshops/{code}/participants", json={}).status_code == 200
    r = client.get(f"/api/workshops/{code}/pairs?item_id={item.id}&n=5&lang=en")
    body = r.json()
    assert r.status_code == 200 and body["answered"] == 0 and body["quota"] == 2
    assert len(body["pairs"]) == 2  # at most the quota
    first = body["pairs"][0]
    assert first["question"].startswith("If progress is made on ")
    send = {"item_id": item.id, "from_node": first["from_node"], "to_node": first["to_node"]}
    r = client.post(f"/api/workshops/{code}/pair-scores?lang=en", json={**send, "value": -1})
    assert r.status_code == 200 and r.json()["answered"] == 1 and r.json()["value"] == -1
    (following,) = r.json()["next_pairs"]  # the next pair comes with the answer
    assert (following["from_node"], following["to_node"]) != (send["from_node"], send["to_node"])
    assert following["question"].startswith("If progress is made on ")
    last = {
        "item_id": item.id,
        "from_node": following["from_node"],
        "to_node": following["to_node"],
    }
    r = client.post(f"/api/workshops/{code}/pair-scores", json={**last, "skip": True})
    assert r.json()["answered"] == 2 and r.json()["next_pairs"] == []  # the quota of 2 is done
    r = client.post(f"/api/workshops/{code}/pair-scores", json={**send, "value": -1})
    assert r.status_code == 200 and r.json()["answered"] == 2  # a retry is stored once
    bad = [
        ({**send, "value": 5}, 422, "value_out_of_range"),
        ({**send, "value": "2"}, 422, "invalid_request"),
        ({**send, "to_node": "nope", "value": 1}, 422, "unknown_node"),
        ({**send, "value": 1, "rationale": "x" * 300}, 422, "text_too_long"),
        ({**send, "item_id": created.workshop.items[0].id, "value": 1}, 422, "wrong_method"),
    ]
    for payload, status, error in bad:
        r = client.post(f"/api/workshops/{code}/pair-scores?lang=sv", json=payload)
        assert (r.status_code, r.json()["error"]) == (status, error), r.text
        assert r.json()["message"]  # translated
    r = client.post(f"/api/workshops/{code}/pair-scores?lang=en", json={**send, "value": 4})
    assert "between" in r.json()["message"] or r.json()["message"]
    fresh = TestClient(Starlette(routes=api.routes()))
    r = fresh.post(f"/api/workshops/{code}/pair-scores", json={**send, "value": 1})
    assert (r.status_code, r.json()["error"]) == (403, "not_joined")
    r = client.get(f"/api/workshops/{code}/pairs?item_id={created.workshop.items[0].id}")
    assert r.json()["error"] == "wrong_method"
    doc = client.get("/api/openapi.json").json()
    assert {"/api/workshops/{code}/pairs", "/api/workshops/{code}/pair-scores"} <= set(doc["paths"])
    assert "PairScoreRequest" in doc["components"]["schemas"]
    m = ws.get_room_matrix(g, item.id, store=s)
    assert m.cell(first["from_node"], first["to_node"]).count == 1


def test_phone_page_without_javascript_scores_one_pair_at_a_time(client):
    """The plain forms of /join: the card shows one pair, a posted score is stored and the next
    pair follows (POST, redirect, GET), until the quota, then the thank-you."""
    import re

    from conflicts import phone

    s = env_store()
    created = ws.create_workshop("stockholm", store=s)
    code, g = created.workshop.code, created.grant
    item = ws.add_matrix_session(g, NODES, pairs_per_participant=2, store=s)
    ws.open_workshop(g, store=s)
    ws.set_current_item(g, item.id, store=s)
    ws.open_voting(g, item.id, store=s)
    browser = TestClient(Starlette(routes=api.routes() + phone.routes()))
    html = browser.post(
        f"/join/participants?code={code}&lang=sv", data={"display_name": "A"}
    ).text  # follows the redirect
    seen = []
    for k in range(2):
        assert f"Par {k + 1} av 2" in html and "Om det går framåt för " in html
        a = re.search(r'name="from_node" value="([^"]+)"', html).group(1)
        b = re.search(r'name="to_node" value="([^"]+)"', html).group(1)
        seen.append((a, b))
        form = {"item_id": str(item.id), "from_node": a, "to_node": b, "value": "-2"}
        if k == 0:
            form["rationale"] = "<b>mark</b>"
        r = browser.post(f"/join/pairs?code={code}&lang=sv", data=form, follow_redirects=False)
        assert r.status_code == 303
        html = browser.get(r.headers["location"]).text
    assert "Tack! Du har bedömt 2 par." in html and 'name="from_node" value=' not in html
    assert len(set(seen)) == 2
    m = ws.get_room_matrix(g, item.id, store=s)
    assert [(c.from_node, c.to_node) for c in m.ordered() if c.count] == sorted(
        seen, key=lambda p: (NODES.index(p[0]), NODES.index(p[1]))
    )
    assert [r for c in m.ordered() for r in c.rationales] == ["<b>mark</b>"]
    bad = browser.post(
        f"/join/pairs?code={code}&lang=sv",
        data={"item_id": str(item.id), "from_node": "g1", "to_node": "g2", "value": "9"},
    )  # the error shows on the page it redirects to (translated), nothing is stored
    assert "Värdet ligger utanför skalan." in bad.text
    assert ws.get_room_matrix(g, item.id, store=s).answers == 2


def test_concurrent_scores_store_one_row_per_voter_and_pair(store, session):
    """Retries racing each other (the same voter and pair from several threads) and other
    voters at the same time: one row per voter and pair, the last value wins, nothing lost."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    code, item = session
    for v in ("a", "b", "c", "d"):
        ws.join(code, v, store=store)
    start = threading.Barrier(8)

    def send(k: int) -> int:
        start.wait()
        voter = "a" if k < 4 else "bcd"[k % 3]
        return ws.score_pair(code, voter, item.id, "g1", "g2", value=k % 3, store=store).answered

    with ThreadPoolExecutor(8) as pool:
        answered = list(pool.map(send, range(8)))
    assert set(answered) == {1}
    m = ws.get_room_matrix(grant_for(code, store), item.id, store=store)
    assert m.cell("g1", "g2").count == 4 and m.participants == 4


def test_phones_dealt_from_one_shared_read_spread_over_the_pairs() -> None:
    """Every phone served from one shared read sees the same least-answered pair; the deals
    counted in that read (``note_dealt``) send the next phones elsewhere."""
    item = ws.AgendaItem(
        1, 1, "matrix-1", "open", kind="matrix", nodes=tuple("abcdef"), pairs_per_participant=12
    )
    pairs = [(a, b) for a in item.nodes for b in item.nodes if a != b]
    counts = dict.fromkeys(pairs, 5)
    counts[("a", "b")] = 4  # one pair is the least answered in the read
    for voter in range(200):
        dealt = ws.deal(item, f"voter-{voter}", [], counts)
        ws.note_dealt(counts, dealt)
    assert len(dealt) == 1
    assert max(counts.values()) - min(counts.values()) <= 1  # without: ('a', 'b') dealt 200 times
