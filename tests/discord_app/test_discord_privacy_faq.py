"""/privacy export and forget (owner-confirmed), and /faq with autocomplete."""

from __future__ import annotations

import json
from collections.abc import Callable

from discord_standin import (
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE_WITH_SOURCE,
    DiscordStandIn,
    RecordedRequest,
)

from bot.core.service import Services
from bot.discord_app.client import RoadmapBot

ButtonId = Callable[[RecordedRequest, str], str]


async def test_export_is_a_private_json_file(env: tuple[RoadmapBot, DiscordStandIn], services: Services) -> None:
    _, standin = env
    user = str(standin.member.id)
    services.roadmaps.set_goal(user, "home-skills", note="learn to bake")
    ix = await standin.interact(standin.slash("privacy", subcommand="export"))
    assert (await ix.response()).ephemeral
    sent = await ix.followup()
    assert sent.result_ephemeral
    [upload] = sent.files
    assert upload.filename == f"roadmap-bot-data-{user}.json"
    data = json.loads(upload.data)
    assert data["user_id"] == user and data["goals"][0]["note"] == "learn to bake"


async def test_forget_needs_the_owners_confirmation(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    _, standin = env
    user = str(standin.member.id)
    services.roadmaps.set_status(user, "tools", "done")
    services.record_feedback(user, "which flour?", ["faq/what-flour.md"], True)

    ix = await standin.interact(standin.slash("privacy", subcommand="forget"))
    prompt = await ix.response()
    assert prompt.callback_type == CHANNEL_MESSAGE_WITH_SOURCE and prompt.ephemeral
    assert "cannot be undone" in (prompt.content or "")

    intruder = await standin.interact(
        standin.button(button_id(prompt, "forget everything"), message=prompt, user=standin.moderator)
    )
    assert (await intruder.response()).ephemeral
    assert services.export(user)["goals"]  # nothing was erased

    press = await standin.interact(standin.button(button_id(prompt, "forget everything"), message=prompt))
    erased = await press.original_edit()
    assert erased.content == "Forgotten: 1 goal, 1 step status, 1 feedback entry, 0 questions."
    assert erased.buttons == []
    data = services.export(user)
    assert data["goals"] == [] and data["progress"] == [] and data["feedback"] == []


async def test_forget_can_be_cancelled(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    _, standin = env
    services.roadmaps.set_status(str(standin.member.id), "tools", "done")
    prompt = await (await standin.interact(standin.slash("privacy", subcommand="forget"))).response()
    press = await standin.interact(standin.button(button_id(prompt, "Cancel"), message=prompt))
    assert (await press.response()).content == "Nothing was deleted."
    assert services.export(str(standin.member.id))["progress"]


async def test_faq_autocomplete_entry_and_list(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    ix = await standin.interact(standin.autocomplete("faq", "topic", "flour"))
    choices = await ix.response()
    assert choices.callback_type == APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert choices.choices[0] == {"name": "Which flour should I use for sourdough?", "value": "what-flour"}

    entry = await (await standin.interact(standin.slash("faq", {"topic": "what-flour"}))).response()
    assert entry.embed["title"] == "Which flour should I use for sourdough?"
    assert entry.embed["description"].startswith("Use strong white bread flour") and not entry.ephemeral

    listing = await (await standin.interact(standin.slash("faq"))).response()
    assert listing.embed["description"].splitlines() == [
        "`best-night-sky` When is the best time to look at the night sky?",
        "`tyre-pressure` How much air should my bicycle tyres have?",
        "`what-flour` Which flour should I use for sourdough?",
    ]

    missing = await (await standin.interact(standin.slash("faq", {"topic": "flours"}))).response()
    assert missing.ephemeral and (missing.content or "").startswith("Unknown FAQ entry 'flours'.")
