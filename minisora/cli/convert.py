"""``minisora render``, ``import``, ``export`` and ``schema``: Markdown in and out, and exports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from minisora.cli.app import CatalogOption, app, fail, finding_text, load_catalog, stderr
from minisora.cli.options import ExportFormat, Lang

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file (atomically) instead of stdout.", dir_okay=False
    ),
]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from minisora.store.files import save

    save(output, text, force=True)
    stderr().print(f"wrote {output}")


@app.command()
def render(
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="zh (Chinese) or en (English).")] = (
        Lang.EN
    ),
    output: OutputOption = None,
    write: Annotated[
        bool, typer.Option("--write", help="Rewrite the generated region of both READMEs.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 1 with a diff when either README is out of date."),
    ] = False,
    root: Annotated[
        Path, typer.Option("--root", help="Folder of README.md and README_EN.md.", file_okay=False)
    ] = Path("."),
    catalog: CatalogOption = None,
) -> None:
    """Print the catalogue as the README's Markdown: the reading plan and one table per category.

    Example: [bold]minisora render --lang zh[/bold]; CI runs [bold]minisora render --check[/bold].
    """
    from minisora.render import readme, tables

    if write and check:
        fail("use --write or --check, not both", 2)
    cat = load_catalog(catalog, strict=write or check)
    if check:
        diff = readme.readme_diff(cat, root)
        if diff:
            sys.stdout.write(diff)
            fail("the READMEs are out of date: run `minisora render --write`", 1)
        stderr().print(Text("README.md and README_EN.md are up to date", style="green"))
    elif write:
        changed = readme.write_readmes(cat, root)
        names = ", ".join(str(path) for path in changed)
        stderr().print(
            f"updated {names}" if changed else "README.md and README_EN.md are up to date"
        )
    else:
        _emit(tables.markdown(cat, lang), output)


@app.command("import")
def import_command(
    source: Annotated[
        Path,
        typer.Argument(metavar="LIST.md", help="An awesome-list README.", dir_okay=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Catalogue file to write (stdout without it).", dir_okay=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --output.")] = False,
    zh: Annotated[
        Path | None,
        typer.Option(
            "--zh",
            metavar="LIST_zh.md",
            help="The Chinese twin of the list: its sections name the categories in Chinese.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Turn a Markdown list (tables or bullets) into a catalogue; warnings name each line.

    Example: [bold]minisora import README.md --zh README_zh-CN.md --output data/papers.yaml[/bold]
    """
    from minisora.errors import Severity
    from minisora.importers.markdown import import_list

    result = import_list(source, output, force=force, zh=zh)
    console = stderr()
    for finding in result.warnings:
        console.print(finding_text(finding))
    for line in result.summary():
        console.print(f"folded: {line}")
    if output is None:
        sys.stdout.write(result.to_yaml())
    cat = result.catalog
    found = [f for f in result.check() if f.severity is not Severity.INFO]
    errors = sum(f.severity is Severity.ERROR for f in found)
    console.print(
        f"{source}: {result.rows} rows and {result.links} links -> {len(cat.papers)} papers in "
        f"{len(cat.categories)} categories, {len(result.warnings)} import warnings"
        + (f"; wrote {output}" if output else "")
    )
    if found:
        target = output or "the catalogue"
        console.print(
            f"`minisora validate {target}` reports {errors} errors and "
            f"{len(found) - errors} warnings to fix in the catalogue"
        )


@app.command()
def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json, csv, bibtex or yaml.")
    ] = ExportFormat.JSON,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="Only this category (id or name).")
    ] = None,
    output: OutputOption = None,
    catalog: CatalogOption = None,
) -> None:
    """Export the catalogue: JSON, CSV (one row per paper), BibTeX (for Zotero/JabRef) or YAML.

    Example: [bold]minisora export --format bibtex --category "Diffusion Transformer"[/bold]
    """
    from minisora.render.exports import export as export_catalog

    cat = load_catalog(catalog)
    _emit(export_catalog(cat.subset(category) if category is not None else cat, fmt.value), output)


@app.command()
def schema(output: OutputOption = None) -> None:
    """Print the JSON Schema of papers.yaml (editors use it to validate and complete entries).

    Example: [bold]minisora schema --output schema/papers.schema.json[/bold]
    """
    from minisora.render.schema import schema_json

    _emit(schema_json(), output)
