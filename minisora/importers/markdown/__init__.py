"""Import an awesome-list README, table style (like the Mini Sora seed) or bullet style.

>>> from minisora.importers import markdown
>>> result = markdown.import_list("README.md", output="papers.yaml")   # doctest: +SKIP
>>> result.rows, len(result.catalog.papers), str(result.warnings[0])  # doctest: +SKIP
(361, 339, 'README.md:378: row number 4 repeats (render numbers rows again)')

How a list becomes a catalogue (one module per step):

- ``source``: control characters are removed and text damaged by a wrong encoding repaired,
  each with a warning naming the line.
- ``blocks`` (with ``inline`` and ``columns``): headings (Markdown ``###`` or ``<h3>`` inside a
  table row) become categories: the shallowest heading level that directly holds rows is the
  category level, deeper headings become tags. A table's header row (``Title | arXiv | Github |
  WebSite | Pub. & Date``) says what each column holds, whatever its position.
- ``rows``: a table row or a bullet item with at least one absolute link becomes a paper: ``N)
  **Short**: Title`` gives the short name and title, link labels give kinds (``GitHub`` -> github,
  ``CVPR 23 Paper`` -> paper with venue CVPR and year 2023), notes such as ``(Feb., 2026)`` or
  ``CVPR 2024`` give year and venue, the text after a bullet's title is its description, unknown
  labels are kept as kind ``other``. A paper listed under several headings becomes one paper with
  ``also_in``. Redundant links (the title link and its badge, the ``/pdf/`` and ``/abs/`` pages of
  one arXiv id) are folded to one, counted once in the summary.
- A list under a "reading plan" heading (论文共读计划, Paper Reading Program) becomes the
  reading plan. If the list has tables, other bullet lists (news, contents) are not papers.
- ``pairing``: a second-language twin of the list (``zh``) pairs its sections and rows with the
  first: its headings become the Chinese names, its rows add what the first language lacks.

Every repair and every guess is a warning with the line it comes from.
"""

from __future__ import annotations

import os
from pathlib import Path

from minisora.errors import CatalogError, Finding
from minisora.importers.markdown.blocks import PLAN_HEADINGS, Entry, blocks, parser, sections
from minisora.importers.markdown.pairing import pair_headings
from minisora.importers.markdown.result import ImportResult, catalog
from minisora.importers.markdown.rows import Importer
from minisora.importers.markdown.source import clean_lines
from minisora.store.files import save
from minisora.store.yaml_read import paused_gc, read_text

__all__ = ["ImportResult", "import_list", "load", "parse"]


def _entries(imp: Importer, text: str) -> list[Entry]:
    fixed, notes = clean_lines(text)
    for line, message, rule in notes:
        imp.warn(line, message, rule)
    md = parser()
    return sections(list(blocks(md, md.parse(fixed))))


def _split(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The rows that are papers, and the items of the reading plan."""
    plan = [e for e in entries if e.is_item and e.path and PLAN_HEADINGS.search(e.path[-1].name)]
    rows = [e for e in entries if not e.is_item and e.has_links]
    if not rows:
        in_plan = {id(e) for e in plan}
        rows = [e for e in entries if e.is_item and e.has_links and id(e) not in in_plan]
    return rows, plan


def parse(
    text: str, source: str = "<markdown>", zh: str | None = None, zh_source: str = "<zh>"
) -> ImportResult:
    """Read a Markdown list into a catalogue; warnings name the source and line. With ``zh``,
    the Chinese twin of the list names the categories in Chinese and adds its own rows."""
    # Millions of tokens and drafts that hold no cycles: the collector would walk them again and
    # again (30 % of the time at 20k rows). See store.yaml_read.paused_gc.
    with paused_gc():
        return _parse(text, source, zh, zh_source)


def _parse(text: str, source: str, zh: str | None, zh_source: str) -> ImportResult:
    imp = Importer(source)
    rows, plan = _split(_entries(imp, text))
    if not rows and not plan:
        raise CatalogError([Finding(source, None, (), "no table rows or list items with links")])
    imp.numbering(rows)
    nearest = [e.path[-1].level for e in rows if e.path]
    level = min(nearest) if nearest else None
    for entry in rows:
        imp.entry(entry, level)
    for entry in plan:
        if entry.has_links:
            imp.plan_item(entry)
    count = len(rows)
    if zh is not None:
        imp.source, imp.pairing = zh_source, True
        zh_rows, _ = _split(_entries(imp, zh))
        imp.numbering(zh_rows)
        pair_headings(imp, rows, zh_rows, level)
        for entry in zh_rows:
            imp.entry(entry, level)
        imp.source, count = source, count + len(zh_rows)
    return ImportResult(
        catalog(imp), tuple(imp.warnings), source, count, imp.links, dict(imp.folds)
    )


def load(path: str | os.PathLike[str], zh: str | os.PathLike[str] | None = None) -> ImportResult:
    """Read and import a Markdown file (UTF-8; text damaged by a wrong encoding is repaired),
    with its Chinese twin ``zh`` when given."""
    shown = str(path)
    zh_text = read_text(Path(zh), str(zh)) if zh is not None else None
    return parse(read_text(Path(path), shown), shown, zh_text, str(zh))


def import_list(
    path: str | os.PathLike[str],
    output: str | os.PathLike[str] | None = None,
    force: bool = False,
    zh: str | os.PathLike[str] | None = None,
) -> ImportResult:
    """Import ``path`` (and its Chinese twin ``zh``); with ``output``, also write the catalogue
    there (atomically, and over an existing file only with ``force``)."""
    result = load(path, zh)
    if output is not None:
        save(output, result.to_yaml(), force=force)
    return result
