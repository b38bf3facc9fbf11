"""Where minisora keeps what it may reuse between runs, and for how long by default.

Every cache of a process lives under one folder, ``~/.cache/minisora`` unless :func:`use` names
another (the CLI passes ``$MINISORA_CACHE_DIR``, else ``$XDG_CACHE_HOME/minisora``, and turns the
catalogue cache off for ``MINISORA_NO_CACHE=1``). In a notebook::

    from minisora.store import cache_dir
    cache_dir.use("/tmp/minisora-cache", catalogues=False)
"""

from __future__ import annotations

import os
from pathlib import Path

DAY = 86400.0  # seconds: the unit of every cache's max age


def home_dir() -> Path:
    """The folder used when none is chosen: ``~/.cache/minisora``."""
    return Path.home() / ".cache" / "minisora"


_chosen: Path | None = None
_catalogues = True


def use(directory: str | os.PathLike[str] | None, *, catalogues: bool = True) -> None:
    """Keep caches in ``directory`` from now on (None: :func:`home_dir`); ``catalogues=False``
    stops keeping validated catalogues (they are read afresh every time)."""
    global _chosen, _catalogues
    _chosen = Path(directory) if directory is not None else None
    _catalogues = catalogues


def default_dir() -> Path:
    """The folder chosen with :func:`use`, else :func:`home_dir`."""
    return _chosen or home_dir()


def catalogues_kept() -> bool:
    """False when :func:`use` turned the catalogue cache off."""
    return _catalogues
