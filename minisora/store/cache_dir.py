"""Where minisora keeps what it may reuse between runs."""

from __future__ import annotations

import os
from pathlib import Path


def default_dir() -> Path:
    """``$MINISORA_CACHE_DIR``, else ``$XDG_CACHE_HOME/minisora``, else ``~/.cache/minisora``."""
    if os.environ.get("MINISORA_CACHE_DIR"):
        return Path(os.environ["MINISORA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "minisora"
