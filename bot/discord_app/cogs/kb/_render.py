"""/kb results as embeds, always within Discord's limits.

Text members typed (logged questions) is escaped: it may hold markdown or mentions, and although
embeds never ping, a moderator should read it as it was typed, not rendered.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.moderation import AuditEntry, FaqChange, FeedbackItem, GapGroup, KbStatus, ReloadResult
from bot.discord_app import limits
from bot.discord_app.cogs.kb._text import actor_label, problems_block, reload_line, timestamp

OK_COLOUR = discord.Colour.green()
FAILED_COLOUR = discord.Colour.red()
INFO_COLOUR = discord.Colour.dark_teal()
MORE_RESERVE = 60  # room for the footer saying how many entries did not fit


def member_text(text: str, limit: int) -> str:
    """One line of member-typed text, shown literally: no markdown, no mentions."""
    escaped = discord.utils.escape_mentions(discord.utils.escape_markdown(limits.one_line(text)))
    return limits.clip(escaped, limit) or "(empty)"


def add_fields(embed: discord.Embed, fields: Sequence[tuple[str, str]], what: str) -> discord.Embed:
    """Add (name, value) fields while they fit in one embed; a footer counts the ones left out."""
    for n, (name, value) in enumerate(fields):
        name, value = limits.clip(name, limits.FIELD_NAME), limits.clip(value, limits.FIELD_VALUE)
        too_long = len(embed) + len(name) + len(value) + MORE_RESERVE > limits.EMBED_TOTAL
        if n == limits.EMBED_FIELDS or too_long:
            embed.set_footer(text=f"{limits.ELLIPSIS} and {len(fields) - n} more {what} not shown")
            break
        embed.add_field(name=name, value=value, inline=False)
    return embed


def reload_embed(result: ReloadResult) -> discord.Embed:
    if result.ok:
        previous = f" (was `{result.previous_build_id}`)" if result.previous_build_id != result.build_id else ""
        description = (
            f"Build `{result.build_id}`{previous} is live after {result.seconds:.2f} s: "
            f"{result.embedded} text(s) embedded, {result.reused} reused."
        )
        if result.advice:
            description += f"\n\nWorth a look: members see only the start of {len(result.advice)} section(s):\n"
            description += problems_block(result.advice, limits.EMBED_DESCRIPTION - len(description))
        return discord.Embed(title="Knowledge reloaded", description=description, colour=OK_COLOUR)
    head = f"Build `{result.build_id}` stays live. Fix these {len(result.problems)} problem(s), then reload:\n"
    return discord.Embed(
        title="Reload failed — nothing changed",
        description=head + problems_block(result.problems, limits.EMBED_DESCRIPTION - len(head)),
        colour=FAILED_COLOUR,
    )


def status_embed(status: KbStatus) -> discord.Embed:
    if status.build_id is None:
        embed = discord.Embed(title="No index yet", description="Run `/kb reload` to build one.", colour=FAILED_COLOUR)
    else:
        built = timestamp(status.built_at) if status.built_at else "?"
        embed = discord.Embed(
            title="Knowledge base status",
            description=f"Index build `{status.build_id}`, built {built} with `{status.model}`.",
            colour=INFO_COLOUR,
        )
        counts = (
            ("Articles", status.articles),
            ("FAQ entries", status.faq),
            ("Roadmaps", status.roadmaps),
            ("Roadmap steps", status.steps),
            ("Passages", status.passages),
        )
        for name, count in counts:
            embed.add_field(name=name, value=str(count))
    pending = f"Changed, not live yet: {status.pending}. Run `/kb reload`." if status.pending else "Up to date."
    embed.add_field(name="Knowledge folder", value=limits.clip(pending, limits.FIELD_VALUE), inline=False)
    last = reload_line(status.last_reload) if status.last_reload else "None since the bot started."
    embed.add_field(name="Last reload", value=limits.clip(last, limits.FIELD_VALUE), inline=False)
    if status.decision is not None and status.decision.refit_advised:
        embed.add_field(
            name="Answer/decline decision",
            value=f"Fitted when {status.decision.changed_files:.0%} of today's knowledge files were different: "
            "ask whoever deploys the bot to refit it (`scripts/eval.py --calibrate`).",
            inline=False,
        )
    embed.set_footer(text="Loaded in memory" if status.loaded else "Read from disk (not loaded by this process)")
    return embed


def change_embed(change: FaqChange, question: str | None = None) -> discord.Embed:
    """An FAQ entry added or removed, with the reload behind it, or the problems that rolled it back."""
    verb = "added" if change.action == "add" else "removed"
    if not change.ok:
        head = f"The {change.action} of `{change.path}` was rolled back; the live index is unchanged:\n"
        return discord.Embed(
            title=f"FAQ entry not {verb}",
            description=head + problems_block(change.problems, limits.EMBED_DESCRIPTION - len(head)),
            colour=FAILED_COLOUR,
        )
    reload = change.reload
    build = f" Build `{reload.build_id}` is live ({reload.seconds:.2f} s)." if reload else ""
    shown = f"\n> {limits.clip(limits.one_line(question), limits.EMBED_TITLE)}" if question else ""
    hint = f" `/faq topic:{change.faq_id}` shows it." if change.action == "add" else ""
    return discord.Embed(
        title=f"FAQ entry {verb}",
        description=f"`{change.path}` (id `{change.faq_id}`).{build}{hint}{shown}",
        colour=OK_COLOUR,
    )


def audit_embed(entries: Sequence[AuditEntry]) -> discord.Embed:
    lines = [
        f"{timestamp(e.at)} {actor_label(e.actor)} **{e.action}** — "
        f"{limits.clip(discord.utils.escape_markdown(limits.one_line(e.detail)), 300)}"
        for e in entries
    ]
    description = limits.fit_lines(lines, limits.EMBED_DESCRIPTION) if lines else "The audit log is empty."
    return discord.Embed(title="Knowledge changes and reloads", description=description, colour=INFO_COLOUR)


def gaps_embed(groups: Sequence[GapGroup], days: int) -> discord.Embed:
    embed = discord.Embed(title=f"Knowledge gaps — last {days} day(s)", colour=INFO_COLOUR)
    if not groups:
        embed.description = f"No unanswered or low-confidence questions in the last {days} day(s)."
        return embed
    embed.description = "Questions the bot abstained on or answered with low confidence, grouped by meaning."
    fields = []
    for n, group in enumerate(groups, 1):
        name = f"{n}. {group.count}× by {group.users} member(s): {member_text(group.representative, 200)}"
        also = [f"also: {member_text(e, 200)}" for e in group.examples[1:3]]
        fields.append((name, "\n".join([*also, f"→ {group.suggestion}"])))
    return add_fields(embed, fields, "groups")


def feedback_embed(items: Sequence[FeedbackItem], days: int) -> discord.Embed:
    embed = discord.Embed(title=f"Answers voted unhelpful — last {days} day(s)", colour=INFO_COLOUR)
    if not items:
        embed.description = f"No answers voted unhelpful in the last {days} day(s)."
        return embed
    fields = []
    for item in items:
        sources = ", ".join(f"`{s}`" for s in item.sources) or "no sources"
        fields.append((member_text(item.question, 200), f"{timestamp(item.at, 'R')} · cited: {sources}"))
    return add_fields(embed, fields, "answers")
