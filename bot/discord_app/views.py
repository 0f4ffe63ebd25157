"""Buttons: answer feedback, marking next steps, confirming prerequisites and erasing one's data.

Buttons on a member's own data answer only that member (`OwnerView.interaction_check`); anyone
else pressing them gets a private refusal. Every press that touches the database defers first.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.core.roadmap import render
from bot.core.roadmap.schemas import NextSteps
from bot.core.store.models import StepStatus
from bot.discord_app import limits
from bot.discord_app.failures import send_failure
from bot.discord_app.wording import discord_wording

if TYPE_CHECKING:
    from bot.discord_app.client import Interaction

log = logging.getLogger(__name__)

# Below Discord's 15-minute interaction-token lifetime, so timed-out buttons can still be removed.
VIEW_TIMEOUT = 600.0
NOT_YOURS = "These buttons belong to the member who asked; run the command yourself to get your own."
PREREQUISITES_HINT = "the button below"
MAX_STEP_ROWS = 5

Editable = discord.Message | discord.WebhookMessage | discord.InteractionMessage


class BaseView(discord.ui.View):
    """Removes its buttons on timeout and reports failures like the command tree does."""

    def __init__(self, *, timeout: float | None = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.message: Editable | None = None

    async def on_timeout(self) -> None:
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=None)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await send_failure(interaction, error)


class OwnerView(BaseView):
    """Only `owner_id` may press; the data behind these buttons is theirs."""

    def __init__(self, owner_id: int, *, timeout: float | None = VIEW_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return False
        return True


class FeedbackView(BaseView):
    """'Was this helpful?' Anyone reading the answer may vote once; each vote is stored with its sources."""

    def __init__(self, question: str, sources: Sequence[str]) -> None:
        super().__init__()
        self.question = question
        self.sources = list(sources)
        self.voters: set[int] = set()

    @discord.ui.button(label="Helpful", emoji="👍", style=discord.ButtonStyle.secondary)
    async def helpful(self, interaction: Interaction, button: discord.ui.Button[FeedbackView]) -> None:
        await self._vote(interaction, True)

    @discord.ui.button(label="Not helpful", emoji="👎", style=discord.ButtonStyle.secondary)
    async def not_helpful(self, interaction: Interaction, button: discord.ui.Button[FeedbackView]) -> None:
        await self._vote(interaction, False)

    async def _vote(self, interaction: Interaction, helpful: bool) -> None:
        if interaction.user.id in self.voters:
            await interaction.response.send_message("You already voted on this answer — thanks!", ephemeral=True)
            return
        self.voters.add(interaction.user.id)  # before any await: a double click must not vote twice
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
            bot = interaction.client
            await bot.run_blocking(
                bot.services.record_feedback, str(interaction.user.id), self.question, self.sources, helpful
            )
        except Exception:
            self.voters.discard(interaction.user.id)  # let them try again
            raise
        thanks = "Thanks — glad it helped!" if helpful else "Thanks — this helps moderators improve the knowledge base."
        await interaction.followup.send(thanks, ephemeral=True)


class StepButton(discord.ui.Button["NextStepsView"]):
    def __init__(self, step_id: str, title: str, status: StepStatus, row: int) -> None:
        verb = "Done" if status is StepStatus.DONE else "Start"
        style = discord.ButtonStyle.success if status is StepStatus.DONE else discord.ButtonStyle.primary
        super().__init__(label=limits.clip(f"{verb}: {title}", limits.BUTTON_LABEL), style=style, row=row)
        self.step_id = step_id
        self.status = status

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        assert self.view is not None
        await self.view.mark(interaction, self.step_id, self.status)


class NextStepsView(OwnerView):
    """Start or finish one of the suggested steps; the message then shows the new next steps."""

    def __init__(self, owner_id: int, result: NextSteps) -> None:
        super().__init__(owner_id)
        for row, step in enumerate(result.steps[:MAX_STEP_ROWS]):
            if step.status is StepStatus.TODO:
                self.add_item(StepButton(step.id, step.title, StepStatus.IN_PROGRESS, row))
            self.add_item(StepButton(step.id, step.title, StepStatus.DONE, row))

    async def mark(self, interaction: Interaction, step_id: str, status: StepStatus) -> None:
        await interaction.response.defer()
        bot, user = interaction.client, str(interaction.user.id)
        change = await bot.run_blocking(bot.services.roadmaps.set_status, user, step_id, status)
        result = await bot.run_blocking(bot.services.roadmaps.next_steps, user)
        before = render.render_status_change(change, "`/roadmap done`")
        text = next_steps_text(bot.services.article_titles(), result, before)
        view = NextStepsView(self.owner_id, result) if result.steps else None
        self.stop()
        message = await interaction.edit_original_response(content=text, view=view)
        if view is not None:
            view.message = message


def next_steps_text(article_titles: dict[str, str], result: NextSteps, before: str = "") -> str:
    """What changed (if anything), then the next steps, within one message."""
    head = discord_wording(before) + "\n\n" if before else ""
    body = render.render_next_steps(result, article_titles, max_chars=limits.CONTENT - len(head) - 10)
    return limits.clip(head + discord_wording(body), limits.CONTENT)


class PrerequisitesView(OwnerView):
    """Offered when a step was marked done while steps it builds on are still open."""

    def __init__(self, owner_id: int, step_id: str) -> None:
        super().__init__(owner_id)
        self.step_id = step_id

    @discord.ui.button(label="Mark prerequisites done too", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: Interaction, button: discord.ui.Button[PrerequisitesView]) -> None:
        await interaction.response.defer()
        bot = interaction.client
        change = await bot.run_blocking(
            bot.services.roadmaps.set_status,
            str(interaction.user.id),
            self.step_id,
            StepStatus.DONE,
            with_prerequisites=True,
        )
        self.stop()
        text = discord_wording(render.render_status_change(change, PREREQUISITES_HINT))
        await interaction.edit_original_response(content=limits.clip(text, limits.CONTENT), view=None)


class ForgetView(OwnerView):
    """Erasing is irreversible, so it takes a second, deliberate press by the member themself."""

    @discord.ui.button(label="Yes, forget everything", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: Interaction, button: discord.ui.Button[ForgetView]) -> None:
        await interaction.response.defer()
        bot = interaction.client
        counts = await bot.run_blocking(bot.services.forget, str(interaction.user.id))
        self.stop()
        log.info("Forgot user %s on request (%d rows)", interaction.user.id, counts.total)
        await interaction.edit_original_response(content=render.render_forget(counts), view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: Interaction, button: discord.ui.Button[ForgetView]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Nothing was deleted.", view=None)
