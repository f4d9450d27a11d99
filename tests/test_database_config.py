"""A wrong database URL (issue 11): a clear message for users, the cause in the server log once."""

from __future__ import annotations

import logging
import os

import pytest

from conflicts.i18n import t
from conflicts.store import (
    DatabaseMisconfigured,
    DatabaseUnavailable,
    Store,
    check_database,
    check_database_url,
)
from conflicts.testing import AppServer
from tests.apptest import page
from tests.conftest import POSTGRES_ENV


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://root:secret@127.0.0.1/test", "names a mysql database"),
        ("not a url at all", "is not a database URL"),
        ("postgresql+psycopg://root:secret@127.0.0.1:5432", "names no PostgreSQL database"),
    ],
)
def test_a_bad_url_is_refused_with_a_clear_error(url: str, says: str) -> None:
    store = Store(url)  # made at once; the URL is checked on first use, where outages are handled
    with pytest.raises(DatabaseMisconfigured) as info:
        store.init()
    assert says in str(info.value)
    assert "secret" not in str(info.value)  # a password in the URL is never repeated
    assert info.value.code == "database_misconfigured"
    with pytest.raises(DatabaseMisconfigured):
        check_database_url(url)


def test_an_unreachable_database_is_logged_at_start_up(caplog: pytest.LogCaptureFixture) -> None:
    # Port 1 on loopback refuses at once: a wrong port, as a deployment might have.
    with caplog.at_level(logging.ERROR, logger="conflicts"):
        problem = check_database("postgresql://postgres@127.0.0.1:1/test")
    assert problem and "the database is unavailable" in problem
    assert any("start-up failed" in r.getMessage() for r in caplog.records)


@pytest.mark.postgres
def test_a_wrong_postgres_database_name_is_logged(caplog) -> None:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    wrong = base.rsplit("/", 1)[0] + "/no_such_database_here"
    with caplog.at_level(logging.ERROR, logger="conflicts"):
        problem = check_database(wrong)
    assert problem and "no_such_database_here" in problem
    with pytest.raises(DatabaseUnavailable):
        Store(wrong).init()


def test_the_console_says_so_instead_of_a_traceback(monkeypatch) -> None:
    monkeypatch.setenv("CONFLICTS_DATABASE_URL", "mysql://root@127.0.0.1/test")
    at = page("facilitate", code="ABCDEF", lang="en").run()
    assert not at.exception
    assert t("err.database_misconfigured", "en") in [e.value for e in at.error]


@pytest.mark.e2e
def test_the_server_logs_a_wrong_url_once_at_start_up(tmp_path) -> None:
    with AppServer(database_url="mysql://root@127.0.0.1/test", data_dir=tmp_path) as server:
        log = server.log()
    assert log.count("database check at start-up failed") == 1
    assert "only sqlite and postgresql are supported" in log
