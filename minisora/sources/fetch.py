"""Polite GETs: paced requests, the retry policy of ``http.py``, and one-line errors when a
service is away."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from minisora.errors import SourceError
from minisora.sources.http import RETRY_STATUSES, backoff_delay, retry_after

MAX_WAIT = 120.0  # a service that asks for a longer pause is better tried again later


@dataclass
class Pacer:
    """Spaces requests at least ``interval`` seconds apart (arXiv asks for 3 s)."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _last: float | None = field(default=None, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def wait(self) -> None:
        """Return when the next request may go out."""
        async with self._lock:
            if self._last is not None:
                pause = self._last + self.interval - self.clock()
                if pause > 0:
                    await self.sleep(pause)
            self._last = self.clock()


async def polite_get(
    client: httpx.AsyncClient,
    url: str,
    *,
    service: str,
    pacer: Pacer,
    backoff: float,
    attempts: int = 4,
    hint: str = "",
    **kwargs: Any,
) -> httpx.Response:
    """GET ``url`` after ``pacer`` allows it; on a busy answer (``RETRY_STATUSES``) wait
    (``Retry-After`` or ``backoff`` doubling) and try again, up to ``attempts`` times (at least 1).
    Raises :class:`SourceError` when the service cannot be reached or stays busy; other statuses
    are the caller's to judge."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    for attempt in range(attempts):
        await pacer.wait()
        try:
            response = await client.get(url, **kwargs)
        except httpx.TimeoutException:
            raise SourceError(f"{service} at {url} did not answer in time{hint}") from None
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise SourceError(f"cannot reach {service} at {url}: {reason}{hint}") from None
        if response.status_code not in RETRY_STATUSES:
            return response
        wait = max(retry_after(response) or 0.0, backoff_delay(backoff, attempt, MAX_WAIT))
        if wait > MAX_WAIT:
            break
        if attempt + 1 < attempts:
            await pacer.sleep(wait)
    raise SourceError(
        f"{service} is busy (HTTP {response.status_code}) after {attempt + 1} "
        f"{'attempt' if attempt == 0 else 'attempts'}; try again later"
    )
