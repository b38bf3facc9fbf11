"""Where minisora keeps what it may reuse between runs, and for how long by default."""

from __future__ import annotations

import os
from pathlib import Path

DAY = 86400.0  # seconds: the unit of every cache's max age


def default_dir() -> Path:
    """``$MINISORA_CACHE_DIR``, else ``$XDG_CACHE_HOME/minisora``, else ``~/.cache/minisora``."""
    if os.environ.get("MINISORA_CACHE_DIR"):
        return Path(os.environ["MINISORA_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "minisora"
