"""Keeping members going: reminders, today's step, streaks, notes, a leaderboard and study peers, and
the progress card. Everything is per member and opt-in; `EngagementService` is what adapters call."""
