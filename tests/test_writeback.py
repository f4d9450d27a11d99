"""The catalogue written back (``--format yaml``): validates, keeps comments and order, and loads to
the workshop's catalogue plus the additions."""

from __future__ import annotations

import difflib
from pathlib import Path
from types import SimpleNamespace

import pytest

from conflicts import workshops as ws
from conflicts.catalogue import (
    Catalogue,
    WorkshopRecord,
    bundled_catalogues,
    json_schema,
    parse_catalogue,
    validate_file,
)
from conflicts.cli import main
from conflicts.reports import export
from conflicts.reports.writeback import writeback_yaml
from conflicts.store import OUTCOMES
from tests.helpers import grant_for
from tests.test_results import FIXTURE, SUMMARY, build_round


def _without_history(cat: Catalogue) -> dict:
    data = cat.model_dump(by_alias=True)
    for i in data["interactions"]:
        i.pop("history")
    return data


def _only_insertions(before: str, after: str) -> list[str]:
    """Lines of ``before`` that ``after`` changed or dropped (empty: it only inserted)."""
    ops = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    return [
        line
        for tag, i1, i2, _, _ in ops.get_opcodes()
        if tag in ("replace", "delete")
        for line in before.splitlines()[i1:i2]
    ]


@pytest.fixture
def round1(store):
    return build_round(store)


def test_written_back_catalogue_validates_and_loads_to_the_same_plus_additions(
    store, round1, tmp_path
):
    text = export.export_workshop(grant_for(round1.code, store), "yaml", store=store)
    path = tmp_path / "next_round.yaml"
    path.write_text(text, encoding="utf-8")
    assert validate_file(path).valid
    assert main(["validate", str(path)]) == 0

    w = ws.get_workshop(round1.code, store=store)
    new = validate_file(path).catalogue
    # the same catalogue as the workshop had (snapshot + the accepted proposal), plus history
    assert _without_history(new) == _without_history(w.catalogue())
    snapshot = parse_catalogue(w.catalogue_yaml)
    assert [i.id for i in new.interactions] == [*(i.id for i in snapshot.interactions), "ws-1"]
    added = new.interactions_by_id["ws-1"]
    assert (added.from_, added.to, added.score, added.tags) == (
        "transport",
        "housing",
        -2,
        ["proposed"],
    )
    assert added.title.root == {"sv": "Buller vid skolor", "en": "Buller vid skolor"}

    [c1] = new.interactions_by_id["c1"].history
    assert c1 == WorkshopRecord(
        workshop=round1.code,
        title="Runda 1",
        date=w.created_at.date(),
        outcome="needs_analysis",
        summary=SUMMARY,  # multi-line notes survive exactly
        next_step="Ta fram underlag",
        owner="Regionens planeringsenhet",
        due_date="2025-06-30",
        method="rating",
        ballots=3,
        rank=1,
        mean=4.67,
        consensus=round(ws.get_tally(round1.code, store=store).ranking[0].consensus, 3),
    )
    [c3] = new.interactions_by_id["c3"].history
    assert (c3.outcome, c3.rank, c3.mean, c3.consensus, c3.ballots) == ("parked", 2, 3.0, 1.0, 4)
    [c2] = new.interactions_by_id["c2"].history
    assert (c2.outcome, c2.summary, c2.rank, c2.ballots) == (None, None, 3, 2)
    # untouched items (no ballots, no outcome) get no record; warm-ups never do
    assert new.interactions_by_id["c5"].history == []
    assert not any(i.id.startswith("warmup") for i in new.interactions)


def test_comments_key_order_and_lines_are_kept(store, round1):
    text = export.export_workshop(grant_for(round1.code, store), "yaml", store=store)
    original = ws.get_workshop(round1.code, store=store).catalogue_yaml
    assert text.startswith("# Small catalogue for the workshop/store tests")
    assert _only_insertions(original, text) == []  # nothing rewritten, only lines added
    assert f"  # Added in workshop {round1.code}" in text
    assert "from a participant's proposal" in text
    lines = text.splitlines()
    top = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert top == ["meta", "goals", "actors", "interactions"]
    # the new interaction in the catalogue's own style (flow-style texts, sv first)
    i = lines.index("  - id: ws-1")
    assert lines[i + 1 : i + 5] == [
        "    from: transport",
        "    to: housing",
        "    score: -2",
        "    title: {sv: Buller vid skolor, en: Buller vid skolor}",
    ]


