"""arXiv links checked through the arXiv API, a hundred papers a request, instead of one page
request each: politer to arXiv, and faster.

    check_sync(targets, Settings(), arxiv=ArxivSettings())  # or: check-links --arxiv

Only ``arxiv.org/abs|pdf|html/ID`` links are taken; the question asked is whether arXiv has that
paper. When the API cannot be reached, those links are left to ordinary page requests.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from minisora.core.arxiv_ids import arxiv_id_from_url
from minisora.errors import SourceError
from minisora.linkcheck.results import Result, Target, Verdict
from minisora.sources.arxiv import ArxivSettings, fetch_records


async def check_arxiv(
    groups: Mapping[str, tuple[Target, ...]], settings: ArxivSettings
) -> dict[str, Result]:
    """Results for the arXiv links among ``groups`` (URL -> targets), by URL."""
    ids = {url: found for url in groups if (found := arxiv_id_from_url(url))}
    if not ids:
        return {}
    started = time.perf_counter()
    try:
        records = await fetch_records(ids.values(), settings)
    except SourceError:
        return {}
    elapsed = round((time.perf_counter() - started) * 1000)
    return {
        url: Result(
            url,
            Verdict.OK if arxiv_id in records else Verdict.BROKEN,
            error=None if arxiv_id in records else f"arXiv has no paper {arxiv_id}",
            elapsed_ms=elapsed,
            targets=groups[url],
        )
        for url, arxiv_id in ids.items()
    }
