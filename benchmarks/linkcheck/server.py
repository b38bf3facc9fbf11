"""The benchmark's web: one asyncio process serving every hard case on several loopback hosts.

    python benchmarks/linkcheck/server.py --hosts 9 --delay 0.02

Prints ``{"port": P, "closed_port": Q}`` on its first line when it listens. It listens only on
127.0.0.1 ... 127.0.0.<hosts> (same port), so tools see several hosts. Every answer waits
``--delay`` seconds first, to stand in for a network. Paths name the case:

    /ok/N       200                      /gone/N    404
    /old/N      301 -> /older/N -> 301 -> /ok/moved-N
    /nohead/N   HEAD 405, GET 200        /large/N   HEAD 405, GET 200 with a 50 MB body
    /down/N     503 (no Retry-After)     /slow/N    answers after 60 s (longer than any timeout)
    /reset/N    TCP reset                /busy/N    on the last host, which answers 429
                                                    (Retry-After: 1) for 1 s after its first request

``GET /__stats`` (no delay) returns the counters as JSON; ``POST /__reset`` zeroes them and the
rate-limit window, so each tool meets the same web.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import time
from collections import Counter

LARGE = 50 * 1024 * 1024
CHUNK = 64 * 1024


class Web:
    def __init__(self, delay: float, limited_host: str) -> None:
        self.delay = delay
        self.limited_host = limited_host
        self.reset()

    def reset(self) -> None:
        self.requests: Counter[str] = Counter()
        self.healthy_urls: set[str] = set()
        self.connections = 0
        self.large_bytes = 0
        self.limited_since: float | None = None

    def stats(self) -> dict[str, object]:
        return {
            "requests": sum(self.requests.values()),
            "by_case": dict(self.requests),
            "healthy_requests": self.requests["ok"],
            "healthy_urls": len(self.healthy_urls),
            "connections": self.connections,
            "large_bytes_sent": self.large_bytes,
        }

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                if not await self.answer(method, target, host, writer):
                    return
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    async def answer(self, method: str, path: str, host: str, writer: asyncio.StreamWriter) -> bool:
        """Write one response; False when the connection must end."""
        if path.startswith("/__"):
            if path == "/__reset":
                self.reset()
            body = json.dumps(self.stats()).encode()
            writer.write(_head(200, len(body), "application/json") + body)
            return True
        case = path.split("/", 2)[1]
        self.requests[case] += 1
        await asyncio.sleep(self.delay)
        if host == self.limited_host:
            now = time.monotonic()
            self.limited_since = self.limited_since or now
            if now - self.limited_since < 1.0:
                writer.write(_head(429, 0, extra="Retry-After: 1\r\n"))
                return True
            return _ok(method, writer)
        if case == "ok":
            self.healthy_urls.add(f"{host}{path}")
            return _ok(method, writer)
        if case == "gone":
            writer.write(_head(404, 9) + (b"" if method == "HEAD" else b"not found"))
        elif case in ("old", "older"):
            n = path.rsplit("/", 1)[1]
            where = f"/older/{n}" if case == "old" else f"/ok/moved-{n}"
            writer.write(_head(301, 0, extra=f"Location: {where}\r\n"))
        elif case == "down":
            writer.write(_head(503, 0))
        elif case in ("nohead", "large") and method == "HEAD":
            writer.write(_head(405, 0, extra="Allow: GET\r\n"))
        elif case == "nohead":
            return _ok(method, writer)
        elif case == "large":
            await self.large(writer)
            return False
        elif case == "slow":
            await asyncio.sleep(60)
            return _ok(method, writer)
        elif case == "reset":
            sock = writer.get_extra_info("socket")
            sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            writer.transport.abort()
            return False
        else:
            writer.write(_head(404, 0))
        return True

    async def large(self, writer: asyncio.StreamWriter) -> None:
        """Stream 50 MB, counting what the client lets through before it hangs up."""
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CHUNK)
        writer.transport.set_write_buffer_limits(high=CHUNK)
        writer.write(_head(200, LARGE, "application/octet-stream"))
        chunk = b"\0" * CHUNK
        for _ in range(LARGE // CHUNK):
            if writer.is_closing():
                return
            writer.write(chunk)
            await writer.drain()
            self.large_bytes += CHUNK


def _head(status: int, length: int, ctype: str = "text/html", extra: str = "") -> bytes:
    return (
        f"HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode()


_PAGE = b"<!doctype html><title>ok</title>" + b"<p>a paper page</p>" * 20


def _ok(method: str, writer: asyncio.StreamWriter) -> bool:
    writer.write(_head(200, len(_PAGE)) + (b"" if method == "HEAD" else _PAGE))
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=9, help="loopback hosts (the last is busy)")
    parser.add_argument("--delay", type=float, default=0.02, help="seconds before every answer")
    args = parser.parse_args()
    hosts = [f"127.0.0.{i}" for i in range(1, args.hosts + 1)]
    web = Web(args.delay, hosts[-1])
    server = await asyncio.start_server(web.serve, hosts[0], 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    others = [
        await asyncio.start_server(web.serve, h, port, backlog=4096, reuse_address=True)
        for h in hosts[1:]
    ]
    print(json.dumps({"port": port, "closed_port": _free_port(), "hosts": hosts}), flush=True)
    async with server:
        await asyncio.gather(server.serve_forever(), *(s.serve_forever() for s in others))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
