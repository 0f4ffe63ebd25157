"""Fixtures that run a test on both store engines: SQLite and the real PostgreSQL server.

A conftest imports the ones it needs; `engine` then overrides the SQLite-only fixture of tests/core.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.core.store.db import make_engine, migrate
from pg_server import PostgresServer, shared_server

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def pg_server() -> PostgresServer:
    """The run's PostgreSQL server (a failure to start fails the test, it never skips it)."""
    return shared_server()


@pytest.fixture
def engine(store_kind: str) -> Iterator[Engine]:
    """A migrated store private to one test: in-memory SQLite, or a fresh PostgreSQL database."""
    if store_kind == "sqlite":
        eng = make_engine("sqlite://")
        migrate(eng)
        yield eng
        eng.dispose()
        return
    server = shared_server()
    url = server.create_database()
    eng = make_engine(url)
    yield eng
    eng.dispose()
    server.drop_database(url)


@pytest.fixture
def store_url(store_kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database (no tables) private to one test: a SQLite file, or PostgreSQL."""
    if store_kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'folder' / 'store.db'}"
        return
    server = shared_server()
    url = server.create_database(template="template0")
    yield url
    server.drop_database(url)
