"""Whole-catalogue exports: JSON, CSV, BibTeX and YAML, optionally for one category.

>>> from minisora import catalog, render
>>> render.export(catalog.load(), "bibtex", category="Diffusion Transformer").count("@")
5
"""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import Catalog
from ..choices import ExportFormat
from ..errors import UsageError
from ..formats import to_csv, to_json
from ..models import CatalogFile
from ..writer import to_yaml
from .bibtex import to_bibtex

EXPORTERS: dict[ExportFormat, Callable[[CatalogFile], str]] = {
    ExportFormat.JSON: lambda cat: to_json(cat.papers),
    ExportFormat.CSV: lambda cat: to_csv(cat.papers),
    ExportFormat.BIBTEX: lambda cat: to_bibtex(cat.papers),
    ExportFormat.YAML: to_yaml,
}


def subset(cat: Catalog, category: str) -> CatalogFile:
    """The papers of one category (by id or name), with the categories they use: still a valid
    catalogue."""
    papers = cat.filter(category=category)
    used = {c for p in papers for c in p.categories}
    ids = {p.id for p in papers}
    return CatalogFile(
        categories=tuple(c for c in cat.categories if c.id in used),
        reading_plan=tuple(i for i in cat.reading_plan if i in ids),
        papers=tuple(papers),
    )


def export(cat: Catalog, fmt: ExportFormat | str, category: str | None = None) -> str:
    """The catalogue (or one category of it) in ``fmt``: json, csv, bibtex or yaml."""
    try:
        fmt = ExportFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise UsageError(f"unknown export format {fmt!r}; use one of: {choices}") from None
    return EXPORTERS[fmt](subset(cat, category) if category is not None else cat)
