"""`Moderation`: what moderators do to keep the knowledge alive, for Discord and the command line alike.

Methods are synchronous and may block for seconds (embedding, disk); async adapters run them in a
thread. Reloads and FAQ edits are serialised by one lock, so two moderators never race a build.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.core.advisor import Advisor
from bot.core.errors import IndexUnavailable, InvalidInput
from bot.core.index.artifacts import current_build, drop_builds_naming
from bot.core.knowledge.loader import FAQ
from bot.core.knowledge.models import FaqEntry
from bot.core.moderation import faq_files
from bot.core.moderation.gaps import GapSettings, find_gaps
from bot.core.moderation.models import AuditEntry, Digest, FaqChange, FeedbackItem, GapGroup, KbStatus, ReloadResult
from bot.core.moderation.reload import describe, run_reload
from bot.core.moderation.reports import audit_entries, cited_files, feedback_items, index_status
from bot.core.retrieval import SearchIndex
from bot.core.store import (
    add_audit,
    list_audit,
    list_feedback,
    list_questions,
    purge_questions_older_than,
    reading,
    transaction,
    utcnow,
)

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 90
LOW_CONFIDENCE_MARGIN = 0.1
GROUP_SIMILARITY = 0.7
MAX_DAYS = 3650
MAX_LIMIT = 1000
CLOSE_COSINE = 0.4
"""A file this similar to a group of unanswered questions is the one to extend."""


class Moderation:
    def __init__(self, advisor: Advisor, engine: Engine, retention_days: int = DEFAULT_RETENTION_DAYS) -> None:
        self.advisor = advisor
        self.engine = engine
        self.retention_days = retention_days
        self._lock = threading.RLock()
        self._last_reload: ReloadResult | None = None

    @property
    def knowledge_dir(self) -> Path:
        return self.advisor.config.knowledge_dir

    @property
    def last_reload(self) -> ReloadResult | None:
        return self._last_reload

    # -- the live index ------------------------------------------------------------------------
    def reload(self, actor: str) -> ReloadResult:
        """Validate, rebuild what changed and swap the live index; audited. Problems keep the old index."""
        actor = faq_files.clean_actor(actor)
        with self._lock:
            result = run_reload(self.advisor, actor)
            self._last_reload = result
            self._audit(actor, "reload", describe(result))
            return result

    def reload_if_changed(self, actor: str) -> ReloadResult | None:
        """Reload only when the folder differs from the live index (the watcher's entry point).

        First adopts a build another process may already have made for the same change.
        """
        with self._lock:
            self.advisor.refresh()
            if self.advisor.stale_reason() is None and self.advisor.live_build_id() == self.advisor.disk_build_id():
                return None
            return self.reload(actor)

    def refresh(self) -> bool:
        """Adopt a build written by `roadmap-bot kb reload` in another process; poll it every few seconds."""
        return self.advisor.refresh()

    def status(self) -> KbStatus:
        return index_status(self.advisor, self._last_reload)

    # -- FAQ entries -----------------------------------------------------------------------------
    def add_faq(self, actor: str, question: str, answer: str, tags: Sequence[str] | str = ()) -> FaqChange:
        """Write faq/<slug-of-question>.md, then reload; if the folder does not validate, the file goes again.

        `actor` is who is recorded (a user id or name, not a mention); `tags` a list or "a,b" text.
        Raises InvalidInput for unusable input (empty, question > 300 / answer > 4000 chars, > 10 tags).
        """
        actor = faq_files.clean_actor(actor)
        question = faq_files.clean_question(question)
        answer = faq_files.clean_answer(answer)
        clean_tags = faq_files.clean_tags(tags)
        with self._lock:
            taken = faq_files.taken_ids(self.knowledge_dir) | self._live_ids()
            path = faq_files.write_new_entry(
                self.knowledge_dir,
                faq_files.base_id(question),
                lambda faq_id: faq_files.render_entry(faq_id, question, answer, clean_tags, actor),
                taken,
            )
            faq_id = path.stem
            rel = f"{FAQ}/{path.name}"
            result = self.reload(actor)
            if not result.ok:
                path.unlink(missing_ok=True)
            self._audit(actor, "faq_add" if result.ok else "faq_add_rejected", f"{rel}: {question}")
            return FaqChange(
                ok=result.ok, action="add", faq_id=faq_id, path=rel, problems=result.problems, reload=result
            )

    def remove_faq(self, actor: str, faq_id: str) -> FaqChange:
        """Delete faq/<id>.md (that folder only) and reload; restored if the reload fails.

        Raises InvalidInput for an id that is not a slug, NotFound (with suggestions) for an unknown one.
        """
        actor = faq_files.clean_actor(actor)
        with self._lock:
            known = {e.id: e.meta.question for e in self._live_faq()}
            path = faq_files.entry_path(self.knowledge_dir, faq_id, known)
            rel = f"{FAQ}/{path.name}"
            data = path.read_bytes()
            path.unlink()
            result = self.reload(actor)
            if not result.ok:
                faq_files.restore_file(path, data)
            self._audit(actor, "faq_remove" if result.ok else "faq_remove_rejected", rel)
            return FaqChange(
                ok=result.ok, action="remove", faq_id=path.stem, path=rel, problems=result.problems, reload=result
            )

    def forget_author(self, identities: set[str]) -> list[str]:
        """A member asked to be forgotten: the FAQ entries they added name a neutral author instead, the
        index is rebuilt from them, and older builds that still name them are deleted. Returns the files
        changed (relative to the knowledge folder)."""
        with self._lock:
            changed = faq_files.authored_by(self.knowledge_dir, identities)
            for path in changed:
                faq_files.anonymise_author(path)
            if changed:
                result = self.reload(faq_files.FORGOTTEN_AUTHOR)
                if not result.ok:
                    log.warning("Rebuild after forgetting an author failed: %s", "; ".join(result.problems[:3]))
            removed = drop_builds_naming(self.advisor.config.index_dir, identities, keep=self.advisor.live_build_id())
            if removed:
                log.info("Deleted %d older index build(s) that named a forgotten member", removed)
            return [p.relative_to(self.knowledge_dir).as_posix() for p in changed]

    def authored(self, identities: set[str]) -> list[str]:
        """The FAQ files a member added (what `forget_author` would rewrite), for their export."""
        return [
            p.relative_to(self.knowledge_dir).as_posix() for p in faq_files.authored_by(self.knowledge_dir, identities)
        ]

    # -- reports -----------------------------------------------------------------------------------
    def audit(self, limit: int = 50) -> list[AuditEntry]:
        """Every knowledge change and reload, newest first."""
        _in_range("limit", limit, 1, MAX_LIMIT)
        with reading(self.engine) as session:
            return audit_entries(list_audit(limit, session=session))

    def gaps(
        self,
        days: int = 30,
        limit: int = 10,
        *,
        low_margin: float = LOW_CONFIDENCE_MARGIN,
        similarity: float = GROUP_SIMILARITY,
        related_above: float | None = None,
        guild_id: int | None = None,
    ) -> list[GapGroup]:
        """The most asked questions the bot declined, or answered with a probability of being covered
        below the decision threshold + `low_margin`, grouped by meaning, each with the closest existing
        file (if its cosine reaches `related_above`, default CLOSE_COSINE). With `guild_id`, only the
        questions asked in that server (each server sees its own)."""
        _in_range("days", days, 1, MAX_DAYS)
        _in_range("limit", limit, 1, MAX_LIMIT)
        self.purge_expired()
        with reading(self.engine) as session:
            rows = list_questions(utcnow() - timedelta(days=days), session=session, guild_id=_gid(guild_id))
        settings = GapSettings(
            low_below=self.advisor.decision.threshold + low_margin,
            similarity=similarity,
            related_above=CLOSE_COSINE if related_above is None else related_above,
        )
        return find_gaps(rows, self.advisor.embedder, self._index_for_reading(), settings, limit)

    def feedback(self, days: int = 30, limit: int = 50, *, guild_id: int | None = None) -> list[FeedbackItem]:
        """Answers members voted unhelpful, newest first, with the sources they cited (with `guild_id`,
        only votes on answers given in that server)."""
        _in_range("days", days, 1, MAX_DAYS)
        _in_range("limit", limit, 1, MAX_LIMIT)
        with reading(self.engine) as session:
            rows = list_feedback(
                utcnow() - timedelta(days=days), helpful=False, session=session, guild_id=_gid(guild_id)
            )
        return feedback_items(rows, limit)

    def digest(self, guild_id: int | None, days: int = 7, limit: int = 5) -> Digest:
        """A period's digest for a server's moderators (all servers with None): the top unanswered
        question groups with the file to extend, answers voted unhelpful, and the knowledge files
        answers cited most and never."""
        _in_range("days", days, 1, MAX_DAYS)
        _in_range("limit", limit, 1, MAX_LIMIT)
        since = utcnow() - timedelta(days=days)
        with reading(self.engine) as session:
            rows = list_questions(since, session=session, guild_id=_gid(guild_id))
        gaps = self.gaps(days, limit, guild_id=guild_id) if rows else []
        files = [a.path for a in self.advisor.snapshot().articles] + [e.path for e in self.advisor.snapshot().faq]
        most, never = cited_files(rows, files, limit)
        return Digest(
            guild_id=guild_id,
            days=days,
            since=since,
            questions=len(rows),
            declined=sum(r.abstained for r in rows),
            gaps=gaps,
            unhelpful=self.feedback(days, limit, guild_id=guild_id),
            most_cited=most,
            never_cited=never,
        )

    def purge_expired(self) -> int:
        """Delete logged questions older than the retention period; run daily by the bot."""
        with transaction(self.engine) as session:
            removed = purge_questions_older_than(self.retention_days, session=session)
        if removed:
            log.info("Purged %d logged question(s) older than %d days", removed, self.retention_days)
        return removed

    # -- helpers -----------------------------------------------------------------------------------
    def _index_for_reading(self) -> SearchIndex:
        """The live index; a process that has none loaded (the CLI) reads the one on disk rather than
        building one as a side effect of a report."""
        loaded = self.advisor.loaded_index
        if loaded is not None:
            return loaded
        if current_build(self.advisor.config.index_dir) is not None:
            try:
                return SearchIndex.load(self.advisor.config.index_dir)
            except IndexUnavailable:
                log.warning("The index on disk is unreadable; building one")
        return self.advisor.index

    def _live_faq(self) -> list[FaqEntry]:
        return list(self.advisor.snapshot().faq)

    def _live_ids(self) -> set[str]:
        kb = self.advisor.snapshot()
        return {a.id for a in kb.articles} | {e.id for e in kb.faq}

    def _audit(self, actor: str, action: str, detail: str) -> None:
        """Audit failures are logged, not raised: the change itself already happened."""
        try:
            with transaction(self.engine) as session:
                add_audit(actor, action, detail, session=session)
        except (SQLAlchemyError, InvalidInput):
            log.exception("Could not audit %s by %s", action, actor)


def _gid(guild_id: int | None) -> str | None:
    """Servers are stored by their id as text."""
    return None if guild_id is None else str(guild_id)


def _in_range(name: str, value: int, low: int, high: int) -> None:
    """Report windows and list sizes as a member can type them: a clear refusal, not an empty report."""
    if not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, not {value}")
