"""Times and time zones for reminders: parsing what members type, and the next local occurrence.

Pure functions over aware datetimes; zones come from the IANA database (`zoneinfo`, with the `tzdata`
package where the system has none).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.engagement.schemas import WEEKDAYS, Cadence
from bot.core.errors import InvalidInput
from bot.core.text import shown

_TIME = re.compile(r"^([01]?\d|2[0-3])[:h.]([0-5]\d)$")
_ZONE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}$")


def parse_time(text: str) -> int:
    """'18:30' (24-hour; 18h30 and 18.30 too) as minutes after midnight."""
    found = _TIME.match(text.strip())
    if not found:
        raise InvalidInput(f"'{shown(text, 40)}' is not a time of day; use HH:MM (24-hour), e.g. 18:30.")
    return int(found[1]) * 60 + int(found[2])


def format_time(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def zone(name: str) -> ZoneInfo:
    """An IANA time zone by name (Europe/Paris, America/New_York, UTC); InvalidInput for anything else."""
    cleaned = name.strip()
    if len(cleaned) <= 64 and _ZONE.match(cleaned):
        try:
            return ZoneInfo(cleaned)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    raise InvalidInput(f"'{shown(name, 40)}' is not a time zone; use an IANA name such as Europe/Paris or UTC.")


def parse_weekday(text: str) -> int:
    """'monday' (or 'mon') as 0 … 'sunday' as 6."""
    wanted = text.strip().lower()
    for n, day in enumerate(WEEKDAYS):
        if len(wanted) >= 3 and day.startswith(wanted):
            return n
    raise InvalidInput(f"'{shown(text, 40)}' is not a day of the week; use monday … sunday.")


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def next_occurrence(cadence: Cadence, minute: int, weekday: int | None, tz: ZoneInfo, after: datetime) -> datetime:
    """The first local `minute` of a day (of `weekday` when weekly) strictly after `after`, in UTC.

    Only the next one: reminders missed while the bot was offline are never queued up.
    """
    if cadence is Cadence.OFF:
        raise ValueError("no occurrence for reminders that are off")
    start = after.astimezone(tz).date()
    at = time(minute // 60, minute % 60)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if cadence is Cadence.WEEKLY and weekday is not None and day.weekday() != weekday:
            continue
        candidate = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
        if candidate > after:
            return candidate
    raise AssertionError("a week always holds the next occurrence")
