"""The facilitator's session token (issue 10.2): it stands for a grant, never holds the key, and
is refused when forged, expired, for another workshop or older than the workshop's key."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from conflicts import workshops as ws
from conflicts.store import workshops

SECRET = "test-secret"


def _token(grant, store) -> str:
    ticket = ws.session_ticket(grant, secret=SECRET, store=store)
    code, token = ws.session_from_ticket(ticket, secret=SECRET)
    assert code == grant.code
    return token


def test_a_session_token_unlocks_its_workshop_only(store) -> None:
    a = ws.create_workshop("stockholm", store=store)
    b = ws.create_workshop("stockholm", store=store)
    token = _token(a.grant, store)
    assert a.facilitator_key not in token
    grant = ws.unlock_session(a.workshop.code, token, secret=SECRET, store=store)
    assert grant == a.grant
    with pytest.raises(ws.AccessDenied):
        ws.unlock_session(b.workshop.code, token, secret=SECRET, store=store)
    with pytest.raises(ws.AccessDenied):  # signed with another secret
        ws.unlock_session(a.workshop.code, token, secret="other", store=store)
    with pytest.raises(ws.AccessDenied):  # a ticket is not a session token
        ws.unlock_session(
            a.workshop.code,
            ws.session_ticket(a.grant, secret=SECRET, store=store),
            secret=SECRET,
            store=store,
        )
    with pytest.raises(ws.AccessDenied):  # expired
        ws.unlock_session(a.workshop.code, token, secret=SECRET, store=store, max_age=-1)
    assert ws.session_from_ticket(token[:-2] + "xx", secret=SECRET) is None


def test_a_new_key_signs_every_browser_out(store) -> None:
    a = ws.create_workshop("stockholm", store=store)
    token = _token(a.grant, store)
    new_hash = ws.hash_key("a-new-key")
    store.write(
        lambda conn: conn.execute(
            update(workshops)
            .where(workshops.c.code == a.workshop.code)
            .values(facilitator_key_hash=new_hash)
        )
    )
    with pytest.raises(ws.AccessDenied):
        ws.unlock_session(a.workshop.code, token, secret=SECRET, store=store)
