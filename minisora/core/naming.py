"""Ids from names: slugs, and a free one when a slug is taken.

>>> slugify("PIXART-Σ")
'pixart-sigma'
>>> free_slug("dit", {"dit", "dit-2"})
'dit-3'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container


def slugify(text: str) -> str:
    """``PIXART-Σ`` -> ``pixart-sigma``; Greek letters by name, other non-ASCII dropped."""
    out = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            out.append(char)
        elif unicodedata.category(char).startswith("L"):
            name = unicodedata.name(char, "")
            if name.startswith("GREEK"):
                out.append(f"-{name.split()[-1]}-")
    return re.sub(r"[^a-z0-9]+", "-", "".join(out).lower()).strip("-")


def free_slug(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``, ... : the first that is not ``taken``."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
