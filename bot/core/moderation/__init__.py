"""Moderators keep the knowledge alive: live reloads, FAQ entries from chat, gaps, feedback, audit.

Adapters reach it as `services.moderation`; the watcher is `bot.core.moderation.watcher.watch_knowledge`.
"""

from bot.core.moderation.facade import Moderation
from bot.core.moderation.models import (
    AuditEntry,
    ClosestDoc,
    Digest,
    FaqChange,
    FeedbackItem,
    GapGroup,
    KbStatus,
    ReloadResult,
    SourceCount,
)

__all__ = [
    "AuditEntry",
    "ClosestDoc",
    "Digest",
    "FaqChange",
    "FeedbackItem",
    "GapGroup",
    "KbStatus",
    "Moderation",
    "ReloadResult",
    "SourceCount",
]
