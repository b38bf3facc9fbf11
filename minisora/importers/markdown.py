"""Import an awesome-list README, table style (like the Mini Sora seed) or bullet style.

>>> from minisora.importers import markdown
>>> result = markdown.import_list("README.md", output="papers.yaml")   # doctest: +SKIP
>>> result.rows, len(result.catalog.papers), str(result.warnings[0])  # doctest: +SKIP
(361, 339, 'README.md:378: row number 4 repeats (render numbers rows again)')

How a list becomes a catalogue:

- Headings (Markdown ``###`` or ``<h3>`` inside a table row) become categories: the shallowest
  heading level that directly holds rows is the category level, deeper headings become tags.
- A table row or a bullet item with at least one absolute link becomes a paper: ``N) **Short**:
  Title`` gives the short name and title, link labels give kinds (``GitHub`` -> github, ``CVPR 23
  Paper`` -> paper with venue CVPR and year 2023), unknown labels are kept as kind ``other``.
- A paper listed under several headings (same title, compatible short names) becomes one paper
  with ``also_in``; its links are merged, none is dropped.
- A list under a "reading plan" heading (论文共读计划, Paper Reading Program) becomes the
  reading plan. If the list has tables, other bullet lists (news, contents) are not papers.

Every repair and every guess is a warning with the line it comes from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import ValidationError

from minisora.core.arxiv_ids import arxiv_id_from_url, year_of
from minisora.core.rules import mojibake_suggestion, wrong_host
from minisora.core.schema_errors import findings_from_validation_error
from minisora.core.urls import url_key
from minisora.errors import CatalogError, Finding, Severity
from minisora.importers import labels
from minisora.models import CatalogFile, Link, LinkKind, slugify
from minisora.store.files import save
from minisora.store.house_style import to_yaml
from minisora.store.yaml_read import read_text

__all__ = ["ImportResult", "import_list", "load", "parse"]

_PLAN_HEADINGS = re.compile(r"reading (?:plan|program)|共读", re.I)
_NUMBER = re.compile(r"\s*(\d+)[.)]\s+")
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")
_SEEN_ELSEWHERE = re.compile(r"\s*\(-\)\s*$")  # "(-)": the community's "listed above" mark
_NAME_SEP = re.compile(r"\s*(?::|\s[-–—])\s*")
_BRACKETED = re.compile(
    r"[\[(]\s*(?:(?P<venue>[^\W\d][\w.\- ]*?)\s+)?(?P<year>(?:19|20)\d{2})\s*[\])]"
)
_ABSOLUTE = re.compile(r"https?://[^/\s]", re.I)
_TAG = re.compile(r"<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>[^>]*)>")
_ATTR = re.compile(r"""(?P<key>id|href)\s*=\s*["'](?P<value>[^"']*)["']""", re.I)
_REPORT_WORDS = sorted(
    (w for w, k in labels.KIND_OF_WORD.items() if k is LinkKind.REPORT), key=len
)[::-1]


@dataclass(frozen=True)
class ImportResult:
    """What an import found: the catalogue, every warning, and how many rows and links it read."""

    catalog: CatalogFile
    warnings: tuple[Finding, ...]
    source: str
    rows: int
    links: int

    def to_yaml(self) -> str:
        """The catalogue as ``papers.yaml`` text, with a header naming the source."""
        return to_yaml(self.catalog, header=f"Imported from {self.source} by `minisora import`.")


# --- Inline content: one table cell or list item ---------------------------------------------


@dataclass
class _Link:
    text: str
    url: str
    start: int
    end: int
    badge: bool = False


@dataclass
class _Inline:
    """The plain text of a cell, with where its links, bold spans and first ``<br>`` are."""

    text: str = ""
    links: list[_Link] = field(default_factory=list)
    bold: list[tuple[int, int]] = field(default_factory=list)
    br: int | None = None
    heading: tuple[int, str | None] | None = None  # <h3 id="...">: level and id

    def links_in(self, start: int, end: int) -> list[_Link]:
        return [link for link in self.links if start <= link.start and link.end <= end]

    def plain(self, start: int, end: int) -> str:
        """The text between two offsets without the text of the links inside."""
        out, pos = [], start
        for link in self.links_in(start, end):
            out.append(self.text[pos : link.start])
            pos = link.end
        out.append(self.text[pos:end])
        return _clean("".join(out))


def _inline(tokens: Sequence[Token]) -> _Inline:
    out = _Inline()
    opened: list[tuple[str, int, bool]] = []  # href, start, has an image
    bold_from: list[int] = []

    def close_link() -> None:
        if opened:
            href, start, badge = opened.pop()
            out.links.append(_Link(out.text[start:], href, start, len(out.text), badge))

    for tok in tokens:
        if tok.type in ("text", "code_inline"):
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
    html: str, out: _Inline, opened: list[tuple[str, int, bool]], close_link: Callable[[], None]
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


def _clean(text: str) -> str:
    """One line of plain text: whitespace runs collapsed, stray Markdown marks removed."""
    return " ".join(text.replace("**", "").replace("`", "").replace("](", "] (").split())


# --- Block structure: headings, table rows, list items ---------------------------------------


@dataclass(frozen=True, eq=False)
class _Heading:
    level: int
    name: str
    anchor: str | None
    line: int


@dataclass(eq=False)
class _Entry:
    """A table row (cells) or a list item (one cell), with the headings above it."""

    line: int
    cells: list[_Inline]
    is_item: bool
    depth: int = 0  # how deep a list item is nested
    path: tuple[_Heading, ...] = ()
    notes: list[_Inline] = field(default_factory=list)  # nested list items of an item

    @property
    def has_links(self) -> bool:
        return any(_ABSOLUTE.match(link.url) for cell in self.cells for link in cell.links)


def _blocks(tokens: Sequence[Token]) -> Iterator[_Heading | _Entry]:
    depth = 0
    for i, tok in enumerate(tokens):
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "heading_open":
            yield _Heading(
                int(tok.tag[1]), _clean(_inline(tokens[i + 1].children or []).text), None, line
            )
        elif tok.type == "tr_open":
            cells = []
            for cell in tokens[i + 1 :]:
                if cell.type == "tr_close":
                    break
                if cell.type == "inline":
                    cells.append(_inline(cell.children or []))
            first = cells[0] if cells else _Inline()
            if first.heading:
                yield _Heading(first.heading[0], _clean(first.text), first.heading[1], line)
            elif any(c.text.strip() for c in cells):
                yield _Entry(line, cells, is_item=False)
        elif tok.type == "list_item_open" and tokens[i + 2].type == "inline":
            yield _Entry(line, [_inline(tokens[i + 2].children or [])], True, depth)


def _sections(blocks: Sequence[_Heading | _Entry]) -> list[_Entry]:
    """Entries with the headings above them; nested list items become notes of their parent."""
    stack: list[_Heading] = []
    entries: list[_Entry] = []
    parent: _Entry | None = None
    for block in blocks:
        if isinstance(block, _Heading):
            while stack and stack[-1].level >= block.level:
                stack.pop()
            stack.append(block)
            parent = None
            continue
        block.path = tuple(stack)
        if block.depth > 1 and parent is not None:
            parent.notes.append(block.cells[0])
            continue
        entries.append(block)
        parent = block if block.is_item else None
    return entries


# --- Rows to papers ---------------------------------------------------------------------------


@dataclass(eq=False)
class _Draft:
    line: int
    title: str
    short_name: str | None
    categories: list[str]
    links: list[Link]
    tags: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None


def _key(text: str | None) -> str:
    return re.sub(r"\W+", "", (text or "").casefold())


def _title_keys(draft: _Draft) -> tuple[str, ...]:
    """The title as written, and with the short name in front ("ELLA: Equip ...")."""
    full = f"{draft.short_name}: {draft.title}" if draft.short_name else ""
    return tuple(k for k in (_key(draft.title), _key(full)) if k)


class _Importer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[Finding] = []
        self.drafts: list[_Draft] = []
        self.by_title: dict[str, list[_Draft]] = {}
        self.categories: dict[_Heading | None, str] = {}
        self.names: dict[str, str] = {}
        self.plan: list[_Draft] = []
        self.links = 0

    def warn(self, line: int, message: str, rule: str) -> None:
        self.warnings.append(Finding(self.source, line, (), message, Severity.WARNING, rule))

    # A link as written -> a Link, or None (with a warning) when it cannot be kept.
    def link(self, raw: _Link, line: int, kind: LinkKind | None = None) -> Link | None:
        url = raw.url.strip()
        if not _ABSOLUTE.match(url):
            self.warn(
                line,
                f"relative link {url!r} skipped: a catalogue needs absolute URLs",
                "relative-link",
            )
            return None
        self.links += 1
        label, text = None, _clean(raw.text)
        if kind is None and (raw.badge or not text):
            kind = labels.from_url(url)
        elif kind is None:
            found = labels.from_label(text)
            if found is None:
                self.warn(line, f"unknown link label {text!r}: kept as kind other", "unknown-label")
                kind, label = LinkKind.OTHER, text
            else:
                kind = found.kind
        link = Link(kind=kind, url=url, label=label)
        lie = wrong_host(link)
        if lie:
            self.warn(
                line, f"link labelled {text!r} is not what it says: {lie}", "mislabelled-link"
            )
        return link

    def numbering(self, entries: Sequence[_Entry]) -> None:
        last: dict[_Heading | None, int] = {}
        for entry in entries:
            match = _NUMBER.match(entry.cells[0].text) if not entry.is_item else None
            if match is None:
                continue
            number, section = int(match[1]), entry.path[-1] if entry.path else None
            before = last.get(section, 0)
            if number != before + 1:
                what = "repeats" if number <= before else f"skips {before + 1}"
                self.warn(
                    entry.line,
                    f"row number {number} {what} (render numbers rows again)",
                    "numbering",
                )
            last[section] = number

    def category(self, heading: _Heading | None) -> str:
        if heading not in self.categories:
            name = _SECTION_NUMBER.sub("", heading.name) if heading else "Papers"
            base = slugify(heading.anchor or name) if heading else "papers"
            base = base or f"category-{len(self.categories) + 1}"
            cat_id, n = base, 2
            while cat_id in self.categories.values():
                cat_id, n = f"{base}-{n}", n + 1
            self.categories[heading] = cat_id
            self.names[cat_id] = name or cat_id
        return self.categories[heading]

    def entry(self, entry: _Entry, level: int | None) -> _Draft | None:
        """Turn one row or item into a draft paper (merged with an earlier one when the same)."""
        draft = self.read(entry)
        if draft is None:
            return None
        home = next((h for h in reversed(entry.path) if h.level == level), None)
        draft.categories = [self.category(home)]
        after = entry.path.index(home) + 1 if home else len(entry.path)
        draft.tags += [_SECTION_NUMBER.sub("", h.name) for h in entry.path[after:]]
        return self.merge(draft)

    def read(self, entry: _Entry) -> _Draft | None:
        cells = entry.cells
        at = 0 if entry.is_item else next((i for i, c in enumerate(cells) if _title_text(c)), None)
        if at is None:
            self.warn(entry.line, "row has links but no title: skipped", "no-title")
            return None
        cell = cells[at]
        draft = _Draft(entry.line, "", None, [], [])
        title_links = self.title(cell, draft, entry)
        others = [ln for ln in cell.links if ln not in title_links]
        for extra in cells[at + 1 :]:
            others += extra.links
            text = extra.plain(0, len(extra.text)).strip(" ,;|")
            if text and not self.metadata(text, draft):
                self.warn(entry.line, f"text {text!r} of an extra column is not kept", "extra-text")
        for note in entry.notes:
            others += note.links
        for raw in others:
            found = labels.from_label(_clean(raw.text))
            if found and found.kind is LinkKind.PAPER:
                draft.venue = draft.venue or found.venue
                draft.year = draft.year or found.year
            link = self.link(raw, entry.line)
            if link:
                draft.links.append(link)
        if not draft.links:
            self.warn(entry.line, f"{draft.title!r} has no usable link: skipped", "no-links")
            return None
        return draft

    def title(self, cell: _Inline, draft: _Draft, entry: _Entry) -> list[_Link]:
        """Fill the short name, title, tags and venue from a title cell; the title's own links."""
        end = cell.br if cell.br is not None else len(cell.text)
        if cell.br is not None:
            draft.tags += [t for t in (_clean(x) for x in cell.text[end:].split(",")) if t]
        number = _NUMBER.match(cell.text)
        start = number.end() if number else 0
        while start < end and cell.text[start].isspace():
            start += 1
        named = _named_link(cell, start) if entry.is_item else None
        if named is not None:  # "**DiT**: [Title](url)", "**[Sora](home) 技术报告**: [Title](url)"
            return self.named_link(cell, draft, entry, start, *named)
        first = cell.links[0] if cell.links else None
        if first and not cell.text[start : first.start].strip():  # "[Title](url) - description"
            inner = _Inline(
                first.text,
                bold=[(a - first.start, b - first.start) for a, b in cell.bold if a >= first.start],
            )
            draft.short_name, draft.title = _name_and_title(inner, 0, len(first.text))
            link = self.link(first, entry.line, labels.from_url(first.url))
            draft.links += [link] if link else []
            self.metadata(cell.plain(first.end, end), draft)
            return [first]
        stop = first.start if first and entry.is_item else end
        draft.short_name, draft.title = _name_and_title(cell, start, stop)
        if entry.is_item and first:
            self.metadata(cell.plain(first.start, end), draft)
        return []

    def named_link(
        self, cell: _Inline, draft: _Draft, entry: _Entry, start: int, stop: int, title: _Link
    ) -> list[_Link]:
        """A bold name, maybe linked to a homepage and naming a report, then the title link."""
        name = cell.plain(start, stop).rstrip(" :")
        kind = labels.from_url(title.url)
        for word in _REPORT_WORDS:
            if name.casefold().endswith(word):
                name, kind = name[: -len(word)].strip(), LinkKind.REPORT
                draft.tags.append("technical report")
                break
        paren = re.search(r"\(([^()]*)\)$", name)
        if paren and self.metadata(f"[{paren[1]}]", draft):
            name = name[: paren.start()].strip()
        homes = cell.links_in(start, stop)
        for home in homes:
            link = self.link(home, entry.line, LinkKind.HOMEPAGE)
            if link:
                draft.links.append(link.model_copy(update={"label": _clean(home.text)}))
        if not name and homes:
            name = _clean(homes[0].text).split(": ")[0]
        draft.short_name, draft.title = name or None, _strip_title(title.text)
        link = self.link(title, entry.line, kind)
        draft.links += [link] if link else []
        return [title, *homes]

    def metadata(self, text: str, draft: _Draft) -> bool:
        """Take a venue and year from text such as ``[CVPR 2023]``; True when there was one."""
        match = _BRACKETED.search(text if text.startswith(("[", "(")) else f"[{text}]")
        if match is None:
            return False
        found = labels.from_label(f"{match['venue'] or 'arXiv'} {match['year']}")
        if found:
            draft.venue = draft.venue or found.venue
            draft.year = draft.year or found.year
        return True

    def merge(self, draft: _Draft) -> _Draft:
        """Add a draft, or fold it into an earlier one with the same title and a compatible
        short name (``**ELLA**: Equip …`` matches ``ELLA: Equip …``)."""
        keys = _title_keys(draft)
        olds = list(dict.fromkeys(old for key in keys for old in self.by_title.get(key, [])))
        for old in olds:
            if _key(draft.short_name) and _key(old.short_name) not in ("", _key(draft.short_name)):
                continue
            for cat in draft.categories:
                if cat in old.categories:
                    where = f"{self.names[cat]!r} (first at line {old.line})"
                    self.warn(
                        draft.line,
                        f"{draft.title!r} is listed again in {where}; kept once",
                        "repeated-row",
                    )
                else:
                    old.categories.append(cat)
            seen = {url_key(link.url) for link in old.links}
            old.links += [ln for ln in draft.links if url_key(ln.url) not in seen]
            old.short_name = old.short_name or draft.short_name
            old.venue, old.year = old.venue or draft.venue, old.year or draft.year
            old.tags += [t for t in draft.tags if t not in old.tags]
            return old
        for old in olds:
            names = f"{old.short_name} / {draft.short_name}"
            self.warn(
                draft.line,
                f"same title as line {old.line} but another short name "
                f"({names}): kept as two papers",
                "same-title",
            )
        for key in keys:
            self.by_title.setdefault(key, []).append(draft)
        self.drafts.append(draft)
        return draft

    def plan_item(self, entry: _Entry) -> None:
        draft = self.read(entry)
        if draft is None:
            return
        urls = {url_key(link.url) for link in draft.links}
        same = next(
            (
                d
                for d in self.drafts
                if set(_title_keys(d)) & set(_title_keys(draft))
                or urls & {url_key(link.url) for link in d.links}
            ),
            None,
        )
        if same is None:
            same = self.merge(draft)
        if same not in self.plan:
            self.plan.append(same)


