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

import functools
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from minisora.core.arxiv_ids import arxiv_id_from_url
from minisora.errors import MinisoraWarning, SourceError
from minisora.sources.fetch import DEADLINE, MAX_BYTES, Pacer, polite_get
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
    max_bytes: int = MAX_BYTES  # the largest answer accepted
    deadline: float = DEADLINE  # seconds for each request, from connecting to the last byte
    proxies: Proxies = field(default_factory=Proxies)

    def __post_init__(self) -> None:
        at_least(self.max_bytes, 1, "the largest arXiv answer in bytes")
        at_least(self.deadline, 0.001, "the seconds an arXiv request may take")
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
    def from_json(cls, data: object) -> ArxivRecord:
        """A record as :meth:`to_json` wrote it; ValueError when a field is missing, extra or of
        another type, or a date is not a past day."""
        if not isinstance(data, dict) or set(data) != _FIELDS:
            raise ValueError("not an arXiv record")
        wrong = [k for k in _TEXT_FIELDS if not isinstance(data[k], str)]
        if type(data["version"]) is not int:
            wrong.append("version")
        authors = data["authors"]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            wrong.append("authors")
        if wrong:
            raise ValueError(f"{', '.join(wrong)} of the wrong type")
        days = {k: date.fromisoformat(data[k]) for k in ("published", "updated")}
        if max(days.values()) > date.today() + timedelta(days=1):
            raise ValueError("a date in the future")
        return cls(**{**data, "authors": tuple(authors), **days})


_FIELDS = frozenset(f.name for f in fields(ArxivRecord))
_TEXT_FIELDS = ("arxiv_id", "title", "abstract", "published", "updated", "comment", "journal_ref")


def _text(element: ET.Element, tag: str) -> str:
    return " ".join((element.findtext(tag) or "").split())


def parse_feed(body: bytes, source: str = "arXiv") -> list[ArxivRecord]:
    """The records of an arXiv API Atom feed; an error entry or a non-feed is a SourceError, and
    a record without readable dates is skipped with a :class:`MinisoraWarning`."""
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
        try:
            published, updated = _date(entry, "published"), _date(entry, "updated")
        except ValueError as exc:
            msg = f"{source} sent an unreadable record for {arxiv_id} ({exc}); skipped"
            warnings.warn(msg, MinisoraWarning, stacklevel=1)
            continue
        records.append(
            ArxivRecord(
                arxiv_id=arxiv_id,
                version=int(version[1]) if version else 1,
                title=title,
                authors=tuple(
                    _text(author, f"{_ATOM}name") for author in entry.iter(f"{_ATOM}author")
                ),
                abstract=_text(entry, f"{_ATOM}summary"),
                published=published,
                updated=updated,
                comment=_text(entry, f"{_ARXIV}comment"),
                journal_ref=_text(entry, f"{_ARXIV}journal_ref"),
            )
        )
    return records


def _date(entry: ET.Element, name: str) -> date:
    text = _text(entry, f"{_ATOM}{name}")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(f"its {name} date {text!r} is not a date") from None


def _cached(arxiv_id: str, data: object) -> ArxivRecord:
    record = ArxivRecord.from_json(data)
    if record.arxiv_id != arxiv_id:
        raise ValueError(f"it holds arXiv {record.arxiv_id}")
    return record


async def fetch_records(
    ids: Iterable[str],
    settings: ArxivSettings | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, ArxivRecord]:
    """arXiv's records for ``ids`` (versionless), by id; ids arXiv does not know are left out."""
    settings = settings or ArxivSettings()
    cache = JsonCache(settings.cache_dir, settings.max_age, "the arXiv cache")
    wanted = list(dict.fromkeys(ids))
    found: dict[str, ArxivRecord] = {}
    if not settings.refresh:
        for arxiv_id in wanted:
            cached = cache.get(arxiv_id, functools.partial(_cached, arxiv_id))
            if cached is not None:
                found[arxiv_id] = cached
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
                max_bytes=settings.max_bytes,
                deadline=settings.deadline,
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
