"""`/roadmap …`: a member's goal, next steps, step statuses, progress and the whole roadmap; and what
keeps them going: reminders by DM, today's step, streaks, notes, the progress card, the leaderboard
and study peers.

Personal data is private by default: every reply is ephemeral unless the member passes `share`
(notes are never shared). Another member's progress is shown only to the caller (ephemeral, never
shareable): seeing where a peer stands is useful, posting it to a channel is theirs to decide. The
leaderboard and the peers list show only members who opted in on that server.
"""

from __future__ import annotations

import io
import logging
import zoneinfo
from collections.abc import Callable
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.engagement.schemas import WEEKDAYS, Feature, OptInChange, Peers
from bot.core.errors import InvalidInput
from bot.core.roadmap.errors import NoGoal
from bot.core.roadmap.schemas import STATUS_WORDS
from bot.core.store.models import StepStatus
from bot.discord_app import engagement_render as keep
from bot.discord_app import limits, render
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.views import PrerequisitesView, StepButton, StudyThreadView, next_steps_text, next_steps_view

log = logging.getLogger(__name__)

SHARE = "Post the answer in the channel instead of only to you"
STEP = "The step (type to search by title or id)"
MAX_SHOW_PAGES = 5
CARD_FILE = "roadmap-card.png"
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ZONES: list[str] = []


async def step_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Steps by title or id, the member's own open steps first (the core ranks them)."""
    bot = interaction.client
    found = await bot.run_blocking(bot.services.roadmaps.search_steps, str(interaction.user.id), current)
    labels = ((f"{c.title} ({c.id}) · {STATUS_WORDS[c.status]}", c.id) for c in found)
    return [app_commands.Choice(name=n, value=v) for n, v in limits.choices(labels)]


async def timezone_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """IANA zones containing what was typed (Europe/Paris for "paris")."""
    if not _ZONES:
        _ZONES.extend(sorted(zoneinfo.available_timezones()))
    wanted = current.strip().lower().replace(" ", "_")
    found = (z for z in _ZONES if wanted in z.lower()) if wanted else iter(["UTC", "Europe/London", "America/New_York"])
    return [app_commands.Choice(name=n, value=v) for n, v in limits.choices((z, z) for z in found)]


def community(interaction: Interaction) -> str:
    """The server a community feature belongs to; in a DM there is none."""
    if interaction.guild_id is None:
        raise InvalidInput("The leaderboard and study peers belong to a server: use them there.")
    return str(interaction.guild_id)


async def roadmap_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    wanted = current.lower().strip()
    roadmaps = interaction.client.services.roadmaps.list_roadmaps()
    pairs = ((f"{r.title} ({r.id})", r.id) for r in roadmaps if wanted in r.id or wanted in r.title.lower())
    return [app_commands.Choice(name=n, value=v) for n, v in limits.choices(pairs)]


