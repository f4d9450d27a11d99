"""Nothing acknowledged is lost: a SIGKILLed server, and two app processes on one database."""

from __future__ import annotations

import pytest

from conflicts import workshops as ws
from conflicts.store import Store
from conflicts.testing import AppServer
from tests.e2e.conftest import PHONE, PROJECTOR
from tests.helpers import grant_for

pytestmark = pytest.mark.e2e


def _open_workshop(store: Store) -> tuple[str, int]:
    created = ws.create_workshop("stockholm", store=store)
    code, item = created.workshop.code, created.workshop.items[0]
    ws.open_workshop(grant_for(code, store), store=store)
    ws.set_current_item(grant_for(code, store), item.id, store=store)
    ws.open_voting(grant_for(code, store), item.id, store=store)
    return code, item.id


def _vote(browser, url: str, code: str, item_id: int, value: int) -> None:
    """Join and vote on a phone; return only once the page confirmed the commit."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{url}/join?code={code}&lang=en")
    page.click("#join-submit")
    page.locator(f"#vote-{item_id}-{value}").click(timeout=20_000)
    page.locator(f"#status-{item_id}").get_by_text(f"✓ Saved: {value}").wait_for(timeout=20_000)
    context.close()


def _projector_shows(browser, url: str, code: str, ballots: int) -> None:
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(f"{url}/projector?code={code}&lang=en")
    page.wait_for_function(
        "n => document.querySelector('[data-ballots]')?.dataset.ballots === String(n)",
        arg=ballots,
        timeout=15_000,
    )
    context.close()


def test_acknowledged_ballots_survive_sigkill(browser, tmp_path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'conflicts.db'}")
    code, item_id = _open_workshop(store)
    server = AppServer(data_dir=tmp_path).start()
    try:
        for value in (1, 3, 5):
            _vote(browser, server.url, code, item_id, value)
    finally:
        server.kill()  # SIGKILL: no clean shutdown, no flush
    assert server.process.returncode == -9

    restarted = AppServer(data_dir=tmp_path).start()
    try:
        _projector_shows(browser, restarted.url, code, 3)
    finally:
        restarted.stop()
    store.engine.dispose()
    stored = ws.snapshot(
        grant_for(code, Store(f"sqlite:///{tmp_path / 'conflicts.db'}")),
        store=Store(f"sqlite:///{tmp_path / 'conflicts.db'}"),
    )
    assert sorted(b.value for b in stored.ballots) == [1, 3, 5]


def test_two_processes_share_one_database(browser, db_url, tmp_path) -> None:
    code, item_id = _open_workshop(Store(db_url))
    with (
        AppServer(data_dir=tmp_path / "a", database_url=db_url) as a,
        AppServer(data_dir=tmp_path / "b", database_url=db_url) as b,
    ):
        _vote(browser, a.url, code, item_id, 4)
        _projector_shows(browser, b.url, code, 1)
        _vote(browser, b.url, code, item_id, 2)
        _projector_shows(browser, a.url, code, 2)
