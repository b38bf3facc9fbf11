"""The fast path for simple cells reads every cell of the real lists exactly as markdown-it does."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REAL_EN, REAL_ZH, SEED

from minisora.importers.markdown.blocks import parser
from minisora.importers.markdown.inline import inline, simple_inline

IMPORT = Path(__file__).resolve().parents[1] / "data" / "import"
LISTS = [REAL_EN, REAL_ZH, SEED, *sorted(IMPORT.glob("*.md"))]


@pytest.mark.parametrize("path", LISTS, ids=[p.name for p in LISTS])
def test_fast_path_agrees_with_markdown_it(path: Path) -> None:
    md = parser()
    tokens = md.parse(path.read_text(encoding="utf-8", errors="replace"))
    contents = [t.content for t in tokens if t.type == "inline"]
    fast = 0
    for content in contents:
        quick = simple_inline(content)
        if quick is not None:
            fast += 1
            assert quick == inline(md.inline.parse(content, md, {}, [])), content
    assert fast or path.parent == IMPORT


@pytest.mark.parametrize(
    "content",
    [
        r"a \[b\]",  # escapes
        "a &amp; b",  # entities
        "**a*",  # a single star
        "x **a **",  # a closer after a space is no closer
        "![img](https://x.org/a.png)",  # an image outside a link
        "[a](javascript:alert(1))",
        "line one\nline two",
        "[a](https://x.org/%E4%B8%AD)",
        "<b>html</b>",
    ],
)
def test_what_the_fast_path_leaves_to_markdown_it(content: str) -> None:
    assert simple_inline(content) is None
