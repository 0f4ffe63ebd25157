"""The SQLite store: tables, migrations, and small functions over sessions.

Adapters open it once with `open_store(settings.database_url)` and run each change in `transaction(engine)`.
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
from bot.core.store.db import make_engine, migrate, open_store, reading, transaction, utcnow
from bot.core.store.models import AnswerFeedback, Goal, KbAudit, QuestionLog, StepProgress, StepStatus
from bot.core.store.users import ForgetCounts, export_user, forget_user
from bot.core.store.validation import validate_user_id

__all__ = [
    "AnswerFeedback",
    "ForgetCounts",
    "Goal",
    "KbAudit",
    "QuestionLog",
    "StepProgress",
    "StepStatus",
    "VoteResult",
    "add_audit",
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
    "purge_questions_older_than",
    "question_sources",
    "reading",
    "record_feedback",
    "record_vote",
    "transaction",
    "utcnow",
    "validate_user_id",
]
