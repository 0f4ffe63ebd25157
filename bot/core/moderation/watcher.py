"""Reload automatically when files under knowledge/ change (setting WATCH_KNOWLEDGE).

Editors and `git pull` touch several files in a burst, so changes are debounced and one reload covers
the burst; the reload runs in a thread so the event loop (Discord's heartbeat) never blocks on it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import Change, awatch

from bot.core.moderation.facade import Moderation
from bot.core.moderation.models import ReloadResult

log = logging.getLogger(__name__)

WATCH_ACTOR = "watcher"
OnReload = Callable[[ReloadResult], Awaitable[None]]


def knowledge_filter(root: Path) -> Callable[[Change, str], bool]:
    """Skip what the loader skips (hidden, `_`/`#`-prefixed, `~` backups): temp files of editors and of add_faq."""

    def accept(_change: Change, path: str) -> bool:
        try:
            parts = Path(path).relative_to(root).parts
        except ValueError:
            return False
        return bool(parts) and not any(p.startswith((".", "_", "#")) or p.endswith("~") for p in parts)

    return accept


async def watch_knowledge(
    moderation: Moderation,
    stop_event: asyncio.Event,
    *,
    debounce_ms: int = 1600,
    step_ms: int = 300,
    on_reload: OnReload | None = None,
    force_polling: bool | None = None,
) -> None:
    """Until `stop_event` is set: after each burst of changes, reload if the folder differs from the index.

    `step_ms` is the quiet time that ends a burst, `debounce_ms` the longest a burst is collected.
    `on_reload` receives every result (e.g. to tell moderators that their edit failed validation).
    """
    root = moderation.knowledge_dir.resolve()
    log.info("Watching %s for knowledge changes", root)
    async for changes in awatch(
        root,
        watch_filter=knowledge_filter(root),
        debounce=debounce_ms,
        step=step_ms,
        stop_event=stop_event,
        force_polling=force_polling,
    ):
        log.debug("Knowledge changed: %s", sorted(path for _, path in changes))
        try:
            result = await asyncio.to_thread(moderation.reload_if_changed, WATCH_ACTOR)
        except Exception:  # keep watching: the next edit may fix whatever broke
            log.exception("Automatic reload failed")
            continue
        if result is None:
            continue
        if not result.ok:
            log.warning("Knowledge changed but does not validate:\n%s", "\n".join(result.problems))
        if on_reload is not None:
            await on_reload(result)
    log.info("Stopped watching %s", root)
