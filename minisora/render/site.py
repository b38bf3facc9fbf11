"""A static, searchable web page of the catalogue: one ``index.html``, no server, no requests.

>>> from minisora import catalog
>>> from minisora.render.site import build_site
>>> files = build_site(catalog.load())
>>> sorted(files)
['index.html', 'list.html']
>>> '<script type="application/json" id="minisora-data">' in files["index.html"]
True

The page holds its CSS, its script and the catalogue as JSON, so it works from ``file://`` and
from GitHub Pages alike. A Content-Security-Policy names the script and style by their hashes and
allows no connection, so the page cannot load anything from another host, nor run injected code.
Without JavaScript a generated list of every paper is shown instead: ``list.html``, and inside
``index.html`` too unless the catalogue is very large.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from minisora.models import CatalogFile, Category, GithubStatus, LinkKind, Paper
from minisora.store.files import atomic_write

__all__ = ["build_site", "site_data", "write_site"]

KINDS = tuple(kind.value for kind in LinkKind)
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


@cache
def _asset(name: str) -> str:
    folder = resources.files(__package__).joinpath("site_assets")
    return folder.joinpath(name).read_text(encoding="utf-8")


def _github(status: GithubStatus | None) -> list[Any] | int:
    """``[stars, archived, pushed_at, moved_to]`` (trailing defaults after stars dropped), or 0."""
    if status is None:
        return 0
    pushed = status.pushed_at.isoformat() if status.pushed_at else ""
    return [status.stars, *_trim([int(status.archived), pushed, status.moved_to or ""])]


def _trim(values: list[Any]) -> list[Any]:
    """Drop trailing empty values: the page reads a missing item as its default."""
    while values and values[-1] in ("", 0, [], None):
        values.pop()
    return values


def _origins(papers: Iterable[Paper]) -> list[str]:
    """URL prefixes shared by at least two links (``https://arxiv.org/abs/``), most used first."""
    counts: dict[str, int] = {}
    for paper in papers:
        for link in paper.links:
            prefix = _prefix(link.url)
            if prefix:
                counts[prefix] = counts.get(prefix, 0) + 1
    return sorted((p for p, n in counts.items() if n > 1), key=lambda p: (-counts[p], p))


def _prefix(url: str) -> str:
    """Scheme, host and first path segment (``https://github.com/owner/``) as written in ``url``,
    or "" when ``url`` does not start with them (``https://host?q``, ``HTTPS://host/``)."""
    parts = urlsplit(url)
    head = f"{parts.scheme}://{parts.netloc}/"
    first = parts.path.lstrip("/").split("/", 1)
    prefix = head + first[0] + "/" if len(first) == 2 else head
    return prefix if url.startswith(prefix) else ""


def site_data(cat: CatalogFile) -> dict[str, Any]:
    """The catalogue in the compact form the page's script reads.

    ``papers`` are arrays ``[id, short_name, title, [category index...], year, venue, [authors],
    [tags], [[kind index, origin index, rest of URL, label?]...], github, description, arxiv_id]``
    with trailing empty values dropped; a link's URL is ``origins[origin index] + rest`` (origin
    index -1: the whole URL is in ``rest``). This keeps a 10,000-paper page under 3 MB.
    """
    cat_index = {c.id: i for i, c in enumerate(cat.categories)}
    origins = _origins(cat.papers)
    origin_index = {o: i for i, o in enumerate(origins)}
    kind_index = {kind: i for i, kind in enumerate(KINDS)}
    papers = []
    for p in cat.papers:
        links = []
        for link in p.links:
            prefix = _prefix(link.url)
            at = origin_index.get(prefix, -1) if prefix else -1
            rest = link.url[len(prefix) :] if at >= 0 else link.url
            label = [link.label] if link.label else []
            links.append([kind_index[link.kind.value], at, rest, *label])
        description = getattr(p, "description", None) or ""
        papers.append(
            _trim(
                [
                    p.id,
                    p.short_name or "",
                    p.title,
                    [cat_index[c] for c in p.categories if c in cat_index],
                    p.year or 0,
                    p.venue or "",
                    list(p.authors),
                    list(p.tags),
                    links,
                    _github(p.github),
                    description,
                    p.arxiv_id or "",
                ]
            )
        )
    return {
        "categories": [[c.id, c.name_en, c.name_zh] for c in cat.categories],
        "plan": list(cat.reading_plan),
        "kinds": list(KINDS),
        "origins": origins,
        "papers": papers,
    }


def _json_script(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<`` at all, so no
    ``</script>`` or ``<!--`` can end or bend the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _category_name(category: Category) -> str:
    return f"{category.name_en} · {category.name_zh}"


def _static_paper(paper: Paper, names: dict[str, str]) -> str:
    """One paper as a plain list item of the no-JS page."""
    out = ["<li>"]
    if paper.short_name:
        out.append(f"<b>{_e(paper.short_name)}</b>: ")
    out.append(_e(paper.title))
    meta = [str(paper.year) if paper.year else "", paper.venue or "", ", ".join(paper.authors)]
    meta += [names[c] for c in paper.also_in if c in names]
    meta = [m for m in meta if m]
    if meta:
        out.append(f" <small>({_e(' · '.join(meta))})</small>")
    description = getattr(paper, "description", None)
    if description:
        out.append(f" — {_e(description)}")
    links = " ".join(f'<a href="{_e(link.url)}">{_e(link.text)}</a>' for link in paper.links)
    out.append(f" {links}")
    if paper.github is not None:
        archived = ", archived" if paper.github.archived else ""
        out.append(f" <small>★ {paper.github.stars:,}{archived}</small>")
    out.append("</li>")
    return "".join(out)


def static_list(cat: CatalogFile) -> str:
    """Every paper as static HTML, grouped like the README: the reading plan, then each category
    with the papers listed in it. Every piece of catalogue text is escaped."""
    names = {c.id: _category_name(c) for c in cat.categories}
    by_id = {p.id: p for p in cat.papers}
    out = []
    plan = [by_id[paper_id] for paper_id in cat.reading_plan if paper_id in by_id]
    if plan:
        out.append('<section><h2>Reading plan · 论文共读计划</h2><ol class="static">')
        out += [_static_paper(p, names) for p in plan]
        out.append("</ol></section>")
    listed: dict[str, list[Paper]] = {c.id: [] for c in cat.categories}
    for paper in cat.papers:
        for category_id in paper.categories:
            listed.setdefault(category_id, []).append(paper)
    for category in cat.categories:
        papers = listed[category.id]
        out.append(
            f'<section><h2 id="c-{_e(category.id)}">{_e(names[category.id])} '
            f"<small>({len(papers)})</small></h2>"
        )
        out.append('<ol class="static">')
        out += [_static_paper(p, names) for p in papers]
        out.append("</ol></section>")
    return "\n".join(out)


# Above this size the no-JS list is only in list.html, so a 10,000-paper index.html stays small:
# a browser without JavaScript is sent there by a <noscript> refresh instead.
INLINE_LIMIT = 1_000_000


def build_site(cat: CatalogFile, *, inline_limit: int = INLINE_LIMIT) -> dict[str, str]:
    """The site's files, name -> text: ``index.html``, the searchable page with its style, script
    and data inline, and ``list.html``, every paper as plain HTML for browsers without JavaScript.
    ``index.html`` also holds that list (in ``<noscript>``) while it is under ``inline_limit``
    bytes; above, a browser without JavaScript is redirected to ``list.html``."""
    script = _asset("site.js")
    style = _asset("site.css")
    policy = (
        "default-src 'none'",
        f"script-src {_csp_hash(script)}",
        f"style-src {_csp_hash(style)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    )
    static = static_list(cat)
    inline = len(static.encode()) <= inline_limit
    values = {
        "CSP": html.escape("; ".join(policy), quote=False),
        "STYLE": style,
        "SCRIPT": script,
        "DATA": _json_script(site_data(cat)),
        "STATIC": static if inline else "",
        "NOSCRIPT_HEAD": (
            ""
            if inline
            else '<noscript><meta http-equiv="refresh" content="0; url=list.html"></noscript>\n'
        ),
        "COUNT": str(len(cat.papers)),
    }

    def fill(template: str) -> str:
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset(template))

    page = fill("template.html")
    values["STATIC"] = static
    values["CSP"] = html.escape("; ".join(p for p in policy if "script" not in p), quote=False)
    return {"index.html": page, "list.html": fill("list.html")}


def write_site(cat: CatalogFile, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write the site's files into ``out_dir`` (created if needed), each atomically; returns
    their paths."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in build_site(cat).items():
        path = directory / name
        atomic_write(path, text)
        written.append(path)
    return written
