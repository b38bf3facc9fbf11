"""The link checker: is every link of the catalogue (or of any list) still alive?

>>> from minisora import catalog, linkcheck
>>> targets = linkcheck.from_catalog(catalog.load(), kind="github")
>>> report = linkcheck.check_sync(targets, linkcheck.Settings(timeout=5))  # doctest: +SKIP
>>> [(r.url, r.status) for r in report.broken]  # doctest: +SKIP
[]

``check`` is the async API; ``check_sync`` also works inside a running loop (Jupyter). The
network half (``check``, ``check_sync``, ``Settings``, ``accept_rules``) is imported on first
use, so reading targets, caches and reports never loads aiohttp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from minisora.linkcheck.cache import LinkCache, parse_duration
from minisora.linkcheck.report import RENDERERS
from minisora.linkcheck.results import LinkReport, Result, Target, Verdict
from minisora.linkcheck.targets import (
    exclude,
    from_catalog,
    from_file,
    from_markdown,
    from_url_list,
    group_by_url,
)

if TYPE_CHECKING:
    from minisora.linkcheck.checker import Settings, check, check_sync
    from minisora.linkcheck.classify import accept_rules

_NETWORK = {
    "Settings": "checker",
    "check": "checker",
    "check_sync": "checker",
    "accept_rules": "classify",
}

__all__ = [
    "RENDERERS",
    "LinkCache",
    "LinkReport",
    "Result",
    "Settings",
    "Target",
    "Verdict",
    "accept_rules",
    "check",
    "check_sync",
    "exclude",
    "from_catalog",
    "from_file",
    "from_markdown",
    "from_url_list",
    "group_by_url",
    "parse_duration",
]


def __getattr__(name: str) -> Any:
    if name in _NETWORK:
        return getattr(importlib.import_module(f".{_NETWORK[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
