"""What the community settings return: plain pydantic models every adapter renders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChannelMode(StrEnum):
    """How the bot behaves in one channel."""

    OFF = "off"  # never answers there, not even a mention
    MENTION = "mention"  # answers mentions (the default for every channel)
    AUTO = "auto"  # answers every new forum post, or every question-looking message
    THREADS = "threads"  # like auto, each answer in a new thread from the question


DEFAULT_MODE = ChannelMode.MENTION


class ChannelConfig(_Out):
    guild_id: int
    channel_id: int
    mode: ChannelMode


class GuildConfig(_Out):
    """One server's settings. `moderator_role_id` is the server's own, else the deployment's default
    (`moderator_role_default` says which); channels not listed are in the default mode."""

    guild_id: int
    moderator_role_id: int | None = None
    moderator_role_default: bool = Field(default=False, description="True when the role comes from the settings.")
    helper_role_id: int | None = None
    digest_channel_id: int | None = None
    digest_sent_at: datetime | None = None
    channels: list[ChannelConfig] = Field(default_factory=list)


class ConfigExport(_Out):
    """Every server's settings, for `config export`."""

    default_mode: ChannelMode = DEFAULT_MODE
    default_moderator_role_id: int | None = None
    guilds: list[GuildConfig] = Field(default_factory=list)
