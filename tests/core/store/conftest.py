"""Fixtures for store tests: every test that takes `engine` or `store_url` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_server.fixtures import engine, pg_server, store_kind, store_url

__all__ = ["engine", "pg_server", "store_kind", "store_url"]


@pytest.fixture
def file_url(tmp_path: Path) -> str:
    """A SQLite file in folders that do not exist yet (for SQLite-only behaviour: pragmas, folders)."""
    return f"sqlite:///{tmp_path / 'nested' / 'folder' / 'store.db'}"
