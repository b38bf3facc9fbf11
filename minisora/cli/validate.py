"""``minisora validate``: check a catalogue file and report every problem with file:line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from minisora.cli.app import app, count, findings_exit_code, print_findings, stderr
from minisora.cli.options import CatalogOption, FindingFormat, FindingFormatOption, StrictOption


@app.command("validate")
def validate_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue file (default: --catalog, $MINISORA_CATALOG, the checkout's, else "
            "the bundled one).",
            metavar="FILE",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    strict: StrictOption = False,
    fmt: FindingFormatOption = FindingFormat.TEXT,
    catalog: CatalogOption = None,
) -> None:
    """Check a catalogue: schema, ids, categories, duplicates, arXiv ids, encoding damage.

    Prints every problem as FILE:LINE: FIELD: MESSAGE. Exit 0 when valid, 1 when not, 2 when
    the file is missing.

    Example: [bold]minisora validate data/papers.yaml[/bold]
    """
    from minisora.catalog import validate

    report = validate(path or catalog)
    if fmt is FindingFormat.JSON:
        rows = [f.to_dict() for f in report.findings]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        print_findings(report.findings, github=fmt is FindingFormat.GITHUB)
    failed = bool(report.errors) or (strict and bool(report.warnings))
    errors, warnings = count(len(report.errors), "error"), count(len(report.warnings), "warning")
    summary = f"{report.path}: {errors}, {warnings}"
    if report.catalog is not None:
        summary += (
            f"; {len(report.catalog.papers)} papers in {len(report.catalog.categories)} categories"
        )
    stderr().print(Text(summary, style="red" if failed else "green"))
    raise typer.Exit(findings_exit_code(report.findings) if failed else 0)
