"""Rows to papers: the title, short name, links, venue, year and description of each entry,
with repeated rows and redundant links folded."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from minisora.core.arxiv_ids import abs_url, arxiv_id_from_url
from minisora.core.naming import free_slug, slugify
from minisora.core.rules import wrong_host
from minisora.core.urls import url_key
from minisora.errors import Finding, Severity
from minisora.importers import labels
from minisora.importers.markdown.blocks import ABSOLUTE, Entry, Heading
from minisora.importers.markdown.columns import TITLE, Column
from minisora.importers.markdown.inline import Inline, RawLink, clean
from minisora.models import Link, LinkKind

NUMBER = re.compile(r"\s*(\d+)[.)]\s+")
SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")
_SEEN_ELSEWHERE = re.compile(r"\s*\(-\)\s*$")  # "(-)": the community's "listed above" mark
_NAME_SEP = re.compile(r"\s*(?::|\s[-–—])\s*")
_NOTE = re.compile(r"[\[(]([^\[\]()]*)[\])]")
_DASHES = " -–—:|,;"
_REPORT_WORDS = sorted(
    (w for w, k in labels.KIND_OF_WORD.items() if k is LinkKind.REPORT), key=len
)[::-1]

# What the summary says of each kind of fold, counted instead of one warning per line.
FOLDS = {
    "arxiv": "arXiv links written as /pdf/, versioned or http folded to https://arxiv.org/abs/ID",
    "same-link": "links repeated within one paper folded (a title link and its badge, ...)",
    "paired": "rows of the second language paired with their first-language row",
}


@dataclass(eq=False)
class Draft:
    line: int
    title: str
    short_name: str | None
    categories: list[str]
    links: list[Link]
    tags: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    description: str | None = None


def _key(text: str | None) -> str:
    return re.sub(r"\W+", "", (text or "").casefold())


def title_keys(draft: Draft) -> tuple[str, ...]:
    """The title as written, and with the short name in front ("ELLA: Equip ...")."""
    full = f"{draft.short_name}: {draft.title}" if draft.short_name else ""
    return tuple(k for k in (_key(draft.title), _key(full)) if k)


class Importer:
    """Turns entries into drafts, one source file at a time; warnings name file and line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[Finding] = []
        self.folds: Counter[str] = Counter()
        self.drafts: list[Draft] = []
        self.by_title: dict[str, list[Draft]] = {}
        self.categories: dict[Heading | None, str] = {}
        self.names: dict[str, str] = {}
        self.names_zh: dict[str, str] = {}
        self.plan: list[Draft] = []
        self.links = 0
        self.pairing = False  # True while the second language's rows are read
        self._said: set[tuple[str, str]] = set()

    def warn(self, line: int, message: str, rule: str) -> None:
        """A warning for ``line`` of the current source; the twin's copy of a warning the first
        language already gave (same message) is not repeated."""
        if self.pairing and (message, rule) in self._said:
            return
        self._said.add((message, rule))
        self.warnings.append(Finding(self.source, line, (), message, Severity.WARNING, rule))

    def link(self, raw: RawLink, line: int, kind: LinkKind | None = None) -> Link | None:
        """A link as written -> a Link, or None (with a warning) when it cannot be kept."""
        url = raw.url.strip()
        if not ABSOLUTE.match(url):
            self.warn(
                line,
                f"relative link {url!r} skipped: a catalogue needs absolute URLs",
                "relative-link",
            )
            return None
        self.links += 1
        label, text = None, clean(raw.text)
        if kind is None and (raw.badge or not text):
            kind = labels.from_url(url)
        elif kind is None:
            found = labels.from_label(text)
            if found is None:
                self.warn(line, f"unknown link label {text!r}: kept as kind other", "unknown-label")
                kind, label = LinkKind.OTHER, text
            else:
                kind = found.kind
        arxiv = arxiv_id_from_url(url)
        if arxiv is not None and url != abs_url(arxiv):
            url = abs_url(arxiv)
            self.folds["arxiv"] += 1
        link = Link(kind=kind, url=url, label=label)
        lie = wrong_host(link)
        if lie:
            self.warn(
                line, f"link labelled {text!r} is not what it says: {lie}", "mislabelled-link"
            )
        return link

    def add(self, draft: Draft, link: Link | None) -> None:
        """Add a link to a draft unless the draft has it already (then count the fold)."""
        if link is None:
            return
        key = url_key(link.url)
        for i, old in enumerate(draft.links):
            if url_key(old.url) == key:
                if old.kind is LinkKind.OTHER and link.kind is not LinkKind.OTHER:
                    draft.links[i] = link
                self.folds["same-link"] += 1
                return
        draft.links.append(link)

    def numbering(self, entries: Sequence[Entry]) -> None:
        last: dict[Heading | None, int] = {}
        for entry in entries:
            match = NUMBER.match(entry.cells[0].text) if not entry.is_item else None
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

    def category(self, heading: Heading | None) -> str:
        if heading not in self.categories:
            name = SECTION_NUMBER.sub("", heading.name) if heading else "Papers"
            base = slugify(heading.anchor or name) if heading else "papers"
            base = base or f"category-{len(self.categories) + 1}"
            cat_id = free_slug(base, self.names)
            self.categories[heading] = cat_id
            self.names[cat_id] = name or cat_id
        return self.categories[heading]

    def entry(self, entry: Entry, level: int | None) -> Draft | None:
        """Turn one row or item into a draft paper (merged with an earlier one when the same)."""
        draft = self.read(entry)
        if draft is None:
            return None
        home = next((h for h in reversed(entry.path) if h.level == level), None)
        draft.categories = [self.category(home)]
        after = entry.path.index(home) + 1 if home else len(entry.path)
        draft.tags += [SECTION_NUMBER.sub("", h.name) for h in entry.path[after:]]
        return self.merge(draft)

    def read(self, entry: Entry) -> Draft | None:
        cells = entry.cells
        at = _title_cell(entry)
        if at is None:
            self.warn(entry.line, "row has links but no title: skipped", "no-title")
            return None
        cell = cells[at]
        draft = Draft(entry.line, "", None, [], [])
        title_links = self.title(cell, draft, entry)
        others: list[tuple[RawLink, LinkKind | None]] = [
            (ln, None) for ln in cell.links if ln not in title_links
        ]
        for i, extra in enumerate(cells):
            if i == at:
                continue
            column = entry.columns[i] if entry.columns and i < len(entry.columns) else None
            others += [(ln, _column_kind(ln, column)) for ln in extra.links]
            text = extra.plain(0, len(extra.text)).strip(_DASHES)
            if text and not self.metadata(text, draft) and i > at:
                self.warn(entry.line, f"text {text!r} of an extra column is not kept", "extra-text")
        for note in entry.notes:
            others += [(ln, None) for ln in note.links]
        for raw, kind in others:
            found = labels.from_label(clean(raw.text))
            if found and found.kind is LinkKind.PAPER:
                draft.venue = draft.venue or found.venue
                draft.year = draft.year or found.year
            self.add(draft, self.link(raw, entry.line, kind))
        if not draft.links:
            self.warn(entry.line, f"{draft.title!r} has no usable link: skipped", "no-links")
            return None
        return draft

    def title(self, cell: Inline, draft: Draft, entry: Entry) -> list[RawLink]:
        """Fill the short name, title, tags and venue from a title cell; the title's own links."""
        end = cell.br if cell.br is not None else len(cell.text)
        if cell.br is not None:
            draft.tags += [t for t in (clean(x) for x in cell.text[end:].split(",")) if t]
        number = NUMBER.match(cell.text)
        start = number.end() if number else 0
        while start < end and cell.text[start].isspace():
            start += 1
        named = _named_link(cell, start) if entry.is_item else None
        if named is not None:  # "**DiT**: [Title](url)", "**[Sora](home) 技术报告**: [Title](url)"
            return self.named_link(cell, draft, entry, start, *named)
        first = cell.links[0] if cell.links else None
        if first and not cell.text[start : first.start].strip():  # "[Title](url) - description"
            inner = Inline(
                first.text,
                bold=[(a - first.start, b - first.start) for a, b in cell.bold if a >= first.start],
            )
            draft.short_name, draft.title = _name_and_title(inner, 0, len(first.text))
            self.add(draft, self.link(first, entry.line, labels.from_url(first.url)))
            self.describe(cell.plain(first.end, end), draft)
            return [first]
        stop = first.start if first and entry.is_item else end
        draft.short_name, draft.title = _name_and_title(cell, start, stop)
        if entry.is_item and first:
            self.describe(cell.plain(first.start, end), draft)
        return []

    def named_link(
        self, cell: Inline, draft: Draft, entry: Entry, start: int, stop: int, title: RawLink
    ) -> list[RawLink]:
        """A bold name, maybe linked to a homepage and naming a report, then the title link."""
        name = cell.plain(start, stop).rstrip(" :")
        kind = labels.from_url(title.url)
        for word in _REPORT_WORDS:
            if name.casefold().endswith(word):
                name, kind = name[: -len(word)].strip(), LinkKind.REPORT
                draft.tags.append("technical report")
                break
        paren = re.search(r"\(([^()]*)\)$", name)
        if paren and self.metadata(paren[1], draft):
            name = name[: paren.start()].strip()
        homes = cell.links_in(start, stop)
        for home in homes:
            link = self.link(home, entry.line, LinkKind.HOMEPAGE)
            if link:
                self.add(draft, link.model_copy(update={"label": clean(home.text)}))
        if not name and homes:
            name = clean(homes[0].text).split(": ")[0]
        draft.short_name, draft.title = name or None, _strip_title(title.text)
        self.add(draft, self.link(title, entry.line, kind))
        self.describe(cell.plain(title.end, len(cell.text)), draft)
        return [title, *homes]

    def metadata(self, text: str, draft: Draft) -> bool:
        """Take a venue and year from a note such as ``CVPR 2023`` or ``Nov., 2023``; True when
        the note had a year."""
        found = labels.from_note(text)
        if found is None:
            return False
        draft.venue = draft.venue or found.venue
        draft.year = draft.year or found.year
        return True

    def describe(self, text: str, draft: Draft) -> None:
        """Text after the title: bracketed notes give venue and year, the rest is a description."""
        rest = _NOTE.sub(lambda m: "" if self.metadata(m[1], draft) else m[0], text)
        rest = clean(rest).strip(_DASHES)
        if rest and not draft.description:
            draft.description = rest

    def merge(self, draft: Draft) -> Draft:
        """Add a draft, or fold it into an earlier one with the same title and a compatible
        short name (``**ELLA**: Equip …`` matches ``ELLA: Equip …``)."""
        keys = title_keys(draft)
        olds = list(dict.fromkeys(old for key in keys for old in self.by_title.get(key, [])))
        for old in olds:
            if _key(draft.short_name) and _key(old.short_name) not in ("", _key(draft.short_name)):
                continue
            for cat in draft.categories:
                if cat not in old.categories:
                    old.categories.append(cat)
                elif self.pairing:
                    self.folds["paired"] += 1
                else:
                    where = f"{self.names[cat]!r} (first at line {old.line})"
                    self.warn(
                        draft.line,
                        f"{draft.title!r} is listed again in {where}; kept once",
                        "repeated-row",
                    )
            seen = {url_key(link.url) for link in old.links}
            old.links += [ln for ln in draft.links if url_key(ln.url) not in seen]
            old.short_name = old.short_name or draft.short_name
            old.venue, old.year = old.venue or draft.venue, old.year or draft.year
            old.description = old.description or draft.description
            if not self.pairing:  # the twin's sub-headings are the same tags in another language
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

    def plan_item(self, entry: Entry) -> None:
        draft = self.read(entry)
        if draft is None:
            return
        urls = {url_key(link.url) for link in draft.links}
        same = next(
            (
                d
                for d in self.drafts
                if set(title_keys(d)) & set(title_keys(draft))
                or urls & {url_key(link.url) for link in d.links}
            ),
            None,
        )
        if same is None:
            same = self.merge(draft)
        if same not in self.plan:
            self.plan.append(same)


