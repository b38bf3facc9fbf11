"""The two languages of one list: the Chinese twin's sections paired with the English ones."""

from __future__ import annotations

from collections.abc import Sequence

from minisora.importers.markdown.blocks import Entry, Heading
from minisora.importers.markdown.rows import SECTION_NUMBER, Importer


def _homes(rows: Sequence[Entry], level: int | None) -> list[Heading]:
    """The category headings of the rows, in order of first appearance."""
    found = (next((h for h in reversed(e.path) if h.level == level), None) for e in rows)
    return list(dict.fromkeys(h for h in found if h is not None))


def pair_headings(
    imp: Importer, rows: Sequence[Entry], twin_rows: Sequence[Entry], level: int | None
) -> None:
    """Give each category heading of the twin the category of its partner (same anchor, else
    same position) and its name as the Chinese name; a heading without partner is a new one."""
    first, twin = _homes(rows, level), _homes(twin_rows, level)
    by_anchor = {h.anchor: h for h in first if h.anchor}
    for i, heading in enumerate(twin):
        partner = by_anchor.get(heading.anchor) if heading.anchor else None
        if partner is None and not heading.anchor and i < len(first):
            partner = first[i]
        name = SECTION_NUMBER.sub("", heading.name) or heading.name
        cat_id = imp.category(partner) if partner is not None else imp.category(heading)
        imp.categories[heading] = cat_id
        imp.names_zh[cat_id] = name
