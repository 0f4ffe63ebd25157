#!/usr/bin/env python3
"""Benchmark of live reloads on a temporary copy of the real knowledge/ (the live index is untouched).

  python scripts/bench_reload.py [--rounds 5]

Prints a table of medians (machines are shared and noisy) of `Moderation.reload` after a one-file FAQ
edit, a one-article edit, no change, and `add_faq` / `remove_faq` (each includes its reload). The
requirement is under 5 s for a one-file change. The index is copied too, so only the edits are embedded.
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
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bot.core.advisor import Advisor, AdvisorConfig
from bot.core.embedding import Embedder, resolve_model
from bot.core.moderation import ReloadResult
from bot.core.service import Services
from bot.core.store import open_store
from bot.settings import Settings


def row(name: str, seconds: list[float], embedded: list[int]) -> None:
    med, lo, hi = statistics.median(seconds), min(seconds), max(seconds)
    print(
        f"| {name:<52} | {med:>8.3f} | {lo:>8.3f} | {hi:>8.3f} | {statistics.median(embedded):>8.0f} | {len(seconds):>3} |"
    )


def measure(rounds: int, step: Callable[[int], ReloadResult]) -> tuple[list[float], list[int]]:
    seconds: list[float] = []
    embedded: list[int] = []
    for n in range(rounds):
        started = time.perf_counter()
        result = step(n)
        seconds.append(time.perf_counter() - started)
        if not result.ok:
            raise SystemExit("reload failed:\n" + "\n".join(result.problems))
        embedded.append(result.embedded)
    return seconds, embedded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = Settings().resolved()
    embedder = Embedder(resolve_model(settings.embedding_model))
    embedder.encode(["warm up"])

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        knowledge, index_dir = root / "knowledge", root / "index"
        shutil.copytree(settings.knowledge_dir, knowledge)
        if settings.index_dir.is_dir():
            shutil.copytree(settings.index_dir, index_dir)
        advisor = Advisor(AdvisorConfig(knowledge_dir=knowledge, index_dir=index_dir), embedder)
        started = time.perf_counter()
        advisor.ensure_index()
        print(f"initial index ready in {time.perf_counter() - started:.1f} s (reused from {settings.index_dir})\n")
        services = Services(advisor, open_store(f"sqlite:///{root / 'bench.db'}"))
        moderation = services.moderation

        print(f"| {'reload after':<52} | {'median s':>8} | {'min s':>8} | {'max s':>8} | {'embedded':>8} | {'n':>3} |")
        print(f"|{'-' * 54}|{'-' * 10}|{'-' * 10}|{'-' * 10}|{'-' * 10}|-----|")

        faq = sorted((knowledge / "faq").glob("*.md"))[0]
        faq_text = faq.read_text(encoding="utf-8")

        def edit_faq(n: int) -> ReloadResult:
            faq.write_text(faq_text.rstrip() + f" This answer was reviewed in round {n}.\n", encoding="utf-8")
            return moderation.reload("bench")

        row(f"one FAQ answer edited ({faq.name})", *measure(args.rounds, edit_faq))

        article = sorted((knowledge / "articles").glob("*.md"))[0]
        article_text = article.read_text(encoding="utf-8")

        def edit_article(n: int) -> ReloadResult:
            article.write_text(article_text.rstrip() + f" Reviewed in round {n}.\n", encoding="utf-8")
            return moderation.reload("bench")

        row(f"one article edited ({article.name})", *measure(args.rounds, edit_article))
        row("no change", *measure(args.rounds, lambda _n: moderation.reload("bench")))

        added: list[str] = []

        def add(n: int) -> ReloadResult:
            change = moderation.add_faq("bench", f"Benchmark question number {n}?", f"Benchmark answer {n}.")
            added.append(change.faq_id)
            assert change.reload is not None
            return change.reload

        row("add_faq (write + validate + reload)", *measure(args.rounds, add))

        def remove(n: int) -> ReloadResult:
            change = moderation.remove_faq("bench", added[n])
            assert change.reload is not None
            return change.reload

        row("remove_faq (delete + reload)", *measure(args.rounds, remove))
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
