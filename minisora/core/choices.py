"""One way to turn what a caller typed into one of a fixed set of names.

>>> choose("JSON", ["json", "csv"], "export format")
'json'
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TypeVar

from minisora.errors import UsageError

E = TypeVar("E", bound=Enum)


def choose(value: object, names: Iterable[str], what: str) -> str:
    """``value`` as one of ``names`` (case-insensitive; an enum counts by its value), else a
    :class:`UsageError` that lists them: "unknown export format 'pdf'; use one of: json, csv"."""
    text = str(value.value if isinstance(value, Enum) else value).strip().lower()
    names = list(names)
    if text in names:
        return text
    raise UsageError(f"unknown {what} {value!r}; use one of: {', '.join(names)}")


def member(kind: type[E], value: object, what: str) -> E:
    """``value`` as a member of the string enum ``kind``, else a :class:`UsageError`."""
    return kind(choose(value, [m.value for m in kind], what))
