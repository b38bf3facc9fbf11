"""The CLI's vocabulary: every option two commands share is declared here once, with one meaning
per flag name, and the fixed choices (formats, languages) each select a library registry.

This module imports nothing heavy, so commands declare their options without loading the code
behind them. Environment variables are read here (``envvar=``) and nowhere in the library.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from minisora.cli.complete import categories, kinds
from minisora.cli.where import locate

# Choices. Each enum's values are the keys of the registry it selects (tests/cli/test_options.py).


class ListFormat(str, Enum):
    """``minisora list``: ``table`` is a rich table on a terminal, tab-separated text in a pipe."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class ExportFormat(str, Enum):
    """``minisora export``."""

    JSON = "json"
    CSV = "csv"
    BIBTEX = "bibtex"
    YAML = "yaml"


class Lang(str, Enum):
    """The languages a README is rendered in."""

    ZH = "zh"
    EN = "en"


class LinkFormat(str, Enum):
    """``minisora check-links``."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    JUNIT = "junit"
    GITHUB = "github"


class TableFormat(str, Enum):
    """``minisora categories``: a table on a terminal, tab-separated text in a pipe, or JSON."""

    TABLE = "table"
    JSON = "json"


class RecordFormat(str, Enum):
    """``minisora show``: the fields as text, or JSON."""

    TEXT = "text"
    JSON = "json"


class FindingFormat(str, Enum):
    """``validate`` and ``verify``: one finding a line, JSON, or GitHub workflow annotations."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def format_option(help_text: str) -> Any:
    """``-f/--format``: the one name of every command's output format."""
    return typer.Option("--format", "-f", help=help_text)


# Where things are.

CatalogOption = Annotated[
    Path | None,
    typer.Option(
        "--catalog",
        envvar="MINISORA_CATALOG",
        help="Catalogue file (default: the checkout's, else the bundled one, read-only).",
        show_default=False,
        dir_okay=False,
        metavar="FILE",
        callback=locate,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout.",
        dir_okay=False,
        show_default=False,
        metavar="FILE",
    ),
]

# What to look at.

CategoryOption = Annotated[
    str | None,
    typer.Option(
        "--category",
        "-c",
        help="Only this category: id, English or Chinese name.",
        show_default=False,
        metavar="NAME",
        autocompletion=categories,
    ),
]
KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="Only links of this kind (paper, github, modelscope, ...).",
        show_default=False,
        metavar="KIND",
        autocompletion=kinds,
    ),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")]
FindingFormatOption = Annotated[
    FindingFormat, format_option("text, json, or github (workflow annotations).")
]

# Sources: arXiv and GitHub, and the way to them.


def _network(flag: str, envvar: str | list[str], help_text: str, metavar: str) -> Any:
    """An option of the network commands, read from ``envvar`` too; shown under "Network"."""
    return typer.Option(
        flag,
        envvar=envvar,
        help=help_text,
        show_default=False,
        metavar=metavar,
        rich_help_panel="Network",
    )


ArxivApiOption = Annotated[
    str | None,
    _network(
        "--arxiv-api",
        "MINISORA_ARXIV_API",
        "arXiv API query URL (default: export.arxiv.org).",
        "URL",
    ),
]
ArxivDelayOption = Annotated[
    float | None,
    _network(
        "--arxiv-delay",
        "MINISORA_ARXIV_DELAY",
        "Seconds between arXiv requests (default: 3, as arXiv asks).",
        "SECONDS",
    ),
]
RefreshOption = Annotated[
    bool,
    typer.Option(
        "--refresh", help="Ask arXiv again even for papers in the cache.", rich_help_panel="Network"
    ),
]
GithubApiOption = Annotated[
    str | None,
    _network(
        "--github-api",
        "MINISORA_GITHUB_API",
        "GitHub REST API URL (default: api.github.com).",
        "URL",
    ),
]
GithubTokenOption = Annotated[
    str | None,
    _network(
        "--github-token",
        "GITHUB_TOKEN",
        "GitHub token: 5,000 requests an hour instead of 60. Prefer the variable.",
        "TOKEN",
    ),
]
HttpsProxyOption = Annotated[
    str | None,
    _network(
        "--https-proxy", ["HTTPS_PROXY", "https_proxy"], "Proxy for https:// requests.", "URL"
    ),
]
HttpProxyOption = Annotated[
    str | None,
    _network("--http-proxy", ["HTTP_PROXY", "http_proxy"], "Proxy for http:// requests.", "URL"),
]
NoProxyOption = Annotated[
    str | None,
    _network(
        "--no-proxy",
        ["NO_PROXY", "no_proxy"],
        "Hosts asked directly, comma-separated (example.com covers its subdomains).",
        "HOSTS",
    ),
]
