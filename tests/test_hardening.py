"""Issue 11, item 9 and the "held, keep it so" list: closed mode after ballots, crafted widget
values, scrypt keys with a constant-time comparison. (Throttling: tests/test_throttling.py;
cookie flags and cross-origin websockets over HTTP: tests/e2e/test_held.py.)"""

from __future__ import annotations

import inspect

import pytest

from conflicts import workshops as ws
from conflicts.i18n import t
from conflicts.ui.widgets import whole
from conflicts.workshops import access
from tests.helpers import env_store
from tests.test_throttling import _page


def _voted(store):
    created = ws.create_workshop("stockholm", store=store)
    ws.open_workshop(created.grant, store=store)
    item = created.workshop.items[0].id
    ws.open_voting(created.grant, item, store=store)
    ws.join(created.workshop.code, "voter-1", store=store)
    ws.cast_ballot(created.workshop.code, "voter-1", item, value=1, store=store)
    return created


def test_closed_mode_cannot_be_switched_on_after_ballots(database) -> None:
    store = env_store()
    fresh = ws.create_workshop("stockholm", store=store)
    assert ws.set_participant_codes_required(
        fresh.grant, True, store=store
    ).require_participant_code
    created = _voted(store)
    with pytest.raises(ws.InvalidSetting) as refused:
        ws.set_participant_codes_required(created.grant, True, store=store)
    assert refused.value.code == "closed_mode_after_ballots"
    w = ws.get_workshop(created.workshop.code, store=store)
    assert not w.require_participant_code  # nothing changed
    # switching off stays allowed (a closed workshop opened up)
    assert not ws.set_participant_codes_required(
        fresh.grant, False, store=store
    ).require_participant_code


def test_console_shows_the_refusal_once_instead_of_looping(database) -> None:
    created = _voted(env_store())
    code = created.workshop.code
    at = _page("facilitate", code=code)
    at.text_input(key="unlock_key").input(created.facilitator_key)
    at.button(key="unlock_submit").click().run()
    at.toggle(key=f"req_{code}_False").set_value(True).run(timeout=30)  # looped forever before
    assert not at.exception
    assert at.error[0].value == t("err.closed_mode_after_ballots", "en")
    assert at.toggle(key=f"req_{code}_False").value is False  # redrawn with the stored value


@pytest.mark.parametrize(
    "crafted", [float("nan"), float("inf"), float("-inf"), 10**9, -1, "7", None, True]
)
def test_crafted_number_widget_values_fall_back(crafted) -> None:
    assert whole(crafted, 1, 120, 5) == 5


def test_scrypt_keys_with_a_salt_and_a_constant_time_comparison() -> None:
    a, b = access.hash_key("correct horse"), access.hash_key("correct horse")
    assert a.startswith("scrypt$16384$8$1$") and a != b  # a random salt per key
    assert access.verify_key("correct horse", a) and access.verify_key("correct horse", b)
    assert not access.verify_key("correct hors", a) and not access.verify_key("", a)
    assert not access.verify_key("x", "md5$abc") and not access.verify_key("x", "garbage")
    # a comparison whose time does not depend on how much of the guess was right
    assert "hmac.compare_digest" in inspect.getsource(access.verify_key)
    assert "hmac.compare_digest" in inspect.getsource(access.unlock)  # the admin password
