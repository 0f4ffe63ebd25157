"""`roadmap-bot kb ...` through the real entry point, on private copies; the session model is injected."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from kb_fixtures import FRAGMENT_LIST, SMALL_DECISION

import bot.wiring
from bot.cli import main
from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.decision import load_decision
from bot.core.moderation.facade import LOW_CONFIDENCE_MARGIN
from bot.core.store import log_question, open_store, record_feedback, transaction, utcnow


@pytest.fixture
def deployment(
    built_small: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    embedder: Any,
) -> Path:
    shutil.copytree(built_small[0], tmp_path / "knowledge")
    shutil.copytree(built_small[1], tmp_path / "index")
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    monkeypatch.setenv("KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    make_advisor = bot.wiring.make_advisor
    monkeypatch.setattr(bot.wiring, "make_advisor", lambda settings, _=None: make_advisor(settings, embedder))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_status(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "status")
    assert code == 0
    assert "3 articles, 3 FAQ entries, 1 roadmap(s)" in out and "Up to date." in out
    code, out, _ = run(capsys, "kb", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["faq"] == 3 and status["model"] == "all-MiniLM-L6-v2" and status["pending"] is None


def test_reload_is_picked_up_by_a_running_bot(
    deployment: Path, capsys: pytest.CaptureFixture[str], embedder: Any
) -> None:
    running = Advisor(
        AdvisorConfig(
            knowledge_dir=deployment / "knowledge", index_dir=deployment / "index", decision_file=SMALL_DECISION
        ),
        embedder,
    )
    running.ensure_index()
    flour = deployment / "knowledge" / "faq" / "what-flour.md"
    flour.write_text(flour.read_text().replace("Use strong white", "Use unbleached white"))

    code, out, _ = run(capsys, "kb", "reload", "--actor", "ops")

    assert code == 0 and out.startswith("Reloaded: build ")
    assert running.refresh() is True
    assert running.ask("Which flour should I use for sourdough?").body.startswith("Use unbleached white")
    code, out, _ = run(capsys, "kb", "audit", "--json")
    entries = json.loads(out)
    assert code == 0 and [(e["actor"], e["action"]) for e in entries] == [("ops", "reload")]


def test_reload_prints_advice_for_a_section_members_would_see_little_of(
    deployment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = deployment / "knowledge" / "articles" / "baking-bread.md"
    article.write_text(article.read_text(encoding="utf-8") + FRAGMENT_LIST + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "kb", "reload", "--actor", "ops")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Reloaded: build ")
    assert lines[1].startswith("advice: articles/baking-bread.md:") and "Topics for the theory round" in lines[1]


def test_reload_prints_every_problem_and_fails(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flour = deployment / "knowledge" / "faq" / "what-flour.md"
    flour.write_text(flour.read_text().replace("tags: [baking]", "tags: [Baking!]"))
    (deployment / "knowledge" / "faq" / "empty.md").write_text("")

    code, out, err = run(capsys, "kb", "reload")

    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert "faq/empty.md:1: file is empty" in lines
    assert any(line.startswith("faq/what-flour.md:4: tags.0:") for line in lines)
    assert lines[-1].startswith("2 problem(s); build ")
    code, out, _ = run(capsys, "kb", "reload", "--json")
    result = json.loads(out)
    assert code == 1 and result["ok"] is False and len(result["problems"]) == 2


def test_faq_add_and_remove(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "kb", "faq-add", "--question", "../../How do I true a wheel? @everyone", "--answer",
        "Use a truing stand.\n---\nid: x", "--tags", "cycling, Repair Tips", "--actor", "mod-cy", "--json",
    )  # fmt: skip
    change = json.loads(out)
    assert code == 0 and change["ok"] and change["faq_id"] == "how-do-i-true-a-wheel-everyone"
    text = (deployment / "knowledge" / change["path"]).read_text()
    assert text.startswith("---\nid: how-do-i-true-a-wheel-everyone\nquestion: ../../How do I true a wheel? everyone\n")
    assert text.endswith("tags: [cycling, repair-tips]\nadded_by: mod-cy\n---\nUse a truing stand.\n---\nid: x\n")

    code, out, _ = run(capsys, "kb", "faq-remove", change["faq_id"], "--actor", "mod-cy")
    assert code == 0 and out.startswith(f"Removed faq/{change['faq_id']}.md")
    code, _, err = run(capsys, "kb", "faq-remove", "what-flor")
    assert code == 1 and "Did you mean: what-flour" in err
    code, out, _ = run(capsys, "kb", "audit")
    assert [line.split()[3] for line in out.splitlines()] == ["faq_remove:", "reload:", "faq_add:", "reload:"]


def test_gaps_and_feedback(deployment: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = open_store(f"sqlite:///{deployment / 'bot.db'}")
    now = utcnow()
    confident = min(1.0, load_decision().threshold + LOW_CONFIDENCE_MARGIN + 0.05)  # answered: not a gap
    with transaction(engine) as session:
        for n, question in enumerate(["How do I knit a scarf?", "how do i knit a wool scarf", "Knit a scarf how?"]):
            log_question(f"m{n}", question, 0.2, True, session=session, now=now - timedelta(days=n))
        log_question("m9", "Which flour should I use for sourdough?", confident, False, session=session)
        record_feedback("m1", "How do I fix a flat tyre?", ["articles/bicycle-repair.md"], False, session=session)
    engine.dispose()

    code, out, _ = run(capsys, "kb", "gaps", "--json", "--days", "7")
    groups = json.loads(out)
    assert code == 0 and [g["count"] for g in groups] == [3] and groups[0]["closest"] is None
    code, out, _ = run(capsys, "kb", "gaps")
    assert code == 0 and out.startswith("1. (3x, 3 member(s)) ") and "write a new" in out
    code, out, _ = run(capsys, "kb", "feedback", "--json")
    assert code == 0 and json.loads(out)[0]["sources"] == ["articles/bicycle-repair.md"]
    code, out, _ = run(capsys, "kb", "feedback")
    assert code == 0 and "How do I fix a flat tyre?" in out and "cited: articles/bicycle-repair.md" in out
