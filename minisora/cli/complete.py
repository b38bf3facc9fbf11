"""Shell completion: category names, paper ids and link kinds from the catalogue in use.

Completion must never fail or print: anything that goes wrong completes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from minisora.catalog import Catalog


def _catalog(ctx: typer.Context) -> Catalog | None:
    from minisora.catalog import load

    given = ctx.params.get("catalog")  # the --catalog option has found the checkout's already
    try:
        return load(given if isinstance(given, Path) else None)
    except Exception:  # a missing or broken catalogue completes nothing
        return None


def _matching(names: Iterable[tuple[str, str]], incomplete: str) -> list[tuple[str, str]]:
    start = incomplete.casefold()
    return [(name, about) for name, about in names if name.casefold().startswith(start)]


def categories(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Category ids, English and Chinese names."""
    cat = _catalog(ctx)
    if cat is None:
        return []
    names = [(c.id, c.name_en) for c in cat.categories]
    names += [(name, c.id) for c in cat.categories for name in (c.name_en, c.name_zh)]
    return _matching(names, incomplete)


def paper_ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Paper ids, each with its title."""
    cat = _catalog(ctx)
    return _matching(((p.id, p.title) for p in cat.papers), incomplete) if cat else []


def kinds(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The link kinds."""
    from minisora.models import LinkKind

    return _matching(((k.value, k.label) for k in LinkKind), incomplete)
