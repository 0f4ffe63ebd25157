"""Buttons: answer feedback, marking next steps, confirming prerequisites and erasing one's data.

Vote and step buttons stay under messages for days, so they are persistent (`DynamicItem`): their
custom_id carries everything a press needs, they have no timeout and they work after a restart.
The confirmations (prerequisites, forget) are short-lived views that remove themselves on timeout.

Buttons on a member's own data answer only that member; anyone else pressing them gets a private
refusal. Every press that touches the database defers first.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any, Self

import discord
from discord.ext.commands import Bot

from bot.core.roadmap.schemas import NextSteps
from bot.core.store import VoteResult
from bot.core.store.models import StepStatus
from bot.discord_app import limits, render
from bot.discord_app.context import bot_of
from bot.discord_app.failures import send_failure

log = logging.getLogger(__name__)

# Below Discord's 15-minute interaction-token lifetime, so timed-out buttons can still be removed.
VIEW_TIMEOUT = 600.0
NOT_YOURS = "These buttons belong to the member who asked; run the command yourself to get your own."
MAX_STEP_ROWS = 5
ALREADY_VOTED = "You already voted on this answer — thanks!"
TOO_OLD = "Thanks for wanting to help, but this answer is too old to rate. Ask again to rate a fresh answer."

# Persistent buttons: every press is routed by custom_id alone (discord.py DynamicItem), so these
# templates are a contract with messages already sent. Change them only by adding new ones.
VOTE_TEMPLATE = r"rb:vote:(?P<vote>[01]):(?P<question_id>[0-9]{1,19})"
STEP_TEMPLATE = r"rb:step:(?P<action>start|done):(?P<owner>[0-9]{1,20}):(?P<step>[a-z0-9-]+)"

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


def fits(custom_id: str, item: type[discord.ui.DynamicItem[Any]]) -> bool:
    """Whether `custom_id` is one Discord accepts and `item`'s template will parse back."""
    return len(custom_id) <= limits.CUSTOM_ID and item.__discord_ui_compiled_template__.fullmatch(custom_id) is not None


def vote_custom_id(question_id: int, helpful: bool) -> str:
    return f"rb:vote:{int(helpful)}:{question_id}"


class VoteButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=VOTE_TEMPLATE):
    """👍 or 👎 under an answer. The custom_id names the logged question, so a press needs no memory of the
    answer and works after a restart; the vote is stored with that question and the sources it cited.
    """

    def __init__(self, question_id: int, helpful: bool) -> None:
        label, emoji = ("Helpful", "👍") if helpful else ("Not helpful", "👎")
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=label,
            emoji=emoji,
            style=discord.ButtonStyle.secondary,
            custom_id=vote_custom_id(question_id, helpful),
        )
        super().__init__(button)
        self.question_id = question_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["question_id"]), match["vote"] == "1")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.vote(interaction)
        except Exception as exc:  # discord.py would only log it; the member deserves an answer
            await send_failure(interaction, exc)

    async def vote(self, interaction: discord.Interaction[Any]) -> None:
        bot = bot_of(interaction)
        key = (self.question_id, interaction.user.id)
        if key in bot.recent_votes:
            await interaction.response.send_message(ALREADY_VOTED, ephemeral=True)
            return
        bot.recent_votes.add(key)  # before any await: a double click must not vote twice
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
            result = await bot.run_blocking(bot.services.vote, self.question_id, str(interaction.user.id), self.helpful)
        except Exception:
            bot.recent_votes.discard(key)  # let them try again
            raise
        if result is VoteResult.TOO_OLD:
            bot.recent_votes.discard(key)
        await interaction.followup.send(vote_reply(result, self.helpful), ephemeral=True)
        if result is VoteResult.RECORDED:
            # In a forum post the bot answers by itself, the poster's vote also tags it (or hands it over).
            community = interaction.client.get_cog("Community") if isinstance(interaction.client, Bot) else None
            after_vote = getattr(community, "after_vote", None)
            if after_vote is not None:
                await after_vote(interaction, self.helpful)


def vote_reply(result: VoteResult, helpful: bool) -> str:
    if result is VoteResult.ALREADY_VOTED:
        return ALREADY_VOTED
    if result is VoteResult.TOO_OLD:
        return TOO_OLD
    return "Thanks — glad it helped!" if helpful else "Thanks — this helps moderators improve the knowledge base."


class FeedbackView(discord.ui.View):
    """'Was this helpful?' Anyone reading the answer may vote once. No timeout: the buttons stay usable."""

    def __init__(self, question_id: int) -> None:
        super().__init__(timeout=None)
        self.add_item(VoteButton(question_id, True))
        self.add_item(VoteButton(question_id, False))


STEP_ACTIONS = {"start": StepStatus.IN_PROGRESS, "done": StepStatus.DONE}


def step_custom_id(owner_id: int, step_id: str, status: StepStatus) -> str:
    action = "done" if status is StepStatus.DONE else "start"
    return f"rb:step:{action}:{owner_id}:{step_id}"


class StepButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=STEP_TEMPLATE):
    """Start or Done on one suggested step. The custom_id names the owner and the step, so only the owner
    may press it, and it works after a restart.
    """

    def __init__(
        self, owner_id: int, step_id: str, status: StepStatus, title: str | None = None, row: int | None = None
    ) -> None:
        verb = "Done" if status is StepStatus.DONE else "Start"
        style = discord.ButtonStyle.success if status is StepStatus.DONE else discord.ButtonStyle.primary
        label = limits.clip(f"{verb}: {title}", limits.BUTTON_LABEL) if title else verb
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=label, style=style, custom_id=step_custom_id(owner_id, step_id, status)
        )
        super().__init__(button, row=row)
        self.owner_id = owner_id
        self.step_id = step_id
        self.status = status

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["owner"]), match["step"], STEP_ACTIONS[match["action"]])

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return False
        return True

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            await self.mark(interaction)
        except Exception as exc:  # discord.py would only log it; the member deserves an answer
            await send_failure(interaction, exc)

    async def mark(self, interaction: discord.Interaction[Any]) -> None:
        """Set the status, then show what changed and the new next steps in the same message."""
        await interaction.response.defer()
        bot, user = bot_of(interaction), str(self.owner_id)
        change = await bot.run_blocking(bot.services.roadmaps.set_status, user, self.step_id, self.status)
        result = await bot.run_blocking(bot.services.roadmaps.next_steps, user)
        before = render.render_status_change(change, prerequisites_hint=None)
        text = next_steps_text(bot.services.article_titles(), result, before)
        await interaction.edit_original_response(content=text, view=next_steps_view(self.owner_id, result))


class NextStepsView(discord.ui.View):
    """Start or finish one of the suggested steps; the message then shows the new next steps.

    No timeout: the buttons carry everything a press needs. A step whose custom_id would not fit
    gets no button (`/roadmap start|done` still reach it) rather than one that dies on restart.
    """

    def __init__(self, owner_id: int, result: NextSteps) -> None:
        super().__init__(timeout=None)
        for row, step in enumerate(result.steps[:MAX_STEP_ROWS]):
            statuses = (
                (StepStatus.IN_PROGRESS, StepStatus.DONE) if step.status is StepStatus.TODO else (StepStatus.DONE,)
            )
            for status in statuses:
                if fits(step_custom_id(owner_id, step.id, status), StepButton):
                    self.add_item(StepButton(owner_id, step.id, status, step.title, row))
                else:
                    log.warning("No %s button for step %r: its custom_id would not fit", status, step.id)


def next_steps_view(owner_id: int, result: NextSteps) -> NextStepsView | None:
    """The buttons for `result`, or None when there is nothing to press."""
    view = NextStepsView(owner_id, result)
    return view if view.children else None


def next_steps_text(article_titles: dict[str, str], result: NextSteps, before: str = "") -> str:
    """What changed (if anything), then the next steps, within one message."""
    head = before + "\n\n" if before else ""
    body = render.render_next_steps(result, article_titles, max_chars=limits.CONTENT - len(head) - 10)
    return limits.clip(head + body, limits.CONTENT)


class PrerequisitesView(OwnerView):
    """Offered when a step was marked (started, done or skipped) while steps it builds on are still open:
    one press marks those done and the step as asked."""

    def __init__(self, owner_id: int, step_id: str, status: StepStatus) -> None:
        super().__init__(owner_id)
        self.step_id = step_id
        self.status = status

    @discord.ui.button(label="Mark prerequisites done too", style=discord.ButtonStyle.success)
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[PrerequisitesView]
    ) -> None:
        await interaction.response.defer()
        bot = bot_of(interaction)
        change = await bot.run_blocking(
            bot.services.roadmaps.set_status,
            str(interaction.user.id),
            self.step_id,
            self.status,
            with_prerequisites=True,
        )
        self.stop()
        text = render.render_status_change(change, prerequisites_hint=None)
        await interaction.edit_original_response(content=limits.clip(text, limits.CONTENT), view=None)


class StudyThreadView(OwnerView):
    """Under a peers list: one press opens a public thread for the step in this channel and posts who
    is working on it (listed, never pinged)."""

    def __init__(self, owner_id: int, name: str, intro: str, text: str) -> None:
        super().__init__(owner_id)
        self.name = limits.clip(limits.one_line(name), limits.THREAD_NAME)
        self.intro = intro
        self.text = text  # the message the button sits under, to append the thread to

    @discord.ui.button(label="Open a study thread", style=discord.ButtonStyle.primary)
    async def open_thread(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[StudyThreadView]
    ) -> None:
        channel = interaction.channel
        if not isinstance(channel, discord.TextChannel):
            await interaction.response.send_message("Study threads open in a server's text channel.", ephemeral=True)
            return
        await interaction.response.defer()
        thread = await channel.create_thread(
            name=self.name, type=discord.ChannelType.public_thread, auto_archive_duration=1440
        )
        await thread.send(self.intro)
        self.stop()
        text = limits.clip(f"{self.text}\nOpened {thread.mention}.", limits.CONTENT)
        await interaction.edit_original_response(content=text, view=None)


class ForgetView(OwnerView):
    """Erasing is irreversible, so it takes a second, deliberate press by the member themself."""

    @discord.ui.button(label="Yes, forget everything", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction[Any], button: discord.ui.Button[ForgetView]) -> None:
        await interaction.response.defer()
        bot = bot_of(interaction)
        report = await bot.run_blocking(bot.services.forget, str(interaction.user.id))
        self.stop()
        log.info("Forgot user %s on request (%d rows and files)", interaction.user.id, report.total)
        await interaction.edit_original_response(content=render.render_forget(report), view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction[Any], button: discord.ui.Button[ForgetView]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Nothing was deleted.", view=None)
