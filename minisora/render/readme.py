"""Keep the generated region of each README up to date: by default README.md (Chinese) and
README_EN.md (English); a checkout names its own (see ``store/config.py``).

>>> from minisora import catalog
>>> from minisora.render.readme import readme_diff
>>> readme_diff(catalog.load(), root=".")       # "" when every README is current
''

Only the text between the markers (``<!-- papers:start -->`` and ``<!-- papers:end -->`` unless
configured) is ever rewritten; every other byte of a README stays as it is.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from minisora.core.choices import member
from minisora.errors import CatalogError, Finding
from minisora.models import CatalogFile
from minisora.render.tables import Lang, markdown
from minisora.store.config import DEFAULT_READMES, END, START, ReadmeTarget
from minisora.store.files import atomic_write, locked
from minisora.store.yaml_read import read_text

NOTE = (
    "<!-- Generated from data/papers.yaml by `minisora render --write`: "
    "edit the YAML, not this section. -->"
)


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


def replace_region(
    text: str, body: str, path: str = "README.md", start_marker: str = START, end_marker: str = END
) -> str:
    """``text`` with the region between the markers replaced by ``body``."""
    start, end = text.find(start_marker), text.find(end_marker)
    for marker, at in ((start_marker, start), (end_marker, end)):
        if at < 0:
            raise _error(
                path, text, None, f"no {marker} line: add the two markers where the tables belong"
            )
        if text.find(marker, at + 1) >= 0:
            raise _error(path, text, text.find(marker, at + 1), f"{marker} appears twice")
    if end < start:
        raise _error(path, text, end, f"{end_marker} comes before {start_marker}")
    return f"{text[: start + len(start_marker)]}\n{NOTE}\n\n{body}{text[end:]}"


Targets = Sequence[ReadmeTarget]


def readmes(
    cat: CatalogFile, root: str | os.PathLike[str] = ".", targets: Targets = DEFAULT_READMES
) -> list[Readme]:
    """The READMEs ``targets`` name under ``root``, each with its region rendered from ``cat``."""
    return [_readme(cat, Path(root), target) for target in targets]


def _readme(cat: CatalogFile, root: Path, target: ReadmeTarget) -> Readme:
    path = root / target.path
    lang = member(Lang, target.lang, f"language of {target.path}")
    old = read_text(path, str(path))
    new = replace_region(old, markdown(cat, lang), str(path), target.start, target.end)
    return Readme(path, old, new)


def readme_diff(
    cat: CatalogFile, root: str | os.PathLike[str] = ".", targets: Targets = DEFAULT_READMES
) -> str:
    """The unified diff of every README that is out of date; empty when all are current."""
    return "".join(readme.diff() for readme in readmes(cat, root, targets))


def write_readmes(
    cat: CatalogFile, root: str | os.PathLike[str] = ".", targets: Targets = DEFAULT_READMES
) -> list[Path]:
    """Rewrite the regions that are out of date (atomically, each README read and written under
    its lock, so an edit made meanwhile is never lost); the paths that changed."""
    changed = []
    for target in targets:
        with locked(Path(root) / target.path):
            readme = _readme(cat, Path(root), target)
            if not readme.current:
                atomic_write(readme.path, readme.new)
                changed.append(readme.path)
    return changed
