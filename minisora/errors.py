"""Error types. Library code raises these; only the CLI turns them into messages and exit codes.

The error tree (``exit_code`` is what the CLI exits with)::

    MinisoraError (1)           every error minisora raises on purpose
    ├── CatalogError (1)        a catalogue file is unreadable or invalid; ``findings`` locate each
    ├── EditError (1)           an edit cannot be written without changing what it should not
    ├── WriteError (1)          a file cannot be written (read-only, no space, locked); also OSError
    ├── UsageError (2)          the caller asked for something that does not exist
    │   └── NotFoundError (2)   a paper or category name not in the catalogue (also a KeyError)
    └── SourceError (2)         arXiv or GitHub cannot be reached, or answered what we cannot use

Warnings (through :mod:`warnings`, never raised)::

    MinisoraWarning             something worked around: a damaged cache entry, a skipped record
    └── CatalogWarning          ``load(strict=False)`` read a catalogue with errors across entries

Messages use the catalogue's words (a field, a paper, a file); the CLI adds its flag names.

What minisora works around (a damaged cache entry, a malformed record it skips) is a
``MinisoraWarning`` through the standard :mod:`warnings` module: the library never prints, and
the CLI shows each as one ``warning:`` line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a failure (not even with --strict)


def format_loc(loc: Sequence[str | int]) -> str:
    """Render a pydantic-style location: ``("papers", 7, "url")`` -> ``papers[7].url``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Finding:
    """One problem in a catalogue file, located by file, line and field."""

    path: str
    line: int | None
    loc: tuple[str | int, ...]
    message: str
    severity: Severity = Severity.ERROR
    rule: str = "schema"

    @property
    def field(self) -> str:
        return format_loc(self.loc)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: path, line, field, severity, rule and message."""
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "severity": self.severity.value,
            "rule": self.rule,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.loc else ""
        return f"{where}:{field} {self.message}"


class MinisoraError(Exception):
    """Base of every error minisora raises on purpose. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class UsageError(MinisoraError):
    """The caller asked for something that does not exist (an unknown category, paper or kind)."""

    exit_code = 2


class CatalogError(MinisoraError):
    """A catalogue file could not be read or is invalid; ``findings`` holds every problem found."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        errors = [f for f in self.findings if f.severity is Severity.ERROR]
        shown = errors or list(self.findings)
        more = f" (and {len(shown) - 1} more)" if len(shown) > 1 else ""
        super().__init__(f"{shown[0]}{more}" if shown else "invalid catalogue")

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)


class NotFoundError(UsageError, KeyError):
    """A paper or category name that is not in the catalogue; the message names close matches."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0])


class EditError(MinisoraError):
    """An edit that cannot be written without changing what it should not."""


class SourceError(MinisoraError):
    """A service could not be reached or gave an answer we cannot use."""

    exit_code = 2


class WriteError(MinisoraError, OSError):
    """A file could not be written; the message names it, and the file is as it was. Also an
    OSError, so code that already treats a failed write as an OSError keeps doing so."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class MinisoraWarning(UserWarning):
    """Something minisora worked around and the user should know about; shown once."""


class CatalogWarning(MinisoraWarning):
    """A catalogue was loaded for reading although it has errors across entries (not strict)."""
