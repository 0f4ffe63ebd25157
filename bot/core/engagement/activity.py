"""Activity days: the member's local date of each progress change and question, for streaks.

Called inside the transaction that makes the change, so an activity day exists exactly when the
change does. The day is the member's own (their time zone, else the deployment's default).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.engagement.schedule import local_date, zone
from bot.core.errors import InvalidInput
from bot.core.store import engagement as store


def member_zone(user_id: str, default: str, *, session: Session) -> ZoneInfo:
    prefs = store.get_prefs(user_id, session=session)
    name = prefs.timezone if prefs and prefs.timezone else default
    try:
        return zone(name)
    except InvalidInput:  # a zone the IANA database dropped since it was saved
        return ZoneInfo("UTC")


def member_today(user_id: str, default: str, now: datetime, *, session: Session) -> date:
    return local_date(now, member_zone(user_id, default, session=session))


def record(user_id: str, default: str, now: datetime, *, session: Session) -> None:
    store.record_activity(user_id, member_today(user_id, default, now, session=session), session=session)
