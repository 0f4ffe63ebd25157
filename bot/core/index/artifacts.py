"""The index on disk: a build folder per version and a CURRENT pointer replaced atomically.

Layout under INDEX_DIR:
  builds/<build_id>/vectors.faiss     FAISS inner-product index over every key: passages, their later windows
                                      and their question anchors
  builds/<build_id>/embeddings.npy    the same vectors as a matrix, in the same order, for reuse by the next build
  builds/<build_id>/passages.jsonl    passage metadata and text, with the rows of their windows and anchors
  builds/<build_id>/scope.json        rows of each scope rule's examples (embedded, not searched as passages)
  builds/<build_id>/knowledge.json    the validated knowledge the build saw (roadmaps and FAQ served from it)
  builds/<build_id>/manifest.json     model, dimension, counts, hashes, build time
  CURRENT                             the name of the live build folder

A build is written in a temporary folder, renamed into `builds/`, and only then CURRENT is replaced
(`os.replace` is atomic), so a reader sees the old build or the new one, never half of one. Nothing is
pickled: every file is plain data.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from pydantic import BaseModel, ConfigDict

from bot.core.chunking import ChunkerSettings, Passage
from bot.core.embedding import Vectors
from bot.core.errors import IndexUnavailable
from bot.core.knowledge.models import KnowledgeBase

FORMAT_VERSION = 3
TMP_PREFIX = ".tmp-"
STALE_SECONDS = 3600
_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname()) or "host"
CURRENT = "CURRENT"
BUILDS = "builds"
KEEP_BUILDS = 2

log = logging.getLogger(__name__)


class Counts(BaseModel):
    articles: int
    faq: int
    roadmaps: int
    steps: int
    passages: int
    anchors: int
    windows: int = 0
    scope_examples: int = 0


class Manifest(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    format_version: int = FORMAT_VERSION
    build_id: str
    built_at: datetime
    model: str
    dimension: int
    metric: str = "inner_product_on_normalised_vectors"
    chunker: ChunkerSettings
    counts: Counts
    files: dict[str, str]
    embedded: int
    reused: int
    build_seconds: float


class StoredPassage(BaseModel):
    passage: Passage
    hash: str
    anchor_rows: list[int]
    window_rows: list[int] = []


class Artifacts(BaseModel):
    """Everything a build produced, in memory."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    manifest: Manifest
    passages: list[Passage]
    passage_hashes: list[str]
    anchor_rows: list[list[int]]
    embeddings: Any  # float32 matrix: passage rows, then each passage's window and anchor rows, then scope rows
    knowledge: KnowledgeBase
    window_rows: list[list[int]] = []
    scope_rows: list[list[int]] = []

    @property
    def key_count(self) -> int:
        """Rows the FAISS index holds: passages and anchors (scope examples are matched apart)."""
        return len(self.embeddings) - sum(len(rows) for rows in self.scope_rows)

    @property
    def passage_vectors(self) -> Vectors:
        vectors: Vectors = self.embeddings[: len(self.passages)]
        return vectors

    def key_owners(self) -> tuple[list[int], list[bool]]:
        """For every row of the FAISS index, the passage it points to, and whether it is a question anchor."""
        owners = list(range(len(self.passages)))
        owners.extend([-1] * (self.key_count - len(self.passages)))
        is_anchor = [False] * self.key_count
        for n, (windows, anchors) in enumerate(zip(self.window_rows, self.anchor_rows, strict=True)):
            for row in windows:
                owners[row] = n
            for row in anchors:
                owners[row] = n
                is_anchor[row] = True
        return owners, is_anchor


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    name = pointer.read_text().strip()
    folder = index_dir / BUILDS / name
    if not name or "/" in name or name.startswith(".") or not folder.is_dir():
        return None
    return folder


