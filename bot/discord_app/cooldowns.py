"""Per-member rate limits for expensive work (a question costs a model encode and a search).

One budget covers /ask and mention/DM questions alike, so switching entry points gains nothing.
"""

from __future__ import annotations

from discord import app_commands

PRUNE_ABOVE = 1000


class UserCooldowns:
    """`rate` questions per `per` seconds per member."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def hit(self, user_id: int) -> tuple[app_commands.Cooldown, float | None]:
        """Spend one token; returns the bucket and the seconds to wait when none was left."""
        if len(self._buckets) > PRUNE_ABOVE:
            self._prune()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
        return bucket, bucket.update_rate_limit()

    def check(self, user_id: int) -> None:
        """Spend one token or raise CommandOnCooldown (the error handler turns it into 'try again in N s')."""
        bucket, retry_after = self.hit(user_id)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)

    def _prune(self) -> None:
        """Forget members whose budget is full again, so the map does not grow with every member ever seen."""
        full = [uid for uid, b in self._buckets.items() if b.get_tokens() >= self.rate]
        for uid in full:
            del self._buckets[uid]
