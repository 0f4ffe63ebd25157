"""Builds the core's objects from Settings, once; adapters ask here instead of constructing their own."""

from __future__ import annotations

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.embedding import Embedder, resolve_model
from bot.core.roadmap.errors import GOAL_COMMAND
from bot.core.service import Services
from bot.core.store import open_store
from bot.settings import Settings


def make_advisor(settings: Settings, embedder: Embedder | None = None) -> Advisor:
    config = AdvisorConfig(
        knowledge_dir=settings.knowledge_dir, index_dir=settings.index_dir, decision_file=settings.decision_file
    )
    return Advisor(
        config, embedder or Embedder(resolve_model(settings.embedding_model), threads=settings.serving_threads)
    )


def make_services(settings: Settings, embedder: Embedder | None = None, goal_command: str = GOAL_COMMAND) -> Services:
    """`goal_command` is how the adapter's users set a goal, named in the core's messages."""
    return Services(
        make_advisor(settings, embedder),
        open_store(settings.database_url),
        question_retention_days=settings.question_retention_days,
        goal_command=goal_command,
    )
