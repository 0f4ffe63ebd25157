"""Read-only views for moderators: the audit trail, unhelpful answers, and the live index's status."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.advisor import Advisor
from bot.core.index.artifacts import Manifest, read_manifest
from bot.core.knowledge.loader import fingerprint
from bot.core.moderation.models import (
    AuditEntry,
    DecisionStatus,
    FeedbackItem,
    KbStatus,
    ReloadResult,
    SourceCount,
)
from bot.core.store import AnswerFeedback, KbAudit, QuestionLog, feedback_sources, question_sources


def audit_entries(rows: Sequence[KbAudit]) -> list[AuditEntry]:
    return [AuditEntry(id=r.id or 0, at=r.created_at, actor=r.actor, action=r.action, detail=r.detail) for r in rows]


def feedback_items(rows: Sequence[AnswerFeedback], limit: int) -> list[FeedbackItem]:
    """Newest first; who voted is left out (moderators need the answer, not the member)."""
    newest = sorted(rows, key=lambda r: (r.created_at, r.id or 0), reverse=True)[: max(0, limit)]
    return [FeedbackItem(question=r.question, sources=feedback_sources(r), at=r.created_at) for r in newest]


def cited_files(rows: Sequence[QuestionLog], files: Sequence[str], limit: int) -> tuple[list[SourceCount], list[str]]:
    """The knowledge files answers cited most (once per answer), and those no answer cited."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update({source.split("#", 1)[0] for source in question_sources(row)})
    most = [SourceCount(path=path, count=n) for path, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]
    never = sorted(path for path in set(files) if counts[path] == 0)
    return most[: max(0, limit)], never


REFIT_SHARE = 0.2


def index_status(advisor: Advisor, last_reload: ReloadResult | None) -> KbStatus:
    """What is live, without loading or building anything: the loaded build, else the one on disk."""
    loaded = advisor.loaded_index
    manifest: Manifest | None = (
        loaded.artifacts.manifest if loaded is not None else read_manifest(advisor.config.index_dir)
    )
    pending = advisor.stale_reason()
    decision = decision_status(advisor)
    if manifest is None:
        return KbStatus(
            build_id=None,
            built_at=None,
            model=None,
            loaded=False,
            pending=pending,
            last_reload=last_reload,
            decision=decision,
        )
    counts = manifest.counts
    return KbStatus(
        build_id=manifest.build_id,
        built_at=manifest.built_at,
        model=manifest.model,
        articles=counts.articles,
        faq=counts.faq,
        roadmaps=counts.roadmaps,
        steps=counts.steps,
        passages=counts.passages,
        loaded=loaded is not None,
        pending=pending,
        last_reload=last_reload,
        decision=decision,
    )


def decision_status(advisor: Advisor) -> DecisionStatus:
    """Refitting is advised once a fifth of the knowledge files differ from those it was fitted on (or
    last checked on, when a refit was tried and the shipped model kept)."""
    model = advisor.decision
    changed = model.drift(fingerprint(advisor.config.knowledge_dir))
    return DecisionStatus(
        fitted_at=model.fitted_at,
        fitted_items=model.fitted_items,
        changed_files=round(changed, 3),
        refit_advised=changed >= REFIT_SHARE,
    )
