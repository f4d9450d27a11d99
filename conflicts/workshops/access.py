"""Facilitator access: keys (scrypt hashes), the admin password, and the grant they unlock.

Permission lives here and nowhere else. :func:`unlock` checks a key (or the admin password from
``CONFLICTS_ADMIN_PASSWORD``) and returns a :class:`FacilitatorGrant`; every facilitator action
of :mod:`conflicts.workshops` takes that grant as its first argument and refuses anything else,
so a new page or route cannot forget the check: without a key there is no grant to pass.

>>> FacilitatorGrant("ACD347", 1)
Traceback (most recent call last):
...
TypeError: a FacilitatorGrant comes from conflicts.workshops.unlock() (or create_workshop)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select

from conflicts import config
from conflicts.store import Store, workshops
from conflicts.workshops.errors import AccessDenied, WorkshopNotFound
from conflicts.workshops.model import WorkshopRef, _code

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}

# Only this module (unlock) and lifecycle.create_workshop hold the token: a grant cannot be
# made by calling the class, so holding one proves a key check passed in this process.
_TOKEN = object()


@dataclass(frozen=True)
class FacilitatorGrant:
    """Proof that the facilitator key (or the admin password) of one workshop was given.

    Made only by :func:`unlock`, :func:`~conflicts.workshops.create_workshop` (its
    ``grant``) and, for the trusted CLI, :func:`local_grant`; pass it as the first argument of every facilitator action. It holds no key."""

    code: str
    workshop_id: int
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError(
                "a FacilitatorGrant comes from conflicts.workshops.unlock() (or create_workshop)"
            )


def _grant(code: str, workshop_id: int) -> FacilitatorGrant:
    return FacilitatorGrant(code, workshop_id, _TOKEN)


def hash_key(key: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (hex) of a facilitator key, with a random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(key.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_key(key: str, stored: str) -> bool:
    """Constant-time check of ``key`` against a :func:`hash_key` string."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            key.encode("utf-8"), salt=bytes.fromhex(salt), dklen=32, n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


def unlock(workshop: WorkshopRef, key: str | None, *, store: Store) -> FacilitatorGrant:
    """The facilitator grant of a workshop for its key or the admin password
    (``CONFLICTS_ADMIN_PASSWORD``).

    Raises :class:`~conflicts.workshops.WorkshopNotFound` (unknown code) and
    :class:`~conflicts.workshops.AccessDenied` (no key or a wrong one).

    Examples
    --------
    >>> grant = ws.unlock("ACD347", key_from_form, store=store)  # doctest: +SKIP
    >>> ws.open_workshop(grant, store=store)  # doctest: +SKIP
    """
    code = _code(workshop)
    row = store.read(
        lambda conn: conn.execute(
            select(workshops.c.id, workshops.c.facilitator_key_hash).where(workshops.c.code == code)
        ).first()
    )
    if row is None:
        raise WorkshopNotFound(f"no workshop with code {code}", code_value=code)
    workshop_id, stored = row
    if key:
        admin = config.admin_password()
        if admin and hmac.compare_digest(key.encode("utf-8"), admin.encode("utf-8")):
            return _grant(code, workshop_id)
        if verify_key(key, stored):
            return _grant(code, workshop_id)
    raise AccessDenied("wrong facilitator key")


def local_grant(workshop: WorkshopRef, *, store: Store) -> FacilitatorGrant:
    """The grant for a trusted local tool that already holds the database (the CLI, scripts):
    it proves nothing beyond access to ``store``. Never call it from a web page or route
    (``tests/test_architecture.py`` checks that :mod:`conflicts.ui` does not).
    Raises :class:`~conflicts.workshops.WorkshopNotFound`."""
    code = _code(workshop)
    workshop_id = store.read(
        lambda conn: conn.execute(select(workshops.c.id).where(workshops.c.code == code)).scalar()
    )
    if workshop_id is None:
        raise WorkshopNotFound(f"no workshop with code {code}", code_value=code)
    return _grant(code, workshop_id)


def check_facilitator(workshop: WorkshopRef, key: str | None, *, store: Store) -> bool:
    """True if :func:`unlock` would give a grant. Raises :class:`WorkshopNotFound`."""
    try:
        unlock(workshop, key, store=store)
    except AccessDenied:
        return False
    return True
