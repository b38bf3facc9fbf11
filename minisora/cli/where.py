"""Which catalogue a command works on: ``--catalog`` (or ``$MINISORA_CATALOG``), else the one of
the checkout around the working directory, else the bundled one, which is read-only."""

from __future__ import annotations

import os
from pathlib import Path

from minisora.errors import UsageError
from minisora.store.config import display_path, find_project


def catalog_file(given: Path | None) -> Path | None:
    """The catalogue a command works on: ``--catalog`` (or ``$MINISORA_CATALOG``), else the
    checkout's, else None for the bundled one."""
    if given is not None:
        return given
    found = find_project()
    return display_path(found.catalog) if found else None


def catalog_origin() -> str:
    """Which catalogue is in use and why, for ``minisora --version``."""
    from minisora.catalog import bundled_path

    given = os.environ.get("MINISORA_CATALOG")
    if given:
        return f"{given} (from $MINISORA_CATALOG)"
    found = find_project()
    if found is None:
        return f"{bundled_path()} (bundled, read-only: no checkout around {Path.cwd()})"
    why = found.settings.name if found.settings else "data/papers.yaml"
    return f"{display_path(found.catalog)} (the checkout at {found.root}, found by its {why})"


def writable_catalog(given: Path | None) -> Path:
    """The catalogue file a command may change; the bundled one never is."""
    path = catalog_file(given)
    if path is None:
        raise UsageError(
            "no catalogue file to change here: the bundled catalogue is read-only. Run inside a "
            "checkout of your list (one with data/papers.yaml, a minisora.toml or "
            "[tool.minisora] in pyproject.toml), or name the file with --catalog FILE "
            "(or $MINISORA_CATALOG)"
        )
    return path


def locate(ctx: object, param: object, value: Path | None) -> Path | None:
    """The ``--catalog`` option's callback: fills in the checkout's catalogue."""
    return catalog_file(value)


def feeds_readmes(path: Path | None) -> bool:
    """True when ``path`` is the checkout's catalogue, the one its README tables come from."""
    found = find_project()
    return path is not None and found is not None and path.resolve() == found.catalog.resolve()