def _named_link(cell: _Inline, start: int) -> tuple[int, _Link] | None:
    """Where a leading bold name ends and the title link after its colon, if the item has them."""
    bold = next((b for b in cell.bold if not cell.text[start : b[0]].strip()), None)
    if bold is None:
        return None
    title = next((link for link in cell.links if link.start >= bold[1]), None)
    between = cell.text[bold[1] : title.start].strip() if title else ""
    named = cell.text[bold[0] : bold[1]].rstrip().endswith(":") and not between
    if title is None or not (named or between == ":"):
        return None
    return bold[1], title


def _title_text(cell: _Inline) -> str:
    text = cell.plain(0, cell.br if cell.br is not None else len(cell.text))
    text = _NUMBER.sub("", text, count=1)
    return "" if text.isdigit() else text.strip(" -–—:|")


def _name_and_title(cell: _Inline, start: int, end: int) -> tuple[str | None, str]:
    """``**DiT**: Scalable …`` -> ("DiT", "Scalable …"); no bold prefix -> (None, text)."""
    text = cell.text
    bold = next(((a, b) for a, b in cell.bold if a >= start and not text[start:a].strip()), None)
    if bold and bold[1] <= end:
        name, rest = _clean(text[bold[0] : bold[1]]), text[bold[1] : end]
        if name.endswith(":") and rest.strip():
            return _strip_title(name[:-1]), _strip_title(rest)
        sep = _NAME_SEP.match(rest)
        if sep and rest[sep.end() :].strip():
            return _strip_title(name), _strip_title(rest[sep.end() :])
    return None, _strip_title(text[start:end])


