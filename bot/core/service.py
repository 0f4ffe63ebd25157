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
from bot.core.answers import Answer, clean_question
from bot.core.community import CommunityConfig
from bot.core.community.questions import follow_up_query
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
        default_moderator_role: int | None = None,
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
        self.community = CommunityConfig(engine, default_moderator_role=default_moderator_role, clock=clock)

    @property
    def knowledge(self) -> KnowledgeBase:
        """The knowledge the live index was built from (roadmaps and FAQ always match the index)."""
        return self.advisor.snapshot()

    # -- questions -------------------------------------------------------------------------
    def ask(self, question: str, user_id: str | None = None, k: int = 5) -> Answer:
        return self.ask_logged(question, user_id, k=k)[0]

    def ask_logged(self, question: str, user_id: str | None, k: int = 5) -> tuple[Answer, int | None]:
        """The answer (placed on the member's roadmap) and the id of its question_log row (None when
        not logged).

        The id is all a vote button needs to carry: the row keeps the question and the cited sources.
        """
        answer = self.advisor.ask(question, k=k)
        return self.finish_answer(answer, user_id)

    def submit(self, question: str, k: int = 5) -> Future[Answer]:
        """Queue a question for the advisor's next micro-batch without holding a thread while it waits:
        async adapters `await asyncio.wrap_future(...)`, then call `finish_answer` in a thread."""
        return self.advisor.submit(question, k)

    def submit_follow_up(self, question: str, earlier: str, k: int = 5) -> Future[Answer]:
        """Like `submit`, for a follow-up in a conversation: retrieval also reads the earlier question when
        the follow-up does not stand on its own ("and for that?"); the answer names the follow-up."""
        searched = follow_up_query(question, earlier)
        asked, _ = clean_question(question)
        inner = self.advisor.submit(searched, k)
        outer: Future[Answer] = Future()

        def relay(done: Future[Answer]) -> None:
            error = done.exception()
            if error is not None:
                outer.set_exception(error)
            else:
                outer.set_result(done.result().model_copy(update={"question": asked or searched}))

        inner.add_done_callback(relay)
        return outer

    def finish_answer(
        self, answer: Answer, user_id: str | None, *, guild_id: int | None = None
    ) -> tuple[Answer, int | None]:
        """After the advisor answered: place the answer on the member's roadmap and log it (blocking,
        the database); returns the answer to show and the logged question's id."""
        placed = self.place_on_roadmap(answer, user_id)
        return placed, self.log_answer(placed, user_id, guild_id=guild_id)

    def place_on_roadmap(self, answer: Answer, user_id: str | None) -> Answer:
        """For a member with a goal, the step the answer's best source explains (and its open
        prerequisites), when that source is tied to roadmap steps; else the answer unchanged."""
        if user_id is None or answer.abstained or not answer.citations:
            return answer
        steps = self.steps_explained_by(answer.citations[0].doc_id)
        if not steps:
            return answer
        context = self.roadmaps.step_context(user_id, steps)
        return answer.model_copy(update={"roadmap_context": context}) if context else answer

    def steps_explained_by(self, doc_id: str) -> set[str]:
        """Step ids tied to a knowledge document, from either side: the article's `steps`, or the steps
        whose `articles` name it."""
        kb = self.knowledge
        article = kb.article(doc_id)
        found = set(article.meta.steps) if article else set()
        for roadmap in kb.roadmaps:
            found.update(step.id for step in roadmap.steps if doc_id in step.articles)
        return found

    def log_answer(self, answer: Answer, user_id: str | None, *, guild_id: int | None = None) -> int | None:
        """Keep the question (and the server it was asked in) for the gaps report and for votes;
        returns its row id."""
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
                    guild_id=None if guild_id is None else str(guild_id),
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
