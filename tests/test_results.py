"""Workshop results (conflicts.reports.results) from real workshops on real databases.

``build_round`` is the scenario the report, write-back, CLI and page tests share: a workshop on
the small test catalogue with distinctive voter ids and names (so that a leak is easy to grep),
ballots, a skip, outcomes with notes, an accepted and a declined proposal, and a warm-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conflicts import workshops as ws
from conflicts.i18n import TRANSLATIONS
from conflicts.reports import results as res
from tests.helpers import grant_for

FIXTURE = Path(__file__).parent / "fixtures" / "workshop_small.yaml"

#: voter id -> (display name, actor type, level). Names and ids are unlike any other text.
PEOPLE = {
    "vid-QWZX-7731-aa": ("Zebulon Quixwhistle", "municipality", "local"),
    "vid-QWZX-7732-bb": ("Ophelia Marchbanks-Tidd", "state_agency", "national"),
    "vid-QWZX-7733-cc": ("Bartholomew Kettleworth", "business", None),
    "vid-QWZX-7734-dd": (None, None, "regional"),
}
#: interaction id -> the four voters' ballots (None = skip, missing = no ballot)
RATINGS = {"c1": [5, 5, 4, None], "c2": [1, 2, None], "c3": [3, 3, 3, 3]}
SUMMARY = "Rummet var enigt.\nUtred *mer* <b>nu</b> | snart"


@dataclass
class Round:
    code: str
    key: str
    items: dict[str, int]  # interaction id -> agenda item id
    accepted: str  # interaction id of the accepted proposal


def build_round(store=None, *, title: str = "Runda 1", ratings=None, method="rating") -> Round:
    """A workshop with ballots, outcomes, proposals and a warm-up (see the module docstring)."""
    created = ws.create_workshop(FIXTURE, title=title, method=method, store=store)
    code = created.workshop.code
    items = {i.interaction_id: i.id for i in created.workshop.items}
    ws.open_workshop(grant_for(code, store), store=store)
    voters = list(PEOPLE)
    for vid, (name, actor_type, level) in PEOPLE.items():
        ws.join(code, vid, name, actor_type, level, store=store)
    for iid, values in (ratings or RATINGS).items():
        ws.open_voting(grant_for(code, store), items[iid], store=store)
        for vid, value in zip(voters, values, strict=False):
            if value is None:
                ws.cast_ballot(code, vid, items[iid], skip=True, store=store)
            else:
                ws.cast_ballot(code, vid, items[iid], value, store=store)
        ws.close_voting(grant_for(code, store), items[iid], store=store)
    ws.save_outcome(
        grant_for(code, store),
        items["c1"],
        summary=SUMMARY,
        outcome="needs_analysis",
        owner="Regionens planeringsenhet",
        next_step="Ta fram underlag",
        due_date="2025-06-30",
        store=store,
    )
    ws.save_outcome(grant_for(code, store), items["c3"], outcome="parked", store=store)
    p = ws.propose(
        code,
        voters[0],
        title="Buller vid skolor",
        text="Trafikbuller mot nya skolor.",
        from_node="transport",
        to_node="housing",
        store=store,
    )
    d = ws.propose(
        code,
        voters[1],
        title="Dubblett",
        text=None,
        from_node="nature",
        to_node="climate",
        store=store,
    )
    item = ws.accept_proposal(grant_for(code, store), p.id, score=-2, store=store)
    ws.decline_proposal(grant_for(code, store), d.id, store=store)
    warm = ws.add_warmup(
        grant_for(code, store),
        {"sv": "Viktigaste målet?", "en": "Most important goal?"},
        store=store,
    )
    ws.open_voting(grant_for(code, store), warm.id, store=store)
    ws.cast_ballot(code, voters[0], warm.id, value=1, store=store)
    ws.close_voting(grant_for(code, store), warm.id, store=store)
    return Round(code, created.facilitator_key, items, item.interaction_id)


@pytest.fixture
def round1(store):
    return build_round(store)


def test_rows_follow_the_room_ranking_with_numbers_from_the_tally(store, round1):
    r = res.load_results(grant_for(round1.code, store), lang="en", store=store)
    tally = ws.get_tally(grant_for(round1.code, store), store=store)
    assert r.participants == 4 == tally.participants
    # c1 mean 14/3, c3 mean 3, c2 mean 1.5: ranked 1, 2, 3; the rest unranked, agenda order
    assert [row.interaction_id for row in r.ranked] == ["c1", "c3", "c2"]
    assert [row.rank for row in r.ranked] == [1, 2, 3]
    assert r.rows[3].rank is None and r.rows[3].interaction_id == "c4"  # agenda: conflicts
    assert r.rows[-1].interaction_id == round1.accepted
    for row in r.rows:
        t = tally.item(row.item_id)
        assert (row.ballots, row.skips, row.rank, row.mean, row.consensus) == (
            t.ballots,
            t.skips,
            t.rank,
            t.mean,
            t.consensus,
        )
        assert row.distribution == t.distribution
    c1 = r.row("c1")
    assert c1.title == "Housing versus green space"  # the catalogue's text in the asked language
    assert (c1.from_title, c1.to_title) == ("Housing", "Nature")
    assert c1.ballots == 3 and c1.skips == 1 and c1.participation == pytest.approx(0.75)
    assert c1.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2}
    assert c1.mean == pytest.approx(14 / 3)
    assert c1.dispersion == pytest.approx(1 - c1.consensus)
    assert r.row("c3").dispersion == pytest.approx(0.0)  # everyone gave 3
    assert r.row("c2").participation == pytest.approx(0.5)
    assert c1.catalogue_score == -2 and c1.room_score is None  # rating: no -3..+3 room score


def test_a_row_declares_the_tally_fields_as_the_tally_does():
    """ResultRow repeats ItemTally's numbers (its constructor is public): names, types and
    defaults must not drift apart, and a row built from a tally carries every one of them."""
    from dataclasses import MISSING, fields

    from conflicts.tally import ItemTally

    assert set(res.TALLY_FIELDS) >= {"ballots", "mean", "consensus", "priority", "rank", "voting"}
    row_fields = {f.name: f for f in fields(res.ResultRow)}
    for f in fields(ItemTally):
        if f.name not in res.TALLY_FIELDS:
            continue
        mine = row_fields[f.name]
        assert (mine.type, mine.default) == (f.type, f.default), f.name
        assert (mine.default_factory is MISSING) == (f.default_factory is MISSING), f.name
    tally = ItemTally(7, "c1", 2, "closed", ballots=3, skips=1, distribution={1: 2, 5: 1},
                      mean=2.3, median=1.0, stdev=1.9, total=7, consensus=0.4, priority=2.3,
                      rank=1, catalogue_score=-2, participants=None)  # fmt: skip
    values = res.tally_fields(tally)
    assert values == {name: getattr(tally, name) for name in res.TALLY_FIELDS}
    assert values["distribution"] is not tally.distribution  # the row's own copy


def test_outcomes_proposals_representation_and_warmups(store, round1):
    r = res.load_results(grant_for(round1.code, store), lang="sv", store=store)
    c1 = r.row("c1")
    assert c1.outcome.outcome == "needs_analysis" and c1.outcome.summary == SUMMARY
    assert c1.outcome.owner == "Regionens planeringsenhet"
    assert c1.outcome.due_date.isoformat() == "2025-06-30"
    assert r.row("c3").outcome.outcome == "parked"
    assert r.row("c2").outcome is None
    assert [row.interaction_id for row in r.outcomes] == ["c1", "c3"]
    assert [p["title"] for p in r.proposals] == ["Buller vid skolor"]
    assert r.proposals[0]["interaction_id"] == round1.accepted
    assert r.proposal_counts == {"accepted": 1, "declined": 1}
    assert r.row(round1.accepted).origin == "proposal"
    comp = r.composition
    assert comp.total == 4
    assert comp.by_actor_type == {"municipality": 1, "state_agency": 1, "business": 1}
    assert comp.by_level == {"local": 1, "national": 1, "regional": 1}
    assert (comp.no_actor_type, comp.no_level) == (1, 1)
    # c1 names the actor 'kommun' (a municipality): one municipality was in the room
    rep = c1.representation
    assert rep.needed_actor_types == ("municipality",) and rep.missing_actor_types == ()
    assert r.row("c2").representation.needed_actor_types == ()
    [warm] = r.warmups
    assert warm["question"] == "Viktigaste målet?"
    assert warm["distribution"]["Natur"] == 1 and warm["ballots"] == 1


def test_score_method_puts_the_room_beside_the_catalogue(store):
    rnd = build_round(store, method="score", ratings={"c1": [-3, -3, -2, None], "c4": [1, 0]})
    r = res.load_results(grant_for(rnd.code, store), store=store)
    c1, c4 = r.row("c1"), r.row("c4")
    assert c1.room_score == pytest.approx(-8 / 3) and c1.catalogue_score == -2
    assert c1.score_change == pytest.approx(round(-8 / 3 + 2, 2))
    assert c4.room_score == pytest.approx(0.5) and c4.catalogue_score == -3
    assert c4.score_change == pytest.approx(3.5)
    assert [row.interaction_id for row in r.ranked] == ["c1", "c4"]  # most negative first


def test_priority_weights_size_the_nodes(store, round1):
    r = res.load_results(grant_for(round1.code, store), store=store)
    weights = res.priority_weights(r)
    assert weights == {"c1": 1.0, "c3": pytest.approx(2 / 3), "c2": pytest.approx(1 / 3)}
    nodes = res.node_priority(r)
    # c1 housing->nature, c3 housing->climate, c2 transport->climate
    assert nodes["housing"] == pytest.approx(1 + 2 / 3)
    assert nodes["climate"] == pytest.approx(1.0)
    assert nodes["nature"] == pytest.approx(1.0)
    assert nodes["transport"] == pytest.approx(1 / 3)


def test_compare_two_rounds_on_the_same_catalogue(store, round1):
    # round 2: c2 becomes the top priority, c1 falls; c4 is new; the room splits on c3
    round2 = build_round(
        store,
        title="Runda 2",
        ratings={"c1": [2, 2, 1], "c2": [5, 5, 5, 4], "c3": [1, 5, 1, 5], "c4": [3]},
    )
    a = res.load_results(grant_for(round1.code, store), store=store)
    b = res.load_results(grant_for(round2.code, store), store=store)
    c = res.compare(a, b)
    assert c.same_version and c.same_method
    by_id = {row.interaction_id: row for row in c.rows}
    # a: c1 1, c3 2, c2 3; b: c2 (4.75) 1, c3 (3.0) 2, c4 (3.0, a tie: agenda order) 3, c1 4
    assert (by_id["c2"].rank_a, by_id["c2"].rank_b, by_id["c2"].rank_change) == (3, 1, 2)
    assert (by_id["c1"].rank_a, by_id["c1"].rank_b, by_id["c1"].rank_change) == (1, 4, -3)
    assert by_id["c3"].rank_change == 0
    assert by_id["c4"].rank_a is None and by_id["c4"].rank_change is None
    assert by_id["c1"].mean_change == pytest.approx(5 / 3 - 14 / 3, abs=1e-4)
    assert {r.interaction_id for r in c.moved_up} == {"c2"}
    assert {r.interaction_id for r in c.moved_down} == {"c1"}
    # c3: mean 3 -> 3 but consensus 1.0 -> 0.0: the room changed its view
    assert by_id["c3"].mean_change == 0 and by_id["c3"].consensus_change == pytest.approx(-1.0)
    assert {r.interaction_id for r in c.changed_view} == {"c1", "c2", "c3"}
    assert [row.interaction_id for row in c.rows][:3] == ["c2", "c3", "c4"]  # b's order
    # both rounds accepted a proposal as ws-1: same id, so it is matched, not "only in"
    assert c.only_in_a == [] and c.only_in_b == []


def test_compare_refuses_different_catalogues(store, round1, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    w2 = ws.create_workshop(other, store=store).workshop
    a = res.load_results(grant_for(round1.code, store), store=store)
    b = res.load_results(grant_for(w2.code, store), store=store)
    with pytest.raises(res.CatalogueMismatch) as info:
        res.compare(a, b)
    assert info.value.code == "catalogue_mismatch"
    assert info.value.params == {"a": "workshop_small", "b": "other"}
    assert "err.catalogue_mismatch" in TRANSLATIONS


def test_results_of_an_empty_workshop(store):
    w = ws.create_workshop(FIXTURE, store=store).workshop
    r = res.load_results(grant_for(w.code, store), store=store)
    assert r.participants == 0 and r.ranked == [] and len(r.rows) == 10
    assert all(row.participation is None and row.dispersion is None for row in r.rows)
    assert res.priority_weights(r) == {} and res.node_priority(r) == {}
    assert r.composition.total == 0 and r.proposals == [] and r.outcomes == []
