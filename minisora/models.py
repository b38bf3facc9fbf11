"""The pydantic types of a catalogue file: Link, Paper, Category and CatalogFile.

These hold the schema of ``data/papers.yaml`` and the rules that concern one value at a time.
Rules that look across entries (unique ids, known categories, duplicates) live in ``core/rules.py``.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from html import escape
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from minisora.core.arxiv_ids import ARXIV_ID
from minisora.core.urls import url_problem


class LinkKind(str, Enum):
    """What a link points at. The order here is the order links are shown in."""

    PAPER = "paper"
    GITHUB = "github"
    MODELSCOPE = "modelscope"
    PROJECT = "project"
    BLOG = "blog"
    REPORT = "report"
    HOMEPAGE = "homepage"
    OTHER = "other"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """The label used in the community's tables: Paper, Github, ModelScope, ..."""
        return _LABELS[self]


_LABELS = {
    LinkKind.PAPER: "Paper",
    LinkKind.GITHUB: "Github",
    LinkKind.MODELSCOPE: "ModelScope",
    LinkKind.PROJECT: "Project",
    LinkKind.BLOG: "Blog",
    LinkKind.REPORT: "Report",
    LinkKind.HOMEPAGE: "Homepage",
    LinkKind.OTHER: "Link",
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MARKUP = re.compile(r"\]\(|<[a-zA-Z/!][^>]*>|\*\*|`")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise PydanticCustomError(
            "slug",
            "'{value}' is not a valid id: use lowercase letters, digits and single hyphens "
            "(like 'diffusion-transformer')",
            {"value": value},
        )
    return value


def _plain_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty", "must not be empty")
    if value != value.strip():
        raise PydanticCustomError("whitespace", "has leading or trailing whitespace")
    if _CONTROL.search(value):
        raise PydanticCustomError("control", "must be one line of text (no newlines or tabs)")
    if _MARKUP.search(value):
        raise PydanticCustomError("markup", "must be plain text, not Markdown or HTML")
    return value


def _http_url(value: str) -> str:
    problem = url_problem(value)
    if problem is not None:
        raise PydanticCustomError("url", problem)
    return value


def _arxiv_id(value: str) -> str:
    if not ARXIV_ID.match(value):
        raise PydanticCustomError(
            "arxiv_id",
            "'{value}' is not an arXiv id: write it without version, like '2212.09748'",
            {"value": value},
        )
    return value


# The JSON Schema (``minisora schema``) carries the same rules as patterns, for editors.
Slug = Annotated[
    str, AfterValidator(_slug), WithJsonSchema({"type": "string", "pattern": _SLUG.pattern})
]
PlainText = Annotated[str, AfterValidator(_plain_text), WithJsonSchema({"type": "string"})]
HttpUrl = Annotated[
    str,
    AfterValidator(_http_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": r"^https?://[^\s/]+\S*$"}),
]
ArxivId = Annotated[
    str, AfterValidator(_arxiv_id), WithJsonSchema({"type": "string", "pattern": ARXIV_ID.pattern})
]

_STRICT = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Link(BaseModel):
    """One link of a paper: ``{kind: github, url: https://github.com/...}``."""

    model_config = _STRICT

    kind: LinkKind
    url: HttpUrl
    label: PlainText | None = Field(
        default=None,
        description="Text shown instead of the kind's label (Colab, a site's name).",
        exclude_if=lambda value: value is None,  # links dump as {kind, url} unless labelled
    )

    @property
    def text(self) -> str:
        """What a link is shown as: its own label, else its kind's (Paper, Github, ...)."""
        return self.label or self.kind.label


class Category(BaseModel):
    """A section of the list, with its English and Chinese names."""

    model_config = _STRICT

    id: Slug
    name_en: PlainText
    name_zh: PlainText
    aliases: tuple[PlainText, ...] = Field(
        default=(), description="Former or other names that still find the category."
    )


class GithubStatus(BaseModel):
    """The health of a paper's first github repository, as ``minisora verify --update`` found it:
    ``{stars: 6123, archived: false, pushed_at: 2024-05-01, checked: 2025-02-10}``."""

    model_config = _STRICT

    stars: int = Field(ge=0)
    archived: bool = False
    pushed_at: date | None = Field(default=None, description="Day of the last push.")
    moved_to: HttpUrl | None = Field(default=None, description="Where a renamed repo lives now.")
    checked: date = Field(description="Day the GitHub API was asked.")


class Paper(BaseModel):
    """One paper (or report) of the catalogue."""

    model_config = _STRICT

    id: Slug
    title: PlainText
    short_name: PlainText | None = None
    category: Slug | None = Field(
        default=None, description="Category id; papers only in the reading plan may have none."
    )
    also_in: tuple[Slug, ...] = Field(default=(), description="Further categories, by id.")
    year: int | None = Field(default=None, ge=1900, le=2100)
    arxiv_id: ArxivId | None = None
    venue: PlainText | None = None
    authors: tuple[PlainText, ...] = ()
    tags: tuple[PlainText, ...] = ()
    description: PlainText | None = Field(
        default=None, description="One line on what the paper does, as the list describes it."
    )
    links: tuple[Link, ...] = Field(min_length=1)
    github: GithubStatus | None = Field(
        default=None, description="Repository health, written by `minisora verify --update`."
    )

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category id the paper is listed under, the main one first."""
        return ((self.category,) if self.category else ()) + self.also_in

    def urls(self, kind: LinkKind | str) -> list[str]:
        """The URLs of one kind of link, in file order."""
        kind = LinkKind(kind)
        return [link.url for link in self.links if link.kind is kind]

    def has(self, kind: LinkKind | str) -> bool:
        return bool(self.urls(kind))

    def fields(self, categories: str | None = None) -> list[tuple[str, str]]:
        """The paper as (label, text) rows: its fields that have a value, then one row per link.
        ``categories`` replaces the category ids (with names, say)."""
        values = (
            ("id", self.id),
            ("title", self.title),
            ("short name", self.short_name),
            ("category", categories if categories is not None else ", ".join(self.categories)),
            ("year", self.year),
            ("arXiv", self.arxiv_id),
            ("venue", self.venue),
            ("authors", ", ".join(self.authors)),
            ("tags", ", ".join(self.tags)),
        )
        rows = [(label, str(value)) for label, value in values if value]
        return rows + [(link.kind.value, link.url) for link in self.links]

    def _repr_html_(self) -> str:
        """Jupyter's display of one paper: a table of its fields and links, every value escaped."""
        cells = (
            (
                escape(label),
                f'<a href="{escape(text)}" target="_blank">{escape(text)}</a>'
                if "://" in text
                else escape(text),
            )
            for label, text in self.fields()
        )
        rows = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in cells)
        return f"<table><tbody>{rows}</tbody></table>"


class CatalogFile(BaseModel):
    """The whole of ``papers.yaml``: categories in display order, the reading plan, the papers."""

    model_config = _STRICT

    categories: tuple[Category, ...] = Field(min_length=1)
    reading_plan: tuple[Slug, ...] = Field(
        default=(), description="Paper ids in the order the community reads them."
    )
    papers: tuple[Paper, ...] = ()
