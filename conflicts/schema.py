"""The database schema, declared once: tables, enumerated values and migrations.

``schema_version`` holds one row per applied migration. :data:`MIGRATIONS` is the ordered list of
migration functions; :meth:`conflicts.store.Store.init` applies the missing ones in one transaction
(under ``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL, so processes starting together
do not race). Version 1 creates the tables declared below; later versions bring an existing
database to the declared tables. To change the schema: change the table declaration AND append a
migration that brings an existing database there idempotently (e.g. :func:`add_column_if_missing`),
because a fresh database gets the declared tables from version 1.

:mod:`conflicts.store` re-exports every name here, so ``from conflicts.store import ballots`` keeps
working.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)

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
    # participants' ``changes`` (joins, ballots, proposals; version 6). Rows written before
    # version 6 keep what joins and ballots had bumped here, so the sum never goes back.
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
ITEM_KINDS = ("interaction", "warmup", "matrix")

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
    # Version 7: 'matrix' (a matrix scoring session; interaction_id is a key such as 'matrix-1')
    # holds its chosen node ids as a JSON list here.
    Column("nodes", Text, nullable=True),
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
    # Version 6: the participant's own share of the workshop's tally_revision (1 for the join,
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
    _kind_check(conn, replace=False)


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


# ---- version 5: series (several rooms on one catalogue, see conflicts.series) -----------------
SERIES_WEIGHTINGS = ("equal", "participants")

series = Table(
    "series",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # The public id in URLs and the CLI (e.g. S-7KQ3XM); the key is stored as a scrypt hash.
    Column("code", String(16), nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("key_hash", String(255), nullable=False),
    # How the regional aggregate weighs the rooms (the regional view says which).
    Column("weighting", String(12), nullable=False, default="equal"),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    CheckConstraint(_in("weighting", SERIES_WEIGHTINGS), name="ck_series_weighting"),
)

series_workshops = Table(
    "series_workshops",
    metadata,
    Column("series_id", Integer, ForeignKey("series.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "workshop_id", Integer, ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("added_at", TS, nullable=False),
)
Index("ix_series_workshops_workshop", series_workshops.c.workshop_id)


def _migration_5(conn: Connection) -> None:
    """Version 5: the ``series`` and ``series_workshops`` tables (idempotent)."""
    series.create(conn, checkfirst=True)
    series_workshops.create(conn, checkfirst=True)


def _migration_6(conn: Connection) -> None:
    """Version 6: ``participants.changes`` and its index (idempotent): ballots bump their
    voter's row instead of the workshop's, so a room's ballots do not queue on one row."""
    add_column_if_missing(conn, participants, "changes")
    index = next(i for i in participants.indexes if i.name == "ix_participants_workshop_changes")
    index.create(conn, checkfirst=True)


# ---- version 7: the matrix scoring session (see conflicts.workshops.matrix_session) ----------
#: The bounds of a pair score (the Nilsson/ICSU scale) and of its rationale.
PAIR_SCORE_MIN, PAIR_SCORE_MAX = -3, 3

pair_scores = Table(
    "pair_scores",
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
    # The ordered pair: "if progress is made on from_node, how does that affect to_node?"
    Column("from_node", String(64), nullable=False),
    Column("to_node", String(64), nullable=False),
    Column("value", Integer, nullable=True),
    Column("skipped", Boolean, nullable=False, default=False),
    Column("rationale", Text, nullable=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint(
        "participant_id", "item_id", "from_node", "to_node", name="uq_pair_scores_participant_pair"
    ),
    CheckConstraint(
        "(skipped AND value IS NULL) OR (NOT skipped AND value IS NOT NULL)",
        name="ck_pair_scores_value_or_skip",
    ),
    CheckConstraint(
        f"value IS NULL OR (value >= {PAIR_SCORE_MIN} AND value <= {PAIR_SCORE_MAX})",
        name="ck_pair_scores_value_range",
    ),
    CheckConstraint("from_node <> to_node", name="ck_pair_scores_pair"),
)
#: The room's matrix and the per-pair counts read one session's rows from this index.
Index("ix_pair_scores_item", pair_scores.c.item_id, pair_scores.c.from_node, pair_scores.c.to_node)


def _kind_check(conn: Connection, *, replace: bool) -> None:
    """``ck_agenda_items_kind`` from :data:`ITEM_KINDS` (triggers on SQLite); ``replace``: drop
    an older one first (a database of versions 3-6 knows only 'interaction' and 'warmup')."""
    check = _in("kind", ITEM_KINDS)
    if conn.dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE OF kind"):
            name = "ck_agenda_items_kind_" + event.split()[0].lower()
            if replace:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON agenda_items "
                f"WHEN NOT (NEW.{check}) "
                "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ck_agenda_items_kind'); END"
            )
        return
    present = {c["name"] for c in inspect(conn).get_check_constraints("agenda_items")}
    if replace and "ck_agenda_items_kind" in present:
        conn.exec_driver_sql("ALTER TABLE agenda_items DROP CONSTRAINT ck_agenda_items_kind")
        present.discard("ck_agenda_items_kind")
    if "ck_agenda_items_kind" not in present:
        conn.exec_driver_sql(
            f"ALTER TABLE agenda_items ADD CONSTRAINT ck_agenda_items_kind CHECK ({check})"
        )


def _migration_7(conn: Connection) -> None:
    """Version 7: the matrix scoring session: ``agenda_items.nodes``, the ``pair_scores`` table
    and its index, and the kind check re-made with 'matrix' (idempotent)."""
    add_column_if_missing(conn, agenda_items, "nodes")
    pair_scores.create(conn, checkfirst=True)
    index = next(i for i in pair_scores.indexes if i.name == "ix_pair_scores_item")
    index.create(conn, checkfirst=True)
    _kind_check(conn, replace=True)


#: Ordered migrations: MIGRATIONS[i] brings the schema to version i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_6,
    _migration_7,
]
SCHEMA_VERSION = len(MIGRATIONS)

# An arbitrary constant: the key of the PostgreSQL advisory lock held while migrating.
_MIGRATION_LOCK_KEY = 0x4D414C4B  # "MALK"
