"""The arXiv API: records for a list of ids, in batches, at most one request per 3 s, cached.

    from minisora.sources import run_sync
    from minisora.sources.arxiv import ArxivSettings, fetch_records
    records = run_sync(fetch_records(["2212.09748"], ArxivSettings(delay=3.0)))
    records["2212.09748"].title  # 'Scalable Diffusion Models with Transformers'

Settings are plain values (default: https://export.arxiv.org/api/query, 3 s between requests, as
arXiv asks); the CLI fills them from ``$MINISORA_ARXIV_API`` and ``$MINISORA_ARXIV_DELAY``.
Records are cached for a week (see ``cache.py``). The Atom feed is parsed with the standard
library: ElementTree never fetches external entities and expat >= 2.4.1 (the one Python ships
with) stops entity-expansion bombs, so defusedxml would add nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from minisora.core.arxiv_ids import arxiv_id_from_url
from minisora.errors import SourceError
from minisora.sources.fetch import Pacer, polite_get
from minisora.sources.http import Proxies, async_client, at_least, check_api_url
from minisora.store.cache_dir import DAY, default_dir
from minisora.store.json_cache import JsonCache

DEFAULT_API = "https://export.arxiv.org/api/query"
DEFAULT_DELAY = 3.0  # seconds between requests, as arXiv asks

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_VERSION = re.compile(r"v(\d+)$")
_WITHDRAWN = re.compile(
    r"^\s*withdrawn\b|\b(?:paper|article|submission|manuscript) (?:has been|is|was) withdrawn\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ArxivSettings:
    """Where and how politely to ask arXiv. Checked when made: a bad value is a UsageError."""

    api_url: str = DEFAULT_API
    delay: float = DEFAULT_DELAY
    batch_size: int = 100
    attempts: int = 4
    cache_dir: Path = field(default_factory=lambda: default_dir() / "arxiv")
    max_age: float = 7 * DAY
    refresh: bool = False  # ask arXiv even for cached records
    proxies: Proxies = field(default_factory=Proxies)

    def __post_init__(self) -> None:
        check_api_url(self.api_url, "arXiv")
        at_least(self.delay, 0, "the delay between arXiv requests")
        at_least(self.batch_size, 1, "the arXiv batch size")
        at_least(self.attempts, 1, "the attempts per arXiv request")
        at_least(self.max_age, 0, "the age of cached arXiv records")


@dataclass(frozen=True)
class ArxivRecord:
    """What arXiv says about one paper (its latest version)."""

    arxiv_id: str
    version: int
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: date
    updated: date
    comment: str = ""
    journal_ref: str = ""

    @property
    def year(self) -> int:
        """The year of the first version."""
        return self.published.year

    @property
    def withdrawn(self) -> bool:
        return bool(_WITHDRAWN.search(self.comment) or _WITHDRAWN.search(self.abstract[:200]))

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "published": str(self.published), "updated": str(self.updated)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArxivRecord:
        return cls(
            **{
                **data,
                "authors": tuple(data["authors"]),
                "published": date.fromisoformat(data["published"]),
                "updated": date.fromisoformat(data["updated"]),
            }
        )


def _text(element: ET.Element, tag: str) -> str:
    return " ".join((element.findtext(tag) or "").split())


def parse_feed(body: bytes, source: str = "arXiv") -> list[ArxivRecord]:
    """The records of an arXiv API Atom feed; an error entry or a non-feed is a SourceError."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        sample = " ".join(body[:60].decode("utf-8", "replace").split())
        msg = f"{source} did not answer with an Atom feed ({exc}): {sample!r}"
        raise SourceError(msg) from None
    if root.tag != f"{_ATOM}feed":
        raise SourceError(f"{source} answered with <{root.tag}>, not an Atom feed")
    records = []
    for entry in root.iter(f"{_ATOM}entry"):
        entry_id = _text(entry, f"{_ATOM}id")
        if "/api/errors" in entry_id:
            message = _text(entry, f"{_ATOM}summary") or entry_id
            raise SourceError(f"{source} refused the query: {message}")
        arxiv_id, title = arxiv_id_from_url(entry_id), _text(entry, f"{_ATOM}title")
        if arxiv_id is None or not title:
            continue  # an id arXiv does not know comes back as an empty entry
        version = _VERSION.search(entry_id)
        records.append(
            ArxivRecord(
                arxiv_id=arxiv_id,
                version=int(version[1]) if version else 1,
                title=title,
                authors=tuple(
                    _text(author, f"{_ATOM}name") for author in entry.iter(f"{_ATOM}author")
                ),
                abstract=_text(entry, f"{_ATOM}summary"),
                published=date.fromisoformat(_text(entry, f"{_ATOM}published")[:10]),
                updated=date.fromisoformat(_text(entry, f"{_ATOM}updated")[:10]),
                comment=_text(entry, f"{_ARXIV}comment"),
                journal_ref=_text(entry, f"{_ARXIV}journal_ref"),
            )
        )
    return records


async def fetch_records(
    ids: Iterable[str],
    settings: ArxivSettings | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, ArxivRecord]:
    """arXiv's records for ``ids`` (versionless), by id; ids arXiv does not know are left out."""
    settings = settings or ArxivSettings()
    cache = JsonCache(settings.cache_dir, settings.max_age)
    wanted = list(dict.fromkeys(ids))
    found: dict[str, ArxivRecord] = {}
    if not settings.refresh:
        for arxiv_id in wanted:
            cached = cache.get(arxiv_id)
            if cached is not None:
                found[arxiv_id] = ArxivRecord.from_json(cached)
    missing = [i for i in wanted if i not in found]
    if not missing:
        return found
    size = max(1, settings.batch_size)
    batches = [missing[i : i + size] for i in range(0, len(missing), size)]
    pacer = Pacer(settings.delay)
    hint = " (offline, or behind a proxy?)"
    async with async_client(timeout=30.0, max_connections=1, proxies=settings.proxies) as http:
        for n, batch in enumerate(batches, 1):
            if progress:
                papers = f"{len(batch)} paper" + ("s" if len(batch) > 1 else "")
                progress(f"arXiv: asking about {papers} (request {n}/{len(batches)})")
            params = {"id_list": ",".join(batch), "max_results": str(len(batch))}
            response = await polite_get(
                http,
                settings.api_url,
                service="the arXiv API",
                pacer=pacer,
                backoff=settings.delay,
                attempts=settings.attempts,
                hint=hint,
                params=params,
            )
            if response.status_code != 200:
                raise SourceError(
                    f"the arXiv API at {settings.api_url} answered HTTP {response.status_code}"
                )
            for record in parse_feed(response.content, "the arXiv API"):
                if record.arxiv_id in batch:
                    found[record.arxiv_id] = record
                    cache.put(record.arxiv_id, record.to_json())
    return found
