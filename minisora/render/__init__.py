"""Data out: README tables (``tables``), the README region (``readme``), lists of papers
(``lists``), whole-catalogue exports (``exports``, ``bibtex``), the JSON Schema (``schema``) and
GitHub annotations (``annotations``).

>>> from minisora import catalog
>>> from minisora.render import tables
>>> tables.markdown(catalog.load(), lang="zh").startswith("## ")
True
"""
