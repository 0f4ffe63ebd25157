"""Answering where the community asks: new posts in `auto` forums, the poster's follow-ups, handing a
question to the server's helpers when the bot cannot help, and marking a post solved.

Forum threads carry the state: the poster is the thread's owner, Solved / Needs human are the forum's
own tags, and a vote or a 👍 on the bot's answer in such a thread is read against them. Nothing the
bot sends pings anyone except the handoff, which pings the helper role alone.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Self

import discord
from discord.ext import commands

from bot.core.answers import Answer
from bot.core.community import ChannelMode
from bot.core.community.questions import long_enough
from bot.discord_app import limits
from bot.discord_app.client import RoadmapBot
from bot.discord_app.cogs.community._digest import DigestPoster
from bot.discord_app.cogs.community._render import (
    AUTO_LABEL,
    HANDOFF,
    HANDOFF_NOT_HELPFUL,
    NOT_THE_POSTER,
    SOLVED,
    handoff_mentions,
    handoff_text,
)
from bot.discord_app.embeds import answer_embed
from bot.discord_app.failures import send_failure
from bot.discord_app.views import VoteButton

log = logging.getLogger(__name__)

SOLVED_TAG = "solved"
NEEDS_HUMAN_TAG = "needs human"
ANSWERING = (ChannelMode.AUTO, ChannelMode.THREADS)
HISTORY = 25
SOLVED_TEMPLATE = r"rb:solved:(?P<owner>[0-9]{1,20})"
THUMBS_UP = "👍"
MAX_TAGS = 5  # Discord's limit of tags on one post


def tag_named(forum: discord.ForumChannel, name: str) -> discord.ForumTag | None:
    return next((t for t in forum.available_tags if t.name.strip().casefold() == name), None)


def has_tag(thread: discord.Thread, *names: str) -> bool:
    return any(t.name.strip().casefold() in names for t in thread.applied_tags)


def post_question(title: str, body: str) -> str:
    """A forum post asks with its title and its body (the body is blank without the content intent)."""
    title, body = limits.one_line(title), limits.one_line(body)
    if not body or body.casefold().startswith(title.casefold()):
        return body or title
    return f"{title}. {body}" if title[-1:] not in ".?!" else f"{title} {body}"


class SolvedButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=SOLVED_TEMPLATE):
    """ "Solved" under an automatic answer: only the poster may press it; it applies the forum's Solved tag.
    The custom_id names the poster, so the button works after a restart."""

    def __init__(self, owner_id: int) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label="Solved", emoji="✅", style=discord.ButtonStyle.success, custom_id=f"rb:solved:{owner_id}"
        )
        super().__init__(button)
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        try:
            if interaction.user.id != self.owner_id:
                await interaction.response.send_message(NOT_THE_POSTER, ephemeral=True)
                return
            await interaction.response.defer(ephemeral=True, thinking=True)
            cog = interaction.client.get_cog("Community")
            if isinstance(cog, Community) and isinstance(interaction.channel, discord.Thread):
                await cog.mark_solved(interaction.channel)
            await interaction.followup.send(SOLVED, ephemeral=True)
        except Exception as exc:  # discord.py would only log it; the member deserves an answer
            await send_failure(interaction, exc)


class AutoAnswerView(discord.ui.View):
    """Under an automatic answer: the vote buttons (when the answer was logged) and the poster's Solved."""

    def __init__(self, question_id: int | None, owner_id: int) -> None:
        super().__init__(timeout=None)
        if question_id is not None:
            self.add_item(VoteButton(question_id, True))
            self.add_item(VoteButton(question_id, False))
        self.add_item(SolvedButton(owner_id))


