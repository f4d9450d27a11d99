"""Stay signed in as a workshop's facilitator: a signed, expiring token for a browser cookie.

After :func:`~conflicts.workshops.unlock`, the console asks for a short-lived *ticket*
(:func:`session_ticket`); the browser hands it to an HTTP route that swaps it for the *session
token* (:func:`session_from_ticket`) and sets it as an httpOnly cookie, which a reload, a second
tab or a laptop that slept presents again (:func:`unlock_session`). Neither holds the key: they
carry the code, the workshop's id and a fingerprint of the stored key hash (so a new key signs
every browser out), signed with the server's secret (HMAC-SHA256, :mod:`itsdangerous`).

>>> ticket = session_ticket_for("ACD347", 1, "scrypt$…", secret="s")
>>> code, token = session_from_ticket(ticket, secret="s")
>>> code
'ACD347'
>>> session_from_ticket(token, secret="s") is None  # a session token is not a ticket
True
"""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from conflicts.store import Store, workshops
from conflicts.workshops.access import FacilitatorGrant, _grant
from conflicts.workshops.errors import AccessDenied
from conflicts.workshops.model import WorkshopRef, _code

__all__ = [
    "SESSION_MAX_AGE_S",
    "session_cookie_name",
    "session_from_ticket",
    "session_ticket",
    "unlock_session",
]

#: How long a facilitator stays signed in without giving the key again (a workshop day).
SESSION_MAX_AGE_S = 12 * 3600
#: How long the console's ticket may take to reach the sign-in route.
TICKET_MAX_AGE_S = 120
_TICKET_SALT = "mk-facilitator-ticket"
_SESSION_SALT = "mk-facilitator-session"
_TOKEN_MAX = 400


def session_cookie_name(code: str) -> str:
    """The cookie that keeps the facilitator of ``code`` signed in (one per workshop)."""
    return f"mk_fac_{_code(code)}"


def _fingerprint(key_hash: str) -> str:
    return hashlib.sha256(key_hash.encode("utf-8")).hexdigest()[:16]


def _loads(token: object, *, secret: str, salt: str, max_age: int) -> dict | None:
    if not isinstance(token, str) or not 0 < len(token) <= _TOKEN_MAX:
        return None
    try:
        data = URLSafeTimedSerializer(secret, salt=salt).loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    ok = isinstance(data, dict) and {"c", "w", "f"} <= set(data)
    return data if ok else None


def session_ticket_for(code: str, workshop_id: int, key_hash: str, *, secret: str) -> str:
    """The ticket for workshop ``code`` (pure; :func:`session_ticket` reads the key hash)."""
    payload = {"c": _code(code), "w": workshop_id, "f": _fingerprint(key_hash)}
    return URLSafeTimedSerializer(secret, salt=_TICKET_SALT).dumps(payload)


def _key_hash(code: str, store: Store) -> tuple[int, str] | None:
    row = store.read(
        lambda conn: conn.execute(
            select(workshops.c.id, workshops.c.facilitator_key_hash).where(workshops.c.code == code)
        ).first()
    )
    return None if row is None else (row[0], row[1])


def session_ticket(grant: FacilitatorGrant, *, secret: str, store: Store) -> str:
    """A ticket (valid :data:`TICKET_MAX_AGE_S`) the browser swaps for a session cookie.

    Examples
    --------
    >>> ticket = ws.session_ticket(grant, secret=secret_key(store), store=store)  # doctest: +SKIP
    """
    if not isinstance(grant, FacilitatorGrant):
        raise AccessDenied("a facilitator grant is required")
    found = _key_hash(grant.code, store)
    if found is None or found[0] != grant.workshop_id:
        raise AccessDenied("the workshop is gone")
    return session_ticket_for(grant.code, grant.workshop_id, found[1], secret=secret)


def session_from_ticket(ticket: object, *, secret: str) -> tuple[str, str] | None:
    """``(code, session token)`` for a valid, fresh ticket; None for anything else."""
    data = _loads(ticket, secret=secret, salt=_TICKET_SALT, max_age=TICKET_MAX_AGE_S)
    if data is None:
        return None
    token = URLSafeTimedSerializer(secret, salt=_SESSION_SALT).dumps(data)
    return str(data["c"]), token


def unlock_session(
    workshop: WorkshopRef,
    token: object,
    *,
    secret: str,
    store: Store,
    max_age: int = SESSION_MAX_AGE_S,
) -> FacilitatorGrant:
    """The grant a session cookie stands for. Raises :class:`AccessDenied` for a token that is
    forged, expired, for another workshop, or older than the workshop's current key.

    Examples
    --------
    >>> grant = ws.unlock_session(code, cookies.get(ws.session_cookie_name(code)),
    ...                           secret=secret, store=store)  # doctest: +SKIP
    """
    code = _code(workshop)
    data = _loads(token, secret=secret, salt=_SESSION_SALT, max_age=max_age)
    if data is None or data["c"] != code:
        raise AccessDenied("no valid facilitator session")
    found = _key_hash(code, store)
    if (
        found is None
        or found[0] != data["w"]
        or not hmac.compare_digest(_fingerprint(found[1]), str(data["f"]))
    ):
        raise AccessDenied("the facilitator session is no longer valid")
    return _grant(code, found[0])
