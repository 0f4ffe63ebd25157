"""The real RoadmapBot against the loopback Discord stand-in, over real Services on the small fixture index.

The embedding model is the session's (loaded once per run); each test gets its own SQLite file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from discord_standin import DiscordStandIn, RecordedRequest, running_bot
from kb_fixtures import SMALL_DECISION

from bot.core.service import Services
from bot.discord_app.client import RoadmapBot
from bot.settings import Settings
from bot.wiring import make_services

# Loggers whose ERROR records fail a strict test: discord.py's and the bot's own.
LOGGERS = ("discord", "bot")


def settings_for(knowledge: Path, index: Path, tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        knowledge_dir=knowledge,
        index_dir=index,
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
        decision_file=SMALL_DECISION,
        discord_token=None,
        discord_guild_id=None,
    )


@pytest.fixture
def settings(built_small: tuple[Path, Path], tmp_path: Path) -> Settings:
    return settings_for(*built_small, tmp_path)


@pytest.fixture
def private_settings(private_built: tuple[Path, Path], tmp_path: Path) -> Settings:
    """For tests that edit knowledge/: settings over a private copy of the built small index."""
    return settings_for(*private_built, tmp_path)


@pytest.fixture
def services(settings: Settings, embedder: Any) -> Iterator[Services]:
    built = make_services(settings, embedder=embedder)
    yield built
    built.close()


@pytest.fixture
def standin() -> DiscordStandIn:
    return DiscordStandIn()


@pytest.fixture
def make_bot(settings: Settings, services: Services) -> Callable[[DiscordStandIn], RoadmapBot]:
    """Bot factory for `running_bot`: commands synced to the stand-in's guild, as with DISCORD_GUILD_ID."""

    def factory(standin: DiscordStandIn, **kwargs: Any) -> RoadmapBot:
        configured = settings.model_copy(update={"discord_guild_id": standin.guild.id})
        return RoadmapBot(configured, services, **kwargs)

    return factory


RunBot = Callable[..., AbstractAsyncContextManager[tuple[RoadmapBot, DiscordStandIn]]]


@pytest.fixture
def run_bot(make_bot: Callable[..., RoadmapBot], standin: DiscordStandIn) -> RunBot:
    """`async with run_bot(strict=..., **RoadmapBot kwargs) as (bot, standin)`, for tests needing a variant."""

    def start(
        *, strict: bool = True, **bot_kwargs: Any
    ) -> AbstractAsyncContextManager[tuple[RoadmapBot, DiscordStandIn]]:
        return running_bot(lambda s: make_bot(s, **bot_kwargs), standin, strict=strict, capture_loggers=LOGGERS)

    return start


@pytest_asyncio.fixture(loop_scope="function")
async def env(
    make_bot: Callable[[DiscordStandIn], RoadmapBot], standin: DiscordStandIn
) -> AsyncIterator[tuple[RoadmapBot, DiscordStandIn]]:
    async with running_bot(make_bot, standin, capture_loggers=LOGGERS) as running:
        yield running


@pytest.fixture
def button_id() -> Callable[[RecordedRequest, str], str]:
    """custom_id of the button whose label contains a text (finds buttons as a member would, by label)."""

    def find(message: RecordedRequest, label: str) -> str:
        for button in message.buttons:
            if label in (button.get("label") or ""):
                return str(button["custom_id"])
        raise AssertionError(f"no button labelled {label!r}: {[b.get('label') for b in message.buttons]}")

    return find
