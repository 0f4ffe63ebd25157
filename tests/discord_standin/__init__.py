"""Loopback stand-in for Discord's REST API and gateway, to test the real discord.py bot end to end.

Typical use (tests/ is on sys.path when pytest runs, so import as ``discord_standin``)::

    from discord_standin import running_bot

    async def test_topic(discord_standin):
        async with running_bot(make_bot, discord_standin) as (bot, standin):
            ix = await standin.interact(standin.slash("topic", {"name": "python"}))
            reply = await ix.response()
            assert reply.callback_type == 4 and reply.content == "You picked python"

See ``DiscordStandIn`` (server.py) for routes and emulated Discord rules, ``PayloadBuilders``
(builders.py) for ``slash``/``autocomplete``/``button``/``select``/``modal_submit``/``user_message``,
``RecordedRequest``/``InteractionRecord`` (records.py) for reading what the bot sent.
"""

from .builders import PayloadBuilders
from .limits import Problem
from .payloads import (
    EVERYONE_PERMISSIONS,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    INTENT_MESSAGE_CONTENT,
    MODERATOR_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeRole,
    FakeUser,
)
from .records import (
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    UPDATE_MESSAGE,
    InteractionRecord,
    RecordedRequest,
    UploadedFile,
)
from .runner import NonLoopbackRequestError, install_loopback_guard, patched_discord, running_bot
from .server import DiscordStandIn, GatewayConnection, StandInError

__all__ = [
    "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT",
    "CHANNEL_MESSAGE_WITH_SOURCE",
    "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
    "DEFERRED_UPDATE_MESSAGE",
    "EVERYONE_PERMISSIONS",
    "FLAG_EPHEMERAL",
    "FLAG_LOADING",
    "INTENT_MESSAGE_CONTENT",
    "MODAL",
    "MODERATOR_PERMISSIONS",
    "UPDATE_MESSAGE",
    "DiscordStandIn",
    "FakeChannel",
    "FakeGuild",
    "FakeRole",
    "FakeUser",
    "GatewayConnection",
    "InteractionRecord",
    "NonLoopbackRequestError",
    "PayloadBuilders",
    "Problem",
    "RecordedRequest",
    "StandInError",
    "UploadedFile",
    "install_loopback_guard",
    "patched_discord",
    "running_bot",
]
