"""Fixtures for store tests: migrated in-memory engines and tmp-file URLs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.core.store.db import make_engine, migrate


@pytest.fixture
def engine() -> Iterator[Engine]:
    eng = make_engine("sqlite://")
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def file_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nested' / 'folder' / 'store.db'}"
