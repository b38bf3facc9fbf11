"""``minisora add`` and ``minisora verify``: the catalogue against arXiv and GitHub.

The library modules behind them pull in httpx, so they are imported inside the commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from minisora.cli.app import app, count, given, print_findings, stderr
from minisora.cli.complete import categories
from minisora.cli.options import (
    ArxivApiOption,
    ArxivDelayOption,
    CatalogOption,
    CategoryOption,
    FindingFormat,
    FindingFormatOption,
    GithubApiOption,
    GithubTokenOption,
    HttpProxyOption,
    HttpsProxyOption,
    NoProxyOption,
    RefreshOption,
    StrictOption,
)
from minisora.cli.where import feeds_readmes, writable_catalog
from minisora.errors import Severity

if TYPE_CHECKING:
    from minisora.curate.verify import VerifyReport
    from minisora.sources.arxiv import ArxivSettings
    from minisora.sources.github import GithubSettings
    from minisora.sources.http import Proxies


# The checkout's catalogue feeds its README tables, which CI compares with it.
_RENDER_HINT = "; run `minisora render --write` to update the README tables"


def _proxies(https: str | None, http: str | None, no_proxy: str | None) -> Proxies:
    from minisora.sources.http import Proxies

    return Proxies.from_names(https, http, no_proxy)


def _arxiv(api: str | None, delay: float | None, refresh: bool, proxies: Proxies) -> ArxivSettings:
    from minisora.sources.arxiv import ArxivSettings

    return ArxivSettings(**given(api_url=api, delay=delay), refresh=refresh, proxies=proxies)


def _github(api: str | None, token: str | None, proxies: Proxies) -> GithubSettings:
    from minisora.sources.github import GithubSettings

    return GithubSettings(**given(api_url=api, token=token), proxies=proxies)


def _progress(message: str) -> None:
    stderr().print(Text(message, style="dim"))


def _progress_if_watched() -> Callable[[str], None] | None:
    """Progress lines for a person at a terminal; none in logs and pipes."""
    return _progress if sys.stderr.isatty() else None


@app.command()
def add(
    reference: Annotated[
        str,
        typer.Argument(
            metavar="ARXIV", help="arXiv id or URL, e.g. 2212.09748.", show_default=False
        ),
    ],
    category: Annotated[
        str,
        typer.Option(
            "--category",
            "-c",
            help="Category id, English or Chinese name.",
            show_default=False,
            metavar="NAME",
            autocompletion=categories,
        ),
    ],
    github: Annotated[
        str | None, typer.Option("--github", help="Repository URL.", show_default=False)
    ] = None,
    modelscope: Annotated[
        str | None, typer.Option("--modelscope", help="ModelScope URL.", show_default=False)
    ] = None,
    short_name: Annotated[
        str | None,
        typer.Option("--short-name", help="Short name (else proposed).", show_default=False),
    ] = None,
    paper_id: Annotated[
        str | None, typer.Option("--id", help="Paper id (else proposed).", show_default=False)
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the entry, change no file.")
    ] = False,
    arxiv_api: ArxivApiOption = None,
    arxiv_delay: ArxivDelayOption = None,
    refresh: RefreshOption = False,
    https_proxy: HttpsProxyOption = None,
    http_proxy: HttpProxyOption = None,
    no_proxy: NoProxyOption = None,
    catalog: CatalogOption = None,
) -> None:
    """Add a paper from arXiv: fetch title, authors and year, append the entry.

    The rest of the file is kept byte for byte; an arXiv id already listed is refused.

    Example: [bold]minisora add 2212.09748 -c "Diffusion Transformer" --github URL[/bold]
    """
    from minisora.curate.add import add_paper

    path = catalog if dry_run else writable_catalog(catalog)
    proxies = _proxies(https_proxy, http_proxy, no_proxy)
    added = add_paper(
        reference,
        category,
        path=path,
        github=github,
        modelscope=modelscope,
        short_name=short_name,
        paper_id=paper_id,
        dry_run=dry_run,
        arxiv=_arxiv(arxiv_api, arxiv_delay, refresh, proxies),
        progress=_progress_if_watched(),
    )
    sys.stdout.write(added.entry)
    print_findings(added.warnings)
    console = stderr()
    done = "would add" if not added.written else "added"
    message = f"{done} {added.paper.id!r} to {added.path} at line {added.line}"
    hint = _RENDER_HINT if added.written and feeds_readmes(path) else ""
    console.print(Text(message + hint, "green"))


def _summary(report: VerifyReport) -> str:
    unresolved = report.unresolved
    errors = sum(f.severity is Severity.ERROR for f in unresolved)
    text = (
        f"{report.path}: {count(report.arxiv_checked, 'paper')} checked on arXiv, "
        f"{count(len(report.repositories), 'repository', 'repositories')} on GitHub: "
        f"{count(errors, 'error')}, {count(len(unresolved) - errors, 'warning')}"
    )
    wrote = [count(len(report.applied), "fix", "fixes")] if report.applied else []
    if report.updated:
        wrote.append(count(report.updated, "repository status", "repository statuses"))
    if wrote:
        text += "; wrote " + " and ".join(wrote)
    pending = {f.field.value for f in report.fixes} - {f.field.value for f in report.applied}
    if pending:
        text += "; fixable with " + ", ".join(f"--fix {name}" for name in sorted(pending))
    return text


@app.command()
def verify(
    category: CategoryOption = None,
    fix: Annotated[
        list[str] | None,
        typer.Option(
            "--fix",
            metavar="FIELD",
            help="Write the source's value: title, year (arXiv) or github (a moved repo's URL).",
            show_default=False,
        ),
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Store stars, archived and last push as github:.")
    ] = False,
    arxiv: Annotated[bool, typer.Option("--arxiv/--no-arxiv", help="Check against arXiv.")] = True,
    github: Annotated[
        bool, typer.Option("--repos/--no-repos", help="Check the GitHub repositories.")
    ] = True,
    strict: StrictOption = False,
    fmt: FindingFormatOption = FindingFormat.TEXT,
    arxiv_api: ArxivApiOption = None,
    arxiv_delay: ArxivDelayOption = None,
    refresh: RefreshOption = False,
    github_api: GithubApiOption = None,
    github_token: GithubTokenOption = None,
    https_proxy: HttpsProxyOption = None,
    http_proxy: HttpProxyOption = None,
    no_proxy: NoProxyOption = None,
    catalog: CatalogOption = None,
) -> None:
    """Check papers against arXiv (title, year, withdrawn) and their GitHub repositories.

    Repositories: missing, archived, moved. Exit 0 when all is well, 1 when there are errors.

    Example: [bold]minisora verify -c "Diffusion Model" --fix year[/bold]
    """
    from minisora.curate.verify import verify as run

    path = writable_catalog(catalog) if fix or update else catalog
    proxies = _proxies(https_proxy, http_proxy, no_proxy)
    report = run(
        path,
        category=category,
        arxiv=_arxiv(arxiv_api, arxiv_delay, refresh, proxies),
        github=_github(github_api, github_token, proxies),
        check_arxiv=arxiv,
        check_github=github,
        fix=fix or (),
        update=update,
        progress=_progress_if_watched(),
    )
    if fmt is FindingFormat.JSON:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print_findings(report.unresolved, github=fmt is FindingFormat.GITHUB)
    unresolved = report.unresolved
    failed = any(f.severity is Severity.ERROR for f in unresolved) or (strict and bool(unresolved))
    wrote = (report.applied or report.updated) and feeds_readmes(path)
    console = stderr()
    console.print(
        Text(_summary(report) + (_RENDER_HINT if wrote else ""), "red" if failed else "green")
    )
    raise typer.Exit(1 if failed else 0)
