"""``minisora verify``: check a catalogue against arXiv and GitHub, and optionally fix it.

    from minisora.curate.verify import verify
    report = verify("data/papers.yaml", category="diffusion-model")
    for finding in report.findings:
        print(finding)   # data/papers.yaml:113: papers[8].title: title differs from arXiv ...

arXiv: the title (fuzzy: case, accents and punctuation ignored), the year of the first version,
withdrawn papers, ids arXiv does not know. GitHub: missing, archived and renamed repositories.
``fix`` writes arXiv's (or GitHub's) value for the chosen fields; ``update`` stores each paper's
repository health in its ``github:`` field. Both validate first and write atomically, under the
file's lock.
"""

from __future__ import annotations

import asyncio
import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum
from typing import Any

from minisora.catalog import Report
from minisora.core.rules import _finding
from minisora.curate.document import Document, editing
from minisora.errors import Finding, Severity, UsageError
from minisora.models import LinkKind, Paper
from minisora.sources import run_sync
from minisora.sources.arxiv import ArxivRecord, ArxivSettings, fetch_records
from minisora.sources.github import GithubSettings, RepoHealth, fetch_repos, repo_of
from minisora.store.yaml_read import located

TITLE_SIMILARITY = 0.9  # below this, the catalogue and arXiv name different papers

WARNING = Severity.WARNING


class FixField(str, Enum):
    """Fields ``--fix`` can take from the source: arXiv's title and year, GitHub's new URL."""

    TITLE = "title"
    YEAR = "year"
    GITHUB = "github"


@dataclass(frozen=True)
class Fix:
    """A value the source has for a field a finding is about."""

    finding: Finding
    field: FixField
    index: int
    value: Any
    link: int | None = None  # for a github URL: which link of the paper