def _strip_title(text: str) -> str:
    return _SEEN_ELSEWHERE.sub("", _clean(text)).strip(" -–—:|").rstrip(" [(")


def parse(text: str, source: str = "<markdown>") -> ImportResult:
    """Read a Markdown list into a catalogue; warnings name the source and line."""
    imp = _Importer(source)
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines, 1):
        fixed = mojibake_suggestion(line)
        if fixed is not None:
            damaged, repaired = _changed(line, fixed)
            imp.warn(
                n,
                f"text damaged by a wrong encoding: {damaged!r} repaired to {repaired!r}",
                "mojibake",
            )
            lines[n - 1] = fixed
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    entries = _sections(list(_blocks(md.parse("".join(lines)))))
    in_plan = [
        e for e in entries if e.is_item and e.path and _PLAN_HEADINGS.search(e.path[-1].name)
    ]
    rows = [e for e in entries if not e.is_item and e.has_links]
    if not rows:
        rows = [e for e in entries if e.is_item and e.has_links and e not in in_plan]
    if not rows and not in_plan:
        raise CatalogError([Finding(source, None, (), "no table rows or list items with links")])
    imp.numbering(rows)
    nearest = [e.path[-1].level for e in rows if e.path]
    level = min(nearest) if nearest else None
    for entry in rows:
        imp.entry(entry, level)
    for entry in in_plan:
        if entry.has_links:
            imp.plan_item(entry)
    return ImportResult(_catalog(imp), tuple(imp.warnings), source, len(rows), imp.links)


