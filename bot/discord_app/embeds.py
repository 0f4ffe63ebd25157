"""Core results rendered as Discord embeds, always within Discord's limits.

Knowledge text is written by moderators and shown as is; text a member typed (the question) only
ever appears in titles, which cannot ping anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.core.answers import Answer, Citation
from bot.core.knowledge.models import FaqEntry
from bot.core.roadmap.schemas import StepContext
from bot.discord_app import limits

ANSWER_COLOUR = discord.Colour.blurple()
ABSTAIN_COLOUR = discord.Colour.light_grey()
FAQ_COLOUR = discord.Colour.teal()


def citation_line(citation: Citation) -> str:
    return f"[{citation.number}] {citation.label} — `{citation.source}`"


def _pointer(citation: Citation | None) -> str:
    if citation is None:
        return f"\n\n{limits.ELLIPSIS} (answer shortened)"
    return f"\n\n{limits.ELLIPSIS} Read the rest in [{citation.number}] {citation.label} (`{citation.source}`)."


def trim_answer(body: str, citations: Sequence[Citation], limit: int) -> str:
    """The answer body within `limit` characters, cut after a whole sentence, pointing to where the rest is.

    The pointer names the source of the first sentence left out (its next citation marker).
    """
    if len(body) <= limit:
        return body
    longest = max((_pointer(c) for c in citations), key=len, default=_pointer(None))
    kept, _ = limits.trim_sentences(body, limit - len(longest))
    number = limits.first_marker_after(body, len(kept))
    by_number = {c.number: c for c in citations}
    chosen = by_number.get(number) if number is not None else None
    return kept + _pointer(chosen or (citations[0] if citations else None))


def answer_embed(answer: Answer, description_limit: int = limits.EMBED_DESCRIPTION) -> discord.Embed:
    """The answer with its sources and related reading; a decline says so and offers the nearest FAQ
    questions it may have meant."""
    title = limits.clip(limits.one_line(answer.question) or "Your question", limits.EMBED_TITLE)
    embed = discord.Embed(
        title=title,
        description=trim_answer(answer.body, answer.citations, description_limit),
        colour=ABSTAIN_COLOUR if answer.abstained else ANSWER_COLOUR,
    )
    if answer.citations:
        sources = limits.fit_lines((citation_line(c) for c in answer.citations), limits.FIELD_VALUE)
        embed.add_field(name="Sources", value=sources, inline=False)
    if answer.related:
        related = limits.fit_lines((f"{c.label} — `{c.source}`" for c in answer.related), limits.FIELD_VALUE)
        embed.add_field(name="Related", value=related, inline=False)
    if answer.suggestions:
        meant = limits.fit_lines((f"• {s}" for s in answer.suggestions), limits.FIELD_VALUE)
        embed.add_field(name="Did you mean", value=meant, inline=False)
    if answer.roadmap_context is not None:
        embed.add_field(name="On your roadmap", value=step_context_line(answer.roadmap_context), inline=False)
    if answer.note:
        embed.set_footer(text=limits.clip(answer.note, limits.FOOTER))
    return fit_embed(embed, answer.citations)


def step_context_line(context: StepContext) -> str:
    """Which step of the member's roadmap the answer belongs to, and what it builds on that they have not
    marked done ("This builds on Statistics, which you have not marked done")."""
    line = f"This is part of **{context.step.title}**."
    if context.missing:
        titles = [s.title for s in context.missing]
        names = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
        line += f" This builds on {names}, which you have not marked done (`/roadmap done`)."
    return limits.clip(line, limits.FIELD_VALUE)


def fit_embed(embed: discord.Embed, citations: Sequence[Citation] = ()) -> discord.Embed:
    """Shrink the description until the whole embed is within Discord's 6000-character total."""
    excess = len(embed) - limits.EMBED_TOTAL
    if excess > 0 and embed.description:
        embed.description = trim_answer(embed.description, citations, len(embed.description) - excess)
    return embed


def faq_embed(entry: FaqEntry) -> discord.Embed:
    embed = discord.Embed(
        title=limits.clip(limits.one_line(entry.meta.question), limits.EMBED_TITLE),
        description=trim_answer(entry.answer, [], limits.EMBED_DESCRIPTION),
        colour=FAQ_COLOUR,
    )
    embed.set_footer(text=limits.clip(f"FAQ · {entry.id} · {entry.path}", limits.FOOTER))
    return fit_embed(embed)


def faq_list_embed(entries: Sequence[FaqEntry]) -> discord.Embed:
    lines = [f"`{e.id}` {limits.one_line(e.meta.question)}" for e in entries]
    description = limits.fit_lines(lines, limits.EMBED_DESCRIPTION) if lines else "The FAQ is empty for now."
    embed = discord.Embed(title="Frequently asked questions", description=description, colour=FAQ_COLOUR)
    embed.set_footer(text="Show one with /faq topic:<id>")
    return embed


def help_embed(commands: Sequence[tuple[str, str]]) -> discord.Embed:
    """`commands` are (usage, description) pairs, e.g. ('/roadmap next', 'Your next steps')."""
    embed = discord.Embed(
        title="What I can do",
        description=(
            "Ask me anything the knowledge base covers: use `/ask`, mention me with a question, or DM me. "
            "Answers quote the knowledge base and cite their sources; when it doesn't cover something, I say so."
        ),
        colour=ANSWER_COLOUR,
    )
    lines = [f"`{usage}` — {description}" for usage, description in commands]
    chunks: list[str] = []
    current: list[str] = []
    for line in lines:
        line = limits.clip(line, limits.FIELD_VALUE)
        if current and len("\n".join([*current, line])) > limits.FIELD_VALUE:
            chunks.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    reserve = 80  # room for the note saying how many commands did not fit
    for n, chunk in enumerate(chunks):
        name = "Commands" if n == 0 else "More commands"
        last_slot = n == limits.EMBED_FIELDS - 1 and n < len(chunks) - 1
        if last_slot or len(embed) + len(name) + len(chunk) + reserve > limits.EMBED_TOTAL:
            left = sum(len(c.splitlines()) for c in chunks[n:])
            embed.add_field(name="And more", value=f"{left} more commands: type / to see them all.", inline=False)
            break
        embed.add_field(name=name, value=chunk, inline=False)
    return embed