def read_manifest(index_dir: Path) -> Manifest | None:
    folder = current_build(index_dir)
    if folder is None:
        return None
    try:
        return Manifest.model_validate_json((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def write_build(index_dir: Path, artifacts: Artifacts, faiss_index: Any) -> Path:
    """Write a complete build beside the live one, then switch CURRENT to it atomically."""
    builds = index_dir / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(builds)
    tmp = builds / f"{TMP_PREFIX}{_HOST}-{os.getpid()}-{artifacts.manifest.build_id}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        faiss.write_index(faiss_index, str(tmp / "vectors.faiss"))
        np.save(tmp / "embeddings.npy", np.asarray(artifacts.embeddings, dtype=np.float32), allow_pickle=False)
        with (tmp / "passages.jsonl").open("w", encoding="utf-8") as fh:
            for passage, digest, anchors, windows in zip(
                artifacts.passages, artifacts.passage_hashes, artifacts.anchor_rows, artifacts.window_rows, strict=True
            ):
                stored = StoredPassage(passage=passage, hash=digest, anchor_rows=anchors, window_rows=windows)
                fh.write(stored.model_dump_json() + "\n")
        (tmp / "knowledge.json").write_text(artifacts.knowledge.model_dump_json(), encoding="utf-8")
        (tmp / "scope.json").write_text(json.dumps({"rows": artifacts.scope_rows}), encoding="utf-8")
        # The manifest goes last: a folder without one is never a valid build.
        (tmp / "manifest.json").write_text(artifacts.manifest.model_dump_json(indent=2), encoding="utf-8")
        _fsync_dir(tmp)
        final = builds / artifacts.manifest.build_id
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    pointer_tmp = index_dir / f".{CURRENT}.tmp"
    pointer_tmp.write_text(final.name + "\n")
    os.replace(pointer_tmp, index_dir / CURRENT)
    _prune(builds, keep=final.name)
    return final


def read_knowledge(folder: Path) -> KnowledgeBase:
    """Only the knowledge snapshot of a build: cheap, for commands that need roadmaps or FAQ entries."""
    try:
        return KnowledgeBase.model_validate_json((folder / "knowledge.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexUnavailable(f"the index at {folder} is unreadable ({exc}); rebuild it") from exc


def read_build(folder: Path) -> tuple[Artifacts, Any]:
    """Load a build folder; any inconsistency is an IndexUnavailable, never a half-loaded index."""
    try:
        manifest = Manifest.model_validate_json((folder / "manifest.json").read_text())
        if manifest.format_version != FORMAT_VERSION:
            raise IndexUnavailable(f"index format {manifest.format_version} is not supported; rebuild it")
        index = faiss.read_index(str(folder / "vectors.faiss"))
        embeddings = np.load(folder / "embeddings.npy", allow_pickle=False)
        stored = [
            StoredPassage.model_validate_json(line)
            for line in (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        knowledge = KnowledgeBase.model_validate_json((folder / "knowledge.json").read_text(encoding="utf-8"))
        scope_rows = json.loads((folder / "scope.json").read_text(encoding="utf-8"))["rows"]
    except IndexUnavailable:
        raise
    except (OSError, ValueError, RuntimeError, KeyError, TypeError) as exc:
        raise IndexUnavailable(f"the index at {folder} is unreadable ({exc}); rebuild it") from exc
    scope_count = sum(len(rows) for rows in scope_rows)
    if (
        index.ntotal != len(embeddings) - scope_count
        or len(scope_rows) != len(knowledge.scope)
        or any(not index.ntotal <= row < len(embeddings) for rows in scope_rows for row in rows)
        or embeddings.shape[1] != manifest.dimension
        or index.d != manifest.dimension
        or any(not len(stored) <= row < index.ntotal for s in stored for row in [*s.anchor_rows, *s.window_rows])
    ):
        raise IndexUnavailable(f"the index at {folder} is inconsistent; rebuild it")
    artifacts = Artifacts(
        manifest=manifest,
        passages=[s.passage for s in stored],
        passage_hashes=[s.hash for s in stored],
        anchor_rows=[s.anchor_rows for s in stored],
        window_rows=[s.window_rows for s in stored],
        embeddings=embeddings,
        knowledge=knowledge,
        scope_rows=scope_rows,
    )
    return artifacts, index


def _prune(builds: Path, keep: str) -> None:
    """Keep the live build and the one before it (a reader may still hold it); drop the rest."""
    finished = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    kept = 0
    for folder in finished:
        if folder.name == keep or kept < KEEP_BUILDS:
            kept += 1
            continue
        shutil.rmtree(folder, ignore_errors=True)
    remove_stale_temporaries(builds)


def drop_builds_naming(index_dir: Path, needles: set[str], keep: str | None) -> int:
    """Delete every build except `keep` whose knowledge snapshot mentions one of `needles` (a forgotten
    member's id survives in the `added_by` of old snapshots otherwise). Returns how many went."""
    builds = index_dir / BUILDS
    removed = 0
    for folder in builds.iterdir() if builds.is_dir() else []:
        if folder.name == keep or not folder.is_dir():
            continue
        try:
            text = (folder / "knowledge.json").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if any(needle and needle in text for needle in needles):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def remove_stale_temporaries(builds: Path) -> None:
    """A killed build leaves its temporary folder (megabytes each). Removed at the start of every build:
    a folder whose writer was a process on this host that is gone, or any folder older than an hour
    (another host's build, on a shared volume, is left alone until then)."""
    for stale in builds.glob(f"{TMP_PREFIX}*"):
        parts = stale.name[len(TMP_PREFIX) :].split("-", 2)
        mine = len(parts) == 3 and parts[0] == _HOST and parts[1].isdigit()
        try:
            old = stale.stat().st_mtime < time.time() - STALE_SECONDS
        except OSError:
            continue
        if old or (mine and not _alive(int(parts[1]))):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    for child in folder.iterdir():
        with child.open("rb") as fh:
            os.fsync(fh.fileno())
