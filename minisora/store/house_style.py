"""Write a catalogue as YAML in the house style of ``data/papers.yaml``.

>>> from minisora import catalog
>>> from minisora.store import house_style
>>> text = house_style.to_yaml(catalog.load())
>>> "  - {kind: paper, url: https://arxiv.org/abs/2212.09748}" in text
True

Categories and links are one flow mapping a line, papers are block mappings in ``PAPER_ORDER``
with a blank line between them, the lists of ``FLOW_LISTS`` are flow lists, arXiv ids are quoted
('2212.09748'), dates are bare (2024-05-01), and only fields that differ from their defaults are
written. A string is written plain only when PyYAML's pure parser and libyaml both read it back
as itself (``needs_quotes``): ``?`` and ``&`` in a URL inside a flow mapping are quoted. This is
the one house style: ``curate.document`` (add, verify) writes new values with these rules too.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any

import yaml

from minisora.models import CatalogFile, Paper
from minisora.store.yaml_read import FAST_LOADER, PURE_LOADER

SCHEMA_COMMENT = "# yaml-language-server: $schema={}\n"

# The key order of a paper: the model's fields, with the short name before the title and the
# GitHub status before the links (so that the list of links ends each entry).
_FIRST, _LAST = ("id", "short_name", "title"), ("github", "links")
PAPER_ORDER = (
    *_FIRST,
    *(name for name in Paper.model_fields if name not in _FIRST + _LAST),
    *_LAST,
)
FLOW_LISTS = frozenset({"also_in", "authors", "tags"})  # one line: tags: [survey, llm]
QUOTED = frozenset({"arxiv_id"})  # always quoted: '2212.09748' would read back as a number


def order(key: str) -> int:
    """Where ``key`` goes among a paper's keys."""
    return PAPER_ORDER.index(key) if key in PAPER_ORDER else len(PAPER_ORDER)


# Plain for sure: starts with a letter, holds no indicator that either parser reads as syntax in
# block or flow context, and is no YAML 1.1 boolean or null. Everything else asks both parsers.
_SURELY_PLAIN = re.compile(r"^[^\W\d_](?:[^?,\[\]{}#:'\"]|:(?! |$))*$")
_FLOW_INDICATORS = re.compile(r"[?,\[\]{}]")
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def needs_quotes(value: str, flow: bool) -> bool:
    """True unless both PyYAML's pure parser and libyaml read ``value`` written plain as itself
    (``flow``: inside a flow mapping or list, where ``,``, ``?`` and brackets mean more)."""
    if _SURELY_PLAIN.match(value) and value.casefold() not in _WORDS:
        return False
    if ": " in value or " #" in value or (flow and _FLOW_INDICATORS.search(value)):
        return True  # quoting never changes a string; these would be read as syntax
    return _parsers_disagree(value, flow)


@functools.lru_cache(maxsize=4096)
def _parsers_disagree(value: str, flow: bool) -> bool:
    if not value:
        return True
    probe = f"{{k: {value}}}" if flow else f"k: {value}"
    try:
        return any(yaml.load(probe, Loader=L) != {"k": value} for L in (FAST_LOADER, PURE_LOADER))
    except yaml.YAMLError:
        return True


def _scalar(value: object, flow: bool) -> str:
    """``value`` plain when it reads back as itself (the house style), else single-quoted."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):  # one line of plain text (the models refuse control characters)
        return value if not needs_quotes(value, flow) else "'" + value.replace("'", "''") + "'"
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_flow_style=True)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _flow(data: dict[str, Any]) -> str:
    """``{kind: paper, url: https://...}``"""
    return "{" + ", ".join(f"{key}: {_value(value)}" for key, value in data.items()) + "}"


def _value(value: object, flow: bool = True) -> str:
    if isinstance(value, dict):
        return _flow(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return _scalar(value, flow)


def _paper(paper: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for key, value in paper.items():
        if key == "links":
            lines.append("links:")
            lines += [f"  - {_flow(link)}" for link in value]
        elif key in QUOTED:
            lines.append(f"{key}: '{value}'")
        else:
            lines.append(f"{key}: {_value(value, flow=False)}")
    return ["  - " + lines[0], *("    " + line for line in lines[1:])]


def to_yaml(cat: CatalogFile, header: str = "", schema: str | None = None) -> str:
    """The catalogue as YAML text; ``header`` is written first as ``#`` comment lines, and
    ``schema`` (a path or URL) as the ``yaml-language-server`` line that editors read."""
    out = [SCHEMA_COMMENT.format(schema)] if schema else []
    out += [f"# {line}".rstrip() + "\n" for line in header.splitlines()]
    if out:
        out.append("\n")
    out.append("categories:\n")
    out += [
        f"  - {_flow(c.model_dump(mode='json', exclude_defaults=True))}\n" for c in cat.categories
    ]
    if cat.reading_plan:
        out.append("\nreading_plan:\n")
        out += [f"  - {paper_id}\n" for paper_id in cat.reading_plan]
    out.append("\npapers:\n" if cat.papers else "\npapers: []\n")
    for i, paper in enumerate(cat.papers):
        data = paper.model_dump(mode="json", exclude_defaults=True)
        data["links"] = [
            link.model_dump(mode="json", exclude_defaults=True) for link in paper.links
        ]
        if paper.github is not None:  # as `verify --update` writes it: bare dates
            data["github"] = paper.github.model_dump(exclude_none=True)
        data = {key: data[key] for key in sorted(data, key=order)}
        out.append(("\n" if i else "") + "\n".join(_paper(data)) + "\n")
    return "".join(out)
