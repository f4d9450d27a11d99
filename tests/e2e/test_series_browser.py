"""The regional projector in Chromium at 1920x1080: /series/projector redirects to the page,
nothing secret is shown, and a new ballot in any room is on the wall within 5 s."""

from __future__ import annotations

import time

from conflicts import series
from conflicts import workshops as ws
from conflicts.store import Store
from tests.e2e.conftest import PROJECTOR, screenshot, wait_for_app
from tests.helpers import grant_for
from tests.test_results import PEOPLE, SUMMARY, build_round


def test_regional_projector_updates_within_5_s(server, browser):
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    store.init()
    a = build_round(store, title="Nordost")
    b = build_round(store, title="Sydväst", ratings={"c1": [1, 2, 1, 1], "c2": [5, 5, 4]})
    c = build_round(store, title="Aktörer", ratings={"c1": [4, 4], "c3": [1, 1, 2]})
    created = series.create_series(
        "Regionalt rådslag Stockholm",
        [grant_for(r.code, store) for r in (a, b, c)],
        store=store,
    )
    sid = created.series.code
    page = browser.new_page(viewport=PROJECTOR)
    try:
        page.goto(f"{server.url}/series/projector?id={sid}&lang=en")
        wait_for_app(page)
        assert page.url.startswith(f"{server.url}/series_projector?id={sid}")
        page.get_by_text("Regional rådslag: Regionalt rådslag Stockholm").wait_for(timeout=30_000)
        before = page.get_by_text("ballots in 3 rooms").first.inner_text()
        body = page.inner_text("body")
        assert created.key not in body and SUMMARY.splitlines()[0] not in body
        assert all(name not in body for name, _, _ in PEOPLE.values() if name)
        assert "Buller vid skolor" not in body  # proposals are not on the wall
        assert page.locator("[data-testid='stSidebar']").count() == 0
        assert page.locator(".js-plotly-plot").count() == 1  # the map of rooms
        screenshot(page, "series-projector-1920x1080")

        # a new ballot in room B: on the wall within 5 s
        item = next(
            i for i in ws.get_workshop(b.code, store=store).items if i.interaction_id == "c3"
        )
        ws.open_voting(grant_for(b.code, store), item.id, store=store)
        ws.cast_ballot(b.code, next(iter(PEOPLE)), item.id, 5, store=store)
        cast = time.monotonic()
        n = int(before.split()[0])
        page.get_by_text(f"{n + 1} ballots in 3 rooms").wait_for(timeout=5_000)
        print(f"regional projector updated {time.monotonic() - cast:.2f} s after the ballot")
    finally:
        page.close()
