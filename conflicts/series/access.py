"""Series access: the series key (a scrypt hash, as a facilitator key) and the grant it unlocks.

Reading the rooms of a series (their anonymous results, outcomes and proposals) takes a
:class:`SeriesGrant`, which only :func:`unlock_series`, :func:`~conflicts.series.create_series`
(its ``grant``) and, for the trusted CLI, :func:`local_series_grant` make: a page that forgot the
key check has no grant to pass. The hashing is :mod:`conflicts.workshops.access`'s.

>>> SeriesGrant("S-7KQ3XM", 1)
Traceback (most recent call last):
...
TypeError: a SeriesGrant comes from conflicts.series.unlock_series() (or create_series)
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from sqlalchemy import select

from conflicts import config
from conflicts.series.errors import SeriesNotFound
from conflicts.store import Store, series
from conflicts.workshops import AccessDenied, verify_key

# Held only here: a grant cannot be made by calling the class (see FacilitatorGrant).
_TOKEN = object()


@dataclass(frozen=True)
class SeriesGrant:
    """Proof that the key of one series (or the admin password) was given. It holds no key."""

    code: str
    series_id: int
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise TypeError(
                "a SeriesGrant comes from conflicts.series.unlock_series() (or create_series)"
            )


def _series_grant(code: str, series_id: int) -> SeriesGrant:
    return SeriesGrant(code, series_id, _TOKEN)


def normalise_series_code(code: str) -> str:
    """Upper-case, spaces dropped: ``" s-7kq3xm "`` -> ``"S-7KQ3XM"``.

    >>> normalise_series_code(" s-7kq3xm ")
    'S-7KQ3XM'
    """
    return "".join(ch for ch in str(code).upper() if not ch.isspace())


def _row(code: str, store: Store):
    c = normalise_series_code(code)
    row = store.read(
        lambda conn: conn.execute(
            select(series.c.id, series.c.key_hash).where(series.c.code == c)
        ).first()
    )
    if row is None:
        raise SeriesNotFound(f"no series {c}", series=c)
    return c, row


def unlock_series(code: str, key: str | None, *, store: Store) -> SeriesGrant:
    """The grant of a series for its key or the admin password (``CONFLICTS_ADMIN_PASSWORD``).

    Raises :class:`SeriesNotFound` and :class:`~conflicts.workshops.AccessDenied`.

    >>> grant = unlock_series("S-7KQ3XM", key_from_form, store=store)  # doctest: +SKIP
    """
    c, (series_id, stored) = _row(code, store)
    if key:
        admin = config.admin_password()
        if admin and hmac.compare_digest(key.encode("utf-8"), admin.encode("utf-8")):
            return _series_grant(c, series_id)
        if verify_key(key, stored):
            return _series_grant(c, series_id)
    raise AccessDenied("wrong series key")


def local_series_grant(code: str, *, store: Store) -> SeriesGrant:
    """The grant for a trusted local tool that holds the database (the CLI): never call it from a
    web page (``tests/test_series.py`` checks that :mod:`conflicts.ui` does not)."""
    c, (series_id, _) = _row(code, store)
    return _series_grant(c, series_id)
