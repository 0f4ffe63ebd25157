#!/usr/bin/env python3
"""Answer speed on a shared machine: the advisor beside the bare floor of the same run.

  python scripts/bench_advisor.py [--questions 64] [--rounds 5] [--build]

The floor is the least any answer can cost: encode one question with the model on one thread, then
one FAISS search. Every other row is a median (machines here are shared and noisy) and its ratio to
that floor: one question end to end, the same while another process keeps a core busy (with the
serving thread setting and with torch's default threads), and 1 / 8 / 64 questions arriving at once
(throughput and p50/p95 latency) against the same 64 asked one after another, then the 64 both ways
again next to a competing process (a burst widens only onto cores other processes leave idle).
`--build` adds a full index build and a one-file rebuild (on a temporary copy of knowledge/).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import wait
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.advisor import Advisor, AdvisorConfig  # noqa: E402
from bot.core.embedding import Embedder, resolve_model, set_threads  # noqa: E402
from bot.core.index.build import build_index  # noqa: E402
from bot.settings import Settings  # noqa: E402

QUESTIONS = [
    "what should I learn first to become an ML engineer?",
    "how much math do i need for machine learning",
    "is a phd required??",
    "difference between data scientist and ml engineer",
    "my model aces the training data but faceplants on anything fresh",
    "whats the weather like in paris tomorrow",
    "which metric for an imbalanced classifier",
    "pytorch or tensorflow for a beginner",
    "do i need a gpu to learn deep learning",
    "I'm 35 and in marketing, can I still become an ML engineer? And do I need a degree?",
]


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def percentile_ms(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


@contextmanager
def competing_process() -> Iterator[None]:
    """One other process spinning on a core, as a database or another bot would."""
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    time.sleep(0.5)
    try:
        yield
    finally:
        busy.kill()
        busy.wait()


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def floor(advisor: Advisor, rounds: int) -> list[float]:
    """Encode one question on one thread, then one FAISS search: nothing else."""
    index = advisor.index
    samples = []
    for n in range(rounds * len(QUESTIONS)):
        question = QUESTIONS[n % len(QUESTIONS)]
        start = time.perf_counter()
        vector = advisor.embedder.encode([question])[0]
        index.faiss_index.search(vector.reshape(1, -1), 10)
        samples.append(time.perf_counter() - start)
    return samples


def one_question(advisor: Advisor, rounds: int) -> list[float]:
    samples = []
    for n in range(rounds * len(QUESTIONS)):
        start = time.perf_counter()
        advisor.ask(QUESTIONS[n % len(QUESTIONS)])
        samples.append(time.perf_counter() - start)
    return samples


def concurrent(advisor: Advisor, count: int) -> tuple[float, list[float]]:
    """`count` questions submitted at once; (wall time, each question's latency)."""
    questions = [QUESTIONS[n % len(QUESTIONS)] + f" ({n})" for n in range(count)]
    start = time.perf_counter()
    futures = [advisor.submit(q) for q in questions]
    done_at: dict[int, float] = {}
    for n, future in enumerate(futures):
        future.add_done_callback(lambda _, n=n: done_at.__setitem__(n, time.perf_counter()))
    wait(futures)
    wall = time.perf_counter() - start
    while len(done_at) < count:  # callbacks run just after the futures complete
        time.sleep(0.001)
    return wall, [done_at[n] - start for n in range(count)]


def sequential(advisor: Advisor, count: int) -> float:
    questions = [QUESTIONS[n % len(QUESTIONS)] + f" ({n})" for n in range(count)]
    start = time.perf_counter()
    for q in questions:
        advisor.ask(q)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=64, help="the largest burst (default 64)")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question list per row")
    parser.add_argument("--build", action="store_true", help="also time a full build and a one-file rebuild")
    args = parser.parse_args()

    settings = Settings().resolved()
    threads = settings.serving_threads
    work = Path(tempfile.mkdtemp(prefix="roadmap-bench-"))
    try:
        knowledge = work / "knowledge"
        shutil.copytree(ROOT / "knowledge", knowledge)
        embedder = Embedder(
            resolve_model(settings.embedding_model), threads=1, build_threads=settings.index_build_threads
        )
        started = time.perf_counter()
        _ = embedder.model
        model_load = time.perf_counter() - started
        started = time.perf_counter()
        report = build_index(knowledge, work / "index", embedder)
        build_seconds = time.perf_counter() - started
        advisor = Advisor(AdvisorConfig(knowledge_dir=knowledge, index_dir=work / "index"), embedder)
        advisor.ask(QUESTIONS[0])  # warm: index load, speller, batcher thread

        rows: list[tuple[str, float, str]] = []
        base = statistics.median(floor(advisor, args.rounds))
        rows.append(("floor: encode 1 question (1 thread) + FAISS search", base, "p50"))
        set_threads(threads)
        single = statistics.median(one_question(advisor, args.rounds))
        rows.append((f"one question end to end ({threads} thread)", single, "p50"))
        with competing_process():
            rows.append(
                (
                    f"  ... with a competing CPU-bound process ({threads} thread)",
                    statistics.median(one_question(advisor, args.rounds)),
                    "p50",
                )
            )
            default_threads = os.cpu_count() or 1
            set_threads(default_threads)
            rows.append(
                (
                    f"  ... same, torch default threads ({default_threads})",
                    statistics.median(one_question(advisor, args.rounds)),
                    "p50",
                )
            )
            set_threads(threads)
        # Bursts and their sequential twin alternate, `rounds` times each: drift on a shared machine
        # then touches both sides of the ratio alike.
        bursts: list[tuple[int, float, list[float]]] = []
        sequential_walls: list[float] = []
        burst_walls: list[float] = []
        for count in sorted({1, 8, args.questions}):
            walls, latencies = [], []
            for _ in range(args.rounds):
                wall, each = concurrent(advisor, count)
                walls.append(wall)
                latencies.extend(each)
                if count == args.questions:
                    burst_walls.append(wall)
                    sequential_walls.append(sequential(advisor, count))
            bursts.append((count, statistics.median(walls), latencies))
        seq = statistics.median(sequential_walls)
        # The same burst next to a busy process: it must not widen onto the core that process is using.
        busy_bursts: list[float] = []
        busy_sequential: list[float] = []
        with competing_process():
            for _ in range(args.rounds):
                busy_bursts.append(concurrent(advisor, args.questions)[0])
                busy_sequential.append(sequential(advisor, args.questions))
        batcher = advisor._batcher
        advisor.close()

        print(f"Knowledge: {report.passages} passages; model {embedder.ref.name}; serving threads {threads}")
        print(f"Model load {model_load:.1f} s; full index build {build_seconds:.1f} s ({report.embedded} texts)\n")
        print(f"| {'measure':<58} | {'median ms':>9} | {'× floor':>7} |")
        print(f"|{'-' * 60}|{'-' * 11}|{'-' * 9}|")
        for name, value, _ in rows:
            print(f"| {name:<58} | {value * 1000:>9.1f} | {value / base:>7.2f} |")
        print()
        print(
            f"| {'questions at once':<17} | {'wall ms':>9} | {'q/s':>7} | {'p50 ms':>8} | {'p95 ms':>8} | {'p50 × floor':>11} |"
        )
        print(f"|{'-' * 19}|{'-' * 11}|{'-' * 9}|{'-' * 10}|{'-' * 10}|{'-' * 13}|")
        for count, wall, latencies in bursts:
            p50 = percentile_ms(latencies, 0.5)
            print(
                f"| {count:<17} | {wall * 1000:>9.1f} | {count / wall:>7.1f} | {p50:>8.1f} | "
                f"{percentile_ms(latencies, 0.95):>8.1f} | {p50 / (base * 1000):>11.2f} |"
            )
        burst_wall = statistics.median(burst_walls)
        print(
            f"\n{args.questions} one after another: {seq * 1000:.0f} ms; at once: {burst_wall * 1000:.0f} ms "
            f"({seq / burst_wall:.1f}× faster; medians of {args.rounds} alternating runs); "
            f"{batcher.batches if batcher else 0} batches for {batcher.items if batcher else 0} questions in all"
        )
        busy_wall, busy_seq = statistics.median(busy_bursts), statistics.median(busy_sequential)
        print(
            f"With a competing CPU-bound process: one after another {busy_seq * 1000:.0f} ms; at once "
            f"{busy_wall * 1000:.0f} ms ({busy_seq / busy_wall:.1f}× faster)"
        )

        if args.build:
            target = next((knowledge / "faq").glob("*.md"))
            target.write_text(target.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
            started = time.perf_counter()
            rebuilt = build_index(knowledge, work / "index", embedder)
            print(f"One-file rebuild: {time.perf_counter() - started:.2f} s ({rebuilt.embedded} texts embedded)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
