#!/usr/bin/env python3
"""Event-loop health of the Discord bot under concurrent questions; prints a table.

  python scripts/bench_discord.py [--small] [--concurrency 1 5 20 50] [--rounds 3]

Runs the real RoadmapBot against the loopback Discord stand-in (tests/discord_standin), injects N
/ask interactions at once (one member each, so cooldowns stay out of the way) and measures, with a
task that sleeps 10 ms in a loop, how late the loop wakes up: the worst stall any gateway
heartbeat or interaction would have seen. Also reports when the deferrals and answers arrived.
By default it uses KNOWLEDGE_DIR/INDEX_DIR from the settings (building the index if needed);
`--small` uses the test fixture knowledge in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from discord_standin import DiscordStandIn, running_bot  # noqa: E402

from bot.core.service import Services  # noqa: E402
from bot.discord_app.client import RoadmapBot  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.wiring import make_services  # noqa: E402

QUESTIONS = [
    "what should I learn first to become an ML engineer?",
    "how much math do i need for machine learning",
    "is a phd required??",
    "difference between data scientist and ml engineer",
    "how do people deploy models to production",
    "what's the weather like in Paris",
    "How often do I feed a sourdough starter?",
    "When is the best time to look at the night sky?",
]


async def one_round(settings: Settings, services: Services, n: int) -> dict[str, float]:
    standin = DiscordStandIn()
    askers = [standin.add_user(f"asker{i}") for i in range(n)]
    lags: list[float] = []

    async def monitor() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - started - 0.01)

    def factory(s: DiscordStandIn) -> RoadmapBot:
        return RoadmapBot(settings.model_copy(update={"discord_guild_id": s.guild.id}), services)

    async with running_bot(factory, standin) as (_, standin):
        payloads = [
            standin.slash("ask", {"question": QUESTIONS[i % len(QUESTIONS)]}, user=u) for i, u in enumerate(askers)
        ]
        task = asyncio.create_task(monitor())
        started = time.perf_counter()
        records = await asyncio.gather(*(standin.interact(p) for p in payloads))
        callbacks = await asyncio.gather(*(r.response(timeout=30) for r in records))
        answers = await asyncio.gather(*(r.followup(timeout=120) for r in records))
        total = time.perf_counter() - started
        task.cancel()
    defer_ms = [(c.at - r.dispatched_at) * 1000 for c, r in zip(callbacks, records, strict=True)]
    answer_ms = [(a.at - r.dispatched_at) * 1000 for a, r in zip(answers, records, strict=True)]
    lags_ms = sorted(x * 1000 for x in lags)
    return {
        "answered": sum(a.ok for a in answers),
        "total_s": total,
        "defer_max_ms": max(defer_ms),
        "answer_p50_ms": statistics.median(answer_ms),
        "answer_max_ms": max(answer_ms),
        "lag_p99_ms": lags_ms[min(len(lags_ms) - 1, int(len(lags_ms) * 0.99))] if lags_ms else 0.0,
        "lag_max_ms": lags_ms[-1] if lags_ms else 0.0,
    }


async def main_async(args: argparse.Namespace, settings: Settings) -> None:
    services = make_services(settings)
    services.advisor.ensure_index(notify=print)
    print(f"knowledge: {settings.knowledge_dir}  ({os.cpu_count()} CPUs, median of {args.rounds} rounds)\n")
    header = ("N", "answered", "total s", "defer max ms", "answer p50 ms", "answer max ms", "lag p99 ms", "lag max ms")
    print(" | ".join(f"{h:>13}" for h in header))
    print("-+-".join("-" * 13 for _ in header))
    try:
        for n in args.concurrency:
            rounds = [await one_round(settings, services, n) for _ in range(args.rounds)]
            med = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
            cells = [
                str(n),
                f"{med['answered']:.0f}/{n}",
                f"{med['total_s']:.2f}",
                f"{med['defer_max_ms']:.0f}",
                f"{med['answer_p50_ms']:.0f}",
                f"{med['answer_max_ms']:.0f}",
                f"{med['lag_p99_ms']:.1f}",
                f"{med['lag_max_ms']:.1f}",
            ]
            print(" | ".join(f"{c:>13}" for c in cells), flush=True)
    finally:
        services.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="use the small test fixture knowledge")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 5, 20, 50])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings().resolved()
        if args.small:
            knowledge = Path(tmp) / "knowledge"
            shutil.copytree(ROOT / "tests" / "fixtures" / "kb_small", knowledge)
            settings = settings.model_copy(update={"knowledge_dir": knowledge, "index_dir": Path(tmp) / "index"})
        settings = settings.model_copy(update={"database_url": f"sqlite:///{Path(tmp) / 'bench.db'}"})
        asyncio.run(main_async(args, settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
