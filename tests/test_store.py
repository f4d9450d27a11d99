"""Store: configuration, engines, pragmas, migrations, transactions, unavailability."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, inspect, select, text

from conflicts import config
from conflicts import store as st
from conflicts import workshops as ws
from conflicts.store import SCHEMA_VERSION, DatabaseUnavailable, Store
from tests.helpers import grant_for


# --- configuration --------------------------------------------------------------------------
def test_database_url_from_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CONFLICTS_DATABASE_URL", raising=False)
    monkeypatch.setenv("CONFLICTS_DATA_DIR", str(tmp_path / "data"))
    assert config.database_url() == f"sqlite:///{(tmp_path / 'data' / 'conflicts.db').resolve()}"
    monkeypatch.delenv("CONFLICTS_DATA_DIR")
    assert config.data_dir().as_posix() == "var"
    monkeypatch.setenv("CONFLICTS_DATABASE_URL", "postgresql://u@h:5433/db")
    assert config.database_url() == "postgresql+psycopg://u@h:5433/db"
    monkeypatch.setenv("CONFLICTS_DATABASE_URL", "sqlite:////x/y.db")
    assert config.database_url() == "sqlite:////x/y.db"
    monkeypatch.setenv("CONFLICTS_ADMIN_PASSWORD", "")
    assert config.admin_password() is None


def test_default_sqlite_file_wal_and_pragmas(monkeypatch, tmp_path):
    monkeypatch.delenv("CONFLICTS_DATABASE_URL", raising=False)
    monkeypatch.setenv("CONFLICTS_DATA_DIR", str(tmp_path / "nested" / "var"))
    try:
        s = st.get_store()
        assert s is st.get_store() and s.engine is st.get_engine()  # one per process and URL
        s.init()
        assert (tmp_path / "nested" / "var" / "conflicts.db").is_file()
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        st.dispose_engines()


# --- migrations -----------------------------------------------------------------------------
def test_init_is_idempotent(db_url):
    a = Store(db_url, engine=st.make_engine(db_url))
    b = Store(db_url, engine=st.make_engine(db_url))
    try:
        assert a.init() == st.SCHEMA_VERSION == 7
        assert a.init() == SCHEMA_VERSION
        assert b.init() == SCHEMA_VERSION  # another process on an existing schema
        assert a.schema_version() == SCHEMA_VERSION
        rows = a.read(lambda c: c.execute(select(func.count()).select_from(st.schema_version)))
        assert rows.scalar() == st.SCHEMA_VERSION  # one row per applied migration
        tables = set(inspect(a.engine).get_table_names())
        assert {
            "workshops",
            "agenda_items",
            "participants",
            "participant_codes",
            "ballots",
            "app_secrets",
        } <= tables
    finally:
        a.engine.dispose()
        b.engine.dispose()


def test_concurrent_init_from_several_processes(db_url):
    stores = [Store(db_url, engine=st.make_engine(db_url)) for _ in range(6)]
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def init(s: Store) -> None:
        barrier.wait()
        try:
            s.init()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=init, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert stores[0].schema_version() == st.SCHEMA_VERSION
    finally:
        for s in stores:
            s.engine.dispose()


def test_later_migration_applied_once_in_order(db_url, monkeypatch):
    first = Store(db_url, engine=st.make_engine(db_url))
    first.init()
    first.engine.dispose()
    calls: list[int] = []
    extra = Table("extra_for_test", MetaData(), Column("id", Integer, primary_key=True))

    def migration_2(conn):
        calls.append(2)
        extra.create(conn)

    monkeypatch.setattr(st, "MIGRATIONS", [*st.MIGRATIONS, migration_2])
    for _ in range(2):
        s = Store(db_url, engine=st.make_engine(db_url))
        try:
            s.init()
            assert s.schema_version() == len(st.MIGRATIONS) == st.SCHEMA_VERSION + 1
        finally:
            s.engine.dispose()
    assert calls == [2]


def test_failed_migration_leaves_nothing(db_url, monkeypatch):
    def broken(conn):
        conn.execute(text("CREATE TABLE half_done (id INTEGER)"))
        raise RuntimeError("boom")

    monkeypatch.setattr(st, "MIGRATIONS", [*st.MIGRATIONS, broken])
    s = Store(db_url, engine=st.make_engine(db_url))
    try:
        with pytest.raises(RuntimeError):
            s.init()
        names = set(inspect(s.engine).get_table_names())
        assert "half_done" not in names and "workshops" not in names  # all in one transaction
    finally:
        s.engine.dispose()


# --- transactions ---------------------------------------------------------------------------
def test_write_rolls_back_on_error(store, workshop_catalogue):
    w = ws.create_workshop(workshop_catalogue, store=store).workshop

    def half(conn):
        conn.execute(st.workshops.update().values(title="changed"))
        raise ws.InvalidSetting("stop")

    with pytest.raises(ws.InvalidSetting):
        store.write(half)
    assert ws.get_workshop(w.code, store=store).title == w.title


def test_tally_rows_is_one_aggregate(store, workshop_catalogue):
    created = ws.create_workshop(workshop_catalogue, store=store)
    code, item = created.workshop.code, created.workshop.items[0]
    ws.open_workshop(grant_for(code, store), store=store)
    ws.open_voting(grant_for(code, store), item.id, store=store)
    for n, v in enumerate([4, 4, 2, None]):
        ws.join(code, f"v{n}", store=store)
        ws.cast_ballot(code, f"v{n}", item.id, v, skip=v is None, store=store)
    rows = store.read(lambda c: store.tally_rows(c, created.workshop.id, "rating"))
    assert set(rows) == {(item.id, 4, False, 2), (item.id, 2, False, 1), (item.id, None, True, 1)}
    assert sum(r[3] for r in rows) == 4


# --- unavailable databases ------------------------------------------------------------------
def test_unreachable_postgres_raises_database_unavailable():
    url = "postgresql://postgres@127.0.0.1:1/none"  # nothing listens on port 1
    s = Store(url, engine=st.make_engine(url))
    with pytest.raises(DatabaseUnavailable) as info:
        ws.get_workshop("ACDEFH", store=s)
    assert info.value.code == "database_unavailable"
    assert "Traceback" not in str(info.value)
    s.engine.dispose()


def test_unusable_sqlite_path_raises_database_unavailable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    url = f"sqlite:///{blocker / 'sub' / 'conflicts.db'}"
    with pytest.raises(DatabaseUnavailable) as info:
        Store(url, engine=st.make_engine(url)).init()
    assert info.value.code == "database_unavailable"


def test_locked_sqlite_raises_and_writes_nothing(tmp_path, monkeypatch, workshop_catalogue):
    path = tmp_path / "conflicts.db"
    url = f"sqlite:///{path}"
    monkeypatch.setattr(st, "SQLITE_BUSY_TIMEOUT_MS", 100)
    s = Store(url, engine=st.make_engine(url))
    created = ws.create_workshop(workshop_catalogue, store=s)
    code = created.workshop.code
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        with pytest.raises(DatabaseUnavailable):
            ws.join(code, "v1", store=s)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert ws.get_participant(code, "v1", store=s) is None
    assert ws.join(code, "v1", store=s).voter_id == "v1"  # works again once the lock is gone
    s.engine.dispose()
