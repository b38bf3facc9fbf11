"""Who minisora asks about the catalogue: the arXiv API (``arxiv.py``) and GitHub (``github.py``).

Both clients are async, polite (paced, with backoff on 429/503) and configured by their settings
(``ArxivSettings``, ``GithubSettings``: plain values, proxies included). The CLI fills those from
options or environment variables, so tests point them at a server on 127.0.0.1::

    MINISORA_ARXIV_API=http://127.0.0.1:8000/api/query MINISORA_ARXIV_DELAY=0 minisora verify

This module imports no network code; only the clients do.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end, also from inside a running loop (a Jupyter cell)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
