"""FAQ entries from chat: hostile input stays inside knowledge/faq/, cannot break YAML or ping anyone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.core.errors import InvalidInput, NotFound
from bot.core.moderation.faq_files import slugify
from bot.core.service import Services
from bot.core.text import clean_text, neutralise_mentions

SLUG_FILE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
ANSWER = "Ask in the help channel; moderators answer within a day."


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, _, _ = text[4:].partition("\n---\n")
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("question", "expected_id"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/shadow\\..\\windows\\system32", "etc-shadow-windows-system32"),
        ("What is a NUL\x00byte doing here?", "what-is-a-nul-byte-doing-here"),
        ('"\n---\nid: x\nquestion: pwned', "id-x-question-pwned"),
        ("Is **bold** `code` [link](http://x.y) # fine?", "is-bold-code-link-http-x-y-fine"),
        ("@everyone <@123> <@!456> <@&789> @here how do I join?", "everyone-here-how-do-i-join"),
        ("Wie lange dauert das Studium für Anfänger?", "wie-lange-dauert-das-studium-fur-anfanger"),
        ("你好吗？", None),
        ("Why " + "very " * 40 + "long?", None),
    ],
)
def test_hostile_questions_become_one_safe_file(services: Services, question: str, expected_id: str | None) -> None:
    moderation = services.moderation
    knowledge = moderation.knowledge_dir
    before = tree(knowledge.parent)

    change = moderation.add_faq("<@42> mod\x00", question, ANSWER + " @everyone <@99>", ["Career Advice", "../x"])

    assert change.ok, change.problems
    added = tree(knowledge.parent) - before - {"bot.db", "bot.db-wal", "bot.db-shm"}
    added = {p for p in added if not p.startswith("index/")}
    assert added == {f"knowledge/{change.path}"} and change.path.startswith("faq/")
    path = knowledge / change.path
    assert SLUG_FILE.match(path.name) and len(path.stem) <= 64 and path.parent == knowledge / "faq"
    if expected_id is not None:
        assert change.faq_id == expected_id
    meta = front_matter(path)
    assert set(meta) == {"id", "question", "tags", "added_by"}
    assert meta["id"] == change.faq_id == path.stem
    assert meta["tags"] == ["career-advice", "x"]
    assert meta["added_by"] == "mod"
    stored = path.read_text(encoding="utf-8")
    for forbidden in ("\x00", "@everyone", "@here", "<@"):
        assert forbidden not in stored
    entry = services.faq(change.faq_id)  # live: the reload picked it up
    assert entry.meta.question == meta["question"] and "\n" not in entry.meta.question
    assert entry.answer == ANSWER + " everyone"
    assert moderation.status().build_id == change.reload.build_id if change.reload else False


def test_markdown_answers_keep_their_shape(services: Services) -> None:
    answer = "## Steps\n\n- first **bold**\n- second\n\n---\nid: not-front-matter\n\n```\ncode\n```"
    change = services.moderation.add_faq("mod", "How do I format an answer?", answer, "Career, Deep Learning,,")
    assert change.ok, change.problems
    entry = services.faq(change.faq_id)
    assert entry.answer == answer
    assert entry.id == "how-do-i-format-an-answer" and entry.meta.tags == ["career", "deep-learning"]


@pytest.mark.parametrize(
    ("question", "answer", "tags", "message"),
    [
        ("x" * 301, ANSWER, [], "question"),
        ("q" * 10_000_000, ANSWER, [], "question"),
        ("Fine question?", "a" * 4001, [], "answer"),
        ("Fine question?", ANSWER, [f"tag{n}" for n in range(11)], "tags"),
        ("   \x00 <@123> ", ANSWER, [], "question is empty"),
        ("Fine question?", "<@123> <#456>\n\x00", [], "answer is empty"),
    ],
)
def test_limits_are_refused_before_anything_is_written(
    services: Services, question: str, answer: str, tags: list[str], message: str
) -> None:
    knowledge = services.moderation.knowledge_dir
    before = tree(knowledge)
    with pytest.raises(InvalidInput, match=message):
        services.moderation.add_faq("mod", question, answer, tags)
    assert tree(knowledge) == before
    assert services.moderation.audit() == []


def test_names_never_overwrite_and_share_the_article_namespace(services: Services) -> None:
    moderation = services.moderation
    first = moderation.add_faq("mod", "Which flour should I use?", ANSWER)
    second = moderation.add_faq("mod", "Which flour should I use??", "Another answer entirely.")
    third = moderation.add_faq("mod", "Baking bread", "There is an article with this id already.")
    assert (first.faq_id, second.faq_id, third.faq_id) == (
        "which-flour-should-i-use",
        "which-flour-should-i-use-2",
        "baking-bread-2",
    )
    assert services.faq("which-flour-should-i-use").answer == ANSWER
    assert all(c.ok for c in (first, second, third))


def test_a_failed_validation_removes_the_new_file(services: Services) -> None:
    moderation = services.moderation
    knowledge = moderation.knowledge_dir
    roadmap = knowledge / "roadmaps" / "home-skills.yaml"
    roadmap.write_text(roadmap.read_text().replace("stage: basics", "stage: basix", 1))
    before = tree(knowledge)
    build = moderation.status().build_id

    change = moderation.add_faq("mod", "Does this get rolled back?", ANSWER)

    assert not change.ok and change.reload is not None and change.reload.build_id == build
    assert any(p.startswith("roadmaps/home-skills.yaml:") and "basix" in p for p in change.problems)
    assert tree(knowledge) == before
    assert [e.action for e in moderation.audit()] == ["faq_add_rejected", "reload"]


def test_remove_faq(services: Services) -> None:
    moderation = services.moderation
    knowledge = moderation.knowledge_dir
    assert services.faq("tyre-pressure")

    change = moderation.remove_faq("mod-bo", "tyre-pressure")

    assert change.ok and change.path == "faq/tyre-pressure.md"
    assert not (knowledge / "faq" / "tyre-pressure.md").exists()
    with pytest.raises(NotFound):
        services.faq("tyre-pressure")
    assert moderation.status().faq == 2
    assert [(e.actor, e.action) for e in moderation.audit()] == [("mod-bo", "faq_remove"), ("mod-bo", "reload")]


def test_remove_faq_refuses_unknown_ids_and_paths(services: Services) -> None:
    moderation = services.moderation
    knowledge = moderation.knowledge_dir
    before = tree(knowledge)
    with pytest.raises(NotFound) as unknown:
        moderation.remove_faq("mod", "tyre-presure")
    assert "tyre-pressure" in unknown.value.suggestions
    for hostile in ("../articles/baking-bread", "../../etc/passwd", "faq/what-flour", "what-flour.md", "", "a\x00b"):
        with pytest.raises(InvalidInput):
            moderation.remove_faq("mod", hostile)
    with pytest.raises(NotFound):  # an article id is not an FAQ entry
        moderation.remove_faq("mod", "baking-bread")
    assert tree(knowledge) == before


def test_text_cleaning_helpers() -> None:
    # A removed mention leaves a space, so "@<@1>everyone" cannot splice into a mass mention.
    assert neutralise_mentions("@<@1>everyone @@here <#5>") == "@ everyone here  "
    assert neutralise_mentions("hi<@!42>there") == "hi there"
    assert clean_text("a\u202eb\u200bc\td\ne", multiline=False) == "abc d e"
    assert clean_text("line\r\n\r\n\r\n\r\nnext  \n", multiline=True) == "line\n\nnext"
    assert slugify("Ünïcödé — and / slashes") == "unicode-and-slashes"
    assert slugify("a" * 100) == "a" * 60
