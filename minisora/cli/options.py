"""The fixed choices the CLI offers (output formats, languages), in a module that imports nothing
heavy, so the CLI can declare its options without loading the code behind them."""

from __future__ import annotations

from enum import Enum


class ListFormat(str, Enum):
    """Output formats of ``minisora list``. ``table`` is a rich table on a terminal."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class ExportFormat(str, Enum):
    """The formats of ``minisora export``."""

    JSON = "json"
    CSV = "csv"
    BIBTEX = "bibtex"
    YAML = "yaml"


class Lang(str, Enum):
    """The languages of the two READMEs."""

    ZH = "zh"
    EN = "en"


class LinkFormat(str, Enum):
    """Output formats of ``minisora check-links``."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    JUNIT = "junit"
    GITHUB = "github"
