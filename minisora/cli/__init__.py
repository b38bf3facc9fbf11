"""The ``minisora`` command line: a thin typer layer over the library.

Each command lives in a module of this package and registers itself on :data:`app`; the modules
import the library lazily so that ``minisora list`` never pays for network code.
"""

from __future__ import annotations

from . import browse, links, markdown, metadata, validate  # noqa: F401  (importing registers the commands)
from ._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``minisora`` script."""
    app()
