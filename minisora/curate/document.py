"""Edit a catalogue file in place and keep every byte that the edit does not touch.

    with editing("data/papers.yaml") as doc:    # read under the file's lock
        doc.append_paper({"id": "dit", "title": "...", "links": [{"kind": "paper", "url": "..."}]})
        doc.set_field(3, "year", 2021)
        doc.save()        # validated first, then written atomically, still under the lock

ruamel.yaml writes every change: its round-trip mode keeps comments, key order, quoting and
flow style, which PyYAML drops, and new entries come out in the file's own style (flow-style
links, quoted arXiv ids). A new paper is emitted alone and added after the last one, so adding
costs the same for ten papers or ten thousand; only field edits load the whole file into ruamel.
As a guard, every paper the edit did not touch (and everything before the first) must come out
byte for byte as it was, or nothing is written.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from minisora.catalog import Catalog, Report, resolve, validate_text
from minisora.errors import CatalogError, EditError
from minisora.store.files import atomic_write, locked
from minisora.store.house_style import FLOW_LISTS, QUOTED, needs_quotes, order
from minisora.store.yaml_read import locate, read_text

_ITEM = re.compile(r"( *)-( +)\S")  # "  - id: dit": the dash's column and the key's


class Checked(NamedTuple):
    """An edited catalogue's text and its validation report."""

    text: str
    report: Report


