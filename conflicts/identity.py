"""Voter identity: a random id issued by the server and signed, so nobody can make one up.

A phone's voter id is ``secrets.token_urlsafe(18)``; what the browser holds (cookie, hidden form
field) is the *token* ``id.signature`` (HMAC-SHA256 through :mod:`itsdangerous`). The database
stores only the id. A token whose signature does not verify is refused, so a person who learns
somebody's id cannot act as them without the server's key, and a made-up id is never accepted.

The key is ``CONFLICTS_SECRET_KEY`` when set, else one generated on first use and stored in the
database (table ``app_secrets``) so that every replica on that database signs alike.

>>> signer = VoterSigner("test-key")
>>> token = signer.sign("abcdefghijklmnopqrstuvwx")
>>> signer.unsign(token)
'abcdefghijklmnopqrstuvwx'
>>> signer.unsign(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
True
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading

from itsdangerous import BadSignature, Signer
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from conflicts import config
from conflicts.store import Store, app_secrets, utcnow

__all__ = ["VOTER_COOKIE", "VoterSigner", "new_voter_id", "secret_key", "voter_signer"]

#: The cookie that carries the signed voter token (httpOnly, SameSite=Lax).
VOTER_COOKIE = "mk_voter"
_SECRET_NAME = "voter_signing_key"
_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_TOKEN_MAX = 200


def new_voter_id() -> str:
    """A fresh random voter id (24 URL-safe characters, 144 bits)."""
    return secrets.token_urlsafe(18)


class VoterSigner:
    """Sign and verify voter ids with one key (HMAC-SHA256)."""

    def __init__(self, key: str):
        self._signer = Signer(key, salt="mk-voter", digest_method=hashlib.sha256)

    def sign(self, voter_id: str) -> str:
        return self._signer.sign(voter_id).decode("ascii")

    def unsign(self, token: object) -> str | None:
        """The voter id inside a valid ``token``; None for anything else (never raises)."""
        if not isinstance(token, str) or not 0 < len(token) <= _TOKEN_MAX:
            return None
        try:
            voter_id = self._signer.unsign(token).decode("ascii")
        except (BadSignature, UnicodeError, ValueError):
            return None
        return voter_id if _ID_PATTERN.match(voter_id) else None

    def issue(self) -> tuple[str, str]:
        """``(voter_id, token)`` for a new voter."""
        voter_id = new_voter_id()
        return voter_id, self.sign(voter_id)


def secret_key(store: Store) -> str:
    """``CONFLICTS_SECRET_KEY``, else the key stored in ``store`` (generated on first use).

    Two replicas starting at once may both try to store a key: the primary key lets one win and
    both read back the winner's."""
    configured = config.secret_key()
    if configured:
        return configured

    def read(conn) -> str | None:
        q = select(app_secrets.c.value).where(app_secrets.c.name == _SECRET_NAME)
        return conn.execute(q).scalar()

    stored = store.read(read)
    if stored:
        return stored

    def create(conn) -> str:
        existing = read(conn)
        if existing:
            return existing
        value = secrets.token_urlsafe(32)
        conn.execute(
            app_secrets.insert().values(name=_SECRET_NAME, value=value, created_at=utcnow())
        )
        return value

    try:
        return store.write(create)
    except sa_exc.IntegrityError:  # another process stored one first
        return store.read(read)


_signers: dict[str, VoterSigner] = {}
_signers_lock = threading.Lock()


def voter_signer(store: Store) -> VoterSigner:
    """The process's signer for ``store`` (the key is read once per database and process)."""
    with _signers_lock:
        signer = _signers.get(store.url)
        if signer is None:
            signer = _signers[store.url] = VoterSigner(secret_key(store))
        return signer
