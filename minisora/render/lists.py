"""Pure renderers of a list of papers: records, JSON, CSV, Markdown, HTML and plain text.

Each returns a ``str`` (or plain data) and prints nothing; the CLI and notebooks share them.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from minisora.models import GithubStatus, LinkKind, Paper

RECORD_FIELDS = (
    "id",
    "short_name",
    "title",
    "category",
    "also_in",
    "year",
    "arxiv_id",
    "venue",
    "authors",
    "tags",
)


COLUMNS = (*RECORD_FIELDS, *(k.value for k in LinkKind))  # of a record, and of the CSV


def _columns(p: Paper) -> dict[str, Any]:
    """The CSV's columns of one paper: lists stay lists, and each link kind's column holds its
    URLs (space-separated; None when there is none)."""
    flat: dict[str, Any] = {f: getattr(p, f) for f in RECORD_FIELDS}
    flat.update((f, list(flat[f])) for f in ("also_in", "authors", "tags"))
    flat.update((k.value, " ".join(p.urls(k)) or None) for k in LinkKind)
    return flat


def record(p: Paper) -> dict[str, Any]:
    """One paper as a flat dict with the CSV's columns (see ``_columns``), plus ``links``: every
    link as ``{kind, url}`` (and ``label``), and ``github_status``: what ``verify --update``
    stored."""
    flat = _columns(p)
    dumped = p.model_dump(mode="json", include={"links", "github"})
    flat["links"] = dumped["links"]
    flat["github_status"] = dumped.get("github")
    return flat


def records(papers: Iterable[Paper]) -> list[dict[str, Any]]:
    """Plain dicts, one per paper (see :func:`record`): ``pandas.DataFrame(records(papers))``."""
    return [record(p) for p in papers]


@cache
def _papers_json() -> TypeAdapter[Sequence[Paper]]:
    return TypeAdapter(Sequence[Paper])


def to_json(papers: Sequence[Paper]) -> str:
    """A JSON array of papers (serialised by pydantic-core: json.dumps with indent is slow)."""
    return _papers_json().dump_json(papers, indent=2).decode() + "\n"


def csv_cell(value: object) -> str:
    """A record's value as the CSV writes it: lists joined with '; ', None as ''."""
    if isinstance(value, (list, tuple)):
        return "; ".join(value)
    return "" if value is None else str(value)


def to_csv(papers: Sequence[Paper]) -> str:
    """One row per paper with the columns of :func:`record` (lists joined with '; ')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in papers:
        flat = _columns(p)
        writer.writerow([csv_cell(flat[column]) for column in COLUMNS])
    return out.getvalue()


_KIND_ORDER = {kind: i for i, kind in enumerate(LinkKind)}


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def link_markdown(paper: Paper, ordered: bool = False) -> str:
    """``[Paper](…), [Github](…)`` in the paper's link order, or with ``ordered`` in the fixed
    order of :class:`LinkKind` (Paper, Github, ModelScope, Project, Blog, ...)."""
    links = sorted(paper.links, key=lambda link: _KIND_ORDER[link.kind]) if ordered else paper.links
    parts = [f"[{_md(link.text)}]({link.url})" for link in links]
    first_github = next((i for i, link in enumerate(links) if link.kind is LinkKind.GITHUB), None)
    if first_github is not None and paper.github is not None:
        parts[first_github] += github_note(paper.github)
    return ", ".join(parts)


def github_note(status: GithubStatus) -> str:
    """What `verify --update` found, as shown after a Github link: `` ⭐ 6.1k, archived``."""
    stars = f"{status.stars / 1000:.1f}k" if status.stars >= 1000 else str(status.stars)
    return f" ⭐ {stars}" + (", archived" if status.archived else "")


def title_markdown(paper: Paper) -> str:
    """``**DiT**: Scalable Diffusion Models with Transformers`` (no prefix without a short name)."""
    title = _md(paper.title)
    return f"**{_md(paper.short_name)}**: {title}" if paper.short_name else title


def to_markdown(papers: Sequence[Paper]) -> str:
    """A Markdown table of papers."""
    lines = ["| Paper | Year | Links |", "| --- | --- | --- |"]
    lines += [f"| {title_markdown(p)} | {p.year or ''} | {link_markdown(p)} |" for p in papers]
    return "\n".join(lines) + "\n"


def to_html(papers: Sequence[Paper]) -> str:
    """An HTML table of papers, for Jupyter."""

    def row(p: Paper) -> str:
        name = f"<b>{html.escape(p.short_name)}</b>: " if p.short_name else ""
        links = ", ".join(
            f'<a href="{html.escape(link.url)}" target="_blank">{link.kind.label}</a>'
            for link in p.links
        )
        return (
            f"<tr><td><code>{html.escape(p.id)}</code></td><td>{name}{html.escape(p.title)}"
            f"</td><td>{p.year or ''}</td><td>{links}</td></tr>"
        )

    body = "".join(row(p) for p in papers)
    return (
        "<table><thead><tr><th>id</th><th>paper</th><th>year</th><th>links</th></tr>"
        f"</thead><tbody>{body}</tbody></table><p>{len(papers)} papers</p>"
    )


def to_text(papers: Sequence[Paper]) -> str:
    """Plain text for pipes: one paper a line, tab-separated id, name, year, title and links."""
    return "".join(
        "\t".join(
            [
                p.id,
                p.short_name or "",
                str(p.year or ""),
                p.title,
                " ".join(f"{link.kind}={link.url}" for link in p.links),
            ]
        )
        + "\n"
        for p in papers
    )


RENDERERS: dict[str, Callable[[Sequence[Paper]], str]] = {
    "table": to_text,
    "json": to_json,
    "csv": to_csv,
    "markdown": to_markdown,
}
