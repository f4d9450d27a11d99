"""Configuration read from the environment, in one place.

=============================  ====================================================================
``CONFLICTS_DATA_DIR``         directory for the SQLite file (default ``./var``)
``CONFLICTS_DATABASE_URL``     database URL; overrides the data directory. ``sqlite:///path`` or
                               ``postgresql://user@host:port/db`` (mapped to the psycopg 3 driver)
``CONFLICTS_ADMIN_PASSWORD``   optional admin password; grants facilitator access to every workshop
``CONFLICTS_CREATE_PASSWORD``  optional password for creating workshops in the app (default: the
                               admin password; neither set: anyone may create)
``CONFLICTS_TRUSTED_PROXIES``  addresses whose ``X-Real-IP`` names the client (default: the local
                               host, i.e. nginx on the same machine); for throttling guesses
``CONFLICTS_SECRET_KEY``       optional key that signs voter ids (else generated once, kept in the
                               database so that every replica shares it)
=============================  ====================================================================

The values are read on every call (no caching here) so tests and the CLI can change the environment;
the store caches one engine per resulting URL.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "CONFLICTS_DATA_DIR"
DATABASE_URL_ENV = "CONFLICTS_DATABASE_URL"
ADMIN_PASSWORD_ENV = "CONFLICTS_ADMIN_PASSWORD"
CREATE_PASSWORD_ENV = "CONFLICTS_CREATE_PASSWORD"
TRUSTED_PROXIES_ENV = "CONFLICTS_TRUSTED_PROXIES"
DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")
SECRET_KEY_ENV = "CONFLICTS_SECRET_KEY"

DEFAULT_DATA_DIR = "./var"
SQLITE_FILENAME = "conflicts.db"


def data_dir() -> Path:
    """The data directory (``CONFLICTS_DATA_DIR``, default ``./var``); not created here."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def normalise_database_url(url: str) -> str:
    """Map plain PostgreSQL URLs to the psycopg 3 driver; leave every other URL unchanged.

    >>> normalise_database_url("postgresql://postgres@127.0.0.1:5432/test")
    'postgresql+psycopg://postgres@127.0.0.1:5432/test'
    >>> normalise_database_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> normalise_database_url("sqlite:///var/conflicts.db")
    'sqlite:///var/conflicts.db'
    """
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url() -> str:
    """The database URL: ``CONFLICTS_DATABASE_URL`` if set, else SQLite in the data directory."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{(data_dir() / SQLITE_FILENAME).resolve()}"


def admin_password() -> str | None:
    """The admin password (``CONFLICTS_ADMIN_PASSWORD``), or None when unset or empty."""
    return os.environ.get(ADMIN_PASSWORD_ENV) or None


def create_password() -> str | None:
    """The password for creating a workshop in the app: ``CONFLICTS_CREATE_PASSWORD``, else the
    admin password, else None (anyone may create).

    A separate password so that facilitators who create workshops need not know the admin
    password, which unlocks every workshop; the fallback means that an installation that set
    only an admin password is closed to anonymous creation too.
    """
    return os.environ.get(CREATE_PASSWORD_ENV) or admin_password()


def trusted_proxies() -> frozenset[str]:
    """Peer addresses whose ``X-Real-IP`` header is believed (``CONFLICTS_TRUSTED_PROXIES``,
    comma-separated; default the local host)."""
    raw = os.environ.get(TRUSTED_PROXIES_ENV)
    if raw is None:
        return frozenset(DEFAULT_TRUSTED_PROXIES)
    return frozenset(p.strip() for p in raw.split(",") if p.strip())


def configure_logging() -> None:
    """Send the app's own log records (``conflicts.*``) to standard error with a timestamp.

    Streamlit configures only its own logger; without a handler, Python would print our records
    bare through its last-resort handler. Idempotent: the server module is imported more than once.
    """
    import logging

    logger = logging.getLogger("conflicts")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def secret_key() -> str | None:
    """``CONFLICTS_SECRET_KEY`` if set and not blank (signs voter ids), else None."""
    value = os.environ.get(SECRET_KEY_ENV, "").strip()
    return value or None
