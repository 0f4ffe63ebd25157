"""The build is atomic (a failed or killed build leaves the old index live) and incremental."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from bot.core.errors import IndexUnavailable, KnowledgeInvalid
from bot.core.index import artifacts
from bot.core.index.artifacts import current_build, read_manifest
from bot.core.index.build import build_index, is_stale
from bot.core.retrieval import SearchIndex


def test_build_writes_a_complete_version(small_kb: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    index_dir = tmp_path / "index"
    report = build_index(small_kb, index_dir, embedder)
    folder = current_build(index_dir)
    assert folder is not None and folder.name == report.build_id
    assert {p.name for p in folder.iterdir()} == {
        "vectors.faiss",
        "embeddings.npy",
        "passages.jsonl",
        "knowledge.json",
        "scope.json",
        "manifest.json",
    }
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == "all-MiniLM-L6-v2" and manifest["dimension"] == 384
    assert manifest["counts"]["passages"] == report.passages == 11
    assert manifest["counts"]["articles"] == 3 and manifest["counts"]["faq"] == 3
    assert set(manifest["files"]) == {
        "articles/baking-bread.md",
        "articles/bicycle-repair.md",
        "articles/telescope-astronomy.md",
        "faq/best-night-sky.md",
        "faq/tyre-pressure.md",
        "faq/what-flour.md",
        "roadmaps/home-skills.yaml",
        "scope.yaml",
    }
    assert manifest["counts"]["anchors"] == 8 and manifest["counts"]["scope_examples"] == 8
    assert report.reused == 0
    loaded = SearchIndex.load(index_dir)
    assert loaded.faiss_index.ntotal == 11 + 8  # passages and their anchors; scope examples are kept apart
    assert [r.id for r in loaded.artifacts.knowledge.scope] == ["off-topic", "shopping"]
    assert is_stale(index_dir, small_kb, "all-MiniLM-L6-v2") is None


def test_editing_one_file_reembeds_only_that_file(small_kb: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    index_dir = tmp_path / "index"
    first = build_index(small_kb, index_dir, embedder)
    faq = small_kb / "faq" / "what-flour.md"
    faq.write_text(faq.read_text().replace("thirteen percent", "twelve or thirteen percent"))
    assert is_stale(index_dir, small_kb, "all-MiniLM-L6-v2") == "the knowledge folder changed since the last build"
    second = build_index(small_kb, index_dir, embedder)
    # Only the FAQ passage's own text; its anchors and everything else came from the previous build.
    assert second.embedded == 1
    assert second.reused == first.embedded - 1
    index = SearchIndex.load(index_dir)
    assert any("twelve or thirteen" in p.text for p in index.passages)


def test_invalid_knowledge_leaves_the_old_index(small_kb: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    before = current_build(index_dir)
    (small_kb / "faq" / "what-flour.md").write_text("---\nid: what-flour\n---\n")
    with pytest.raises(KnowledgeInvalid):
        build_index(small_kb, index_dir, embedder)
    assert current_build(index_dir) == before
    SearchIndex.load(index_dir)


def test_a_build_that_dies_while_writing_leaves_the_old_index(small_kb: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    before = current_build(index_dir)
    (small_kb / "faq" / "what-flour.md").write_text(
        (small_kb / "faq" / "what-flour.md").read_text() + "\nRye ferments faster.\n"
    )
    with mock.patch.object(artifacts.np, "save", side_effect=OSError("disk full")), pytest.raises(OSError):
        build_index(small_kb, index_dir, embedder)
    assert current_build(index_dir) == before
    assert not list((index_dir / "builds").glob(".tmp-*"))
    assert len(SearchIndex.load(index_dir).passages) == 11


def test_index_from_another_model_is_stale_and_unreadable_index_is_an_error(
    small_kb: Path,
    tmp_path: Path,
    embedder,  # type: ignore[no-untyped-def]
) -> None:
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    assert "built with model 'all-MiniLM-L6-v2'" in (is_stale(index_dir, small_kb, "other-model") or "")
    folder = current_build(index_dir)
    assert folder is not None
    (folder / "vectors.faiss").write_bytes(b"not faiss")
    with pytest.raises(IndexUnavailable, match="rebuild"):
        SearchIndex.load(index_dir)
    manifest = read_manifest(index_dir)
    assert manifest is not None and manifest.counts.passages == 11


def test_a_killed_builds_temporary_folder_goes_at_the_next_build(small_kb: Path, tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    builds = index_dir / "builds"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = builds / f"{artifacts.TMP_PREFIX}{artifacts._HOST}-{int(dead.stdout)}-20260101T000000000000-deadbeef"
    killed.mkdir()
    (killed / "embeddings.npy").write_bytes(b"x" * 1000)
    other_host = builds / f"{artifacts.TMP_PREFIX}otherhost-1-20260101T000000000000-cafebabe"
    other_host.mkdir()  # maybe another container writing on a shared volume: left alone for an hour
    build_index(small_kb, index_dir, embedder)
    assert not killed.exists() and other_host.exists()
    os.utime(other_host, (0, 0))
    build_index(small_kb, index_dir, embedder)
    assert not other_host.exists()
