"""Servers that are no router of paths: raw bytes on a socket (hostile answers), a forward proxy
(plain HTTP and CONNECT tunnels), and a fixture that keeps the machine's proxy settings out of the
CLI's tests.

Both listen on 127.0.0.1 only and record what they were asked.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import socketserver
import threading
from collections.abc import Callable

import pytest
from httpserver import Served

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")


@pytest.fixture(autouse=True)
def no_proxy_of_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Proxy settings of the machine running the tests must not route 127.0.0.1 elsewhere
    (import this fixture into a module that runs the CLI)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


class _Threaded(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class RawServer(Served):
    """Answers every connection with ``answer(request_head)`` written as raw bytes."""

    def __init__(self, answer: Callable[[bytes], bytes]) -> None:
        self.heads: list[bytes] = []
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = self.request.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                owner.heads.append(head)
                with contextlib.suppress(OSError):
                    self.request.sendall(answer(head))

        super().__init__(_Threaded(("127.0.0.1", 0), Handler))

    def url(self, path: str) -> str:
        return self.base_url + path


class ForwardProxy(Served):
    """A plain-HTTP forward proxy (absolute-form requests) with CONNECT tunnels."""

    def __init__(self) -> None:
        self.seen: list[str] = []  # request lines, like "HEAD http://127.0.0.1:1234/x HTTP/1.1"
        owner = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline().decode("latin-1").strip()
                headers = []
                while (header := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
                    headers.append(header)
                owner.seen.append(line)
                method, target, _ = line.split(" ", 2)
                if method == "CONNECT":
                    self._tunnel(target)
                else:
                    self._forward(method, target)

            def _forward(self, method: str, target: str) -> None:
                rest = target.removeprefix("http://")
                hostport, _, path = rest.partition("/")
                host, _, port = hostport.partition(":")
                upstream = http.client.HTTPConnection(host, int(port or 80), timeout=5)
                upstream.request(method, "/" + path)
                response = upstream.getresponse()
                body = response.read()
                self.wfile.write(f"HTTP/1.1 {response.status} {response.reason}\r\n".encode())
                for name, value in response.getheaders():
                    if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.wfile.write(f"{name}: {value}\r\n".encode())
                self.wfile.write(
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                )
                if method != "HEAD":
                    self.wfile.write(body)

            def _tunnel(self, target: str) -> None:
                host, _, port = target.rpartition(":")
                upstream = socket.create_connection((host, int(port)), timeout=5)
                self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self.wfile.flush()

                def pipe(source: socket.socket, sink: socket.socket) -> None:
                    try:
                        while data := source.recv(65536):
                            sink.sendall(data)
                    except OSError:
                        pass
                    finally:
                        sink.close()

                threading.Thread(target=pipe, args=(upstream, self.connection), daemon=True).start()
                pipe(self.connection, upstream)

        super().__init__(_Threaded(("127.0.0.1", 0), Handler))

    @property
    def url(self) -> str:
        return self.base_url
