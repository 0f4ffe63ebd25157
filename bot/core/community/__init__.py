"""Where the community asks: per-server and per-channel settings, reading community messages
(question-looking, follow-ups, rate limits) and the moderators' digest.

Adapters reach the settings as `services.community`; the digest is `services.moderation.digest` (a `Digest`
from bot.core.moderation).
"""

from bot.core.community.config import UNCHANGED, CommunityConfig, ConfigInvalid
from bot.core.community.models import (
    DEFAULT_MODE,
    ChannelConfig,
    ChannelMode,
    ConfigExport,
    GuildConfig,
)

__all__ = [
    "DEFAULT_MODE",
    "UNCHANGED",
    "ChannelConfig",
    "ChannelMode",
    "CommunityConfig",
    "ConfigExport",
    "ConfigInvalid",
    "GuildConfig",
]
