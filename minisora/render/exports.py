"""Whole-catalogue exports: JSON, CSV, BibTeX and YAML, optionally for one category.

>>> from minisora import catalog
>>> from minisora.render.exports import export
>>> print(export(catalog.load(), "bibtex", category="Diffusion Transformer")[:20])
@inproceedings{uvit,
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from minisora.core.choices import choose
from minisora.models import CatalogFile
from minisora.render.bibtex import to_bibtex
from minisora.render.lists import to_csv, to_json
from minisora.store.house_style import to_yaml

if TYPE_CHECKING:
    from minisora.catalog import Catalog

EXPORTERS: dict[str, Callable[[CatalogFile], str]] = {
    "json": lambda cat: to_json(cat.papers),
    "csv": lambda cat: to_csv(cat.papers),
    "bibtex": lambda cat: to_bibtex(cat.papers),
    "yaml": to_yaml,
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


def export(cat: Catalog, fmt: str, category: str | None = None) -> str:
    """The catalogue (or one category of it) in ``fmt``: json, csv, bibtex or yaml."""
    name = choose(fmt, EXPORTERS, "export format")
    return EXPORTERS[name](subset(cat, category) if category is not None else cat)
