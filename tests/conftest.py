"""Shared fixtures: the real embedding model (loaded once per run) and a small built index."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from kb_fixtures import SMALL_DECISION, SMALL_KB


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from bot.core.embedding import Embedder, resolve_model

    return Embedder(resolve_model(""))


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A private, editable copy of the small fixture knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(SMALL_KB, target)
    return target


@pytest.fixture(scope="session")
def built_small(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[Path, Path]]:  # type: ignore[no-untyped-def]
    """The small knowledge folder and an index built from it, shared read-only by a whole run."""
    from bot.core.index.build import build_index

    root = tmp_path_factory.mktemp("built")
    knowledge = root / "knowledge"
    shutil.copytree(SMALL_KB, knowledge)
    index = root / "index"
    build_index(knowledge, index, embedder)
    yield knowledge, index


@pytest.fixture
def private_built(built_small: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """For tests that edit knowledge/: a private copy of the folder and its built index (no rebuild)."""
    knowledge, index = built_small
    shutil.copytree(knowledge, tmp_path / "knowledge")
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "knowledge", tmp_path / "index"


@pytest.fixture(scope="session")
def small_advisor(built_small, embedder):  # type: ignore[no-untyped-def]
    from bot.core.advisor import Advisor, AdvisorConfig

    knowledge, index = built_small
    return Advisor(AdvisorConfig(knowledge_dir=knowledge, index_dir=index, decision_file=SMALL_DECISION), embedder)
