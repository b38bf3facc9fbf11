"""Inline content: the plain text of one table cell or list item, and where its links are."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

_TAG = re.compile(r"<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>[^>]*)>")
_ATTR = re.compile(r"""(?P<key>id|href)\s*=\s*["'](?P<value>[^"']*)["']""", re.I)


@dataclass
class RawLink:
    """A link as written: its text, target, and where its text sits in the cell."""

    text: str
    url: str
    start: int
    end: int
    badge: bool = False


@dataclass
class Inline:
    """The plain text of a cell, with where its links, bold spans and first ``<br>`` are."""

    text: str = ""
    links: list[RawLink] = field(default_factory=list)
    bold: list[tuple[int, int]] = field(default_factory=list)
    br: int | None = None
    heading: tuple[int, str | None] | None = None  # <h3 id="...">: level and id

    def links_in(self, start: int, end: int) -> list[RawLink]:
        return [link for link in self.links if start <= link.start and link.end <= end]

    def plain(self, start: int, end: int) -> str:
        """The text between two offsets without the text of the links inside."""
        out, pos = [], start
        for link in self.links_in(start, end):
            out.append(self.text[pos : link.start])
            pos = link.end
        out.append(self.text[pos:end])
        return clean("".join(out))


def inline(tokens: Sequence[Token]) -> Inline:
    """The :class:`Inline` of a markdown-it ``inline`` token's children."""
    out = Inline()
    opened: list[tuple[str, int, bool]] = []  # href, start, has an image
    bold_from: list[int] = []

    def close_link() -> None:
        if opened:
            href, start, badge = opened.pop()
            out.links.append(RawLink(out.text[start:], href, start, len(out.text), badge))

    for tok in tokens:
        if tok.type in ("text", "text_special", "code_inline"):
            out.text += tok.content
        elif tok.type in ("softbreak", "hardbreak"):
            out.text += " "
        elif tok.type == "strong_open":
            bold_from.append(len(out.text))
        elif tok.type == "strong_close" and bold_from:
            out.bold.append((bold_from.pop(), len(out.text)))
        elif tok.type == "link_open":
            opened.append((str(tok.attrs.get("href", "")), len(out.text), False))
        elif tok.type == "link_close":
            close_link()
        elif tok.type == "image" and opened:
            out.text += tok.content
            opened[-1] = (*opened[-1][:2], True)
        elif tok.type == "html_inline":
            _html_tag(tok.content, out, opened, close_link)
    return out


def _html_tag(
    html: str, out: Inline, opened: list[tuple[str, int, bool]], close_link: Callable[[], None]
) -> None:
    match = _TAG.match(html)
    if match is None:
        return
    name, closing = match["name"].lower(), bool(match["close"])
    attrs = {m["key"].lower(): m["value"] for m in _ATTR.finditer(match["attrs"])}
    if name == "br" and out.br is None:
        out.br = len(out.text)
    elif re.fullmatch(r"h[1-6]", name) and not closing:
        out.heading = (int(name[1]), attrs.get("id"))
    elif name == "a" and not closing and "href" in attrs:
        opened.append((attrs["href"], len(out.text), False))
    elif name == "a" and closing:
        close_link()


def clean(text: str) -> str:
    """One line of plain text: whitespace runs collapsed, stray Markdown marks removed."""
    return " ".join(text.replace("**", "").replace("`", "").replace("](", "] (").split())


# --- A fast path for the cells most lists are made of ------------------------------------------
# `N) **Name**: Title`, `[**CVPR 23 Paper**](url), [GitHub](url)`, `[![arXiv](badge)](url)`:
# read with three regexes instead of markdown-it's general inline parser (about 5x faster). Any
# construct these cannot read exactly as CommonMark does (escapes, entities, HTML, code, single
# `*` or `_`, images outside links, line breaks, unusual URLs) sends the cell to markdown-it;
# tests check both paths give the same result on the real lists.
_SIMPLE = re.compile(
    r"\[!\[(?P<alt>[^\[\]\\`<>&*_!]*)\]\((?P<img>[^()\s<>\\]*)\)\]\((?P<burl>[^()\s<>\\]+)\)"
    r"|\[(?P<text>[^\[\]\\`<>&_!]*)\]\((?P<url>[^()\s<>\\]+)\)"
    r"|(?P<plain>[^\[\]\\`<>&*_!\n]+)"
    r"|(?P<strong>\*\*)"
)
_PLAIN_URL = re.compile(r"^(?:https?://|[^:]*$)[A-Za-z0-9\-._~:/?#@$+,;=&]*$", re.I)
_ENTITY = re.compile(r"&[A-Za-z0-9#]+;")


def simple_inline(content: str) -> Inline | None:
    """The :class:`Inline` of ``content`` when it uses only plain text, ``**bold**``, links and
    badge links; None for anything else (markdown-it reads it then)."""
    out = Inline()
    pos = 0
    opened: int | None = None
    for match in _SIMPLE.finditer(content):
        if match.start() != pos:
            return None
        pos = match.end()
        if match["plain"] is not None:
            out.text += match["plain"]
        elif match["strong"] is not None:
            opened = _strong(content, match.start(), out, opened)
            if opened == -1:
                return None
        else:
            url = match["burl"] or match["url"]
            if not _PLAIN_URL.match(url) or _ENTITY.search(url):
                return None
            badge = match["burl"] is not None
            label = simple_inline(match["alt"] if badge else match["text"])
            if label is None or (badge and label.bold):
                return None
            start = len(out.text)
            out.text += label.text
            out.bold += [(a + start, b + start) for a, b in label.bold]
            out.links.append(RawLink(label.text, url, start, len(out.text), badge))
    if pos != len(content) or opened is not None:
        return None
    return out


def _strong(content: str, at: int, out: Inline, opened: int | None) -> int | None:
    """Open or close ``**`` at ``at``; -1 when CommonMark might read it otherwise."""
    before = content[at - 1] if at else " "
    after = content[at + 2] if at + 2 < len(content) else " "
    if opened is None:
        return len(out.text) if before.isspace() and not after.isspace() else -1
    if before.isspace() or not (after.isspace() or not after.isalnum()):
        return -1
    out.bold.append((opened, len(out.text)))
    return None
