"""Edit a catalogue file in place and keep every byte that the edit does not touch.

    doc = Document("data/papers.yaml")
    doc.append_paper({"id": "dit", "title": "...", "links": [{"kind": "paper", "url": "..."}]})
    doc.set_field(3, "year", 2021)
    doc.save()        # validated first, then written atomically

ruamel.yaml's round-trip mode keeps comments, key order, quoting and flow style, which PyYAML
drops; new entries are written in the file's own style (flow-style links, quoted arXiv ids).
As a guard, the edited text is compared with the original line by line, and an edit that would
change any line outside the entries it meant to change is refused before anything is written.
"""

from __future__ import annotations

import difflib
import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .catalog import Catalog, Report, bundled_path, validate_text
from .errors import CatalogError, Finding, MinisoraError
from .yamlio import atomic_write, locate, read_text

# Key order of a new entry, as in data/papers.yaml; a new key goes before the first later key.
ENTRY_ORDER = (
    "id",
    "short_name",
    "title",
    "category",
    "also_in",
    "year",
    "arxiv_id",
    "venue",
    "authors",
    "tags",
    "github",
    "links",
)
_FLOW_LISTS = frozenset({"also_in", "authors", "tags"})
_QUOTED = frozenset({"arxiv_id"})  # '2212.09748' would otherwise be read back as a number


class EditError(MinisoraError):
    """An edit that cannot be written without changing what it should not."""


class Document:
    """A valid catalogue file opened for editing. ``catalog`` and ``line()`` describe the file as
    it was read; edits show only in :meth:`text` and :meth:`save`."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else bundled_path()
        self.shown = str(path) if path is not None else str(self.path)
        self.original = read_text(self.path, self.shown)
        report = validate_text(self.original, self.shown, warnings=False)
        if report.catalog is None:
            raise CatalogError(report.errors)
        self.catalog: Catalog = report.catalog
        self._yaml: Any = None
        self._data: Any = None
        self._touched: set[int] = set()
        self._appended = 0

    def line(self, loc: Sequence[str | int]) -> int:
        """The line of a field in the file as read: ``line(("papers", 3, "title"))``."""
        return self.lines([loc])[tuple(loc)]

    def lines(self, locs: Sequence[Sequence[str | int]]) -> dict[tuple[str | int, ...], int]:
        """The lines of many fields, found in one pass over the file."""
        return locate(self.original, locs)

    def _papers(self) -> Any:
        if self._data is None:
            from ruamel.yaml import YAML
            from ruamel.yaml.util import load_yaml_guess_indent

            yaml = YAML()
            yaml.preserve_quotes = True
            yaml.width = 1 << 16  # never fold a long title onto a second line
            yaml.representer.ignore_aliases = lambda _data: True  # a shared date is no anchor
            # ruamel keeps a "\r" in blank lines and comments: edit with "\n", write back "\r\n".
            unix = self.original.replace("\r\n", "\n")
            self._data, indent, offset = load_yaml_guess_indent(unix, yaml=yaml)
            yaml.indent(mapping=2, sequence=indent or 4, offset=offset or 2)
            self._yaml = yaml
        return self._data["papers"]

    def append_paper(self, entry: Mapping[str, Any]) -> int:
        """Add a paper (plain data, as in the file) after the last one; returns its index."""
        from ruamel.yaml.comments import CommentedMap

        papers = self._papers()
        node = CommentedMap()
        for key in sorted(entry, key=_order):
            node[key] = _node(key, entry[key])
        papers.append(node)
        if len(papers) > 1:  # a blank line between entries, as in the rest of the file
            papers.yaml_set_comment_before_after_key(len(papers) - 1, before="\n", indent=0)
        self._appended += 1
        return len(papers) - 1

    def set_field(self, index: int, key: str, value: Any) -> None:
        """Set one field of paper ``index``; a new key goes where ``ENTRY_ORDER`` puts it."""
        paper = self._papers()[index]
        node = _node(key, value)
        if key in paper:
            paper[key] = node
        else:
            later = [i for i, k in enumerate(paper) if _order(k) > _order(key)]
            paper.insert(later[0] if later else len(paper), key, node)
        self._touched.add(index)

    def set_link_url(self, index: int, link: int, url: str) -> None:
        """Point link ``link`` of paper ``index`` at ``url``."""
        self._papers()[index]["links"][link]["url"] = url
        self._touched.add(index)

    @property
    def changed(self) -> bool:
        return bool(self._touched or self._appended)

    def text(self) -> str:
        """The edited file; raises :class:`EditError` if lines outside the edits would change."""
        if not self.changed:
            return self.original
        out = io.StringIO()
        self._yaml.dump(self._data, out)
        text = out.getvalue()
        if "\r\n" in self.original:
            text = text.replace("\n", "\r\n")
        self._check_untouched(text)
        return text

    def check(self) -> tuple[str, Report]:
        """The edited text and its validation report; raises CatalogError if it has errors."""
        text = self.text()
        report = validate_text(text, self.shown)
        if not report.ok:
            raise CatalogError(report.errors)
        return text, report

    def save(self) -> tuple[str, Report]:
        """Validate the edited file, then write it atomically; returns what :meth:`check` does."""
        text, report = self.check()
        if text != self.original:
            atomic_write(self.path, text)
        return text, report

    def _spans(self) -> list[tuple[int, int]]:
        """0-based line ranges [start, end) of the touched papers in the original text."""
        total, count = len(self.original.splitlines(True)), len(self.catalog.papers)
        starts = self.lines([("papers", i) for i in self._touched | {i + 1 for i in self._touched}])
        return [
            (starts[("papers", i)] - 1, starts[("papers", i + 1)] - 1 if i + 1 < count else total)
            for i in self._touched
        ]

    def _check_untouched(self, text: str) -> None:
        old, new = self.original.splitlines(True), text.splitlines(True)
        if old and not old[-1].endswith("\n"):  # the writer ends the last line: that is fine
            old[-1] += "\r\n" if "\r\n" in self.original else "\n"
        spans = self._spans()
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag == "equal" or (tag == "insert" and i1 == len(old) and self._appended):
                continue
            if not any(start <= i1 and i2 <= end for start, end in spans):
                line = min(i1 + 1, len(old))
                raise EditError(
                    f"{self.shown}:{line}: the YAML writer would also change this line; "
                    "nothing was written (please report this)"
                )


def _order(key: str) -> int:
    return ENTRY_ORDER.index(key) if key in ENTRY_ORDER else len(ENTRY_ORDER)


def _node(key: str, value: Any) -> Any:
    """A ruamel node for a value, in the file's style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    if isinstance(value, Mapping):
        flow = CommentedMap((k, v) for k, v in value.items() if v is not None)
        flow.fa.set_flow_style()
        return flow
    if isinstance(value, (list, tuple)):
        items = CommentedSeq(_node(key, v) for v in value)
        if key in _FLOW_LISTS:
            items.fa.set_flow_style()
        else:
            items.fa.set_block_style()
        return items
    if key in _QUOTED and isinstance(value, str):
        return SingleQuotedScalarString(value)
    return value


def located(doc: Document, findings: Sequence[Finding]) -> list[Finding]:
    """Findings with the document's file name and the line of their field."""
    lines = doc.lines([f.loc for f in findings]) if findings else {}
    return [replace(f, path=doc.shown, line=lines[f.loc]) for f in findings]
