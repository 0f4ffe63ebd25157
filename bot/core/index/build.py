"""Validate, chunk, embed and write the index; reuse the vectors of text that did not change."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np
from pydantic import BaseModel

from bot.core.chunking import ChunkerSettings, chunk_knowledge
from bot.core.embedding import Embedder, Vectors
from bot.core.errors import IndexUnavailable
from bot.core.index.artifacts import (
    FORMAT_VERSION,
    Artifacts,
    Counts,
    Manifest,
    current_build,
    read_build,
    read_manifest,
    write_build,
)
from bot.core.knowledge.loader import fingerprint, load_knowledge
from bot.core.knowledge.models import KnowledgeBase

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


class BuildReport(BaseModel):
    build_id: str
    folder: str
    passages: int
    embedded: int
    reused: int
    seconds: float
    counts: Counts


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_stale(
    index_dir: Path, knowledge_dir: Path, model_name: str, chunker: ChunkerSettings | None = None
) -> str | None:
    """Why the index must be rebuilt, or None when it matches the knowledge folder, the model and
    (when given) the chunker settings."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        return "there is no index yet"
    if manifest.format_version != FORMAT_VERSION:
        return "the index was built by an older version of roadmap-bot"
    if manifest.model != model_name:
        return f"the index was built with model '{manifest.model}', the configured one is '{model_name}'"
    if manifest.files != fingerprint(knowledge_dir):
        return "the knowledge folder changed since the last build"
    if chunker is not None and manifest.chunker != chunker:
        return "the index was built with other passage settings"
    return None


def check_knowledge(knowledge_dir: Path) -> KnowledgeBase:
    """Validate only (raises KnowledgeInvalid with every problem)."""
    return load_knowledge(knowledge_dir)


def build_index(
    knowledge_dir: Path,
    index_dir: Path,
    embedder: Embedder,
    chunker: ChunkerSettings | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build a new index version and make it live; the old one stays live if anything fails."""
    started = time.perf_counter()
    files = fingerprint(knowledge_dir)
    kb = load_knowledge(knowledge_dir)
    chunker = chunker or ChunkerSettings()
    # Windows must fit the model's input (special tokens included); the manifest keeps the settings asked for.
    fitting = chunker.model_copy(update={"max_tokens": min(chunker.max_tokens, embedder.max_tokens - 16)})
    passages = chunk_knowledge(kb, embedder.count_tokens, fitting)
    if not passages:
        raise IndexUnavailable("the knowledge folder produced no passages")

    cache = _previous_vectors(index_dir, embedder)
    texts: list[str] = [p.embed_text for p in passages]
    window_rows: list[list[int]] = []
    anchor_rows: list[list[int]] = []
    for passage in passages:
        extra = passage.window_texts
        window_rows.append(list(range(len(texts), len(texts) + len(extra))))
        texts.extend(extra)
        anchor_rows.append(list(range(len(texts), len(texts) + len(passage.anchors))))
        texts.extend(passage.anchors)
    keys = len(texts)
    scope_rows: list[list[int]] = []
    for rule in kb.scope:
        scope_rows.append(list(range(len(texts), len(texts) + len(rule.examples))))
        texts.extend(rule.examples)

    hashes = [text_key(t) for t in texts]
    missing = sorted({k: i for i, k in enumerate(hashes) if k not in cache}.values())
    reused = sum(1 for k in hashes if k in cache)
    log.info("Embedding %d of %d texts (%d reused)", len(missing), len(texts), reused)
    fresh = embedder.encode([texts[i] for i in missing], progress=progress, bulk=True)
    new_vectors = {hashes[i]: fresh[n] for n, i in enumerate(missing)}
    embeddings: Vectors = np.vstack([new_vectors[k] if k in new_vectors else cache[k] for k in hashes]).astype(
        np.float32
    )

    index = faiss.IndexFlatIP(embedder.dimension)
    index.add(np.ascontiguousarray(embeddings[:keys]))

    built_at = datetime.now(UTC)
    digest = hashlib.sha256("".join(sorted(files.values())).encode()).hexdigest()[:8]
    build_id = f"{built_at:%Y%m%dT%H%M%S%f}-{digest}"
    counts = Counts(
        articles=len(kb.articles),
        faq=len(kb.faq),
        roadmaps=len(kb.roadmaps),
        steps=sum(len(r.steps) for r in kb.roadmaps),
        passages=len(passages),
        anchors=sum(len(rows) for rows in anchor_rows),
        windows=sum(len(rows) for rows in window_rows),
        scope_examples=len(texts) - keys,
    )
    manifest = Manifest(
        build_id=build_id,
        built_at=built_at,
        model=embedder.ref.name,
        dimension=embedder.dimension,
        chunker=chunker,
        counts=counts,
        files=files,
        embedded=len(missing),
        reused=reused,
        build_seconds=round(time.perf_counter() - started, 3),
    )
    artifacts = Artifacts(
        manifest=manifest,
        passages=passages,
        passage_hashes=[text_key(p.embed_text) for p in passages],
        anchor_rows=anchor_rows,
        window_rows=window_rows,
        scope_rows=scope_rows,
        embeddings=embeddings,
        knowledge=kb,
    )
    folder = write_build(index_dir, artifacts, index)
    seconds = time.perf_counter() - started
    log.info("Index %s built in %.1f s: %d passages", build_id, seconds, len(passages))
    return BuildReport(
        build_id=build_id,
        folder=str(folder),
        passages=len(passages),
        embedded=len(missing),
        reused=reused,
        seconds=round(seconds, 3),
        counts=counts,
    )


def _previous_vectors(index_dir: Path, embedder: Embedder) -> dict[str, Vectors]:
    """Vectors of the live build keyed by text hash, when it was made by the same model."""
    manifest = read_manifest(index_dir)
    folder = current_build(index_dir)
    if manifest is None or folder is None or manifest.model != embedder.ref.name:
        return {}
    if manifest.format_version != FORMAT_VERSION:
        log.info("Not reusing vectors of an index in an older format")
        return {}
    try:
        artifacts, _ = read_build(folder)
    except IndexUnavailable as exc:
        log.warning("Ignoring the previous index for reuse: %s", exc)
        return {}
    cache: dict[str, Vectors] = {}
    vectors = artifacts.embeddings
    for n, passage in enumerate(artifacts.passages):
        cache[artifacts.passage_hashes[n]] = vectors[n]
        for anchor, row in zip(passage.anchors, artifacts.anchor_rows[n], strict=True):
            cache[text_key(anchor)] = vectors[row]
        for window, row in zip(passage.window_texts, artifacts.window_rows[n], strict=True):
            cache[text_key(window)] = vectors[row]
    for rule, rows in zip(artifacts.knowledge.scope, artifacts.scope_rows, strict=True):
        for example, row in zip(rule.examples, rows, strict=True):
            cache[text_key(example)] = vectors[row]
    return cache
