"""The checker's one HTTP connection pool: plain aiohttp, keep-alive, no body decoded.

Profiling showed the CPU, not the network, was the limit: httpx's own pool cost about 1.5 ms of
CPU a request and httpx over aiohttp's transport about 0.5 ms; aiohttp's client on its own costs
about 0.2 ms (see benchmarks/linkcheck). A link check needs a status and headers, so bodies are
never decompressed and only read when a verdict needs them: at most ``body_limit`` raw bytes of
a 403/999 (bot-wall pages), or a small body whose reading keeps the connection open.
"""

from __future__ import annotations

import functools
import ssl
from typing import NamedTuple

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from minisora.linkcheck.classify import NEEDS_BODY
from minisora.sources.http import USER_AGENT, Proxies

_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
    # Nothing is decoded, so ask for nothing encoded.
    "Accept-Encoding": "identity",
}


class Answer(NamedTuple):
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes


@functools.cache
def _tls() -> ssl.SSLContext:
    """Certificate checks against certifi's roots (as httpx does), built once, when first needed."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class Transport:
    """One aiohttp session for a whole run: no cookie jar, nothing read from the environment."""

    def __init__(
        self,
        concurrency: int,
        timeout: float,
        body_limit: int,
        proxies: Proxies,
    ) -> None:
        self.body_limit = body_limit
        self.proxies = proxies
        connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=0)
        # No cookie jar: nothing a host sets is ever sent back, to it or to anyone else; and no
        # proxy, netrc or credentials from the environment (proxies come in as settings).
        self.session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=timeout),
            headers=_HEADERS,
        )

    async def close(self) -> None:
        await self.session.close()

    async def ask(self, method: str, url: str) -> Answer:
        """Send one request (redirects not followed) and return its status and headers.

        Raises ``aiohttp.InvalidURL`` for a URL that cannot be requested (a bad port, say).
        """
        try:
            target = URL(url)
        except ValueError as exc:
            raise aiohttp.InvalidURL(url, str(exc)) from None
        proxy = self.proxies.for_url(url)
        async with self.session.request(
            method,
            target,
            allow_redirects=False,
            proxy=proxy,
            ssl=_tls() if target.scheme == "https" else True,
        ) as response:
            body = b""
            if method == "GET":
                length = response.content_length
                if response.status in NEEDS_BODY:
                    body = await self._head_of_body(response)
                elif length is not None and length <= self.body_limit:
                    # Reading a small body to its end keeps the connection for the next request.
                    await response.read()
            # Leaving the block releases the connection, or closes it when a body is left unread.
            return Answer(response.status, response.headers, body)

    async def _head_of_body(self, response: aiohttp.ClientResponse) -> bytes:
        """At most ``body_limit`` raw bytes of the body, however much the host sends."""
        chunks: list[bytes] = []
        size = 0
        while size < self.body_limit:
            chunk = await response.content.read(self.body_limit - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
