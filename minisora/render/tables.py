"""The catalogue as the community's Markdown: the reading plan, then one table per category.

>>> from minisora import catalog
>>> from minisora.render.tables import markdown
>>> print(markdown(catalog.load(), lang="en").splitlines()[3])
- **DiT**: [Scalable Diffusion Models with Transformers](https://arxiv.org/abs/2212.09748)

Rows are numbered from 1 in every table, links come in the fixed order of ``LinkKind`` (Paper,
Github, ModelScope, Project, Blog, ...), and the same catalogue always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from minisora.core.choices import member
from minisora.models import CatalogFile, Category, LinkKind, Paper
from minisora.render.lists import link_markdown, title_markdown


class Lang(str, Enum):
    """The languages the tables are rendered in: ``zh`` (README.md) and ``en`` (README_EN.md)."""

    ZH = "zh"
    EN = "en"


@dataclass(frozen=True)
class _Words:
    plan: str
    related: str
    paper: str
    link: str
    report: str


_WORDS = {
    Lang.ZH: _Words("论文共读计划", "相关工作", "论文", "链接", "技术报告"),
    Lang.EN: _Words("Paper Reading Program", "Related Work", "Paper", "Link", "Technical Report"),
}
_RULE = "| ------------- | ------------- |"


def _lang(lang: Lang | str) -> Lang:
    return member(Lang, lang, "language")


def _brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def plan_item(paper: Paper, words: _Words) -> str:
    """``- **DiT**: [Scalable …](https://arxiv.org/abs/…)``; the name links to a homepage if
    there is one, and a technical report says so."""
    ordered = sorted(paper.links, key=lambda link: list(LinkKind).index(link.kind))
    main = next((link for link in ordered if link.kind is not LinkKind.HOMEPAGE), ordered[0])
    home = next((link for link in ordered if link.kind is LinkKind.HOMEPAGE), None)
    name = _brackets(paper.short_name or "")
    if home is not None and home is not main:
        name = f"[{_brackets(home.label or paper.short_name or paper.title)}]({home.url})"
    if main.kind is LinkKind.REPORT:
        name = f"{name} {words.report}".strip()
    title = f"[{_brackets(paper.title)}]({main.url})"
    return f"- **{name}**: {title}" if name else f"- {title}"


def table(papers: list[Paper], words: _Words) -> str:
    """One category's table, rows numbered from 1."""
    head = f"| **{words.paper}** | **{words.link}** |\n{_RULE}\n"
    return head + "".join(
        f"| {n}) {title_markdown(p)} | {link_markdown(p, ordered=True)} |\n"
        for n, p in enumerate(papers, 1)
    )


def _name(category: Category, lang: Lang) -> str:
    return category.name_zh if lang is Lang.ZH else category.name_en


def markdown(cat: CatalogFile, lang: Lang | str = Lang.EN) -> str:
    """The reading plan and every non-empty category as Markdown, in Chinese or English."""
    lang = _lang(lang)
    words = _WORDS[lang]
    by_id = {p.id: p for p in cat.papers}
    parts = []
    if cat.reading_plan:
        items = "".join(plan_item(by_id[i], words) + "\n" for i in cat.reading_plan if i in by_id)
        parts.append(f"## {words.plan}\n\n{items}")
    parts.append(f"## {words.related}\n")
    for category in cat.categories:
        papers = [p for p in cat.papers if category.id in p.categories]
        if papers:
            parts.append(f"### {_name(category, lang)}\n\n{table(papers, words)}")
    return "\n".join(parts)
