"""The matrix scoring session in Chromium (issue 12, item 13): three phones (390x844) score pairs
of the Stockholm catalogue with the page's JavaScript, one rationale on the way; the projector
(1920x1080) shows the progress while open and the room's matrix with the discussion list once
closed; the SDG catalogue's room matrix with 12 goals. Every effect is checked in the database
the server writes. Screenshots: ``artifacts/screenshots/matrix-*.png``."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from conflicts import workshops as ws
from conflicts.store import Store
from tests.e2e.conftest import PHONE, PROJECTOR, screenshot, wait_for_app

pytestmark = pytest.mark.e2e
WAIT = 15_000
PER = 8
STOCKHOLM = ["g1", "g2", "g3", "g4", "g1.housing"]  # 20 pairs: 24 answers overlap


@pytest.fixture(scope="module")
def store(server) -> Store:
    return Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")


def _session(store: Store, catalogue: str, nodes: list[str], per: int):
    created = ws.create_workshop(catalogue, title="Matris", store=store)
    code, g = created.workshop.code, created.grant
    nodes = nodes or [x.id for x in created.workshop.catalogue().goals][:12]
    item = ws.add_matrix_session(g, nodes, pairs_per_participant=per, store=store)
    ws.open_workshop(g, store=store)
    ws.set_current_item(g, item.id, store=store)
    ws.open_voting(g, item.id, store=store)
    return code, g, item


def test_three_phones_score_pairs_and_the_projector_shows_the_room_matrix(
    browser, server, store
) -> None:
    code, g, item = _session(store, "stockholm", STOCKHOLM, per=PER)
    projector = browser.new_context(viewport=PROJECTOR).new_page()
    projector.goto(f"{server.url}/projector?code={code}&lang=sv")
    wait_for_app(projector)
    projector.get_by_text("Om det går framåt för A, hur påverkar det").wait_for(timeout=WAIT)

    phones = []
    for n in range(3):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        page.goto(f"{server.url}/join?code={code}&lang=sv")
        page.fill("#display_name", f"P{n}")
        page.click("#join-submit")
        page.locator("form.pair").wait_for(timeout=WAIT)
        phones.append(page)
    first = phones[0]
    assert "Om det går framåt för " in first.locator("form.pair legend").inner_text()
    first.fill(f"#rationale-{item.id}", "Fler bostäder tar <b>mark</b>")
    screenshot(first, "matrix-phone-390x844")
    violations = Axe().run(first).response["violations"]
    assert [v["id"] for v in violations if v.get("impact") in {"serious", "critical"}] == []
    values = [-2, -1, -3]
    for k in range(PER):  # each phone scores its pairs, one card at a time
        for n, page in enumerate(phones):
            page.locator("#pair-progress").get_by_text(f"Par {k + 1} av {PER}").wait_for(
                timeout=WAIT
            )
            if k == PER - 1 and n == 2:
                page.click(f"#pair-skip-{item.id}")
            else:
                page.click(f"#pair-{item.id}-{values[n] + (k % 2)}")
    for page in phones:
        page.locator("#pairs-done").wait_for(timeout=WAIT)
    screenshot(first, "matrix-phone-done-390x844")

    m = ws.get_room_matrix(g, item.id, store=store)
    assert m.answers == 3 * PER and m.participants == 3
    assert m.discussion(), "24 answers on 20 pairs: some pairs have two scores"
    assert sum(c.skips for c in m.cells.values()) == 1
    notes = [r for c in m.cells.values() for r in c.rationales]
    assert notes == ["Fler bostäder tar <b>mark</b>"]  # stored as typed (escaped when shown)

    projector.get_by_text(f"{3 * PER} svar från 3 deltagare").wait_for(timeout=WAIT)
    screenshot(projector, "matrix-projector-open-1920x1080")
    ws.close_voting(g, item.id, store=store)
    projector.get_by_text("Diskutera först").wait_for(timeout=WAIT)
    projector.locator(".st-key-projector_room_matrix .js-plotly-plot").wait_for(timeout=WAIT)
    projector.wait_for_timeout(800)
    cells = projector.evaluate(
        "() => document.querySelector('.st-key-projector_room_matrix .js-plotly-plot')"
        "._fullData.find(t => t.meta && t.meta.kind === 'room').text.flat()"
    )
    scored = [c for c in cells if c and c != "·"]
    assert len(scored) == m.scored_cells and all("n " in c and "kat." in c for c in scored)
    screenshot(projector, "matrix-projector-closed-1920x1080")
    phones[0].locator("#waiting").wait_for(timeout=WAIT)  # the phones follow: nothing to score


def test_sdg_room_matrix_with_twelve_goals(browser, server, store) -> None:
    code, g, item = _session(store, "sdg", [], per=30)
    nodes = list(item.nodes)
    assert len(nodes) == 12
    for n in range(5):  # five participants through the domain (the phone path is tested above)
        voter = f"sdg-{n}"
        ws.join(code, voter, store=store)
        for k in range(30):
            (pair,) = ws.deal(
                item,
                voter,
                ws.my_pair_answers(code, voter, item.id, store=store),
                ws.pair_counts(code, item.id, store=store),
            )
            value = (sum(map(ord, "".join(pair))) + n) % 7 - 3 if k % 3 else 2  # deterministic
            ws.score_pair(code, voter, item.id, *pair, value=value, store=store)
    ws.close_voting(g, item.id, store=store)
    projector = browser.new_context(viewport=PROJECTOR).new_page()
    projector.goto(f"{server.url}/projector?code={code}&lang=en")
    wait_for_app(projector)
    projector.get_by_text("Discuss first").wait_for(timeout=WAIT)
    projector.locator(".st-key-projector_room_matrix .js-plotly-plot").wait_for(timeout=WAIT)
    projector.wait_for_timeout(800)
    screenshot(projector, "matrix-projector-sdg12-1920x1080")
    m = ws.get_room_matrix(g, item.id, store=store)
    assert m.answers == 150 and m.scored_cells == 132  # 150 answers cover all 132 pairs