def _column_kind(link: RawLink, column: Column | None) -> LinkKind | None:
    """The kind a column gives a badge or a link labelled only ``-`` or a star count."""
    if column is None or column.kind is None:
        return None
    text = clean(link.text)
    return column.kind if link.badge or not text or labels.from_label(text) is None else None


def _title_cell(entry: Entry) -> int | None:
    """The cell that holds the title: the title column, else the first cell with text."""
    if entry.is_item:
        return 0
    if entry.columns and TITLE in entry.columns:
        at = entry.columns.index(TITLE)
        if at < len(entry.cells) and _title_text(entry.cells[at], links=True):
            return at
    return next((i for i, c in enumerate(entry.cells) if _title_text(c)), None)


def _named_link(cell: Inline, start: int) -> tuple[int, RawLink] | None:
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


def _title_text(cell: Inline, links: bool = False) -> str:
    """A cell's title text (with ``links``, the text of its links counts too)."""
    end = cell.br if cell.br is not None else len(cell.text)
    text = clean(cell.text[:end]) if links else cell.plain(0, end)
    text = NUMBER.sub("", text, count=1)
    return "" if text.isdigit() else text.strip(" -–—:|")


def _name_and_title(cell: Inline, start: int, end: int) -> tuple[str | None, str]:
    """``**DiT**: Scalable …`` -> ("DiT", "Scalable …"); no bold prefix -> (None, text)."""
    text = cell.text
    bold = next(((a, b) for a, b in cell.bold if a >= start and not text[start:a].strip()), None)
    if bold and bold[1] <= end:
        name, rest = clean(text[bold[0] : bold[1]]), text[bold[1] : end]
        if name.endswith(":") and rest.strip():
            return _strip_title(name[:-1]), _strip_title(rest)
        sep = _NAME_SEP.match(rest)
        if sep and rest[sep.end() :].strip():
            return _strip_title(name), _strip_title(rest[sep.end() :])
    return None, _strip_title(text[start:end])


def _strip_title(text: str) -> str:
    return _SEEN_ELSEWHERE.sub("", clean(text)).strip(" -–—:|").rstrip(" [(")
