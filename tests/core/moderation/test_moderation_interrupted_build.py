"""A `build-index` killed mid-build (SIGKILL, while embedding a large edit) leaves the old index live."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from kb_fixtures import SMALL_DECISION

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.index.artifacts import BUILDS, current_build
from bot.core.retrieval import SearchIndex

TOPICS = ["glaze", "kiln", "clay", "wheel", "trimming", "firing", "slip", "bisque", "wedging", "stoneware"]


def large_article() -> str:
    """About 200 distinct sentences: several seconds of embedding on a CPU."""
    sections = []
    for n, topic in enumerate(TOPICS):
        sentences = " ".join(
            f"Pottery note {n}-{k}: the {topic} step number {k} needs {k + n} minutes of careful attention."
            for k in range(20)
        )
        sections.append(f"## Working with {topic}\n{sentences}\n")
    return "---\nid: pottery\ntitle: Pottery basics\ntags: [crafts]\n---\n" + "\n".join(sections)


def read_lines(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


@pytest.mark.slow
def test_killed_build_leaves_the_old_index_loadable_and_answering(
    built_small: tuple[Path, Path],
    tmp_path: Path,
    embedder,  # type: ignore[no-untyped-def]
) -> None:
    knowledge, index = tmp_path / "knowledge", tmp_path / "index"
    shutil.copytree(built_small[0], knowledge)
    shutil.copytree(built_small[1], index)
    old = current_build(index)
    assert old is not None
    (knowledge / "articles" / "pottery.md").write_text(large_article(), encoding="utf-8")
    flour = knowledge / "faq" / "what-flour.md"
    flour.write_text(flour.read_text().replace("Use strong white", "Use any"), encoding="utf-8")

    env = {
        **os.environ,
        "KNOWLEDGE_DIR": str(knowledge),
        "INDEX_DIR": str(index),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "build-index"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=read_lines, args=(proc.stdout, lines), daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 300  # a fresh process imports torch and loads the model
        while not any("Embedding" in line and "texts" in line for line in seen):
            assert proc.poll() is None, "".join(seen)
            assert time.monotonic() < deadline, "".join(seen)
            with contextlib.suppress(queue.Empty):
                seen.append(lines.get(timeout=0.5))
        proc.send_signal(signal.SIGKILL)  # mid-embedding: nothing of the new build is live yet
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    live = current_build(index)
    assert live == old
    assert [p.name for p in (index / BUILDS).iterdir() if not p.name.startswith(".")] == [old.name]
    loaded = SearchIndex.load(index)
    assert loaded.artifacts.manifest.build_id == old.name
    question = "Which flour should I use for sourdough?"
    hits = loaded.search(embedder.encode_one(question), question, 3)
    assert hits[0].passage.text.startswith("Use strong white bread flour")  # the old text, served as before
    advisor = Advisor(AdvisorConfig(knowledge_dir=knowledge, index_dir=index, decision_file=SMALL_DECISION), embedder)
    assert advisor.stale_reason() == "the knowledge folder changed since the last build"  # rebuilt on next start
