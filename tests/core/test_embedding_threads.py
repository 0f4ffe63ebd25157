"""An index build encodes on the build threads; everything else, and whatever follows, on the serving ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

from bot.core.embedding import Embedder, resolve_model
from bot.settings import Settings


@pytest.fixture
def restored_threads() -> Iterator[None]:
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


def _recording(embedder: Embedder, seen: list[int]) -> None:
    """Wraps the real model's encode to note the torch threads each batch ran on."""
    model: Any = embedder.model
    encode = model.encode

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(torch.get_num_threads())
        return encode(*args, **kwargs)

    model.encode = recorded


@pytest.mark.usefixtures("restored_threads")
def test_a_bulk_encode_widens_the_threads_per_batch_and_restores_the_serving_setting() -> None:
    embedder = Embedder(resolve_model(""), batch_size=2, threads=1, build_threads=2)
    seen: list[int] = []
    _recording(embedder, seen)
    texts = ["what is overfitting", "do i need a degree", "python or r", "how long does it take", "gpu for ml"]

    built = embedder.encode(texts, bulk=True)
    assert seen == [2, 2, 2] and torch.get_num_threads() == 1

    seen.clear()
    asked = embedder.encode(texts)
    assert seen == [1, 1, 1]
    np.testing.assert_allclose(built, asked, atol=1e-5)  # same vectors, only faster


@pytest.mark.usefixtures("restored_threads")
def test_without_serving_threads_nothing_is_changed() -> None:
    """The evaluation and tests leave torch's own setting alone: no serving threads, no widening."""
    torch.set_num_threads(1)
    embedder = Embedder(resolve_model(""), threads=None, build_threads=2)
    seen: list[int] = []
    _recording(embedder, seen)
    embedder.encode(["one question"], bulk=True)
    assert seen == [1]


def test_build_threads_default_to_every_core() -> None:
    assert Settings(build_threads=0).index_build_threads >= 1
    assert Settings(build_threads=3).index_build_threads == 3
