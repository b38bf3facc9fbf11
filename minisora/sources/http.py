"""What every network command shares: who we say we are, and how the client is made.

Only network commands import this module (and so httpx).
"""

from __future__ import annotations

import httpx

from minisora import __version__

USER_AGENT = f"minisora/{__version__} (+https://github.com/mini-sora/minisora)"


def async_client(
    timeout: float = 10.0, max_connections: int = 32, **kwargs: object
) -> httpx.AsyncClient:
    """An async client with our User-Agent that never reads proxy or auth settings from the
    environment, so no credential is sent to a host it was not meant for."""
    headers = {"User-Agent": USER_AGENT, **dict(kwargs.pop("headers", {}) or {})}  # type: ignore[call-overload]
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return httpx.AsyncClient(
        headers=headers, timeout=timeout, limits=limits, trust_env=False, **kwargs
    )  # type: ignore[arg-type]
