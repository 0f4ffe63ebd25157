"""The one facade adapters call: questions, feedback, FAQ look-ups and roadmaps, over the core.

Methods are synchronous and may block (model, FAISS, SQLite); async adapters run them in a thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.core.advisor import Advisor
from bot.core.answers import Answer
from bot.core.engagement import activity
from bot.core.engagement.service import EngagementService
from bot.core.errors import InvalidInput, NotFound
from bot.core.knowledge.models import FaqEntry, KnowledgeBase
from bot.core.members import ForgetReport, MemberData, identities
from bot.core.moderation import Moderation
from bot.core.roadmap.matching import suggest
from bot.core.roadmap.service import RoadmapService
from bot.core.store import VoteResult, log_question, record_feedback, record_vote, transaction, utcnow

log = logging.getLogger(__name__)


class Services:
    def __init__(
        self,
        advisor: Advisor,
        engine: Engine,
        question_retention_days: int = 90,
        *,
        default_timezone: str = "UTC",
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.advisor = advisor
        self.engine = engine
        self.clock = clock
        self.roadmaps = RoadmapService(
            engine, lambda: advisor.snapshot().roadmaps, clock=clock, default_timezone=default_timezone
        )
        self.engagement = EngagementService(engine, self.roadmaps, clock=clock, default_timezone=default_timezone)
        self.members = MemberData(engine)
        self.moderation = Moderation(advisor, engine, retention_days=question_retention_days)

    @property
    def knowledge(self) -> KnowledgeBase:
        """The knowledge the live index was built from (roadmaps and FAQ always match the index)."""
        return self.advisor.snapshot()

    # -- questions -------------------------------------------------------------------------
    def ask(self, question: str, user_id: str | None = None, k: int = 5) -> Answer:
        return self.ask_logged(question, user_id, k=k)[0]

    def ask_logged(self, question: str, user_id: str | None, k: int = 5) -> tuple[Answer, int | None]:
        """The answer and the id of its question_log row (None when not logged).

        The id is all a vote button needs to carry: the row keeps the question and the cited sources.
        """
        answer = self.advisor.ask(question, k=k)
        return answer, self.log_answer(answer, user_id)

    def submit(self, question: str, k: int = 5) -> Future[Answer]:
        """Queue a question for the advisor's next micro-batch without holding a thread while it waits:
        async adapters `await asyncio.wrap_future(...)`, then log the answer with `log_answer`."""
        return self.advisor.submit(question, k)

    def log_answer(self, answer: Answer, user_id: str | None) -> int | None:
        """Keep the question for the gaps report and for votes; returns its row id."""
        if user_id is None or not answer.question:
            return None
        sources = [c.source for c in answer.citations]
        try:
            with transaction(self.engine) as session:
                now = self.clock()
                row = log_question(
                    user_id,
                    answer.question,
                    answer.confidence,
                    answer.abstained,
                    session=session,
                    sources=sources,
                    now=now,
                )
                activity.record(user_id, self.engagement.default_timezone, now, session=session)  # streaks
        except InvalidInput:
            log.warning("Not logging a question from an invalid user id")
            return None
        return row.id

    def record_feedback(self, user_id: str, question: str, sources: Sequence[str], helpful: bool) -> None:
        with transaction(self.engine) as session:
            record_feedback(user_id, question, sources, helpful, session=session)

    def vote(self, question_id: int, user_id: str, helpful: bool) -> VoteResult:
        """A member's verdict on the answer to a logged question; one per member, refused once it is gone."""
        with transaction(self.engine) as session:
            return record_vote(question_id, user_id, helpful, session=session)

    # -- FAQ and articles --------------------------------------------------------------------
    def faq_entries(self) -> list[FaqEntry]:
        return list(self.knowledge.faq)

    def faq(self, faq_id: str) -> FaqEntry:
        entries = {e.id: e for e in self.knowledge.faq}
        wanted = faq_id.strip().lower()
        if wanted in entries:
            return entries[wanted]
        by_question = {e.meta.question.lower(): e for e in entries.values()}
        if wanted in by_question:
            return by_question[wanted]
        raise NotFound("FAQ entry", faq_id, suggest(faq_id, {e.id: e.meta.question for e in entries.values()}))

    def search_faq(self, query: str, limit: int = 25) -> list[FaqEntry]:
        """Autocomplete over FAQ entries: id or question containing the words typed, best first."""
        words = query.lower().split()
        scored: list[tuple[int, int, FaqEntry]] = []
        for n, entry in enumerate(self.knowledge.faq):
            haystack = f"{entry.id} {entry.meta.question} {' '.join(entry.meta.tags)}".lower()
            hits = sum(w in haystack for w in words)
            if not words or hits:
                scored.append((-hits, n, entry))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [entry for _, _, entry in scored[:limit]]

    def article_titles(self) -> dict[str, str]:
        return {a.id: a.meta.title for a in self.knowledge.articles}

    # -- members' data -------------------------------------------------------------------------
    def export(self, user_id: str) -> dict[str, Any]:
        """Everything `forget` would remove: the member's rows, and the FAQ entries they added."""
        data = self.members.export(user_id)
        data["faq_entries_added"] = self.moderation.authored(set(identities(data["user_id"])))
        return data

    def forget(self, user_id: str) -> ForgetReport:
        """The member's rows go (in one transaction), then their name leaves the FAQ files they added and
        the index builds that held it."""
        counts = self.members.forget(user_id)
        files = self.moderation.forget_author(set(identities(user_id.strip())))
        return ForgetReport(counts=counts, faq_entries_anonymised=files)

    def close(self) -> None:
        self.advisor.close()
        self.engine.dispose()
