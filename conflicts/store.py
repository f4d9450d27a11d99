"""Storage: engines, transactions and the migration runner (tables: :mod:`conflicts.schema`).

SQLite is the default: one file ``conflicts.db`` in the data directory (``CONFLICTS_DATA_DIR``,
default ``./var``). ``CONFLICTS_DATABASE_URL`` selects another database, e.g.
``postgresql://user@host:5432/db`` (run through the psycopg 3 driver). See :mod:`conflicts.config`.

Transactions
------------
Every unit of work runs through :meth:`Store.write` or :meth:`Store.read` with a function that gets
a SQLAlchemy ``Connection``; the function runs in ONE transaction, which commits before ``write``
returns. Domain errors raised inside roll the transaction back, so nothing is partially written.

* SQLite: write transactions start with ``BEGIN IMMEDIATE`` (the write lock is taken up front, so
  two writers never both read and then fail to upgrade), reads use a plain deferred ``BEGIN``. The
  file is in WAL mode (readers never block the writer), ``busy_timeout`` makes a writer wait for the
  lock instead of failing, and ``synchronous=FULL``: in WAL mode ``NORMAL`` may lose the last
  committed transactions on power loss; ballots are the product and a workshop writes a few per
  second at most, so we pay the extra fsync per commit and a returned ballot is durable.
* PostgreSQL: READ COMMITTED; write transactions that need it lock the workshop row with
  ``SELECT ... FOR UPDATE`` (see :mod:`conflicts.workshops`), which serialises writes per workshop.
  Deadlocks and serialisation failures (SQLSTATE 40P01/40001) are retried.

Errors: a database that cannot be reached, is locked for longer than the busy timeout, or drops the
connection raises :class:`DatabaseUnavailable` (``code = 'database_unavailable'``), never a raw
driver traceback.

Schema
------
The tables and migrations are declared in :mod:`conflicts.schema`; this module re-exports them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from conflicts import config
from conflicts.errors import ConflictsError
from conflicts.schema import (  # noqa: F401 (re-exported: the tables are imported from here)
    _MIGRATION_LOCK_KEY,
    INTERACTION_ORIGINS,
    ITEM_KINDS,
    METHODS,
    MIGRATIONS,
    MODES,
    OUTCOMES,
    PAIR_SCORE_MAX,
    PAIR_SCORE_MIN,
    PROPOSAL_STATUSES,
    SCHEMA_VERSION,
    SERIES_WEIGHTINGS,
    TS,
    V2_COLUMNS,
    V2_TABLES,
    VOTING_STATES,
    WORKSHOP_STATUSES,
    _in,
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
    _migration_7,
    add_column_if_missing,
    agenda_items,
    app_secrets,
    ballots,
    metadata,
    outcomes,
    pair_scores,
    participant_codes,
    participants,
    proposals,
    schema_version,
    series,
    series_workshops,
    workshop_interactions,
    workshops,
)

T = TypeVar("T")
log = logging.getLogger(__name__)


class DatabaseUnavailable(ConflictsError):
    """The database cannot be reached or stayed locked; nothing was written. Try again."""

    code = "database_unavailable"

    def __init__(self, message: str = "the database is unavailable, try again"):
        super().__init__(message)
        self.params: dict = {}


class DatabaseMisconfigured(DatabaseUnavailable):
    """``CONFLICTS_DATABASE_URL`` is malformed or names a database this app does not support.

    A subclass of :class:`DatabaseUnavailable` so that every page that already handles an outage
    shows a clear message instead of a raw ``ArgumentError`` or ``ModuleNotFoundError``.
    """

    code = "database_misconfigured"


SUPPORTED_BACKENDS = ("sqlite", "postgresql")
_URL_HELP = "expected sqlite:///path/to/file.db or postgresql://user@host:5432/database"


def check_database_url(url: str) -> URL:
    """Parse a database URL, or raise :class:`DatabaseMisconfigured` saying what is wrong.

    The message never repeats the URL itself: it may hold a password.

    Examples
    --------
    >>> check_database_url("sqlite:///var/conflicts.db").get_backend_name()
    'sqlite'
    >>> check_database_url("mysql://root@localhost/test")
    Traceback (most recent call last):
    ...
    conflicts.store.DatabaseMisconfigured: CONFLICTS_DATABASE_URL names a mysql database; only sqlite and postgresql are supported (expected sqlite:///path/to/file.db or postgresql://user@host:5432/database)
    """
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise DatabaseMisconfigured(
            f"CONFLICTS_DATABASE_URL is not a database URL ({_URL_HELP})"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseMisconfigured(
            f"CONFLICTS_DATABASE_URL names a {backend} database; only "
            f"{' and '.join(SUPPORTED_BACKENDS)} are supported ({_URL_HELP})"
        )
    if backend == "postgresql" and not parsed.database:
        raise DatabaseMisconfigured(
            f"CONFLICTS_DATABASE_URL names no PostgreSQL database ({_URL_HELP})"
        )
    return parsed


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes: attach UTC (everything is stored in UTC)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------
SQLITE_BUSY_TIMEOUT_MS = 10_000
PG_CONNECT_TIMEOUT_S = 5

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default: :func:`conflicts.config.database_url`), uncached.

    Use :func:`get_engine` in the application: one engine (one pool) per URL per process. A second
    engine on the same database is what a second process would have (tests use it that way).
    """
    url = config.normalise_database_url(url or config.database_url())
    parsed = check_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"cannot create the data directory for {database}: {exc.strerror}"
                ) from None
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            pool_size=10,
            max_overflow=30,
            pool_timeout=30,
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(
        url,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=30,
        pool_timeout=30,
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's implicit BEGIN is deferred
        # and skipped for DDL).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised by every test
        immediate = conn.get_execution_options().get("conflicts_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default from the environment), created once."""
    url = config.normalise_database_url(url or config.database_url())
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines() -> None:
    """Dispose and forget every cached engine and store (tests; after fork)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _stores.clear()


# --------------------------------------------------------------------------------------------
# Store
# --------------------------------------------------------------------------------------------
_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected
_RETRIES = 4


def _is_retryable(exc: sa_exc.DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in _RETRY_SQLSTATES:
        return True
    return "database is locked" in str(orig) or bool(exc.connection_invalidated)


class Store:
    """A database plus the transaction runners. Cheap to create; the engine is shared per URL.

    Usage::

        store = Store("sqlite:///:memory:")
        store.write(lambda conn: conn.execute(...))
    """

    def __init__(self, url: str | None = None, *, engine: Engine | None = None):
        # The engine is made on first use, inside the transaction runners, so that a misconfigured
        # URL surfaces as DatabaseMisconfigured where every caller already handles an outage
        # (a page still renders its message instead of a traceback).
        self._engine = engine
        self._url = url or config.database_url()
        self._init_lock = threading.Lock()
        self._initialised = False

    @property
    def engine(self) -> Engine:
        """The shared engine for this store's URL (raises :class:`DatabaseMisconfigured`)."""
        if self._engine is None:
            self._engine = get_engine(self._url)
        return self._engine

    @property
    def url(self) -> str:
        """The database URL with the password hidden."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ---- transactions ----------------------------------------------------------------------
    def write(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(conn)`` in one write transaction and commit; return its result.

        Retries a few times on deadlock/serialisation failure/lock timeout (the whole function runs
        again, so ``fn`` must not have side effects outside the database). Raises
        :class:`DatabaseUnavailable` when the database cannot be used.
        """
        self.init()
        return self._run(fn, write=True)

    def read(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn(conn)`` in one read transaction (a consistent snapshot on both databases)."""
        self.init()
        return self._run(fn, write=False)

    def _run(self, fn: Callable[[Connection], T], *, write: bool) -> T:
        delay = 0.05
        for attempt in range(_RETRIES + 1):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(conflicts_write=write)
                    with conn.begin():
                        return fn(conn)
            except sa_exc.DBAPIError as exc:
                if isinstance(exc, sa_exc.IntegrityError | sa_exc.ProgrammingError):
                    raise  # a bug or a constraint, not an outage
                if attempt < _RETRIES and _is_retryable(exc):
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise _logged(DatabaseUnavailable(_describe(exc))) from exc
            except sa_exc.TimeoutError as exc:  # pool exhausted
                raise _logged(DatabaseUnavailable("the database is busy, try again")) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # ---- schema ----------------------------------------------------------------------------
    def init(self) -> int:
        """Create or migrate the schema (idempotent, safe to call concurrently); return version."""
        if self._initialised:
            return SCHEMA_VERSION
        with self._init_lock:
            if not self._initialised:
                self._run(self._migrate, write=True)
                self._initialised = True
        return SCHEMA_VERSION

    def _migrate(self, conn: Connection) -> None:
        if self.dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK_KEY)))
        schema_version.create(conn, checkfirst=True)
        current = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
        for version in range(current + 1, len(MIGRATIONS) + 1):
            MIGRATIONS[version - 1](conn)
            conn.execute(schema_version.insert().values(version=version, applied_at=utcnow()))

    def schema_version(self) -> int:
        """The version recorded in the database (0 if none)."""
        return self.read(
            lambda conn: conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
        )

    # ---- the one aggregate query for tallies ----------------------------------------------
    def tally_rows(self, conn: Connection, workshop_id: int, method: str) -> list[tuple]:
        """``(item_id, value, skipped, count)`` per distinct ballot value of one workshop."""
        q = (
            select(ballots.c.item_id, ballots.c.value, ballots.c.skipped, func.count())
            .where(ballots.c.workshop_id == workshop_id, ballots.c.method == method)
            .group_by(ballots.c.item_id, ballots.c.value, ballots.c.skipped)
        )
        return [tuple(row) for row in conn.execute(q)]


def _describe(exc: sa_exc.DBAPIError) -> str:
    orig = str(getattr(exc, "orig", exc)).strip().splitlines()
    detail = orig[0] if orig else type(exc).__name__
    return f"the database is unavailable ({detail}); nothing was written, try again"


# An outage seen by hundreds of phones at once is logged once per cause per minute, not per request.
_LOG_EVERY_S = 60.0
_last_logged: dict[str, float] = {}


def _logged(exc: DatabaseUnavailable) -> DatabaseUnavailable:
    """Write the cause of an outage to the server log (users see a translated message only)."""
    message = str(exc)
    now = time.monotonic()
    if now - _last_logged.get(message, -_LOG_EVERY_S) >= _LOG_EVERY_S:
        if len(_last_logged) > 256:
            _last_logged.clear()
        _last_logged[message] = now
        log.error("%s", message)
    return exc


def check_database(url: str | None = None) -> str | None:
    """Check at start-up that the database URL is valid and the database answers.

    Returns None when it does, else the cause, which is also written to the server log once, so
    that whoever deploys the app sees a wrong host, port, database name or password at once.
    """
    try:
        Store(url).init()
    except DatabaseUnavailable as exc:
        log.error("database check at start-up failed: %s", exc)
        return str(exc)
    return None


_stores: dict[str, Store] = {}


def get_store(url: str | None = None) -> Store:
    """The process-wide :class:`Store` for ``url`` (default from the environment)."""
    url = config.normalise_database_url(url or config.database_url())
    with _engines_lock:
        store = _stores.get(url)
    if store is None:
        store = Store(url)
        with _engines_lock:
            store = _stores.setdefault(url, store)
    return store
