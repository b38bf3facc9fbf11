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
MAX_BYTES = 16 * 2**20  # an answer of 100 arXiv records is about 300 KB
DEADLINE = 60.0  # seconds for a whole request: connecting, waiting and reading the body


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
    max_bytes: int = MAX_BYTES,
    deadline: float = DEADLINE,
    hint: str = "",
    **kwargs: Any,
) -> httpx.Response:
    """GET ``url`` after ``pacer`` allows it; on a busy answer (``RETRY_STATUSES``) wait
    (``Retry-After`` or ``backoff`` doubling) and try again, up to ``attempts`` times (at least 1).

    Each attempt must be over within ``deadline`` seconds (a server sending a byte now and then
    is cut off too), and its body may not exceed ``max_bytes``: it is read as it comes and
    dropped past that. Raises :class:`SourceError` when the service cannot be reached, stays
    busy, is too slow or sends too much; other statuses are the caller's to judge."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    for attempt in range(attempts):
        await pacer.wait()
        try:
            response = await asyncio.wait_for(
                _get(client, url, service, max_bytes, **kwargs), deadline
            )
        except asyncio.TimeoutError:
            msg = f"{service} at {url} did not answer within {deadline:g} s{hint}"
            raise SourceError(msg) from None
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


async def _get(
    client: httpx.AsyncClient, url: str, service: str, max_bytes: int, **kwargs: Any
) -> httpx.Response:
    """One GET whose body is read in pieces and refused past ``max_bytes``. The body is asked for
    unencoded, so its size is what it takes in memory (a compressed body could inflate far past
    any limit before it could be counted)."""
    headers = {**dict(kwargs.pop("headers", None) or {}), "Accept-Encoding": "identity"}
    too_big = SourceError(
        f"{service} at {url} sent more than {max_bytes:,} bytes; refusing the answer"
    )
    async with client.stream("GET", url, headers=headers, **kwargs) as response:
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding != "identity":
            msg = f"{service} at {url} sent a body in {encoding!r}, which was not asked for"
            raise SourceError(msg)
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise too_big
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += chunk
            if len(body) > max_bytes:
                raise too_big
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        content=bytes(body),
        request=response.request,
    )
