"""/roadmap end to end: autocomplete, goal, next-step buttons (owner only), prerequisites, privacy of progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from discord_standin import (
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_UPDATE_MESSAGE,
    DiscordStandIn,
    RecordedRequest,
)

from bot.core.service import Services
from bot.discord_app.client import RoadmapBot

ButtonId = Callable[[RecordedRequest, str], str]


async def roadmap(
    standin: DiscordStandIn, sub: str, options: dict[str, object] | None = None, **kw: object
) -> RecordedRequest:
    """Run `/roadmap sub`, check it deferred, return its follow-up."""
    ix = await standin.interact(standin.slash("roadmap", options or {}, subcommand=sub, **kw))  # type: ignore[arg-type]
    assert (await ix.response()).callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    return await ix.followup()


async def test_step_autocomplete_ranks_own_open_steps_first(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services
) -> None:
    _, standin = env
    ix = await standin.interact(standin.autocomplete("roadmap", "step", "", subcommand="done"))
    listed = await ix.response()
    assert listed.callback_type == APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert [c["value"] for c in listed.choices] == ["tools", "starter", "first-loaf", "stargazing"]
    assert listed.choices[0]["name"] == "Gather basic tools (tools) · to do"

    services.roadmaps.set_status(str(standin.member.id), "stargazing", "in_progress")
    services.roadmaps.set_status(str(standin.member.id), "tools", "done")
    ix = await standin.interact(standin.autocomplete("roadmap", "step", "", subcommand="start"))
    values = [c["value"] for c in (await ix.response()).choices]
    assert values[0] == "stargazing" and values[-1] == "tools"  # in progress first, done last

    ix = await standin.interact(standin.autocomplete("roadmap", "step", "loaf", subcommand="skip"))
    assert [c["value"] for c in (await ix.response()).choices] == ["first-loaf"]

    ix = await standin.interact(standin.autocomplete("roadmap", "roadmap", "home", subcommand="goal"))
    assert (await ix.response()).choices == [{"name": "Home skills (home-skills)", "value": "home-skills"}]


async def test_goal_then_progress_are_private_by_default(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    target = (date.today() + timedelta(days=60)).isoformat()
    goal = await roadmap(standin, "goal", {"roadmap": "home-skills", "target_date": target})
    assert goal.result_ephemeral
    assert goal.content == f"Goal set: **Home skills** (`home-skills`) · target {target}."

    progress = await roadmap(standin, "progress")
    assert progress.result_ephemeral and progress.content is not None
    assert progress.content.startswith("**Progress: Home skills**")
    shared = await roadmap(standin, "progress", {"share": True})
    assert not shared.result_ephemeral

    show = await roadmap(standin, "show")
    assert show.result_ephemeral and "[ ] `tools` Gather basic tools ← next" in (show.content or "")

    bad = await roadmap(standin, "goal", {"roadmap": "home-skills", "target_date": "tomorrow"})
    assert bad.content == "'tomorrow' is not a date; use YYYY-MM-DD, e.g. 2030-06-30." and bad.result_ephemeral


async def test_another_members_progress_is_shown_only_to_the_caller(env: tuple[RoadmapBot, DiscordStandIn]) -> None:
    _, standin = env
    await roadmap(standin, "done", {"step": "tools"}, user=standin.moderator)
    peek = await roadmap(standin, "progress", {"member": standin.moderator, "share": True})
    assert peek.result_ephemeral  # share is ignored for someone else's data
    assert peek.content is not None and peek.content.startswith("**Morgan** (only you can see this")
    assert "1/4 steps" in peek.content
    ix = await standin.interact(standin.slash("roadmap", {"member": standin.bot_user}, subcommand="progress"))
    refused = await ix.response()  # refused before deferring
    assert refused.content == "Bots don't follow roadmaps." and refused.ephemeral


async def test_next_buttons_only_answer_their_owner(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    _, standin = env
    no_goal = await roadmap(standin, "next")  # told, in Discord's own command, not shown an empty roadmap
    assert (
        no_goal.content
        == "You have not chosen a roadmap yet. Available: home-skills (Home skills). Choose one with `/roadmap goal`."
    )
    await roadmap(standin, "goal", {"roadmap": "home-skills"})
    shown = await roadmap(standin, "next", {"share": True})
    assert not shown.result_ephemeral
    assert shown.content is not None and shown.content.startswith("**Next steps: Home skills** (4 steps open)")
    labels = [b["label"] for b in shown.buttons]
    assert labels[:2] == ["Start: Gather basic tools", "Done: Gather basic tools"]

    intruder = await standin.interact(
        standin.button(button_id(shown, "Done: Gather"), message=shown, user=standin.moderator)
    )
    refusal = await intruder.response()
    assert refusal.ephemeral and "belong to the member who asked" in (refusal.content or "")
    assert services.export(str(standin.moderator.id))["progress"] == []

    press = await standin.interact(standin.button(button_id(shown, "Done: Gather"), message=shown))
    assert (await press.response()).callback_type == DEFERRED_UPDATE_MESSAGE
    edited = await press.original_edit()
    assert edited.content is not None and edited.content.startswith("**Gather basic tools** (`tools`): to do → done.")
    assert "Done: Gather basic tools" not in [b["label"] for b in edited.buttons]
    progress = services.export(str(standin.member.id))["progress"]
    assert [(p["step"], p["status"]) for p in progress] == [("tools", "done")]

    press = await standin.interact(standin.button(button_id(edited, "Start: Grow"), message=edited))
    again = await press.original_edit()
    assert "**Grow a sourdough starter** (`starter`): to do → in progress." in (again.content or "")


async def test_done_with_open_prerequisites_offers_to_mark_them(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    _, standin = env
    done = await roadmap(standin, "done", {"step": "first-loaf"})
    assert done.result_ephemeral and done.content is not None
    assert "Note: its prerequisites are still open: `tools`, `starter`." in done.content
    assert "Use the button below to mark them done too." in done.content
    press = await standin.interact(standin.button(button_id(done, "Mark prerequisites"), message=done))
    edited = await press.original_edit()
    assert "Also marked done: `tools`, `starter`." in (edited.content or "")
    assert edited.buttons == []
    statuses = {p["step"]: p["status"] for p in services.export(str(standin.member.id))["progress"]}
    assert statuses == {"first-loaf": "done", "starter": "done", "tools": "done"}

    undo = await roadmap(standin, "undo", {"step": "first-loaf"})
    assert undo.content == "**Bake a first loaf** (`first-loaf`): done → to do."
    unknown = await roadmap(standin, "skip", {"step": "sky-diving"})
    assert unknown.content is not None and unknown.content.startswith("Unknown step 'sky-diving'.")


async def test_start_and_skip_with_open_prerequisites_offer_the_button_they_mention(
    env: tuple[RoadmapBot, DiscordStandIn], services: Services, button_id: ButtonId
) -> None:
    """ "Use the button below" is only ever said with a button below, whatever the verb."""
    _, standin = env
    for verb in ("start", "skip"):
        reply = await roadmap(standin, verb, {"step": "first-loaf"})
        assert reply.content is not None and "Use the button below to mark them done too." in reply.content
        assert [b["label"] for b in reply.buttons] == ["Mark prerequisites done too"]
    press = await standin.interact(standin.button(button_id(reply, "Mark prerequisites"), message=reply))
    edited = await press.original_edit()
    assert "Also marked done: `tools`, `starter`." in (edited.content or "")
    statuses = {p["step"]: p["status"] for p in services.export(str(standin.member.id))["progress"]}
    assert statuses == {"first-loaf": "skipped", "starter": "done", "tools": "done"}  # the step as asked
