"""Series (conflicts.series): the aggregation on hand-checked examples, the store, the key, the
exports and the CLI (in process), on real databases."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from conflicts import series
from conflicts import workshops as ws
from conflicts.catalogue import parse_catalogue
from conflicts.cli import main
from conflicts.reports.results import ResultRow, WorkshopResults
from conflicts.series.export import export_series
from conflicts.store import SCHEMA_VERSION, Store
from tests.helpers import grant_for
from tests.test_results import FIXTURE, PEOPLE, build_round

PACKAGE = Path(__file__).resolve().parent.parent / "conflicts"


# --------------------------------------------------------------------------------------------
# The aggregation, on hand-built rooms
# --------------------------------------------------------------------------------------------
def _room(code, n, rows, *, method="rating", scale=(1, 5)) -> WorkshopResults:
    """A room with ``n`` participants; rows: interaction id -> (ballots, mean, consensus, priority)."""
    result_rows = []
    ranked = sorted(
        (iid for iid, r in rows.items() if r[0]),
        key=lambda i: -(rows[i][3] if method != "score" else -rows[i][3]),
    )
    for pos, (iid, (ballots, mean, consensus, priority)) in enumerate(rows.items(), start=1):
        result_rows.append(
            ResultRow(
                pos, iid, pos, f"Conflict {iid}", "g1", "g2", "", "", "catalogue", "closed", n,
                ballots=ballots, mean=mean, consensus=consensus, priority=priority,
                rank=ranked.index(iid) + 1 if iid in ranked else None,
            )
        )  # fmt: skip
    return WorkshopResults(
        code, f"Room {code}", "demo", "", None, None, "open", method, scale, n, None, "en",
        rows=result_rows,
    )  # fmt: skip


def _rating(code, n, means: dict[str, float | None], consensus=0.5):
    return _room(
        code,
        n,
        {
            iid: (0, None, None, None) if m is None else (n, m, consensus, m)
            for iid, m in means.items()
        },
    )


def test_equal_and_participant_weights_hand_checked():
    rooms = [
        _rating("A", 10, {"i1": 5.0}),
        _rating("B", 20, {"i1": 2.0}),
        _rating("C", 10, {"i1": 3.0}),
    ]
    equal = series.aggregate(rooms).conflicts[0].aggregate
    assert equal.value == pytest.approx(10 / 3)  # (5 + 2 + 3) / 3
    by_people = series.aggregate(rooms, weighting="participants").conflicts[0].aggregate
    assert by_people.value == pytest.approx(3.0)  # (10*5 + 20*2 + 10*3) / 40
    # spread: population stdev of 5, 2, 3 (sqrt(14/9)) over the scale width 4
    assert equal.spread == pytest.approx(math.sqrt(14 / 9) / 4)
    # A is 2.5 from the others' mean 2.5 -> 0.625 widths; B 2 from 4 -> 0.5; C 0.5 from 3.5
    assert (equal.outlier, equal.departure) == ("A", pytest.approx(0.625))
    assert equal.rooms == ("A", "B", "C") and equal.ballots == 40
    assert equal.consensus == pytest.approx(0.5)


def test_a_room_without_ballots_is_left_out_of_the_aggregate():
    rooms = [
        _rating("A", 10, {"i1": 4.0, "i2": 2.0}),
        _rating("B", 30, {"i1": 2.0, "i2": None}),  # B has not voted on i2
        _rating("D", 5, {"i1": None, "i2": None}),  # D has no ballots at all
    ]
    res = series.aggregate(rooms, weighting="participants")
    by_id = {c.interaction_id: c for c in res.conflicts}
    i1, i2 = by_id["i1"].aggregate, by_id["i2"].aggregate
    assert i1.rooms == ("A", "B") and i1.value == pytest.approx((40 + 60) / 40)
    assert i2.rooms == ("A",) and i2.value == 2.0 and i2.spread is None and i2.outlier is None
    cells = {x.code: x for x in by_id["i1"].rooms}
    assert cells["D"].value is None and cells["D"].weight == 0 and cells["D"].ballots == 0
    # ranking: i1 (2.5) before i2 (2.0); fewer than three rooms: no departing room
    assert [c.interaction_id for c in res.conflicts] == ["i1", "i2"]
    assert [c.aggregate.rank for c in res.conflicts] == [1, 2]
    assert res.departing_room is None


def test_no_room_voted_at_all():
    res = series.aggregate([_rating("A", 3, {"i1": None})])
    assert res.conflicts[0].aggregate.value is None and res.conflicts[0].aggregate.rank is None
    assert series.aggregate([]).conflicts == ()


def test_rooms_with_different_methods_are_side_by_side_not_averaged():
    dots = _room("C", 10, {"i1": (10, 3.0, 0.4, 30), "i2": (10, 1.0, 0.4, 10)},
                 method="dots", scale=(0, 10))  # fmt: skip
    rooms = [
        _rating("A", 10, {"i1": 4.0, "i2": 5.0}),
        _rating("B", 10, {"i1": 2.0, "i2": 3.0}),
        dots,
    ]
    res = series.aggregate(rooms)
    assert res.mixed_methods and res.primary_method == ("rating", (1, 5))
    by_id = {c.interaction_id: c for c in res.conflicts}
    rating, dot_group = by_id["i1"].groups
    assert rating.rooms == ("A", "B")
    assert rating.value == 3.0  # the dots room is not averaged in
    assert dot_group.method == "dots" and dot_group.rooms == ("C",)
    assert dot_group.value == pytest.approx(3.0)  # 30 points / 10 participants
    assert by_id["i1"].aggregate is rating
    # each group ranks on its own: rating i2 (4.0) first; dots i1 (3.0/person) first
    assert (by_id["i2"].groups[0].rank, by_id["i1"].groups[1].rank) == (1, 1)
    assert not series.aggregate(rooms[:2]).mixed_methods


def test_score_ranks_the_most_negative_first():
    room = _room("A", 4, {"i1": (4, 1.0, 0.5, 1.0), "i2": (4, -2.0, 0.5, -2.0)},
                 method="score", scale=(-3, 3))  # fmt: skip
    res = series.aggregate([room])
    assert [(c.interaction_id, c.aggregate.rank) for c in res.conflicts] == [("i2", 1), ("i1", 2)]


def test_unknown_weighting():
    with pytest.raises(ValueError):
        series.aggregate([], weighting="loudest")


# --------------------------------------------------------------------------------------------
# Real rooms on a real database
# --------------------------------------------------------------------------------------------
def _three_rooms(store: Store):
    a = build_round(store, title="Nordost")
    b = build_round(store, title="Sydväst", ratings={"c1": [1, 2, 1, 1], "c2": [5, 5, 4]})
    c = build_round(store, title="Aktörer", ratings={"c1": [4, 4], "c3": [1, 1, 2]})
    return a, b, c


def test_create_unlock_add_and_read(store):
    a, b, c = _three_rooms(store)
    created = series.create_series(
        "Regionalt rådslag", [grant_for(a.code, store), grant_for(b.code, store)], store=store
    )
    s = created.series
    assert s.code.startswith("S-") and s.workshops == (a.code, b.code) and s.weighting == "equal"
    assert created.key not in str(store.read(lambda conn: conn.exec_driver_sql(
        "SELECT key_hash FROM series").all()))  # fmt: skip
    with pytest.raises(ws.AccessDenied):
        series.unlock_series(s.code, "wrong", store=store)
    with pytest.raises(series.SeriesNotFound):
        series.unlock_series("S-NOPE", created.key, store=store)
    grant = series.unlock_series(s.code.lower(), created.key, store=store)
    assert grant == created.grant
    s = series.add_workshop(grant, grant_for(c.code, store), store=store)
    s = series.add_workshop(grant, grant_for(c.code, store), store=store)  # twice: no change
    assert s.workshops == (a.code, b.code, c.code)
    assert series.series_of(grant_for(c.code, store), store=store) == [s.code]
    assert series.set_weighting(grant, "participants", store=store).weighting == "participants"
    with pytest.raises(ws.InvalidSetting):
        series.set_weighting(grant, "loudest", store=store)
    with pytest.raises(TypeError):
        series.SeriesGrant(s.code, 1)


def test_a_room_on_another_catalogue_is_refused(store):
    a = build_round(store)
    other = ws.create_workshop("stockholm", store=store)
    created = series.create_series("R", [grant_for(a.code, store)], store=store)
    with pytest.raises(series.SeriesCatalogueMismatch):
        series.add_workshop(created.grant, grant_for(other.workshop.code, store), store=store)


def test_regional_results_from_real_rooms(store):
    a, b, c = _three_rooms(store)
    grants = [grant_for(r.code, store) for r in (a, b, c)]
    created = series.create_series("Regionalt rådslag", grants, store=store)
    _, res, snaps = series.load_series(created.grant, lang="en", store=store)
    assert len(snaps) == 3
    c1 = next(x for x in res.conflicts if x.interaction_id == "c1")
    # c1: Nordost mean 14/3 (5, 5, 4, skip), Sydväst 5/4, Aktörer 4
    assert [x.mean for x in c1.rooms] == [pytest.approx(4.67, abs=0.01), 1.25, 4.0]
    assert c1.aggregate.value == pytest.approx((14 / 3 + 1.25 + 4) / 3, abs=0.01)
    assert c1.aggregate.outlier == b.code  # Sydväst rated c1 low
    # representation: summed over the rooms (each room has the same four people)
    assert all(n == 0 or n % 3 == 0 for n in c1.levels_present.values())
    # outcomes of every room under the conflict's decision levels; proposals merged
    entries = [e for es in res.outcomes_by_level.values() for e in es]
    assert {e["room"] for e in entries} == {a.code, b.code, c.code}
    buller = next(p for p in res.proposals if p["title"] == "Buller vid skolor")
    assert buller["rooms"] == [a.code, b.code, c.code] and buller["count"] == 3
    assert all(p["title"] != "Dubblett" for p in res.proposals)  # declined: left out


def test_public_series_shows_only_what_room_projectors_show(store):
    a = build_round(store)
    created = series.create_series("R", [grant_for(a.code, store)], store=store)
    ws.set_hide_results(grant_for(a.code, store), True, store=store)
    s, res = series.public_series(created.series.code, store=store)
    assert s.code == created.series.code and res.proposals == [] and res.outcomes_by_level == {}
    c1 = next(x for x in res.conflicts if x.interaction_id == "c1")
    assert c1.rooms[0].ballots == 3  # closed items are shown even when hiding


def test_json_export_shape_and_anonymity(store):
    a, b, c = _three_rooms(store)
    grants = [grant_for(r.code, store) for r in (a, b, c)]
    created = series.create_series("Regionalt rådslag", grants, store=store)
    text = export_series(created.grant, "json", store=store)
    data = json.loads(text)
    assert data["series"] == created.series.code and data["title"] == "Regionalt rådslag"
    assert [w["code"] for w in data["workshops"]] == [a.code, b.code, c.code]
    item = data["items"][0]
    assert {"interaction_id", "rooms", "aggregate"} <= set(item)
    assert {"code", "ballots", "mean", "consensus"} <= set(item["rooms"][0])
    assert {"value", "consensus", "spread", "rank", "method"} <= set(item["aggregate"])
    for vid, (name, _, _) in PEOPLE.items():
        assert vid not in text and (name is None or name not in text)
    for fmt in ("md", "html"):
        out = export_series(created.grant, fmt, lang="en", store=store)
        assert "Regionalt rådslag" in out
        assert all(name not in out for name, _, _ in PEOPLE.values() if name)
        assert "<b>nu</b>" not in out  # user text escaped
    html = export_series(created.grant, "html", store=store)
    assert "<script" not in html and "http" not in html.split("<body>")[1]


def test_catalogue_written_back_with_every_room(store):
    a, b, c = _three_rooms(store)
    grants = [grant_for(r.code, store) for r in (a, b, c)]
    created = series.create_series("R", grants, store=store)
    text = export_series(created.grant, "yaml", store=store)
    cat = parse_catalogue(text, "<series>")
    c1 = cat.interactions_by_id["c1"]
    assert [h.workshop for h in c1.history] == [a.code, b.code, c.code]
    # each room's accepted proposal, renamed so the three ws-1 do not collide
    added = {i.id for i in cat.interactions} - {
        i.id for i in parse_catalogue(FIXTURE.read_text(encoding="utf-8"), "f").interactions
    }
    assert added == {f"{r.code.lower()}-ws-1" for r in (a, b, c)}


def test_migration_5_on_a_version_4_database(tmp_path):
    from conflicts import store as st

    url = f"sqlite:///{tmp_path / 'old.db'}"
    s = Store(url)
    saved = st.MIGRATIONS[:]
    try:
        del st.MIGRATIONS[4:]
        s.init()
        s.write(lambda conn: conn.exec_driver_sql("DROP TABLE series_workshops"))
        s.write(lambda conn: conn.exec_driver_sql("DROP TABLE series"))
        assert s.schema_version() == 4
    finally:
        st.MIGRATIONS[:] = saved
    st.dispose_engines()
    again = Store(url)  # a new process: the migration runs once, at start
    assert again.init() == SCHEMA_VERSION == 7 and again.schema_version() == SCHEMA_VERSION
    created = series.create_series("R", store=again)
    assert series.get_series(created.series.code, store=again).title == "R"


# --------------------------------------------------------------------------------------------
# The CLI, in process
# --------------------------------------------------------------------------------------------
def test_cli_create_add_export(db_env, capsys, tmp_path):
    store = Store(db_env)
    store.init()
    a, b = build_round(store), build_round(store, title="Runda 2")
    assert main(["series", "create", "--title", "Regionalt", a.code, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"series", "key"}
    series.unlock_series(out["series"], out["key"], store=store)  # the key works
    assert main(["series", "add", out["series"], b.code.lower()]) == 0
    assert b.code in capsys.readouterr().out
    assert main(["series", "export", out["series"], "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [w["code"] for w in data["workshops"]] == [a.code, b.code]
    target = tmp_path / "region.html"
    assert (
        main(["series", "export", out["series"], "--format", "html", "--output", str(target)]) == 0
    )
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["series", "export", out["series"], "--format", "md"]) == 0
    assert "# " in capsys.readouterr().out


def test_cli_errors_exit_1(db_env, capsys):
    assert main(["series", "add", "S-NOPE", "ABCDEF"]) == 1
    assert "unknown_series" in capsys.readouterr().err
    assert main(["series", "create", "--title", "R", "NOSUCH"]) == 1
    assert "unknown_code" in capsys.readouterr().err
    assert main(["series", "create", "--title", "  "]) == 1


def test_web_layer_never_makes_a_local_series_grant():
    for path in (PACKAGE / "ui").rglob("*.py"):
        assert "local_series_grant" not in path.read_text(encoding="utf-8"), path
