"""``minisora check-links``: are the catalogue's links (or any list's) still alive?"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from minisora.cli.app import app, flagged, given, stderr, stdout
from minisora.cli.options import (
    ArxivApiOption,
    ArxivDelayOption,
    CatalogOption,
    CategoryOption,
    HttpProxyOption,
    HttpsProxyOption,
    KindOption,
    LinkFormat,
    NoProxyOption,
    OutputOption,
    format_option,
)

if TYPE_CHECKING:
    from minisora.linkcheck import LinkReport, Target

_STYLES = {
    "ok": "green",
    "moved": "yellow",
    "broken": "bold red",
    "unverified": "magenta",
    "timeout": "red",
    "error": "red",
}


def _targets(
    urls: Path | None, catalog: Path | None, category: str | None, kind: str | None
) -> list[Target]:
    from minisora.errors import UsageError
    from minisora.linkcheck import from_catalog, from_file

    if urls is not None:
        if category or kind:
            raise UsageError("--category and --kind choose catalogue links; not with --urls")
        return from_file(urls)
    from minisora.catalog import load, resolve

    path, shown = resolve(catalog)
    return from_catalog(load(path), category=category, kind=kind, path=path, source=shown)


def _problem_table(report: LinkReport) -> Table:
    """The problems as a rich table; what hosts and lists wrote is plain text, never markup."""
    from minisora.linkcheck.escape import printable

    def plain(text: str) -> Text:
        return Text(printable(text))

    table = Table(title=f"{len(report.problems)} links need a look", title_justify="left")
    for column in ("paper", "kind", "link", "verdict", "detail"):
        table.add_column(column, overflow="fold")
    for paper, results in report.by_paper().items():
        for i, r in enumerate(results):
            verdict = Text(r.verdict.value, style=_STYLES[r.verdict.value])
            row = [paper if i == 0 else "", r.kind or "", r.url]
            table.add_row(*map(plain, row), verdict, plain(r.detail))
    return table


@app.command("check-links")
def check_links(
    urls: Annotated[
        Path | None,
        typer.Option(
            "--urls",
            help="Check this file, not the catalogue: a Markdown file (.md) or one URL a line.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    category: CategoryOption = None,
    kind: KindOption = None,
    concurrency: Annotated[int, typer.Option(help="Requests in flight at once.")] = 32,
    per_host: Annotated[
        int,
        typer.Option(help="Requests in flight to one host at most; fewer while it rate-limits us."),
    ] = 16,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for an answer.")] = 10.0,
    retries: Annotated[int, typer.Option(help="Retries after 429/503, resets and the like.")] = 2,
    max_wait: Annotated[
        float,
        typer.Option(
            help="Seconds a host may make us wait in all (Retry-After); then its links are "
            "unverified."
        ),
    ] = 120.0,
    deadline: Annotated[
        float,
        typer.Option(help="Seconds the whole run may take; what is left is then unverified."),
    ] = 900.0,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Skip URLs matching this regex (repeatable).")
    ] = None,
    accept: Annotated[
        list[str] | None,
        typer.Option(help="HOST=CODE[,CODE] statuses that count as ok for a host (repeatable)."),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            help="Keep results in this file; links ok within --max-age are not asked.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    max_age: Annotated[str, typer.Option(help="How long an ok result stays good: 12h, 7d...")] = (
        "1d"
    ),
    fmt: Annotated[
        LinkFormat, format_option("table, json, markdown, junit, or github (annotations).")
    ] = LinkFormat.TABLE,
    arxiv: Annotated[
        bool,
        typer.Option("--arxiv", help="Check arXiv links through the arXiv API, 100 a request."),
    ] = False,
    arxiv_api: ArxivApiOption = None,
    arxiv_delay: ArxivDelayOption = None,
    output: OutputOption = None,
    http_proxy: HttpProxyOption = None,
    https_proxy: HttpsProxyOption = None,
    no_proxy: NoProxyOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also fail on timeouts, errors, bot-walls and moves.")
    ] = False,
    catalog: CatalogOption = None,
) -> None:
    """Check that every link still works. Exit 0 when nothing is broken, 1 when something is.

    Example: [bold]minisora check-links --kind github --format github[/bold]

    A host that asks us to wait (429, Retry-After) is waited for, up to --max-wait in all; the
    run stops at --deadline. Links left then are reported as unverified, never as broken.
    """
    from rich.progress import Progress

    from minisora import linkcheck
    from minisora.sources.arxiv import ArxivSettings
    from minisora.sources.http import Proxies

    chosen = _targets(urls, catalog, category, kind)
    targets, excluded = flagged("--exclude", linkcheck.exclude, chosen, exclude or [])
    settings = linkcheck.Settings(
        concurrency=concurrency,
        per_host=per_host,
        timeout=timeout,
        retries=retries,
        max_wait=max_wait,
        deadline=deadline,
        accept=flagged("--accept", linkcheck.accept_rules, accept or []),
        proxies=Proxies.from_names(https_proxy, http_proxy, no_proxy),
    )
    fresh_for = flagged("--max-age", linkcheck.parse_duration, max_age)
    store = linkcheck.LinkCache.load(cache, fresh_for) if cache else None
    console = stderr()
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("checking links", total=len(linkcheck.group_by_url(targets)))
        report = linkcheck.check_sync(
            targets,
            settings,
            cache=store,
            progress=lambda _: bar.advance(task),
            arxiv=ArxivSettings(**given(api_url=arxiv_api, delay=arxiv_delay)) if arxiv else None,
        )
    report = replace(report, excluded=excluded)
    for warning in report.warnings:
        console.print(Text.assemble(("warning", "yellow"), ": ", warning))
    if output is not None:
        from minisora.store.files import save

        save(output, linkcheck.RENDERERS[fmt.value](report), force=True)
    elif fmt is LinkFormat.TABLE and sys.stdout.isatty():
        if report.problems:
            stdout().print(_problem_table(report))
    else:
        sys.stdout.write(linkcheck.RENDERERS[fmt.value](report))
    failed = not report.ok or (strict and bool(report.problems))
    console.print(Text(report.summary(), style="red" if failed else "green"))
    raise typer.Exit(1 if failed else 0)
