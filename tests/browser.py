"""What the browser tests and benchmarks/site.py share: Debian's chromium, the flags it needs
here, and a folder of files served on 127.0.0.1.

Without the background-networking flags chromium keeps trying hosts this closed machine refuses.
"""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from httpserver import Served

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def static_files(root: Path) -> Served:
    """The files under ``root``, served from enter to exit (``base_url`` while it runs)."""
    return Served(ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root))))