@dataclass(frozen=True)
class VerifyReport(Report):
    """What :func:`verify` found, what it could fix, and what it wrote."""

    fixes: tuple[Fix, ...] = ()
    applied: tuple[Fix, ...] = ()
    repositories: dict[str, RepoHealth] = field(default_factory=dict)
    arxiv_checked: int = 0
    updated: int = 0  # papers whose github: field was written

    @property
    def unresolved(self) -> tuple[Finding, ...]:
        """Findings that no applied fix took care of."""
        fixed = {id(f.finding) for f in self.applied}
        return tuple(f for f in self.findings if id(f) not in fixed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every finding (``fixed`` when a fix was written), every repository's
        health, and how many papers got their ``github:`` field written."""
        unresolved = set(map(id, self.unresolved))
        findings = [{**f.to_dict(), "fixed": id(f) not in unresolved} for f in self.findings]
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
            for repo, h in self.repositories.items()
        ]
        return {"findings": findings, "repositories": repositories, "updated": self.updated}


def _normal(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def same_title(ours: str, theirs: str) -> bool:
    """True when two titles name the same paper: case, accents and punctuation aside, small typos
    allowed, and a lead such as "Latte:" may be missing on one side."""
    ours = _normal(ours)
    for theirs_form in {_normal(theirs), _normal(theirs.partition(":")[2])} - {""}:
        matcher = difflib.SequenceMatcher(None, ours, theirs_form, autojunk=False)
        # The quick upper bounds rule out most pairs before the real (quadratic) ratio.
        if (
            matcher.real_quick_ratio() >= TITLE_SIMILARITY
            and matcher.quick_ratio() >= TITLE_SIMILARITY
            and matcher.ratio() >= TITLE_SIMILARITY
        ):
            return True
    return False


def _arxiv_checks(i: int, paper: Paper, record: ArxivRecord | None) -> Iterator[Fix | Finding]:
    arxiv_id = paper.arxiv_id
    if record is None:
        yield _finding(("papers", i, "arxiv_id"), f"arXiv has no paper {arxiv_id}", "arxiv-unknown")
        return
    if record.withdrawn:
        why = f": {record.comment}" if record.comment else ""
        msg = f"arXiv {arxiv_id} has been withdrawn{why}"
        yield _finding(("papers", i, "arxiv_id"), msg, "arxiv-withdrawn")
    if not same_title(paper.title, record.title):
        msg = (
            f"title differs from arXiv {arxiv_id}, which is {record.title!r}; "
            "is the arXiv link for another paper?"
        )
        yield Fix(
            _finding(("papers", i, "title"), msg, "arxiv-title"), FixField.TITLE, i, record.title
        )
    if paper.year is not None and paper.year != record.year:
        msg = f"year {paper.year}, but arXiv {arxiv_id} was first submitted in {record.year}"
        finding = _finding(("papers", i, "year"), msg, "arxiv-year", WARNING)
        yield Fix(finding, FixField.YEAR, i, record.year)


def _github_checks(i: int, paper: Paper, health: dict[str, RepoHealth]) -> Iterator[Fix | Finding]:
    for j, link in enumerate(paper.links):
        repo = repo_of(link.url) if link.kind is LinkKind.GITHUB else None
        found = health.get(repo) if repo else None
        if found is None:
            continue  # not a github.com repository URL: `minisora validate` reports the host
        loc = ("papers", i, "links", j, "url")
        if not found.found:
            msg = f"GitHub has no repository {repo} (HTTP {found.http_status})"
            yield _finding(loc, msg, "github-missing")
            continue
        if found.moved_to:
            msg = f"repository {repo} has moved to {found.moved_to}"
            finding = _finding(loc, msg, "github-moved", WARNING)
            yield Fix(finding, FixField.GITHUB, i, found.moved_to, link=j)
        if found.archived:
            msg = f"repository {found.full_name} is archived (read-only)"
            yield _finding(loc, msg, "github-archived", WARNING)


def _repos(papers: list[tuple[int, Paper]]) -> list[str]:
    urls = (u for _, p in papers for u in p.urls(LinkKind.GITHUB))
    return [repo for repo in map(repo_of, urls) if repo]


@dataclass
class _Answers:
    """What arXiv and GitHub said so far; :meth:`ask` asks only about what is new."""

    arxiv: ArxivSettings | None
    github: GithubSettings | None
    progress: Callable[[str], None] | None
    records: dict[str, ArxivRecord] = field(default_factory=dict)
    health: dict[str, RepoHealth] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)  # arXiv ids and repositories

    def ask(self, papers: list[tuple[int, Paper]]) -> None:
        ids = [p.arxiv_id for _, p in papers if p.arxiv_id and p.arxiv_id not in self.asked]
        repos = [r for r in _repos(papers) if r not in self.asked]
        if not ids and not repos:
            return
        records, health = run_sync(self._ask(ids, repos))
        self.records.update(records)
        self.health.update(health)
        self.asked.update(ids, repos)

    async def _ask(
        self, ids: list[str], repos: list[str]
    ) -> tuple[dict[str, ArxivRecord], dict[str, RepoHealth]]:
        arxiv, github, progress = self.arxiv, self.github, self.progress
        records, health = await asyncio.gather(
            fetch_records(ids, arxiv, progress=progress) if arxiv and ids else _nothing(),
            fetch_repos(repos, github, progress=progress) if github and repos else _nothing(),
        )
        return records, health


async def _nothing() -> dict[str, Any]:
    return {}


def verify(
    path: str | os.PathLike[str] | None = None,
    *,
    category: str | None = None,
    arxiv: ArxivSettings | None = None,
    github: GithubSettings | None = None,
    check_arxiv: bool = True,
    check_github: bool = True,
    fix: Collection[FixField | str] = (),
    update: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> VerifyReport:
    """Compare the papers of ``path`` (default: the bundled catalogue), or of one ``category``,
    with arXiv and GitHub. ``fix`` names the fields to take from the source; ``update`` writes
    each paper's repository health into its ``github:`` field (dated ``today``).

    Fixes are made on the file as read again under its lock, so an edit another process made
    while the sources were asked is kept (and its new papers are checked too)."""
    fields = {_fix_field(f) for f in fix}
    answers = _Answers(
        (arxiv or ArxivSettings()) if check_arxiv else None,
        (github or GithubSettings()) if check_github or update else None,
        progress,
    )
    review = functools.partial(
        _review,
        category=category,
        answers=answers,
        check_arxiv=check_arxiv,
        check_github=check_github,
        fields=fields,
        update=update,
        today=today or date.today(),
    )
    doc = Document(path)
    answers.ask(_chosen(doc, category))
    if not fields and not update:
        return review(doc)
    with editing(path) as fresh:
        return review(fresh)


def _chosen(doc: Document, category: str | None) -> list[tuple[int, Paper]]:
    """The papers of ``category`` (all without one), with their index in the file."""
    cat = doc.catalog
    wanted = cat.category(category).id if category is not None else None
    return [(i, p) for i, p in enumerate(cat.papers) if wanted is None or wanted in p.categories]


def _review(
    doc: Document,
    *,
    category: str | None,
    answers: _Answers,
    check_arxiv: bool,
    check_github: bool,
    fields: set[FixField],
    update: bool,
    today: date,
) -> VerifyReport:
    """Check the papers of ``doc`` against the answers, apply the fixes asked for, and save."""
    papers = _chosen(doc, category)
    answers.ask(papers)  # nothing new unless the file changed since it was first read
    health = answers.health
    results: list[Fix | Finding] = []
    for i, paper in papers:
        if check_arxiv and paper.arxiv_id:
            results += _arxiv_checks(i, paper, answers.records.get(paper.arxiv_id))
        if check_github:
            results += _github_checks(i, paper, health)
    findings = [r.finding if isinstance(r, Fix) else r for r in results]
    shown = dict(zip(map(id, findings), located(doc.original, doc.shown, findings), strict=True))
    fixes = [replace(r, finding=shown[id(r.finding)]) for r in results if isinstance(r, Fix)]
    applied = [f for f in fixes if f.field in fields]
    for f in applied:
        if f.field is FixField.GITHUB and f.link is not None:
            doc.set_link_url(f.index, f.link, f.value)
        else:
            doc.set_field(f.index, f.field.value, f.value)
    updated = _store_health(doc, papers, health, today) if update else 0
    if doc.changed:
        doc.save()
    return VerifyReport(
        path=doc.shown,
        findings=tuple(shown.values()),
        catalog=doc.catalog,
        fixes=tuple(fixes),
        applied=tuple(applied),
        repositories={r: health[r] for r in _repos(papers) if r in health},
        arxiv_checked=sum(1 for _, p in papers if p.arxiv_id) if check_arxiv else 0,
        updated=updated,
    )


def _fix_field(name: FixField | str) -> FixField:
    try:
        return FixField(name)
    except ValueError:
        choices = ", ".join(f.value for f in FixField)
        raise UsageError(f"cannot fix {name!r}; choose from: {choices}") from None


def _store_health(
    doc: Document, papers: list[tuple[int, Paper]], health: dict[str, RepoHealth], today: date
) -> int:
    updated = 0
    for i, paper in papers:
        repos = [repo_of(u) for u in paper.urls(LinkKind.GITHUB)]
        found = health.get(repos[0]) if repos and repos[0] else None
        if found is None or not found.found:
            continue
        status = found.status(today)
        if paper.github is None or paper.github.model_copy(update={"checked": today}) != status:
            doc.set_field(i, "github", status.model_dump(exclude_none=True))
            updated += 1
    return updated
