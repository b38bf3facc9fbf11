"""CPU per HEAD request of the ways the checker could talk HTTP, on the benchmark server.

    python benchmarks/linkcheck/cpu_per_request.py [--requests 3000]

Each stack sends the same HEAD requests, 32 at a time with keep-alive, to ``server.py`` with no
delay, and the process's CPU time is divided by the count. The stacks: ``httpx.AsyncClient`` on
its own pool (httpcore), the same client on aiohttp's transport (httpx-aiohttp), and the checker
as it ships (``httpx.Request`` straight through that transport, with its limits and verdicts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx
from httpx_aiohttp import AiohttpTransport

from minisora.linkcheck import Settings, Verdict, check

HERE = Path(__file__).resolve().parent


async def _client_loop(client: httpx.AsyncClient, urls: list[str]) -> None:
    slots = asyncio.Semaphore(32)

    async def one(url: str) -> None:
        async with slots, client.stream("HEAD", url):
            pass

    async with client:
        await asyncio.gather(*(one(u) for u in urls))


async def httpx_pool(urls: list[str]) -> None:
    await _client_loop(httpx.AsyncClient(limits=httpx.Limits(max_connections=32)), urls)


async def httpx_on_aiohttp(urls: list[str]) -> None:
    transport = AiohttpTransport(limits=httpx.Limits(max_connections=32))
    await _client_loop(httpx.AsyncClient(transport=transport), urls)


async def minisora_checker(urls: list[str]) -> None:
    report = await check(urls, Settings(concurrency=32, per_host=32))
    assert report.counts[Verdict.OK] == len(urls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), "--delay", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        info = json.loads(server.stdout.readline())  # type: ignore[union-attr]
        hosts = info["hosts"][:-1]
        urls = [
            f"http://{hosts[i % len(hosts)]}:{info['port']}/ok/{i}" for i in range(args.requests)
        ]
        for stack in (httpx_pool, httpx_on_aiohttp, minisora_checker):
            asyncio.run(stack(urls[:64]))  # warm up: imports, TLS context
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
