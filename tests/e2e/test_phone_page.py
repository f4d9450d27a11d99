"""The phone page (``/join``) in Chromium at 390x844: join, vote, change, skip, every method,
warm-up, proposals, closed mode, the page without JavaScript, a tap while offline, axe-core.
Screenshots go to ``artifacts/screenshots/phone-*.png``."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from conflicts import workshops as ws
from conflicts.reports.export import export_workshop
from conflicts.store import Store
from tests.e2e.conftest import PHONE, screenshot

pytestmark = pytest.mark.e2e
WAIT = 10_000


@pytest.fixture(scope="module")
def store(server) -> Store:
    return Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")


def _workshop(store: Store, method: str = "rating", mode: str = "follow", **settings):
    created = ws.create_workshop("stockholm", title="Rådslag <i>test</i>", store=store)
    code = created.workshop.code
    if method != "rating" or settings:
        ws.set_voting_method(ws.local_grant(code, store=store), method, **settings, store=store)
    ws.set_mode(ws.local_grant(code, store=store), mode, store=store)
    ws.open_workshop(ws.local_grant(code, store=store), store=store)
    return code, [i.id for i in created.workshop.items]


def _phone(browser, **options):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    return context, context.new_page()


def _join(page, server, code: str, name: str | None = None, lang: str = "en") -> None:
    page.goto(f"{server.url}/join?code={code}&lang={lang}")
    if name:
        page.fill("#display_name", name)
    page.click("#join-submit")
    page.locator("#live").wait_for(timeout=WAIT)


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def _voter(page) -> str:
    return page.locator('meta[name="mk-voter"]').get_attribute("content").split(".")[0]


def test_join_vote_change_skip_and_follow(browser, server, store) -> None:
    code, items = _workshop(store)
    context, page = _phone(browser)
    page.goto(f"{server.url}/join?code={code}&lang=en")
    assert "voter" not in page.url
    page.fill("#display_name", "<b>Anna</b>")
    page.select_option("#level", "regional")
    screenshot(page, "phone-join-390x844")
    assert _serious(page) == []
    page.click("#join-submit")
    page.get_by_text("Welcome, <b>Anna</b>!").wait_for(timeout=WAIT)  # escaped, not bold
    page.get_by_text("Waiting for the facilitator").wait_for()
    voter = _voter(page)
    assert "voter" not in page.url and voter not in page.url

    # The facilitator opens a conflict: the card appears without a reload.
    ws.set_current_item(ws.local_grant(code, store=store), items[0], store=store)
    ws.open_voting(ws.local_grant(code, store=store), items[0], store=store)
    page.locator(f"#vote-{items[0]}-4").click(timeout=WAIT)  # tapped the instant it appears
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: 4").wait_for(timeout=WAIT)
    assert ws.my_ballots(code, voter, store=store)[items[0]].value == 4
    assert page.locator(f"#vote-{items[0]}-4").get_attribute("aria-pressed") == "true"
    screenshot(page, "phone-voted-390x844")
    assert _serious(page) == []
    page.locator(f"#vote-{items[0]}-2").click()
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: 2").wait_for(timeout=WAIT)
    page.locator(f"#skip-{items[0]}").click()
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: skipped").wait_for(timeout=WAIT)
    assert ws.my_ballots(code, voter, store=store)[items[0]].skipped
    page.reload()  # the cookie keeps the identity
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: skipped").wait_for(timeout=WAIT)

    # Closing the vote is followed; the Swedish page is one tap away.
    ws.close_voting(ws.local_grant(code, store=store), items[0], store=store)
    page.get_by_text("No voting is open right now").wait_for(timeout=WAIT)
    page.click("a[hreflang=sv]")
    page.get_by_text("Ingen röstning är öppen just nu").wait_for(timeout=WAIT)
    ws.close_workshop(ws.local_grant(code, store=store), store=store)
    page.get_by_text("Workshoppen är avslutad").wait_for(timeout=WAIT)
    context.close()


@pytest.mark.parametrize("method", ["score", "dots", "ranking"])
def test_every_method(browser, server, store, method) -> None:
    settings = {"dot_budget": 5} if method == "dots" else {}
    code, items = _workshop(store, method, "free", **settings)
    for item_id in items[:3]:
        ws.open_voting(ws.local_grant(code, store=store), item_id, store=store)
    context, page = _phone(browser)
    _join(page, server, code)
    voter = _voter(page)
    if method == "score":
        page.locator(f"#vote-{items[1]}--3").click()
        page.locator(f"#status-{items[1]}").get_by_text("✓ Saved: −3").wait_for(timeout=WAIT)
        assert ws.my_ballots(code, voter, store=store)[items[1]].value == -3
    elif method == "dots":
        page.fill(f"#dots-{items[0]}", "4")
        page.click(f"#vote-{items[0]}-dots")
        page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: 4").wait_for(timeout=WAIT)
        page.get_by_text("Points left: 1 of 5").wait_for(timeout=WAIT)
        page.fill(f"#dots-{items[1]}", "3")
        page.click(f"#vote-{items[1]}-dots")
        page.locator(f"#status-{items[1]}").get_by_text("many points").wait_for(timeout=WAIT)
        assert sum(b.value for b in ws.my_ballots(code, voter, store=store).values()) == 4
    else:
        page.select_option("#rank-1", str(items[2]))
        page.select_option("#rank-2", str(items[0]))
        page.click("#ranking-submit")
        page.locator("#status-ranking").get_by_text("✓").wait_for(timeout=WAIT)
        mine = ws.my_ballots(code, voter, store=store)
        assert (mine[items[2]].value, mine[items[0]].value) == (3, 2)
    screenshot(page, f"phone-card-{method}-390x844")
    assert _serious(page) == []
    context.close()


def test_rating_card_screenshot_warmup_and_proposals(browser, server, store) -> None:
    code, items = _workshop(store)
    ws.set_current_item(ws.local_grant(code, store=store), items[0], store=store)
    ws.open_voting(ws.local_grant(code, store=store), items[0], store=store)
    context, page = _phone(browser)
    _join(page, server, code)
    page.locator(f"#vote-{items[0]}-1").wait_for()
    screenshot(page, "phone-card-rating-390x844")

    warmup = ws.add_warmup(
        ws.local_grant(code, store=store), "Vilket mål är viktigast för er?", store=store
    )
    ws.set_current_item(ws.local_grant(code, store=store), warmup.id, store=store)
    ws.open_voting(ws.local_grant(code, store=store), warmup.id, store=store)
    page.locator(f"#vote-{warmup.id}-1").click(timeout=WAIT)
    page.locator(f"#status-{warmup.id}").get_by_text("✓ Saved").wait_for(timeout=WAIT)
    assert ws.my_ballots(code, _voter(page), store=store)[warmup.id].value == 1
    screenshot(page, "phone-warmup-390x844")
    assert _serious(page) == []

    page.get_by_text("Is a conflict missing? Propose it").click()
    page.fill("#prop-title", "Night flights vs. <sleep>")
    page.fill("#prop-text", "Noise at night.")
    cat = ws.get_workshop(code, store=store).catalogue()
    page.select_option("#prop-from_node", cat.goals[0].id)
    page.select_option("#prop-to_node", cat.goals[2].id)
    page.click("#prop-submit")
    page.get_by_text("Thank you! Your proposal was sent.").wait_for(timeout=WAIT)
    page.get_by_text("Night flights vs. <sleep> — pending").wait_for()
    (proposal,) = ws.list_proposals(ws.local_grant(code, store=store), store=store)
    assert proposal.title == "Night flights vs. <sleep>"
    screenshot(page, "phone-proposals-390x844")
    assert _serious(page) == []
    context.close()


def test_closed_mode_with_participant_codes(browser, server, store) -> None:
    code, items = _workshop(store)
    ws.set_participant_codes_required(ws.local_grant(code, store=store), True, store=store)
    (pcode,) = ws.generate_participant_codes(ws.local_grant(code, store=store), 1, store=store)
    ws.set_current_item(ws.local_grant(code, store=store), items[0], store=store)
    ws.open_voting(ws.local_grant(code, store=store), items[0], store=store)
    context, page = _phone(browser)
    page.goto(f"{server.url}/join?code={code}&lang=en")
    page.fill("#participant_code", "WRONG123")
    page.click("#join-submit")
    page.get_by_text("Unknown participant code.").wait_for(timeout=WAIT)
    page.fill("#participant_code", pcode.lower())
    page.click("#join-submit")
    page.locator(f"#vote-{items[0]}-5").click(timeout=WAIT)
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: 5").wait_for(timeout=WAIT)
    context.close()


def test_without_javascript_plain_forms_work(browser, server, store) -> None:
    code, items = _workshop(store)
    ws.set_current_item(ws.local_grant(code, store=store), items[0], store=store)
    ws.open_voting(ws.local_grant(code, store=store), items[0], store=store)
    context, page = _phone(browser, java_script_enabled=False)
    _join(page, server, code, "No JS")
    voter = _voter(page)
    page.locator(f"#vote-{items[0]}-3").click()
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: 3").wait_for(timeout=WAIT)
    assert "voter" not in page.url
    page.locator(f"#skip-{items[0]}").click()
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: skipped").wait_for(timeout=WAIT)
    assert ws.my_ballots(code, voter, store=store)[items[0]].skipped
    page.get_by_text("Is a conflict missing? Propose it").click()
    page.fill("#prop-title", "Plain form")
    cat = ws.get_workshop(code, store=store).catalogue()
    page.select_option("#prop-from_node", cat.goals[0].id)
    page.select_option("#prop-to_node", cat.goals[1].id)
    page.click("#prop-submit")
    page.get_by_text("Thank you! Your proposal was sent.").wait_for(timeout=WAIT)
    context.close()


def _drop_cookies(route) -> None:
    """A browser that refuses cookies: every Set-Cookie is dropped on the way in (route.fetch
    keeps them in the context's jar, hence the clearing). Long polls set none: passed on."""
    if "/join/live" in route.request.url:
        route.continue_()
        return
    response = route.fetch()
    route.request.frame.page.context.clear_cookies()
    headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
    route.fulfill(response=response, headers=headers)


def test_a_browser_without_cookies_joins_and_votes(browser, server, store) -> None:
    code, items = _workshop(store)
    ws.set_current_item(ws.local_grant(code, store=store), items[0], store=store)
    ws.open_voting(ws.local_grant(code, store=store), items[0], store=store)
    context, page = _phone(browser)
    context.route("**/*", _drop_cookies)
    _join(page, server, code, "No cookies")
    page.get_by_text("does not keep cookies").wait_for()
    page.locator(f"#vote-{items[0]}-2").click()
    page.locator(f"#status-{items[0]}").get_by_text("✓ Saved: 2").wait_for(timeout=WAIT)
    (p,) = [p for p in ws.list_participants(code, store=store) if p.display_name == "No cookies"]
    assert ws.my_ballots(code, p.voter_id, store=store)[items[0]].value == 2
    context.unroute_all(behavior="ignoreErrors")
    context.close()


def test_a_tap_while_offline_is_retried_until_stored_once(browser, server, store) -> None:
    code, items = _workshop(store)
    ws.set_current_item(ws.local_grant(code, store=store), items[0], store=store)
    ws.open_voting(ws.local_grant(code, store=store), items[0], store=store)
    context, page = _phone(browser)
    _join(page, server, code)
    voter = _voter(page)
    context.set_offline(True)
    page.locator(f"#vote-{items[0]}-5").click()
    status = page.locator(f"#status-{items[0]}")
    page.wait_for_timeout(2500)
    assert "✓" not in status.inner_text()  # no ✓ before the server confirmed
    assert items[0] not in ws.my_ballots(code, voter, store=store)
    context.set_offline(False)
    status.get_by_text("✓ Saved: 5").wait_for(timeout=WAIT)
    assert ws.my_ballots(code, voter, store=store)[items[0]].value == 5
    exported = json.loads(export_workshop(ws.local_grant(code, store=store), "json", store=store))
    assert len(exported["ballots"]) == 1
    context.close()


def test_unknown_code_and_code_form(browser, server) -> None:
    context, page = _phone(browser)
    page.goto(f"{server.url}/join?code=ZZZZZZ&lang=en")
    page.get_by_text("There is no workshop with that code.").wait_for()
    page.goto(f"{server.url}/join?lang=en")
    page.locator("#code").wait_for()
    assert _serious(page) == []
    context.close()
