"""/kb replies fit Discord's limits whatever the core returns, and member text is shown literally."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.moderation import AuditEntry, FeedbackItem, GapGroup, ReloadResult
from bot.discord_app import limits
from bot.discord_app.cogs.kb._render import audit_embed, feedback_embed, gaps_embed, member_text, reload_embed
from bot.discord_app.cogs.kb._text import actor_label, problems_block

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
USER = "123456789012345678"


def failed(problems: list[str]) -> ReloadResult:
    return ReloadResult(ok=False, problems=problems, build_id="b1", seconds=0.5, finished_at=NOW, actor="watcher")


def test_actor_labels() -> None:
    assert actor_label(f"discord:{USER}") == f"<@{USER}>" == actor_label(str(USER))  # older rows, and now
    assert actor_label("cli:ana") == "`cli:ana`"
    assert actor_label("discord:12 x`y") == "`discord:12 x'y`"  # not a plain id: shown as text


def test_every_problem_fits_or_is_counted() -> None:
    problems = [f"faq/entry-{n}.md:{n}: the id must be a slug, not ```{'x' * 80}```" for n in range(300)]
    embed = reload_embed(failed(problems))
    description = embed.description or ""
    assert len(description) <= limits.EMBED_DESCRIPTION and len(embed) <= limits.EMBED_TOTAL
    lines = description.split("```\n", 1)[1].removesuffix("\n```").splitlines()
    shown = lines[:-1]
    assert lines[-1] == f"{limits.ELLIPSIS} and {300 - len(shown)} more"
    assert shown[0].startswith("faq/entry-0.md:0: the id must be a slug, not '''x")
    assert description.count("```") == 2  # problems cannot close the code block

    one = problems_block(["faq/a.md:2: bad"], 100)
    assert one == "```\nfaq/a.md:2: bad\n```"


def test_reports_fit_and_escape_member_text() -> None:
    hostile = f"@everyone <@{USER}> **why** " * 40
    group = GapGroup(
        representative=hostile,
        count=3,
        users=2,
        abstained=3,
        mean_score=0.1,
        last_asked=NOW,
        examples=[hostile] * 3,
        closest=None,
        suggestion="Nothing in the knowledge base is close: write a new FAQ entry or article.",
    )
    gaps = gaps_embed([group] * 10, 30)
    assert len(gaps) <= limits.EMBED_TOTAL and gaps.fields
    assert gaps.footer.text == f"{limits.ELLIPSIS} and {10 - len(gaps.fields)} more groups not shown"
    name = gaps.fields[0].name or ""
    assert "@everyone" not in name and f"<@{USER}>" not in name and "\\*\\*why\\*\\*" in name

    assert member_text("  ", 10) == "(empty)"
    feedback = feedback_embed([FeedbackItem(question=hostile, sources=["faq/a.md"], at=NOW)] * 30, 7)
    assert len(feedback) <= limits.EMBED_TOTAL and "@everyone" not in str(feedback.to_dict())

    entries = [AuditEntry(id=n, at=NOW, actor=f"discord:{USER}", action="reload", detail="x" * 500) for n in range(50)]
    audit = audit_embed(entries)
    assert len(audit.description or "") <= limits.EMBED_DESCRIPTION
    assert (audit.description or "").startswith(f"<t:{int(NOW.timestamp())}:f> <@{USER}> **reload** — xxx")


def test_a_successful_reload_points_at_sections_members_see_little_of() -> None:
    advice = [f'articles/a.md:{n}: section "S{n}" shows members only 400 of its 1600 characters' for n in range(200)]
    ok = ReloadResult(ok=True, advice=advice, build_id="b2", seconds=1.0, finished_at=NOW, actor="watcher")
    embed = reload_embed(ok)
    description = embed.description or ""
    assert embed.title == "Knowledge reloaded" and "members see only the start of 200 section(s)" in description
    assert 'articles/a.md:0: section "S0"' in description and description.count("```") == 2
    assert len(description) <= limits.EMBED_DESCRIPTION and len(embed) <= limits.EMBED_TOTAL
    quiet = reload_embed(ok.model_copy(update={"advice": []}))
    assert "Worth a look" not in (quiet.description or "")
