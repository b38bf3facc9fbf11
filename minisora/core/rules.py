"""Rules that look across a catalogue: unique ids, known categories, duplicates, arXiv consistency,
mislabelled links, and text damaged by a wrong encoding.

Each rule yields :class:`~minisora.errors.Finding` objects located by field; the caller adds the
file and line. Every rule is one pass over the papers, so the cost grows linearly with the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from minisora.core.arxiv_ids import arxiv_id_from_url, is_pdf_url, year_of
from minisora.core.urls import host, host_in, url_key
from minisora.errors import Finding, Severity
from minisora.models import CatalogFile, Category, Link, LinkKind, Paper

Rule = Callable[[CatalogFile], Iterator[Finding]]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Two or more characters in a row of the kind UTF-8 turns into when read as cp1252 or Latin-1.
_MOJIBAKE_HINT = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{2}"
)
_HOSTS = {LinkKind.GITHUB: ("github.com",), LinkKind.MODELSCOPE: ("modelscope.cn",)}


def _finding(
    loc: tuple[str | int, ...], message: str, rule: str, severity: Severity = ERROR
) -> Finding:
    return Finding("", None, loc, message, severity, rule)


def unique_ids(cat: CatalogFile) -> Iterator[Finding]:
    sections: tuple[tuple[str, Sequence[Category | Paper]], ...] = (
        ("categories", cat.categories),
        ("papers", cat.papers),
    )
    for section, items in sections:
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in first:
                msg = f"duplicate id {item.id!r}, already used by {section}[{first[item.id]}]"
                yield _finding((section, i, "id"), msg, "duplicate-id")
            else:
                first[item.id] = i


def known_categories(cat: CatalogFile) -> Iterator[Finding]:
    known = {c.id for c in cat.categories}
    choices = ", ".join(c.id for c in cat.categories)
    for i, paper in enumerate(cat.papers):
        if paper.category is not None and paper.category not in known:
            msg = f"unknown category {paper.category!r}; known categories: {choices}"
            yield _finding(("papers", i, "category"), msg, "unknown-category")
        for j, extra in enumerate(paper.also_in):
            if extra not in known:
                msg = f"unknown category {extra!r}; known categories: {choices}"
                yield _finding(("papers", i, "also_in", j), msg, "unknown-category")
            elif extra == paper.category or extra in paper.also_in[:j]:
                msg = f"category {extra!r} is listed twice for this paper"
                yield _finding(("papers", i, "also_in", j), msg, "duplicate-category")
        if paper.category is None and paper.id not in cat.reading_plan:
            msg = "a paper needs a category unless it is in the reading plan"
            yield _finding(("papers", i), msg, "unknown-category")


def reading_plan(cat: CatalogFile) -> Iterator[Finding]:
    ids = {p.id for p in cat.papers}
    seen: set[str] = set()
    for i, paper_id in enumerate(cat.reading_plan):
        if paper_id not in ids:
            yield _finding(("reading_plan", i), f"no paper has the id {paper_id!r}", "reading-plan")
        elif paper_id in seen:
            yield _finding(("reading_plan", i), f"{paper_id!r} is listed twice", "reading-plan")
        seen.add(paper_id)


def unique_urls(cat: CatalogFile) -> Iterator[Finding]:
    """A URL twice in one paper, or a paper link under two papers, is an error; two papers may
    share a repository, project page or homepage (SVD and ADD share one repository): an info
    that names both, which fails nothing."""
    # Keyed by the hash of each URL's key, holding (paper << 16 | link): a catalogue of 100,000
    # papers keeps 300,000 of these, and strings and tuples would double the memory of the check.
    owner: dict[int, int] = {}
    for i, paper in enumerate(cat.papers):
        for j, link in enumerate(paper.links):
            key = url_key(link.url)
            first = owner.setdefault(hash(key), i << 16 | j)
            first_paper, first_link = first >> 16, first & 0xFFFF
            if (first_paper, first_link) == (i, j):
                continue
            other = cat.papers[first_paper]
            if url_key(other.links[first_link].url) != key:
                continue  # two URLs whose keys share a hash: not a duplicate
            loc = ("papers", i, "links", j, "url")
            if first_paper == i:
                msg = f"URL already used by links[{first_link}] of this paper: {link.url}"
                yield _finding(loc, msg, "duplicate-url")
            elif link.kind is LinkKind.PAPER or other.links[first_link].kind is LinkKind.PAPER:
                msg = f"URL already used by papers[{first_paper}] ({other.id}): {link.url}"
                yield _finding(loc, msg, "duplicate-url")
            else:
                msg = (
                    f"{paper.id} and papers[{first_paper}] ({other.id}) share this "
                    f"{link.kind} link: {link.url}"
                )
                yield _finding(loc, msg, "shared-url", INFO)


def unique_arxiv_ids(cat: CatalogFile) -> Iterator[Finding]:
    owner: dict[str, int] = {}
    for i, paper in enumerate(cat.papers):
        if paper.arxiv_id is None:
            continue
        if paper.arxiv_id in owner:
            first = owner[paper.arxiv_id]
            msg = (
                f"arXiv id {paper.arxiv_id} is already used by papers[{first}] "
                f"({cat.papers[first].id})"
            )
            yield _finding(("papers", i, "arxiv_id"), msg, "duplicate-arxiv-id")
        else:
            owner[paper.arxiv_id] = i


def _arxiv_findings(i: int, paper: Paper) -> Iterator[Finding]:
    linked: str | None = None
    for j, link in enumerate(paper.links):
        found = arxiv_id_from_url(link.url)
        if found is None:
            continue
        loc = ("papers", i, "links", j, "url")
        linked = linked or found
        if paper.arxiv_id is not None and found != paper.arxiv_id:
            msg = f"link points at arXiv {found}, but the paper's arxiv_id is {paper.arxiv_id}"
            yield _finding(loc, msg, "arxiv-mismatch")
        if is_pdf_url(link.url):
            msg = f"links to the PDF; the stable form is https://arxiv.org/abs/{found}"
            yield _finding(loc, msg, "arxiv-pdf-link", WARNING)
    if linked and paper.arxiv_id is None:
        msg = f"the paper links to arXiv but has no arxiv_id (add arxiv_id: '{linked}')"
        yield _finding(("papers", i), msg, "arxiv-missing-id")
    if paper.arxiv_id and paper.year is not None and paper.year < year_of(paper.arxiv_id):
        msg = f"year {paper.year} is before arXiv {paper.arxiv_id} was submitted"
        yield _finding(("papers", i, "year"), msg, "arxiv-year", WARNING)


def arxiv_consistency(cat: CatalogFile) -> Iterator[Finding]:
    for i, paper in enumerate(cat.papers):
        yield from _arxiv_findings(i, paper)


def wrong_host(link: Link) -> str | None:
    """Why a link's kind does not fit its host ("a github link should be on github.com, ...")."""
    hosts = _HOSTS.get(link.kind)
    if not hosts:
        return None
    if not host_in(link.url, hosts):
        return f"a {link.kind} link should be on {' or '.join(hosts)}, not {host(link.url)}"
    return None