class Document:
    """A valid catalogue file opened for editing. ``catalog`` and ``line()`` describe the file as
    it was read; edits show only in :meth:`text` and :meth:`save`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path, self.shown = resolve(path)
        self.original = read_text(self.path, self.shown)
        report = validate_text(self.original, self.shown, warnings=False)
        if report.catalog is None:
            raise CatalogError(report.errors)
        self.catalog: Catalog = report.catalog
        self._newline = "\r\n" if "\r\n" in self.original else "\n"
        self._data: Any = None  # the ruamel tree, loaded on the first edit that needs it
        self._touched: set[int] = set()
        self._new: list[Any] = []  # new papers, written as text after the last one
        self._added_in_tree = 0

    def line(self, loc: Sequence[str | int]) -> int:
        """The line of a field in the file as read: ``line(("papers", 3, "title"))``."""
        return self.lines([loc])[tuple(loc)]

    def lines(self, locs: Sequence[Sequence[str | int]]) -> dict[tuple[str | int, ...], int]:
        """The lines of many fields, found in one pass over the file."""
        return locate(self.original, locs)

    def append_paper(self, entry: Mapping[str, Any]) -> int:
        """Add a paper (plain data, as in the file) after the last one; returns its index."""
        index = len(self.catalog.papers) + len(self._new) + self._added_in_tree
        if _insertion(self.original, len(self.catalog.papers)) is None:
            papers = self._papers()  # no block list of papers yet: ruamel starts one
            papers.fa.set_block_style()
            papers.append(_entry_node(entry))
            if len(papers) > 1:  # a blank line between entries, as in the rest of the file
                papers.yaml_set_comment_before_after_key(len(papers) - 1, before="\n", indent=0)
            self._added_in_tree += 1
        else:
            self._new.append(_entry_node(entry))
        return index

    def set_field(self, index: int, key: str, value: Any) -> None:
        """Set one field of paper ``index``; a new key goes where the house order puts it."""
        paper = self._papers()[index]
        node = _node(key, value)
        if key in paper:
            paper[key] = node
        else:
            later = [i for i, k in enumerate(paper) if order(k) > order(key)]
            paper.insert(later[0] if later else len(paper), key, node)
        self._touched.add(index)

    def set_link_url(self, index: int, link: int, url: str) -> None:
        """Point link ``link`` of paper ``index`` at ``url``."""
        self._papers()[index]["links"][link]["url"] = url
        self._touched.add(index)

    @property
    def changed(self) -> bool:
        return bool(self._data is not None or self._new)

    def text(self) -> str:
        """The edited file; raises :class:`EditError` if a paper it did not touch would change."""
        text = self.original
        if self._data is not None:
            text = _dump(self._data, *self._indent).replace("\n", self._newline)
            self._check_untouched(text)
        if self._new:
            at, offset, indent = _insertion(text, len(self.catalog.papers))  # type: ignore[misc]
            lines = text.splitlines(True)
            if at and not lines[at - 1].endswith("\n"):
                lines[at - 1] += self._newline
            papers = _dump({"papers": self._new}, offset, indent).split("\n", 1)[1]
            starts = re.compile(rf"(?m)^(?= {{{offset}}}- )")
            entries = "".join("\n" + entry for entry in starts.split(papers) if entry)
            if at < len(lines) and lines[at].strip():  # a blank line before what follows
                entries += "\n"
            lines.insert(at, entries.replace("\n", self._newline))
            text = "".join(lines)
        return text

    def check(self) -> Checked:
        """The edited text and its validation report; raises CatalogError if it has errors."""
        text = self.text()
        report = validate_text(text, self.shown)
        if not report.ok:
            raise CatalogError(report.errors)
        return Checked(text, report)

    def save(self) -> Checked:
        """Validate the edited file, then write it atomically; returns what :meth:`check` does.
        Open the document with :func:`editing` so that no other process writes it in between."""
        checked = self.check()
        if checked.text != self.original:
            atomic_write(self.path, checked.text)
        return checked

    def _papers(self) -> Any:
        if self._data is None:
            from ruamel.yaml.util import load_yaml_guess_indent

            # ruamel keeps a "\r" in blank lines and comments: edit with "\n", write back "\r\n".
            unix = self.original.replace("\r\n", "\n")
            self._data, indent, offset = load_yaml_guess_indent(unix, yaml=_yaml())
            self._indent = (offset or 2, indent or 4)
        return self._data["papers"]

    def _check_untouched(self, text: str) -> None:
        """Refuse the text if the part before the papers, or a paper not edited, has changed."""
        count = len(self.catalog.papers)
        old, new = self.original.splitlines(True), text.splitlines(True)
        if old and not old[-1].endswith("\n"):  # the writer ends the last line: that is fine
            old[-1] += self._newline
        if not count:  # `papers: []` becomes the list: only what comes before it must stay
            key = self.line(("papers",)) - 1
            old, new = old[:key], new[:key]
        locs = [("papers", i) for i in range(count)]
        old_at = [0, *(n - 1 for n in locate(self.original, locs).values()), len(old)]
        new_at = [0, *(n - 1 for n in locate(text, locs).values()), len(new)]
        for k in range(count + 1):  # block 0 is everything before the first paper
            if k - 1 in self._touched:
                continue
            before, after = old[old_at[k] : old_at[k + 1]], new[new_at[k] : new_at[k + 1]]
            if before != after:
                pairs = enumerate(zip(before, after, strict=False))
                same = next((n for n, (a, b) in pairs if a != b), min(len(before), len(after)))
                raise EditError(
                    f"{self.shown}:{old_at[k] + same + 1}: the YAML writer would also change "
                    "this line; nothing was written (please report this)"
                )


@contextmanager
def editing(path: str | os.PathLike[str] | None = None) -> Iterator[Document]:
    """The catalogue at ``path`` (default: the bundled one) opened for an edit under its lock: read
    once the lock is held, and written by no other minisora until the block ends, so an edit
    made meanwhile by another process is never lost."""
    with locked(resolve(path)[0]):
        yield Document(path)


def _insertion(text: str, count: int) -> tuple[int, int, int] | None:
    """Where new papers go in ``text``, and the columns of the list's dash and keys: after the
    last paper's last line (before comments and keys that follow at the margin). None when the
    papers are not a block list with at least one paper."""
    if not count:
        return None
    lines = text.splitlines()
    start = locate(text, [("papers", count - 1)])[("papers", count - 1)] - 1
    item = _ITEM.match(lines[start])
    if item is None:
        return None
    end = start + 1
    while end < len(lines) and lines[end][:1] in ("", " ", "#"):
        end += 1
    while lines[end - 1][:1] in ("", "#") and end - 1 > start:  # margin comments, blank lines
        end -= 1
    return end, len(item[1]), len(item[1]) + 1 + len(item[2])


def _yaml(offset: int = 2, indent: int = 4) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long title onto a second line
    yaml.representer.ignore_aliases = lambda _data: True  # a shared date is no anchor
    yaml.indent(mapping=2, sequence=indent, offset=offset)
    return yaml


def _dump(data: Any, offset: int, indent: int) -> str:
    out = io.StringIO()
    _yaml(offset, indent).dump(data, out)
    return out.getvalue()


def _entry_node(entry: Mapping[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap((key, _node(key, entry[key])) for key in sorted(entry, key=order))


def _node(key: str, value: Any, flow: bool = False) -> Any:
    """A ruamel node for a value, in the house style (``store.house_style``)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, Mapping):
        mapping = CommentedMap(
            (k, _node(k, v, flow=True)) for k, v in value.items() if v is not None
        )
        mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, (list, tuple)):
        inline = key in FLOW_LISTS
        items = CommentedSeq(_node(key, v, flow=inline) for v in value)
        if inline:
            items.fa.set_flow_style()
        else:
            items.fa.set_block_style()
        return items
    if isinstance(value, str) and (key in QUOTED or needs_quotes(value, flow)):
        return SingleQuotedScalarString(value)
    return value
