"""Write a catalogue as YAML in the house style of ``data/papers.yaml``, and save files safely.

>>> from minisora import catalog
>>> from minisora.store import house_style
>>> text = house_style.to_yaml(catalog.load())
>>> "  - {kind: paper, url: https://arxiv.org/abs/2212.09748}" in text
True

Categories and links are one flow mapping a line, papers are block mappings in field order with
a blank line between them, arXiv ids are quoted ('2212.09748'), and only fields that differ from
their defaults are written. The output loads back into the same catalogue.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from minisora.errors import UsageError
from minisora.models import CatalogFile
from minisora.store.yaml_read import FAST_LOADER, atomic_write

SCHEMA_COMMENT = "# yaml-language-server: $schema={}\n"


def _scalar(value: object, flow: bool) -> str:
    """``value`` plain when it reads back as itself (the house style), else quoted by PyYAML."""
    if isinstance(value, str) and value:
        probe = f"{{k: {value}}}" if flow else f"k: {value}"
        try:
            if yaml.load(probe, Loader=FAST_LOADER) == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
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
        elif key == "arxiv_id":
            lines.append(f"arxiv_id: '{value}'")
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
    out += [f"  - {_flow(c.model_dump(mode='json'))}\n" for c in cat.categories]
    if cat.reading_plan:
        out.append("\nreading_plan:\n")
        out += [f"  - {paper_id}\n" for paper_id in cat.reading_plan]
    out.append("\npapers:\n" if cat.papers else "\npapers: []\n")
    for i, paper in enumerate(cat.papers):
        data = paper.model_dump(mode="json", exclude_defaults=True)
        if "short_name" in data:  # the house order: id, short_name, title, ...
            data = {"id": data.pop("id"), "short_name": data.pop("short_name"), **data}
        data["links"] = [
            link.model_dump(mode="json", exclude_defaults=True) for link in paper.links
        ]
        out.append(("\n" if i else "") + "\n".join(_paper(data)) + "\n")
    return "".join(out)


def save(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically; an existing file is replaced only with ``force``."""
    target = Path(path)
    if target.exists() and not force:
        raise UsageError(f"{path} already exists, and replacing it was not asked for")
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {path}: the folder {target.parent} does not exist")
    atomic_write(target, text)
    return target
