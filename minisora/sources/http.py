"""What every network command shares: who we say we are, how the client is made, and when and
how long to wait before asking again (the one retry policy of arXiv, GitHub and check-links).

Only network commands import this module (and so httpx).
"""

from __future__ import annotations

import email.utils
import random
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from minisora import __version__

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"minisora/{__version__} (+https://github.com/mini-sora/minisora)"


def async_client(
    timeout: float = 10.0, max_connections: int = 32, **kwargs: object
) -> httpx.AsyncClient:
    """An async client with our User-Agent that never reads proxy or auth settings from the
    environment, so no credential is sent to a host it was not meant for."""
    import httpx

    headers = {"User-Agent": USER_AGENT, **dict(kwargs.pop("headers", {}) or {})}  # type: ignore[call-overload]
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return httpx.AsyncClient(
        headers=headers, timeout=timeout, limits=limits, trust_env=False, **kwargs
    )  # type: ignore[arg-type]


# Worth asking again: the host is busy, or briefly unreachable behind a proxy.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


def backoff_delay(base: float, attempt: int, cap: float) -> float:
    """Exponential backoff with jitter: about ``base * 2**attempt`` seconds, never above ``cap``."""
    return min(cap, base * 2**attempt) * random.uniform(1.0, 1.25)


def retry_after(response: httpx.Response) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), if any."""
    return retry_after_seconds(response.headers.get("Retry-After", ""))


def retry_after_seconds(value: str) -> float | None:
    """Seconds a ``Retry-After`` value asks for: ``120`` or an HTTP date; None when unreadable."""
    value = value.strip()
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
