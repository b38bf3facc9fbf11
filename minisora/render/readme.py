"""Keep the generated region of README.md (Chinese) and README_EN.md (English) up to date.

>>> from minisora import catalog
>>> from minisora.render.readme import readme_diff
>>> readme_diff(catalog.load(), root=".")       # "" when both READMEs are current
''

Only the text between ``<!-- papers:start -->`` and ``<!-- papers:end -->`` is ever rewritten;
every other byte of a README stays as it is.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from minisora.errors import CatalogError, Finding
from minisora.models import CatalogFile
from minisora.render.tables import Lang, markdown
from minisora.store.files import atomic_write, locked
from minisora.store.yaml_read import read_text

START, END = "<!-- papers:start -->", "<!-- papers:end -->"
NOTE = (
    "<!-- Generated from data/papers.yaml by `minisora render --write`: "
    "edit the YAML, not this section. -->"
)
READMES = {"README.md": Lang.ZH, "README_EN.md": Lang.EN}


@dataclass(frozen=True)
class Readme:
    """One README: its path, its text now, and its text with the region rendered afresh."""

    path: Path
    old: str
    new: str

    @property
    def current(self) -> bool:
        return self.old == self.new

    def diff(self) -> str:
        """A unified diff from the file as it is to the file as it should be."""
        name = str(self.path)
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                f"{name} (as it is)",
                f"{name} (rendered from the catalogue)",
            )
        )


def _error(path: str, text: str, at: int | None, message: str) -> CatalogError:
    line = text.count("\n", 0, at) + 1 if at is not None else None
    return CatalogError([Finding(path, line, (), message)])


def replace_region(text: str, body: str, path: str = "README.md") -> str:
    """``text`` with the region between the markers replaced by ``body``."""
    start, end = text.find(START), text.find(END)
    for marker, at in ((START, start), (END, end)):
        if at < 0:
            raise _error(
                path, text, None, f"no {marker} line: add the two markers where the tables belong"
            )
        if text.find(marker, at + 1) >= 0:
            raise _error(path, text, text.find(marker, at + 1), f"{marker} appears twice")
    if end < start:
        raise _error(path, text, end, f"{END} comes before {START}")
    return f"{text[: start + len(START)]}\n{NOTE}\n\n{body}{text[end:]}"


def readmes(cat: CatalogFile, root: str | os.PathLike[str] = ".") -> list[Readme]:
    """Both READMEs under ``root``, each with its region rendered from ``cat``."""
    return [_readme(cat, Path(root) / name, lang) for name, lang in READMES.items()]


def _readme(cat: CatalogFile, path: Path, lang: Lang) -> Readme:
    old = read_text(path, str(path))
    return Readme(path, old, replace_region(old, markdown(cat, lang), str(path)))


def readme_diff(cat: CatalogFile, root: str | os.PathLike[str] = ".") -> str:
    """The unified diff of every README that is out of date; empty when both are current."""
    return "".join(readme.diff() for readme in readmes(cat, root))


def write_readmes(cat: CatalogFile, root: str | os.PathLike[str] = ".") -> list[Path]:
    """Rewrite the regions that are out of date (atomically, each README read and written under
    its lock, so an edit made meanwhile is never lost); the paths that changed."""
    changed = []
    for name, lang in READMES.items():
        path = Path(root) / name
        with locked(path):
            readme = _readme(cat, path, lang)
            if not readme.current:
                atomic_write(path, readme.new)
                changed.append(path)
    return changed
