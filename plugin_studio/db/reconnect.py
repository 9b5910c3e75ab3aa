"""How long to wait before the next attempt to reach a database that went away.

One rule for every reconnect loop (the IDE's database lane and the change listener): 0.5 s after
the first failure, doubling up to 10 s, back to 0.5 s after a success. Short enough that a
restarted local server is seen again within a second, long enough not to hammer a server that is
down for longer.
"""
from __future__ import annotations


class Backoff:
    """``next_delay()`` → 0.5, 1, 2, 4, 8, 10, 10, … seconds; ``reset()`` after a success."""

    def __init__(self, first_s: float = 0.5, factor: float = 2.0, cap_s: float = 10.0):
        self.first_s = first_s
        self.factor = factor
        self.cap_s = cap_s
        self._next = first_s

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self._next * self.factor, self.cap_s)
        return delay

    def reset(self) -> None:
        self._next = self.first_s
