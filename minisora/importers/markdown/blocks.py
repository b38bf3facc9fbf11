"""Block structure: headings, table rows and list items, in one pass over markdown-it's tokens."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from minisora.importers.markdown.columns import Column, header
from minisora.importers.markdown.inline import Inline, clean, inline, simple_inline

ABSOLUTE = re.compile(r"https?://[^/\s]", re.I)
PLAN_HEADINGS = re.compile(r"reading (?:plan|program)|共读", re.I)


@dataclass(frozen=True, eq=False)
class Heading:
    level: int
    name: str
    anchor: str | None
    line: int


@dataclass(eq=False)
class Entry:
    """A table row (cells) or a list item (one cell), with the headings above it."""

    line: int
    cells: list[Inline]
    is_item: bool
    depth: int = 0  # how deep a list item is nested
    path: tuple[Heading, ...] = ()
    notes: list[Inline] = field(default_factory=list)  # nested list items of an item
    columns: tuple[Column | None, ...] | None = None  # what the table's header says

    @property
    def has_links(self) -> bool:
        return any(ABSOLUTE.match(link.url) for cell in self.cells for link in cell.links)


def parser() -> MarkdownIt:
    """CommonMark with HTML and tables; inline content is parsed per cell by :func:`blocks`."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.disable(["inline", "text_join"])  # all cells at once would hold every inline token
    return md


def blocks(md: MarkdownIt, tokens: Sequence[Token]) -> Iterator[Heading | Entry]:
    """Headings and entries in document order; each token is looked at once, and the inline
    tokens of one cell live only while the cell is read, so memory grows with the rows kept."""
    env: dict[str, object] = {}

    def inline_of(tok: Token) -> Inline:
        fast = None if tok.children else simple_inline(tok.content)
        return fast or inline(tok.children or md.inline.parse(tok.content, md, env, []))

    depth = 0
    columns: tuple[Column | None, ...] | None = None
    cells: list[Inline] | None = None  # the cells of the table row being read
    row_line = 0
    for i, tok in enumerate(tokens):
        line = (tok.map[0] + 1) if tok.map else 0
        if cells is not None:
            if tok.type == "inline":
                cells.append(inline_of(tok))
            elif tok.type == "tr_close":
                found, columns = _row(cells, row_line, columns)
                yield from found
                cells = None
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "table_open":
            columns = None
        elif tok.type == "heading_open":
            yield Heading(int(tok.tag[1]), clean(inline_of(tokens[i + 1]).text), None, line)
        elif tok.type == "tr_open":
            cells, row_line = [], line
        elif (
            tok.type == "list_item_open" and i + 2 < len(tokens) and tokens[i + 2].type == "inline"
        ):
            yield Entry(line, [inline_of(tokens[i + 2])], True, depth)


def _row(
    cells: list[Inline], line: int, columns: tuple[Column | None, ...] | None
) -> tuple[list[Heading | Entry], tuple[Column | None, ...] | None]:
    """A table row as a heading or an entry; a header row changes the columns of the rows after."""
    first = cells[0] if cells else Inline()
    if first.heading:
        return [Heading(first.heading[0], clean(first.text), first.heading[1], line)], columns
    entry = Entry(line, cells, is_item=False, columns=columns)
    if not entry.has_links:
        named = header([clean(c.text) for c in cells])
        if named is not None:
            return [], named
    if any(c.text.strip() for c in cells):
        return [entry], columns
    return [], columns


def sections(found: Sequence[Heading | Entry]) -> list[Entry]:
    """Entries with the headings above them; nested list items become notes of their parent."""
    stack: list[Heading] = []
    entries: list[Entry] = []
    parent: Entry | None = None
    for block in found:
        if isinstance(block, Heading):
            while stack and stack[-1].level >= block.level:
                stack.pop()
            stack.append(block)
            parent = None
            continue
        block.path = tuple(stack)
        if parent is not None and block.depth > parent.depth:
            parent.notes.append(block.cells[0])
            continue
        entries.append(block)
        # Items nested under a paper are its notes; under a plain bullet they are papers.
        parent = block if block.is_item and block.has_links else None
    return entries
