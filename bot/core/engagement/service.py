"""The engagement facade adapters call: reminders, today's step, streaks, notes, the leaderboard,
study peers and the progress card. Synchronous (adapters run it in a thread), one transaction per change.

Reminders are scheduled in the database: a sender claims due rows (`claim_due`), delivers them, then
`delivered` moves a routine reminder to its next local time after now (so reminders missed while
offline are sent once, not replayed) and spaces a review reminder out; `undeliverable` turns a
member's reminders off when their DMs are closed, and leaves a notice for their next command.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.core.engagement import activity, card, streaks, today
from bot.core.engagement.schedule import format_time, next_occurrence, parse_time, parse_weekday, zone
from bot.core.engagement.schemas import (
    Cadence,
    DueReminder,
    Feature,
    Leaderboard,
    LeaderEntry,
    OptInChange,
    Peers,
    ReminderMessage,
    ReminderSettings,
    StepNoteView,
    StreakReport,
    TodayPlan,
)
from bot.core.errors import InvalidInput
from bot.core.roadmap.errors import NoGoal, NoRoadmaps, RoadmapGone
from bot.core.roadmap.graph import RoadmapGraph, StoredStatus
from bot.core.roadmap.schemas import StepRef
from bot.core.roadmap.service import RoadmapService
from bot.core.store import engagement as store
from bot.core.store import goals as goal_store
from bot.core.store.db import reading, transaction
from bot.core.store.models import MemberPrefs, StepStatus
from bot.core.store.validation import clean_step_note, validate_user_id

CLAIM_LEASE = timedelta(minutes=10)
LATE_AFTER = timedelta(minutes=15)
MAX_REVIEW_INTERVAL_DAYS = 120
LEADERBOARD_SIZE = 10


class EngagementService:
    def __init__(
        self,
        engine: Engine,
        roadmaps: RoadmapService,
        *,
        clock: Callable[[], datetime],
        default_timezone: str = "UTC",
    ) -> None:
        zone(default_timezone)  # refuse a bad setting at start, not at a member's first reminder
        self._engine = engine
        self._roadmaps = roadmaps
        self._clock = clock
        self.default_timezone = default_timezone

    # -- reminder settings ---------------------------------------------------------------------

    def reminder_settings(self, user: str) -> ReminderSettings:
        user = validate_user_id(user)
        with reading(self._engine) as session:
            prefs = store.get_prefs(user, session=session)
            routine = store.get_reminder(user, store.ROUTINE, session=session)
            reviews = sum(r.kind == store.REVIEW for r in store.reminders_of(user, session=session))
        return self._settings_view(user, prefs, routine.due_at if routine else None, reviews)

    def set_reminders(
        self,
        user: str,
        cadence: Cadence | str,
        time: str | None = None,
        timezone: str | None = None,
        weekday: str | int | None = None,
    ) -> ReminderSettings:
        """Turn reminders on (daily or weekly at a local time) or off; what is not given is kept."""
        user = validate_user_id(user)
        try:
            chosen = Cadence(str(cadence).strip().lower())
        except ValueError:
            raise InvalidInput("Reminders are daily, weekly or off.") from None
        minute = parse_time(time) if time is not None and time.strip() else None
        tz_name = zone(timezone).key if timezone is not None and timezone.strip() else None
        day = weekday if isinstance(weekday, int) or weekday is None else parse_weekday(weekday)
        if isinstance(day, int) and not 0 <= day <= 6:
            raise InvalidInput("A weekday is 0 (Monday) to 6 (Sunday).")
        now = self._clock()
        with transaction(self._engine) as session:
            prefs = store.get_prefs(user, session=session)
            tz = zone(tz_name or (prefs.timezone if prefs and prefs.timezone else self.default_timezone))
            changes: dict[str, object] = {"remind_cadence": chosen.value}
            if minute is not None:
                changes["remind_minute"] = minute
            if tz_name is not None:
                changes["timezone"] = tz_name
            if chosen is Cadence.WEEKLY:
                kept = prefs.remind_weekday if prefs else None
                changes["remind_weekday"] = (
                    day if day is not None else kept if kept is not None else now.astimezone(tz).weekday()
                )
            if chosen is not Cadence.OFF:
                changes.update(dm_failed_at=None, dm_notice_pending=False)
            prefs = store.save_prefs(user, session=session, now=now, **changes)
            due = None
            if chosen is Cadence.OFF:
                store.cancel(user, store.ROUTINE, session=session)
            else:
                due = next_occurrence(chosen, prefs.remind_minute, prefs.remind_weekday, tz, now)
                store.schedule(user, store.ROUTINE, store.ROUTINE, due, session=session, now=now)
            reviews = sum(r.kind == store.REVIEW for r in store.reminders_of(user, session=session))
        return self._settings_view(user, prefs, due, reviews)

    def _settings_view(
        self, user: str, prefs: MemberPrefs | None, due: datetime | None, reviews: int
    ) -> ReminderSettings:
        tz = zone(prefs.timezone if prefs and prefs.timezone else self.default_timezone)
        cadence = Cadence(prefs.remind_cadence) if prefs else Cadence.OFF
        return ReminderSettings(
            user_id=user,
            cadence=cadence,
            time=format_time(prefs.remind_minute if prefs else MemberPrefs.model_fields["remind_minute"].default),
            timezone=tz.key,
            weekday=prefs.remind_weekday if prefs and cadence is Cadence.WEEKLY else None,
            next_at=due,
            next_local=due.astimezone(tz) if due else None,
            dm_failed_at=prefs.dm_failed_at if prefs else None,
            reviews=reviews,
        )

    # -- delivering reminders -------------------------------------------------------------------

    def claim_due(self, worker: str, limit: int = 20, lease: timedelta = CLAIM_LEASE) -> list[DueReminder]:
        """Reminders due now, claimed for `worker`: no other process gets them until they are finished
        or `lease` runs out (the holder died mid-send)."""
        now = self._clock()
        with transaction(self._engine) as session:
            rows = store.claim_due(worker, session=session, now=now, limit=limit, lease=lease)
            return [
                DueReminder(
                    id=r.id or 0,
                    user_id=r.user_id,
                    kind=r.kind,
                    roadmap_id=r.roadmap_id,
                    step_id=r.step_id,
                    interval_days=r.interval_days,
                    due_at=r.due_at,
                    late=now - r.due_at > LATE_AFTER,
                )
                for r in rows
            ]

    def message(self, due: DueReminder) -> ReminderMessage | None:
        """What to send for a claimed reminder; None when there is nothing to say (no goal any more,
        or a step to review that left the roadmap)."""
        cadence = Cadence(self.reminder_settings(due.user_id).cadence)
        base = {"user_id": due.user_id, "kind": due.kind, "late": due.late, "cadence": cadence}
        if due.kind == store.REVIEW:
            roadmap = next((r for r in self._roadmaps.roadmap_list() if r.id == due.roadmap_id), None)
            step = RoadmapGraph(roadmap).by_id.get(due.step_id or "") if roadmap else None
            if step is None:
                return None
            return ReminderMessage(
                review=StepRef(id=step.id, title=step.title), review_interval_days=due.interval_days, **base
            )
        try:
            result = self._roadmaps.next_steps(due.user_id)
            progress = self._roadmaps.progress(due.user_id)
        except (NoGoal, RoadmapGone, NoRoadmaps):
            return None
        return ReminderMessage(
            next_steps=result,
            target_date=progress.target_date,
            days_left=progress.days_left,
            hours_per_week=progress.hours_per_week,
            overdue=progress.overdue,
            **base,
        )

    def delivered(self, due: DueReminder, worker: str) -> None:
        """Sent (or nothing to send): a routine reminder moves to its next time after now; a review
        comes back after twice the interval (spaced), up to MAX_REVIEW_INTERVAL_DAYS."""
        now = self._clock()
        with transaction(self._engine) as session:
            if due.kind == store.REVIEW:
                interval = min(2 * (due.interval_days or 7), MAX_REVIEW_INTERVAL_DAYS)
                store.finish(
                    due.id, worker, session=session, next_due=now + timedelta(days=interval), interval_days=interval
                )
                return
            prefs = store.get_prefs(due.user_id, session=session)
            cadence = Cadence(prefs.remind_cadence) if prefs else Cadence.OFF
            if prefs is None or cadence is Cadence.OFF:
                store.finish(due.id, worker, session=session, next_due=None)
                return
            tz = zone(prefs.timezone or self.default_timezone)
            following = next_occurrence(cadence, prefs.remind_minute, prefs.remind_weekday, tz, now)
            store.finish(due.id, worker, session=session, next_due=following)

    def undeliverable(self, due: DueReminder, worker: str) -> None:
        """The member's DMs are closed: reminders off (routine and reviews), a notice for next time."""
        now = self._clock()
        with transaction(self._engine) as session:
            store.save_prefs(
                due.user_id,
                session=session,
                now=now,
                remind_cadence=Cadence.OFF.value,
                dm_failed_at=now,
                dm_notice_pending=True,
            )
            for row in store.reminders_of(due.user_id, session=session):
                store.cancel(due.user_id, row.key, session=session)

    def retry_later(self, due: DueReminder, worker: str) -> None:
        """A temporary failure (the chat service unreachable): the claim is given back for the next check."""
        with transaction(self._engine) as session:
            store.release(due.id, worker, session=session)

    def take_dm_notice(self, user: str) -> bool:
        """True once after reminders were turned off because a DM failed: the member should be told."""
        try:
            user = validate_user_id(user)
        except InvalidInput:
            return False
        with reading(self._engine) as session:  # every command asks: a read, no write lock, in the usual case
            prefs = store.get_prefs(user, session=session)
            if prefs is None or not prefs.dm_notice_pending:
                return False
        with transaction(self._engine) as session:
            return store.take_dm_notice(user, session=session)

    # -- today, streaks ----------------------------------------------------------------------------

    def today(self, user: str) -> TodayPlan:
        user = validate_user_id(user)
        result = self._roadmaps.next_steps(user, limit=1)
        progress = self._roadmaps.progress(user)
        with reading(self._engine) as session:
            day = activity.member_today(user, self.default_timezone, self._clock(), session=session)
            notes = store.notes_for(user, result.roadmap_id, session=session)
        return today.plan(result, progress, day, notes)

    def streak(self, user: str) -> StreakReport:
        user = validate_user_id(user)
        with reading(self._engine) as session:
            day = activity.member_today(user, self.default_timezone, self._clock(), session=session)
            days = store.activity_days(user, session=session)
        return streaks.report(user, days, day)

    # -- notes ---------------------------------------------------------------------------------------

    def note(self, user: str, step: str, text: str | None = None, clear: bool = False) -> StepNoteView:
        """The member's note on a step of their active roadmap: shown, saved (`text`) or cleared."""
        user = validate_user_id(user)
        roadmap, found = self._roadmaps.find_step(user, step)
        ref = StepRef(id=found.id, title=found.title)
        cleaned = clean_step_note(text) if text is not None else None
        if text is not None and cleaned is None and not clear:
            raise InvalidInput("The note is empty; to remove a note, clear it.")
        now = self._clock()
        if clear:
            with transaction(self._engine) as session:
                removed = store.delete_note(user, roadmap.id, found.id, session=session)
            return StepNoteView(roadmap_id=roadmap.id, step=ref, text=None, updated_at=None, cleared=removed)
        if cleaned is not None:
            with transaction(self._engine) as session:
                row = store.save_note(user, roadmap.id, found.id, cleaned, session=session, now=now)
                activity.record(user, self.default_timezone, now, session=session)
            return StepNoteView(roadmap_id=roadmap.id, step=ref, text=row.text, updated_at=row.updated_at, saved=True)
        with reading(self._engine) as session:
            existing = store.get_note(user, roadmap.id, found.id, session=session)
        return StepNoteView(
            roadmap_id=roadmap.id,
            step=ref,
            text=existing.text if existing else None,
            updated_at=existing.updated_at if existing else None,
        )

    # -- community (opt-in) -------------------------------------------------------------------------

    def set_opt_in(self, user: str, scope: str, feature: Feature | str, on: bool) -> OptInChange:
        user, scope, chosen = validate_user_id(user), _scope(scope), Feature(feature)
        with transaction(self._engine) as session:
            changed = store.set_opt_in(user, scope, chosen.value, on, session=session, now=self._clock())
        return OptInChange(scope=scope, feature=chosen, on=on, changed=changed)

    def leaderboard(self, scope: str, user: str, limit: int = LEADERBOARD_SIZE) -> Leaderboard:
        """Opted-in members of `scope` by effort hours of completed steps (all their roadmaps), then streak."""
        user, scope = validate_user_id(user), _scope(scope)
        roadmaps = {r.id: RoadmapGraph(r) for r in self._roadmaps.roadmap_list()}
        now = self._clock()
        with reading(self._engine) as session:
            members = store.opted_in(scope, Feature.LEADERBOARD.value, session=session)
            days = store.activity_by_member(members, session=session)
            scored: list[tuple[int, int, int, str]] = []
            for member in members:
                points = steps = 0
                for goal in goal_store.list_goals(member, session=session):
                    graph = roadmaps.get(goal.roadmap_id)
                    if graph is None or goal.id is None:
                        continue
                    rows = [
                        StoredStatus(step_id=r.step_id, status=StepStatus(r.status), updated_at=r.updated_at)
                        for r in goal_store.progress_rows(goal.id, session=session)
                    ]
                    for step_id, row in graph.current_statuses(rows).items():
                        if row.status.completed:
                            points += graph.by_id[step_id].effort_hours
                            steps += 1
                day = activity.member_today(member, self.default_timezone, now, session=session)
                current = streaks.report(member, days[member], day).current
                scored.append((points, steps, current, member))
        scored.sort(key=lambda s: (-s[0], -s[2], -s[1], members.index(s[3])))
        entries = [
            LeaderEntry(rank=n, user_id=m, points=p, steps=s, streak=c) for n, (p, s, c, m) in enumerate(scored, 1)
        ]
        mine = next((e.rank for e in entries if e.user_id == user), None)
        return Leaderboard(
            scope=scope, entries=entries[:limit], members=len(members), you_opted_in=mine is not None, your_rank=mine
        )

    def peers(self, user: str, scope: str, step: str | None = None) -> Peers:
        """Other opted-in members of `scope` with the step in progress: the member's own step in
        progress (or next step) unless one is named. Only a member who opted in sees them."""
        user, scope = validate_user_id(user), _scope(scope)
        if step is not None and step.strip():
            roadmap, found = self._roadmaps.find_step(user, step)
            ref: StepRef | None = StepRef(id=found.id, title=found.title)
            roadmap_id = roadmap.id
        else:
            result = self._roadmaps.next_steps(user, limit=1)
            roadmap_id = result.roadmap_id
            ref = StepRef(id=result.steps[0].id, title=result.steps[0].title) if result.steps else None
        graph = next((RoadmapGraph(r) for r in self._roadmaps.roadmap_list() if r.id == roadmap_id), None)
        with reading(self._engine) as session:
            joined = store.is_opted_in(user, scope, Feature.PEERS.value, session=session)
            if not joined or ref is None or graph is None:
                return Peers(scope=scope, roadmap_id=roadmap_id, step=ref, peers=[], opted_in=joined)
            found_peers: list[str] = []
            for member in store.opted_in(scope, Feature.PEERS.value, session=session):
                if member == user:
                    continue
                goal = goal_store.get_goal(member, roadmap_id, session=session)
                if goal is None or goal.id is None:
                    continue
                rows = [
                    StoredStatus(step_id=r.step_id, status=StepStatus(r.status), updated_at=r.updated_at)
                    for r in goal_store.progress_rows(goal.id, session=session)
                ]
                current = graph.current_statuses(rows).get(ref.id)
                if current is not None and current.status is StepStatus.IN_PROGRESS:
                    found_peers.append(member)
        return Peers(scope=scope, roadmap_id=roadmap_id, step=ref, peers=found_peers, opted_in=True)

    # -- the card --------------------------------------------------------------------------------------

    def card(self, user: str) -> bytes:
        """The member's progress card as PNG bytes."""
        user = validate_user_id(user)
        view = self._roadmaps.show(user)
        report = self.streak(user)
        return card.render_card(view, report, report.today)

    def local_today(self, user: str) -> datetime:
        """Now in the member's time zone (for adapters that show local times)."""
        with reading(self._engine) as session:
            tz = activity.member_zone(user, self.default_timezone, session=session)
        return self._clock().astimezone(tz)


def _scope(scope: str) -> str:
    """A community id (an adapter's server or group): opaque, bounded, printable, like a member id."""
    try:
        return validate_user_id(scope)
    except InvalidInput:
        raise InvalidInput("A community id is required.") from None
