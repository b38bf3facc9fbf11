"""What every network command shares: who we say we are, how the client is made, and when and
how long to wait before asking again (the one retry policy of arXiv, GitHub and check-links).

Only network commands import this module (and so httpx).
"""

from __future__ import annotations

import email.utils
import ipaddress
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from minisora import __version__
from minisora.core.urls import host, host_in, url_problem
from minisora.errors import UsageError

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"minisora/{__version__} (+https://github.com/mini-sora/minisora)"


def at_least(value: float, least: float, what: str) -> None:
    """Refuse a setting below ``least``: "the arXiv batch size must be at least 1, not 0"."""
    if not value >= least:  # also refuses NaN
        raise UsageError(f"{what} must be at least {least:g}, not {value!r}")


def check_api_url(url: str, service: str) -> None:
    """Refuse an API address that is no absolute http(s) URL."""
    problem = url_problem(url)
    if problem:
        raise UsageError(f"the {service} API address {url!r} is no http(s) URL: {problem}")


@dataclass(frozen=True)
class Proxies:
    """Forward proxies: ``https`` for https:// URLs, ``http`` for http:// URLs; hosts that
    ``no_proxy`` names are asked directly (curl's rules: ``example.com`` covers its subdomains,
    ``*`` every host). Empty by default: requests go straight to the host.

    >>> Proxies(https="proxy.example:3128").https
    'http://proxy.example:3128'
    """

    https: str | None = None
    http: str | None = None
    no_proxy: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for scheme in ("https", "http"):
            url = getattr(self, scheme)
            if not url:
                object.__setattr__(self, scheme, None)
                continue
            url = url if "://" in url else f"http://{url}"  # as curl reads host:port
            problem = url_problem(url)
            if problem:
                raise UsageError(f"the {scheme} proxy {url!r} is no http(s) URL: {problem}")
            object.__setattr__(self, scheme, url)
        names = (name.strip() for name in self.no_proxy)
        object.__setattr__(self, "no_proxy", tuple(name for name in names if name))

    def for_url(self, url: str) -> str | None:
        """The proxy ``url`` goes through, or None when it goes straight to its host.

        >>> proxies = Proxies(https="http://proxy:3128", no_proxy=(".example.org",))
        >>> proxies.for_url("https://a.example.org/") is None
        True
        >>> Proxies(https="http://proxy:3128").for_url("https://github.com/x")
        'http://proxy:3128'
        """
        chosen = {"https": self.https, "http": self.http}.get(url.partition(":")[0].lower())
        if chosen is None or "*" in self.no_proxy:
            return None
        domains = [entry.lower().lstrip("*.").removeprefix("www.") for entry in self.no_proxy]
        return None if host_in(host(url), domains) else chosen

    @classmethod
    def from_names(cls, https: str | None, http: str | None, no_proxy: str | None) -> Proxies:
        """From the usual ``HTTPS_PROXY``, ``HTTP_PROXY`` and ``NO_PROXY`` values (comma list)."""
        return cls(https, http, tuple((no_proxy or "").split(",")))

    def mounts(self, limits: httpx.Limits) -> Mapping[str, httpx.AsyncBaseTransport | None]:
        """httpx mounts: a proxy transport per scheme, and None (straight) for ``no_proxy``."""
        import httpx

        if "*" in self.no_proxy:
            return {}
        mounts: dict[str, httpx.AsyncBaseTransport | None] = {
            f"{scheme}://": httpx.AsyncHTTPTransport(proxy=url, limits=limits)
            for scheme, url in (("https", self.https), ("http", self.http))
            if url
        }
        if mounts:
            mounts.update((_direct_pattern(name), None) for name in self.no_proxy)
        return mounts


def _direct_pattern(name: str) -> str:
    """The httpx URL pattern of one NO_PROXY entry (the rules httpx applies to the environment)."""
    if "://" in name:
        return name
    try:
        address = ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return f"all://{name}" if name.lower() == "localhost" else f"all://*{name}"
    return f"all://[{address}]" if address.version == 6 else f"all://{address}"


def async_client(
    timeout: float = 10.0,
    max_connections: int = 32,
    proxies: Proxies | None = None,
    **kwargs: object,
) -> httpx.AsyncClient:
    """An async client with our User-Agent. Proxies are the ones given: nothing is read from the
    environment (no cookies, no .netrc), so no credential is sent to a host it was not meant for."""
    import httpx

    headers = {"User-Agent": USER_AGENT, **dict(kwargs.pop("headers", {}) or {})}  # type: ignore[call-overload]
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    mounts = (proxies or Proxies()).mounts(limits)
    return httpx.AsyncClient(
        headers=headers,
        timeout=timeout,
        limits=limits,
        trust_env=False,
        mounts=mounts,
        **kwargs,  # type: ignore[arg-type]
    )


# Worth asking again: the host is busy, or briefly unreachable behind a proxy.
RETRY_STATUSES = frozenset({429, 502, 503, 504})


def backoff_delay(base: float, attempt: int, cap: float) -> float:
    """Exponential backoff with jitter: about ``base * 2**attempt`` seconds, never above ``cap``."""
    return min(cap, base * 2.0**attempt) * random.uniform(1.0, 1.25)


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
