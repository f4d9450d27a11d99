"""The console in a real browser: its timer ticks (issue 10.4) while the page itself is not
rerun on a timer."""

from __future__ import annotations

import pytest

from conflicts import workshops as ws
from conflicts.store import Store
from tests.e2e.conftest import PROJECTOR, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_the_console_timer_ticks(browser, server) -> None:
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    created = ws.create_workshop("stockholm", title="Rådslag Söderort", store=store)
    code, grant = created.workshop.code, created.grant
    ws.open_workshop(grant, store=store)
    item = ws.step(grant, 1, store=store).current_item
    ws.toggle_voting(grant, item.id, store=store)
    ws.timer_start(grant, 300, store=store)
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(f"{server.url}/facilitate?code={code}&lang=sv")
    wait_for_app(page)
    page.locator(".st-key-unlock_key input").fill(created.facilitator_key)
    page.locator(".st-key-unlock_submit button").click()
    timer = page.locator(".st-key-console_timer")
    timer.wait_for()
    first = timer.inner_text()
    page.wait_for_function(
        "t => document.querySelector('.st-key-console_timer')?.innerText !== t",
        arg=first,
        timeout=10_000,
    )
    assert "Rådslag Söderort" in page.locator("h3").all_inner_texts()[0]
    screenshot(page, "console-voting-1920x1080")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.wait_for_timeout(800)
    screenshot(page, "console-voting-1280x720")
    context.close()
