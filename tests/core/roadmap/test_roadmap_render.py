"""Each adapter renders roadmap results its own way: Discord compact and within its limit, the command
line as plain text with nothing cut; both inert on member text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.cli import render as cli_render
from bot.core.knowledge.models import Roadmap
from bot.core.members import ForgetReport
from bot.core.roadmap.service import RoadmapService
from bot.core.store.models import StepStatus
from bot.core.store.users import ForgetCounts
from bot.discord_app import render

Factory = Callable[..., RoadmapService]


def test_bar() -> None:
    assert render.bar(0) == "[" + "░" * 20 + "]"
    assert render.bar(1, width=4) == "[████]"
    assert render.bar(0.5, width=10) == "[█████░░░░░]"
    assert render.bar(7, width=2) == "[██]" and render.bar(-1, width=2) == "[░░]"


def test_escape_neutralises_markdown_mentions_and_newlines() -> None:
    text = render.escape("**bold** `code` [link](http://x) @everyone <@123> @here\n# heading ||spoiler||")
    assert "\n" not in text
    assert "\\*\\*bold\\*\\*" in text and "\\`code\\`" in text and "\\[link\\]" in text
    assert "@everyone" not in text and "@here" not in text and "<@123>" not in text
    assert "\\|\\|spoiler\\|\\|" in text
    assert len(render.escape("x" * 1000)) == 200


def test_fit_cuts_with_a_count() -> None:
    lines = [f"line {i:03d} " + "x" * 40 for i in range(100)]
    out = render.fit(lines, max_chars=500)
    assert len(out) <= 500 and out.endswith("more lines")
    assert render.fit(["a", "b"], 100) == "a\nb"


def test_next_steps_text(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_status("ann", "python-basics", StepStatus.IN_PROGRESS)
    text = render.render_next_steps(service.next_steps("ann"), article_titles={"fixture-article": "The Article"})
    assert text.startswith("**Next steps: ML Basics**")
    assert "1. **Python basics** (`python-basics`)" in text and "in progress" in text
    assert "Why now:" in text and "Learn: syntax; functions" in text and "Read: The Article" in text


def test_complete_text_suggests_another(make_service: Factory, ml_basics: Roadmap, data_basics: Roadmap) -> None:
    service = make_service(data_basics, ml_basics)
    service.set_goal("bea", "data-basics")
    service.set_status("bea", "sql-joins", StepStatus.DONE, with_prerequisites=True)
    text = render.render_next_steps(service.next_steps("bea"))
    assert "every step is done" in text and "`ml-basics`" in text


def test_progress_text(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_goal("cal", "ml-basics", target_date=date(2030, 3, 1))
    service.set_status("cal", "python-basics", StepStatus.DONE)
    text = render.render_progress(service.progress("cal"))
    assert "20% · 1/5 steps" in text and "Remaining effort: ~63 h" in text
    assert "Target 2030-03-01" in text and "h/week" in text
    assert "- Foundations: 1/3" in text and "- Modelling: 0/2" in text


def test_status_change_text_names_the_adapter_option(make_service: Factory, ml_basics: Roadmap) -> None:
    change = make_service(ml_basics).set_status("dan", "first-model", StepStatus.DONE)
    text = render.render_status_change(change, prerequisites_hint="the `with_prerequisites` option")
    assert "to do → done" in text and "`numpy-pandas`" in text and "`with_prerequisites` option" in text


def test_show_and_goal_escape_the_note(make_service: Factory, ml_basics: Roadmap) -> None:
    service = make_service(ml_basics)
    service.set_goal("eve", "ml-basics", note="**loud** @everyone\n# title")
    text = render.render_show(service.show("eve"))
    assert "\\*\\*loud\\*\\*" in text and "@everyone" not in text and "\n# title" not in text
    assert "[ ] `python-basics` Python basics ← next" in text
    assert "· after `python-basics`" in text
    assert "@everyone" not in render.render_goals(service.list_goals("eve"))


def test_big_roadmap_fits_discord(make_service: Factory, build: Callable[..., Roadmap]) -> None:
    big = build("big", [(f"step-number-{i}", [f"step-number-{i - 1}"] if i else []) for i in range(120)])
    service = make_service(big)
    service.set_goal("fin", "big")
    for text in (
        render.render_show(service.show("fin")),
        render.render_progress(service.progress("fin")),
        render.render_next_steps(service.next_steps("fin", limit=25)),
        render.render_roadmaps(service.list_roadmaps() * 40),
    ):
        assert len(text) <= 2000


def test_show_pages_keep_every_step(make_service: Factory, build: Callable[..., Roadmap]) -> None:
    big = build("big", [(f"step-number-{i}", [f"step-number-{i - 1}"] if i else []) for i in range(120)])
    service = make_service(big)
    service.set_goal("gil", "big")
    pages = render.render_show_pages(service.show("gil"), max_chars=1000)
    assert len(pages) > 3 and all(len(page) <= 1000 for page in pages)
    joined = "\n".join(pages)
    assert all(f"`step-number-{i}`" in joined for i in range(120))
    assert render.paginate(["x" * 50], max_chars=10) == ["x" * 9 + "…"]


def test_command_line_text_is_plain_and_whole(make_service: Factory, build: Callable[..., Roadmap]) -> None:
    big = build("big", [(f"step-number-{i}", [f"step-number-{i - 1}"] if i else []) for i in range(120)])
    service = make_service(big)
    service.set_goal("hal", "big", note="**loud** @everyone\n# title")
    service.set_status("hal", "step-number-5", StepStatus.DONE)
    texts = [
        cli_render.show(service.show("hal")),
        cli_render.progress(service.progress("hal")),
        cli_render.next_steps(service.next_steps("hal", limit=25)),
        cli_render.goals(service.list_goals("hal")),
    ]
    shown = "\n".join(texts)
    assert all(f"step-number-{i} " in texts[0] for i in range(120))  # nothing cut
    assert "**" not in shown.replace("**loud**", "") and "`" not in shown and "__" not in shown
    assert "\n# title" not in shown  # the note stays on its line
    assert "--with-prerequisites" in cli_render.status_change(
        service.set_status("hal", "step-number-9", StepStatus.DONE)
    )


def test_forget_text() -> None:
    assert render.render_forget(ForgetReport(counts=ForgetCounts())) == "Nothing was stored about you."
    text = render.render_forget(
        ForgetReport(counts=ForgetCounts(goals=1, step_progress=2, kb_audit_anonymized=1), faq_entries_anonymised=["f"])
    )
    assert "1 FAQ entry you added now names no author" in text
    assert "1 goal," in text and "2 step statuses" in text and "1 audit entry" in text
