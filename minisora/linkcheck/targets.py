"""Where the URLs to check come from: the catalogue, a Markdown file, or a plain list of URLs.

>>> [t.url for t in from_url_list("# comment\\nhttps://example.org/a\\n", "urls.txt")]
['https://example.org/a']

Only absolute http(s) URLs are ever kept: relative links, ``mailto:`` and the like are skipped in
Markdown, and are an error (with file and line) in a URL list.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from minisora.core.urls import is_http_url, url_problem
from minisora.errors import UsageError
from minisora.linkcheck.results import Target

if TYPE_CHECKING:
    from minisora.catalog import Catalog

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
# A document without any of these has no HTML, code, escapes, entities or reference links: its
# links are all ``[text](url)`` on one line, which a regular expression finds as markdown-it does.
_NOT_PLAIN = ("<", "\\", "\0", "]:", "```", "~~~", "\t", "\r")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_INLINE_LINK = re.compile(r"\[[^\[\]|\n`]*\]\(([^\s()]*)(?:[ ]+\"[^\"\n]*\")?\)")
# Characters markdown-it leaves as they are in a link destination (it percent-encodes others).
_PLAIN_DESTINATION = re.compile(r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'#]|%[0-9A-Fa-f]{2})*")


def from_catalog(
    cat: Catalog,
    *,
    category: str | None = None,
    kind: str | None = None,
    path: str | os.PathLike[str] | None = None,
    source: str | None = None,
) -> list[Target]:
    """Every link of the catalogue's papers, optionally of one category and one link kind.

    With ``path`` (the catalogue's file), each target also names its line in that file, and the
    file as ``source`` (default: ``path`` as given).
    """
    from minisora.models import LinkKind
    from minisora.store.yaml_read import locate

    chosen = {p.id for p in cat.filter(category=category, has=kind)}
    wanted = LinkKind(kind.lower()) if kind else None
    picked = [
        (i, j, paper, link)
        for i, paper in enumerate(cat.papers)
        if paper.id in chosen
        for j, link in enumerate(paper.links)
        if wanted is None or link.kind is wanted
    ]
    locs = [("papers", i, "links", j, "url") for i, j, _, _ in picked]
    # One pass over the file for every line at once.
    lines = locate(Path(path).read_bytes(), locs) if path else {}
    source = source or (os.fspath(path) if path else None)
    return [
        Target(link.url, paper.id, link.kind.value, source, lines.get(loc))
        for (_, _, paper, link), loc in zip(picked, locs, strict=True)
    ]


def from_file(path: str | os.PathLike[str]) -> list[Target]:
    """The URLs of a Markdown file (by its suffix) or of a list with one URL a line."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    if file.suffix.lower() in MARKDOWN_SUFFIXES:
        return from_markdown(text, os.fspath(path))
    return from_url_list(text, os.fspath(path))


def from_url_list(text: str, source: str) -> list[Target]:
    """One URL a line; blank lines and lines starting with ``#`` are skipped."""
    targets = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not line.lower().startswith(("http://", "https://")) or _cannot_be_http(line):
            raise UsageError(f"{source}:{number}: not an http(s) URL: {line[:80]!r}")
        targets.append(Target(line, source=source, line=number))
    return targets


class _HtmlLinks(HTMLParser):
    """Collects ``href`` and ``src`` values of raw HTML with their line within the snippet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.found += [(v, line) for k, v in attrs if k in ("href", "src") and v]


def _html_links(html: str) -> list[tuple[str, int]]:
    parser = _HtmlLinks()
    parser.feed(html)
    parser.close()
    return parser.found


def _markdown_links(text: str) -> Iterator[tuple[str, int]]:
    """(URL, 0-based line) of every link, image and HTML href/src outside code."""
    from markdown_it import MarkdownIt

    for block in MarkdownIt("commonmark").enable("table").parse(text):
        first = block.map[0] if block.map else 0
        if block.type == "html_block":
            yield from ((url, first + line - 1) for url, line in _html_links(block.content))
        for child in block.children or ():
            if child.type in ("softbreak", "hardbreak"):
                first += 1
            elif child.type == "link_open":
                yield str(child.attrs.get("href", "")), first
            elif child.type == "image":
                yield str(child.attrs.get("src", "")), first
            elif child.type == "html_inline":
                yield from ((url, first) for url, _ in _html_links(child.content))


def _plain_links(text: str) -> list[tuple[str, int]] | None:
    """(URL, 0-based line) of every link of a plain document, or None when the document needs a
    real Markdown parser: the fast path for long link lists, which are mostly tables."""
    if any(mark in text for mark in _NOT_PLAIN) or _ENTITY.search(text):
        return None
    lines = text.split("\n")
    if "`" in text and any(line.count("`") % 2 for line in lines):
        return None  # a code span may run over two lines
    found: list[tuple[str, int]] = []
    for number, line in enumerate(lines):
        if "](" not in line:
            continue
        if "`" in line or line.startswith("    "):
            return None
        links = _INLINE_LINK.findall(line)
        if len(links) != line.count("]("):
            return None
        for url in links:
            if not _PLAIN_DESTINATION.fullmatch(url):
                return None
            found.append((url, number))
    return found


def _cannot_be_http(url: str) -> bool:
    """True for what is not an http(s) URL at all; one that is, but cannot be requested (a
    control character, say), is kept, to get its own ``error`` verdict."""
    return url_problem(url) not in (None, "URL must not contain control characters")


def from_markdown(text: str, source: str) -> list[Target]:
    """The http(s) links of a Markdown document: ``[text](url)``, ``<url>``, images, reference
    links and ``href``/``src`` in HTML; code blocks and bare URLs in prose are not links."""
    links = _plain_links(text)
    if links is None:
        links = list(_markdown_links(text))
    return [
        Target(url, source=source, line=line + 1)
        for url, line in links
        if url.startswith(("http://", "https://", "HTTP://", "HTTPS://")) and is_http_url(url)
    ]


class Kept(NamedTuple):
    """The targets left to check, and how many were left out."""

    targets: list[Target]
    excluded: int


def exclude(targets: Sequence[Target], patterns: Sequence[str]) -> Kept:
    """The targets whose URL matches none of the regular expressions, and how many were left out."""
    try:
        compiled = [re.compile(p) for p in patterns]
    except re.error as exc:
        msg = f"{exc.pattern!r} is not a valid regular expression: {exc}"
        raise UsageError(msg) from None
    kept = [t for t in targets if not any(p.search(t.url) for p in compiled)]
    return Kept(kept, len(targets) - len(kept))


def group_by_url(targets: Iterable[Target | str]) -> dict[str, tuple[Target, ...]]:
    """Targets by URL without its fragment (the part after ``#`` is never sent), in first-seen
    order: each key is requested once however many papers use it."""
    groups: dict[str, list[Target]] = {}
    for target in targets:
        if isinstance(target, str):
            target = Target(target)
        if _cannot_be_http(target.url):
            raise UsageError(f"not an http(s) URL: {target.url!r}")
        groups.setdefault(target.url.split("#", 1)[0], []).append(target)
    return {url: tuple(group) for url, group in groups.items()}
