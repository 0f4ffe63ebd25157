"""Pytest fixtures for the Discord stand-in.

Enable with ``pytest_plugins = ["discord_standin.pytest_plugin"]`` in a test module (or the root
``tests/conftest.py``). The fixture is synchronous and returns a *not yet started* stand-in, so
it works whatever event-loop scope the test runs in; the test starts it with ``running_bot``::

    async def test_ask(discord_standin):
        async with running_bot(make_bot, discord_standin) as (bot, standin):
            ...

A project fixture that yields a running bot must run in the test's loop; with this project's
``asyncio_default_fixture_loop_scope = "session"`` declare it with
``@pytest_asyncio.fixture(loop_scope="function")`` (tests run in a function-scoped loop).
"""

from __future__ import annotations

import pytest

from .server import DiscordStandIn


@pytest.fixture
def discord_standin() -> DiscordStandIn:
    """A fresh, unstarted :class:`DiscordStandIn` (start it via ``running_bot``)."""
    return DiscordStandIn()
