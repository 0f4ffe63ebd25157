"""/kb end to end: moderators only, live reloads, FAQ entries from a modal, audit, gaps, feedback.

Each test edits a PRIVATE copy of the small knowledge folder and its built index (the `settings`
fixture below overrides the shared one), so the session's shared index is never touched.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import discord
import pytest
from discord_standin import (
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    MODAL,
    DiscordStandIn,
    FakeUser,
    RecordedRequest,
    running_bot,
)
from kb_fixtures import SMALL_DECISION

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.service import Services
from bot.core.store import log_question, transaction
from bot.discord_app.client import RoadmapBot
from bot.discord_app.cogs.kb._access import REFUSAL
from bot.discord_app.views import NOT_YOURS
from bot.settings import Settings
from bot.wiring import make_services

Env = tuple[RoadmapBot, DiscordStandIn]
RunBot = Callable[..., Any]
LOGGERS = ("discord", "bot")
ButtonId = Callable[[RecordedRequest, str], str]
SUBCOMMANDS = {"reload", "status", "faq-add", "faq-remove", "audit", "gaps", "feedback"}
PROBLEM = re.compile(r"faq/best-night-sky\.md:2: .+")


@pytest.fixture
def settings(private_settings: Settings) -> Settings:
    """These tests edit knowledge/, so every fixture built on `settings` uses a private copy."""
    return private_settings


async def kb(standin: DiscordStandIn, sub: str, options: dict[str, Any] | None = None, **kw: Any) -> RecordedRequest:
    """Run /kb <sub> as the moderator (default) and return its private follow-up."""
    kw.setdefault("user", standin.moderator)
    ix = await standin.interact(standin.slash("kb", options, subcommand=sub, **kw))
    deferred = await ix.response()
    assert deferred.callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE and deferred.ephemeral, deferred.content
    reply = await ix.followup(timeout=30)
    assert reply.result_ephemeral
    return reply


async def ask(standin: DiscordStandIn, question: str, user: FakeUser | None = None) -> RecordedRequest:
    ix = await standin.interact(standin.slash("ask", {"question": question}, user=user))
    return await ix.followup(timeout=15)


def live_build(services: Services) -> str:
    index = services.advisor.loaded_index
    assert index is not None
    return index.artifacts.manifest.build_id


async def poll_until(condition: Callable[[], bool], timeout: float) -> float:
    """Seconds until `condition()` holds (state changed by the bot's own tasks, not by a request)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.02)
    return time.monotonic() - started


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- who may use /kb ------------------------------------------------------------------------------
async def test_kb_is_synced_for_moderators_only_and_refused_to_members(env: Env, services: Services) -> None:
    _, standin = env
    kb_schema, _ = standin.find_command("kb")
    assert kb_schema is not None
    assert {o["name"] for o in kb_schema["options"]} == SUBCOMMANDS
    assert int(kb_schema["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    assert kb_schema.get("contexts") == [0]  # guild only
    assert standin.command_visible_to("kb", standin.moderator)
    assert not standin.command_visible_to("kb", standin.member)

    before = live_build(services)
    refused = await (await standin.interact(standin.slash("kb", subcommand="reload"))).response()
    assert refused.callback_type == CHANNEL_MESSAGE_WITH_SOURCE and refused.ephemeral
    assert refused.content == REFUSAL
    assert live_build(services) == before and services.moderation.audit() == []

    in_dm = standin.slash("kb", subcommand="status", guild=False, require_synced=False)
    assert (await (await standin.interact(in_dm)).response()).content == "You can't use that command here."

    choices = await (
        await standin.interact(standin.autocomplete("kb", "id", "flour", subcommand="faq-remove"))
    ).response()
    assert choices.callback_type == APPLICATION_COMMAND_AUTOCOMPLETE_RESULT and choices.choices == []


async def test_the_moderator_role_is_enough(settings: Settings, embedder: Any, standin: DiscordStandIn) -> None:
    helpers = standin.add_role("KB helpers")  # no permissions at all
    helper = standin.add_user("hana", roles=[helpers])
    # One Settings object for the core and the bot, as the wiring does: MODERATOR_ROLE_ID is the default
    # the core's server settings fall back to.
    configured = settings.model_copy(update={"discord_guild_id": standin.guild.id, "moderator_role_id": helpers.id})
    services = make_services(configured, embedder=embedder)
    try:
        async with running_bot(lambda _: RoadmapBot(configured, services), standin, capture_loggers=LOGGERS):
            status = await kb(standin, "status", user=helper)
            assert status.embed["title"] == "Knowledge base status"
            refused = await (await standin.interact(standin.slash("kb", subcommand="status"))).response()
            assert refused.content == REFUSAL
    finally:
        services.close()


# -- reloads --------------------------------------------------------------------------------------
async def test_reload_makes_an_edit_live_and_is_fast(env: Env, services: Services, settings: Settings) -> None:
    _, standin = env
    flour = settings.knowledge_dir / "faq" / "what-flour.md"
    wall: list[float] = []
    reported: list[float] = []
    for n in range(3):
        edit(flour, "Use strong" if n == 0 else f"Edition {n - 1}: use strong", f"Edition {n}: use strong")
        started = time.perf_counter()
        reply = await kb(standin, "reload")
        wall.append(time.perf_counter() - started)
        assert reply.embed["title"] == "Knowledge reloaded", reply.embed
        found = re.search(r"after ([\d.]+) s: (\d+) text\(s\) embedded, (\d+) reused", reply.embed["description"])
        assert found is not None and 1 <= int(found[2]) <= 4 and int(found[3]) > 20
        reported.append(float(found[1]))
        assert f"`{live_build(services)}`" in reply.embed["description"]

    answer = await ask(standin, "Which flour should I use for sourdough?")
    assert answer.embed["description"].startswith("Edition 2: use strong white bread flour")
    print(
        f"\n/kb reload, one-file change: median {statistics.median(wall):.2f} s end to end "
        f"(core {statistics.median(reported):.2f} s); runs {[round(w, 2) for w in wall]}"
    )
    assert statistics.median(wall) < 5.0


async def test_a_failed_validation_keeps_the_old_index_and_lists_problems(
    env: Env, services: Services, settings: Settings
) -> None:
    _, standin = env
    before = live_build(services)
    sky = settings.knowledge_dir / "faq" / "best-night-sky.md"
    edit(sky, "id: best-night-sky", "id: Best Night Sky")
    edit(sky, "Moonless nights", "Broken nights")

    reply = await kb(standin, "reload")
    embed = reply.embed
    assert embed["title"] == "Reload failed — nothing changed"
    assert f"Build `{before}` stays live" in embed["description"]
    block = embed["description"].split("```\n", 1)[1]
    assert PROBLEM.match(block.splitlines()[0]), block
    assert live_build(services) == before
    answer = await ask(standin, "When is the best time to look at the night sky?")
    assert "Moonless nights" in answer.embed["description"]

    status = await kb(standin, "status")
    fields = {f["name"]: f["value"] for f in status.embed["fields"]}
    assert fields["Knowledge folder"].startswith("Changed, not live yet")
    assert fields["Last reload"].startswith("Failed <t:") and "1 problem(s)" in fields["Last reload"]


async def test_status_shows_the_live_index(env: Env, services: Services) -> None:
    _, standin = env
    embed = (await kb(standin, "status")).embed
    manifest = services.advisor.loaded_index.artifacts.manifest  # type: ignore[union-attr]
    assert embed["title"] == "Knowledge base status"
    assert f"`{manifest.build_id}`" in embed["description"] and f"`{manifest.model}`" in embed["description"]
    assert re.search(r"built <t:\d+:f>", embed["description"])
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    counts = manifest.counts
    assert fields["Articles"] == str(counts.articles) == "3"
    assert fields["FAQ entries"] == str(counts.faq) == "3"
    assert fields["Roadmaps"] == "1" and fields["Roadmap steps"] == str(counts.steps)
    assert fields["Passages"] == str(counts.passages)
    assert fields["Knowledge folder"] == "Up to date."
    assert fields["Last reload"] == "None since the bot started."
    assert embed["footer"]["text"] == "Loaded in memory"


# -- FAQ entries ----------------------------------------------------------------------------------
HOSTILE_QUESTION = "../../x @everyone <@123> how do I **proof** dough in a cold oven?"
HOSTILE_ANSWER = "**Bold** advice for @here and <@456>: proof the dough overnight in a cold oven, light off.\n\n- one"


async def test_faq_add_from_a_modal_is_sanitised_and_goes_live(
    env: Env, services: Services, settings: Settings
) -> None:
    _, standin = env
    faq_dir = settings.knowledge_dir / "faq"
    before = set(faq_dir.iterdir())

    opened = await (
        await standin.interact(standin.slash("kb", subcommand="faq-add", user=standin.moderator))
    ).response()
    assert opened.callback_type == MODAL
    submit = standin.modal_submit(
        opened, {"Question": HOSTILE_QUESTION, "Answer (markdown)": HOSTILE_ANSWER, "kb-faq-tags": "../etc, Baking"}
    )
    ix = await standin.interact(submit)
    assert (await ix.response()).ephemeral
    reply = await ix.followup(timeout=30)
    assert reply.result_ephemeral and reply.embed["title"] == "FAQ entry added", reply.embed
    assert (reply.json or {}).get("allowed_mentions", {}).get("parse") == []
    sent = str(reply.json)
    assert "@everyone" not in sent and "<@123>" not in sent and "<@456>" not in sent

    [created] = set(faq_dir.iterdir()) - before
    assert created.parent == faq_dir and created.name == "x-everyone-how-do-i-proof-dough-in-a-cold-oven.md"
    text = created.read_text(encoding="utf-8")
    assert "<@" not in text and "@everyone" not in text and "@here" not in text
    assert f"added_by: '{standin.moderator.id}'" in text and "tags: [etc, baking]" in text
    assert f"`faq/{created.name}`" in reply.embed["description"]

    answer = await ask(standin, "How do I proof dough in a cold oven?")
    assert "proof the dough overnight in a cold oven" in answer.embed["description"]
    assert "<@456>" not in answer.embed["description"]


async def test_faq_add_refuses_a_huge_answer_cleanly(env: Env, services: Services, settings: Settings) -> None:
    _, standin = env
    faq_dir = settings.knowledge_dir / "faq"
    before = set(faq_dir.iterdir())
    opened = await (
        await standin.interact(standin.slash("kb", subcommand="faq-add", user=standin.moderator))
    ).response()
    # A client that ignores the modal's max_length: submitted by custom ids, without the length check.
    fields = {"kb-faq-question": "Is this too long?", "kb-faq-answer": "word " * 1000, "kb-faq-tags": ""}
    ix = await standin.interact(standin.modal_submit(opened.modal["custom_id"], fields, user=standin.moderator))
    reply = await ix.followup()
    assert reply.result_ephemeral and reply.content == "The answer is 4999 characters; the limit is 4000."
    assert set(faq_dir.iterdir()) == before and services.moderation.audit() == []


async def test_faq_remove_needs_the_moderators_confirmation(
    env: Env, services: Services, settings: Settings, button_id: ButtonId
) -> None:
    _, standin = env
    flour = settings.knowledge_dir / "faq" / "what-flour.md"
    choices = await (
        await standin.interact(
            standin.autocomplete("kb", "id", "sourdough flour", subcommand="faq-remove", user=standin.moderator)
        )
    ).response()
    assert choices.choices[0] == {"name": "what-flour — Which flour should I use for sourdough?", "value": "what-flour"}

    prompt = await (
        await standin.interact(
            standin.slash("kb", {"id": "what-flour"}, subcommand="faq-remove", user=standin.moderator)
        )
    ).response()
    assert prompt.ephemeral and "faq/what-flour.md" in (prompt.content or "")

    other = standin.add_user("otto")  # another member (even another moderator) cannot confirm
    intruder = await standin.interact(standin.button(button_id(prompt, "Remove"), message=prompt, user=other))
    refusal = await intruder.response()
    assert refusal.ephemeral and refusal.content == NOT_YOURS and flour.exists()

    press = await standin.interact(standin.button(button_id(prompt, "Remove"), message=prompt, user=standin.moderator))
    assert (await press.response()).buttons == []
    done = await press.original_edit(timeout=30)
    assert done.embed["title"] == "FAQ entry removed" and not flour.exists()
    missing = await (await standin.interact(standin.slash("faq", {"topic": "what-flour"}))).response()
    assert (missing.content or "").startswith("Unknown FAQ entry")

    unknown = await (
        await standin.interact(
            standin.slash("kb", {"id": "what-flower"}, subcommand="faq-remove", user=standin.moderator)
        )
    ).response()
    assert unknown.ephemeral and (unknown.content or "").startswith("Unknown FAQ entry 'what-flower'.")


# -- reports --------------------------------------------------------------------------------------
async def test_audit_shows_reloads_and_faq_changes(env: Env, services: Services) -> None:
    _, standin = env
    who = f"discord:{standin.moderator.id}"
    services.moderation.reload(who)
    services.moderation.add_faq(who, "How long should dough rest?", "About an hour.", "baking")
    services.moderation.remove_faq("cli:ana", "how-long-should-dough-rest")

    embed = (await kb(standin, "audit", {"limit": 10})).embed
    lines = embed["description"].splitlines()
    assert len(lines) == 5  # reload; faq_add (its reload + the add); faq_remove (its reload + the remove)
    assert re.fullmatch(r"<t:\d+:f> `cli:ana` \*\*faq_remove\*\* — faq/how-long-should-dough-rest\.md", lines[0])
    assert f"<@{standin.moderator.id}> **faq_add** — faq/how-long-should-dough-rest.md: How long" in lines[2]
    assert f"<@{standin.moderator.id}> **reload** — build " in lines[-1] and " live: " in lines[-1]


async def test_gaps_group_unanswered_questions(run_bot: RunBot, services: Services) -> None:
    async with run_bot(question_rate=(10, 30.0)) as (_, standin):
        for question in ("What is the capital of Peru?", "what's the capital city of Peru?", "How do I knit a scarf?"):
            await ask(standin, question)
        here = standin.guild.id  # each server's report holds the questions asked there
        services.finish_answer(services.advisor.ask("How do I knit a wool scarf?"), "42", guild_id=here)
        services.finish_answer(services.advisor.ask("capital of peru"), "43", guild_id=here)
        services.ask("How do I grow tomatoes on a balcony?", user_id="45")  # asked elsewhere: not shown
        with transaction(services.engine) as session:  # answered, but with too little confidence
            log_question("44", "How do I fix a broken bicycle chain?", 0.4, False, session=session, guild_id=str(here))

        embed = (await kb(standin, "gaps", {"days": 7})).embed
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert len(fields) == 3, list(fields)
        first, *_ = fields
        assert re.match(r"1\. 3× by 2 member\(s\): .*[Pp]eru", first)
        assert fields[first].count("also: ") == 2 and "write a new FAQ entry or article" in fields[first]
        [knit] = [name for name in fields if "scarf" in name]
        assert re.match(r"[23]\. 2× by 2 member\(s\): ", knit)
        [chain] = [value for name, value in fields.items() if "chain" in name]
        assert chain.startswith("→ Extend articles/bicycle-repair.md")


async def test_feedback_lists_answers_voted_unhelpful(env: Env, button_id: ButtonId) -> None:
    _, standin = env
    answer = await ask(standin, "How often do I feed a sourdough starter?")
    vote = await standin.interact(standin.button(button_id(answer, "Not helpful"), message=answer))
    await vote.followup()

    embed = (await kb(standin, "feedback")).embed
    [field] = embed["fields"]
    assert field["name"] == "How often do I feed a sourdough starter?"
    assert re.match(r"<t:\d+:R> · cited: `", field["value"])
    assert "`articles/baking-bread.md#keeping-a-starter`" in field["value"]


# -- background tasks ------------------------------------------------------------------------------
async def test_the_bot_adopts_a_build_made_by_another_process(
    run_bot: RunBot, services: Services, settings: Settings, embedder: Any
) -> None:
    async with run_bot(kb_refresh_seconds=0.1) as (bot, standin):
        assert bot.moderation_tasks.running
        edit(settings.knowledge_dir / "faq" / "best-night-sky.md", "Moonless nights", "Clear moonless nights")
        other = Advisor(
            AdvisorConfig(
                knowledge_dir=settings.knowledge_dir, index_dir=settings.index_dir, decision_file=SMALL_DECISION
            ),
            embedder,
        )
        report = await bot.run_blocking(other.rebuild)  # what `roadmap-bot kb reload` does in its own process

        adopted = await poll_until(lambda: live_build(services) == report.build_id, timeout=5)
        print(f"\nbuild from another process served after {adopted:.2f} s (polling every 0.1 s)")
        answer = await ask(standin, "When is the best time to look at the night sky?")
        assert answer.embed["description"].startswith("Clear moonless nights")
    assert not bot.moderation_tasks.running


async def test_a_moderator_who_asks_to_be_forgotten_leaves_no_trace(
    env: Env, services: Services, settings: Settings, button_id: ButtonId
) -> None:
    """One identity on every side: the audit rows, the FAQ file they added, the index snapshots, the
    database file and its WAL all lose the moderator's id; the export listed all of it first."""
    _, standin = env
    moderator = str(standin.moderator.id)
    await kb(standin, "reload")
    opened = await (
        await standin.interact(standin.slash("kb", subcommand="faq-add", user=standin.moderator))
    ).response()
    fields = {
        "Question": "How warm should dough proof?",
        "Answer (markdown)": "Around room temperature.",
        "kb-faq-tags": "",
    }
    added = await (await standin.interact(standin.modal_submit(opened, fields))).followup(timeout=30)
    assert added.embed["title"] == "FAQ entry added"
    await ask(standin, "which flour for sourdough?", user=standin.moderator)

    export = services.export(moderator)
    assert (
        export["audit"]
        and export["questions"]
        and export["faq_entries_added"] == ["faq/how-warm-should-dough-proof.md"]
    )

    ix = await standin.interact(standin.slash("privacy", subcommand="forget", user=standin.moderator))
    prompt = await ix.response()
    press = await standin.interact(
        standin.button(button_id(prompt, "forget everything"), message=prompt, user=standin.moderator)
    )
    erased = (await press.original_edit()).content or ""
    assert "audit entr" in erased and "1 FAQ entry you added now names no author" in erased

    data = services.export(moderator)
    assert data["audit"] == [] and data["questions"] == [] and data["faq_entries_added"] == []
    needle = moderator.encode()
    places = [*settings.knowledge_dir.rglob("*"), *settings.index_dir.rglob("*")]
    database = settings.database_url.removeprefix("sqlite:///")
    places += [p for p in (Path(database), Path(database + "-wal"), Path(database + "-journal")) if p.exists()]
    holding = [str(p) for p in places if p.is_file() and needle in p.read_bytes()]
    assert holding == []
    assert (
        "How warm should dough proof?"
        in (settings.knowledge_dir / "faq" / "how-warm-should-dough-proof.md").read_text()
    )
