"""Shared fixtures. Others may add theirs below; keep these names stable.

``db_url`` runs a test against real databases: a fresh SQLite file, and PostgreSQL when
``CONFLICTS_TEST_POSTGRES_URL`` is set (e.g. ``postgresql://postgres@127.0.0.1:5432/test``). Each
PostgreSQL test gets its own schema (``search_path`` in the URL), dropped afterwards, so runs are
isolated from each other and from whatever else lives in that database. Without the URL those
tests skip, except when ``CONFLICTS_REQUIRE_POSTGRES`` is set (CI): then they fail, so a missing
server cannot pass unnoticed.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_ENV = "CONFLICTS_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "CONFLICTS_REQUIRE_POSTGRES"


def _postgres_schema_url(base: str, schema: str) -> str:
    from conflicts.config import normalise_database_url

    url = normalise_database_url(base)
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def db_url(request, tmp_path):
    """A database URL for an empty database: SQLite file, or a fresh PostgreSQL schema."""
    from sqlalchemy import create_engine, text

    from conflicts.store import dispose_engines

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conflicts.db'}"
        dispose_engines()
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        message = f"{POSTGRES_ENV} is not set"
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"{message}, but {REQUIRE_POSTGRES_ENV} is")
        pytest.skip(message)
    from conflicts.config import normalise_database_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_database_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url):
    """A :class:`conflicts.store.Store` on ``db_url``, schema created."""
    from conflicts.store import Store

    s = Store(db_url)
    s.init()
    return s


@pytest.fixture
def workshop_catalogue() -> Path:
    """The small test catalogue: languages sv/en, 4 goals, conflicts c1..c5, synergy s1."""
    return FIXTURES / "workshop_small.yaml"


@pytest.fixture
def db_env(db_url, monkeypatch):
    """Point ``CONFLICTS_DATABASE_URL`` at ``db_url`` (for the CLI) and unset the admin password."""
    monkeypatch.setenv("CONFLICTS_DATABASE_URL", db_url)
    monkeypatch.delenv("CONFLICTS_ADMIN_PASSWORD", raising=False)
    return db_url


@pytest.fixture
def database(tmp_path, monkeypatch) -> str:
    """A fresh SQLite file for the app's pages (``CONFLICTS_DATABASE_URL``), no admin password."""
    url = f"sqlite:///{tmp_path / 'conflicts.db'}"
    monkeypatch.setenv("CONFLICTS_DATABASE_URL", url)
    monkeypatch.delenv("CONFLICTS_ADMIN_PASSWORD", raising=False)
    return url


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Every test starts with no failed guesses counted: in-process pages (AppTest) all come
    from one client, so one test's wrong keys would otherwise lock the next test out."""
    from conflicts import throttle

    for guard in (throttle.facilitator_keys, throttle.create_password, throttle.unknown_codes):
        guard.reset()
    yield
