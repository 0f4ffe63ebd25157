"""Engines, transactions and schema migration for the SQLite store.

SQLite only lets one writer in at a time. Write transactions therefore start with BEGIN IMMEDIATE, so
a second writer waits (busy_timeout) instead of failing when it upgrades a read lock, and WAL mode
lets readers carry on meanwhile. Nothing here runs at import time.
"""

from __future__ import annotations

import logging
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
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "sqlite_begin"


def utcnow() -> datetime:
    """Aware UTC now; the store keeps UTC and hands it back aware."""
    return datetime.now(UTC)


def _is_memory(url: str) -> bool:
    parsed = make_url(url)
    database = parsed.database or ""
    return database in ("", ":memory:") or "mode=memory" in str(parsed.query.get("mode", ""))


def _ensure_parent(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or _is_memory(url):
        return
    database = parsed.database or ""
    if database.startswith("file:"):
        return
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite: WAL, foreign keys, busy_timeout and explicit transactions."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    _ensure_parent(url)
    memory = _is_memory(url)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}}
    if memory:
        # One shared connection, or every session would see its own empty database.
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)
    _install_sqlite_hooks(engine, wal=not memory)
    return engine


def _install_sqlite_hooks(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own implicit BEGIN (DEFERRED, and none before DDL) is replaced by ours below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One write transaction: takes the write lock up front, commits on success, rolls back on error."""
    options = {_BEGIN_OPTION: "IMMEDIATE"}
    with Session(engine, execution_options=options, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only session: a consistent snapshot that never blocks writers (WAL)."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


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
    """Bring the schema forward to `revision` in one transaction; several processes may race safely."""
    wanted = head_revision() if revision == "head" else revision
    if _stored_revision(engine) == wanted:
        return
    with engine.connect() as conn:
        conn = conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            command.upgrade(_alembic_config(conn), revision)
    log.debug("store schema at %s", revision)


def open_store(url: str) -> Engine:
    """The engine adapters use: made from the settings' URL and migrated to the newest schema."""
    engine = make_engine(url)
    migrate(engine)
    return engine
