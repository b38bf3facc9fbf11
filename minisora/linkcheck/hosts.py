"""Per-host politeness: a concurrency limit that shrinks when a host says "too many requests",
a pause every request to that host waits out, and what the host taught us (it refuses HEAD).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class HostGate:
    """At most ``limit`` requests in flight to one host, fewer after it rate-limits us.

    ``async with gate:`` waits for a free place and for any pause the host asked for. After a
    429 the place count halves and the host is paused; each success gives one place back.
    """

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.head_refused = False
        self.strikes = 0
        self._clock = clock
        self._allowed = limit
        self._active = 0
        self._resume_at = 0.0
        self._room = asyncio.Condition()

    async def __aenter__(self) -> HostGate:
        async with self._room:
            await self._room.wait_for(lambda: self._active < self._allowed)
            self._active += 1
        while (pause := self._resume_at - self._clock()) > 0:
            await asyncio.sleep(pause)
        return self

    async def __aexit__(self, *exc: object) -> None:
        async with self._room:
            self._active -= 1
            self._room.notify()

    @property
    def paused(self) -> bool:
        return self._resume_at > self._clock()

    def pause(self, seconds: float) -> None:
        """Hold every request to this host for ``seconds``; halve its places once per pause."""
        if not self.paused:
            self._allowed = max(1, self._allowed // 2)
            self.strikes += 1
        self._resume_at = max(self._resume_at, self._clock() + seconds)

    async def succeeded(self) -> None:
        """A normal answer: forget earlier strikes and give back one place."""
        self.strikes = 0
        if self._allowed < self.limit:
            async with self._room:
                self._allowed += 1
                self._room.notify()
