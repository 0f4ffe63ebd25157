"""Live reloads: questions keep being answered from one complete version, failures keep the old one."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kb_fixtures import SMALL_DECISION

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.answers import Answer
from bot.core.index import build as build_module
from bot.core.retrieval import SearchIndex
from bot.core.service import Services

QUESTIONS = [
    "Which flour should I use for sourdough?",
    "How much air should my bicycle tyres have?",
    "When is the best time to look at the night sky?",
    "How do I fix a flat tyre?",
    "Which telescope should I buy first?",
    "How do I keep a sourdough starter alive?",
]
MARKER = "Revised edition."
PROBLEM = re.compile(r"^[\w./-]+:\d+: .+")


def revise(path: Path) -> None:
    """Append MARKER to every text line below the front matter, so every passage of the file changes."""
    lines = path.read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)
    in_anchors = False
    for i in range(closing + 1, len(lines)):
        if lines[i].startswith("<!--"):
            in_anchors = "-->" not in lines[i]
            continue
        if in_anchors:
            in_anchors = "-->" not in lines[i]
            continue
        if lines[i].strip() and not lines[i].startswith("#"):
            lines[i] = f"{lines[i]} {MARKER}"
    path.write_text("\n".join(lines), encoding="utf-8")


def snapshot(index: SearchIndex | None) -> set[tuple[str, str]]:
    assert index is not None
    return {(p.source, p.text) for p in index.passages}


def passages_of(answer: Answer) -> set[tuple[str, str]]:
    return {(p.source, p.text) for p in answer.passages}


def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait for `condition`, polling: a fixed sleep is too short on a busy machine."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def test_questions_during_a_reload_are_answered_from_one_complete_version(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    advisor = services.advisor
    old = snapshot(advisor.loaded_index)
    knowledge = services.moderation.knowledge_dir
    for path in sorted([*knowledge.glob("faq/*.md"), *knowledge.glob("articles/*.md")]):
        revise(path)

    # The moment the new version is loaded, just before the advisor swaps its reference to it.
    loaded_at: list[float] = []
    original_load = SearchIndex.load.__func__  # type: ignore[attr-defined]

    def timed_load(cls: type[SearchIndex], index_dir: Path) -> SearchIndex:
        index: SearchIndex = original_load(cls, index_dir)
        loaded_at.append(time.monotonic())
        return index

    monkeypatch.setattr(SearchIndex, "load", classmethod(timed_load))
    # A slow disk: the new version takes a while to write, and questions keep coming meanwhile.
    original_write = build_module.write_build

    def slow_write(*args: Any, **kwargs: Any) -> Path:
        # Not a fixed sleep: on a busy machine one answer can take seconds, so the write waits until a
        # question asked after the rebuild began has been answered (or 30 s have passed).
        until(lambda: any(started >= reload_started[0] for started, _, _ in answers))
        return original_write(*args, **kwargs)

    monkeypatch.setattr(build_module, "write_build", slow_write)

    stop = threading.Event()
    reload_started = [float("inf")]
    answers: list[tuple[float, float, Answer]] = []
    errors: list[BaseException] = []

    def ask_in_a_loop(worker: int) -> None:
        n = worker
        while not stop.is_set():
            started = time.monotonic()
            try:
                answer = services.ask(QUESTIONS[n % len(QUESTIONS)], user_id=f"member-{worker}")
            except BaseException as exc:  # any failure at all is what this test looks for
                errors.append(exc)
                return
            answers.append((started, time.monotonic(), answer))
            n += 1

    workers = [threading.Thread(target=ask_in_a_loop, args=(w,)) for w in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)
    reload_started[0] = time.monotonic()
    result = services.moderation.reload("mod-ana")
    reload_finished = time.monotonic()
    until(lambda: any(started > reload_finished for started, _, _ in answers))
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    assert not errors, errors
    assert result.ok, result.problems
    new = snapshot(advisor.loaded_index)
    assert old.isdisjoint(new)  # every passage changed, so a mix of versions would show
    for _, _, answer in answers:
        got = passages_of(answer)
        assert got, answer.question
        assert got <= old or got <= new, f"an answer mixed two index versions: {answer.question}"
    swapped_at = loaded_at[-1]
    during = [a for s, e, a in answers if s >= reload_started[0] and e <= swapped_at]
    after = [a for s, _, a in answers if s > reload_finished]
    print(f"\n{len(answers)} answers, {len(during)} during the rebuild, reload took {result.seconds:.2f} s")
    assert during, "no question was answered while the rebuild ran"
    assert all(passages_of(a) <= old for a in during)
    assert after and all(passages_of(a) <= new for a in after)
    assert any(MARKER in p.text for a in after for p in a.passages)


def test_invalid_knowledge_keeps_the_old_index_and_reports_every_problem(services: Services) -> None:
    moderation = services.moderation
    knowledge = moderation.knowledge_dir
    before = moderation.status().build_id
    flour = knowledge / "faq" / "what-flour.md"
    flour.write_text(flour.read_text().replace("tags: [baking]", "tags: [Baking Stuff]").replace("Use strong", "NEW"))
    roadmap = knowledge / "roadmaps" / "home-skills.yaml"
    roadmap.write_text(roadmap.read_text().replace("articles: [bicycle-repair]", "articles: [bicycle-repairs]"))

    result = moderation.reload("mod-ana")

    assert not result.ok
    assert result.build_id == result.previous_build_id == before
    assert all(PROBLEM.match(p) for p in result.problems), result.problems
    assert any(p.startswith("faq/what-flour.md:4: tags.0:") for p in result.problems), result.problems
    assert any(p.startswith("roadmaps/home-skills.yaml:") and "bicycle-repairs" in p for p in result.problems)
    answer = services.ask("Which flour should I use for sourdough?")
    assert answer.passages[0].text.startswith("Use strong white bread flour")  # still the old text
    status = moderation.status()
    assert status.build_id == before and status.last_reload == result and status.pending
    entry = moderation.audit(limit=1)[0]
    assert (entry.actor, entry.action) == ("mod-ana", "reload") and entry.detail.startswith("failed")

    flour.write_text(flour.read_text().replace("[Baking Stuff]", "[baking]"))
    roadmap.write_text(roadmap.read_text().replace("bicycle-repairs", "bicycle-repair"))
    fixed = moderation.reload("mod-ana")
    assert fixed.ok and fixed.build_id != before and moderation.status().pending is None
    assert services.ask("Which flour should I use for sourdough?").passages[0].text.startswith("NEW")


def test_one_file_reload_is_incremental_and_fast(services: Services, record_property: pytest.RecordProperty) -> None:
    tyre = services.moderation.knowledge_dir / "faq" / "tyre-pressure.md"
    tyre.write_text(tyre.read_text().replace("The safe range", "The recommended range"))

    result = services.moderation.reload("mod-ana")

    assert result.ok
    assert 1 <= result.embedded <= 4 and result.reused > 20  # the one passage and its sentences
    record_property("one_file_reload_seconds", result.seconds)
    print(f"\none-file reload (small knowledge base): {result.seconds:.3f} s")
    assert result.seconds < 30  # the requirement is < 5 s; generous here because CI machines are shared
    assert "recommended range" in services.ask("How much air should my bicycle tyres have?").body


def test_refresh_adopts_a_build_written_by_another_process(services: Services, embedder) -> None:  # type: ignore[no-untyped-def]
    advisor = services.advisor
    assert advisor.refresh() is False  # nothing new: one small file read
    star = services.moderation.knowledge_dir / "faq" / "best-night-sky.md"
    star.write_text(star.read_text().replace("Moonless nights", "Clear moonless nights"))
    assert services.moderation.status().pending  # the folder changed, nothing rebuilt yet

    other = Advisor(
        AdvisorConfig(
            knowledge_dir=advisor.config.knowledge_dir,
            index_dir=advisor.config.index_dir,
            decision_file=SMALL_DECISION,
        ),
        embedder,
    )
    report = other.rebuild()  # what `roadmap-bot kb reload` does in its own process

    assert advisor.refresh() is True
    index = advisor.loaded_index
    assert index is not None and index.artifacts.manifest.build_id == report.build_id
    assert advisor.refresh() is False
    assert services.ask("When is the best time to look at the night sky?").body.startswith("Clear moonless nights")


def test_reload_if_changed_skips_an_unchanged_folder(services: Services) -> None:
    moderation = services.moderation
    assert moderation.reload_if_changed("watcher") is None
    assert moderation.audit() == []
    flour = moderation.knowledge_dir / "faq" / "what-flour.md"
    flour.write_text(flour.read_text() + "\nRye makes it denser.\n")
    result = moderation.reload_if_changed("watcher")
    assert result is not None and result.ok and result.actor == "watcher"
    assert moderation.reload_if_changed("watcher") is None
