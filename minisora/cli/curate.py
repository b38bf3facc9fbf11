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

from minisora.cli.app import CatalogOption, app, count, finding_text, stderr
from minisora.errors import Severity

if TYPE_CHECKING:
    from minisora.curate.verify import VerifyReport
    from minisora.sources.arxiv import ArxivSettings

ArxivApiOption = Annotated[
    str | None,
    typer.Option(
        "--arxiv-api",
        envvar="MINISORA_ARXIV_API",
        help="arXiv API query URL (default: export.arxiv.org).",
        show_default=False,
    ),
]
ArxivDelayOption = Annotated[
    float | None,
    typer.Option(
        "--arxiv-delay",
        envvar="MINISORA_ARXIV_DELAY",
        min=0,
        help="Seconds between arXiv requests (default: 3, as arXiv asks).",
        show_default=False,
    ),
]
RefreshOption = Annotated[
    bool, typer.Option("--refresh", help="Ask arXiv again even for papers in the cache.")
]


# The bundled catalogue feeds the README tables, which CI compares with it.
_RENDER_HINT = "; run `minisora render --write` to update the README tables"


def _arxiv(api: str | None, delay: float | None, refresh: bool) -> ArxivSettings:
    from minisora.sources.arxiv import ArxivSettings

    given = {"api_url": api, "delay": delay}
    return ArxivSettings(**{k: v for k, v in given.items() if v is not None}, refresh=refresh)


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
            "--category", "-c", help="Category id, English or Chinese name.", show_default=False
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
    catalog: CatalogOption = None,
) -> None:
    """Add a paper from arXiv: fetch title, authors and year, append the entry.

    The rest of the file is kept byte for byte; an arXiv id already listed is refused.

    Example: [bold]minisora add 2212.09748 -c "Diffusion Transformer" --github URL[/bold]
    """
    from minisora.curate.add import add_paper

    added = add_paper(
        reference,
        category,
        path=catalog,
        github=github,
        modelscope=modelscope,
        short_name=short_name,
        paper_id=paper_id,
        dry_run=dry_run,
        arxiv=_arxiv(arxiv_api, arxiv_delay, refresh),
        progress=_progress_if_watched(),
    )
    sys.stdout.write(added.entry)
    console = stderr()
    for finding in added.warnings:
        console.print(finding_text(finding))
    done = "would add" if not added.written else "added"
    message = f"{done} {added.paper.id!r} to {added.path} at line {added.line}"
    console.print(Text(message + (_RENDER_HINT if added.written and not catalog else ""), "green"))


def _json(report: VerifyReport) -> str:
    unresolved = set(map(id, report.unresolved))
    findings = [{**f.to_dict(), "fixed": id(f) not in unresolved} for f in report.findings]
    repositories = [
        {
            "repo": repo,
            "found": h.found,
            "full_name": h.full_name or None,
            "stars": h.stars if h.found else None,
            "archived": h.archived,
            "pushed_at": str(h.pushed_at) if h.pushed_at else None,
            "moved_to": h.moved_to,
        }
        for repo, h in report.repositories.items()
    ]
    data = {"findings": findings, "repositories": repositories, "updated": report.updated}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


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
    category: Annotated[
        str | None,
        typer.Option("--category", "-c", help="Only this category.", show_default=False),
    ] = None,
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
        bool, typer.Option("--github/--no-github", help="Check GitHub repositories.")
    ] = True,
    github_api: Annotated[
        str | None,
        typer.Option(
            "--github-api",
            envvar="MINISORA_GITHUB_API",
            help="GitHub API URL; the token comes from GITHUB_TOKEN.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print findings as JSON.")] = False,
    arxiv_api: ArxivApiOption = None,
    arxiv_delay: ArxivDelayOption = None,
    refresh: RefreshOption = False,
    catalog: CatalogOption = None,
) -> None:
    """Check papers against arXiv (title, year, withdrawn) and their GitHub repositories.

    Repositories: missing, archived, moved. Exit 0 when all is well, 1 when there are errors.

    Example: [bold]minisora verify -c "Diffusion Model" --fix year[/bold]
    """
    from minisora.curate.verify import verify as run
    from minisora.sources.github import GithubSettings

    report = run(
        catalog,
        category=category,
        arxiv=_arxiv(arxiv_api, arxiv_delay, refresh),
        github=GithubSettings(api_url=github_api) if github_api else None,
        check_arxiv=arxiv,
        check_github=github,
        fix=fix or (),
        update=update,
        progress=_progress_if_watched(),
    )
    console = stderr()
    if as_json:
        sys.stdout.write(_json(report))
    else:
        for f in report.unresolved:
            console.print(finding_text(f))
    unresolved = report.unresolved
    failed = any(f.severity is Severity.ERROR for f in unresolved) or (strict and bool(unresolved))
    wrote = (report.applied or report.updated) and not catalog
    console.print(
        Text(_summary(report) + (_RENDER_HINT if wrote else ""), "red" if failed else "green")
    )
    raise typer.Exit(1 if failed else 0)
