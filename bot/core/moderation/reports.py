"""Read-only views for moderators: the audit trail, unhelpful answers, and the live index's status."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.advisor import Advisor
from bot.core.index.artifacts import Manifest, read_manifest
from bot.core.moderation.models import AuditEntry, FeedbackItem, KbStatus, ReloadResult
from bot.core.store import AnswerFeedback, KbAudit, feedback_sources


def audit_entries(rows: Sequence[KbAudit]) -> list[AuditEntry]:
    return [AuditEntry(id=r.id or 0, at=r.created_at, actor=r.actor, action=r.action, detail=r.detail) for r in rows]


def feedback_items(rows: Sequence[AnswerFeedback], limit: int) -> list[FeedbackItem]:
    """Newest first; who voted is left out (moderators need the answer, not the member)."""
    newest = sorted(rows, key=lambda r: (r.created_at, r.id or 0), reverse=True)[: max(0, limit)]
    return [FeedbackItem(question=r.question, sources=feedback_sources(r), at=r.created_at) for r in newest]


def index_status(advisor: Advisor, last_reload: ReloadResult | None) -> KbStatus:
    """What is live, without loading or building anything: the loaded build, else the one on disk."""
    loaded = advisor.loaded_index
    manifest: Manifest | None = (
        loaded.artifacts.manifest if loaded is not None else read_manifest(advisor.config.index_dir)
    )
    pending = advisor.stale_reason()
    if manifest is None:
        return KbStatus(
            build_id=None, built_at=None, model=None, loaded=False, pending=pending, last_reload=last_reload
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
    )
