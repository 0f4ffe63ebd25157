"""Smoke tests: a tiny real discord.py bot, end to end against the loopback Discord stand-in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route
from discord_standin import (
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    MODAL,
    UPDATE_MESSAGE,
    DiscordStandIn,
    running_bot,
)

pytest_plugins = ["discord_standin.pytest_plugin"]

TOPICS = ["python", "pytorch", "rust", "react", "statistics"]


class ConfirmView(discord.ui.View):
    """Only the user who ran /confirm may press the button."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=60)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message("This button is not for you.", ephemeral=True)
            return False
        return True

    @discord.ui.button(label="Confirm", custom_id="confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[ConfirmView]) -> None:
        button.disabled = True
        await interaction.response.edit_message(content="Confirmed.", view=self)


class GoalModal(discord.ui.Modal, title="Your goal"):
    goal: discord.ui.TextInput[GoalModal] = discord.ui.TextInput(label="Goal", custom_id="goal", max_length=100)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Goal saved: {self.goal.value}", ephemeral=True)


class SmokeBot(commands.Bot):
    """Slash commands with autocomplete, defer + follow-up, a button view, a modal and a mention reply."""

    def __init__(self, guild_id: int) -> None:
        super().__init__(command_prefix=commands.when_mentioned, intents=discord.Intents.default(), help_command=None)
        self.guild_id = guild_id

        @self.tree.command(name="topic", description="Pick a topic")
        @app_commands.describe(name="Topic name")
        async def topic(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(f"You picked {name}")

        @topic.autocomplete("name")
        async def topic_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=t.title(), value=t) for t in TOPICS if current.lower() in t]

        @self.tree.command(name="slow", description="Thinks, then answers privately")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await asyncio.sleep(0.01)
            embed = discord.Embed(title="Answer", description="Learn linear algebra first.")
            await interaction.followup.send(embed=embed, ephemeral=True)

        @self.tree.command(name="confirm", description="Ask for confirmation")
        async def confirm(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Confirm?", view=ConfirmView(interaction.user.id))

        @self.tree.command(name="goal", description="Set your goal")
        async def goal(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(GoalModal())

        @self.tree.command(name="config", description="Moderators only")
        @app_commands.default_permissions(manage_guild=True)
        @app_commands.checks.has_permissions(manage_guild=True)
        async def config(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("Config updated.", ephemeral=True)

        @config.error
        async def config_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
            await interaction.response.send_message("You need Manage Server.", ephemeral=True)

        @self.tree.command(name="long", description="Sends too much text")
        async def long(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("x" * 2001)

    async def setup_hook(self) -> None:
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        await self.tree.sync(guild=guild)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None:
            return
        if message.guild is None:
            await message.channel.send(f"DM received: {message.content}")
        elif self.user in message.mentions:
            reply = await message.reply(f"Hi {message.author.display_name}!")
            if "thread" in message.content:
                thread = await reply.create_thread(name="Roadmap chat")
                await thread.send("Let's talk here.")


def make_bot(standin: DiscordStandIn) -> SmokeBot:
    return SmokeBot(standin.guild.id)


@pytest_asyncio.fixture(loop_scope="function")
async def env(discord_standin: DiscordStandIn) -> AsyncIterator[tuple[SmokeBot, DiscordStandIn]]:
    async with running_bot(make_bot, discord_standin) as running:
        yield running


async def test_login_gateway_and_guild_sync(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    bot, standin = env
    assert bot.user is not None and bot.user.id == standin.bot_user.id
    assert bot.application_id == standin.application_id
    guild = bot.get_guild(standin.guild.id)
    assert guild is not None and guild.get_channel(standin.channel.id) is not None
    assert guild.get_role(standin.moderator_role.id) is not None
    # Synced via copy_global_to + sync(guild=...): PUT /applications/{id}/guilds/{id}/commands.
    assert standin.command_names() == {"topic", "slow", "confirm", "goal", "config", "long"}
    sync = standin.requests_of("commands_sync")[0]
    assert (sync.method, sync.route) == ("PUT", f"/applications/{standin.application_id}/guilds/{guild.id}/commands")
    topic = next(c for c in sync.response if c["name"] == "topic")
    assert topic["options"][0]["autocomplete"] is True and topic["guild_id"] == str(guild.id)
    # discord.py asks for zlib-stream (zstd-stream if `zstandard` is installed; then plain text frames
    # are sent, which discord.py also accepts); no message_content intent was requested.
    conn = standin.connection
    assert conn.query["encoding"] == "json" and conn.query["v"] == "10"
    assert conn.compress == (conn.query["compress"] == "zlib-stream")
    assert not discord.Intents._from_value(conn.intents).message_content
    assert standin.command_visible_to("config", standin.moderator)
    assert not standin.command_visible_to("config", standin.member)


async def test_slash_command_and_autocomplete(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.autocomplete("topic", focused="name", value="py"))
    choices = await ix.response()
    assert choices.callback_type == APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert choices.choices == [{"name": "Python", "value": "python"}, {"name": "Pytorch", "value": "pytorch"}]

    ix = await standin.interact(standin.slash("topic", {"name": "rust"}))
    reply = await ix.response()
    assert reply.callback_type == CHANNEL_MESSAGE_WITH_SOURCE
    assert reply.content == "You picked rust" and not reply.ephemeral
    assert reply.created_message is not None and reply.created_message["type"] == 20

    with pytest.raises(KeyError, match="no option/subcommand 'nmae'"):
        standin.slash("topic", {"nmae": "typo"})


async def test_defer_then_ephemeral_followup(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.slash("slow"))
    deferred = await ix.response()
    assert deferred.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE and deferred.ephemeral
    followup = await ix.followup()
    assert followup.ephemeral and followup.embed["title"] == "Answer"
    # Discord: the first follow-up after a deferral replaces the "thinking…" message.
    assert followup.created_message is not None and int(followup.created_message["id"]) == ix.original_message_id
    assert followup.result_ephemeral and ix.original_message is not None
    assert ix.original_message["embeds"][0]["description"] == "Learn linear algebra first."


async def test_button_press_with_interaction_check(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.slash("confirm", user=standin.member))
    prompt = await ix.response()
    assert prompt.custom_ids == ["confirm"]

    other = await standin.interact(standin.button("confirm", message=prompt, user=standin.moderator))
    rejected = await other.response()
    assert rejected.callback_type == CHANNEL_MESSAGE_WITH_SOURCE and rejected.ephemeral
    assert rejected.content == "This button is not for you."

    press = await standin.interact(standin.button("confirm", message=prompt, user=standin.member))
    updated = await press.response()
    assert updated.callback_type == UPDATE_MESSAGE and updated.content == "Confirmed."
    assert updated.buttons[0]["disabled"] is True
    with pytest.raises(ValueError, match="disabled"):
        standin.button("confirm", message=prompt)


async def test_modal_round_trip(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.slash("goal"))
    modal = await ix.response()
    assert modal.callback_type == MODAL and modal.modal["title"] == "Your goal"
    submitted = await standin.interact(standin.modal_submit(modal, {"Goal": "Become an ML engineer"}))
    answer = await submitted.response()
    assert answer.content == "Goal saved: Become an ML engineer" and answer.ephemeral


async def test_moderator_only_command(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    _, standin = env
    denied = await (await standin.interact(standin.slash("config", user=standin.member))).response()
    allowed = await (await standin.interact(standin.slash("config", user=standin.moderator))).response()
    assert denied.content == "You need Manage Server." and denied.ephemeral
    assert allowed.content == "Config updated."


async def test_mention_reply_thread_and_dm(env: tuple[SmokeBot, DiscordStandIn]) -> None:
    _, standin = env
    mention = await standin.send_user_message("can you help? thread please", mention_bot=True)
    reply = await standin.wait_for_message(standin.channel, reply_to=mention)
    assert reply.content == "Hi Alice!"
    assert reply.message_reference is not None and reply.message_reference["channel_id"] == standin.channel.id
    thread = await standin.wait_for_request(lambda r: r.kind == "thread_create")
    assert thread.route.endswith(f"/messages/{reply.created_message['id']}/threads")  # type: ignore[index]
    in_thread = await standin.wait_for_message(int(thread.response["id"]))
    assert in_thread.content == "Let's talk here."

    # Without the message_content intent a non-mention guild message arrives blank: no reply.
    mark = standin.mark()
    await standin.send_user_message("no mention here")
    dm = await standin.send_dm("hello bot")
    dm_reply = await standin.wait_for_message(int(dm["channel_id"]), since=mark)
    assert dm_reply.content == "DM received: hello bot"
    assert [r for r in standin.requests[mark:] if r.kind == "channel_message"] == [dm_reply]


async def test_limits_and_unknown_routes_are_reported(discord_standin: DiscordStandIn) -> None:
    async with running_bot(make_bot, discord_standin, strict=False) as (bot, standin):
        ix = await standin.interact(standin.slash("long"))
        rejected = await ix.response()
        assert rejected.status == 400 and "2000 or fewer" in str(rejected.response)
        await standin.wait_until(lambda: standin.bot_errors, description="the bot to log the failure")

        guild = bot.get_guild(standin.guild.id)
        assert guild is not None
        with pytest.raises(discord.NotFound, match="no stand-in route"):
            await guild.fetch_emojis()
        assert [r.route for r in standin.unknown_routes] == [f"/guilds/{guild.id}/emojis"]
        with pytest.raises(AssertionError, match="no stand-in route"):
            standin.assert_clean()


async def test_patches_are_restored_and_fast() -> None:
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    started = time.perf_counter()
    async with running_bot(make_bot) as (bot, standin):
        assert standin.api_base == Route.BASE and Route.BASE.startswith("http://127.0.0.1:")
        assert bot.is_ready()
    assert time.perf_counter() - started < 3
    assert (base, gateway) == (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    assert standin.blocked_urls == [] and not standin.is_running
