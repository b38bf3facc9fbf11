"""The ``minisora`` command line: a thin typer layer over the library.

Each command lives in a module of this package and registers itself on :data:`app`; the modules
import the library lazily so that ``minisora list`` never pays for network code.
"""

from __future__ import annotations

import os

from minisora.cli import browse, convert, curate, links, site, validate  # noqa: F401  (importing registers the commands)
from minisora.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``minisora`` script."""
    # pydantic looks for plugins in every installed package's metadata the first time it builds
    # a model (30 ms, a fifth of start-up); the CLI uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="minisora")
