"""The store (SQLite, or PostgreSQL through psycopg 3): tables, migrations, and small functions over sessions.

Adapters open it once with `open_store(settings.database_url)` and run each change in `transaction(engine)`.
`copy_store` moves a deployment's rows into another database; `ping` is the health check's SELECT 1.
"""

from bot.core.store.activity import (
    VoteResult,
    add_audit,
    feedback_sources,
    list_audit,
    list_feedback,
    list_questions,
    log_question,
    purge_questions_older_than,
    question_sources,
    record_feedback,
    record_vote,
)
from bot.core.store.copy import CopyReport, copy_store, row_counts
from bot.core.store.db import describe, make_engine, migrate, open_store, parse_url, ping, reading, transaction, utcnow
from bot.core.store.models import AnswerFeedback, Goal, KbAudit, QuestionLog, StepProgress, StepStatus
from bot.core.store.users import ForgetCounts, export_user, forget_user
from bot.core.store.validation import validate_user_id

__all__ = [
    "AnswerFeedback",
    "CopyReport",
    "ForgetCounts",
    "Goal",
    "KbAudit",
    "QuestionLog",
    "StepProgress",
    "StepStatus",
    "VoteResult",
    "add_audit",
    "copy_store",
    "describe",
    "export_user",
    "feedback_sources",
    "forget_user",
    "list_audit",
    "list_feedback",
    "list_questions",
    "log_question",
    "make_engine",
    "migrate",
    "open_store",
    "parse_url",
    "ping",
    "purge_questions_older_than",
    "question_sources",
    "reading",
    "record_feedback",
    "record_vote",
    "row_counts",
    "transaction",
    "utcnow",
    "validate_user_id",
]
