"""``minisora render``, ``import``, ``export`` and ``schema``: Markdown in and out, and exports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from minisora.cli.app import app, count, fail, finding_text, load_catalog, stderr
from minisora.cli.options import (
    CatalogOption,
    CategoryOption,
    ExportFormat,
    Lang,
    OutputOption,
    format_option,
)
from minisora.store.config import display_path


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from minisora.store.files import save

    save(output, text, force=True)
    stderr().print(f"wrote {output}")


@app.command()
def render(
    lang: Annotated[
        Lang, typer.Option("--lang", "-l", help="Print in zh (Chinese) or en (English).")
    ] = (Lang.EN),
    output: OutputOption = None,
    write: Annotated[
        bool, typer.Option("--write", help="Rewrite the generated region of every README.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 1 with a diff when a README is out of date."),
    ] = False,
    root: Annotated[
        Path | None,
        typer.Option(
            "--root",
            help="Folder of the READMEs (default: the checkout's, else the working directory).",
            file_okay=False,
            show_default=False,
            metavar="DIR",
        ),
    ] = None,
    catalog: CatalogOption = None,
) -> None:
    """Print the catalogue as the README's Markdown: the reading plan and one table per category.

    --write and --check act on the READMEs the checkout names (README.md in Chinese and
    README_EN.md in English unless its minisora.toml or [tool.minisora] says otherwise).

    Example: [bold]minisora render --lang zh[/bold]; CI runs [bold]minisora render --check[/bold].
    """
    from minisora.render import readme, tables
    from minisora.store.config import DEFAULT_READMES, find_project, project_at

    if write and check:
        fail("use --write or --check, not both", 2)
    cat = load_catalog(catalog, strict=write or check)
    if not (check or write):
        _emit(tables.markdown(cat, lang), output)
        return
    found = project_at(root) if root is not None else find_project()
    folder = found.root if found else (root or Path("."))
    targets = found.readmes if found else DEFAULT_READMES
    names = ", ".join(str(folder / t.path) if root else t.path for t in targets)
    if check:
        diff = readme.readme_diff(cat, folder, targets)
        if diff:
            sys.stdout.write(diff)
            fail("the READMEs are out of date: run `minisora render --write`", 1)
        stderr().print(Text(f"{names}: up to date", style="green"))
    else:
        changed = readme.write_readmes(cat, folder, targets)
        updated = ", ".join(str(display_path(path)) for path in changed)
        stderr().print(f"updated {updated}" if changed else f"{names}: up to date")


@app.command("import")
def import_command(
    source: Annotated[
        Path,
        typer.Argument(metavar="LIST.md", help="An awesome-list README.", dir_okay=False),
    ],
    output: OutputOption = None,
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

    if output is not None and output.exists() and not force:
        fail(f"{output} already exists; overwrite it with --force", 2)
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
        console.print(
            f"`minisora validate {output or 'the catalogue'}` reports "
            f"{count(errors, 'error')} and {count(len(found) - errors, 'warning')} "
            "to fix in the catalogue"
        )


@app.command()
def export(
    fmt: Annotated[ExportFormat, format_option("json, csv, bibtex or yaml.")] = ExportFormat.JSON,
    category: CategoryOption = None,
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
