"""Questions: `/ask`, a mention of the bot, a DM, or a message in a channel that answers by itself,
all answered with the same cited embed.

Each server channel has a mode (`/config channel`): `off` ignores everything there, `mention` (the
default) answers mentions, `auto` also answers every question-looking message and `threads` does so
in a new thread. Mentions and DMs reach the bot with their text even without the privileged
message_content intent; other guild messages arrive blank, so `auto`/`threads` in text channels need
that intent. A mention in a text channel is answered in a thread started from the question, so a
conversation does not flood the channel. In forum posts, the poster's follow-ups go to the community
cog, which answers them with the post's question in mind.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.answers import Answer
from bot.core.community import ChannelMode
from bot.core.community.questions import looks_like_question
from bot.discord_app import limits
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.cogs.community._forum import Community
from bot.discord_app.cogs.community._render import AUTO_LABEL
from bot.discord_app.embeds import answer_embed
from bot.discord_app.failures import describe
from bot.discord_app.views import FeedbackView, VoteButton

log = logging.getLogger(__name__)

AUTO_MODES = (ChannelMode.AUTO, ChannelMode.THREADS)
ANSWERABLE = (discord.MessageType.default, discord.MessageType.reply)
EMPTY_MENTION = "Ask me a question after the mention — for example “where do I start?” — or try `/help`."


def feedback_view(answer: Answer, question_id: int | None) -> FeedbackView | None:
    """Votes only make sense on a real answer (an abstention has no sources to judge) that was logged:
    the buttons carry only the logged question's id.
    """
    if answer.abstained or not answer.citations or question_id is None:
        return None
    return FeedbackView(question_id)


def strip_mention(content: str, bot_id: int) -> str:
    return limits.one_line(re.sub(rf"<@!?{bot_id}>", " ", content))


class Ask(commands.Cog):
    def __init__(self, bot: RoadmapBot) -> None:
        self.bot = bot

    async def answer(self, question: str, user_id: int, guild_id: int | None = None) -> tuple[Answer, int | None]:
        """The answer (placed on the member's roadmap) and its logged question's id, which the vote
        buttons carry.

        The question joins the advisor's next micro-batch without holding a worker thread while it
        waits, so questions arriving together are encoded together; only the database work takes one.
        """
        services = self.bot.services
        answer = await asyncio.wrap_future(services.submit(question))
        return await self.bot.run_blocking(services.finish_answer, answer, str(user_id), guild_id=guild_id)

    @app_commands.command(name="ask", description="Ask a question; the answer quotes and cites the knowledge base")
    @app_commands.describe(question="Your question, in your own words", private="Show the answer only to you")
    async def ask(
        self, interaction: Interaction, question: app_commands.Range[str, 1, 1000], private: bool = False
    ) -> None:
        self.bot.question_cooldowns.check(interaction.user.id)
        await interaction.response.defer(ephemeral=private, thinking=True)
        answer, question_id = await self.answer(question, interaction.user.id, interaction.guild_id)
        extra: dict[str, Any] = {}
        view = feedback_view(answer, question_id)
        if view is not None:
            extra["view"] = view
        await interaction.followup.send(embed=answer_embed(answer), **extra)

    # -- mentions, DMs and channels that answer by themselves ------------------------------------
    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot (a DM or a mention), or None when it is not for the bot."""
        me = self.bot.user
        if (
            me is None
            or message.author.bot
            or message.type not in (discord.MessageType.default, discord.MessageType.reply)
        ):
            return None
        if message.guild is None:
            return strip_mention(message.content, me.id) if isinstance(message.channel, discord.DMChannel) else None
        if any(user.id == me.id for user in message.mentions):
            return strip_mention(message.content, me.id)
        return None

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        try:
            await self.route(message)
        except Exception as exc:
            text, unexpected = describe(exc)
            if unexpected:
                log.error("Answering a message from user %s failed", message.author.id, exc_info=exc)
            try:
                await message.reply(text)
            except discord.HTTPException:
                log.warning("Could not tell user %s about a failure", message.author.id)

    async def route(self, message: discord.Message) -> None:
        """DMs and mentions as always; in a server, what the channel's mode says."""
        me = self.bot.user
        if me is None or message.author.bot or message.type not in ANSWERABLE:
            return
        if message.guild is None:
            question = self.question_in(message)
            if question is not None:
                await self.reply_to(message, question)
            return
        channel = message.channel
        where = channel.parent_id if isinstance(channel, discord.Thread) and channel.parent_id else channel.id
        mentioned = any(user.id == me.id for user in message.mentions)
        if not (mentioned or message.content or isinstance(channel, discord.Thread)):
            return  # blank without the content intent, and not for the bot: skip the settings read
        mode = await self.bot.channel_modes.get(message.guild.id, where)
        if mode is ChannelMode.OFF:
            return
        forum_post = isinstance(channel, discord.Thread) and isinstance(channel.parent, discord.ForumChannel)
        if forum_post and mode in AUTO_MODES:
            assert isinstance(channel, discord.Thread)
            if message.id == channel.id:
                return  # the post itself: answered when its thread is created
            community = self.bot.get_cog("Community")
            if isinstance(community, Community) and community.is_follow_up(message, channel):
                await community.follow_up(message, channel, strip_mention(message.content, me.id))
                return
            if not re.search(rf"<@!?{me.id}>", message.content):
                return  # someone else replying to an automatic answer is talking to the poster, not the bot
        if mentioned:
            await self.reply_to(message, strip_mention(message.content, me.id))
            return
        if mode in AUTO_MODES and isinstance(channel, discord.TextChannel) and looks_like_question(message.content):
            await self.auto_reply(message, in_thread=mode is ChannelMode.THREADS)

    async def auto_reply(self, message: discord.Message, *, in_thread: bool) -> None:
        """A question-looking message in an `auto` (inline) or `threads` text channel, within the limits
        on automatic answers; labelled so members know nobody asked the bot."""
        assert message.guild is not None
        question = limits.one_line(message.content)
        if not self.bot.auto_limits.allow(message.id, message.author.id):
            return
        thread = await self.thread_for(message, question) if in_thread else None
        target: discord.abc.Messageable = thread or message.channel
        async with target.typing():
            answer, question_id = await self.answer(question, message.author.id, message.guild.id)
        if answer.abstained:
            return  # unasked: a decline would be noise; a mention still gets one
        extra: dict[str, Any] = {}
        view = feedback_view(answer, question_id)
        if view is not None:
            extra["view"] = view
        if thread:
            await thread.send(AUTO_LABEL, embed=answer_embed(answer), **extra)
        else:
            await message.reply(AUTO_LABEL, embed=answer_embed(answer), **extra)

    async def reply_to(self, message: discord.Message, question: str) -> None:
        if not question:
            await message.reply(EMPTY_MENTION)
            return
        bucket, retry_after = self.bot.question_cooldowns.hit(message.author.id)
        if retry_after is not None:
            await message.reply(describe(app_commands.CommandOnCooldown(bucket, retry_after))[0])
            return
        thread = await self.thread_for(message, question)
        target: discord.abc.Messageable = thread or message.channel
        async with target.typing():
            answer, question_id = await self.answer(
                question, message.author.id, message.guild.id if message.guild else None
            )
        extra: dict[str, Any] = {}
        view = feedback_view(answer, question_id)
        if view is not None:
            extra["view"] = view
        embed = answer_embed(answer)
        if thread:
            await thread.send(embed=embed, **extra)
        else:
            await message.reply(embed=embed, **extra)

    async def thread_for(self, message: discord.Message, question: str) -> discord.Thread | None:
        """A new public thread from the question in a text channel; None where replies go inline (DMs, threads)."""
        channel = message.channel
        if not isinstance(channel, discord.TextChannel) or message.guild is None:
            return None
        allowed = channel.permissions_for(message.guild.me)
        if not (allowed.create_public_threads and allowed.send_messages_in_threads):
            return None
        name = limits.clip(limits.one_line(question), limits.THREAD_NAME) or "Question"
        try:
            return await message.create_thread(name=name)
        except discord.HTTPException as exc:
            log.warning("Could not start a thread in channel %s (%s); replying inline", channel.id, exc)
            return None


async def setup(bot: RoadmapBot) -> None:
    # Registered before the gateway connects, so votes on answers sent before a restart are routed.
    bot.add_dynamic_items(VoteButton)
    await bot.add_cog(Ask(bot))


async def teardown(bot: RoadmapBot) -> None:
    bot.remove_dynamic_items(VoteButton)
