"""Facilitator access: keys (scrypt hashes) and the admin password."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from conflicts import config
from conflicts.store import (
    Store,
    workshops,
)
from conflicts.workshops._db import _code, _store
from conflicts.workshops.errors import AccessDenied, WorkshopNotFound
from conflicts.workshops.model import WorkshopRef

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


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


def check_facilitator(
    workshop: WorkshopRef, key: str | None, *, store: Store | None = None
) -> bool:
    """True if ``key`` is the workshop's facilitator key or the admin password
    (``CONFLICTS_ADMIN_PASSWORD``). Raises :class:`WorkshopNotFound` for an unknown code."""
    code = _code(workshop)
    stored = _store(store).read(
        lambda conn: conn.execute(
            select(workshops.c.facilitator_key_hash).where(workshops.c.code == code)
        ).scalar()
    )
    if stored is None:
        raise WorkshopNotFound(f"no workshop with code {code}", code_value=code)
    if not key:
        return False
    admin = config.admin_password()
    if admin and hmac.compare_digest(key.encode("utf-8"), admin.encode("utf-8")):
        return True
    return verify_key(key, stored)


def require_facilitator(
    workshop: WorkshopRef, key: str | None, *, store: Store | None = None
) -> None:
    """Like :func:`check_facilitator` but raises :class:`AccessDenied` instead of returning False."""
    if not check_facilitator(workshop, key, store=store):
        raise AccessDenied("wrong facilitator key")