class Community(commands.Cog):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot
        self._handed_off: set[int] = set()
        self.digest = DigestPoster(bot, bot, weekday=bot.settings.digest_weekday, hour=bot.settings.digest_hour)

    async def cog_load(self) -> None:
        if self.bot.load_index:  # a running bot, not the `sync` command
            self.digest.start()

    async def cog_unload(self) -> None:
        await self.digest.stop()

    # -- which threads are ours ------------------------------------------------------------------
    async def forum_mode(self, thread: discord.Thread) -> ChannelMode | None:
        """The mode of the forum a thread is a post of; None for threads elsewhere."""
        parent = thread.parent
        if not isinstance(parent, discord.ForumChannel):
            return None
        return await self.bot.channel_modes.get(thread.guild.id, parent.id)

    async def answering_in(self, thread: discord.Thread) -> bool:
        return await self.forum_mode(thread) in ANSWERING

    # -- new posts ---------------------------------------------------------------------------------
    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        try:
            await self.answer_post(thread)
        except Exception:
            log.exception("Answering forum post %s failed", thread.id)

    async def answer_post(self, thread: discord.Thread) -> None:
        """Skip what should not be answered (too short, from a bot, tagged, a helper already there),
        then answer the post's title and body, within the rate limits."""
        if not await self.answering_in(thread) or has_tag(thread, SOLVED_TAG, NEEDS_HUMAN_TAG):
            return
        starter = await self.starter(thread)
        if starter is None or starter.author.bot:
            return
        question = post_question(thread.name, starter.content)
        if not long_enough(question) or await self.helper_replied(thread, starter.author.id):
            return
        if not self.bot.auto_limits.allow(thread.id, starter.author.id):
            log.info("Not answering post %s: rate limit", thread.id)
            return
        async with thread.typing():
            answer = await asyncio.wrap_future(self.bot.services.submit(question))
            answer, question_id = await self.bot.run_blocking(
                self.bot.services.finish_answer, answer, str(starter.author.id), guild_id=thread.guild.id
            )
        await self.send_answer(thread, answer, question_id, starter.author.id)

    async def starter(self, thread: discord.Thread) -> discord.Message | None:
        """The post's first message (its id is the thread's); Discord may create the thread a moment before it."""
        if thread.starter_message is not None:
            return thread.starter_message
        for attempt in range(2):
            try:
                return await thread.fetch_message(thread.id)
            except discord.NotFound:
                if attempt == 0:
                    await asyncio.sleep(1.0)
        return None

    async def helper_replied(self, thread: discord.Thread, poster_id: int) -> bool:
        """Someone other than the poster (and not a bot) already wrote in the thread."""
        async for message in thread.history(limit=HISTORY):
            if message.id != thread.id and not message.author.bot and message.author.id != poster_id:
                return True
        return False

    async def send_answer(
        self,
        thread: discord.Thread,
        answer: Answer,
        question_id: int | None,
        owner_id: int,
        reply_to: discord.Message | None = None,
    ) -> None:
        """The answer, labelled automatic, with its sources, votes and Solved; a decline hands over."""
        if answer.abstained:
            await self.handoff(thread, HANDOFF, embed=answer_embed(answer))
            return
        extra: dict[str, Any] = {"reference": reply_to} if reply_to is not None else {}
        view = AutoAnswerView(question_id, owner_id)
        await thread.send(AUTO_LABEL, embed=answer_embed(answer), view=view, **extra)

    # -- follow-ups ----------------------------------------------------------------------------------
    async def follow_up(self, message: discord.Message, thread: discord.Thread, question: str) -> None:
        """The poster asks more in their post: answered with the post's question taken into account."""
        if has_tag(thread, SOLVED_TAG, NEEDS_HUMAN_TAG) or not question:
            return
        if not self.bot.auto_limits.allow(thread.id, message.author.id):
            log.info("Not answering a follow-up in %s: rate limit", thread.id)
            return
        earlier = await self.earlier_question(thread)
        async with thread.typing():
            answer = await asyncio.wrap_future(self.bot.services.submit_follow_up(question, earlier))
            answer, question_id = await self.bot.run_blocking(
                self.bot.services.finish_answer, answer, str(message.author.id), guild_id=thread.guild.id
            )
        await self.send_answer(thread, answer, question_id, message.author.id, reply_to=message)

    async def earlier_question(self, thread: discord.Thread) -> str:
        starter = await self.starter(thread)
        return post_question(thread.name, starter.content if starter else "")

    def is_follow_up(self, message: discord.Message, thread: discord.Thread) -> bool:
        """The poster replying to the bot, or mentioning it, in their own post."""
        me = self.bot.user
        if me is None or message.author.id != thread.owner_id:
            return False
        replied = message.reference.resolved if message.reference is not None else None
        to_bot = isinstance(replied, discord.Message) and replied.author.id == me.id
        return to_bot or any(user.id == me.id for user in message.mentions)

    # -- handoff and solved -------------------------------------------------------------------------
    async def handoff(self, thread: discord.Thread, reason: str, *, embed: discord.Embed | None = None) -> None:
        """Say a human will look, tag the post Needs human, and ping the server's helper role (only it)."""
        self._remember(thread.id)
        config = await self.bot.run_blocking(self.bot.services.community.guild, thread.guild.id)
        helper = config.helper_role_id
        extra: dict[str, Any] = {"embed": embed} if embed is not None else {}
        await thread.send(handoff_text(reason, helper), allowed_mentions=handoff_mentions(helper), **extra)
        await self.set_tags(thread, add=NEEDS_HUMAN_TAG)

    async def mark_solved(self, thread: discord.Thread) -> None:
        await self.set_tags(thread, add=SOLVED_TAG, remove=NEEDS_HUMAN_TAG)

    async def set_tags(self, thread: discord.Thread, *, add: str, remove: str | None = None) -> bool:
        """Apply the forum's tag named `add` (and take `remove` off); False when the forum has no such
        tag or the bot may not edit the post (Manage Threads)."""
        forum = thread.parent
        if not isinstance(forum, discord.ForumChannel):
            return False
        tag = tag_named(forum, add)
        if tag is None:
            return False
        applied = list(thread.applied_tags)
        kept = [t for t in applied if t.id != tag.id and (remove is None or t.name.strip().casefold() != remove)]
        wanted = [*kept[: MAX_TAGS - 1], tag]
        if {t.id for t in wanted} == {t.id for t in applied}:
            return True
        try:
            await thread.edit(applied_tags=wanted, reason=f"roadmap-bot: {add}")
        except discord.HTTPException as exc:
            log.warning("Could not tag post %s as %r (%s); grant Manage Threads", thread.id, add, exc)
            return False
        return True

    async def after_vote(self, interaction: discord.Interaction[Any], helpful: bool) -> None:
        """The poster's vote on an automatic answer: helpful marks the post solved, not helpful hands over."""
        thread = interaction.channel
        if not isinstance(thread, discord.Thread) or interaction.user.id != thread.owner_id:
            return
        if not await self.answering_in(thread):
            return
        if helpful:
            await self.mark_solved(thread)
        elif thread.id not in self._handed_off and not has_tag(thread, NEEDS_HUMAN_TAG):
            await self.handoff(thread, HANDOFF_NOT_HELPFUL)

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        """The poster's 👍 on the bot's answer marks the post solved."""
        me = self.bot.user
        if me is None or payload.guild_id is None or str(payload.emoji) != THUMBS_UP:
            return
        if payload.message_author_id is not None and payload.message_author_id != me.id:
            return
        thread = self.bot.get_channel(payload.channel_id)
        if not isinstance(thread, discord.Thread) or payload.user_id != thread.owner_id:
            return
        try:
            if await self.answering_in(thread):
                await self.mark_solved(thread)
        except Exception:
            log.exception("Marking post %s solved failed", thread.id)

    def _remember(self, thread_id: int) -> None:
        if len(self._handed_off) > 10_000:
            self._handed_off.clear()
        self._handed_off.add(thread_id)
