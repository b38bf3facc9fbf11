"""``minisora validate``: check a catalogue file and report every problem with file:line."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from minisora.cli.app import CatalogOption, app, count, finding_text, stderr
from minisora.errors import Finding, Severity
from minisora.render.annotations import annotation


class ReportFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def _github(f: Finding) -> str:
    level = "error" if f.severity is Severity.ERROR else "warning"
    return annotation(level, f.message, file=f.path, line=f.line, title=f.field or f.rule)


@app.command("validate")
def validate_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Catalogue file (default: --catalog, $MINISORA_CATALOG or the bundled one).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="text, json, or github (workflow annotations)."),
    ] = (ReportFormat.TEXT),
    catalog: CatalogOption = None,
) -> None:
    """Check a catalogue: schema, ids, categories, duplicates, arXiv ids, encoding damage.

    Prints every problem as FILE:LINE: FIELD: MESSAGE. Exit 0 when valid, 1 when not.

    Example: [bold]minisora validate data/papers.yaml[/bold]
    """
    from minisora.catalog import validate

    report = validate(path or catalog)
    if fmt is ReportFormat.JSON:
        rows = [f.to_dict() for f in report.findings]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is ReportFormat.GITHUB:
        sys.stdout.write("".join(_github(f) for f in report.findings))
    else:
        console = stderr()
        for f in report.findings:
            console.print(finding_text(f))
    failed = bool(report.errors) or (strict and bool(report.warnings))
    errors, warnings = count(len(report.errors), "error"), count(len(report.warnings), "warning")
    summary = f"{report.path}: {errors}, {warnings}"
    if report.catalog is not None:
        summary += (
            f"; {len(report.catalog.papers)} papers in {len(report.catalog.categories)} categories"
        )
    stderr().print(Text(summary, style="red" if failed else "green"))
    raise typer.Exit(1 if failed else 0)
