#!/usr/bin/env python3
"""Benchmarks of the advisor core; prints a table of medians (machines are shared and noisy).

  python scripts/bench_advisor.py [--rounds 3]

Measures: model load, index load, one question end to end, a batch of questions, a full index build
and a one-file incremental rebuild (on a temporary copy of knowledge/, the live index is untouched).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.embedding import Embedder, resolve_model
from bot.core.index.build import build_index
from bot.core.retrieval import SearchIndex
from bot.settings import Settings

QUESTIONS = [
    "what should I learn first to become an ML engineer?",
    "how much math do i need for machine learning",
    "is a phd required??",
    "difference between data scientist and ml engineer",
    "how do people deploy models to production",
    "what's the weather like in Paris",
    "which metrics for an imbalanced classifier",
    "pytorch or tensorflow for a beginner",
]


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def row(name: str, samples: list[float], unit: str = "ms", per: int = 1) -> None:
    scale = 1000 if unit == "ms" else 1
    med = statistics.median(samples) * scale / per
    lo, hi = min(samples) * scale / per, max(samples) * scale / per
    print(f"| {name:<44} | {med:>10.1f} | {lo:>10.1f} | {hi:>10.1f} | {unit:<4} | {len(samples):>3} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = Settings().resolved()

    print(f"| {'measure':<44} | {'median':>10} | {'min':>10} | {'max':>10} | unit | n   |")
    print(f"|{'-' * 46}|{'-' * 12}|{'-' * 12}|{'-' * 12}|------|-----|")

    embedder = Embedder(resolve_model(settings.embedding_model))
    start = time.perf_counter()
    embedder.encode(["warm up"])
    row("model load + first encode", [time.perf_counter() - start], "s")

    advisor = Advisor(AdvisorConfig(knowledge_dir=settings.knowledge_dir, index_dir=settings.index_dir), embedder)
    advisor.ensure_index()
    row("index load (FAISS + passages + BM25)", timed(lambda: SearchIndex.load(settings.index_dir), args.rounds))

    singles = [t for q in QUESTIONS for t in timed(lambda q=q: advisor.ask(q), args.rounds)]  # type: ignore[misc]
    row("ask: one question (encode+search+compose)", singles)
    encode_only = [t for q in QUESTIONS for t in timed(lambda q=q: embedder.encode([q]), args.rounds)]  # type: ignore[misc]
    row("  of which: encode the question", encode_only)
    batch = QUESTIONS * 8
    row("ask_many: 64 questions, per question", timed(lambda: advisor.ask_many(batch), args.rounds), per=len(batch))

    with tempfile.TemporaryDirectory() as tmp:
        knowledge = Path(tmp) / "knowledge"
        shutil.copytree(settings.knowledge_dir, knowledge)
        index_dir = Path(tmp) / "index"
        full = timed(lambda: build_index(knowledge, index_dir, embedder), 1)
        row("build: full, from nothing", full, "s")
        faq = sorted((knowledge / "faq").glob("*.md"))[0]
        original = faq.read_text()

        def edit_and_build() -> None:
            faq.write_text(original + f"\nEdited at {time.time()}.\n")
            build_index(knowledge, index_dir, embedder)

        row("build: one FAQ file edited (incremental)", timed(edit_and_build, args.rounds), "s")
        art = sorted((knowledge / "articles").glob("*.md"))[0]
        art_text = art.read_text()

        def edit_article() -> None:
            art.write_text(art_text + f"\nOne more sentence written at {time.time()}.\n")
            build_index(knowledge, index_dir, embedder)

        row("build: one article edited (incremental)", timed(edit_article, args.rounds), "s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
