"""Engines, transactions and schema migration for the store: SQLite, or PostgreSQL through psycopg 3.

SQLite only lets one writer in at a time. Write transactions therefore start with BEGIN IMMEDIATE, so
a second writer waits (busy_timeout) instead of failing when it upgrades a read lock, and WAL mode
lets readers carry on meanwhile.

PostgreSQL lets writers run side by side (READ COMMITTED), so the store's write functions lock what
they read before they change it: the goal row for its step statuses, the question row for its votes
(SELECT ... FOR UPDATE), and the member for a change of goals (`lock_member`). Readers get a snapshot
(REPEATABLE READ). The same Alembic migrations run on both, one process at a time.

Every problem with DATABASE_URL itself (malformed, a driver that is not installed, a server that does
not answer, a folder that cannot be created) is a StoreUnavailable naming what to fix. Nothing here
runs at import time.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from bot.core.errors import StoreUnavailable

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10
_BEGIN_OPTION = "sqlite_begin"
SUPPORTED_URLS = "sqlite:///path/to/file.db or postgresql+psycopg://user:password@host:5432/database"
POSTGRES_EXTRA = "pip install 'roadmap-bot[postgres]' (from a checkout: pip install -e '.[postgres]')"
_MIGRATION_LOCK = "roadmap-bot:migrate"
_MEMBER_LOCK = "roadmap-bot:member:"


def utcnow() -> datetime:
    """Aware UTC now; the store keeps UTC and hands it back aware."""
    return datetime.now(UTC)


def _masked(url: str) -> str:
    """A URL as typed, for a message: any password hidden, and short."""
    hidden = re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", url.strip())
    return hidden if len(hidden) <= 80 else hidden[:77] + "..."


def describe(url: str | URL) -> str:
    """The URL for messages and logs, with the password hidden."""
    if isinstance(url, URL):
        parsed = url
    else:
        try:
            parsed = make_url(url)
        except ArgumentError:
            return _masked(url)
    if parsed.get_backend_name() == "sqlite":  # a path as typed, not URL-quoted
        return f"sqlite:///{parsed.database or ':memory:'}"
    return parsed.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    """DATABASE_URL as SQLAlchemy reads it. A plain postgresql:// (or postgres://) means psycopg 3, the
    driver the `postgres` extra installs; any other database is refused with what to use instead."""
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise StoreUnavailable(f"DATABASE_URL '{_masked(url)}' is not a database URL; use {SUPPORTED_URLS}.") from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        driver = "psycopg" if "+" not in parsed.drivername else parsed.get_driver_name()
        return parsed.set(drivername=f"postgresql+{driver}")
    if backend != "sqlite":
        raise StoreUnavailable(
            f"DATABASE_URL names the database '{backend}', which roadmap-bot does not support; use {SUPPORTED_URLS}."
        )
    return parsed


def backend(engine: Engine) -> str:
    """'sqlite' or 'postgresql'."""
    return engine.dialect.name


def _is_memory(parsed: URL) -> bool:
    database = parsed.database or ""
    return database in ("", ":memory:") or "mode=memory" in str(parsed.query.get("mode", ""))


def _ensure_parent(parsed: URL) -> None:
    database = parsed.database or ""
    if database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    if folder.exists() and not folder.is_dir():
        raise StoreUnavailable(f"the SQLite database {database} cannot be created: {folder} is a file, not a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise StoreUnavailable(f"the folder {folder} for the SQLite database cannot be created: {reason}.") from exc


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite: WAL, foreign keys, busy_timeout and explicit transactions."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _postgres_engine(parsed)
    memory = _is_memory(parsed)
    if not memory:
        _ensure_parent(parsed)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}}
    if memory:
        # One shared connection, or every session would see its own empty database.
        kwargs["poolclass"] = StaticPool
    engine = create_engine(parsed, **kwargs)
    _install_sqlite_hooks(engine, wal=not memory)
    return engine


def _postgres_engine(parsed: URL) -> Engine:
    driver = parsed.get_driver_name()
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in parsed.query:
        connect_args["application_name"] = "roadmap-bot"
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except ImportError as exc:
        if driver == "psycopg":
            message = (
                f"DATABASE_URL is a PostgreSQL URL, but its driver (psycopg 3) is not installed: {POSTGRES_EXTRA}."
            )
        else:
            message = (
                f"DATABASE_URL asks for the PostgreSQL driver {driver}, which is not installed; "
                f"use postgresql+psycopg://… and {POSTGRES_EXTRA}."
            )
        raise StoreUnavailable(message) from exc
    except ArgumentError as exc:
        raise StoreUnavailable(
            f"DATABASE_URL names the PostgreSQL driver '{driver}', which is unknown; use postgresql+psycopg://…"
        ) from exc


def _use_wal(cursor: Any) -> None:
    """Switch the file to WAL once, retrying while another process holds it.

    WAL is a property of the file, so a connection that finds it already set changes nothing. Setting it
    needs an exclusive lock, and SQLite can report "database is locked" for that without waiting on
    busy_timeout when several processes open the same store at once; so it is retried up to that timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _install_sqlite_hooks(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own implicit BEGIN (DEFERRED, and none before DDL) is replaced by ours below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten with zeros, not just unlinked: a forgotten member leaves no copy.
            cursor.execute("PRAGMA secure_delete = ON")
            if wal:
                _use_wal(cursor)
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One write transaction: commits on success, rolls back on error.

    On SQLite it takes the write lock up front; on PostgreSQL the store's write functions lock the rows
    (and members) they change, so concurrent writers never lose each other's writes.
    """
    options = {_BEGIN_OPTION: "IMMEDIATE"}
    with Session(engine, execution_options=options, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session: a consistent snapshot that never blocks writers (WAL; REPEATABLE READ)."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        if backend(engine) == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        yield session


def lock_member(user_id: str, *, session: Session) -> None:
    """Hold back other transactions changing this member's goals until this one ends.

    SQLite needs nothing: `transaction` holds the database's only write lock. On PostgreSQL two new
    goals of one member, both to become the active one, share no row that could be locked yet, so
    they meet at a transaction-scoped advisory lock on the member instead.
    """
    if backend_of(session) == "postgresql":
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": _MEMBER_LOCK + user_id}
        )


def backend_of(session: Session) -> str:
    return session.get_bind().dialect.name


def scrub_after_commit(session: Session) -> None:
    """Once this transaction commits, leave no earlier copy of what it erased in the store's files.

    SQLite zeroes deleted content in the database file (secure_delete), but its write-ahead log keeps
    the page images of earlier transactions until a checkpoint: after the commit the log is
    checkpointed into the database and truncated. (PostgreSQL keeps dead row versions until its
    autovacuum reuses their space; nothing here changes that.)
    """
    engine = session.get_bind()
    if not isinstance(engine, Engine) or backend(engine) != "sqlite" or _is_memory(engine.url):
        return

    def checkpoint(_session: Session) -> None:
        with engine.connect() as conn:
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                busy, _, _ = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                cursor.close()
        if busy:
            log.warning("the write-ahead log could not be truncated now (busy readers); the next checkpoint will")

    event.listen(session, "after_commit", checkpoint, once=True)


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stored_revision(engine: Engine) -> str | None:
    """The schema revision, read quietly (Alembic logs at INFO whenever it looks)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema forward to `revision` in one transaction; several processes may race safely.

    SQLite: the first to BEGIN IMMEDIATE migrates, the others wait and find nothing to do. PostgreSQL
    runs DDL in transactions too; racers queue on an advisory lock and Alembic re-reads the version
    after it.
    """
    wanted = head_revision() if revision == "head" else revision
    if _stored_revision(engine) == wanted:
        return
    with engine.connect() as conn:
        conn = conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            if backend(engine) == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": _MIGRATION_LOCK})
            command.upgrade(_alembic_config(conn), revision)
    log.debug("store schema at %s", revision)


def _reason(exc: DBAPIError) -> str:
    """The driver's own first line (e.g. 'connection refused', 'unable to open database file')."""
    lines = str(exc.orig if exc.orig is not None else exc).strip().splitlines()
    return lines[0].strip() if lines else type(exc).__name__


def _probe_writes(engine: Engine) -> None:
    """Fail now, not at a member's first write, when the SQLite file is read-only (a header write, rolled back)."""
    with engine.connect() as conn:
        conn = conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin() as started:
            version = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
            conn.exec_driver_sql(f"PRAGMA user_version = {version}")
            started.rollback()


def open_store(url: str) -> Engine:
    """The engine adapters use: made from the settings' URL and migrated to the newest schema.

    Raises StoreUnavailable, with the reason in one line, when the database cannot be opened or migrated.
    """
    engine = make_engine(url)
    try:
        migrate(engine)
        if backend(engine) == "sqlite" and not _is_memory(engine.url):
            _probe_writes(engine)
    except DBAPIError as exc:
        engine.dispose()
        log.debug("opening the store failed", exc_info=True)
        raise StoreUnavailable(f"the database {describe(engine.url)} cannot be used: {_reason(exc)}") from exc
    return engine


def ping(url: str) -> str:
    """Ask the database for SELECT 1 without migrating anything; returns the URL shown (password hidden).

    Raises StoreUnavailable with the reason when it does not answer.
    """
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar_one()
    except DBAPIError as exc:
        raise StoreUnavailable(f"the database {describe(engine.url)} does not answer: {_reason(exc)}") from exc
    finally:
        engine.dispose()
    return describe(engine.url)
