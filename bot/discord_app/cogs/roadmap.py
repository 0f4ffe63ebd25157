"""`/roadmap …`: a member's goal, next steps, step statuses, progress and the whole roadmap.

Personal data is private by default: every reply is ephemeral unless the member passes `share`.
Another member's progress is shown only to the caller (ephemeral, never shareable): seeing where a
peer stands is useful, posting it to a channel is theirs to decide.
"""

from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import InvalidInput
from bot.core.roadmap.errors import NoGoal
from bot.core.roadmap.schemas import STATUS_WORDS
from bot.core.store.models import StepStatus
from bot.discord_app import limits, render
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.views import PrerequisitesView, StepButton, next_steps_text, next_steps_view

SHARE = "Post the answer in the channel instead of only to you"
MAX_SHOW_PAGES = 5


async def step_choices(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Steps by title or id, the member's own open steps first (the core ranks them)."""
    bot = interaction.client
    found = await bot.run_blocking(bot.services.roadmaps.search_steps, str(interaction.user.id), current)
    labels = ((f"{c.title} ({c.id}) · {STATUS_WORDS[c.status]}", c.id) for c in found)
    return [app_commands.Choice(name=n, value=v) for n, v in limits.choices(labels)]


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

    async def _mark(self, interaction: Interaction, step: str, status: StepStatus) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        user = str(interaction.user.id)
        change = await self.bot.run_blocking(self.bot.services.roadmaps.set_status, user, step, status)
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


async def setup(bot: RoadmapBot) -> None:
    # Registered before the gateway connects, so step buttons sent before a restart are routed.
    bot.add_dynamic_items(StepButton)
    await bot.add_cog(Roadmap(bot))


async def teardown(bot: RoadmapBot) -> None:
    bot.remove_dynamic_items(StepButton)
