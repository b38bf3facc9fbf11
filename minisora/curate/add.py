"""``minisora add``: fetch a paper from arXiv and append it to the catalogue.

    from minisora.curate.add import add_paper
    added = add_paper("2212.09748", "Diffusion Transformer",
                      github="https://github.com/facebookresearch/DiT", dry_run=True)
    print(added.entry)    # the YAML that would be appended

The rest of the file is kept byte for byte (see ``store/document.py``); the result is validated
before it is written, atomically and under the file's lock; an arXiv id already in the catalogue
is refused, naming its entry.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from minisora.catalog import Catalog
from minisora.core.arxiv_ids import abs_url, arxiv_id_from_text, arxiv_id_from_url
from minisora.core.naming import free_slug, slugify
from minisora.curate.document import Document, editing
from minisora.curate.verify import same_title
from minisora.errors import Finding, UsageError
from minisora.models import Paper
from minisora.sources import run_sync
from minisora.sources.arxiv import ArxivRecord, ArxivSettings, fetch_records
from minisora.sources.github import repo_of
from minisora.store.yaml_read import locate

_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the"}
    | {"to", "via", "with"}
)


@dataclass(frozen=True)
class Added:
    """A paper added (or, in a dry run, that would be added) to a catalogue file."""

    path: str
    paper: Paper
    record: ArxivRecord
    entry: str  # the YAML text of the new entry
    line: int  # where the entry starts in the new file
    warnings: tuple[Finding, ...]  # about the new entry only
    written: bool


def propose_short_name(title: str, github: str | None = None) -> str | None:
    """A short name: the title's lead before a colon ("Latte: ..."), else a capitalised repo
    name ("facebookresearch/DiT" -> "DiT"), else None."""
    lead, colon, _ = title.partition(":")
    if colon and len(lead.split()) <= 2 and len(lead) <= 24:
        return lead.strip()
    repo = repo_of(github) if github else None
    name = repo.split("/")[1] if repo else ""
    return name if name != name.lower() else None


def propose_id(short_name: str | None, title: str, arxiv_id: str, taken: set[str]) -> str:
    """A free slug from the short name, else the title's first three significant words."""
    words = [w for w in slugify(title).split("-") if w not in _STOPWORDS]
    base = slugify(short_name or "") or "-".join(words[:3]) or slugify(f"arxiv-{arxiv_id}")
    return free_slug(base, taken)


def propose_entry(
    record: ArxivRecord,
    category_id: str,
    catalog: Catalog,
    *,
    github: str | None = None,
    modelscope: str | None = None,
    short_name: str | None = None,
    paper_id: str | None = None,
) -> dict[str, Any]:
    """The new entry as plain data, in the order and style of the catalogue file."""
    short = short_name or propose_short_name(record.title, github)
    taken = {p.id for p in catalog.papers}
    links = [{"kind": "paper", "url": abs_url(record.arxiv_id)}]
    extra = (("github", github), ("modelscope", modelscope))
    links += [{"kind": kind, "url": url} for kind, url in extra if url]
    entry = {
        "id": paper_id or propose_id(short, record.title, record.arxiv_id, taken),
        "short_name": short,
        "title": record.title,
        "category": category_id,
        "year": record.year,
        "arxiv_id": record.arxiv_id,
        "authors": list(record.authors),
        "links": links,
    }
    return {key: value for key, value in entry.items() if value}


def _refuse_duplicates(doc: Document, arxiv_id: str, paper_id: str | None) -> None:
    for i, paper in enumerate(doc.catalog.papers):
        linked = {arxiv_id_from_url(link.url) for link in paper.links}
        if paper.arxiv_id == arxiv_id or arxiv_id in linked:
            where = f"{doc.shown}:{doc.line(('papers', i))}"
            msg = f"arXiv {arxiv_id} is already in the catalogue as {paper.id!r} ({where})"
            raise UsageError(msg)
        if paper.id == paper_id:
            where = f"{doc.shown}:{doc.line(('papers', i, 'id'))}"
            raise UsageError(f"the id {paper_id!r} is already used ({where}); choose another")


def _refuse_same_title(doc: Document, record: ArxivRecord) -> None:
    for i, paper in enumerate(doc.catalog.papers):
        if same_title(paper.title, record.title):
            where = f"{doc.shown}:{doc.line(('papers', i))}"
            raise UsageError(
                f"{record.title!r} is already in the catalogue as {paper.id!r} ({where}); "
                f"add arxiv_id: '{record.arxiv_id}' and its link there instead"
            )


def add_paper(
    reference: str,
    category: str,
    *,
    path: str | os.PathLike[str] | None = None,
    github: str | None = None,
    modelscope: str | None = None,
    short_name: str | None = None,
    paper_id: str | None = None,
    dry_run: bool = False,
    arxiv: ArxivSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> Added:
    """Fetch ``reference`` (an arXiv id or URL) and append it under ``category`` (id or name)
    to the catalogue at ``path`` (default: the bundled one). ``dry_run`` writes nothing.

    The file is read again under its lock before the entry goes in, so a paper another process
    added meanwhile is kept (and a duplicate it added is refused)."""
    arxiv_id = arxiv_id_from_text(reference)
    if arxiv_id is None:
        raise UsageError(
            f"{reference!r} is not an arXiv id or URL (like 2212.09748 or "
            "https://arxiv.org/abs/2212.09748)"
        )
    doc = Document(path)  # refuse what we can before asking arXiv
    doc.catalog.category(category)
    _refuse_duplicates(doc, arxiv_id, paper_id)
    record = run_sync(fetch_records([arxiv_id], arxiv, progress=progress)).get(arxiv_id)
    if record is None:
        raise UsageError(f"arXiv has no paper {arxiv_id}")
    if record.withdrawn:
        reason = record.comment or record.abstract[:120]
        raise UsageError(f"arXiv {arxiv_id} has been withdrawn ({reason}); not adding it")
    append = functools.partial(
        _append,
        record=record,
        category=category,
        github=github,
        modelscope=modelscope,
        short_name=short_name,
        paper_id=paper_id,
    )
    if dry_run:
        return append(doc, write=False)
    with editing(path) as fresh:
        return append(fresh, write=True)


def _append(
    doc: Document,
    *,
    record: ArxivRecord,
    category: str,
    github: str | None,
    modelscope: str | None,
    short_name: str | None,
    paper_id: str | None,
    write: bool,
) -> Added:
    """Append ``record`` to ``doc`` after the checks, and save it when ``write``."""
    section = doc.catalog.category(category)
    _refuse_duplicates(doc, record.arxiv_id, paper_id)
    _refuse_same_title(doc, record)
    entry = propose_entry(
        record,
        section.id,
        doc.catalog,
        github=github,
        modelscope=modelscope,
        short_name=short_name,
        paper_id=paper_id,
    )
    index = doc.append_paper(entry)
    text, report = doc.save() if write else doc.check()
    assert report.catalog is not None  # check() raises when the new file is invalid
    line = locate(text, [("papers", index)])[("papers", index)]
    return Added(
        path=doc.shown,
        paper=report.catalog.papers[index],
        record=record,
        entry="".join(takewhile(str.strip, text.splitlines(keepends=True)[line - 1 :])),
        line=line,
        warnings=tuple(f for f in report.warnings if f.loc[:2] == ("papers", index)),
        written=write,
    )
