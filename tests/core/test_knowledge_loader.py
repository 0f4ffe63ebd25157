"""The validator reports every problem as path:line: message, and accepts the real knowledge folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.chunking import ChunkerSettings, chunk_knowledge
from bot.core.errors import KnowledgeInvalid, Problem
from bot.core.knowledge.loader import find_cycle, load_knowledge, split_sections

REPO_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(KnowledgeInvalid) as info:
        load_knowledge(root)
    return [str(p) for p in info.value.problems]


def test_the_shipped_knowledge_base_is_valid_and_complete() -> None:
    kb = load_knowledge(REPO_KNOWLEDGE)
    assert len(kb.articles) >= 10
    assert len(kb.faq) >= 30
    roadmap = kb.roadmap("ml-engineer")
    assert roadmap is not None and len(roadmap.steps) >= 15
    for step in roadmap.steps:
        assert step.learn and step.done_when and step.effort_hours > 0 and step.articles


def test_small_fixture_loads(small_kb: Path) -> None:
    kb = load_knowledge(small_kb)
    assert {a.id for a in kb.articles} == {"baking-bread", "bicycle-repair", "telescope-astronomy"}
    bread = kb.article("baking-bread")
    assert bread is not None
    assert [s.title for s in bread.sections] == [
        "Overview",
        "Keeping a starter",
        "Shaping and proofing",
        "Baking in a Dutch oven",
    ]
    assert bread.sections[1].line == 11


def test_missing_front_matter_and_empty_file(small_kb: Path) -> None:
    (small_kb / "faq" / "empty.md").write_text("  \n")
    (small_kb / "faq" / "no-front.md").write_text("Just an answer.\n")
    found = problems_of(small_kb)
    assert "faq/empty.md:1: file is empty" in found
    assert any(p.startswith("faq/no-front.md:1: missing front matter") for p in found)


def test_bad_yaml_reports_its_line(small_kb: Path) -> None:
    (small_kb / "faq" / "broken.md").write_text("---\nid: broken\nquestion: [unclosed\ntags: []\n---\nAnswer.\n")
    found = problems_of(small_kb)
    assert any(p.startswith("faq/broken.md:") and "invalid YAML" in p for p in found), found
    line = int(next(p for p in found if p.startswith("faq/broken.md")).split(":")[1])
    assert 3 <= line <= 5


def test_schema_errors_point_at_the_field(small_kb: Path) -> None:
    (small_kb / "faq" / "bad-fields.md").write_text(
        "---\nid: bad-fields\nquestion: Fine?\ntags: [Not A Slug]\ncolour: blue\n---\nAnswer.\n"
    )
    found = problems_of(small_kb)
    assert any(p.startswith("faq/bad-fields.md:4: tags.0:") and "lowercase" in p for p in found), found
    assert any(p.startswith("faq/bad-fields.md:5: colour: unknown field") for p in found), found


def test_duplicate_ids_and_file_name_mismatch(small_kb: Path) -> None:
    (small_kb / "faq" / "copy.md").write_text("---\nid: what-flour\nquestion: Again?\n---\nYes.\n")
    found = problems_of(small_kb)
    assert any("duplicate id 'what-flour'" in p for p in found)
    assert any(p.startswith("faq/copy.md:2: id 'what-flour' must match the file name") for p in found)


def test_roadmap_dangling_references_and_cycles(small_kb: Path) -> None:
    path = small_kb / "roadmaps" / "home-skills.yaml"
    text = path.read_text()
    text = text.replace("prerequisites: [starter, tools]", "prerequisites: [starter, toolz]")
    text = text.replace(
        "    prerequisites: []\n    learn: [Feeding schedule]",
        "    prerequisites: [first-loaf]\n    learn: [Feeding schedule]",
    )
    text = text.replace("articles: [telescope-astronomy]", "articles: [telescopes]")
    path.write_text(text)
    found = problems_of(small_kb)
    assert any("unknown prerequisite 'toolz' (did you mean tools?)" in p for p in found), found
    assert any("unknown article 'telescopes'" in p for p in found), found
    assert any("cycle" in p and "starter" in p and "first-loaf" in p for p in found), found
    for p in found:
        path_part, line, _ = p.split(":", 2)
        assert path_part == "roadmaps/home-skills.yaml" and int(line) > 1


def test_article_step_reference_must_exist(small_kb: Path) -> None:
    path = small_kb / "articles" / "bicycle-repair.md"
    path.write_text(path.read_text().replace("steps: [tools]", "steps: [tools, unicycling]"))
    assert problems_of(small_kb) == ["articles/bicycle-repair.md:5: unknown roadmap step 'unicycling'"]


def test_not_utf8_and_huge_files(small_kb: Path) -> None:
    (small_kb / "faq" / "latin1.md").write_bytes("---\nid: latin1\nquestion: Caf\xe9?\n---\nOui.\n".encode("latin-1"))
    (small_kb / "articles" / "huge.md").write_text("---\nid: huge\ntitle: Huge\n---\n" + "word " * 200_000)
    found = problems_of(small_kb)
    assert any(p.startswith("faq/latin1.md:1: not valid UTF-8") for p in found)
    assert any(p.startswith("articles/huge.md:1: file is") for p in found)


def test_hidden_and_backup_files_are_ignored(small_kb: Path) -> None:
    (small_kb / "faq" / ".draft.md").write_text("garbage")
    (small_kb / "faq" / "what-flour.md~").write_text("garbage")
    load_knowledge(small_kb)


def test_headings_in_code_fences_do_not_split() -> None:
    body = "# Title\n\nIntro.\n\n## Code\n```\n## not a heading\n```\n\n### Detail\nStill code section.\n"
    sections = split_sections(body, 5, "Title")
    assert [s.title for s in sections] == ["Overview", "Code"]
    assert "## not a heading" in sections[1].text and "### Detail" in sections[1].text


def test_a_section_names_its_audience_on_one_line_and_a_bad_one_is_a_problem() -> None:
    body = "## Coming from teaching\n<!-- audience: [Teacher, teaching] -->\nTeachers explain well.\n"
    problems: list[Problem] = []
    (section,) = split_sections(body, 1, "T", problems, "articles/t.md")
    assert section.audience == ["teacher", "teaching"] and "audience" not in section.text and not problems
    many = "[" + ", ".join(f"word{n}" for n in range(21)) + "]"
    for bad in ("[]", "teacher", "[teacher, Teacher]", "[x]", many, "[unclosed", "[teacher, 42]", "[[a, b]]", "[~]"):
        problems = []
        (section,) = split_sections(f"## S\n<!-- audience: {bad} -->\nText.\n", 1, "T", problems, "articles/t.md")
        assert section.audience == [] and len(problems) == 1 and "audience" in problems[0].message, bad


def test_an_audience_split_over_lines_is_a_problem_not_text() -> None:
    problems: list[Problem] = []
    split_sections("## S\n<!-- audience:\n- teacher\n-->\nText.\n", 1, "T", problems, "articles/t.md")
    assert any("one line" in p.message for p in problems)


def test_every_shipped_background_entry_is_offered_to_a_member_asking_its_own_question() -> None:
    from bot.core.chunking import for_asker
    from bot.core.knowledge.loader import load_knowledge

    kb = load_knowledge(Path(__file__).resolve().parents[2] / "knowledge")
    passages = chunk_knowledge(kb, lambda text: len(text.split()), ChunkerSettings(max_tokens=240))
    tagged = [p for p in passages if p.kind == "faq" and p.audience]
    assert len(tagged) >= 10
    for passage in tagged:
        assert for_asker(passage, passage.title), passage.id


def test_find_cycle() -> None:
    assert find_cycle({"a": [], "b": ["a"], "c": ["a", "b"]}) is None
    cycle = find_cycle({"a": ["c"], "b": ["a"], "c": ["b"]})
    assert cycle is not None and set(cycle) == {"a", "b", "c"}


def test_links_that_leave_the_folder_are_refused_and_directory_links_skipped(
    small_kb: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: secret\nquestion: What is the secret?\n---\nThe password is hunter2.\n")
    (small_kb / "faq" / "secret.md").symlink_to(secret)
    outside_dir = tmp_path / "elsewhere"
    outside_dir.mkdir()
    (outside_dir / "also.md").write_text("---\nid: also\nquestion: Also?\n---\nYes.\n")
    (small_kb / "faq" / "more").symlink_to(outside_dir, target_is_directory=True)
    (small_kb / "faq" / "loop").symlink_to(small_kb / "faq", target_is_directory=True)
    shared = small_kb / "_shared"  # a folder the loader skips, inside the knowledge folder
    shared.mkdir()
    (shared / "extra-entry.md").write_text("---\nid: extra-entry\nquestion: Extra?\n---\nYes.\n")
    (small_kb / "faq" / "extra-entry.md").symlink_to(shared / "extra-entry.md")  # inside: read like a file
    with pytest.raises(KnowledgeInvalid) as err, caplog.at_level("WARNING"):
        load_knowledge(small_kb)
    assert [str(p) for p in err.value.problems] == ["faq/secret.md: links outside the knowledge folder"]
    assert "faq/more: it is a link to a directory" in caplog.text and "faq/loop" in caplog.text
    (small_kb / "faq" / "secret.md").unlink()
    kb = load_knowledge(small_kb)
    ids = {e.id for e in kb.faq}
    assert "extra-entry" in ids and "secret" not in ids and "also" not in ids
