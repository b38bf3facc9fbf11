"""Fixed costs of ``minisora check-links``: start-up before the first request, and reading links.

    python benchmarks/linkcheck/startup.py [--runs 5] [--rows 10000]

Start-up: a listener on 127.0.0.1 notes when the first request of
``minisora check-links --urls FILE`` arrives, counted from the moment the process is started
(median of ``--runs``). Links: the seconds ``from_file`` takes to read the links of a generated
awesome-list table of ``--rows`` rows (two links a row), best of ``--runs``.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from minisora.linkcheck import from_file

MINISORA = Path(sys.executable).with_name("minisora")


def first_request_after(listing: Path, listener: socket.socket) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(MINISORA), "check-links", "--urls", str(listing), "--timeout", "1", "--retries", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    connection, _ = listener.accept()
    arrived = time.perf_counter() - started
    connection.recv(65536)
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    connection.close()
    process.wait()
    return arrived


def table(rows: int) -> str:
    lines = ["# A list\n", "| Title | Links |", "| --- | --- |"]
    lines += [
        f"| {i}) **Paper {i}** | [Paper](https://arxiv.org/abs/2401.{i:05d}), "
        f"[Github](https://github.com/lab/project-{i}) |"
        for i in range(rows)
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listing = Path(tmp) / "urls.txt"
        listing.write_text(f"http://127.0.0.1:{listener.getsockname()[1]}/ok\n")
        times = [first_request_after(listing, listener) for _ in range(args.runs)]
        print(f"start-up before the first request: {statistics.median(times):.3f} s (median)")
        markdown = Path(tmp) / "list.md"
        markdown.write_text(table(args.rows))
        best = float("inf")
        for _ in range(args.runs):
            started = time.perf_counter()
            found = from_file(markdown)
            best = min(best, time.perf_counter() - started)
        print(f"links of a {args.rows}-row Markdown table ({len(found)}): {best:.3f} s (best)")


if __name__ == "__main__":
    main()
