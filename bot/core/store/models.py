"""Every table the bot stores, in one place, so Alembic's env.py sees them all by importing this module.

Timestamps are aware datetimes; SQLModel's UTCDateTime stores them as UTC and returns them aware.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

USER_ID_MAX = 100
GUILD_ID_MAX = 32
NOTE_MAX = 500
QUESTION_MAX = 4000
STEP_NOTE_MAX = 1000


class StepStatus(StrEnum):
    """What a member says about one step; stored as its value."""

    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"
    REVIEW = "review"  # done, and to be revisited: a spaced reminder is scheduled for it

    @property
    def closed(self) -> bool:
        """Done, review and skipped all unblock the steps that build on this one."""
        return self in (StepStatus.DONE, StepStatus.REVIEW, StepStatus.SKIPPED)

    @property
    def completed(self) -> bool:
        """Learnt (done, or done and due for review): what the leaderboard counts; skipping is not learning."""
        return self in (StepStatus.DONE, StepStatus.REVIEW)


STEP_STATUS_CHECK = "status IN ('todo', 'in_progress', 'done', 'skipped', 'review')"
CHANNEL_MODE_CHECK = "mode IN ('off', 'mention', 'auto', 'threads')"


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
        CheckConstraint(STEP_STATUS_CHECK, name="ck_step_progress_status"),
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
    guild_id: str | None = Field(default=None, max_length=GUILD_ID_MAX, index=True)


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
    guild_id: str | None = Field(
        default=None, max_length=GUILD_ID_MAX, index=True, description="The server it was asked in (None: DMs, CLI)."
    )


class KbAudit(SQLModel, table=True):
    """Who changed the knowledge base, and how: moderators answer for their edits."""

    __tablename__ = "kb_audit"

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=USER_ID_MAX, index=True)
    action: str = Field(max_length=64)
    detail: str = ""
    created_at: datetime = Field(index=True)


class MemberPrefs(SQLModel, table=True):
    """A member's engagement settings: time zone and reminders, and whether a DM failed.

    `remind_minute` is minutes after local midnight; `remind_weekday` (0 = Monday) only for weekly
    reminders. `dm_notice_pending` says the member has not yet been told that reminders were turned
    off because a DM could not be delivered.
    """

    __tablename__ = "member_prefs"
    __table_args__ = (UniqueConstraint("user_id", name="uq_member_prefs_user"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX)
    timezone: str | None = Field(default=None, max_length=64)
    remind_cadence: str = Field(default="off", max_length=16)
    remind_minute: int = 18 * 60
    remind_weekday: int | None = None
    dm_failed_at: datetime | None = None
    dm_notice_pending: bool = False
    created_at: datetime
    updated_at: datetime


class Reminder(SQLModel, table=True):
    """One scheduled delivery: a member's routine reminder (`key` "routine") or a step's review
    (`key` "review:<roadmap>:<step>"). Due times live here so a restart loses none; a process claims
    a due row (`claimed_by`, `claimed_at`) before sending, so two processes never send it twice.
    """

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_reminder_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    key: str = Field(max_length=160)
    kind: str = Field(max_length=16)
    roadmap_id: str | None = Field(default=None, max_length=64)
    step_id: str | None = Field(default=None, max_length=64)
    interval_days: int | None = None
    due_at: datetime = Field(index=True)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_at: datetime | None = None
    created_at: datetime


class ActivityDay(SQLModel, table=True):
    """A day (the member's local date) on which the member did something: streaks are made of these."""

    __tablename__ = "activity_day"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_activity_day_user_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    day: date
    events: int = 1


class StepNote(SQLModel, table=True):
    """A member's private note (text, links) on one step of a roadmap."""

    __tablename__ = "step_note"
    __table_args__ = (UniqueConstraint("user_id", "roadmap_id", "step_id", name="uq_step_note_user_step"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    roadmap_id: str = Field(max_length=64)
    step_id: str = Field(max_length=64)
    text: str = Field(max_length=STEP_NOTE_MAX)
    created_at: datetime
    updated_at: datetime


class OptIn(SQLModel, table=True):
    """A member's consent to appear in a community feature (`leaderboard`, `peers`) of one community
    (`scope`: a Discord server's id). Nobody is listed anywhere without one of these rows."""

    __tablename__ = "opt_in"
    __table_args__ = (UniqueConstraint("user_id", "scope", "feature", name="uq_opt_in_user_scope_feature"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(max_length=USER_ID_MAX, index=True)
    scope: str = Field(max_length=USER_ID_MAX, index=True)
    feature: str = Field(max_length=16)
    created_at: datetime


class GuildSettings(SQLModel, table=True):
    """A server's own settings, set by its moderators: roles, the digest channel, and the weekly
    digest's claim (`digest_claimed_by`/`_at`) and last sending, so several processes post it once.

    Ids are Discord snowflakes kept as text (they overflow a 32-bit integer). Server data, not member
    data: nothing here names a member.
    """

    __tablename__ = "guild_settings"
    __table_args__ = (UniqueConstraint("guild_id", name="uq_guild_settings_guild"),)

    id: int | None = Field(default=None, primary_key=True)
    guild_id: str = Field(max_length=GUILD_ID_MAX)
    moderator_role_id: str | None = Field(default=None, max_length=GUILD_ID_MAX)
    helper_role_id: str | None = Field(default=None, max_length=GUILD_ID_MAX)
    digest_channel_id: str | None = Field(default=None, max_length=GUILD_ID_MAX)
    digest_sent_at: datetime | None = None
    digest_claimed_by: str | None = Field(default=None, max_length=100)
    digest_claimed_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class ChannelSettings(SQLModel, table=True):
    """How the bot behaves in one channel of a server (`mode`: off, mention, auto, threads)."""

    __tablename__ = "channel_settings"
    __table_args__ = (
        UniqueConstraint("guild_id", "channel_id", name="uq_channel_settings_channel"),
        CheckConstraint(CHANNEL_MODE_CHECK, name="ck_channel_settings_mode"),
    )

    id: int | None = Field(default=None, primary_key=True)
    guild_id: str = Field(max_length=GUILD_ID_MAX, index=True)
    channel_id: str = Field(max_length=GUILD_ID_MAX)
    mode: str = Field(max_length=16)
    updated_at: datetime


TABLES: tuple[type[SQLModel], ...] = (
    Goal,
    StepProgress,
    AnswerFeedback,
    QuestionLog,
    KbAudit,
    MemberPrefs,
    Reminder,
    ActivityDay,
    StepNote,
    OptIn,
    GuildSettings,
    ChannelSettings,
)
