"""The checkout minisora works in: which catalogue file it edits and which READMEs it renders.

A checkout is the nearest folder, from the working directory up to the top of its git repository,
that holds a ``minisora.toml``, a ``pyproject.toml`` with a ``[tool.minisora]`` table, or a
``data/papers.yaml`` (the layout of the community's repository, which needs no settings). Every
setting is optional; these are the defaults::

    [tool.minisora]                  # in minisora.toml: the same keys, without this line
    catalog = "data/papers.yaml"
    readmes = [
        { path = "README.md", lang = "zh" },
        { path = "README_EN.md", lang = "en" },
    ]
    # each README may also set start = "<!-- papers:start -->" and end = "<!-- papers:end -->"

A list with one README names just that one: ``readmes = [{ path = "README.md", lang = "en" }]``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minisora.errors import UsageError

CONFIG_FILE = "minisora.toml"


def display_path(path: Path) -> Path:
    """``path`` as a person would type it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


DEFAULT_CATALOG = "data/papers.yaml"
START, END = "<!-- papers:start -->", "<!-- papers:end -->"


@dataclass(frozen=True)
class ReadmeTarget:
    """One README the tables are rendered into: its path, language, and the region's markers."""

    path: str
    lang: str
    start: str = START
    end: str = END


DEFAULT_READMES = (ReadmeTarget("README.md", "zh"), ReadmeTarget("README_EN.md", "en"))


@dataclass(frozen=True)
class Project:
    """A checkout: its folder, its catalogue file, its READMEs, and the file that said so."""

    root: Path
    catalog: Path
    readmes: tuple[ReadmeTarget, ...] = DEFAULT_READMES
    settings: Path | None = None  # minisora.toml or pyproject.toml; None when found by layout


def _settings(folder: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The settings file of ``folder`` and its minisora table, if it has one."""
    own = folder / CONFIG_FILE
    if own.is_file():
        return own, _read(own)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("minisora")
        if isinstance(table, dict):
            return pyproject, table
    return None


def _read(path: Path) -> dict[str, Any]:
    # Only when a settings file is there: most commands run without one.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the settings: {exc}") from None


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise UsageError(f"{where} must be a non-empty string, not {value!r}")
    return value


def _readmes(value: object, source: Path) -> tuple[ReadmeTarget, ...]:
    if not isinstance(value, list) or not value:
        raise UsageError(f"{source}: readmes must be a list of {{ path = ..., lang = ... }}")
    targets = []
    for i, item in enumerate(value):
        where = f"{source}: readmes[{i}]"
        if not isinstance(item, dict):
            raise UsageError(f"{where} must be a table like {{ path = ..., lang = ... }}")
        unknown = set(item) - {"path", "lang", "start", "end"}
        if unknown:
            raise UsageError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        fields = {key: _text(item.get(key), f"{where}.{key}") for key in ("path", "lang")}
        markers = {
            key: _text(item[key], f"{where}.{key}") for key in ("start", "end") if key in item
        }
        targets.append(ReadmeTarget(**fields, **markers))
    return tuple(targets)


def project_at(folder: Path) -> Project | None:
    """The checkout whose top is ``folder``, if it is one."""
    found = _settings(folder)
    if found is None:
        default = folder / DEFAULT_CATALOG
        return Project(folder, default) if default.is_file() else None
    source, table = found
    unknown = set(table) - {"catalog", "readmes"}
    if unknown:
        raise UsageError(f"{source}: unknown setting {sorted(unknown)[0]!r} (catalog, readmes)")
    catalog = _text(table.get("catalog", DEFAULT_CATALOG), f"{source}: catalog")
    readmes = _readmes(table["readmes"], source) if "readmes" in table else DEFAULT_READMES
    return Project(folder, folder / catalog, readmes, source)


def find_project(start: str | os.PathLike[str] | None = None) -> Project | None:
    """The checkout around ``start`` (the working directory by default): the nearest folder up to
    the top of its git repository that is one, else None."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "__init__.py").exists():
            continue  # a Python package, such as the installed minisora: never a checkout
        project = project_at(folder)
        if project is not None:
            return project
        if (folder / ".git").exists():
            return None
    return None
