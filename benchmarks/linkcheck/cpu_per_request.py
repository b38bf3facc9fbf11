"""CPU per HEAD request of the ways the checker could talk HTTP, on the shared harness's server.

    python benchmarks/linkcheck/cpu_per_request.py [--requests 3000] [--harness DIR]

Each stack sends the same HEAD requests to ``/ok/`` pages, 32 at a time with keep-alive, to the
harness's ``server.py`` (aiohttp, started here with no added latency), and the process's CPU
time is divided by the count. The stacks: ``httpx.AsyncClient`` on its own pool (httpcore),
aiohttp's ``ClientSession`` on its own, and the checker as it ships (that session, with its
schedule, limits and verdicts).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import httpx

from minisora.linkcheck import Settings, Verdict, check


async def httpx_pool(urls: list[str]) -> None:
    slots = asyncio.Semaphore(32)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=32)) as client:

        async def one(url: str) -> None:
            async with slots, client.stream("HEAD", url):
                pass

        await asyncio.gather(*(one(u) for u in urls))


async def aiohttp_session(urls: list[str]) -> None:
    slots = asyncio.Semaphore(32)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32)) as session:

        async def one(url: str) -> None:
            async with slots, session.head(url, allow_redirects=False):
                pass

        await asyncio.gather(*(one(u) for u in urls))


async def minisora_checker(urls: list[str]) -> None:
    report = await check(urls, Settings(concurrency=32, per_host=32))
    assert report.counts[Verdict.OK] == len(urls)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--harness", type=Path, default=Path("/work/shared/bench/linkcheck"))
    args = parser.parse_args()
    port = _free_port()
    command = [sys.executable, str(args.harness / "server.py"), "--port", str(port)]
    server = subprocess.Popen([*command, "--latency-ms", "0"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        hosts = ("127.0.0.1", "localhost")
        urls = [f"http://{hosts[i % 2]}:{port}/ok/{i}" for i in range(args.requests)]
        for stack in (httpx_pool, aiohttp_session, minisora_checker):
            asyncio.run(stack(urls[:64]))  # warm up: imports
            cpu, wall = time.process_time(), time.perf_counter()
            asyncio.run(stack(urls))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(
                f"{stack.__name__:<18} {cpu / len(urls) * 1000:.2f} ms CPU per request "
                f"({len(urls) / wall:.0f} requests/s)"
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
