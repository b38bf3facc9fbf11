"""``minisora site``: the searchable web page of the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minisora.cli.app import app, count, load_catalog, stderr
from minisora.cli.options import CatalogOption


@app.command()
def site(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Folder to write index.html into (created if needed).",
            file_okay=False,
        ),
    ] = Path("site"),
    catalog: CatalogOption = None,
) -> None:
    """Build a static, searchable web page of the catalogue: one index.html that works offline.

    Example: [bold]minisora site -o site[/bold], then open site/index.html in a browser.
    """
    from minisora.render.site import write_site

    cat = load_catalog(catalog)
    written = write_site(cat, output)
    names = ", ".join(str(path) for path in written)
    stderr().print(f"wrote {names} ({count(len(cat.papers), 'paper')})")
