"""Polite GETs: paced requests, backoff on 429/503, and one-line errors when a service is away."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httpx

from minisora.sources import SourceError

RETRY_STATUSES = frozenset({429, 503})
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


def retry_after(response: httpx.Response) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), if any."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


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
    """GET ``url`` after ``pacer`` allows it; on 429/503 wait (``Retry-After`` or ``backoff``
    doubling) and try again, up to ``attempts`` times. Raises :class:`SourceError` when the
    service cannot be reached or stays busy; other statuses are the caller's to judge."""
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
        wait = max(retry_after(response) or 0.0, backoff * 2**attempt)
        if wait > MAX_WAIT:
            break
        if attempt + 1 < attempts:
            await pacer.sleep(wait)
    raise SourceError(
        f"{service} is busy (HTTP {response.status_code}) after {attempt + 1} "
        f"{'attempt' if attempt == 0 else 'attempts'}; try again later"
    )
