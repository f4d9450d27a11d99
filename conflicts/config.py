"""Configuration read from the environment, in one place.

=============================  ====================================================================
``CONFLICTS_DATA_DIR``         directory for the SQLite file (default ``./var``)
``CONFLICTS_DATABASE_URL``     database URL; overrides the data directory. ``sqlite:///path`` or
                               ``postgresql://user@host:port/db`` (mapped to the psycopg 3 driver)
``CONFLICTS_ADMIN_PASSWORD``   optional admin password; grants facilitator access to every workshop
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
