"""Fixtures shared by the core's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.core.store.db import make_engine, migrate


@pytest.fixture
def engine() -> Iterator[Engine]:
    """A migrated in-memory store, private to one test."""
    eng = make_engine("sqlite://")
    migrate(eng)
    yield eng
    eng.dispose()
