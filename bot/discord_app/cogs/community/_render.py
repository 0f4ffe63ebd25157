"""The community features' replies: settings, the handoff, the digest; within Discord's limits.

Roles and channels appear as mentions inside embeds (embeds never ping); the one message allowed to
ping is the handoff, and only the server's helper role (its `allowed_mentions` say so).
"""

from __future__ import annotations

import discord

from bot.core.community import ChannelMode, GuildConfig
from bot.core.moderation import Digest
from bot.discord_app import limits
from bot.discord_app.cogs.kb._render import INFO_COLOUR, add_fields, member_text

AUTO_LABEL = "🤖 **Automatic answer** from the knowledge base — a helper may still reply."
HANDOFF = "I can't answer this one well from the knowledge base, so a human will take a look."
HANDOFF_NOT_HELPFUL = "Sorry that didn't help — a human will take a look."
SOLVED = "Marked as solved. Glad it's sorted!"
NOT_THE_POSTER = "Only the member who opened this post can mark it solved."

MODE_NOTES = {
    ChannelMode.OFF: "never answers here, not even a mention",
    ChannelMode.MENTION: "answers mentions",
    ChannelMode.AUTO: "answers every new forum post, or every question-looking message",
    ChannelMode.THREADS: "like auto, each answer in a new thread",
}


def handoff_text(reason: str, helper_role_id: int | None) -> str:
    """The handoff line; with a helper role it ends with that role's mention (the only ping allowed)."""
    return f"{reason} <@&{helper_role_id}>" if helper_role_id else f"{reason} (No helper role is set: `/config`.)"


def handoff_mentions(helper_role_id: int | None) -> discord.AllowedMentions:
    """Exactly the helper role may be pinged: no users, no @everyone, no other role."""
    roles = [discord.Object(id=helper_role_id)] if helper_role_id else False
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)


def _role(role_id: int | None, default: bool = False) -> str:
    if role_id is None:
        return "not set"
    return f"<@&{role_id}>" + (" (the default, MODERATOR_ROLE_ID)" if default else "")


def config_embed(config: GuildConfig, content_intent: bool) -> discord.Embed:
    embed = discord.Embed(title="Bot settings for this server", colour=INFO_COLOUR)
    embed.add_field(
        name="Moderator role",
        value=_role(config.moderator_role_id, config.moderator_role_default) + " · Manage Server always counts",
        inline=False,
    )
    embed.add_field(name="Helper role (pinged on handoffs)", value=_role(config.helper_role_id), inline=False)
    digest = f"<#{config.digest_channel_id}>" if config.digest_channel_id else "not set (no weekly digest)"
    embed.add_field(name="Digest channel", value=digest, inline=False)
    lines = [f"<#{c.channel_id}> — `{c.mode.value}`: {MODE_NOTES[c.mode]}" for c in config.channels]
    channels = limits.fit_lines(lines, limits.FIELD_VALUE) if lines else "None: every channel answers mentions."
    embed.add_field(name="Channels (others: `mention`)", value=channels, inline=False)
    intent = (
        "on: `auto` answers question-looking messages in text channels"
        if content_intent
        else "off: `auto`/`threads` text channels answer mentions only; forum posts are answered from their title"
    )
    embed.set_footer(text=limits.clip(f"Message Content intent {intent}.", limits.FOOTER))
    return embed


def digest_embed(digest: Digest) -> discord.Embed:
    """The weekly digest for moderators: what failed, what to extend, which files work and which never do."""
    embed = discord.Embed(title=f"Knowledge digest — last {digest.days} days", colour=INFO_COLOUR)
    embed.description = (
        f"{digest.questions} question(s) asked, {digest.declined} declined. `/kb gaps` and `/kb feedback` show more."
    )
    fields: list[tuple[str, str]] = []
    for n, group in enumerate(digest.gaps, 1):
        name = f"Gap {n}: {group.count}× {member_text(group.representative, 180)}"
        fields.append((name, f"→ {group.suggestion}"))
    if digest.unhelpful:
        lines = [
            f"• {member_text(i.question, 150)} ({', '.join(f'`{s}`' for s in i.sources) or 'no sources'})"
            for i in digest.unhelpful
        ]
        fields.append(("Answers voted unhelpful", limits.fit_lines(lines, limits.FIELD_VALUE)))
    if digest.most_cited:
        lines = [f"`{s.path}` — {s.count}×" for s in digest.most_cited]
        fields.append(("Most cited", limits.fit_lines(lines, limits.FIELD_VALUE)))
    if digest.never_cited:
        lines = [f"`{path}`" for path in digest.never_cited]
        fields.append(("Never cited", limits.fit_lines(lines, limits.FIELD_VALUE)))
    return add_fields(embed, fields, "sections")
