"""Fixtures for store tests: migrated in-memory engines and tmp-file URLs."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def file_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'nested' / 'folder' / 'store.db'}"
