"""Builds the core's objects from Settings, once; adapters ask here instead of constructing their own."""

from __future__ import annotations

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.embedding import Embedder, resolve_model
from bot.settings import Settings


def make_advisor(settings: Settings) -> Advisor:
    config = AdvisorConfig(knowledge_dir=settings.knowledge_dir, index_dir=settings.index_dir)
    return Advisor(config, Embedder(resolve_model(settings.embedding_model)))
