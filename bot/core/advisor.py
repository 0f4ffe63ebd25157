"""The question-answering half of the core: owns the model and the live index, answers questions.

The model and index load once per process. A reload builds a new index version beside the live one
and swaps one reference, so a question in flight finishes on the version it started with.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import BaseModel

from bot.core.answers import Answer, abstain, clean_question, compose, confidence_of
from bot.core.embedding import Embedder
from bot.core.errors import IndexUnavailable
from bot.core.index.artifacts import current_build, read_manifest
from bot.core.index.build import BuildReport, Progress, build_index, is_stale
from bot.core.knowledge.models import KnowledgeBase
from bot.core.retrieval import Mode, SearchIndex

log = logging.getLogger(__name__)

# Calibrated on the dev split of eval/ (scripts/eval.py --calibrate); see docs/retrieval.md.
DEFAULT_ABSTAIN_BELOW = 0.31
MAX_K = 20


class AdvisorConfig(BaseModel):
    knowledge_dir: Path
    index_dir: Path
    abstain_below: float = DEFAULT_ABSTAIN_BELOW
    mode: Mode = "hybrid"


class Advisor:
    def __init__(self, config: AdvisorConfig, embedder: Embedder) -> None:
        self.config = config
        self.embedder = embedder
        self._index: SearchIndex | None = None
        self._build_lock = threading.Lock()

    # -- index lifecycle -------------------------------------------------------------------
    def stale_reason(self) -> str | None:
        return is_stale(self.config.index_dir, self.config.knowledge_dir, self.embedder.ref.name)

    def ensure_index(self, notify: Callable[[str], None] | None = None, progress: Progress | None = None) -> None:
        """Build the index when it is missing or stale, then load it (once)."""
        reason = self.stale_reason()
        if reason:
            if notify:
                notify(f"Building the knowledge index ({reason})...")
            self.rebuild(progress=progress)
        elif self._index is None:
            self._index = SearchIndex.load(self.config.index_dir)

    def rebuild(self, progress: Progress | None = None) -> BuildReport:
        """Validate and build a new version, then make it live; the old one serves until then."""
        with self._build_lock:
            report = build_index(self.config.knowledge_dir, self.config.index_dir, self.embedder, progress=progress)
            self._index = SearchIndex.load(self.config.index_dir)
            return report

    def refresh(self) -> bool:
        """Adopt a build another process made live (`roadmap-bot kb reload` moved index/CURRENT).

        Cheap enough to poll every few seconds: one small file read when nothing changed. Returns True
        when a newer build was loaded. Skipped while this process rebuilds (it loads the newest build
        itself); a build that cannot be read, or was made by another model, leaves the live one serving.
        """
        live = self._index
        folder = current_build(self.config.index_dir)
        if live is None or folder is None or (live.folder is not None and live.folder.name == folder.name):
            return False
        if not self._build_lock.acquire(blocking=False):
            return False
        try:
            manifest = read_manifest(self.config.index_dir)
            if manifest is None or manifest.model != self.embedder.ref.name:
                log.warning("Not adopting index build %s: made by another model or unreadable", folder.name)
                return False
            try:
                index = SearchIndex.load(self.config.index_dir)
            except IndexUnavailable as exc:
                log.warning("Not adopting index build %s: %s", folder.name, exc)
                return False
            self._index = index
            log.info("Adopted index build %s written by another process", index.artifacts.manifest.build_id)
            return True
        finally:
            self._build_lock.release()

    @property
    def loaded_index(self) -> SearchIndex | None:
        """The version in memory, if any, without loading or building one."""
        return self._index

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self.ensure_index()
        assert self._index is not None
        return self._index

    @property
    def knowledge(self) -> KnowledgeBase:
        return self.index.artifacts.knowledge

    # -- questions ---------------------------------------------------------------------------
    def ask(self, question: str, k: int = 5, mode: Mode | None = None) -> Answer:
        return self.ask_many([question], k=k, mode=mode)[0]

    def ask_many(self, questions: Sequence[str], k: int = 5, mode: Mode | None = None) -> list[Answer]:
        """Answer several questions with one batched encode; each question is encoded exactly once."""
        k = max(1, min(int(k), MAX_K))
        index = self.index  # one version for the whole batch
        cleaned = [clean_question(q) for q in questions]
        to_encode = [text for text, _ in cleaned if text]
        vectors = self.embedder.encode(to_encode) if to_encode else None
        answers: list[Answer] = []
        row = 0
        for text, note in cleaned:
            if not text:
                answers.append(
                    Answer(
                        question=text,
                        abstained=True,
                        body="Please ask a question — for example: “What should I learn first to become an ML engineer?”",
                        passages=[],
                    )
                )
                continue
            assert vectors is not None
            vector = vectors[row]
            row += 1
            hits = index.search(vector, text, k, mode or self.config.mode)
            confidence = confidence_of(hits)
            if not hits or confidence < self.config.abstain_below:
                answers.append(abstain(text, hits, confidence, note))
            else:
                answers.append(compose(text, vector, hits, index, confidence, note))
        return answers
