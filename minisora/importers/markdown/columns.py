"""What a table column holds, read from its header (``Title | arXiv | Github | Pub. & Date``).

>>> [str(c) for c in header(["Title", "arXiv", "Github", "WebSite", "Pub. & Date"])]
['title', 'paper', 'github', 'project', 'note']
>>> [str(c) for c in header(["**Paper**", "**Link**"])]
['title', 'links']
>>> [str(c) for c in header(["Model", "Organization", "Paper", "Code"])]
['title', 'None', 'paper', 'github']
>>> header(["Guided-Diffusion", "NeurIPS 21 Paper"]) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from minisora.importers import labels
from minisora.models import LinkKind

_TITLE_WORDS = ("title", "name", "method", "model", "resource", "标题", "名称", "资源", "方法")
_NOTE_WORDS = (
    "date",
    "pub",
    "venue",
    "year",
    "conference",
    "journal",
    "日期",
    "时间",
    "发表",
    "会议",
)
_LINK_WORDS = ("link", "links", "url", "urls", "链接")


@dataclass(frozen=True)
class Column:
    """One column's role: the title, links of one ``kind`` (or any kind), or a date/venue note."""

    role: str  # "title", "links", "note"
    kind: LinkKind | None = None

    def __str__(self) -> str:
        return str(self.kind) if self.kind else self.role


TITLE, LINKS, NOTE = Column("title"), Column("links"), Column("note")


def meaning(text: str) -> Column | None:
    """What a header cell says its column holds; None for a cell that is no header word."""
    words = " ".join(re.sub(r"[*_`:]", " ", text).split()).casefold()
    if not words:
        return None
    if words in _LINK_WORDS:
        return LINKS
    found = labels.from_label(words)
    if found is not None and found.venue is None and found.year is None:
        return Column("links", found.kind)
    if any(word in words for word in _NOTE_WORDS):
        return NOTE
    if any(word in words for word in (*_TITLE_WORDS, "paper", "论文")):
        return TITLE
    return None


def header(cells: Sequence[str]) -> tuple[Column | None, ...] | None:
    """The columns a header row names, or None when the row is no header (most of its cells are
    not header words). Without a title column, the first paper column is the title."""
    columns = [meaning(cell) for cell in cells]
    named = sum(c is not None for c in columns)
    if (named < 2 and len(cells) > 1) or named * 2 < sum(bool(cell.strip()) for cell in cells):
        return None  # most header cells must be header words (`Model | Organization | Paper`)
    if TITLE not in columns:
        first = next((i for i, c in enumerate(columns) if c and c.kind is LinkKind.PAPER), None)
        if first is None:
            return None
        columns[first] = TITLE
    return tuple(columns)
