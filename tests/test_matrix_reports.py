"""The matrix scoring session in the exports (JSON, HTML report, Markdown summary) and written
back to the catalogue (YAML): history records with median, IQR, count and rationales on the
interaction of a pair, new proposed interactions where the catalogue has none, nothing lost, and
``python -m conflicts validate`` passes on every bundled catalogue after the round trip."""

from __future__ import annotations

import json

import pytest
import yaml

from conflicts import workshops as ws
from conflicts.catalogue import bundled_catalogues, parse_catalogue
from conflicts.cli import main
from conflicts.reports.export import export_workshop
from conflicts.reports.writeback import writeback_yaml
from conflicts.room_matrix import MIN_WRITEBACK


def _scored_session(store, catalogue: str, nodes: list[str], scores: dict):
    """A closed session where voter k gave ``scores[pair][k]`` (None: skipped)."""
    created = ws.create_workshop(catalogue, title="Runda 2", store=store)
    code, g = created.workshop.code, created.grant
    item = ws.add_matrix_session(g, nodes, store=store)
    ws.open_workshop(g, store=store)
    ws.open_voting(g, item.id, store=store)
    for (a, b), values in scores.items():
        for k, v in enumerate(values):
            voter = f"v{k}"
            ws.join(code, voter, store=store)
            note = f"<script>{a}-{b}-{k}</script>" if k == 0 else None
            if v is None:
                ws.score_pair(code, voter, item.id, a, b, skip=True, store=store)
            else:
                ws.score_pair(code, voter, item.id, a, b, value=v, rationale=note, store=store)
    ws.close_voting(g, item.id, store=store)
    return code, g, item


def _nodes(store, catalogue: str) -> tuple[list[str], tuple[str, str] | None]:
    """Five nodes of ``catalogue`` including both ends of its first interaction."""
    cat = ws.create_workshop(catalogue, store=store).workshop.catalogue()
    first = cat.interactions[0] if cat.interactions else None
    nodes = [first.from_, first.to] if first else []
    nodes += [n for n in cat.nodes if n not in nodes][: 5 - len(nodes)]
    return nodes, ((first.from_, first.to) if first else None)


def test_exports_carry_the_room_matrix(store):
    nodes = ["g1", "g2", "g3", "g4", "g1.housing"]
    scores = {("g3", "g4"): [1, 2, 3, None], ("g1", "g2"): [-1, -1], ("g2", "g1"): [0]}
    _, g, item = _scored_session(store, "stockholm", nodes, scores)
    data = json.loads(export_workshop(g, "json", store=store))
    (session,) = data["matrices"]
    assert session["item_id"] == item.id and session["nodes"] == nodes
    assert session["spread"] == "iqr" and session["answers"] == 7 and session["participants"] == 4
    cells = {(c["from"], c["to"]): c for c in session["cells"]}
    c = cells[("g3", "g4")]
    # 1 2 3: median 2, Q1 1.5, Q3 2.5 (IQR 1); the catalogue scores g3 -> g4 with -2
    assert (c["count"], c["skips"], c["median"], c["spread"], c["min"], c["max"]) == (
        3, 1, 2.0, 1.0, 1, 3,
    )  # fmt: skip
    assert c["catalogue_score"] == -2 and c["discussion_reason"] == "departure"
    assert c["rationales"] == ["<script>g3-g4-0</script>"]
    assert cells[("g2", "g1")]["discussion_reason"] is None  # one score: not discussed
    assert [(x["from"], x["to"]) for x in session["cells"]][:2] == [("g3", "g4"), ("g1", "g2")]
    assert [a["kind"] for a in data["agenda"]][-1] == "matrix"
    html = export_workshop(g, "html", lang="sv", store=store)
    assert "Matrisbedömningar" in html and "&lt;script&gt;g3-g4-0&lt;/script&gt;" in html
    assert "<script>g3-g4-0" not in html
    md = export_workshop(g, "md", lang="en", store=store)
    assert "## Matrix scoring sessions" in md and "departs from the catalogue (−2)" in md
    # the CSV keeps its columns (ballots and tallies only)
    assert export_workshop(g, "csv", store=store).splitlines()[0].startswith("record,")


def test_writeback_adds_history_and_proposed_interactions(store):
    nodes = ["g1", "g2", "g3", "g4", "g1.housing"]
    scores = {
        ("g3", "g4"): [1, 2, 2],  # the catalogue has g3 -> g4 (-2): a history record
        ("g2", "g3"): [-1, -2, -2, -3],  # no interaction: a new proposed one, score -2
        ("g4", "g1"): [3, 3],  # fewer than MIN_WRITEBACK scores: nothing
    }
    code, g, _ = _scored_session(store, "stockholm", nodes, scores)
    text = export_workshop(g, "yaml", store=store)
    doc = yaml.safe_load(text)
    before = yaml.safe_load(ws.get_workshop(code, store=store).catalogue_yaml)
    by_id = {x["id"]: x for x in doc["interactions"]}
    old = next(x for x in before["interactions"] if (x["from"], x["to"]) == ("g3", "g4"))
    mine = by_id[old["id"]]
    assert mine["score"] == old["score"]  # the score is the catalogue's own until a person edits
    record = mine["history"][-1]
    assert record["method"] == "matrix" and record["pair"] == "g3>g4" and record["workshop"] == code
    assert (record["ballots"], record["median"], record["spread"]) == (3, 2.0, 0.5)
    assert record["proposed_score"] == 2 and record["rationales"] == ["<script>g3-g4-0</script>"]
    new = [x for x in doc["interactions"] if x["id"].startswith(f"mx-{code}-")]
    assert [(x["from"], x["to"], x["score"], x["tags"]) for x in new] == [
        ("g2", "g3", -2, ["proposed", "matrix"])
    ]
    assert new[0]["history"][0]["median"] == -2.0 and "→" in new[0]["title"]["sv"]
    assert not any(
        h.get("pair") == "g4>g1" for x in doc["interactions"] for h in x.get("history", [])
    )
    # nothing lost: every interaction of the catalogue is still there with its fields
    for x in before["interactions"]:
        assert {k: v for k, v in by_id[x["id"]].items() if k != "history"} == {
            k: v for k, v in x.items() if k != "history"
        }
    assert len(doc["interactions"]) == len(before["interactions"]) + 1
    # a second write-back into the written text adds nothing twice
    snap = ws.snapshot(g, store=store)
    again = writeback_yaml(snap, catalogue_yaml=text)
    assert again.count("pair: g3>g4") == 1 and again.count(f"id: mx-{code}-") == 1
    parse_catalogue(again, "again.yaml")


@pytest.mark.parametrize("name", sorted(bundled_catalogues()))
def test_validate_passes_on_every_bundled_catalogue_after_a_round_trip(store, name, tmp_path):
    nodes, first = _nodes(store, name)
    if len(nodes) < 5:
        pytest.skip(f"{name} has fewer than 5 goals and sub-goals")  # pragma: no cover
    pairs = [first] if first else []
    pairs.append((nodes[-1], nodes[-2]))  # most likely not in the catalogue: a new interaction
    scores = {p: [-1, 0, 2, 2][: MIN_WRITEBACK + 1] for p in pairs}
    _, g, _ = _scored_session(store, name, nodes, scores)
    path = tmp_path / f"{name}.yaml"
    path.write_text(export_workshop(g, "yaml", store=store), encoding="utf-8")
    assert "method: matrix" in path.read_text(encoding="utf-8")
    assert main(["validate", str(path)]) == 0
