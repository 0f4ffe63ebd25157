"""What moderation returns: plain pydantic models, so Discord, the CLI and JSON show the same data."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, protected_namespaces=())


class ReloadResult(_Out):
    """One reload: on failure the old index stays live and `problems` says why, each `path:line: message`."""

    ok: bool
    problems: list[str] = Field(default_factory=list)
    advice: list[str] = Field(
        default_factory=list, description="On success, sections members would see only a preamble of (path:line: …)."
    )
    build_id: str | None = Field(description="The build live after the reload (the old one when it failed).")
    previous_build_id: str | None = None
    seconds: float
    embedded: int = 0
    reused: int = 0
    finished_at: datetime
    actor: str


class KbStatus(_Out):
    """The live index and the knowledge behind it."""

    build_id: str | None
    built_at: datetime | None
    model: str | None
    articles: int = 0
    faq: int = 0
    roadmaps: int = 0
    steps: int = 0
    passages: int = 0
    loaded: bool = Field(description="Whether this process has the index in memory (else: read from disk).")
    pending: str | None = Field(default=None, description="Why the index on disk no longer matches the folder.")
    last_reload: ReloadResult | None = None
    decision: DecisionStatus | None = None


class DecisionStatus(_Out):
    """The answer/decline decision in use, and how far the knowledge has moved since it was fitted."""

    fitted_at: datetime | None
    fitted_items: int
    changed_files: float = Field(description="Share of knowledge files added, removed or changed since the fit.")
    refit_advised: bool


class FaqChange(_Out):
    """The outcome of adding or removing an FAQ entry; `ok` is False when the change was rolled back."""

    ok: bool
    action: Literal["add", "remove"]
    faq_id: str
    path: str = Field(description="Relative to the knowledge folder, e.g. faq/<id>.md.")
    problems: list[str] = Field(default_factory=list)
    reload: ReloadResult | None = None


class AuditEntry(_Out):
    id: int
    at: datetime
    actor: str
    action: str
    detail: str


class ClosestDoc(_Out):
    """The existing article section or FAQ entry nearest to a gap."""

    doc_id: str
    kind: str
    title: str
    path: str
    source: str
    score: float


class GapGroup(_Out):
    """Similar questions the knowledge answered badly, with what to edit (or that something new is needed)."""

    representative: str
    count: int
    users: int
    abstained: int
    mean_score: float
    last_asked: datetime
    examples: list[str]
    closest: ClosestDoc | None = Field(description="None when nothing is close enough: write a new entry.")
    suggestion: str


class FeedbackItem(_Out):
    question: str
    sources: list[str]
    at: datetime


class SourceCount(_Out):
    path: str = Field(description="A knowledge file, relative to the knowledge folder.")
    count: int


class Digest(_Out):
    """What a server's moderators should look at after a period: where answers failed and which
    knowledge files are used or never reached."""

    guild_id: int | None
    days: int
    since: datetime
    questions: int = Field(description="Questions asked in the period.")
    declined: int = Field(description="Of which the bot declined.")
    gaps: list[GapGroup] = Field(default_factory=list)
    unhelpful: list[FeedbackItem] = Field(default_factory=list)
    most_cited: list[SourceCount] = Field(default_factory=list)
    never_cited: list[str] = Field(default_factory=list, description="Knowledge files no answer cited.")


KbStatus.model_rebuild()
