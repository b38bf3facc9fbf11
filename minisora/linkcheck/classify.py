"""Turning an answer, or the lack of one, into a verdict.

A status is judged once redirects and retries are done. Bot-walls (a 403 or 999 from a host that
blocks non-browsers: a ``cf-mitigated`` header, a challenge page, or a host known to do it) are
``unverified``, never ``broken``; a curator can also accept codes per host::

    accept_rules(["www.researchgate.net=403", "www.linkedin.com=999,403"])
"""

from __future__ import annotations

import asyncio
import errno
import ssl
from collections.abc import Iterable, Iterator, Mapping

import aiohttp

from minisora.core.urls import host_in
from minisora.errors import UsageError
from minisora.linkcheck.results import Verdict

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
# A HEAD answered with these is refused by the host, not by the page: use GET from now on.
HEAD_REFUSED = frozenset({405, 501})
# Answers whose body can tell a bot-wall from a missing page: the only bodies ever read.
NEEDS_BODY = frozenset({403, 999})
# Hosts known to answer 403 to anything that is not a browser.
BOT_WALL_HOSTS = (
    "researchgate.net",
    "sciencedirect.com",
    "dl.acm.org",
    "onlinelibrary.wiley.com",
    "linkedin.com",
    "x.com",
    "twitter.com",
)
_CHALLENGE_MARKS = (
    "cf-browser-verification",
    "challenge-platform",
    "cf_chl_",
    "just a moment...",
    "attention required! | cloudflare",
    "enable javascript and cookies to continue",
    "captcha",
)


def accept_rules(rules: Iterable[str]) -> dict[str, frozenset[int]]:
    """Parse ``HOST=CODE[,CODE...]`` rules into the statuses each host may answer with."""
    accepted: dict[str, set[int]] = {}
    for rule in rules:
        host, sep, codes = rule.partition("=")
        try:
            numbers = {int(code) for code in codes.split(",")}
        except ValueError:
            numbers = set()
        if not sep or not host.strip() or not numbers or not all(99 < n < 1000 for n in numbers):
            raise UsageError(
                f"{rule!r} is no accept rule: write HOST=CODE[,CODE...], like x.com=403"
            )
        accepted.setdefault(host.strip().lower().removeprefix("www."), set()).update(numbers)
    return {host: frozenset(codes) for host, codes in accepted.items()}


def is_bot_wall(status: int, headers: Mapping[str, str], body: bytes, host: str) -> bool:
    """A 403/999 that says "prove you are a browser" rather than "this page is gone"."""
    if status not in NEEDS_BODY:
        return False
    if status == 999 or "cf-mitigated" in headers or host_in(host, BOT_WALL_HOSTS):
        return True
    text = body[:8192].decode("utf-8", "replace").lower()
    return any(mark in text for mark in _CHALLENGE_MARKS)


def judge(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    host: str,
    accept: Mapping[str, frozenset[int]],
    moved: bool,
) -> tuple[Verdict, str | None]:
    """The verdict on a final (non-redirect) answer, and a note when the status says too little."""
    accepted = next((codes for h, codes in accept.items() if host_in(host, (h,))), ())
    if 200 <= status < 300 or status in accepted:
        return (Verdict.MOVED if moved else Verdict.OK), None
    if status == 429:
        return Verdict.UNVERIFIED, "rate limited: still answering 429 after the retries"
    if is_bot_wall(status, headers, body, host):
        return Verdict.UNVERIFIED, "blocked by a bot wall (the host refuses non-browsers)"
    if 400 <= status < 500:
        return Verdict.BROKEN, None
    if status >= 500:
        return Verdict.ERROR, "server error"
    return Verdict.ERROR, f"unexpected status {status}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what caused it, and the OS errors aiohttp wraps, outermost first."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__, getattr(current, "os_error", None)]


def failure(exc: BaseException) -> tuple[Verdict, str, bool]:
    """(verdict, message, worth retrying) for an exception raised while asking a host.

    Raises ``exc`` again when it is not a network failure (a bug must not pass as a verdict).
    """
    chain = list(_chain(exc))

    def has(*types: type[BaseException]) -> bool:
        return any(isinstance(e, types) for e in chain)

    if has(aiohttp.InvalidURL):
        return Verdict.ERROR, "invalid URL: it cannot be requested", False
    if has(aiohttp.ClientConnectorDNSError):
        return Verdict.ERROR, "DNS lookup failed: no such host", False
    if has(aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError, ssl.SSLError):
        # The innermost SSLError says what went wrong; aiohttp's wrappers only say where.
        inner = [e for e in chain if isinstance(e, ssl.SSLError)]
        reason = ""
        if inner:
            reason = getattr(inner[-1], "verify_message", None) or str(inner[-1])
        return Verdict.ERROR, f"TLS handshake failed{': ' + reason if reason else ''}", False
    if has(ConnectionRefusedError) or any(
        getattr(e, "errno", None) == errno.ECONNREFUSED for e in chain
    ):
        return Verdict.ERROR, "connection refused", False
    if has(asyncio.TimeoutError, TimeoutError, aiohttp.ServerTimeoutError):
        return Verdict.TIMEOUT, "no answer in time", False
    if has(ConnectionResetError, aiohttp.ServerDisconnectedError, BrokenPipeError):
        return Verdict.ERROR, "connection reset by the host", True
    if has(aiohttp.ClientConnectorError):
        return Verdict.ERROR, f"cannot connect: {exc}", False
    if has(aiohttp.ClientError, OSError):
        return Verdict.ERROR, str(exc) or type(exc).__name__, True
    raise exc
