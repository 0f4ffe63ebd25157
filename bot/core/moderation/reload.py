"""One reload: validate, build incrementally, swap; a failure leaves the old index serving."""

from __future__ import annotations

import logging
import time

from bot.core.advisor import Advisor
from bot.core.errors import KnowledgeInvalid
from bot.core.moderation.models import ReloadResult
from bot.core.opening_check import short_openings
from bot.core.store import utcnow

log = logging.getLogger(__name__)


def run_reload(advisor: Advisor, actor: str) -> ReloadResult:
    """Rebuild from the knowledge folder and make it live; every problem is reported, nothing raised.

    Only changed text is re-embedded (the builder reuses the live build's vectors), and questions
    keep being answered by the old version until the new one is swapped in.
    """
    started = time.perf_counter()
    previous = advisor.live_build_id()
    problems: list[str] = []
    try:
        report = advisor.rebuild()
    except KnowledgeInvalid as exc:
        problems = [str(p) for p in exc.problems]
    except Exception as exc:  # no passages, disk full, unreadable model: the moderator needs a result, not a crash
        log.exception("Reload by %s failed", actor)
        problems = [f"the index could not be built: {exc}"]
    seconds = round(time.perf_counter() - started, 3)
    if problems:
        log.warning("Reload by %s kept build %s: %d problem(s)", actor, previous, len(problems))
        return ReloadResult(
            ok=False,
            problems=problems,
            build_id=advisor.live_build_id(),
            previous_build_id=previous,
            seconds=seconds,
            finished_at=utcnow(),
            actor=actor,
        )
    log.info("Reload by %s: build %s live after %.2f s (%d embedded)", actor, report.build_id, seconds, report.embedded)
    return ReloadResult(
        ok=True,
        advice=[str(a) for a in short_openings(advisor.knowledge)],
        build_id=report.build_id,
        previous_build_id=previous,
        seconds=seconds,
        embedded=report.embedded,
        reused=report.reused,
        finished_at=utcnow(),
        actor=actor,
    )


def describe(result: ReloadResult) -> str:
    """The audit line for a reload."""
    if result.ok:
        return (
            f"build {result.build_id} live: {result.embedded} embedded, {result.reused} reused, {result.seconds:.1f} s"
        )
    shown = "; ".join(result.problems[:5]) + ("; ..." if len(result.problems) > 5 else "")
    return f"failed, build {result.build_id} kept: {len(result.problems)} problem(s): {shown}"
