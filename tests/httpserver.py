"""A real HTTP/1.1 server on 127.0.0.1 for tests and benchmarks, with handlers per path.

    with LocalServer() as server:
        server.route("/ok", lambda req: reply(req, 200, b"hello"))
        httpx.get(server.url("/ok"))
        assert server.requests[0].method == "GET"

Handlers receive the request handler object and write the response themselves, so a test can
send anything: redirects, slow or huge bodies, a reset connection. It counts requests and
connections so tests can assert on politeness (requests per URL, connection reuse).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[["_RequestHandler"], None]


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]


def reply(
    req: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a complete response with a Content-Length (no body for HEAD)."""
    req.send_response(status)
    for name, value in (headers or {}).items():
        req.send_header(name, value)
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    if req.command != "HEAD" and body:
        req.wfile.write(body)


def stream(req: BaseHTTPRequestHandler, size: int, chunk: int = 65536) -> int:
    """Answer 200 with a ``size``-byte body sent in chunks until the client hangs up; returns
    the bytes handed to the kernel. The small send buffer keeps that close to what was read."""
    req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, chunk)
    req.send_response(200)
    req.send_header("Content-Type", "application/octet-stream")
    req.send_header("Content-Length", str(size))
    req.end_headers()
    req.close_connection = True
    sent = 0
    if req.command == "HEAD":
        return sent
    block = b"\0" * chunk
    try:
        while sent < size:
            req.wfile.write(block[: size - sent])
            sent += min(chunk, size - sent)
    except OSError:  # the client closed the connection: exactly what a checker should do
        pass
    return sent


def reset(req: BaseHTTPRequestHandler) -> None:
    """Close the connection with a TCP reset instead of answering."""
    req.connection.setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
    )
    req.connection.close()
    req.close_connection = True


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.requests.append(Seen(self.command, self.path, dict(self.headers)))
        handler = self.server.routes.get(path) or self.server.fallback
        if handler is None:
            reply(self, 404, b"not found")
        else:
            handler(self)

    do_GET = do_HEAD = do_POST = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.routes: dict[str, Handler] = {}
        self.fallback: Handler | None = None
        self.requests: list[Seen] = []
        self.connections = 0
        self.lock = threading.Lock()


class Served:
    """Serves a socket server in a thread from enter to exit; only ever on 127.0.0.1."""

    def __init__(self, server: socketserver.BaseServer) -> None:
        self._server = server

    def __enter__(self) -> Any:
        # A short poll interval makes shutdown (and so each test) take milliseconds, not 0.5 s.
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]  # type: ignore[misc]
        return f"http://{host}:{port}"


class LocalServer(Served):
    """Starts on enter, stops on exit, routes by path."""

    _server: _Server

    def __init__(self) -> None:
        super().__init__(_Server())

    def url(self, path: str) -> str:
        return self.base_url + path

    def route(self, path: str, handler: Handler) -> str:
        """Serve ``path`` with ``handler``; returns its full URL."""
        self._server.routes[path] = handler
        return self.url(path)

    def fallback(self, handler: Handler) -> None:
        """Serve every path without a route with ``handler``."""
        self._server.fallback = handler

    @property
    def requests(self) -> list[Seen]:
        return self._server.requests

    @property
    def connections(self) -> int:
        return self._server.connections
