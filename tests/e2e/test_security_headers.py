"""Security headers on a real server (issue 11): every response, strict where we write the page.

And the attacks they stop, in Chromium: a foreign page cannot frame the facilitator console, and
Streamlit's own pages run under their policy without a single violation (nothing is fetched from
another host).
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from conflicts import workshops as ws
from conflicts.headers import APP_CSP, STRICT_CSP
from conflicts.store import Store
from tests.e2e.conftest import PROJECTOR, wait_for_app

pytestmark = pytest.mark.e2e


def _headers(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:  # a 404 carries the headers too
        return {k.lower(): v for k, v in error.headers.items()}


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/", APP_CSP),
        ("/facilitate", APP_CSP),
        ("/_stcore/health", APP_CSP),
        ("/api/workshops/NOSUCH/revision", STRICT_CSP),
        ("/join?code=NOSUCH", STRICT_CSP),
        ("/join/static/phone.js", STRICT_CSP),
    ],
)
def test_every_response_carries_the_headers(server, path: str, policy: str) -> None:
    headers = _headers(server.url + path)
    assert headers["content-security-policy"] == policy
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]


def test_a_foreign_page_cannot_frame_the_console(browser, server) -> None:
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text else None)
    # about:blank with content set by the test is another origin than the app.
    page.set_content(f'<iframe id="f" src="{server.url}/facilitate" width="800" height="600">')
    page.wait_for_timeout(3000)
    frame = page.frame_locator("#f")
    assert frame.locator(".st-key-unlock_key input").count() == 0
    assert frame.locator("[data-testid='stApp']").count() == 0
    assert blocked, "Chromium did not report the refused framing"
    context.close()


def test_streamlit_pages_run_without_a_policy_violation(browser, server) -> None:
    store = Store(f"sqlite:///{server.data_dir / 'conflicts.db'}")
    created = ws.create_workshop("stockholm", store=store)
    code, grant = created.workshop.code, created.grant
    ws.open_workshop(grant, store=store)
    first = created.workshop.items[0].id
    ws.set_current_item(grant, first, store=store)
    ws.open_voting(grant, first, store=store)  # the projector draws the QR code and the tally

    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    violations: list[str] = []
    foreign: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith((server.url, "data:", f"blob:{server.url}"))
            else None
        ),
    )
    for path in ("/", "/catalogue", f"/projector?code={code}", f"/facilitate?code={code}"):
        page.goto(server.url + path)
        wait_for_app(page)
        page.wait_for_timeout(1000)
    # The unlocked console (icons, the watcher, the sign-in post) and the results page.
    page.locator(".st-key-unlock_key input").fill(created.facilitator_key)
    page.locator(".st-key-unlock_submit button").click()
    page.locator(".st-key-step_next").wait_for()
    wait_for_app(page)
    page.wait_for_timeout(1500)
    page.goto(f"{server.url}/results?code={code}")  # signed in by the cookie: no key again
    wait_for_app(page)
    page.wait_for_timeout(1000)
    # Client-side navigation through the sidebar (a page's ":material/…:" icon must not
    # become a favicon fetched from a font host).
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Katalog").click()
    wait_for_app(page)
    page.wait_for_timeout(1000)
    # The phone page under its strict policy: join, then the voting card (htmx and our script).
    page.goto(f"{server.url}/join?code={code}&lang=en")
    page.click("#join-submit")
    page.locator(f"#vote-{first}-3").click()
    page.locator(f"#status-{first}").get_by_text("✓").wait_for()
    assert violations == []
    assert foreign == []
    context.close()
