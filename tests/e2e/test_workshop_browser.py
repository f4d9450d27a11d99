"""A live workshop in real browsers: a facilitator, a projector and phones voting at once."""

from __future__ import annotations

import json

import pytest

from conflicts import workshops as ws
from conflicts.reports import export
from conflicts.store import Store
from conflicts.testing import AppServer
from tests.e2e.conftest import PHONE, PROJECTOR, screenshot, wait_for_app
from tests.helpers import grant_for

pytestmark = pytest.mark.e2e
PARTICIPANTS = 6


def _store(server: AppServer) -> Store:
    return Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")


def _phone(browser, url: str):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url)
    return context, page


def _ballots_shown(page) -> int:
    found = page.locator("[data-ballots]").first.get_attribute("data-ballots", timeout=5_000)
    return int(found) if found is not None else -1


def _saved(page, item_id: int, text: str) -> None:
    page.locator(f"#status-{item_id}").get_by_text(text).wait_for(timeout=20_000)


def test_phones_vote_and_projector_tally_matches(browser, server) -> None:
    store = _store(server)
    created = ws.create_workshop("stockholm", title="E2E", store=store)
    code, key = created.workshop.code, created.facilitator_key
    first = created.workshop.items[0]

    # The facilitator unlocks the console with the key, opens the workshop and the first vote.
    fac_ctx = browser.new_context(viewport=PROJECTOR)
    fac = fac_ctx.new_page()
    fac.goto(f"{server.url}/facilitate?code={code}&lang=en")
    wait_for_app(fac)
    fac.locator(".st-key-unlock_key input").fill("wrong-key")
    fac.get_by_role("button", name="Unlock").click()
    fac.get_by_text("Wrong key.").wait_for()
    fac.locator(".st-key-unlock_key input").fill(key)
    fac.get_by_role("button", name="Unlock").click()
    fac.get_by_role("button", name="Open the workshop").click()
    wait_for_app(fac)
    fac.locator(f".st-key-show_{first.id} button").click()
    wait_for_app(fac)
    fac.locator(f".st-key-open_{first.id} button").click()
    fac.locator(f".st-key-close_{first.id}").wait_for()
    assert ws.get_workshop(code, store=store).item(first.id).voting == "open"

    projector_ctx = browser.new_context(viewport=PROJECTOR)
    projector = projector_ctx.new_page()
    projector.goto(f"{server.url}/projector?code={code}&lang=en")
    wait_for_app(projector)
    assert key not in projector.content()

    # Participants join on their phones (follow mode shows the open conflict).
    phones = [
        _phone(browser, f"{server.url}/join?code={code}&lang=en") for _ in range(PARTICIPANTS)
    ]
    for n, (_, page) in enumerate(phones):
        page.fill("#display_name", f"<b>P{n}</b>")
        page.click("#join-submit")

    # Everyone taps a rating the instant the card is there: the server sees them concurrently.
    values = [(n % 5) + 1 for n in range(PARTICIPANTS)]
    for (_, page), value in zip(phones, values, strict=True):
        page.locator(f"#vote-{first.id}-{value}").click(timeout=20_000)
    for (_, page), value in zip(phones, values, strict=True):
        _saved(page, first.id, f"✓ Saved: {value}")

    # A reload keeps the identity: no join form, the same ballot, and a change replaces it.
    page = phones[0][1]
    page.reload()
    _saved(page, first.id, f"✓ Saved: {values[0]}")
    assert page.locator("#join-submit").count() == 0
    page.click(f"#vote-{first.id}-5")
    _saved(page, first.id, "✓ Saved: 5")
    values[0] = 5

    # The projector follows within a few seconds and shows exactly the ballots cast.
    projector.wait_for_function(
        "n => document.querySelector('[data-ballots]')?.dataset.ballots === String(n)",
        arg=PARTICIPANTS,
        timeout=10_000,
    )
    assert _ballots_shown(projector) == PARTICIPANTS
    screenshot(projector, "projector-1920x1080")
    exported = json.loads(export.export_workshop(grant_for(code, store), "json", store=store))
    stored = [b for b in exported["ballots"]]
    assert len(stored) == PARTICIPANTS
    assert sorted(b["value"] for b in stored) == sorted(values)
    tally = ws.get_tally(code, store=store).item(first.id)
    assert tally.ballots == PARTICIPANTS
    assert tally.mean == pytest.approx(sum(values) / PARTICIPANTS)
    # Names are shown as text, never as HTML.
    assert "<b>" not in json.dumps(exported)

    # Closing the vote is seen by the phones; a late tap is refused, nothing changes.
    fac.locator(f".st-key-close_{first.id} button").click()
    fac.locator(f".st-key-open_{first.id}").wait_for()
    phones[1][1].get_by_text("No voting is open right now").wait_for(timeout=10_000)
    assert ws.get_tally(code, store=store).item(first.id).ballots == PARTICIPANTS

    for context, _ in phones:
        context.close()
    fac_ctx.close()
    projector_ctx.close()


def test_unknown_code_is_a_clear_message(browser, server) -> None:
    context, page = _phone(browser, f"{server.url}/join?code=ZZZZZZ&lang=en")
    page.get_by_text("There is no workshop with that code.").wait_for()
    assert "Traceback" not in page.content()
    context.close()
