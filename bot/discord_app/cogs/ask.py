"""Questions: `/ask`, a mention of the bot, or a DM, all answered with the same cited embed.

Mentions and DMs reach the bot with their text even without the privileged message_content intent;
every other guild message arrives blank and is ignored. A mention in a text channel is answered in
a thread started from the question, so a conversation does not flood the channel.
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
from bot.discord_app import limits
from bot.discord_app.client import Interaction, RoadmapBot
from bot.discord_app.embeds import answer_embed
from bot.discord_app.failures import describe
from bot.discord_app.views import FeedbackView, VoteButton

log = logging.getLogger(__name__)

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

    async def answer(self, question: str, user_id: int) -> tuple[Answer, int | None]:
        """The answer and its logged question's id, which the vote buttons carry.

        The question joins the advisor's next micro-batch without holding a worker thread while it
        waits, so questions arriving together are encoded together; only the database write takes one.
        """
        services = self.bot.services
        answer = await asyncio.wrap_future(services.submit(question))
        return answer, await self.bot.run_blocking(services.log_answer, answer, str(user_id))

    @app_commands.command(name="ask", description="Ask a question; the answer quotes and cites the knowledge base")
    @app_commands.describe(question="Your question, in your own words", private="Show the answer only to you")
    async def ask(
        self, interaction: Interaction, question: app_commands.Range[str, 1, 1000], private: bool = False
    ) -> None:
        self.bot.question_cooldowns.check(interaction.user.id)
        await interaction.response.defer(ephemeral=private, thinking=True)
        answer, question_id = await self.answer(question, interaction.user.id)
        extra: dict[str, Any] = {}
        view = feedback_view(answer, question_id)
        if view is not None:
            extra["view"] = view
        await interaction.followup.send(embed=answer_embed(answer), **extra)

    # -- mentions and DMs ----------------------------------------------------------------------
    def question_in(self, message: discord.Message) -> str | None:
        """The question a message asks the bot, or None when the message is not for the bot."""
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
        question = self.question_in(message)
        if question is None:
            return
        try:
            await self.reply_to(message, question)
        except Exception as exc:
            text, unexpected = describe(exc)
            if unexpected:
                log.error("Answering a message from user %s failed", message.author.id, exc_info=exc)
            try:
                await message.reply(text)
            except discord.HTTPException:
                log.warning("Could not tell user %s about a failure", message.author.id)

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
            answer, question_id = await self.answer(question, message.author.id)
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
