"""Whole-catalogue exports: JSON, CSV, BibTeX and YAML, optionally for one category.

>>> from minisora import catalog
>>> from minisora.render.exports import export
>>> print(export(catalog.load().subset("Diffusion Transformer"), "bibtex")[:20])
@inproceedings{uvit,
"""

from __future__ import annotations

from collections.abc import Callable

from minisora.core.choices import choose
from minisora.models import CatalogFile
from minisora.render.bibtex import to_bibtex
from minisora.render.lists import to_csv, to_json
from minisora.store.house_style import to_yaml

EXPORTERS: dict[str, Callable[[CatalogFile], str]] = {
    "json": lambda cat: to_json(cat.papers),
    "csv": lambda cat: to_csv(cat.papers),
    "bibtex": lambda cat: to_bibtex(cat.papers),
    "yaml": to_yaml,
}


def export(cat: CatalogFile, fmt: str) -> str:
    """The catalogue (or a part of it: ``Catalog.subset``) in ``fmt``: json, csv, bibtex or yaml."""
    return EXPORTERS[choose(fmt, EXPORTERS, "export format")](cat)
