"""Render the example progress card shown in the README (docs/card.png).

A made-up member on the shipped ML Engineer roadmap: some steps done, one under review, two in
progress, a target date and a few weeks of activity, in a throwaway in-memory store. The clock is
fixed, so the card is the same on every run:

    python scripts/render_card.py [--out docs/card.png] [--knowledge knowledge]
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.core.engagement.service import EngagementService
from bot.core.knowledge.loader import load_knowledge
from bot.core.roadmap.service import RoadmapService
from bot.core.store import engagement as engagement_store
from bot.core.store import transaction
from bot.core.store.db import make_engine, migrate

NOW = datetime(2030, 3, 20, 18, 0, tzinfo=UTC)
MEMBER = "example-member"


def render(knowledge: Path, out: Path) -> Path:
    roadmap = next(r for r in load_knowledge(knowledge).roadmaps if r.id == "ml-engineer")
    engine = make_engine("sqlite://")
    migrate(engine)
    clock = lambda: NOW  # noqa: E731
    roadmaps = RoadmapService(engine, lambda: [roadmap], clock=clock)
    engagement = EngagementService(engine, roadmaps, clock=clock)
    roadmaps.set_goal(MEMBER, roadmap.id, target_date=date(2030, 12, 31))
    steps = [s.id for s in roadmap.steps]
    for step in steps[:7]:
        roadmaps.set_status(MEMBER, step, "done")
    roadmaps.set_status(MEMBER, steps[7], "review", review_days=7)
    roadmaps.set_status(MEMBER, steps[8], "skip")
    for step in steps[9:11]:
        roadmaps.set_status(MEMBER, step, "start")
    with transaction(engine) as session:
        for back in range(60):
            if back % 9 not in (4, 5) or back < 12:
                day = (NOW - timedelta(days=back)).date()
                for _ in range(1 + back % 3):
                    engagement_store.record_activity(MEMBER, day, session=session)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(engagement.card(MEMBER))
    engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("docs/card.png"))
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    args = parser.parse_args()
    print(f"wrote {render(args.knowledge, args.out)}")


if __name__ == "__main__":
    main()
