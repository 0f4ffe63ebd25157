"""Votes this process took lately: a repeated press is refused at once, without a round trip."""

from __future__ import annotations

from collections import OrderedDict

RECENT_VOTES = 10_000


class RecentVotes:
    """Only a shortcut (bounded, forgotten on restart): the store has the final word on one vote per member."""

    def __init__(self, size: int = RECENT_VOTES) -> None:
        self.size = size
        self._keys: OrderedDict[tuple[int, int], None] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, key: tuple[int, int]) -> None:
        self._keys[key] = None
        self._keys.move_to_end(key)
        while len(self._keys) > self.size:
            self._keys.popitem(last=False)

    def discard(self, key: tuple[int, int]) -> None:
        self._keys.pop(key, None)
