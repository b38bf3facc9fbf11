"""Data out: the README's Markdown, the README region, BibTeX/CSV/JSON/YAML exports, the schema.

>>> from minisora import catalog, render
>>> text = render.markdown(catalog.load(), lang="zh")      # the bilingual README tables
>>> render.readme_diff(catalog.load(), root=".")            # what `render --check` shows
''
"""

from __future__ import annotations

from .bibtex import to_bibtex
from .exports import ExportFormat, export
from .markdown import Lang, markdown
from .readme import readme_diff, readmes, replace_region, write_readmes
from .schema import schema, schema_json

__all__ = [
    "ExportFormat",
    "Lang",
    "export",
    "markdown",
    "readme_diff",
    "readmes",
    "replace_region",
    "schema",
    "schema_json",
    "to_bibtex",
    "write_readmes",
]
