"""Gaps are grouped by meaning and point at the closest file; old question logs are purged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.core.errors import InvalidInput
from bot.core.moderation.models import GapGroup
from bot.core.service import Services
from bot.core.store import QuestionLog, log_question, reading, record_feedback, transaction, utcnow

# (question, the decision's probability that it is covered, declined, days ago); the threshold is 0.5
LOG = [
    ("How do I fix a broken bicycle chain?", 0.58, False, 1),
    ("how do I fix a broken bicycle chain", 0.58, False, 2),  # the same question, typed again
    ("how to repair a snapped bike chain", 0.54, False, 3),
    ("my bike chain broke, how do I fix it", 0.30, True, 4),
    ("How do I knit a scarf?", 0.20, True, 1),
    ("how do i knit a wool scarf", 0.19, True, 5),
    ("best gluten free bread recipe", 0.56, False, 2),
    ("how do I make gluten-free bread", 0.52, False, 6),
    ("What is the capital of France?", 0.05, True, 3),
    # not gaps: answered with confidence, or outside the window
    ("Which telescope should I buy first?", 0.97, False, 1),
    ("How do I knit a hat?", 0.20, True, 45),
]


def log_all(services: Services) -> None:
    now = utcnow()
    with transaction(services.engine) as session:
        for n, (question, score, abstained, days) in enumerate(LOG):
            log_question(f"member-{n % 4}", question, score, abstained, session=session, now=now - timedelta(days=days))


def by_representative(groups: list[GapGroup], word: str) -> GapGroup:
    matching = [g for g in groups if word in g.representative.lower()]
    assert len(matching) == 1, [g.representative for g in groups]
    return matching[0]


def test_gaps_group_near_duplicates_and_name_the_closest_file(services: Services) -> None:
    log_all(services)

    groups = services.moderation.gaps(days=30, limit=10)

    assert [g.count for g in groups] == [4, 2, 2, 1]
    chain = groups[0]
    assert "chain" in chain.representative.lower() and chain.abstained == 1
    assert len(chain.examples) == 3 and all("chain" in e.lower() for e in chain.examples)
    assert chain.closest is not None and chain.closest.path == "articles/bicycle-repair.md"
    assert chain.suggestion.startswith("Extend articles/bicycle-repair.md")
    bread = by_representative(groups, "bread")
    assert bread.closest is not None and bread.closest.path == "faq/what-flour.md"
    knit = by_representative(groups, "knit")
    assert knit.count == 2 and knit.closest is None and "write a new" in knit.suggestion
    assert "telescope" not in " ".join(e for g in groups for e in g.examples)
    assert groups[-1].representative == "What is the capital of France?" and groups[-1].closest is None


def test_gaps_limit_and_thresholds(services: Services) -> None:
    log_all(services)
    assert [g.count for g in services.moderation.gaps(limit=1)] == [4]
    # Only declines and probabilities below the threshold itself: the answered chain and bread questions drop out.
    strict = services.moderation.gaps(low_margin=0.0)
    assert sorted(g.count for g in strict) == [1, 1, 2]
    # Everything in one group when any similarity will do.
    assert [g.count for g in services.moderation.gaps(similarity=-1.0)] == [9]


def test_retention_purges_old_question_logs(services: Services) -> None:
    moderation = services.moderation
    moderation.retention_days = 30
    log_all(services)

    assert moderation.purge_expired() == 1  # the 45-day-old question
    with reading(services.engine) as session:
        kept = list(session.exec(select(QuestionLog)))
    assert len(kept) == len(LOG) - 1
    assert all(row.created_at > utcnow() - timedelta(days=30) for row in kept)
    assert moderation.purge_expired() == 0


def test_feedback_lists_unhelpful_answers_newest_first(services: Services) -> None:
    now = utcnow()
    with transaction(services.engine) as session:
        record_feedback(
            "m1",
            "How do I fix a chain?",
            ["articles/bicycle-repair.md#fixing-a-flat-tyre"],
            False,
            session=session,
            now=now - timedelta(days=2),
        )
        record_feedback("m2", "Which flour?", ["faq/what-flour.md"], True, session=session, now=now - timedelta(days=1))
        record_feedback(
            "m3", "Best stars?", ["faq/best-night-sky.md"], False, session=session, now=now - timedelta(hours=1)
        )
        record_feedback("m4", "Too old", [], False, session=session, now=now - timedelta(days=40))

    items = services.moderation.feedback(days=30)

    assert [i.question for i in items] == ["Best stars?", "How do I fix a chain?"]
    assert items[1].sources == ["articles/bicycle-repair.md#fixing-a-flat-tyre"]
    assert items[0].at > items[1].at


@pytest.mark.parametrize(("days", "limit"), [(0, 10), (-3, 10), (99_999_999, 10), (30, 0), (30, -1), (30, 10**9)])
def test_report_windows_and_sizes_are_bounded(services: Services, days: int, limit: int) -> None:
    with pytest.raises(InvalidInput, match="must be between"):
        services.moderation.gaps(days=days, limit=limit)
    with pytest.raises(InvalidInput, match="must be between"):
        services.moderation.feedback(days=days, limit=limit)
