"""A typer app with the same options as `minisora list` that does nothing: the floor of start-up.

typer parses options through pydantic TypeAdapters (typer >= 0.20), so any typer CLI pays for
pydantic's model machinery at start-up, beyond `import typer, pydantic`. startup.py runs this
to separate that cost from minisora's own work.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import rich.table  # noqa: F401 - the same imports as the baseline
import typer
import yaml  # noqa: F401

app = typer.Typer()


class Format(str, Enum):
    TABLE = "table"
    JSON = "json"


@app.command("list")
def list_papers(
    category: Annotated[str | None, typer.Option("--category", "-c")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q")] = None,
    has: Annotated[str | None, typer.Option("--has")] = None,
    year: Annotated[int | None, typer.Option("--year")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
    catalog: Annotated[Path | None, typer.Option("--catalog")] = None,
) -> None:
    """Do nothing."""


@app.command()
def other() -> None:
    """A second command, so that `list` is a subcommand as in minisora."""


if __name__ == "__main__":
    app()
