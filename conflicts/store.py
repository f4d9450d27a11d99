"""Storage: the tables (declared once), engines, transactions and schema migrations.

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

Schema versions
---------------
``schema_version`` holds one row per applied migration. :data:`MIGRATIONS` is the ordered list of
migration functions; :meth:`Store.init` applies the missing ones in one transaction (under
``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL, so processes starting together do not
race). Version 1 creates the tables declared below; version 2 (facilitation) adds the timer columns
of ``workshops``, ``agenda_items.kind``/``question`` and the tables ``workshop_interactions``,
``outcomes`` and ``proposals`` to a version-1 database (see :data:`V2_COLUMNS`). To change the schema later: change the table
declaration AND append a migration that brings an existing database there idempotently (e.g.
:func:`add_column_if_missing`), because a fresh database gets the declared tables from version 1.
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
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from conflicts import config
from conflicts.errors import ConflictsError

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
# Tables
# --------------------------------------------------------------------------------------------
metadata = MetaData()
TS = DateTime(timezone=True)

WORKSHOP_STATUSES = ("draft", "open", "closed")
VOTING_STATES = ("not_started", "open", "closed")
METHODS = ("rating", "dots", "ranking", "score")
MODES = ("follow", "free")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


workshops = Table(
    "workshops",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("catalogue_name", String(200), nullable=False),
    Column("catalogue_path", Text, nullable=True),
    Column("catalogue_yaml", Text, nullable=False),
    Column("catalogue_sha256", String(64), nullable=False),
    Column("status", String(10), nullable=False, default="draft"),
    Column("method", String(10), nullable=False, default="rating"),
    Column("dot_budget", Integer, nullable=False, default=10),
    Column("ranking_size", Integer, nullable=False, default=3),
    Column("hide_results_until_closed", Boolean, nullable=False, default=False),
    Column("require_participant_code", Boolean, nullable=False, default=False),
    Column("mode", String(6), nullable=False, default="follow"),
    # The agenda item shown now (no FK: the agenda references the workshop; checked in code).
    Column("current_item_id", Integer, nullable=True),
    Column("facilitator_key_hash", String(255), nullable=False),
    # Secret per workshop: pseudonyms in exports are HMAC(anon_salt, voter_id).
    Column("anon_salt", String(64), nullable=False),
    # Bumped by every facilitator change (status, agenda, voting states, mode, settings).
    Column("revision", Integer, nullable=False, default=1),
    # The base of the tally revision: the workshop's tally_revision is this plus the sum of its
    # participants' ``changes`` (joins, ballots, proposals; version 5). Rows written before
    # version 5 keep what joins and ballots had bumped here, so the sum never goes back.
    Column("tally_revision", Integer, nullable=False, default=0),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    # Version 2: the facilitator's timer of one step (see conflicts.workshops). Running:
    # started_at + duration; paused: paused_remaining_s is set. All NULL: no timer.
    Column("timer_item_id", Integer, nullable=True),
    Column("timer_started_at", TS, nullable=True),
    Column("timer_duration_s", Integer, nullable=True),
    Column("timer_paused_remaining_s", Integer, nullable=True),
    CheckConstraint(_in("status", WORKSHOP_STATUSES), name="ck_workshops_status"),
    CheckConstraint(_in("method", METHODS), name="ck_workshops_method"),
    CheckConstraint(_in("mode", MODES), name="ck_workshops_mode"),
    CheckConstraint("dot_budget >= 1", name="ck_workshops_dot_budget"),
    CheckConstraint("ranking_size >= 1", name="ck_workshops_ranking_size"),
)

#: Version 2: what an agenda item is. Checked since version 3 by :func:`_migration_3` (a CHECK on
#: PostgreSQL, triggers on SQLite): declared there, not on the table, so that every database,
#: fresh or upgraded, gets the very same check from one place.
ITEM_KINDS = ("interaction", "warmup")

agenda_items = Table(
    "agenda_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("interaction_id", String(64), nullable=False),
    Column("voting", String(12), nullable=False, default="not_started"),
    Column("opened_at", TS, nullable=True),
    Column("closed_at", TS, nullable=True),
    # Version 2: 'interaction' (interaction_id is a catalogue or workshop interaction) or
    # 'warmup' (interaction_id is a key such as 'warmup-1'; question is {lang: text} JSON).
    Column("kind", String(12), nullable=False, default="interaction", server_default="interaction"),
    Column("question", Text, nullable=True),
    UniqueConstraint("workshop_id", "interaction_id", name="uq_agenda_items_interaction"),
    CheckConstraint(_in("voting", VOTING_STATES), name="ck_agenda_items_voting"),
)

participant_codes = Table(
    "participant_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(16), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("used_at", TS, nullable=True),
    UniqueConstraint("workshop_id", "code", name="uq_participant_codes_code"),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("voter_id", String(128), nullable=False),
    Column("display_name", String(60), nullable=True),
    Column("actor_type", String(32), nullable=True),
    Column("level", String(32), nullable=True),
    Column(
        "participant_code_id",
        Integer,
        ForeignKey("participant_codes.id", ondelete="SET NULL"),
        nullable=True,
        unique=True,  # a one-time code is bound to exactly one participant
    ),
    Column("joined_at", TS, nullable=False),
    # Version 5: the participant's own share of the workshop's tally_revision (1 for the join,
    # +1 per ballot, ranking or proposal). A ballot bumps its voter's row, not the workshop's:
    # on PostgreSQL every ballot of a room queued on that one row (see conflicts.workshops).
    Column("changes", Integer, nullable=False, default=0, server_default="0"),
    UniqueConstraint("workshop_id", "voter_id", name="uq_participants_voter"),
)
#: ws.poll() sums ``changes`` per workshop from this index alone.
Index("ix_participants_workshop_changes", participants.c.workshop_id, participants.c.changes)

ballots = Table(
    "ballots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("agenda_items.id", ondelete="CASCADE"), nullable=False),
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("method", String(10), nullable=False),
    Column("value", Integer, nullable=True),
    Column("skipped", Boolean, nullable=False, default=False),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("participant_id", "item_id", name="uq_ballots_participant_item"),
    CheckConstraint(
        "(skipped AND value IS NULL) OR (NOT skipped AND value IS NOT NULL)",
        name="ck_ballots_value_or_skip",
    ),
    CheckConstraint(_in("method", METHODS), name="ck_ballots_method"),
)
Index("ix_ballots_workshop_item", ballots.c.workshop_id, ballots.c.item_id)

# ---- version 2: facilitation ---------------------------------------------------------------
INTERACTION_ORIGINS = ("facilitator", "proposal")
OUTCOMES = ("resolved", "needs_analysis", "escalate", "invite_missing", "parked")
PROPOSAL_STATUSES = ("pending", "accepted", "declined", "merged")

workshop_interactions = Table(
    "workshop_interactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column("interaction_id", String(64), nullable=False),
    Column("origin", String(12), nullable=False),
    # The proposal it came from (origin 'proposal'); no FK, proposals reference this by id.
    Column("proposal_id", Integer, nullable=True),
    # The catalogue Interaction's fields as canonical JSON (sorted keys, alias 'from').
    Column("payload", Text, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("workshop_id", "interaction_id", name="uq_workshop_interactions_id"),
    CheckConstraint(_in("origin", INTERACTION_ORIGINS), name="ck_workshop_interactions_origin"),
)

outcomes = Table(
    "outcomes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column(
        "item_id",
        Integer,
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("summary", Text, nullable=True),
    Column("outcome", String(16), nullable=True),
    Column("owner", String(200), nullable=True),
    Column("next_step", Text, nullable=True),
    Column("due_date", Date, nullable=True),
    Column("updated_at", TS, nullable=False),
    CheckConstraint(f"outcome IS NULL OR {_in('outcome', OUTCOMES)}", name="ck_outcomes_outcome"),
)
Index("ix_outcomes_workshop", outcomes.c.workshop_id)

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), nullable=False),
    Column(
        "participant_id",
        Integer,
        ForeignKey("participants.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("title", String(120), nullable=False),
    Column("text", Text, nullable=True),
    Column("from_node", String(64), nullable=False),
    Column("to_node", String(64), nullable=False),
    Column("status", String(10), nullable=False, default="pending"),
    Column("merged_into", Integer, ForeignKey("proposals.id", ondelete="SET NULL"), nullable=True),
    Column("interaction_id", String(64), nullable=True),
    Column("created_at", TS, nullable=False),
    CheckConstraint(_in("status", PROPOSAL_STATUSES), name="ck_proposals_status"),
)
Index("ix_proposals_workshop", proposals.c.workshop_id)
Index("ix_proposals_participant", proposals.c.participant_id)

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", TS, nullable=False),
)

# --------------------------------------------------------------------------------------------
# Migrations
# --------------------------------------------------------------------------------------------


def _migration_1(conn: Connection) -> None:
    """Version 1: the initial tables."""
    metadata.create_all(conn, checkfirst=True)


def add_column_if_missing(conn: Connection, table: Table, column_name: str) -> None:
    """Helper for later migrations: add a declared column to an existing table if it is missing.

    A declared ``server_default`` is added too (existing rows get it), and then NOT NULL when the
    column is declared non-nullable; without a server default the column is added nullable.
    """
    existing = {c["name"] for c in inspect(conn).get_columns(table.name)}
    if column_name in existing:
        return
    column = table.c[column_name]
    ddl = f'"{column_name}" {column.type.compile(dialect=conn.dialect)}'
    default = column.server_default
    if default is not None and isinstance(getattr(default, "arg", None), str):
        literal = default.arg.replace("'", "''")
        ddl += f" DEFAULT '{literal}'"
        if not column.nullable:
            ddl += " NOT NULL"
    conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl}"))


#: Version 2 (facilitation): columns added to version-1 tables, and the new tables.
V2_COLUMNS: dict[str, tuple[str, ...]] = {
    "workshops": (
        "timer_item_id",
        "timer_started_at",
        "timer_duration_s",
        "timer_paused_remaining_s",
    ),
    "agenda_items": ("kind", "question"),
}
V2_TABLES = ("workshop_interactions", "outcomes", "proposals")


def _migration_2(conn: Connection) -> None:
    """Version 2: facilitation (item kinds, timer, workshop interactions, outcomes, proposals).

    Idempotent: a fresh database already has all of it from version 1 (declared tables)."""
    for table_name, columns in V2_COLUMNS.items():
        for column_name in columns:
            add_column_if_missing(conn, metadata.tables[table_name], column_name)
    for table_name in V2_TABLES:
        metadata.tables[table_name].create(conn, checkfirst=True)


def _migration_3(conn: Connection) -> None:
    """Version 3: ``agenda_items.kind`` is checked (``ck_agenda_items_kind``), as every other
    enumerated column. PostgreSQL adds the constraint; SQLite cannot add one to an existing
    table without rebuilding it (and the ballots, outcomes and timer that point at its rows), so
    there two triggers refuse the same rows. Idempotent. Rows written before version 3 came only
    from this code, which wrote valid kinds."""
    check = _in("kind", ITEM_KINDS)
    if conn.dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE OF kind"):
            name = "ck_agenda_items_kind_" + event.split()[0].lower()
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON agenda_items "
                f"WHEN NOT (NEW.{check}) "
                "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ck_agenda_items_kind'); END"
            )
        return
    present = {c["name"] for c in inspect(conn).get_check_constraints("agenda_items")}
    if "ck_agenda_items_kind" not in present:
        conn.exec_driver_sql(
            f"ALTER TABLE agenda_items ADD CONSTRAINT ck_agenda_items_kind CHECK ({check})"
        )


# ---- version 4: server secrets ---------------------------------------------------------------
#: Secrets the app generates once and every replica shares (e.g. the key that signs voter ids
#: when CONFLICTS_SECRET_KEY is not set). Declared here so that a fresh database gets it from
#: version 1's create_all; _migration_4 adds it to older ones.
app_secrets = Table(
    "app_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
    Column("created_at", TS, nullable=False),
)


def _migration_4(conn: Connection) -> None:
    """Version 4: the ``app_secrets`` table (idempotent)."""
    app_secrets.create(conn, checkfirst=True)


def _migration_5(conn: Connection) -> None:
    """Version 5: ``participants.changes`` and its index (idempotent): ballots bump their
    voter's row instead of the workshop's, so a room's ballots do not queue on one row."""
    add_column_if_missing(conn, participants, "changes")
    index = next(i for i in participants.indexes if i.name == "ix_participants_workshop_changes")
    index.create(conn, checkfirst=True)


#: Ordered migrations: MIGRATIONS[i] brings the schema to version i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
]
SCHEMA_VERSION = len(MIGRATIONS)

# An arbitrary constant: the key of the PostgreSQL advisory lock held while migrating.
_MIGRATION_LOCK_KEY = 0x4D414C4B  # "MALK"


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