def link_hosts(cat: CatalogFile) -> Iterator[Finding]:
    for i, paper in enumerate(cat.papers):
        for j, link in enumerate(paper.links):
            msg = wrong_host(link)
            if msg:
                yield _finding(("papers", i, "links", j, "kind"), msg, "mislabelled-link", WARNING)


def mojibake_suggestion(text: str) -> str | None:
    """The repaired text when ``text`` looks damaged by a wrong encoding ("ç¤¾åŒº" -> "社区")."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return None
    import ftfy  # only text that looks suspicious pays for the import

    fixed = ftfy.fix_encoding(text)
    return fixed if fixed != text else None


def _texts(cat: CatalogFile) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for i, category in enumerate(cat.categories):
        yield ("categories", i, "name_en"), category.name_en
        yield ("categories", i, "name_zh"), category.name_zh
    for i, paper in enumerate(cat.papers):
        for field in ("title", "short_name", "venue"):
            value = getattr(paper, field)
            if value:
                yield ("papers", i, field), value
        for field in ("authors", "tags"):
            for j, value in enumerate(getattr(paper, field)):
                yield ("papers", i, field, j), value


def encoding_damage(cat: CatalogFile) -> Iterator[Finding]:
    for loc, text in _texts(cat):
        fixed = mojibake_suggestion(text)
        if fixed is not None:
            msg = f"text damaged by a wrong encoding (mojibake): {text!r}, probably {fixed!r}"
            yield _finding(loc, msg, "mojibake")


def empty_categories(cat: CatalogFile) -> Iterator[Finding]:
    used = {c for p in cat.papers for c in p.categories}
    for i, category in enumerate(cat.categories):
        if category.id not in used:
            yield _finding(
                ("categories", i),
                f"category {category.id!r} has no papers",
                "empty-category",
                WARNING,
            )


RULES: tuple[Rule, ...] = (
    unique_ids,
    known_categories,
    reading_plan,
    unique_urls,
    unique_arxiv_ids,
    arxiv_consistency,
    link_hosts,
    encoding_damage,
    empty_categories,
)


def run(cat: CatalogFile) -> list[Finding]:
    """Every finding of every rule, in rule order, without file or line yet."""
    return [finding for rule in RULES for finding in rule(cat)]
