"""``minisora list``, ``show`` and ``categories``: reading the catalogue."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from minisora.cli.app import app, load_catalog, piped, stderr, stdout
from minisora.cli.complete import kinds, paper_ids
from minisora.cli.options import (
    CatalogOption,
    CategoryOption,
    ListFormat,
    RecordFormat,
    TableFormat,
    format_option,
)

if TYPE_CHECKING:
    from minisora.models import Paper


def _links(paper: Paper) -> Text:
    text = Text()
    for i, link in enumerate(paper.links):
        text.append(", " if i else "")
        text.append(link.kind.label, style=f"link {link.url}")
    return text


def _paper_table(papers: list[Paper], title: str) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("paper", ratio=1)
    table.add_column("year", justify="right")
    table.add_column("links")
    for p in papers:
        name = Text.assemble((p.short_name, "bold"), ": ") if p.short_name else Text()
        table.add_row(p.id, name + Text(p.title), str(p.year or ""), _links(p))
    return table


@app.command("list")
def list_papers(
    category: CategoryOption = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            help="Words that must all appear, each at the start of a word (title, short name, "
            "id, authors, ...).",
            show_default=False,
            metavar="WORDS",
        ),
    ] = None,
    has: Annotated[
        str | None,
        typer.Option(
            "--has",
            help="Only papers with this kind of link (paper, github, modelscope, ...).",
            show_default=False,
            metavar="KIND",
            autocompletion=kinds,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="Only papers of this year.", show_default=False),
    ] = None,
    fmt: Annotated[
        ListFormat,
        format_option("table on a terminal (plain text when piped), json, csv, markdown."),
    ] = ListFormat.TABLE,
    catalog: CatalogOption = None,
) -> None:
    """List papers, optionally filtered.

    Example: [bold]minisora list --category "Diffusion Transformer" --has github[/bold]
    """
    from minisora.render.lists import RENDERERS

    cat = load_catalog(catalog)
    papers = cat.filter(category=category, query=query, has=has, year=year)
    if fmt is ListFormat.TABLE and not piped():
        stdout().print(_paper_table(papers, f"{len(papers)} papers"))
    else:
        sys.stdout.write(RENDERERS[fmt.value](papers))
    if not papers:
        stderr().print("no papers match")


@app.command()
def show(
    paper_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Paper id or short name, e.g. dit.",
            show_default=False,
            autocompletion=paper_ids,
        ),
    ],
    fmt: Annotated[RecordFormat, format_option("text or json.")] = RecordFormat.TEXT,
    catalog: CatalogOption = None,
) -> None:
    """Show one paper with all its fields and links.

    Example: [bold]minisora show dit[/bold]
    """
    from minisora.render.lists import records

    cat = load_catalog(catalog)
    paper = cat.get(paper_id)
    if fmt is RecordFormat.JSON:
        sys.stdout.write(json.dumps(records([paper])[0], ensure_ascii=False, indent=2) + "\n")
        return
    names = "; ".join(f"{c.name_en} ({c.name_zh})" for c in map(cat.category, paper.categories))
    rows = paper.fields(names)
    if piped():  # whole lines, never cut: `minisora show sora | grep report` keeps the URL
        sys.stdout.write("".join(f"{label}: {value}\n" for label, value in rows))
        return
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, Text(value, style=f"link {value}" if "://" in value else ""))
    stdout().print(grid)


@app.command()
def categories(
    fmt: Annotated[
        TableFormat, format_option("table on a terminal (plain text when piped), or json.")
    ] = TableFormat.TABLE,
    catalog: CatalogOption = None,
) -> None:
    """List the categories with their English and Chinese names and paper counts.

    Example: [bold]minisora categories[/bold]
    """
    cat = load_catalog(catalog)
    rows = [
        {"id": c.id, "name_en": c.name_en, "name_zh": c.name_zh, "papers": cat.count(c.id)}
        for c in cat.categories
    ]
    if fmt is TableFormat.JSON:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if piped():
        sys.stdout.write("".join("\t".join(map(str, row.values())) + "\n" for row in rows))
        return
    table = Table(title=f"{len(rows)} categories", title_justify="left")
    for column in ("id", "English", "中文", "papers"):
        table.add_column(column, justify="right" if column == "papers" else "left")
    for row in rows:
        table.add_row(*map(str, row.values()))
    stdout().print(table)
