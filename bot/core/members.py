"""The member-data side: everything stored about a member, to export or to forget.

Apart from roadmaps on purpose: a member's data spans goals, questions, votes, audit rows and the
FAQ entries they added, and export and forget must reach all of it whatever feature wrote it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Engine

from bot.core.store import ForgetCounts, export_user, forget_user, reading, transaction
from bot.core.store.validation import validate_user_id


def identities(user: str) -> list[str]:
    """The ids one member is known by: their id, and for a Discord member the `discord:<id>` form
    earlier versions recorded moderators' actions under."""
    return [user, f"discord:{user}"] if user.isdigit() else [user]


class ForgetReport(BaseModel):
    counts: ForgetCounts
    faq_entries_anonymised: list[str] = Field(default_factory=list, description="Files whose author was erased.")

    @property
    def total(self) -> int:
        return self.counts.total + len(self.faq_entries_anonymised)


class MemberData:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def export(self, user: str) -> dict[str, Any]:
        """Every row about the member, under any of their ids, JSON-ready."""
        user = validate_user_id(user)
        with reading(self._engine) as session:
            data = export_user(user, session=session)
            for alias in identities(user)[1:]:
                data["audit"].extend(export_user(alias, session=session)["audit"])
            return data

    def forget(self, user: str) -> ForgetCounts:
        """Erase the member (under any of their ids) from every table, in one transaction."""
        user = validate_user_id(user)
        with transaction(self._engine) as session:
            counts = forget_user(user, session=session)
            for alias in identities(user)[1:]:
                extra = forget_user(alias, session=session)
                counts.kb_audit_anonymized += extra.kb_audit_anonymized
            return counts


def forget_summary(report: ForgetReport) -> str:
    """What was erased, in one plain sentence every adapter can show as is."""
    counts = report.counts
    if report.total == 0:
        return "Nothing was stored about you."
    text = (
        f"Forgotten: {_count(counts.goals, 'goal')}, {_count(counts.step_progress, 'step status', 'step statuses')}, "
        f"{_count(counts.answer_feedback, 'feedback entry', 'feedback entries')}, "
        f"{_count(counts.question_log, 'question')}."
    )
    if counts.step_notes + counts.reminders + counts.member_prefs + counts.opt_ins:
        also = [
            _count(counts.step_notes, "step note"),
            _count(counts.reminders, "scheduled reminder"),
            _count(counts.activity_days, "activity day"),
            _count(counts.opt_ins, "opt-in"),
        ]
        if counts.member_prefs:
            also.insert(0, "your reminder settings")
        text += f" Also {', '.join(also[:-1])} and {also[-1]}."
    if counts.kb_audit_anonymized:
        text += f" Your name was removed from {_count(counts.kb_audit_anonymized, 'audit entry', 'audit entries')}."
    added = len(report.faq_entries_anonymised)
    if added:
        text += (
            f" {_count(added, 'FAQ entry', 'FAQ entries')} you added now {'names' if added == 1 else 'name'} no author."
        )
    return text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