def _common(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(min(a, b, key=len))
    )


def _changed(before: str, after: str, width: int = 40) -> tuple[str, str]:
    """The part of a line that a repair changed, before and after (at most ``width`` chars)."""
    head = _common(before, after)
    tail = _common(before[head:][::-1], after[head:][::-1])
    return before[head : len(before) - tail][:width], after[head : len(after) - tail][:width]


def _catalog(imp: _Importer) -> CatalogFile:
    ids: dict[int, str] = {}
    taken: set[str] = set()
    for draft in imp.drafts:
        base = slugify(draft.short_name or "") or slugify(" ".join(draft.title.split()[:6]))
        base = base or "paper"
        paper_id, n = base, 2
        while paper_id in taken:
            paper_id, n = f"{base}-{n}", n + 1
        taken.add(paper_id)
        ids[id(draft)] = paper_id
    papers = []
    for draft in imp.drafts:
        arxiv = next(filter(None, (arxiv_id_from_url(link.url) for link in draft.links)), None)
        cats = list(dict.fromkeys(draft.categories))
        papers.append(
            {
                "id": ids[id(draft)],
                "title": draft.title or draft.links[0].url,
                "short_name": draft.short_name or None,
                "category": cats[0] if cats else None,
                "also_in": cats[1:],
                "year": draft.year or (year_of(arxiv) if arxiv else None),
                "arxiv_id": arxiv,
                "venue": draft.venue,
                "tags": list(dict.fromkeys(draft.tags)),
                "links": draft.links,
            }
        )
    data = {
        "categories": [
            {"id": cat_id, "name_en": imp.names[cat_id], "name_zh": imp.names[cat_id]}
            for cat_id in imp.categories.values()
        ],
        "reading_plan": [ids[id(d)] for d in imp.plan],
        "papers": papers,
    }
    if not data["categories"]:
        data["categories"] = [{"id": "papers", "name_en": "Papers", "name_zh": "论文"}]
    try:
        return CatalogFile.model_validate(data)
    except ValidationError as exc:
        found = findings_from_validation_error(exc)
        raise CatalogError([Finding(imp.source, None, f.loc, f.message) for f in found]) from None


def load(path: str | os.PathLike[str]) -> ImportResult:
    """Read and import a Markdown file (UTF-8; text damaged by a wrong encoding is repaired)."""
    shown = str(path)
    return parse(read_text(Path(path), shown), shown)


def import_list(
    path: str | os.PathLike[str], output: str | os.PathLike[str] | None = None, force: bool = False
) -> ImportResult:
    """Import ``path``; with ``output``, also write the catalogue there (atomically, and over an
    existing file only with ``force``)."""
    result = load(path)
    if output is not None:
        save(output, result.to_yaml(), force=force)
    return result
