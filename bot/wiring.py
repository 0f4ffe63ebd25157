"""The one way every adapter builds the core from Settings, and closes it (the batch thread, the
database engine): the console, the command line, the Discord bot, the scripts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.embedding import Embedder, resolve_model
from bot.core.service import Services
from bot.core.store import open_store
from bot.settings import Settings


def make_advisor(settings: Settings, embedder: Embedder | None = None) -> Advisor:
    """The model loads on first use, with the serving threads set first (builds use every core unless
    BUILD_THREADS says otherwise); nothing heavy happens here."""
    config = AdvisorConfig(
        knowledge_dir=settings.knowledge_dir, index_dir=settings.index_dir, decision_file=settings.decision_file
    )
    embedder = embedder or Embedder(
        resolve_model(settings.embedding_model),
        threads=settings.serving_threads,
        build_threads=settings.index_build_threads,
    )
    return Advisor(config, embedder)


def make_services(settings: Settings, embedder: Embedder | None = None) -> Services:
    return Services(
        make_advisor(settings, embedder),
        open_store(settings.database_url),
        question_retention_days=settings.question_retention_days,
        default_timezone=settings.default_timezone,
        default_moderator_role=settings.moderator_role_id,
    )


@contextmanager
def open_services(settings: Settings, embedder: Embedder | None = None) -> Iterator[Services]:
    """Services for the length of a command or a session; always closed, whatever happens."""
    services = make_services(settings, embedder)
    try:
        yield services
    finally:
        services.close()
