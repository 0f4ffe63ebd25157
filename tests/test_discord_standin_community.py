"""The stand-in's community features (forums, tags, context menus, reactions, pings, several guilds,
MESSAGE_CONTENT) driven end to end by the real discord.py client, with a tiny bot defined here."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord_standin import MODAL, DiscordStandIn, FakeChannel, Overwrite, Pings, running_bot

pytest_plugins = ["discord_standin.pytest_plugin"]


class ReportModal(discord.ui.Modal, title="Report message"):
    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(label="Reason", custom_id="reason")

    def __init__(self, target: discord.Message) -> None:
        super().__init__()
        self.target = target

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Reported {self.target.id}: {self.reason.value}", ephemeral=True)


class CommunityBot(commands.Bot):
    """Records forum threads, thread messages and reactions; has a message context menu."""

    def __init__(self, guild_ids: list[int], *, message_content: bool = False) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, help_command=None)
        self.guild_ids = guild_ids
        self.threads: list[discord.Thread] = []
        self.seen: list[discord.Message] = []
        self.reactions: list[discord.RawReactionActionEvent] = []
        self.menu_targets: list[discord.Message] = []

        @app_commands.context_menu(name="Report message")
        @app_commands.default_permissions(manage_messages=True)
        async def report(interaction: discord.Interaction, message: discord.Message) -> None:
            self.menu_targets.append(message)
            await interaction.response.send_modal(ReportModal(message))

        self.tree.add_command(report)

        @self.tree.command(name="ping", description="Answers")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"pong from {interaction.guild_id}")

    async def setup_hook(self) -> None:
        for guild_id in self.guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)

    async def on_thread_create(self, thread: discord.Thread) -> None:
        self.threads.append(thread)

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            self.seen.append(message)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.reactions.append(payload)


def make_bot(standin: DiscordStandIn) -> CommunityBot:
    return CommunityBot(list(standin.guilds))


async def until(check: object, timeout: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not callable(check) or not check():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def test_forum_post_arrives_as_thread_with_tags_and_tag_edit(discord_standin: DiscordStandIn) -> None:
    forum = discord_standin.forum
    assert forum is not None
    async with running_bot(make_bot, discord_standin) as (bot, standin):
        post = await standin.create_forum_post("Stuck on pandas", "How do I merge?", tags=["Needs human"])
        await until(lambda: bot.threads and bot.seen)
        thread = bot.threads[0]
        assert isinstance(thread, discord.Thread) and thread.id == post.id
        assert isinstance(thread.parent, discord.ForumChannel) and thread.parent.id == forum.id
        assert [t.name for t in thread.applied_tags] == ["Needs human"]
        assert all(isinstance(t, discord.ForumTag) for t in thread.applied_tags)
        starter = bot.seen[0]
        assert starter.id == thread.id and starter.channel.id == thread.id

        await standin.post_in_thread(post, "Try pd.merge", user=standin.moderator, reply_to=post.message)
        await until(lambda: len(bot.seen) == 2)
        reply = bot.seen[1]
        assert reply.reference is not None and reply.reference.message_id == post.id
        assert post.thread.message_count == 1

        solved = thread.parent.get_tag(forum.tag("Solved").id)
        assert solved is not None
        edited = await thread.edit(applied_tags=[solved], archived=True)
        assert [t.name for t in edited.applied_tags] == ["Solved"]
        assert post.thread.applied_tags == [forum.tag("Solved").id] and post.thread.archived
        edit = standin.thread_edits(post.thread)[-1]
        assert edit.ok and edit.json["applied_tags"] == [str(forum.tag("Solved").id)]

        with pytest.raises(discord.HTTPException) as archived:
            await thread.edit(name="renamed")
        assert archived.value.status == 400 and archived.value.code == 50083
        await thread.edit(archived=False)
        bogus = discord.ForumTag(name="Bogus")
        bogus.id = 1234
        with pytest.raises(discord.HTTPException) as invalid:
            await thread.edit(applied_tags=[bogus])
        assert invalid.value.status == 400 and invalid.value.code == 50035

        history = [m.id async for m in thread.history(limit=10)]
        assert history == [reply.id, post.id]
        assert [m.id async for m in thread.history(limit=1, after=discord.Object(post.id))] == [reply.id]


async def test_bot_creates_forum_post_and_moderated_tag_needs_manage_threads(discord_standin: DiscordStandIn) -> None:
    forum_model = discord_standin.add_forum("announcements", tags=["News", "Pinned"], moderated=["Pinned"])
    async with running_bot(make_bot, discord_standin) as (bot, standin):
        forum = bot.get_channel(forum_model.id)
        assert isinstance(forum, discord.ForumChannel)
        pinned = forum.get_tag(forum_model.tag("Pinned").id)
        assert pinned is not None and pinned.moderated
        created = await forum.create_thread(name="Release", content="v2 is out", applied_tags=[pinned])
        assert created.thread.id == created.message.id and created.thread.applied_tags == [pinned]
        assert standin.requests_of("forum_post")[-1].ok
        standin.set_permissions(standin.bot_role, discord.Permissions(send_messages=True, view_channel=True))
        with pytest.raises(discord.Forbidden):
            await forum.create_thread(name="Again", content="x", applied_tags=[pinned])
        with pytest.raises(discord.HTTPException) as not_text:  # forums take posts, not messages
            await bot.http.request(
                discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=forum.id),
                json={"content": "x"},
            )
        assert not_text.value.code == 50008


async def test_message_context_menu_opens_modal(discord_standin: DiscordStandIn) -> None:
    async with running_bot(make_bot, discord_standin) as (bot, standin):
        assert standin.command_names(type=3) == {"Report message"}
        assert standin.command_visible_to("Report message", standin.moderator, type=3)
        assert not standin.command_visible_to("Report message", standin.member, type=3)
        target = await standin.send_user_message("spam spam", user=standin.member)
        ix = await standin.interact(standin.message_command("Report message", target, user=standin.moderator))
        opened = await ix.response()
        assert opened.callback_type == MODAL
        got = bot.menu_targets[0]
        assert isinstance(got, discord.Message) and got.id == int(target["id"])
        assert got.content == "spam spam" and got.author.id == standin.member.id
        submit = await standin.interact(standin.modal_submit(ix, {"reason": "spam"}))
        answer = await submit.response()
        assert answer.content == f"Reported {target['id']}: spam" and answer.ephemeral


async def test_reaction_add_reaches_raw_listener_and_bot_reaction_recorded(discord_standin: DiscordStandIn) -> None:
    async with running_bot(make_bot, discord_standin) as (bot, standin):
        msg = await standin.send_user_message("nice roadmap")
        await standin.add_reaction(msg, "👍", user=standin.moderator)
        await until(lambda: bot.reactions)
        event = bot.reactions[0]
        assert str(event.emoji) == "👍" and event.user_id == standin.moderator.id
        assert event.message_id == int(msg["id"]) and event.guild_id == standin.guild.id
        assert event.member is not None and event.message_author_id == standin.member.id
        channel = bot.get_channel(standin.channel.id)
        assert isinstance(channel, discord.TextChannel)
        await channel.get_partial_message(int(msg["id"])).add_reaction("✅")
        assert standin.bot_reactions()[-1].reaction == {"id": None, "name": "✅"}
        assert standin.reactors(msg, "✅") == [standin.bot_user.id]


async def test_pings_follow_allowed_mentions(discord_standin: DiscordStandIn) -> None:
    helper = discord_standin.add_helper()
    role = discord_standin.helper_role
    assert role is not None
    async with running_bot(make_bot, discord_standin) as (bot, standin):
        channel = bot.get_channel(standin.channel.id)
        assert isinstance(channel, discord.TextChannel)
        mark = standin.mark()
        await channel.send(f"hey {standin.member.mention}", embed=discord.Embed(description=helper.mention))
        plain = standin.requests[mark:][-1]
        assert standin.pinged(plain) == Pings(users=frozenset({standin.member.id}))

        silent = await channel.send(
            f"hey {standin.member.mention} @everyone", allowed_mentions=discord.AllowedMentions.none()
        )
        assert not standin.pinged(silent.id)

        text = f"{role.mention} {standin.member.mention} @everyone"
        only_role = await channel.send(text, allowed_mentions=discord.AllowedMentions(roles=[discord.Object(role.id)]))
        # discord.py's AllowedMentions defaults everyone/users to True: only the role list is narrowed.
        sent = only_role_request(standin)["allowed_mentions"]
        assert sent == {"parse": ["everyone", "users"], "roles": [role.id], "replied_user": True}
        assert standin.pinged(only_role.id) == Pings(users=frozenset({standin.member.id}), roles=frozenset({role.id}))
        assert standin.pinged(only_role.id, worst_case=True).everyone  # blocked only by the missing permission
        strict = discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role.id)])
        assert standin.pinged((await channel.send(text, allowed_mentions=strict)).id) == Pings(
            roles=frozenset({role.id})
        )

        # @everyone without MENTION_EVERYONE never pings; a reply pings its author unless told not to.
        user_msg = await standin.send_user_message("question")
        message = await channel.fetch_message(int(user_msg["id"]))
        quiet = await message.reply("answer", mention_author=False)
        assert not standin.pinged(quiet.id)
        loud = await message.reply("answer @everyone")
        assert standin.pinged(loud.id) == Pings(users=frozenset({standin.member.id}))
        assert standin.pinged(loud.id, worst_case=True).everyone

        all_pings = standin.all_pings()
        assert all_pings.users == {standin.member.id} and all_pings.roles == {role.id} and not all_pings.everyone

        with pytest.raises(discord.HTTPException) as bad:  # Discord: parse "users" + users ids is a 400
            await bot.http.request(
                discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id),
                json={"content": "x", "allowed_mentions": {"parse": ["users"], "users": [str(helper.id)]}},
            )
        assert bad.value.code == 50035


def only_role_request(standin: DiscordStandIn) -> dict[str, object]:
    body = standin.requests_of("channel_message")[-1].json
    assert isinstance(body, dict)
    return body


async def test_two_guilds_and_slash_in_second_guild() -> None:
    standin = DiscordStandIn(extra_guilds=1)
    second = next(g for g in standin.guilds.values() if g is not standin.guild)
    async with running_bot(make_bot, standin) as (bot, standin):
        assert {g.id for g in bot.guilds} == set(standin.guilds)
        assert bot.get_guild(second.id) is not None and len(bot.get_guild(second.id).forums) == 1  # type: ignore[union-attr]
        assert "ping" in standin.command_names(second)
        ix = await standin.interact(standin.slash("ping", guild=second, user=standin.moderator))
        assert ix.payload["guild_id"] == str(second.id) and ix.payload["channel_id"] == str(second.default_channel.id)  # type: ignore[union-attr]
        assert (await ix.response()).content == f"pong from {second.id}"
        assert second.moderator_role is not None
        assert ix.payload["member"]["roles"] == [str(second.moderator_role.id)]


async def test_thread_permissions_inherit_forum_overwrites(discord_standin: DiscordStandIn) -> None:
    forum = discord_standin.forum
    assert isinstance(forum, FakeChannel)
    helper = discord_standin.add_helper()
    assert discord_standin.helper_role is not None
    manage = discord.Permissions(manage_threads=True).value
    forum.overwrites.append(Overwrite(discord_standin.helper_role.id, 0, allow=manage))
    async with running_bot(make_bot, discord_standin) as (_bot, standin):
        post = await standin.create_forum_post("Q", "question")
        payload = standin.slash("ping", user=helper, channel=post.thread)
        assert int(payload["member"]["permissions"]) & manage
        assert not int(standin.slash("ping", user=helper)["member"]["permissions"]) & manage


@pytest.mark.parametrize("intent", [False, True])
async def test_message_content_blanked_without_intent(discord_standin: DiscordStandIn, intent: bool) -> None:
    def factory(standin: DiscordStandIn) -> CommunityBot:
        return CommunityBot([standin.guild.id], message_content=intent)

    async with running_bot(factory, discord_standin) as (bot, standin):
        post = await standin.create_forum_post("Title", "secret question")
        await standin.post_in_thread(post, "hello bot", mention_bot=True)
        await standin.send_dm("dm text")
        await until(lambda: len(bot.seen) == 3)
        starter, mention, dm = bot.seen
        assert starter.content == ("secret question" if intent else "")
        assert mention.content.endswith("hello bot")
        assert dm.content == "dm text"


async def test_interaction_pings_use_client_default_allowed_mentions(discord_standin: DiscordStandIn) -> None:
    """``Client(allowed_mentions=...)`` is sent with interaction responses and merged into follow-ups."""

    def factory(standin: DiscordStandIn) -> CommunityBot:
        bot = CommunityBot([standin.guild.id])
        bot.allowed_mentions = discord.AllowedMentions.none()

        @bot.tree.command(name="hello", description="Greets with a mention", guild=discord.Object(standin.guild.id))
        async def hello(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(f"hi {interaction.user.mention} @everyone")
            await interaction.followup.send(
                f"again {interaction.user.mention}", allowed_mentions=discord.AllowedMentions(users=True)
            )

        return bot

    async with running_bot(factory, discord_standin) as (_bot, standin):
        ix = await standin.interact(standin.slash("hello"))
        response, followup = await ix.response(), await ix.followup()
        assert response.message_data["allowed_mentions"]["parse"] == []
        assert not standin.pinged(response)
        assert standin.pinged(followup) == Pings(users=frozenset({standin.member.id}))
        assert standin.all_pings() == Pings(users=frozenset({standin.member.id}))
        assert followup.created_message is not None and followup.created_message["mentions"][0]["id"] == str(
            standin.member.id
        )


async def test_second_guild_on_other_shard_and_event_order() -> None:
    """Guild ids chosen so each of two shards owns one guild; each shard gets only its GUILD_CREATE."""
    base = 1_300_000_000_000_000_000
    primary = base - base % (1 << 23)  # (id >> 22) % 2 == 0
    standin = DiscordStandIn(guild_id=primary, shards=2)
    other = standin.add_guild("Shard one guild", guild_id=primary + (1 << 22))

    class FastShardedBot(commands.AutoShardedBot):
        async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
            """Skip discord.py's 5 s pause between shard IDENTIFYs (the stand-in has no rate limit)."""

    def factory(standin: DiscordStandIn) -> commands.AutoShardedBot:
        return FastShardedBot(command_prefix="!", intents=discord.Intents.default(), shard_count=2)

    async with running_bot(factory, standin) as (bot, standin):
        await until(lambda: bot.get_guild(other.id) is not None and not bot.get_guild(other.id).unavailable)  # type: ignore[union-attr]
        assert {g.shard_id for g in bot.guilds} == {0, 1}
        shard1 = standin.shard_connection(1)
        assert shard1 is not None
        created = [p["d"]["id"] for p in shard1.sent if p.get("t") == "GUILD_CREATE"]
        assert created == [str(other.id)]
        assert other.forum is not None
        post = await standin.create_forum_post("On shard one", "text", forum=other.forum)
        await until(lambda: bot.get_channel(post.id) is not None)
        events = [p["t"] for p in shard1.sent if p.get("t") in ("THREAD_CREATE", "MESSAGE_CREATE")]
        assert events == ["THREAD_CREATE", "MESSAGE_CREATE"]
        assert bot.get_channel(post.id) is not None
        shard0 = standin.shard_connection(0)
        assert shard0 is not None and not any(p.get("t") == "THREAD_CREATE" for p in shard0.sent)