class Roadmap(commands.GroupCog, group_name="roadmap", group_description="Your learning roadmap"):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot
        super().__init__()

    async def _reply(self, interaction: Interaction, share: bool, work: Callable[[], str]) -> None:
        """Defer (the database may be slow), run `work` in a thread, send its text."""
        await interaction.response.defer(ephemeral=not share, thinking=True)
        text = await self.bot.run_blocking(work)
        await interaction.followup.send(limits.clip(text, limits.CONTENT))

    @app_commands.command(name="goal", description="Choose the roadmap you are following, with an optional target date")
    @app_commands.describe(roadmap="The roadmap to follow", target_date="When you want to finish, as YYYY-MM-DD")
    @app_commands.autocomplete(roadmap=roadmap_choices)
    async def goal(self, interaction: Interaction, roadmap: str, target_date: str | None = None) -> None:
        user = str(interaction.user.id)
        roadmaps = self.bot.services.roadmaps
        await self._reply(
            interaction, False, lambda: render.render_goal_change(roadmaps.set_goal(user, roadmap, target_date))
        )

    @app_commands.command(name="next", description="The steps you can take now, with buttons to start or finish them")
    @app_commands.describe(share=SHARE)
    async def next(self, interaction: Interaction, share: bool = False) -> None:
        await interaction.response.defer(ephemeral=not share, thinking=True)
        services, user = self.bot.services, str(interaction.user.id)
        result = await self.bot.run_blocking(services.roadmaps.next_steps, user)
        text = next_steps_text(services.article_titles(), result)
        view = next_steps_view(interaction.user.id, result)
        if view is None:
            await interaction.followup.send(text)
        else:
            await interaction.followup.send(text, view=view)

    async def _mark(
        self, interaction: Interaction, step: str, status: StepStatus, review_days: int | None = None
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = str(interaction.user.id)
        change = await self.bot.run_blocking(
            self.bot.services.roadmaps.set_status, user, step, status, review_days=review_days
        )
        if change.open_prerequisites:  # start, done and skip alike: the button marks them and the step
            text = limits.clip(render.render_status_change(change), limits.CONTENT)
            view = PrerequisitesView(interaction.user.id, change.step.id, status)
            view.message = await interaction.followup.send(text, view=view, wait=True)
        else:
            await interaction.followup.send(limits.clip(render.render_status_change(change), limits.CONTENT))

    @app_commands.command(name="start", description="Mark a step as in progress")
    @app_commands.describe(step="The step (type to search by title or id)")
    @app_commands.autocomplete(step=step_choices)
    async def start(self, interaction: Interaction, step: str) -> None:
        await self._mark(interaction, step, StepStatus.IN_PROGRESS)

    @app_commands.command(name="done", description="Mark a step as done")
    @app_commands.describe(step="The step (type to search by title or id)")
    @app_commands.autocomplete(step=step_choices)
    async def done(self, interaction: Interaction, step: str) -> None:
        await self._mark(interaction, step, StepStatus.DONE)

    @app_commands.command(name="skip", description="Skip a step you already know")
    @app_commands.describe(step="The step (type to search by title or id)")
    @app_commands.autocomplete(step=step_choices)
    async def skip(self, interaction: Interaction, step: str) -> None:
        await self._mark(interaction, step, StepStatus.SKIPPED)

    @app_commands.command(name="undo", description="Put a step back to 'to do'")
    @app_commands.describe(step="The step (type to search by title or id)")
    @app_commands.autocomplete(step=step_choices)
    async def undo(self, interaction: Interaction, step: str) -> None:
        await self._mark(interaction, step, StepStatus.TODO)

    @app_commands.command(name="review", description="Mark a step done, with a DM to review it after some days")
    @app_commands.describe(step=STEP, days="Days until the review reminder (default 7; then spaced out)")
    @app_commands.autocomplete(step=step_choices)
    async def review(
        self, interaction: Interaction, step: str, days: app_commands.Range[int, 1, 365] | None = None
    ) -> None:
        await self._mark(interaction, step, StepStatus.REVIEW, review_days=days)

    @app_commands.command(name="progress", description="How far you are (or, privately, another member)")
    @app_commands.describe(member="Whose progress (default: yours; another member's is shown only to you)", share=SHARE)
    async def progress(self, interaction: Interaction, member: discord.User | None = None, share: bool = False) -> None:
        target = member or interaction.user
        own = target.id == interaction.user.id
        if target.bot:
            raise InvalidInput("Bots don't follow roadmaps.")
        roadmaps = self.bot.services.roadmaps

        def work() -> str:
            try:
                text = render.render_progress(roadmaps.progress(str(target.id)))
            except NoGoal:
                if own:
                    raise
                return f"{render.escape(target.display_name, 80)} has not chosen a roadmap yet."
            if own:
                return text
            note = " (only you can see this)" + (" — only your own progress can be shared" if share else "")
            return f"**{render.escape(target.display_name, 80)}**{note}\n{text}"

        await self._reply(interaction, share and own, work)

    @app_commands.command(name="show", description="Your whole roadmap, stage by stage, with your statuses")
    @app_commands.describe(share=SHARE)
    async def show(self, interaction: Interaction, share: bool = False) -> None:
        await interaction.response.defer(ephemeral=not share, thinking=True)
        view = await self.bot.run_blocking(self.bot.services.roadmaps.show, str(interaction.user.id))
        pages = render.render_show_pages(view, limits.CONTENT - 100)
        if len(pages) > MAX_SHOW_PAGES:
            left = len(pages) - MAX_SHOW_PAGES + 1
            pages = [
                *pages[: MAX_SHOW_PAGES - 1],
                f"{limits.ELLIPSIS} {left} more pages; `/roadmap next` shows what to do now.",
            ]
        for page in pages:  # follow-ups after the first keep the deferral's visibility via `ephemeral`
            await interaction.followup.send(page, ephemeral=not share)

    # -- keeping going ---------------------------------------------------------------------------

    @app_commands.command(name="today", description="One concrete thing to do now, sized to your target date")
    @app_commands.describe(share=SHARE)
    async def today(self, interaction: Interaction, share: bool = False) -> None:
        engagement, user = self.bot.services.engagement, str(interaction.user.id)
        await self._reply(interaction, share, lambda: keep.today_text(engagement.today(user)))

    @app_commands.command(name="streak", description="Your streak of active days and a 12-week heatmap")
    @app_commands.describe(share=SHARE)
    async def streak(self, interaction: Interaction, share: bool = False) -> None:
        engagement, user = self.bot.services.engagement, str(interaction.user.id)
        await self._reply(interaction, share, lambda: keep.streak_text(engagement.streak(user)))

    @app_commands.command(name="note", description="Your private note on a step: see it, or save text and links")
    @app_commands.describe(step=STEP, text="The note (leave out to see it)", clear="Remove the note")
    @app_commands.autocomplete(step=step_choices)
    async def note(
        self,
        interaction: Interaction,
        step: str,
        text: app_commands.Range[str, 1, 1000] | None = None,
        clear: bool = False,
    ) -> None:
        engagement, user = self.bot.services.engagement, str(interaction.user.id)
        await self._reply(interaction, False, lambda: keep.note_text(engagement.note(user, step, text, clear)))

    @app_commands.command(name="card", description="Your progress as an image: stages, steps, percent and streak")
    @app_commands.describe(share=SHARE)
    async def card(self, interaction: Interaction, share: bool = False) -> None:
        await interaction.response.defer(ephemeral=not share, thinking=True)
        png = await self.bot.run_blocking(self.bot.services.engagement.card, str(interaction.user.id))
        file = discord.File(io.BytesIO(png), filename=CARD_FILE, description="Roadmap progress card")
        await interaction.followup.send(keep.card_caption(share), file=file)

    @app_commands.command(name="remind", description="A DM with your next steps, daily or weekly at your time")
    @app_commands.describe(
        cadence="daily, weekly or off (leave out to see your settings)",
        time="Local time of day, HH:MM (24-hour); default 18:00",
        timezone="Your time zone, e.g. Europe/Paris (type to search)",
        day="For weekly reminders: the day (default: today)",
    )
    @app_commands.autocomplete(timezone=timezone_choices)
    async def remind(
        self,
        interaction: Interaction,
        cadence: Literal["daily", "weekly", "off"] | None = None,
        time: app_commands.Range[str, 1, 10] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        day: Weekday | None = None,
    ) -> None:
        engagement, user = self.bot.services.engagement, str(interaction.user.id)

        def work() -> str:
            if cadence is None:
                if time or timezone or day:
                    raise InvalidInput("Say daily, weekly or off along with the time, time zone or day.")
                return keep.settings_text(engagement.reminder_settings(user))
            weekday = WEEKDAYS.index(day) if day else None
            return keep.settings_text(engagement.set_reminders(user, cadence, time, timezone, weekday))

        await self._reply(interaction, False, work)

    @app_commands.command(name="leaderboard", description="Completed steps (effort-weighted) of members who opted in")
    @app_commands.describe(join="True to appear on this server's leaderboard, False to leave it", share=SHARE)
    async def leaderboard(self, interaction: Interaction, join: bool | None = None, share: bool = False) -> None:
        scope, user = community(interaction), str(interaction.user.id)
        engagement = self.bot.services.engagement

        def work() -> str:
            change = engagement.set_opt_in(user, scope, Feature.LEADERBOARD, join) if join is not None else None
            return keep.leaderboard_text(engagement.leaderboard(scope, user), change)

        await self._reply(interaction, share, work)

    @app_commands.command(name="peers", description="Members of this server working on the same step (opt-in)")
    @app_commands.describe(step="The step (default: the one you are on)", join="True to be listed, False to leave")
    @app_commands.autocomplete(step=step_choices)
    async def peers(self, interaction: Interaction, step: str | None = None, join: bool | None = None) -> None:
        scope, user = community(interaction), str(interaction.user.id)
        engagement = self.bot.services.engagement
        await interaction.response.defer(ephemeral=True, thinking=True)

        def work() -> tuple[Peers, OptInChange | None]:
            change = engagement.set_opt_in(user, scope, Feature.PEERS, join) if join is not None else None
            return engagement.peers(user, scope, step), change

        found, change = await self.bot.run_blocking(work)
        text = keep.peers_text(found, change)
        if found.peers and found.step is not None and isinstance(interaction.channel, discord.TextChannel):
            intro = keep.study_thread_intro(found, interaction.user.id)
            view = StudyThreadView(interaction.user.id, f"Study: {found.step.title}", intro, text)
            view.message = await interaction.followup.send(text, view=view, wait=True)
        else:
            await interaction.followup.send(text)

    @commands.Cog.listener()
    async def on_app_command_completion(self, interaction: Interaction, command: Any) -> None:
        """A member whose reminders went off because a DM failed is told at their next command."""
        try:
            pending = await self.bot.run_blocking(self.bot.services.engagement.take_dm_notice, str(interaction.user.id))
            if pending:
                await interaction.followup.send(keep.DM_NOTICE, ephemeral=True)
        except Exception:
            log.warning("Could not tell user %s their reminders are off", interaction.user.id, exc_info=True)


async def setup(bot: RoadmapBot) -> None:
    # Registered before the gateway connects, so step buttons sent before a restart are routed.
    bot.add_dynamic_items(StepButton)
    await bot.add_cog(Roadmap(bot))


async def teardown(bot: RoadmapBot) -> None:
    bot.remove_dynamic_items(StepButton)
