"""Moderation fixtures: a private copy of the small knowledge folder and of its built index, so each
test can edit, reload and break things; the session embedder is shared (the model loads once)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kb_fixtures import SMALL_DECISION

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.service import Services
from bot.core.store import open_store


@pytest.fixture
def services(private_built: tuple[Path, Path], tmp_path: Path, embedder) -> Iterator[Services]:  # type: ignore[no-untyped-def]
    knowledge, index = private_built
    config = AdvisorConfig(knowledge_dir=knowledge, index_dir=index, decision_file=SMALL_DECISION)
    advisor = Advisor(config, embedder)
    advisor.ensure_index()
    assert advisor.stale_reason() is None  # the copy is live as is: no build before the test starts
    svc = Services(advisor, open_store(f"sqlite:///{tmp_path / 'bot.db'}"))
    yield svc
    svc.close()
