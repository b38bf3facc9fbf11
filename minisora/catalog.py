"""Load a catalogue and query it. This is the API notebooks use.

>>> from minisora import catalog
>>> cat = catalog.load()                       # the bundled catalogue
>>> cat.get("dit").links[0].url
'https://arxiv.org/abs/2212.09748'
>>> len(cat.filter(category="扩散模型", has="github")) > 0
True
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from minisora.errors import (
    CatalogError,
    CatalogWarning,
    Finding,
    NotFoundError,
    Severity,
    UsageError,
)
from minisora.models import CatalogFile, Category, Link, LinkKind, Paper
from minisora.render import lists
from minisora.store import catalog_cache
from minisora.store.config import display_path
from minisora.store.yaml_read import located, parse, paused_gc, read_utf8

__all__ = [
    "Catalog",
    "Category",
    "Link",
    "LinkKind",
    "Paper",
    "PaperList",
    "Report",
    "bundled_path",
    "load",
    "resolve",
    "validate",
    "validate_text",
]


def bundled_path() -> Path:
    """The catalogue shipped with the package (or ``data/papers.yaml`` in a source checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "data" / "papers.yaml"
    return installed if installed.exists() else here.parent / "data" / "papers.yaml"


class PaperList(list[Paper]):
    """A list of papers that renders as a table in Jupyter and converts to records for pandas."""

    def to_records(self) -> list[dict[str, Any]]:
        """Plain dicts, one per paper: ``pandas.DataFrame(papers.to_records())``."""
        return lists.records(self)

    def _repr_html_(self) -> str:
        return lists.to_html(self)

    def _repr_markdown_(self) -> str:
        return lists.to_markdown(self)


class Catalog(CatalogFile):
    """A validated catalogue with its query API. Build one with :func:`load`."""

    def category(self, name: str) -> Category:
        """A category by id, English or Chinese name or alias, case-insensitively."""
        found = self._categories_by_name.get(name.strip().casefold())
        if found is None:
            valid = "; ".join(f"{c.id} ({c.name_en} / {c.name_zh})" for c in self.categories)
            raise NotFoundError(f"unknown category {name!r}; valid categories: {valid}")
        return found

    def get(self, paper_id: str) -> Paper:
        """One paper by id (short names are accepted too, case-insensitively)."""
        paper = self._papers_by_id.get(paper_id) or self._papers_by_name.get(paper_id.casefold())
        if paper is None:
            close = difflib.get_close_matches(paper_id.lower(), self._papers_by_id, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise NotFoundError(f"no paper with id {paper_id!r}{hint}")
        return paper

    def filter(
        self,
        category: str | None = None,
        query: str | None = None,
        has: LinkKind | str | None = None,
        year: int | None = None,
    ) -> PaperList:
        """Papers matching every given condition, in catalogue order.

        ``category`` by id or name; ``query``: every word starts a word of the id, title, short
        name, venue, authors, tags or arXiv id (``DiT`` finds "DiT-XL", not "conditional"; Chinese
        words match anywhere); ``has``: a link kind; ``year``: the year.
        """
        cat_id = self.category(category).id if category is not None else None
        kind = _link_kind(has) if has is not None else None
        words = [_word_pattern(w) for w in query.casefold().split()] if query else []
        texts = self._search_texts if words else {}
        return PaperList(
            p
            for p in self.papers
            if (cat_id is None or cat_id in p.categories)
            and (kind is None or p.has(kind))
            and (year is None or p.year == year)
            and all(w.search(texts[p.id]) for w in words)
        )

    def subset(self, category: str) -> CatalogFile:
        """The papers of one category (by id or name), with the categories and reading plan they
        use: still a valid catalogue, for an export of one section."""
        papers = self.filter(category=category)
        used = {c for p in papers for c in p.categories}
        ids = {p.id for p in papers}
        return CatalogFile(
            categories=tuple(c for c in self.categories if c.id in used),
            reading_plan=tuple(i for i in self.reading_plan if i in ids),
            papers=tuple(papers),
        )

    @property
    def reading_plan_papers(self) -> PaperList:
        """The papers of the reading plan, in reading order."""
        return PaperList(self.get(paper_id) for paper_id in self.reading_plan)

    def to_records(self) -> list[dict[str, Any]]:
        """Every paper as a plain dict, ready for ``pandas.DataFrame(...)``."""
        return lists.records(self.papers)

    def count(self, category_id: str) -> int:
        return sum(category_id in p.categories for p in self.papers)

    def _repr_html_(self) -> str:
        from minisora.render.html import categories_html

        caption = (
            f"minisora catalogue: {len(self.papers)} papers in {len(self.categories)} categories"
        )
        return categories_html(((c, self.count(c.id)) for c in self.categories), caption)

    def _repr_markdown_(self) -> str:
        rows = [
            f"| {c.id} | {c.name_en} | {c.name_zh} | {self.count(c.id)} |" for c in self.categories
        ]
        head = (
            f"**minisora catalogue**: {len(self.papers)} papers "
            f"in {len(self.categories)} categories\n\n"
        )
        return head + "| id | English | 中文 | papers |\n|---|---|---|---|\n" + "\n".join(rows)

    @cached_property
    def _papers_by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    @cached_property
    def _papers_by_name(self) -> dict[str, Paper]:
        by_name = {p.short_name.casefold(): p for p in reversed(self.papers) if p.short_name}
        by_name.update((p.id.casefold(), p) for p in self.papers)
        return by_name

    @cached_property
    def _categories_by_name(self) -> dict[str, Category]:
        return {
            key.casefold(): c
            for c in self.categories
            for key in (*c.aliases, c.name_en, c.name_zh, c.id)
        }

    @cached_property
    def _search_texts(self) -> dict[str, str]:
        return {
            p.id: " ".join(
                filter(
                    None, (p.id, p.title, p.short_name, p.venue, p.arxiv_id, *p.authors, *p.tags)
                )
            ).casefold()
            for p in self.papers
        }


def _word_pattern(word: str) -> re.Pattern[str]:
    """Where ``word`` may match: at the start of a word, or anywhere for a script written without
    spaces (Chinese, Japanese)."""
    if word[0].isascii() or unicodedata.category(word[0]) != "Lo":
        return re.compile(r"(?<![^\W_])" + re.escape(word))
    return re.compile(re.escape(word))


def _link_kind(value: LinkKind | str) -> LinkKind:
    try:
        return LinkKind(str(value).lower())
    except ValueError:
        kinds = ", ".join(k.value for k in LinkKind)
        raise UsageError(f"unknown link kind {value!r}; use one of: {kinds}") from None


@dataclass(frozen=True)
class Report:
    """What :func:`validate` found: every finding, and the catalogue when it has no errors."""

    path: str
    findings: tuple[Finding, ...]
    catalog: Catalog | None
    readable: Catalog | None = None  # every entry valid; errors, if any, lie across entries

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        return not self.errors

    def _repr_html_(self) -> str:
        from minisora.render.html import findings_html

        verdict = "valid" if self.ok else "invalid"
        caption = (
            f"{self.path}: {verdict}, {len(self.errors)} errors, {len(self.warnings)} warnings"
        )
        return findings_html(self.findings, caption)


class CatalogPath(NamedTuple):
    """A catalogue file, and its name as messages show it."""

    file: Path
    shown: str


def resolve(path: str | os.PathLike[str] | None) -> CatalogPath:
    """The catalogue file to read (the bundled one for None), and its name as messages show it."""
    if path is None:
        bundled = bundled_path()
        return CatalogPath(bundled, str(display_path(bundled)))
    return CatalogPath(Path(path), str(path))


def validate(path: str | os.PathLike[str] | None = None, *, warnings: bool = True) -> Report:
    """Read and check a catalogue file; every error and warning, each with file, line and field.

    With ``warnings=False`` only errors are reported, and warnings are not even located.
    """
    file, shown = resolve(path)
    try:
        raw = read_utf8(file, shown)
    except CatalogError as exc:
        return Report(shown, exc.findings, None)
    return validate_text(raw, shown, warnings=warnings)


def validate_text(text: str | bytes, shown: str = "<text>", *, warnings: bool = True) -> Report:
    """Check catalogue text that is not (yet) a file, such as an edit about to be saved."""
    # Only here, not at import: a catalogue that comes from the cache needs neither.
    from minisora.core import rules
    from minisora.core.schema_errors import findings_from_validation_error

    paper_errors: list[Finding] = []

    def validated_paper(item: Any, index: int) -> Paper | None:
        # Papers are validated as they are parsed, so the plain data of a large catalogue and
        # its models never fill memory together.
        try:
            return Paper.model_validate(item)
        except ValidationError as exc:
            found = findings_from_validation_error(exc, prefix=("papers", index))
            paper_errors.extend(found)
            return None

    def in_file(found: list[Finding]) -> tuple[Finding, ...]:
        return tuple(located(text, shown, found))

    try:
        data = parse(text, shown, items={"papers": validated_paper})
    except CatalogError as exc:
        return Report(shown, exc.findings, None)
    if not isinstance(data, dict) or not data.keys() & set(CatalogFile.model_fields):
        # One line for a file that is no catalogue at all, not one per unknown key.
        what = (
            "empty"
            if data is None
            else "not a catalogue"
            if isinstance(data, dict)
            else f"a {type(data).__name__}, not a mapping"
        )
        msg = f"the file is {what}; it needs the keys categories, reading_plan and papers"
        return Report(shown, (Finding(shown, 1, (), msg),), None)
    if isinstance(data.get("papers"), list):
        data["papers"] = [p for p in data["papers"] if p is not None]
    try:
        with paused_gc():
            cat = Catalog.model_validate(data)
    except ValidationError as exc:
        found = findings_from_validation_error(exc)
        errors = sorted([*paper_errors, *found], key=_file_order)
        return Report(shown, in_file(errors), None)
    if paper_errors:
        return Report(shown, in_file(paper_errors), None)
    del data
    with paused_gc():
        found = rules.run(cat)
    findings = in_file([f for f in found if warnings or f.severity is Severity.ERROR])
    ok = not any(f.severity is Severity.ERROR for f in findings)
    return Report(shown, findings, cat if ok else None, cat)


_SECTIONS = {"categories": 0, "reading_plan": 1, "papers": 2}


def _file_order(finding: Finding) -> tuple[int, int]:
    """Sections in the order a catalogue file holds them, papers by index."""
    loc = finding.loc
    index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else -1
    return (_SECTIONS.get(str(loc[0]), 3) if loc else -1, index)


def load(path: str | os.PathLike[str] | None = None, *, strict: bool = True) -> Catalog:
    """Load and validate a catalogue; the bundled one when ``path`` is None.

    Raises :class:`~minisora.errors.CatalogError` listing every error, each with file and line.
    With ``strict=False`` a catalogue whose every entry is valid loads even with errors across
    entries (a URL under two papers, an unknown category), to look at what is wrong: one
    :class:`~minisora.errors.CatalogWarning` says how many and to run ``minisora validate``.
    A catalogue whose exact bytes loaded before comes from the cache (see ``catalog_cache``).
    """
    file, shown = resolve(path)
    raw = read_utf8(file, shown)
    cached = catalog_cache.get(raw, Catalog)
    if cached is not None:
        return cached
    report = validate_text(raw, shown, warnings=False)
    if report.catalog is None and not strict and report.readable is not None:
        n = len(report.errors)
        warnings.warn(
            f"{shown} has {n} error{'s' if n != 1 else ''} across entries; "
            f"run `minisora validate {shown}` to see them",
            CatalogWarning,
            stacklevel=2,
        )
        return report.readable
    if report.catalog is None:
        raise CatalogError(report.errors)
    catalog_cache.put(raw, report.catalog)
    return report.catalog
