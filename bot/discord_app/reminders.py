"""The reminder sender: one loop per bot process that DMs members their due reminders.

Due times live in the database, so a restart loses nothing; the first check runs as soon as the bot
is connected, so reminders missed during downtime go out then, once each (the core moves each
routine reminder to its next time after now, never replaying the ones missed). Rows are claimed
before sending, so several bot processes share the work without sending anything twice. Sends are
spaced out rather than fired in a burst, and a member whose DMs are closed (403, 50007) has their
reminders turned off, with a notice at their next command.
"""

from __future__ import annotations

import asyncio
import logging

import discord

from bot.core.engagement.schemas import DueReminder, ReminderMessage
from bot.core.service import Services
from bot.core.store.models import StepStatus
from bot.discord_app.engagement_render import reminder_text
from bot.discord_app.polling import PollingLoop
from bot.discord_app.views import StepButton, fits, next_steps_view, step_custom_id

log = logging.getLogger(__name__)

POLL_SECONDS = 30.0
BATCH = 20
SPACING_SECONDS = 0.5  # between two DMs: a restart's catch-up is a trickle, not a burst
CANNOT_DM = 50007


def reminder_view(owner_id: int, message: ReminderMessage) -> discord.ui.View | None:
    """Start/Done buttons for the next steps, or Done for the step to review (persistent buttons)."""
    if message.next_steps is not None:
        return next_steps_view(owner_id, message.next_steps)
    if message.review is None or not fits(step_custom_id(owner_id, message.review.id, StepStatus.DONE), StepButton):
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(StepButton(owner_id, message.review.id, StepStatus.DONE, message.review.title))
    return view


class ReminderSender(PollingLoop):
    """`start()` runs the loop, `stop()` ends it, `run_once()` checks once (tests drive it directly)."""

    what = "checking reminders"

    def __init__(
        self,
        client: discord.Client,
        services: Services,
        *,
        poll_seconds: float = POLL_SECONDS,
        batch: int = BATCH,
        spacing_seconds: float = SPACING_SECONDS,
    ) -> None:
        super().__init__(client, poll_seconds)
        self.services = services
        self.batch = batch
        self.spacing_seconds = spacing_seconds
        self._lock = asyncio.Lock()

    async def check(self) -> None:
        while await self.run_once() >= self.batch and not self.stopping:
            pass  # a full batch: more may be due (after downtime); keep going, spaced

    async def run_once(self) -> int:
        """Claim what is due and deliver it; returns how many reminders were claimed."""
        async with self._lock:
            engagement = self.services.engagement
            due = await asyncio.to_thread(engagement.claim_due, self.worker, self.batch)
            for n, item in enumerate(due):
                if n and self.spacing_seconds:
                    await asyncio.sleep(self.spacing_seconds)
                await self._deliver(item)
            return len(due)

    async def _deliver(self, due: DueReminder) -> None:
        engagement = self.services.engagement
        if not due.user_id.isdigit():  # a console or command-line user: no one to DM
            await asyncio.to_thread(engagement.undeliverable, due, self.worker)
            return
        try:
            message = await asyncio.to_thread(engagement.message, due)
            if message is not None:
                await self._send(due, message)
        except discord.Forbidden as exc:
            log.info("Cannot DM user %s (%s); turning their reminders off", due.user_id, exc.code or exc.status)
            await asyncio.to_thread(engagement.undeliverable, due, self.worker)
            return
        except discord.NotFound:
            log.info("User %s is unknown to Discord; turning their reminders off", due.user_id)
            await asyncio.to_thread(engagement.undeliverable, due, self.worker)
            return
        except Exception:
            log.warning("Reminder %s for user %s not sent; trying again soon", due.id, due.user_id, exc_info=True)
            await asyncio.to_thread(engagement.retry_later, due, self.worker)
            return
        await asyncio.to_thread(engagement.delivered, due, self.worker)

    async def _send(self, due: DueReminder, message: ReminderMessage) -> None:
        user_id = int(due.user_id)
        user = self.client.get_user(user_id) or await self.client.fetch_user(user_id)
        text = reminder_text(message, self.services.article_titles())
        view = reminder_view(user_id, message)
        if view is None:
            await user.send(text)
        else:
            await user.send(text, view=view)