def test_bundled_catalogue_keeps_every_line(store, tmp_path):
    """Stockholm: folded texts, quoting and the long comment header all survive."""
    created = ws.create_workshop("stockholm", store=store)
    code = created.workshop.code
    first = created.workshop.items[0]
    ws.save_outcome(
        grant_for(code, store), first.id, outcome="escalate", owner="Politiken", store=store
    )
    ws.add_interaction(
        grant_for(code, store),
        from_node="g1",
        to_node="g2",
        score=1,
        title={"sv": "Ny: synergi", "en": "New: synergy"},
        store=store,
    )
    text = export.export_workshop(grant_for(code, store), "yaml", store=store)
    original = bundled_catalogues()["stockholm"].read_text(encoding="utf-8")
    assert created.workshop.catalogue_yaml == original
    assert _only_insertions(original, text) == []
    path = tmp_path / "stockholm-next.yaml"
    path.write_text(text, encoding="utf-8")
    new = validate_file(path).catalogue
    assert new is not None
    assert new.interactions_by_id[first.interaction_id].history[0].outcome == "escalate"
    assert new.interactions_by_id["ws-1"].title.get("en") == "New: synergy"
    assert _without_history(new) == _without_history(ws.get_workshop(code, store=store).catalogue())


def test_the_next_round_starts_from_the_written_back_catalogue(store, round1):
    text = export.export_workshop(grant_for(round1.code, store), "yaml", store=store)
    round2 = ws.create_workshop_from_text(text, "workshop_small", title="Runda 2", store=store)
    code2 = round2.workshop.code
    ids = [i.interaction_id for i in round2.workshop.items]
    assert "ws-1" in ids  # last round's accepted proposal is on the agenda now
    item = next(i for i in round2.workshop.items if i.interaction_id == "c1")
    ws.open_workshop(grant_for(code2, store), store=store)
    ws.join(code2, "vid-round-2", store=store)
    ws.open_voting(grant_for(code2, store), item.id, store=store)
    ws.cast_ballot(code2, "vid-round-2", item.id, 2, store=store)
    ws.save_outcome(grant_for(code2, store), item.id, outcome="resolved", store=store)
    again = ws.add_interaction(
        grant_for(code2, store),
        from_node="climate",
        to_node="nature",
        score=-1,
        title="Igen",
        store=store,
    )
    assert again.interaction_id == "ws-2"  # ids do not collide with the written-back ws-1
    new = parse_catalogue(export.export_workshop(grant_for(code2, store), "yaml", store=store))
    history = new.interactions_by_id["c1"].history
    assert [(h.workshop, h.outcome, h.rank) for h in history] == [
        (round1.code, "needs_analysis", 1),
        (code2, "resolved", 1),
    ]
    assert [i.id for i in new.interactions][-2:] == ["ws-1", "ws-2"]
    assert text.count("# Added in workshop") == 1
    assert (
        export.export_workshop(grant_for(code2, store), "yaml", store=store).count(
            "# Added in workshop"
        )
        == 2
    )


def test_one_language_catalogue_gets_plain_texts():
    snapshot = (
        "meta: {title: Demo, languages: [en]}\n"
        "goals:\n- {id: g1, title: A, colour: '#0072B2'}\n- {id: g2, title: B, colour: '#009E73'}\n"
        "interactions: []\n"
    )
    # A stand-in for ws.snapshot(...) with the fields the write-back reads (no database needed).
    snap = SimpleNamespace(
        workshop=SimpleNamespace(
            code="ACD347",
            title="R",
            method="rating",
            created_at=None,
            catalogue_name="demo",
            catalogue_yaml=snapshot,
        ),
        items=[],
        outcomes=[],
        added=[
            ws.AddedInteraction(
                interaction_id="ws-1",
                origin="facilitator",
                proposal_id=None,
                interaction={
                    "id": "ws-1",
                    "from": "g1",
                    "to": "g2",
                    "score": -1,
                    "title": {"en": "A vs B"},
                    "description": {"en": "Line 1\nLine 2"},
                    "tags": [],
                },
            )
        ],
    )
    text = writeback_yaml(snap)
    assert "interactions:\n# Added in workshop ACD347, added by the facilitator\n- id: ws-1" in text
    assert "  title: A vs B\n  description: |-\n    Line 1\n    Line 2\n" in text
    cat = parse_catalogue(text)
    assert cat.interactions[0].description.get("en") == "Line 1\nLine 2"


def test_history_is_part_of_the_declared_format():
    assert set(WorkshopRecord.model_fields["outcome"].annotation.__args__[0].__args__) == set(
        OUTCOMES
    )
    schema = json_schema()
    assert "history" in schema["$defs"]["Interaction"]["properties"]
    assert "WorkshopRecord" in schema["$defs"]
    with pytest.raises(Exception, match="outcome"):
        WorkshopRecord(workshop="X", outcome="maybe")


def test_template_documents_no_history_but_accepts_it(tmp_path):
    """An interaction with a hand-written history validates like any other field."""
    text = (
        Path(FIXTURE)
        .read_text(encoding="utf-8")
        .replace(
            "    actors: [kommun]\n",
            "    actors: [kommun]\n    history:\n      - {workshop: ABC123, date: 2025-03-01, outcome: parked}\n",
        )
    )
    path = tmp_path / "h.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate_file(path)
    assert result.valid, result.problems
    assert result.catalogue.interactions_by_id["c1"].history[0].outcome == "parked"
