"""What a link's label or host says about the link: its kind, and a venue and year.

>>> from_label("CVPR 23 Paper")
Label(kind=<LinkKind.PAPER: 'paper'>, venue='CVPR', year=2023)
>>> from_label("GitHub2").kind
<LinkKind.GITHUB: 'github'>
>>> from_label("Colab") is None
True
>>> [(n.venue, n.year) for n in map(from_note, ["Feb., 2026", "**CVPR 2024**", "CVPR,2018"])]
[(None, 2026), ('CVPR', 2024), ('CVPR', 2018)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from minisora.core.arxiv_ids import arxiv_id_from_url
from minisora.core.urls import host, host_in, path
from minisora.models import LinkKind

_WORDS = {
    LinkKind.PAPER: ("paper", "pdf", "arxiv", "论文"),
    LinkKind.GITHUB: ("github", "code", "repo", "代码"),
    LinkKind.MODELSCOPE: ("modelscope",),
    LinkKind.PROJECT: ("project", "project page", "website", "项目", "项目主页"),
    LinkKind.BLOG: ("blog", "博客"),
    LinkKind.REPORT: ("report", "technical report", "tech report", "技术报告"),
    LinkKind.HOMEPAGE: ("homepage", "home page", "主页"),
}
KIND_OF_WORD = {word: kind for kind, words in _WORDS.items() for word in words}
# "CVPR 23 Paper", "ArXiv 24", "SIGGRAPH Asia 23 Paper", "ICML 2022"
_VENUE = re.compile(r"^(?P<venue>[^\W\d][\w.\- ]*?)\s+(?P<year>\d{4}|\d{2})(?:\s+paper)?$", re.I)
_YEAR = re.compile(r"(?<![\w.])((?:19|20)\d{2})(?![\w.])")
_SHORT_YEAR = re.compile(r"(?P<venue>[^\W\d_][\w-]*)\s*['’](?P<year>\d{2})(?!\d)")
_WORD = re.compile(r"[^\W\d_][\w&-]*")
_MONTHS = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
    | {"january", "february", "march", "april", "june", "july", "august", "september"}
    | {"october", "november", "december"}
)
_NOT_VENUES = frozenset({"arxiv", "preprint", "in", "accepted", "by", "at", "and", "pub", "date"})
_PAPER_HOSTS = (
    "openreview.net",
    "aclanthology.org",
    "openaccess.thecvf.com",
    "proceedings.neurips.cc",
    "proceedings.mlr.press",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "link.springer.com",
    "doi.org",
    "papers.nips.cc",
)


@dataclass(frozen=True)
class Label:
    """The kind a label names, with the venue and year of labels such as ``CVPR 23 Paper``."""

    kind: LinkKind
    venue: str | None = None
    year: int | None = None


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year < 70 else 1900 + year


def normalise(label: str) -> str:
    """``**GitHub2** `` -> ``github``: case, markup, spacing and a trailing counter removed."""
    return re.sub(r"\s*\d+$", "", " ".join(label.replace("*", " ").split()).casefold())


def from_label(label: str) -> Label | None:
    """The kind (and venue, year) a link label names, or None for a label we do not know."""
    text = " ".join(label.replace("*", " ").split())
    kind = KIND_OF_WORD.get(text.casefold())
    if kind is not None:
        return Label(kind)
    match = _VENUE.match(text)
    if match is not None and KIND_OF_WORD.get(normalise(match["venue"]), LinkKind.PAPER) is (
        LinkKind.PAPER
    ):
        venue = match["venue"].strip()
        arxiv = venue.casefold() == "arxiv"
        return Label(LinkKind.PAPER, None if arxiv else venue, _full_year(match["year"]))
    kind = KIND_OF_WORD.get(normalise(text))
    return Label(kind) if kind is not None else None


def from_note(text: str) -> Label | None:
    """The venue and year of a date or venue note: ``Nov, 2023``, ``(CVPR, 2024)``,
    ``NeurIPS 2022``, ``ICLR 24``, ``CVPR'24``; None when the note holds no year."""
    found = from_label(text.strip(" ()[]*"))
    if found is not None and found.year is not None:
        month = (found.venue or "").casefold().rstrip(".") in _MONTHS
        return Label(LinkKind.PAPER, None, found.year) if month else found
    short = _SHORT_YEAR.search(text)  # "CVPR'24"
    if short is not None:
        return Label(LinkKind.PAPER, short["venue"], _full_year(short["year"]))
    match = _YEAR.search(text)
    if match is None:
        return None
    words = [w for w in _WORD.findall(text[: match.start()]) if w.casefold() not in _MONTHS]
    venue_words = [w for w in words if w.casefold() not in _NOT_VENUES]
    venue = " ".join(venue_words) if 0 < len(venue_words) <= 3 else None
    return Label(LinkKind.PAPER, venue if venue and len(venue) <= 30 else None, int(match[1]))


def from_url(url: str) -> LinkKind:
    """The kind of a link with no label of its own (a title link or a badge), from its host."""
    if host(url) == "github.com":
        return LinkKind.GITHUB
    if host_in(url, ("modelscope.cn",)):
        return LinkKind.MODELSCOPE
    if arxiv_id_from_url(url) or host(url) in _PAPER_HOSTS or path(url).casefold().endswith(".pdf"):
        return LinkKind.PAPER
    return LinkKind.PROJECT
