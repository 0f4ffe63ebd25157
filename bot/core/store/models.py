"""Every table the bot stores, in one place, so Alembic's env.py sees them all by importing this module.

Timestamps are aware datetimes; SQLModel's UTCDateTime stores them as UTC and returns them aware.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

USER_ID_MAX = 100
NOTE_MAX = 500
QUESTION_MAX = 4000


class StepStatus(StrEnum):
    """What a member says about one step; stored as its value."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"

    @property
    def closed(self) -> bool:
        """Done and skipped both unblock the steps that build on this one."""
        return self in (StepStatus.DONE, StepStatus.SKIPPED)


class Goal(SQLModel, table=True):
    """A member's goal: one roadmap, optionally with a target date and a note; at most one active."""

    __tablename__ = "goal"
    __table_args__ = (
        UniqueConstraint("user_id", "roadmap_id", name="uq_goal_user_roadmap"),
        # The store itself guarantees one active goal per member, whatever the code above it does.
        Index(
            "ix_goal_one_active",
            "user_id",
            unique=True,
            sqlite_where=text("active = 1"),
            postgresql_where=text("active"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    roadmap_id: str = Field(max_length=64)
    target_date: date | None = None
    note: str | None = Field(default=None, max_length=NOTE_MAX)
    active: bool = False
    created_at: datetime
    updated_at: datetime


class StepProgress(SQLModel, table=True):
    """One member's status on one step of a goal's roadmap.

    `step_id` is whatever id the step had when it was written; steps that vanished from the roadmap
    keep their rows (ignored), and aliases let renamed steps find theirs.
    """

    __tablename__ = "step_progress"
    __table_args__ = (
        UniqueConstraint("goal_id", "step_id", name="uq_step_progress_goal_step"),
        CheckConstraint("status IN ('todo', 'in_progress', 'done', 'skipped')", name="ck_step_progress_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", ondelete="CASCADE", index=True)
    step_id: str = Field(max_length=64)
    status: str = Field(max_length=16)
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime


class AnswerFeedback(SQLModel, table=True):
    """A member's thumbs up/down on an answer, with the sources it cited (a JSON list of ids).

    `question_id` names the logged question the vote was cast on (None for votes from before 0003);
    the store itself allows one vote per member per answer, whatever the buttons above it do.
    The id is kept when that question is purged or forgotten: it names no one, and ids are never reused.
    """

    __tablename__ = "answer_feedback"
    __table_args__ = (Index("ix_answer_feedback_question_user", "question_id", "user_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    question: str = Field(max_length=QUESTION_MAX)
    sources: str = Field(default="[]", description="JSON list of cited source ids.")
    helpful: bool
    created_at: datetime = Field(index=True)
    question_id: int | None = None


class QuestionLog(SQLModel, table=True):
    """Questions asked, so moderators can see what the knowledge lacks (abstained = no good answer).

    A row is also what a vote button points at (its id travels in the button's custom_id), so it keeps
    the answer's cited sources, and ids are never reused (AUTOINCREMENT): a button on a purged or
    forgotten question must find nothing rather than a newer stranger's question.
    """

    __tablename__ = "question_log"
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    question: str = Field(max_length=QUESTION_MAX)
    top_score: float
    abstained: bool
    created_at: datetime = Field(index=True)
    sources: str | None = Field(default=None, description="JSON list of the source ids the answer cited.")


class KbAudit(SQLModel, table=True):
    """Who changed the knowledge base, and how: moderators answer for their edits."""

    __tablename__ = "kb_audit"

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=USER_ID_MAX, index=True)
    action: str = Field(max_length=64)
    detail: str = ""
    created_at: datetime = Field(index=True)


TABLES: tuple[type[SQLModel], ...] = (Goal, StepProgress, AnswerFeedback, QuestionLog, KbAudit)
