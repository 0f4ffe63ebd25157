"""Loopback stand-in for Discord's REST API and gateway, to test the real discord.py bot end to end.

Typical use (tests/ is on sys.path when pytest runs, so import as ``discord_standin``)::

    from discord_standin import running_bot

    async def test_topic(discord_standin):
        async with running_bot(make_bot, discord_standin) as (bot, standin):
            ix = await standin.interact(standin.slash("topic", {"name": "python"}))
            reply = await ix.response()
            assert reply.callback_type == 4 and reply.content == "You picked python"

Community features (forums, tags, context menus, reactions, pings, several guilds)::

    standin = DiscordStandIn(extra_guilds=1)           # standin.guilds: primary + one more
    helper = standin.add_helper()                      # "Helper" role (no perms) + member "hana"
    async with running_bot(make_bot, standin) as (bot, standin):
        post = await standin.create_forum_post("Stuck", "How do I merge?", tags=["Needs human"])
        await standin.post_in_thread(post, "Try pd.merge", user=helper, reply_to=post.message)
        ix = await standin.interact(standin.message_command("Report message", post.message))
        await standin.add_reaction(post.message, "👍", user=helper)
        assert standin.thread_edits(post.thread)[-1].json["applied_tags"] == [str(standin.forum.tag("Solved").id)]
        assert standin.all_pings().users <= {helper.id} and not standin.all_pings().everyone
        other = list(standin.guilds.values())[1]
        await standin.interact(standin.slash("ask", {"question": "hi"}, guild=other))

See ``DiscordStandIn`` (server.py) for presets, routes and emulated Discord rules,
``PayloadBuilders`` (builders.py) for ``slash``/``autocomplete``/``button``/``select``/
``modal_submit``/``user_message``, ``CommunityMixin`` (community.py) for forums, threads, context
menus, reactions, guilds and ``pinged``/``all_pings`` (rules in mentions.py), and
``RecordedRequest``/``InteractionRecord`` (records.py) for reading what the bot sent.
"""

from .builders import PayloadBuilders
from .community import ForumPost
from .errors import StandInError
from .limits import Problem
from .mentions import Pings
from .payloads import (
    EVERYONE_PERMISSIONS,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    INTENT_MESSAGE_CONTENT,
    MODERATOR_PERMISSIONS,
    FakeChannel,
    FakeForumTag,
    FakeGuild,
    FakeRole,
    FakeUser,
    Overwrite,
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
from .server import DiscordStandIn, GatewayConnection

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
    "FakeForumTag",
    "FakeGuild",
    "FakeRole",
    "FakeUser",
    "ForumPost",
    "GatewayConnection",
    "InteractionRecord",
    "NonLoopbackRequestError",
    "Overwrite",
    "PayloadBuilders",
    "Pings",
    "Problem",
    "RecordedRequest",
    "StandInError",
    "UploadedFile",
    "install_loopback_guard",
    "patched_discord",
    "running_bot",
]
