"""Engagement results as Discord markdown: reminders, today's step, streaks, notes, the leaderboard,
study peers. Each fits one message; member text is escaped; the commands named are Discord's own.

Members are shown as mentions (`<@id>`): Discord displays their names, and the bot's
AllowedMentions.none() means nobody is pinged.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.engagement.schemas import (
    WEEKDAYS,
    Cadence,
    Feature,
    HeatDay,
    Leaderboard,
    OptInChange,
    Peers,
    ReminderMessage,
    ReminderSettings,
    StepNoteView,
    StreakReport,
    TodayPlan,
)
from bot.discord_app import limits
from bot.discord_app.render import GOAL_COMMAND, escape, fit, render_next_steps

REMIND_COMMAND = "`/roadmap remind`"
DM_NOTICE = (
    "I couldn't send you a reminder: your DMs are closed to me, so I turned your reminders off. "
    f"Allow direct messages from this server's members, then turn them back on with {REMIND_COMMAND}."
)
HEAT = {"none": "⬛", "active": "🟩", "busy": "🟢", "frozen": "🧊", "future": "▫️"}


def mention(user_id: str) -> str:
    return f"<@{user_id}>" if user_id.isdigit() else escape(user_id, 40)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def time_left(target: object, days_left: int | None, hours_per_week: float | None, overdue: bool) -> str | None:
    if target is None or days_left is None:
        return None
    if overdue:
        return f"Your target date {target} has passed; set a new one with {GOAL_COMMAND}."
    pace = f" · about {hours_per_week:g} h/week keeps you on track" if hours_per_week else ""
    return f"⏳ {_days(days_left)} left until your target date {target}{pace}."


def reminder_text(message: ReminderMessage, article_titles: Mapping[str, str]) -> str:
    """The DM: what to do next and the time left, or the step to review; buttons sit below it."""
    head = "(Sent late: I was offline when this was due.)\n" if message.late else ""
    if message.review is not None:
        again = message.review_interval_days or 7
        body = (
            f"🔁 **Time to review {escape(message.review.title, 100)}** (`{message.review.id}`).\n"
            "Skim your notes, redo an exercise, explain it to yourself in a few sentences. "
            f"Press **Done** when it sticks; otherwise I'll ask again in {_days(2 * again)}."
        )
        return limits.clip(head + body, limits.CONTENT)
    lines = ["⏰ **Your roadmap reminder**"]
    left = time_left(message.target_date, message.days_left, message.hours_per_week, message.overdue)
    if left:
        lines.append(left)
    intro = head + "\n".join(lines) + "\n\n"
    footer = f"\n\nChange or stop these with {REMIND_COMMAND}."
    assert message.next_steps is not None
    body = render_next_steps(message.next_steps, article_titles, max_chars=limits.CONTENT - len(intro) - len(footer))
    return limits.clip(intro + body + footer, limits.CONTENT)


def settings_text(settings: ReminderSettings) -> str:
    if settings.cadence is Cadence.OFF:
        text = f"Reminders are off. Turn them on with {REMIND_COMMAND} `daily` or `weekly`."
        if settings.dm_failed_at is not None:
            text += " (They went off because I couldn't DM you: allow DMs first.)"
    else:
        when = settings.time
        if settings.cadence is Cadence.WEEKLY and settings.weekday is not None:
            when = f"{WEEKDAYS[settings.weekday].title()}s at {settings.time}"
        else:
            when = f"every day at {settings.time}"
        text = f"Reminders: {when} ({settings.timezone}), by DM, with your next steps and a button to mark them."
        if settings.next_local is not None:
            text += f"\nNext one: {settings.next_local.strftime('%A %Y-%m-%d %H:%M')} ({settings.timezone})."
        text += " Make sure you accept DMs from members of this server."
    if settings.reviews:
        text += f"\n{settings.reviews} review reminder{'s' if settings.reviews != 1 else ''} scheduled."
    return text


def today_text(plan: TodayPlan) -> str:
    if plan.complete or plan.step is None:
        return f"**{plan.roadmap_title}**: every step is done or skipped — nothing left for today. Well done!"
    verb = "Keep going with" if plan.status is not None and plan.status.value == "in_progress" else "Start"
    lines = [
        f"📌 **Today: {plan.minutes} min** on **{escape(plan.step.title, 100)}** (`{plan.step.id}`)",
        f"{verb}: {escape(plan.item or '', 300)}"
        + (f" (item {plan.item_number} of {plan.items_total})" if plan.items_total > 1 else ""),
    ]
    if plan.paced_by_target and plan.target_date:
        lines.append(f"That is {plan.hours_per_week:g} h/week, the pace your target date {plan.target_date} needs.")
    elif plan.overdue:
        lines.append(f"Your target date has passed; a gentle {plan.hours_per_week:g} h/week until you set a new one.")
    else:
        lines.append(f"A steady {plan.hours_per_week:g} h/week; set a target date with {GOAL_COMMAND} to pace it.")
    if plan.done_when:
        lines.append("Done when: " + escape("; ".join(plan.done_when), 300))
    if plan.note:
        lines.append(f"📝 Your note: {escape(plan.note, 400)}")
    return fit(lines, limits.CONTENT)


def _cell(day: HeatDay) -> str:
    if day.future:
        return HEAT["future"]
    if day.frozen:
        return HEAT["frozen"]
    if day.events >= 3:
        return HEAT["busy"]
    return HEAT["active"] if day.events else HEAT["none"]


def heatmap(report: StreakReport) -> list[str]:
    """Seven rows (Monday to Sunday), one column per week, oldest on the left."""
    return [f"`{WEEKDAYS[row][:3].title()}` " + "".join(_cell(week[row]) for week in report.weeks) for row in range(7)]


def streak_text(report: StreakReport) -> str:
    today = "active today ✅" if report.active_today else "nothing yet today"
    lines = [
        f"🔥 **Streak: {_days(report.current)}** · best {_days(report.best)} · {today}",
        *heatmap(report),
        f"{HEAT['active']} active · {HEAT['frozen']} frozen (one missed day a week keeps the streak) · "
        + ("this week's freeze is used" if report.freeze_used_this_week else "this week's freeze is still there"),
    ]
    return fit(lines, limits.CONTENT)


def note_text(view: StepNoteView) -> str:
    step = f"**{escape(view.step.title, 100)}** (`{view.step.id}`)"
    if view.cleared:
        return f"Your note on {step} is removed."
    if view.text is None:
        return f"No note on {step} yet. Add one with `/roadmap note step:{view.step.id} text:…` (only you see it)."
    verb = "Saved your note on" if view.saved else "Your note on"
    return limits.clip(f"{verb} {step} (only you see it):\n{escape_multiline(view.text)}", limits.CONTENT)


def escape_multiline(text: str) -> str:
    return "\n".join(escape(line, 1000) for line in text.splitlines())


def opt_in_text(change: OptInChange) -> str:
    what = "the leaderboard" if change.feature is Feature.LEADERBOARD else "the study peers list"
    if change.on:
        return f"You're on {what} of this server." if change.changed else f"You were already on {what}."
    return f"You left {what} of this server." if change.changed else f"You weren't on {what}."


def leaderboard_text(board: Leaderboard, change: OptInChange | None = None) -> str:
    lines = [opt_in_text(change)] if change else []
    lines.append("🏆 **Leaderboard** — effort hours of completed steps, among members who opted in")
    if not board.entries:
        lines.append("Nobody has joined yet. Join with `/roadmap leaderboard join:True`.")
    for entry in board.entries:
        lines.append(
            f"{entry.rank}. {mention(entry.user_id)} · {entry.points} h · {entry.steps} steps · 🔥 {entry.streak}"
        )
    if not board.you_opted_in:
        lines.append("You're not on it: join with `/roadmap leaderboard join:True` (leave any time with join:False).")
    elif board.your_rank is not None and board.your_rank > len(board.entries):
        lines.append(f"You're #{board.your_rank} of {board.members}.")
    return fit(lines, limits.CONTENT)


def peers_text(peers: Peers, change: OptInChange | None = None) -> str:
    lines = [opt_in_text(change)] if change else []
    if not peers.opted_in:
        lines.append(
            "Study peers are members of this server who opted in to be listed with the step they're working on. "
            "Join with `/roadmap peers join:True` to see them (and to be seen)."
        )
        return fit(lines, limits.CONTENT)
    if peers.step is None:
        lines.append("You have no open step on your roadmap, so there is nobody to match you with.")
        return fit(lines, limits.CONTENT)
    step = f"**{escape(peers.step.title, 100)}** (`{peers.step.id}`)"
    if not peers.peers:
        lines.append(f"Nobody else who opted in is working on {step} right now.")
    else:
        listed = ", ".join(mention(p) for p in peers.peers[:40])
        more = f" and {len(peers.peers) - 40} more" if len(peers.peers) > 40 else ""
        lines.append(f"Working on {step} too: {listed}{more}.")
    return fit(lines, limits.CONTENT)


def study_thread_intro(peers: Peers, owner_id: int) -> str:
    assert peers.step is not None
    names = ", ".join(mention(p) for p in peers.peers[:40]) or "nobody else yet"
    return limits.clip(
        f"📚 A study thread for **{escape(peers.step.title, 100)}** (`{peers.step.id}`), opened by <@{owner_id}>.\n"
        f"Working on it: {names}. Share resources, questions and progress here.",
        limits.CONTENT,
    )


def card_caption(shared: bool) -> str:
    return "My progress card." if shared else "Your progress card (only you see it; add `share:True` to post it)."
