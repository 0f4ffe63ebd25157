"""Helpers for the community tests: the bot's messages in one channel or thread."""

from __future__ import annotations

from discord_standin import DiscordStandIn, RecordedRequest

LOGGERS = ("discord", "bot")


def bot_messages_in(standin: DiscordStandIn, channel_id: int, *, since: int = 0) -> list[RecordedRequest]:
    """What the bot posted (successfully) in a channel or thread, oldest first."""
    return [
        r
        for r in standin.requests[since:]
        if r.done and r.kind == "channel_message" and r.channel_id == channel_id and r.status == 200
    ]


async def wait_for_bot_message(
    standin: DiscordStandIn, channel_id: int, *, since: int = 0, timeout: float = 10.0
) -> RecordedRequest:
    message = await standin.wait_for_message(channel_id, since=since, timeout=timeout)
    assert message.status == 200, message.response
    return message
