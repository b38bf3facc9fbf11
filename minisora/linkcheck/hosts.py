"""Per-host politeness, driven by what the host says rather than by freezing it.

Each host has a concurrency window (AIMD: halved once per rate-limit window, one place back per
normal answer) and a wait budget. A ``429`` sends its URL back to wait out the ``Retry-After``;
the whole host is paused only on evidence that the limit is the host's and not the page's: two
more ``429`` to requests sent after the first one arrived, with no normal answer in between.
Several ``429`` answers within one window cost one halving and one wait, not one each.

>>> gate = Host(limit=8, clock=lambda: 100.0)
>>> gate.limited(sent_at=99.9, asked=1.0, max_single=60, max_total=120)  # this URL waits 1 s
101.0
>>> gate.allowed, gate.paused
(4.0, False)
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

Job = TypeVar("Job")
# Rate limits met by requests sent after a streak began that prove the limit is the host's: one
# could be another page's own limit answering at the same moment; two in a row, with no normal
# answer between, are the host's.
_HOSTWIDE_STRIKES = 2


class Host(Generic[Job]):
    """What one host allows, what it taught us, and the jobs waiting for it."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.allowed = float(limit)
        self.active = 0
        self.queue: deque[Job] = deque()
        self.listed = False  # in the scheduler's round of hosts with queued jobs
        self.head_refused = False  # refused HEAD (405/501) a few times and never served one
        self.head_ok = False
        self.head_refusals = 0
        self.exhausted = False  # limits every request and asks for more wait than the budget
        self.resume_at = 0.0  # nothing is sent before this (a host-wide pause)
        self.waited = 0.0  # seconds of waiting this host asked for, overlapping windows once
        self._window_until = 0.0
        self._limited_since = -math.inf  # when the current streak of rate limits began
        self._strikes = 0
        self._last_answer = -math.inf  # when the last request that got a normal answer was sent
        self._clock = clock

    @property
    def paused(self) -> bool:
        return self.resume_at > self._clock()

    def free(self, now: float) -> bool:
        """Whether a request may start now."""
        return self.active < self.allowed and now >= self.resume_at

    def limited(
        self, sent_at: float, asked: float, max_single: float, max_total: float
    ) -> float | None:
        """Record a rate-limit answer to a request sent at ``sent_at`` that asks for ``asked``
        seconds. Returns when its URL may be asked again, or None when that wait is longer than
        ``max_single`` or would take the host's waits past ``max_total`` (then, if the limit is
        the host's, every other URL of the host is given up too)."""
        now = self._clock()
        # A streak: rate limits since the first one, which no request sent after it escaped.
        # Two requests sent after it met the limit too: the limit is the host's.
        if self._last_answer >= self._limited_since:
            self._limited_since, self._strikes = now, 0
        elif sent_at > self._limited_since:
            self._strikes += 1
        hostwide = self._strikes >= _HOSTWIDE_STRIKES
        end = now + asked
        extra = max(0.0, end - max(now, self._window_until))
        if not asked <= max_single or self.waited + extra > max_total:
            self.exhausted = self.exhausted or hostwide
            return None
        if now >= self._window_until:
            self.allowed = max(1.0, self.allowed / 2)
        self.waited += extra
        self._window_until = max(self._window_until, end)
        if hostwide:
            self.resume_at = max(self.resume_at, end)
        return end

    def answered(self, sent_at: float) -> None:
        """A normal answer (anything but "busy") to a request sent at ``sent_at``: give back one
        place."""
        self._last_answer = max(self._last_answer, sent_at)
        if self.allowed < self.limit:
            self.allowed = min(float(self.limit), self.allowed + 1)
