"""HTML for Jupyter: the categories and a validation report (``_repr_html_``).

A list of papers is rendered by ``lists.to_html``, one paper by ``Paper._repr_html_``. Every value
is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from minisora.errors import Finding, Severity

if TYPE_CHECKING:
    from minisora.models import Category


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], caption: str = "") -> str:
    """A table of already escaped cells."""
    top = f"<caption>{caption}</caption>" if caption else ""
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{top}<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def categories_html(categories: Iterable[tuple[Category, int]], caption: str = "") -> str:
    """The categories with their English and Chinese names and paper counts."""
    rows = (
        (
            f"<code>{html.escape(c.id)}</code>",
            html.escape(c.name_en),
            html.escape(c.name_zh),
            str(n),
        )
        for c, n in categories
    )
    return _table(("id", "English", "中文", "papers"), rows, html.escape(caption))


def findings_html(findings: Sequence[Finding], caption: str = "") -> str:
    """A validation report: one row per finding, errors in red."""
    colour = {Severity.ERROR: "#c00", Severity.WARNING: "#b60"}
    rows = (
        (
            f'<span style="color:{colour[f.severity]}">{f.severity.value}</span>',
            html.escape(f"{f.path}:{f.line}" if f.line else f.path),
            html.escape(f.field),
            html.escape(f.message),
        )
        for f in findings
    )
    return _table(("severity", "where", "field", "message"), rows, html.escape(caption))
